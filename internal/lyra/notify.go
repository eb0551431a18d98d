package lyra

import (
	"encoding/json"
	"time"

	"guichet"
	"guichet/internal/core"
	v4 "guichet/internal/lyra/v4"
)

// ipnSources are the events of a Lyra order that its merchant hears of by
// IPN, with the kr-src each goes with: the end of every payment attempt
// (paid, refused, a card registered) and each later payment of an order
// paid in several times or by subscription. A payment captured by the
// evening batch is not notified, as on the platform.
var ipnSources = map[guichet.EventType]v4.Source{
	guichet.EventAuthorized: v4.SourcePay,
	guichet.EventRefused:    v4.SourcePay,
	guichet.EventVerified:   v4.SourcePay,
	guichet.EventDeferred:   v4.SourcePay,
	guichet.EventInstalment: v4.SourceBatchAuto,
	guichet.EventRenewal:    v4.SourceRec,
	guichet.EventRecurring:  v4.SourceRec,
}

// notifier writes the IPN of a change of a Lyra order, in the unit of
// work that makes it: a form POST of the V4/Payment signed with the
// shop's password of its mode.
func (a *API) notifier(n core.Notice) ([]guichet.Delivery, error) {
	o, t, e := n.Order, n.Transaction, n.Event
	src, ok := ipnSources[e.Type]
	if !ok {
		return nil, nil
	}
	// An instalment or a renewal also records "transaction.authorized":
	// one IPN per payment, the one that says which it is. The order names
	// its buyer's attempts; a later payment is not one of them.
	if src == v4.SourcePay && o.TransactionID != t.ID {
		return nil, nil
	}
	switch {
	case src == v4.SourcePay && e.Type != guichet.EventDeferred && t.First().Kind == guichet.OpVerify && t.Status != guichet.StatusVerified:
		// The authorization of a payment that waited for it, asked by
		// the batch.
		src = v4.SourceBatchAuto
	case src == v4.SourcePay && o.Content.Extra(extraPaymentOrder) != "":
		src = v4.SourcePaymentOrder
	}
	shop := n.Shop
	acct, ok, err := AccountOf(shop)
	if err != nil || !ok {
		return nil, err
	}
	url := o.Content.Extra("ipnTargetUrl")
	if url == "" {
		url = acct.IPNURL
	}
	if url == "" {
		return nil, nil
	}
	pr := a.presenter(shop, acct)
	v := &view{t: t, order: o, token: visibleToken(n.Token), sequence: 1}
	if src == v4.SourceBatchAuto {
		v.sequence = sequenceOf(e)
	}
	answer, err := v4.Marshal(pr.payment(o, []*view{v}))
	if err != nil {
		return nil, err
	}
	signed := v4.Sign(v4.AnswerTypePayment, answer, v4.HashKeyPassword, acct.password(shop.Mode))
	body := func(src v4.Source) []byte {
		signed.Source = src
		return []byte(signed.Encode())
	}
	return []guichet.Delivery{{Method: "POST", URL: url, ContentType: "application/x-www-form-urlencoded",
		Body: body(src), RetryBody: body(v4.SourceRetry), ResendBody: body(v4.SourceBO), SuccessCodes: ipnSuccess,
		RetryMarks: 15 * time.Minute, MaxAttempts: ipnAttempts}}, nil
}

// ipnAttempts is how many times an IPN is sent at most: once, then four
// automatic retries at the next quarter-hours (hh:00, :15, :30, :45).
const ipnAttempts = 5

// ipnSuccess are the answers of a merchant's server that acknowledge an
// IPN; any other is a failure, retried.
var ipnSuccess = []int{200, 201, 202, 203, 204, 205, 206, 301, 302}

// sequenceOf is the rank of an instalment among its order's payments.
func sequenceOf(e guichet.Event) int {
	var ie core.InstalmentEvent
	if json.Unmarshal(e.Data, &ie) != nil || ie.Payment < 1 {
		return 1
	}
	return ie.Payment
}
