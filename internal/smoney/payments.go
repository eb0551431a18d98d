package smoney

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A payment to several recipients (spec §3 and §8, API v2 and later):
// Payments lists sub-payments, each with its own OrderId, Beneficiary,
// Amount, Fee and Message, whose amounts add up to the payment's Amount.
// The payer pays the whole Amount once on the page; each sub-payment
// shows the payment's outcome, and is read on its own at
// payins/cardpayments/{orderId}/payments/{subOrderId}.

// maxSubPayments bounds Payments, which S-money does not document: more
// recipients than this in one card payment is no real order.
const maxSubPayments = 100

// subPaymentRequest is one sub-payment as the merchant sent it.
type subPaymentRequest struct {
	OrderId     string
	Beneficiary beneficiary
	Amount      int64
	Fee         int64
	Message     string
}

// subPayment is a sub-payment as the API shows it.
type subPayment struct {
	Id          int64        `json:"Id"`
	OrderId     string       `json:"OrderId"`
	Beneficiary *beneficiary `json:"Beneficiary"`
	Amount      int64        `json:"Amount"`
	Fee         int64        `json:"Fee"`
	Message     string       `json:"Message"`
	Status      int          `json:"Status"`
	ErrorCode   int          `json:"ErrorCode"`
}

// readPayments reads Payments: absent, null or empty is a payment to its
// one Beneficiary. Each sub-payment needs an OrderId of its own (neither
// the payment's nor another sub-payment's), a beneficiary and an amount
// above 0; their amounts add up to the payment's Amount, and a payment in
// several instalments has no sub-payments.
func readPayments(o object, r *cardPaymentRequest) *apiError {
	const name = "Payments"
	v, ok := o.value(name)
	if !ok {
		return nil
	}
	list, isList := v.([]any)
	switch {
	case !isList:
		return invalid(name, "must be a list of payments, not %s", jsonType(v))
	case len(list) == 0:
		return nil
	case len(list) > maxSubPayments:
		return invalid(name, "at most %d payments", maxSubPayments)
	case r.PaymentSchedule != nil:
		return invalid(name, "a payment in several instalments cannot also be split between recipients")
	}
	seen := map[string]bool{strings.ToLower(r.OrderId): true}
	var total int64
	for i, raw := range list {
		path := name + "[" + strconv.Itoa(i) + "]"
		m, ok := raw.(map[string]any)
		if !ok {
			return invalid(path, "must be an object, not %s", jsonType(raw))
		}
		sub := object{m: m, path: path}
		var p subPaymentRequest
		var e *apiError
		if p.OrderId, e = sub.mandatoryStr("OrderId"); e != nil {
			return e
		}
		switch {
		case utf8.RuneCountInString(p.OrderId) > maxOrderIDLength:
			return invalid(sub.name("OrderId"), "at most %d characters", maxOrderIDLength)
		case strings.IndexFunc(p.OrderId, func(c rune) bool { return !unicode.IsGraphic(c) }) >= 0:
			return invalid(sub.name("OrderId"), "only printable characters are allowed")
		case seen[strings.ToLower(p.OrderId)]:
			return invalid(sub.name("OrderId"), "%s is the OrderId of the payment or of another of its payments", quote(p.OrderId))
		}
		seen[strings.ToLower(p.OrderId)] = true
		b, _, e := sub.child("Beneficiary")
		if e != nil {
			return e
		}
		id, has, e := b.str("AppAccountId")
		if e != nil {
			return e
		}
		if !has || strings.TrimSpace(id) == "" {
			return badRequest(codeNoBeneficiary, sub.name("Beneficiary")+".AppAccountId", "missing")
		}
		p.Beneficiary.AppAccountId = id
		amount, has, e := sub.integer("Amount", 63)
		switch {
		case e != nil:
			return e
		case !has:
			return missing(sub.name("Amount"))
		case amount <= 0:
			return badRequest(codeMissingParameter, sub.name("Amount"), "must be greater than 0")
		case amount > r.Amount-total:
			return invalid(name, "the payments' amounts add up to more than the payment's Amount %d", r.Amount)
		}
		p.Amount, total = amount, total+amount
		if p.Fee, e = readFee(sub); e != nil {
			return e
		}
		if p.Message, _, e = sub.str("Message"); e != nil {
			return e
		}
		r.Payments = append(r.Payments, p)
	}
	if total != r.Amount {
		return invalid(name, "the payments' amounts add up to %d, not the payment's Amount %d", total, r.Amount)
	}
	return nil
}

// subPayments are the sub-payments of a payment's resource: each its
// own, with the payment's outcome.
func subPayments(res *cardPayment, r *cardPaymentRequest, key, base string) []subPayment {
	var out []subPayment
	for _, p := range r.Payments {
		b := p.Beneficiary
		b.Id, b.DisplayName, b.Href = paymentID("account\x00"+b.AppAccountId), b.AppAccountId, base+"/users/"+url.PathEscape(b.AppAccountId)
		out = append(out, subPayment{Id: paymentID(key + "\x00" + p.OrderId), OrderId: p.OrderId, Beneficiary: &b, Amount: p.Amount,
			Fee: p.Fee, Message: p.Message, Status: res.Status, ErrorCode: res.ErrorCode})
	}
	return out
}

// getSubPayment reads one sub-payment as a card payment: its own Id,
// OrderId, Beneficiary, Amount, Fee and Message, and the payment's
// outcome, card and results.
func (a *API) getSubPayment(c *call, orderID, subOrderID string) any {
	o, f := a.order(c, orderID)
	if f != nil {
		return f
	}
	res, err := a.resource(c, o)
	if err != nil {
		return err
	}
	for _, p := range res.Payments {
		if strings.EqualFold(p.OrderId, subOrderID) {
			sub := res
			sub.Payments = nil
			sub.Id, sub.OrderId, sub.Beneficiary, sub.Amount, sub.Fee, sub.Message = p.Id, p.OrderId, p.Beneficiary, p.Amount, p.Fee, p.Message
			return shaped(sub, c.version)
		}
	}
	return failure(http.StatusNotFound, 177, "the payment "+strconv.Quote(orderID)+" has no payment "+strconv.Quote(subOrderID))
}

// checkVersionForPayments refuses sub-payments in API v1, whose
// CardPayment has a single beneficiary (spec §2: v2 is needed for
// multi-recipient payments).
func checkVersionForPayments(r *cardPaymentRequest, version int) *apiFailure {
	if len(r.Payments) > 0 && version < 2 {
		return failure(http.StatusBadRequest, 178, "Payments: a payment to several recipients needs API v2 or v3 (Accept: application/vnd.s-money.v2+json)")
	}
	return nil
}
