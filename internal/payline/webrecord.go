package payline

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"strconv"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/payline/soap"
)

// This file runs web payments in several times: a doWebPayment whose mode
// is NX (instalments) or REC (subscription), with its recurring object.
// The buyer's card is checked on the page and kept as a wallet (the
// buyer's walletId, or one guichet names); a payment record then charges
// the instalments on the clock, the first at once, as
// doRecurrentWalletPayment's do. getWebPaymentDetails gives the record's
// paymentRecordId and billing records, and getPaymentRecord reads it as
// any other.

// extraPlan is the extra in which a web payment in several times keeps
// its record until the buyer pays (JSON).
const extraPlan = "plannedRecord"

// planOf is the record a web payment in several times plans, nil for a
// payment at once.
func planOf(o *guichet.Order) *record {
	raw := o.Content.Extra(extraPlan)
	if raw == "" {
		return nil
	}
	var rec record
	if json.Unmarshal([]byte(raw), &rec) != nil {
		return nil
	}
	return &rec
}

// readPlan reads the recurring object of a doWebPayment in several
// times: the record's first instalment is the one the buyer pays on the
// page, today.
func (a *API) readPlan(c *call, r *soap.DoWebPaymentRequest, p payment) (*record, error) {
	today := a.svc.Today(c.shop)
	rec, err := readRecurring(r.Recurring, p.mode, p.money.Amount, today)
	if err != nil {
		return nil, err
	}
	if date, _, ok := rec.occurrence(1); !ok || !date.Equal(today) {
		return nil, invalidField("recurring.startDate")
	}
	rec.WalletID = buyerWallet(r.Buyer)
	if rec.WalletID == "" {
		rec.WalletID = newWalletID()
	}
	if rec.WalletID, err = readWalletID("buyer.walletId", rec.WalletID); err != nil {
		return nil, err
	}
	return rec, nil
}

// recordIDOf is the paymentRecordId of a web session's record, drawn from
// its token: twelve digits that fail the Luhn check, as newRecordID's.
func recordIDOf(token string) string {
	sum := sha256.Sum256([]byte(token))
	n := binary.BigEndian.Uint64(sum[:8]) % 9e10
	body := strconv.FormatUint(1e10+n, 10)
	return body + strconv.Itoa((luhnDigit(body)+1)%10)
}

// payPlan pays a web session in several times: the card is checked and
// kept as the record's wallet, then the record starts and charges its
// first instalment. It returns the transaction the ticket shows: the
// first instalment's, or the refused check's.
func (a *API) payPlan(ctx context.Context, ss *session, rec *record, req core.PayRequest) (*guichet.Order, *guichet.Transaction, error) {
	req.SaveAs, req.Amount = rec.WalletID, 0
	o, t, _, err := a.svc.PayOrder(ctx, req)
	if err != nil || t.Status == guichet.StatusRefused {
		return o, t, err
	}
	rec.ID = recordIDOf(o.ID)
	total := guichet.Money{Amount: rec.recurrence().Amount, Currency: o.Amount.Currency}
	c := o.Content
	c.Extras = nil
	extras := []guichet.Field{{Name: extraContract, Value: o.Method},
		{Name: extraNotificationURL, Value: o.Content.Extra(extraNotificationURL)}}
	if _, err := a.startRecord(ctx, ss.shop, rec, o.Reference, total, o.Request, c, extras...); err != nil {
		return o, nil, err
	}
	list, err := a.svc.Transactions(ctx, guichet.TransactionFilter{ShopID: ss.shop.ID, OrderID: recordPrefix + rec.ID, Limit: 1})
	if err != nil || len(list) == 0 {
		// The first instalment waits for the worker: the check stands
		// for it until then.
		return o, t, err
	}
	return o, &list[0], nil
}

// planDetails adds a web payment in several times' record to its details:
// the record's identifier and billing records, and its first instalment
// as the payment.
func (a *API) planDetails(c *call, o *guichet.Order, out *soap.GetWebPaymentDetailsResponse) (*guichet.Transaction, error) {
	rec := planOf(o)
	if rec == nil {
		return nil, nil
	}
	ro, err := a.svc.Order(c.ctx, c.shop, recordPrefix+recordIDOf(o.ID))
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if rec = recordOf(ro); rec == nil {
		return nil, nil
	}
	l, err := a.ledger(c, ro, rec)
	if err != nil {
		return nil, err
	}
	out.PaymentRecordID = rec.ID
	out.BillingRecordList = &soap.BillingRecordList{BillingRecord: l.list(layoutDetails)}
	if l.done() == 0 {
		return nil, nil
	}
	return &l.paid[0], nil
}
