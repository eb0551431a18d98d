package lyra

import (
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/core"
	v4 "guichet/internal/lyra/v4"
)

// A subscription is an order of the front whose payments the core charges
// on the stored card at the dates of its rule: the order's ID is the
// subscriptionId, and its content keeps what Subscription/Get echoes.

// extraSubscription marks the order of a subscription.
const extraSubscription = "subscription"

// parseRRule reads an RFC 5545 rule as Lyra takes it ("RRULE:FREQ=MONTHLY;
// INTERVAL=1;BYMONTHDAY=10;COUNT=12"): daily to yearly periods, an
// interval, one day of the month (-1 for the last), a count or an end
// date. Anything else is INT_064, sub-daily periods included.
func parseRRule(rule string, effect time.Time) (core.Recurrence, error) {
	r := core.Recurrence{First: time.Date(effect.Year(), effect.Month(), effect.Day(), 0, 0, 0, 0, time.UTC), Interval: 1}
	body, ok := strings.CutPrefix(rule, "RRULE:")
	if !ok {
		return r, fail("INT_064", "rrule must start with RRULE:")
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(body, ";") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || seen[k] {
			return r, fail("INT_064", "rrule part "+strconv.Quote(part)+" is not KEY=VALUE, once")
		}
		seen[k] = true
		n, nerr := strconv.Atoi(v)
		switch k {
		case "FREQ":
			switch v {
			case "DAILY", "WEEKLY", "MONTHLY", "YEARLY":
				r.Freq = core.Freq(v)
			default:
				return r, fail("INT_064", "FREQ "+v+" is not taken: DAILY, WEEKLY, MONTHLY or YEARLY")
			}
		case "INTERVAL":
			if nerr != nil || n < 1 {
				return r, fail("INT_064", "INTERVAL must be a positive number")
			}
			r.Interval = n
		case "BYMONTHDAY":
			switch {
			case n == -1:
				r.MonthDay = 31
			case nerr != nil || n < 1 || n > 31:
				return r, fail("INT_064", "BYMONTHDAY must be one day, 1 to 31 or -1")
			default:
				r.MonthDay = n
			}
		case "COUNT":
			if nerr != nil || n < 1 {
				return r, fail("INT_064", "COUNT must be a positive number")
			}
			r.Count = n
		case "UNTIL":
			t, err := time.Parse("20060102", v[:min(8, len(v))])
			if err != nil {
				return r, fail("INT_064", "UNTIL must be a date, YYYYMMDD")
			}
			r.Until = t
		default:
			return r, fail("INT_064", "rrule part "+k+" is not taken")
		}
	}
	if r.Freq == "" {
		return r, fail("INT_064", "rrule needs a FREQ")
	}
	return r, nil
}

// subscriptionRequest reads what Charge/CreateSubscription and
// Subscription/Update give.
func (a *API) subscriptionRequest(c *call, requireEffect bool) (core.Recurrence, guichet.Money, error) {
	var r core.Recurrence
	amount, ok, err := c.req.integer("amount", "INT_009")
	switch {
	case err != nil:
		return r, guichet.Money{}, err
	case !ok || amount <= 0:
		return r, guichet.Money{}, fail("INT_009", "amount must be positive")
	}
	currency, err := parseCurrency(c.req, c.acct)
	if err != nil {
		return r, guichet.Money{}, err
	}
	effect, ok, err := parseTime(c.req, "effectDate", "INT_069")
	switch {
	case err != nil:
		return r, guichet.Money{}, err
	case !ok && requireEffect:
		return r, guichet.Money{}, fail("INT_069", "effectDate is required")
	case !ok:
		effect = a.svc.Now(c.shop)
	}
	rule, err := c.req.str("rrule", "INT_064", 255)
	if err != nil {
		return r, guichet.Money{}, err
	}
	if r, err = parseRRule(rule, effect.In(a.svc.Paris())); err != nil {
		return r, guichet.Money{}, err
	}
	r.Amount = amount
	initial, hasInitial, err := c.req.integer("initialAmount", "INT_066")
	if err != nil {
		return r, guichet.Money{}, err
	}
	count, hasCount, err := c.req.integer("initialAmountNumber", "INT_068")
	switch {
	case err != nil:
		return r, guichet.Money{}, err
	case hasInitial != hasCount:
		return r, guichet.Money{}, fail("INT_880")
	case hasInitial && initial <= 0:
		return r, guichet.Money{}, fail("INT_066", "initialAmount must be positive")
	case hasCount && count <= 0:
		return r, guichet.Money{}, fail("INT_068", "initialAmountNumber must be positive")
	}
	r.Initial, r.InitialCount = initial, int(count)
	return r, guichet.Money{Amount: amount, Currency: currency}, nil
}

// subscriptionContent is the order content of a subscription: the
// request's metadata and description, and what Subscription/Get echoes.
func subscriptionContent(c *call, token, rule string, effect time.Time, r core.Recurrence) (guichet.OrderContent, error) {
	content, err := parseContent(c.req)
	if err != nil {
		return content, err
	}
	desc, err := c.req.str("description", "INT_883", 255)
	if err != nil {
		return content, err
	}
	content.Extras = append(content.Extras, guichet.Field{Name: extraSubscription, Value: "1"},
		guichet.Field{Name: "paymentMethodToken", Value: token}, guichet.Field{Name: "rrule", Value: rule},
		guichet.Field{Name: "effectDate", Value: v4.FormatTime(effect)})
	if desc != "" {
		content.Extras = append(content.Extras, guichet.Field{Name: "description", Value: desc})
	}
	if r.InitialCount > 0 {
		content.Extras = append(content.Extras, guichet.Field{Name: "initialAmount", Value: strconv.FormatInt(r.Initial, 10)},
			guichet.Field{Name: "initialAmountNumber", Value: strconv.Itoa(r.InitialCount)})
	}
	return content, nil
}

// createSubscription charges a stored card at the dates of a rule.
func (a *API) createSubscription(c *call) (any, error) {
	token, err := a.paymentMethodToken(c)
	if err != nil {
		return nil, err
	}
	r, amount, err := a.subscriptionRequest(c, true)
	if err != nil {
		return nil, err
	}
	orderID, err := c.req.str("orderId", "INT_013", 64)
	if err != nil {
		return nil, err
	}
	rule, _ := c.req.str("rrule", "INT_064", 255)
	effect, _, _ := parseTime(c.req, "effectDate", "INT_069")
	content, err := subscriptionContent(c, token, rule, effect, r)
	if err != nil {
		return nil, err
	}
	o := &guichet.Order{ID: a.newUUID(), Protocol: protocol, Reference: orderID, Amount: amount, Request: c.body, Content: content}
	if err := a.svc.StartRecurring(c.ctx, c.shop, o, token, r); err != nil {
		return nil, subscriptionFailure(err)
	}
	c.reference = orderID
	return v4.SubscriptionCreated{ShopID: c.acct.ShopID, OrderID: strOrNil(orderID), PaymentMethodToken: token,
		SubscriptionID: o.ID}, nil
}

// subscriptionFailure maps the core's refusals of recurring payments.
func subscriptionFailure(err error) *failure {
	switch guichet.ErrorReason(err) {
	case guichet.ReasonSchedule:
		return fail("INT_069", err.Error())
	case guichet.ReasonTokenMissing:
		return fail("PSP_030")
	case guichet.ReasonTokenCancelled:
		return fail("PSP_607")
	case guichet.ReasonState:
		return fail("PSP_033")
	}
	return asFailure(err, opAny)
}

// loadSubscription finds the subscription a call names, by its id and its
// token.
func (a *API) loadSubscription(c *call) (*guichet.Order, error) {
	id, err := c.req.str("subscriptionId", "INT_897", 64)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, fail("INT_897", "subscriptionId is required")
	}
	token, err := a.paymentMethodToken(c)
	if err != nil {
		return nil, err
	}
	c.reference = id
	o, err := a.svc.Order(c.ctx, c.shop, id)
	if err != nil || o.Protocol != protocol || o.Content.Extra(extraSubscription) == "" {
		return nil, fail("PSP_032")
	}
	if o.Content.Extra("paymentMethodToken") != token {
		return nil, fail("PSP_030", "the subscription does not charge this token")
	}
	return o, nil
}

// subscriptionGet describes a subscription.
func (a *API) subscriptionGet(c *call) (any, error) {
	o, err := a.loadSubscription(c)
	if err != nil {
		return nil, err
	}
	x := &o.Content
	effect, _ := v4.ParseTime(x.Extra("effectDate"))
	rule := x.Extra("rrule")
	r, _ := parseRRule(rule, effect.In(a.svc.Paris()))
	charged, err := a.svc.Transactions(c.ctx, guichet.TransactionFilter{ShopID: c.shop.ID, OrderID: o.ID, Limit: 10000})
	if err != nil {
		return nil, err
	}
	sub := v4.Subscription{SubscriptionID: o.ID, ShopID: c.acct.ShopID, PaymentMethodToken: x.Extra("paymentMethodToken"),
		OrderID: strOrNil(o.Reference), Metadata: metadata(o), EffectDate: v4.Time{Time: effect},
		Amount: o.Amount.Amount, Currency: o.Amount.Currency, PastPaymentsNumber: len(charged), Rrule: rule,
		Description: strOrNil(x.Extra("description"))}
	if o.Status == guichet.OrderCancelled {
		sub.CancelDate = &v4.Time{Time: o.UpdatedAt}
	}
	if n, err := strconv.ParseInt(x.Extra("initialAmount"), 10, 64); err == nil {
		sub.InitialAmount = &n
	}
	if n, err := strconv.Atoi(x.Extra("initialAmountNumber")); err == nil {
		sub.InitialAmountNumber = &n
	}
	if r.Count > 0 || !r.Until.IsZero() {
		total := 0
		for k := 1; k <= 10000; k++ {
			if _, _, ok := r.Occurrence(k); !ok {
				break
			}
			total++
		}
		sub.TotalPaymentsNumber = &total
	}
	return sub, nil
}

// subscriptionUpdate changes the amount, rule, start or content of a
// running subscription.
func (a *API) subscriptionUpdate(c *call) (any, error) {
	o, err := a.loadSubscription(c)
	if err != nil {
		return nil, err
	}
	token := o.Content.Extra("paymentMethodToken")
	if !c.req.has("effectDate") {
		c.req.fields["effectDate"] = []byte(`"` + o.Content.Extra("effectDate") + `"`)
	}
	if !c.req.has("rrule") {
		c.req.fields["rrule"], _ = marshalString(o.Content.Extra("rrule"))
	}
	r, amount, err := a.subscriptionRequest(c, false)
	if err != nil {
		return nil, err
	}
	if amount.Currency != o.Amount.Currency {
		return nil, fail("INT_010", "a subscription keeps its currency")
	}
	rule, _ := c.req.str("rrule", "INT_064", 255)
	effect, _, _ := parseTime(c.req, "effectDate", "INT_069")
	content, err := subscriptionContent(c, token, rule, effect, r)
	if err != nil {
		return nil, err
	}
	if !c.req.has("metadata") {
		content.Metadata = o.Content.Metadata
	}
	if err := a.svc.UpdateRecurring(c.ctx, c.shop, o.ID, token, r, &content); err != nil {
		return nil, subscriptionFailure(err)
	}
	return v4.ResponseCodeAnswer{ResponseCode: 0}, nil
}

// subscriptionCancel stops a subscription.
func (a *API) subscriptionCancel(c *call) (any, error) {
	o, err := a.loadSubscription(c)
	if err != nil {
		return nil, err
	}
	if err := a.svc.CancelRecurring(c.ctx, c.shop, o.ID); err != nil {
		return nil, subscriptionFailure(err)
	}
	return v4.ResponseCodeAnswer{ResponseCode: 0}, nil
}
