package smoney

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"guichet"
	"guichet/internal/core"
)

// Changing one instalment of a schedule (spec §1 and §8): PUT
// payins/cardpayments/{orderId}/{sequenceNumber}, whose body is a
// CardPayment as the official PHP client sends it. Of its properties the
// instalment's are read, matched without regard to case:
//
//	{"Amount": 1100, "Fee": 10, "Date": "2027-01-05"}   move or re-price it
//	{"Status": 5}                                        cancel it
//
// Date may also be written PaymentDate, the CardPayment's own name for a
// date. Other properties are ignored, as on creation, since a client may
// post a whole CardPayment. The answer is the card payment, its
// PaymentSchedule showing the change.

// instalmentChange is a validated PUT body.
type instalmentChange struct {
	cancel bool
	// amount and fee are nil when not sent; date is zero when not sent,
	// else the civil date asked (at midnight UTC).
	amount, fee *int64
	date        time.Time
}

// instalmentStatuses are the Status values a PUT may ask: 0 (the
// instalment stays waiting, with what else the body changes) and 5
// (cancelled).
var instalmentStatuses = []string{strconv.Itoa(statusWaiting), strconv.Itoa(statusCancelled)}

// readInstalmentChange reads a PUT body. A date without an offset is on
// the platform's clock (paris), and only its day counts: an instalment is
// charged at the start of its day.
func readInstalmentChange(body []byte, paris *time.Location) (*instalmentChange, *apiError) {
	m, e := decodeBody(body)
	if e != nil {
		return nil, e
	}
	o := object{m: m}
	ch := &instalmentChange{}
	status, hasStatus, e := o.integer("Status", 32)
	if e != nil {
		return nil, e
	}
	switch {
	case !hasStatus || status == statusWaiting:
	case status == statusCancelled:
		ch.cancel = true
		return ch, nil
	default:
		return nil, notInList(o.name("Status"), strconv.FormatInt(status, 10), instalmentStatuses)
	}
	amount, hasAmount, e := o.integer("Amount", 63)
	switch {
	case e != nil:
		return nil, e
	case hasAmount && amount <= 0:
		return nil, badRequest(codeMissingParameter, "Amount", "must be greater than 0")
	case hasAmount:
		ch.amount = &amount
	}
	if _, hasFee := o.value("Fee"); hasFee {
		fee, e := readFee(o)
		if e != nil {
			return nil, e
		}
		ch.fee = &fee
	}
	for _, name := range []string{"Date", "PaymentDate"} {
		s, has, e := o.str(name)
		if e != nil {
			return nil, e
		}
		if !has {
			continue
		}
		t, ok := parseDate(s, paris)
		if !ok {
			return nil, invalid(o.name(name), "must be a date, yyyy-MM-dd or ISO 8601")
		}
		y, mo, d := t.In(paris).Date()
		ch.date = time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
		break
	}
	if ch.amount == nil && ch.fee == nil && ch.date.IsZero() {
		return nil, badRequest(codeMissingParameter, "Amount", "nothing to change: send the instalment's Amount, Fee or Date, or Status 5 to cancel it")
	}
	return ch, nil
}

// updateInstalment moves, re-prices or cancels instalment seq of a
// payment's schedule. The core decides whether the instalment may still
// change and keeps the new plan; the payment's own record of the plan
// (its fees and what GET shows) changes with it, in the same unit of work.
func (a *API) updateInstalment(c *call, orderID string, seq int) any {
	o, f := a.order(c, orderID)
	if f != nil {
		return f
	}
	paris := a.svc.Paris()
	ch, e := readInstalmentChange(c.body, paris)
	if e != nil {
		return e
	}
	plan := dataOf(o).plan()
	switch {
	case len(plan) < 2:
		return failure(http.StatusBadRequest, 364, "the payment "+strconv.Quote(orderID)+" has no schedule")
	case seq > len(plan):
		return failure(http.StatusNotFound, 177, "the payment "+strconv.Quote(orderID)+" has no instalment "+strconv.Itoa(seq))
	}
	p := &plan[seq-1]
	req := core.InstalmentChange{OrderID: o.ID, Payment: seq, Cancel: ch.cancel, Limits: scheduleLimits, Seen: o.UpdatedAt}
	if ch.cancel {
		p.Cancelled = true
	}
	if ch.amount != nil {
		req.Amount, p.Amount = *ch.amount, *ch.amount
	}
	if ch.fee != nil {
		p.Fee = *ch.fee
	}
	if !ch.date.IsZero() {
		// The payment's record keeps the civil date at midnight UTC, as
		// createCardPayment plans its dates from the civil today.
		req.Date, p.Date = ch.date, ch.date
	}
	raw, err := json.Marshal(plan)
	if err != nil {
		return err
	}
	content := o.Content
	content.Extras = withExtra(o.Content.Extras, extraSchedule, string(raw))
	req.Content = &content
	got, err := a.svc.ChangeInstalment(c.ctx, c.shop, req)
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return failure(http.StatusNotFound, 177, "the payment "+strconv.Quote(orderID)+" has no instalment "+strconv.Itoa(seq))
	}
	if err != nil {
		return err
	}
	res, err := a.resource(c, got)
	if err != nil {
		return err
	}
	return shaped(res, c.version)
}

// withExtra is extras with the value of name replaced, or added; the
// slice given is not changed.
func withExtra(extras []guichet.Field, name, value string) []guichet.Field {
	out := make([]guichet.Field, 0, len(extras)+1)
	found := false
	for _, f := range extras {
		if f.Name == name {
			f.Value, found = value, true
		}
		out = append(out, f)
	}
	if !found {
		out = append(out, guichet.Field{Name: name, Value: value})
	}
	return out
}

// pairInstalments pairs each instalment of a plan with the transaction
// that charged it, nil when none did (yet): the order's transactions,
// oldest first, charged the instalments in their order, cancelled ones
// aside.
func pairInstalments(plan []planned, txs []guichet.Transaction) []*guichet.Transaction {
	out := make([]*guichet.Transaction, len(plan))
	next := 0
	for i, p := range plan {
		if p.Cancelled || next >= len(txs) {
			continue
		}
		out[i] = &txs[next]
		next++
	}
	return out
}
