package lyra

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"time"

	"guichet"
	v4 "guichet/internal/lyra/v4"
)

// A payment order (a payment link) is a form order with its own hosted
// page, valid until its expiration date: the paymentOrderId is the order's
// ID and the page loads the embedded form on it.

// extraPaymentOrder marks the order of a payment order.
const extraPaymentOrder = "paymentOrder"

// paymentOrderLife is how long a payment order takes payments when the
// merchant sets no expiration date; the latest it may set is 90 days.
const (
	paymentOrderLife    = 7 * 24 * time.Hour
	paymentOrderMaxLife = 90 * 24 * time.Hour
	// paymentOrderAttempts is how many payments a buyer may try on a
	// payment link before it closes.
	paymentOrderAttempts = 10
)

var localePattern = regexp.MustCompile(`^[a-z]{2}_[A-Z]{2}$`)

// createPaymentOrder makes a payment link.
func (a *API) createPaymentOrder(c *call) (any, error) {
	now := a.svc.Now(c.shop)
	p, err := parsePayment(c.req, c.acct, now.In(a.svc.Paris()), false)
	if err != nil {
		return nil, err
	}
	c.reference = p.orderID
	expires := now.Add(paymentOrderLife)
	if t, ok, err := parseTime(c.req, "expirationDate", "PSP_1007"); err != nil {
		return nil, err
	} else if ok {
		if !t.After(now) || t.After(now.Add(paymentOrderMaxLife)) {
			return nil, fail("PSP_1007")
		}
		expires = t
	}
	locale, err := c.req.str("locale", "PSP_1012", 0)
	if err != nil {
		return nil, err
	}
	if locale != "" && !localePattern.MatchString(locale) {
		return nil, fail("PSP_1012")
	}
	channel, err := c.req.object("channelOptions", "INT_854")
	if err != nil {
		return nil, err
	}
	var channelType string
	if err := channel.rule(rule{"channelType", "INT_854", 0, oneOf("URL", "MAIL", "SMS", "WHATSAPP", "INVOICE", "IVR")}, &channelType); err != nil {
		return nil, err
	}
	if channelType == "" {
		channelType = "URL"
	}
	extras := p.extras()
	extras = append(extras, guichet.Field{Name: extraPaymentOrder, Value: channelType})
	for _, f := range []struct{ name, code string }{{"locale", "PSP_1012"}, {"merchantComment", "INT_902"}, {"returnMode", "INT_927"},
		{"successUrl", "INT_922"}, {"refusedUrl", "INT_923"}, {"cancelUrl", "INT_921"}, {"errorUrl", "INT_924"}, {"returnUrl", "INT_920"},
		{"message", "INT_842"}} {
		v, err := c.req.str(f.name, f.code, 2048)
		if err != nil {
			return nil, err
		}
		if v != "" {
			extras = append(extras, guichet.Field{Name: f.name, Value: v})
		}
	}
	o := &guichet.Order{ID: a.newUUID(), Protocol: protocol, Reference: p.orderID, Amount: p.amount, Request: c.body,
		MaxAttempts: paymentOrderAttempts, ExpiresAt: expires, Content: p.content}
	o.Content.Extras = extras
	if o, err = a.svc.OpenOrder(c.ctx, c.shop, o); err != nil {
		return nil, err
	}
	return a.paymentOrder(c, o), nil
}

// loadPaymentOrder finds the payment order a call names.
func (a *API) loadPaymentOrder(c *call) (*guichet.Order, error) {
	id, err := c.req.str("paymentOrderId", "INT_840", 64)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, fail("PSP_1052")
	}
	c.reference = id
	o, err := a.svc.Order(c.ctx, c.shop, id)
	if err != nil || o.Content.Extra(extraPaymentOrder) == "" {
		return nil, fail("PSP_1000")
	}
	return o, nil
}

// paymentOrderGet describes a payment order.
func (a *API) paymentOrderGet(c *call) (any, error) {
	o, err := a.loadPaymentOrder(c)
	if err != nil {
		return nil, err
	}
	return a.paymentOrder(c, o), nil
}

// paymentOrderCancel closes a payment link not paid yet.
func (a *API) paymentOrderCancel(c *call) (any, error) {
	o, err := a.loadPaymentOrder(c)
	if err != nil {
		return nil, err
	}
	switch status := paymentOrderStatus(o, a.svc.Now(c.shop)); status {
	case "RUNNING":
	case "CANCELLED":
		return nil, fail("PSP_1101")
	case "EXPIRED":
		return nil, fail("PSP_1006")
	default:
		return nil, fail("PSP_1005")
	}
	if o, err = a.svc.CloseOrder(c.ctx, c.shop, o.ID, guichet.OrderCancelled); err != nil {
		return nil, asFailure(err, opAny)
	}
	return a.paymentOrder(c, o), nil
}

// paymentOrderStatus is where a payment link stands.
func paymentOrderStatus(o *guichet.Order, now time.Time) string {
	switch {
	case o.Status == guichet.OrderPaid:
		return "PAID"
	case o.Status == guichet.OrderCancelled:
		return "CANCELLED"
	case o.Status == guichet.OrderRefused:
		return "REFUSED"
	case now.After(o.ExpiresAt):
		return "EXPIRED"
	}
	return "RUNNING"
}

// paymentOrder is the V4/PaymentOrder of an order.
func (a *API) paymentOrder(c *call, o *guichet.Order) v4.PaymentOrder {
	x := &o.Content
	channel, _ := json.Marshal(struct {
		ChannelType string `json:"channelType"`
		Type        string `json:"_type"`
	}{x.Extra(extraPaymentOrder), "V4/ChannelDetails"})
	po := v4.PaymentOrder{PaymentOrderID: o.ID, PaymentURL: c.host + "/lyra/paymentorder/" + o.ID,
		PaymentOrderStatus: paymentOrderStatus(o, a.svc.Now(c.shop)), CreationDate: v4.Time{Time: o.CreatedAt},
		Amount: o.Amount.Amount, Currency: o.Amount.Currency, Locale: strOrNil(x.Extra("locale")),
		ExpirationDate: v4.Time{Time: o.ExpiresAt}, OrderID: strOrNil(o.Reference), ChannelDetails: channel,
		Message: strOrNil(x.Extra("message"))}
	if !o.UpdatedAt.Equal(o.CreatedAt) {
		po.UpdateDate = &v4.Time{Time: o.UpdatedAt}
	}
	return po
}

// paymentOrderPage is the hosted page of a payment link: the embedded form
// on the order, returning the buyer to the merchant's URLs.
var paymentOrderPage = template.Must(template.New("po").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Shop}}</title>
<script src="/static/js/krypton-client/V4.0/stable/kr-payment-form.min.js" kr-public-key="{{.PublicKey}}"
{{- if .Success}} kr-post-url-success="{{.Success}}"{{end}}{{if .Refused}} kr-post-url-refused="{{.Refused}}"{{end}}></script>
<link rel="stylesheet" href="/static/js/krypton-client/V4.0/ext/classic-reset.css">
<script src="/static/js/krypton-client/V4.0/ext/classic.js"></script>
</head><body>
<main style="max-width:28rem;margin:2rem auto;font-family:system-ui,sans-serif">
<h1>{{.Shop}}</h1>
<p>{{.Amount}}{{if .Message}} — {{.Message}}{{end}}</p>
<div class="kr-embedded" kr-form-token="{{.FormToken}}"></div>
</main>
</body></html>
`))

// servePaymentOrder serves the hosted page of a payment link.
func (a *API) servePaymentOrder(w http.ResponseWriter, r *http.Request) {
	o, err := a.svc.OrderByID(r.Context(), r.PathValue("id"))
	if err != nil || o.Protocol != protocol || o.Content.Extra(extraPaymentOrder) == "" {
		http.NotFound(w, r)
		return
	}
	shop, err := a.svc.ShopByID(r.Context(), o.ShopID)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	acct, ok, err := AccountOf(shop)
	if err != nil || !ok {
		http.NotFound(w, r)
		return
	}
	x := &o.Content
	cur, _ := guichet.CurrencyByCode(o.Amount.Currency)
	lang := "fr"
	if l := x.Extra("locale"); len(l) >= 2 {
		lang = l[:2]
	}
	data := struct {
		Lang, Shop, PublicKey, FormToken, Amount, Message string
		Success, Refused                                  string
	}{lang, acct.displayName(), acct.publicKey(shop.Mode), o.ID,
		fmt.Sprintf("%s %s", guichet.FormatAmount(o.Amount.Amount, cur), o.Amount.Currency), x.Extra("message"),
		firstOf(x.Extra("successUrl"), x.Extra("returnUrl")), firstOf(x.Extra("refusedUrl"), x.Extra("returnUrl"))}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	paymentOrderPage.Execute(w, data)
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// publicKey is the public key of a mode.
func (a *Account) publicKey(mode guichet.Mode) string {
	if mode == guichet.ModeProduction {
		return a.ProdPublicKey
	}
	return a.TestPublicKey
}
