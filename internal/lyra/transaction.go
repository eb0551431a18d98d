package lyra

import (
	"strings"

	"guichet"
	"guichet/internal/core"
	v4 "guichet/internal/lyra/v4"
)

// found is a transaction a call names by its uuid, with what its answer
// shows.
type found struct {
	view
	// status and detailed are its state at the shop's time.
	status, detailed string
}

// load finds the transaction of a call's uuid: a debit, or a refund
// shown as a transaction of its own.
func (a *API) load(c *call) (*found, error) {
	uuid, err := c.req.str("uuid", "INT_902", 64)
	if err != nil {
		return nil, err
	}
	if uuid == "" {
		return nil, fail("INT_902", "uuid is required")
	}
	c.reference = uuid
	t, o, tok, err := a.svc.TransactionByRef(c.ctx, c.shop, protocol, strings.ToLower(uuid))
	if err != nil {
		return nil, asFailure(err, opAny)
	}
	f := &found{view: view{t: t, order: o, token: visibleToken(tok), sequence: 1}}
	if op := t.OperationByRef(protocol, strings.ToLower(uuid)); op != nil && op.Kind == guichet.OpRefund {
		f.refund = op
	}
	f.status, f.detailed = a.presenter(c.shop, c.acct).status(&f.view)
	return f, nil
}

// answer is the V4/Transaction of a view, as the shop sees it now.
func (a *API) answer(c *call, v *view) v4.Transaction {
	return a.presenter(c.shop, c.acct).transaction(v)
}

// transactionGet answers one transaction.
func (a *API) transactionGet(c *call) (any, error) {
	f, err := a.load(c)
	if err != nil {
		return nil, err
	}
	return a.answer(c, &f.view), nil
}

// money reads the amount and currency of an operation, the transaction's
// remaining amount and currency when they are missing.
func (a *API) money(c *call, f *found, remaining int64) (guichet.Money, error) {
	m := guichet.Money{Amount: remaining, Currency: f.t.Currency}
	amount, ok, err := c.req.integer("amount", "INT_009")
	switch {
	case err != nil:
		return m, err
	case ok && amount <= 0:
		return m, fail("INT_009", "amount must be positive")
	case ok:
		m.Amount = amount
	}
	cur, err := c.req.str("currency", "INT_010", 0)
	switch {
	case err != nil:
		return m, err
	case cur != "" && cur != f.t.Currency:
		return m, fail("INT_010", "the transaction is in "+f.t.Currency)
	}
	if _, err := c.req.str("comment", "INT_898", 255); err != nil {
		return m, err
	}
	return m, nil
}

// The resolution modes of Transaction/CancelOrRefund.
const (
	resolveAuto         = "AUTO"
	resolveCancellation = "CANCELLATION_ONLY"
	resolveRefund       = "REFUND_ONLY"
)

// cancelOrRefund cancels a transaction not captured yet, or refunds a
// captured one (spec §2.3), as a plugin's refund button does.
func (a *API) cancelOrRefund(c *call) (any, error) {
	f, err := a.load(c)
	if err != nil {
		return nil, err
	}
	mode, err := c.req.str("resolutionMode", "INT_902", 0)
	if err != nil {
		return nil, err
	}
	switch mode {
	case "":
		mode = resolveAuto
	case resolveAuto, resolveCancellation, resolveRefund:
	default:
		return nil, fail("INT_902", "resolutionMode must be AUTO, CANCELLATION_ONLY or REFUND_ONLY")
	}
	if f.detailed == "CAPTURED" {
		if mode == resolveCancellation {
			return nil, fail("PSP_075")
		}
		return a.refundFound(c, f)
	}
	if mode == resolveRefund {
		return nil, fail("PSP_076")
	}
	return a.cancelFound(c, f)
}

// cancel cancels a transaction not captured yet.
func (a *API) cancel(c *call) (any, error) {
	f, err := a.load(c)
	if err != nil {
		return nil, err
	}
	if f.detailed == "CAPTURED" {
		return nil, fail("PSP_075")
	}
	return a.cancelFound(c, f)
}

// refund refunds a captured transaction, in part or in full, with a new
// CREDIT transaction.
func (a *API) refund(c *call) (any, error) {
	f, err := a.load(c)
	if err != nil {
		return nil, err
	}
	if f.detailed != "CAPTURED" && f.refund == nil && f.detailed != "CANCELLED" {
		return nil, fail("PSP_076")
	}
	return a.refundFound(c, f)
}

// notCaptured reports whether a detailedStatus is one of a payment not
// captured yet, which may be cancelled or updated.
func notCaptured(detailed string) bool {
	switch detailed {
	case "AUTHORISED", "AUTHORISED_TO_VALIDATE", "WAITING_AUTHORISATION", "WAITING_AUTHORISATION_TO_VALIDATE":
		return true
	}
	return false
}

// cancelFound cancels the whole transaction, or lowers its amount when the
// amount sent is less: Lyra cancels part of a payment not yet captured by
// lowering it.
func (a *API) cancelFound(c *call, f *found) (any, error) {
	switch {
	case f.refund != nil:
		return nil, fail("PSP_102", "a refund cannot be cancelled")
	case f.detailed == "CANCELLED":
		return nil, fail("PSP_105")
	case !notCaptured(f.detailed):
		return nil, fail("PSP_102", "the transaction is "+f.detailed)
	}
	m, err := a.money(c, f, f.t.Amount)
	if err != nil {
		return nil, err
	}
	kind := guichet.OpCancel
	switch {
	case m.Amount > f.t.Amount:
		return nil, fail("PSP_546")
	case m.Amount < f.t.Amount:
		kind = guichet.OpUpdateAmount
	}
	t, _, err := a.svc.Operate(c.ctx, core.OperationRequest{Shop: c.shop, Kind: kind, Amount: m,
		Front: protocol, TransactionRef: f.uuid()})
	if err != nil {
		return nil, asFailure(err, opCancel)
	}
	f.t = t
	return a.answer(c, &f.view), nil
}

// refundFound refunds the debit the call names: the answer is the new
// CREDIT transaction.
func (a *API) refundFound(c *call, f *found) (any, error) {
	switch {
	case f.refund != nil:
		return nil, fail("PSP_101", "a refund cannot be refunded")
	case f.t.Status == guichet.StatusRefunded:
		return nil, fail("PSP_104")
	case f.detailed != "CAPTURED":
		return nil, fail("PSP_076")
	}
	remaining := f.t.Captured - f.t.Refunded
	m, err := a.money(c, f, remaining)
	if err != nil {
		return nil, err
	}
	switch {
	case m.Amount > f.t.Captured:
		return nil, fail("PSP_510")
	case m.Amount > remaining:
		return nil, fail("PSP_511")
	}
	ref := a.newUUID()
	t, op, err := a.svc.Operate(c.ctx, core.OperationRequest{Shop: c.shop, Kind: guichet.OpRefund, Amount: m,
		Front: protocol, TransactionRef: f.uuid(), Ref: ref})
	if err != nil {
		return nil, asFailure(err, opRefund)
	}
	credit := view{t: t, refund: op, order: f.order, token: f.token, sequence: 1}
	return a.answer(c, &credit), nil
}

// validate captures a payment left to the merchant's validation: it goes
// with the batch of its expected capture date.
func (a *API) validate(c *call) (any, error) {
	f, err := a.load(c)
	if err != nil {
		return nil, err
	}
	if _, err := c.req.str("comment", "INT_898", 255); err != nil {
		return nil, err
	}
	return a.validateFound(c, f)
}

func (a *API) validateFound(c *call, f *found) (any, error) {
	if f.detailed == "WAITING_AUTHORISATION_TO_VALIDATE" && f.refund == nil {
		// Validated before its authorization: it is captured once
		// authorized.
		t, err := a.svc.ValidateWaiting(c.ctx, c.shop, protocol, f.uuid())
		if err != nil {
			return nil, asFailure(err, opValidate)
		}
		f.t = t
		return a.answer(c, &f.view), nil
	}
	if f.detailed != "AUTHORISED_TO_VALIDATE" || f.refund != nil {
		return nil, fail("PSP_011", "only a transaction AUTHORISED_TO_VALIDATE can be validated; this one is "+f.detailed)
	}
	t, _, err := a.svc.Operate(c.ctx, core.OperationRequest{Shop: c.shop, Kind: guichet.OpCapture, Amount: f.t.Money(),
		Front: protocol, TransactionRef: f.uuid()})
	if err != nil {
		return nil, asFailure(err, opValidate)
	}
	f.t = t
	return a.answer(c, &f.view), nil
}

// update changes a payment not captured yet: a lower amount, or its
// validation (manualValidation NO).
func (a *API) update(c *call) (any, error) {
	f, err := a.load(c)
	if err != nil {
		return nil, err
	}
	if _, err := c.req.str("comment", "INT_898", 255); err != nil {
		return nil, err
	}
	u, err := c.req.object("cardUpdate", "INT_902")
	if err != nil {
		return nil, err
	}
	if f.refund != nil || !notCaptured(f.detailed) {
		return nil, fail("PSP_110", "the transaction is "+f.detailed)
	}
	var manual string
	if err := u.rule(rule{"manualValidation", "INT_005", 0, oneOf("YES", "NO")}, &manual); err != nil {
		return nil, err
	}
	amount, hasAmount, err := u.integer("amount", "INT_009")
	if err != nil {
		return nil, err
	}
	cur, err := u.str("currency", "INT_010", 0)
	if err != nil {
		return nil, err
	}
	if cur != "" && cur != f.t.Currency {
		return nil, fail("PSP_545")
	}
	changed := false
	if hasAmount && amount != f.t.Amount {
		switch {
		case amount <= 0:
			return nil, fail("INT_009", "cardUpdate.amount must be positive")
		case amount > f.t.Amount:
			return nil, fail("PSP_546")
		}
		t, _, err := a.svc.Operate(c.ctx, core.OperationRequest{Shop: c.shop, Kind: guichet.OpUpdateAmount,
			Amount: guichet.Money{Amount: amount, Currency: f.t.Currency}, Front: protocol, TransactionRef: f.uuid()})
		if err != nil {
			return nil, asFailure(err, opUpdate)
		}
		f.t, changed = t, true
	}
	if date, ok, err := parseTime(u, "expectedCaptureDate", "INT_006"); err != nil {
		return nil, err
	} else if ok && !date.Equal(f.t.CaptureBy) {
		t, err := a.svc.RescheduleCapture(c.ctx, c.shop, protocol, f.uuid(), date)
		switch {
		case guichet.ErrorReason(err) == guichet.ReasonExpired && guichet.ErrorCode(err) == guichet.CodeInvalid:
			return nil, fail("PSP_547", err.Error())
		case err != nil:
			return nil, asFailure(err, opUpdate)
		}
		f.t, changed = t, true
	}
	switch {
	case manual == "NO" && strings.HasSuffix(f.detailed, "_TO_VALIDATE"):
		return a.validateFound(c, f)
	case manual == "YES" && f.detailed == "AUTHORISED":
		// Only YES to NO is a change the platform takes.
		return nil, fail("PSP_110", "a validated transaction cannot go back to manual validation")
	case !changed:
		return nil, fail("PSP_014")
	}
	return a.answer(c, &f.view), nil
}

// orderGet lists the transactions of a merchant's order reference, its
// refunds included, at most 30 (PSP_015 beyond).
func (a *API) orderGet(c *call) (any, error) {
	orderID, err := c.req.str("orderId", "INT_013", 64)
	if err != nil {
		return nil, err
	}
	if orderID == "" {
		return nil, fail("INT_013", "orderId is required")
	}
	c.reference = orderID
	var kind string
	if err := c.req.rule(rule{"operationType", "INT_902", 0, oneOf(opDebit, opCredit, opVerification)}, &kind); err != nil {
		return nil, err
	}
	list, err := a.svc.OrderTransactions(c.ctx, c.shop, orderID)
	if err != nil {
		return nil, err
	}
	pr := a.presenter(c.shop, c.acct)
	out := v4.OrderTransactions{OrderID: orderID, ShopID: c.acct.ShopID}
	// Oldest first, each debit followed by its refunds.
	for i := len(list) - 1; i >= 0; i-- {
		r := list[i]
		views := []*view{{t: r.Transaction, order: r.Order, token: visibleToken(r.Token), sequence: 1}}
		for j := range r.Transaction.Operations {
			if op := &r.Transaction.Operations[j]; op.Kind == guichet.OpRefund && op.Approved {
				views = append(views, &view{t: r.Transaction, refund: op, order: r.Order, token: visibleToken(r.Token), sequence: 1})
			}
		}
		for _, v := range views {
			if kind == "" || v.operationType() == kind {
				out.Transactions = append(out.Transactions, pr.transaction(v))
			}
		}
	}
	if len(out.Transactions) == 0 {
		return nil, fail("PSP_010")
	}
	if len(out.Transactions) > 30 {
		return nil, fail("PSP_015")
	}
	return out, nil
}

// duplicateFailure maps the refusal of a duplicate.
func duplicateFailure(err error, f *found) *failure {
	switch guichet.ErrorReason(err) {
	case guichet.ReasonState:
		return fail("PSP_016", "the transaction is "+f.detailed)
	case guichet.ReasonNotSupported:
		return fail("PSP_613", err.Error())
	}
	return asFailure(err, opPay)
}

// duplicate pays again with the card of a settled transaction: a new
// DEBIT of the amount asked, under an order of its own.
func (a *API) duplicate(c *call) (any, error) {
	f, err := a.load(c)
	if err != nil {
		return nil, err
	}
	if f.refund != nil {
		return nil, fail("PSP_016", "a refund cannot be duplicated")
	}
	amount, ok, err := c.req.integer("amount", "INT_009")
	switch {
	case err != nil:
		return nil, err
	case !ok || amount <= 0:
		return nil, fail("INT_009", "amount must be positive")
	}
	currency, err := parseCurrency(c.req, c.acct)
	if err != nil {
		return nil, err
	}
	if _, err := c.req.str("comment", "INT_898", 255); err != nil {
		return nil, err
	}
	p, err := parsePayment(c.req, c.acct, a.svc.Now(c.shop).In(a.svc.Paris()), false)
	if err != nil {
		return nil, err
	}
	p.amount = guichet.Money{Amount: amount, Currency: currency}
	p.formAction = actionSilent
	// The rule is asked first, so that a refused duplicate opens no
	// order.
	if err := a.svc.CanPayAgain(c.ctx, c.shop, f.t.ID); err != nil {
		return nil, duplicateFailure(err, f)
	}
	if p.orderID == "" {
		p.orderID = f.t.Reference
	}
	o := &guichet.Order{ID: newFormToken(), Protocol: protocol, Reference: p.orderID, Amount: p.amount, Request: c.body,
		MaxAttempts: 1, Content: p.content}
	o.Content.Extras = append(p.extras(), guichet.Field{Name: "duplicateOf", Value: f.uuid()})
	if o, err = a.svc.OpenOrder(c.ctx, c.shop, o); err != nil {
		return nil, err
	}
	res, err := a.pay(c.ctx, c.shop, c.acct, o, buyer{option: -1, cardOf: f.t.ID})
	if err != nil {
		// The order opened for the duplicate takes no payment any more.
		a.svc.CloseOrder(c.ctx, c.shop, o.ID, guichet.OrderCancelled)
		return nil, duplicateFailure(err, f)
	}
	v := view{t: res.t, order: res.order, sequence: 1}
	return a.answer(c, &v), nil
}
