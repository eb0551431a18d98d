package smoney

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"guichet"
	"guichet/internal/core"
)

// refund refunds part or all of a completed card payment (spec §9), or of
// one instalment of its schedule (seq, from 1; 0 for the payment's first
// payment): a refund operation of its own (Type 1) named by a fresh
// OrderId. A refund of a whole payment whose funds were not sent yet
// cancels it instead, and the payment shows refunded (Status 2).
func (a *API) refund(c *call, orderID string, seq int) any {
	o, f := a.order(c, orderID)
	if f != nil {
		return f
	}
	m, e := decodeBody(c.body)
	if e != nil {
		return e
	}
	body := object{m: m}
	refundID, e := body.mandatoryStr("OrderId")
	if e != nil {
		return e
	}
	amount, _, e := body.integer("Amount", 63)
	if e != nil {
		return e
	}
	fee, _, e := body.integer("Fee", 63)
	if e != nil {
		return e
	}
	if amount <= 0 {
		return failure(http.StatusBadRequest, 704, "Amount: a refund moves a positive amount")
	}
	if fee < 0 {
		return failure(http.StatusBadRequest, 178, "Fee: must not be negative")
	}
	ref := opRef(c.shop, refundID)
	if _, _, _, err := a.svc.TransactionByRef(c.ctx, c.shop, protocol, ref); err == nil {
		return failure(http.StatusBadRequest, 364, "OrderId "+strconv.Quote(refundID)+" names a refund already")
	} else if guichet.ErrorCode(err) != guichet.CodeNotFound {
		return err
	}
	t, f := a.refunded(c, o, seq)
	if f != nil {
		return f
	}
	switch {
	case t.Status == guichet.StatusCancelled || t.Status == guichet.StatusRefunded:
		return failure(http.StatusBadRequest, 708, "the payment was refunded in full already")
	case t.Status != guichet.StatusCaptured:
		return failure(http.StatusBadRequest, 364, "only a completed payment may be refunded")
	case amount > t.Captured-t.Refunded:
		return failure(http.StatusBadRequest, 706, "the refunds would exceed the payment's amount")
	}
	now := c.now(a.svc)
	kind := guichet.OpRefund
	if amount == t.Amount && t.Refunded == 0 && now.Before(t.RemitAt) {
		// Before its funds are sent, a payment refunded in full is
		// cancelled.
		kind = guichet.OpCancel
	}
	_, op, err := a.svc.Operate(c.ctx, core.OperationRequest{Shop: c.shop, Kind: kind, Front: protocol, TransactionRef: t.First().Ref,
		Amount: guichet.Money{Amount: amount}, Ref: ref})
	if err != nil {
		return err
	}
	res := cardPayment{Id: op.Number, OrderId: refundID, Amount: amount, Fee: fee, Status: statusCompleted, Type: typeRefund,
		PaymentDate: isoDate(op.CreatedAt, a.svc.Paris()), AvailableCards: "", Href: c.base + "/payins/cardpayments/" + o.Reference}
	if !op.Approved {
		res.Status = statusRefused
		res.ErrorCode = errorClass(execOf(op.Code))
	}
	return created{shaped(res, c.version)}
}

// refunded is the transaction a refund is for: the payment's first
// payment, or instalment seq of its schedule.
func (a *API) refunded(c *call, o *guichet.Order, seq int) (*guichet.Transaction, *apiFailure) {
	txs, err := a.svc.Transactions(c.ctx, guichet.TransactionFilter{ShopID: c.shop.ID, OrderID: o.ID, Limit: 1000})
	if err != nil {
		a.log.Error("smoney: payment not read", "err", err)
		return nil, failure(http.StatusServiceUnavailable, 1, "technical error; try again")
	}
	var first *guichet.Transaction
	for i := range txs {
		if txs[i].ID == o.TransactionID {
			first = &txs[i]
		}
	}
	if first == nil {
		return nil, failure(http.StatusBadRequest, 364, "only a completed payment may be refunded")
	}
	if seq <= 1 {
		return first, nil
	}
	// Oldest first: the first payment, then the instalments.
	slices.SortFunc(txs, func(x, y guichet.Transaction) int { return cmp.Compare(x.Number, y.Number) })
	plan := dataOf(o).plan()
	if seq > len(plan) {
		return nil, failure(http.StatusBadRequest, 364, "instalment "+strconv.Itoa(seq)+" has not been paid")
	}
	if plan[seq-1].Cancelled {
		return nil, failure(http.StatusBadRequest, 364, "instalment "+strconv.Itoa(seq)+" was cancelled")
	}
	t := pairInstalments(plan, txs)[seq-1]
	if t == nil {
		return nil, failure(http.StatusBadRequest, 364, "instalment "+strconv.Itoa(seq)+" has not been paid")
	}
	return t, nil
}
