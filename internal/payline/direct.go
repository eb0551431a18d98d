package payline

import (
	"strings"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/payline/soap"
	"guichet/internal/sim"
)

// This file runs the direct payment service's operations on a card:
// authorizations, their capture, cancellation and refund, and the credits
// and debits that stand alone.

// directAttempts is how many payments an order opened by doAuthorization
// takes: one, as the operation answers at once.
const directAttempts = 1

// doAuthorization authorizes a card payment, captured at once (101) or
// later (100), or pays with Payconiq when the contract is Payconiq's. The
// payment is an order of the core, which keeps the request for
// getTransactionDetails.
func (a *API) doAuthorization(c *call) (soap.Message, error) {
	r := c.req.(*soap.DoAuthorizationRequest)
	now := a.svc.Now(c.shop)
	p, err := readPayment(r.Payment, now.In(a.svc.Paris()), actionAuthorize, actionAuthorizeCharge, actionVerify)
	if err != nil {
		return nil, err
	}
	if p.mode == modeNX || p.mode == modeRecurring {
		// Schedules are the wallet operations' (doScheduledWalletPayment,
		// doRecurrentWalletPayment).
		return nil, fail("02010")
	}
	if (p.action == actionVerify) != (p.money.Amount == 0) {
		return nil, invalidField("payment.amount")
	}
	o, err := readOrder(r.Order)
	if err != nil {
		return nil, err
	}
	c.reference = o.ref
	if err := readPrivateData(r.PrivateDataList); err != nil {
		return nil, err
	}
	if p.contract == "" {
		return nil, invalidFormat("payment.contractNumber", "missing")
	}
	k := c.acct.contract(p.contract)
	if k == nil {
		return nil, fail("02303")
	}
	var req core.PayRequest
	if k.Payconiq() {
		if p.action != actionAuthorizeCharge || p.mode != modeFull {
			return nil, invalidField("payment.action")
		}
		req = core.PayRequest{Shop: c.shop, Partner: sim.PartnerPayconiq, RefundBy: now.AddDate(0, 0, payconiqRefundDays)}
	} else {
		typed, err := readCard(r.Card, now)
		if err != nil {
			return nil, err
		}
		if b := sim.Brand(typed.PAN); b != guichet.BrandUnknown && !k.takes(b) && !k.takes(guichet.BrandCB) {
			return nil, fail("02303")
		}
		req = a.cardPayment(c.shop, "", r.Payment, typed)
		if r.Authentication3DSecure != nil && r.Authentication3DSecure.CAVV != "" {
			// The merchant authenticated the buyer itself.
			req.ThreeDS = sim.StatusAuthenticated
		}
	}
	// The order keeps the request without the card's number and code,
	// for getTransactionDetails to echo.
	request, err := kept(r)
	if err != nil {
		return nil, err
	}
	order := &guichet.Order{ID: a.svc.NewID("pld_"), Protocol: protocol, Reference: o.ref, Amount: p.money, Request: request,
		MaxAttempts: directAttempts, Content: content(r.Buyer, r.Order, r.PrivateDataList)}
	order.Content.Extras = []guichet.Field{{Name: extraContract, Value: k.Number}}
	if _, err := a.svc.OpenOrder(c.ctx, c.shop, order); err != nil {
		return nil, err
	}
	req.OrderID = order.ID
	_, t, _, err := a.svc.PayOrder(c.ctx, req)
	if err != nil {
		return nil, err
	}
	pr := presenter{paris: a.svc.Paris()}
	return &soap.DoAuthorizationResponse{Result: paymentResult(t).wire(), Transaction: pr.transaction(t, nil, layoutDirect),
		Authorization: pr.authorization(t, layoutDirect), Card: card(t.Card, strings.TrimSpace(cardholder(r.Card))),
		ExtendedCard: extendedCard(t.Card), PrivateDataList: r.PrivateDataList, ContractNumber: k.Number}, nil
}

// extraContract is the extra in which an order keeps the contract it was
// paid under.
const extraContract = "contractNumber"

func cardholder(c *soap.Card) string {
	if c == nil {
		return ""
	}
	return c.Cardholder
}

// transaction finds the shop's transaction holding the operation a
// transactionID names: fourteen digits (02301 otherwise), of this shop
// (02604 otherwise).
func (a *API) transaction(c *call, id string) (*guichet.Transaction, *guichet.Order, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, nil, invalidFormat("transactionID", "missing")
	}
	if len(id) != 14 || !allDigits(id) {
		return nil, nil, fail("02301")
	}
	t, o, _, err := a.svc.TransactionByRef(c.ctx, c.shop, protocol, id)
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return nil, nil, fail("02604")
	}
	if err != nil {
		return nil, nil, err
	}
	c.reference = t.Reference
	return t, o, nil
}

// operate runs an operation of the core on the transaction a
// transactionID names, and answers its transaction object.
func (a *API) operate(c *call, kind guichet.OperationKind, id string, m guichet.Money) (*soap.Transaction, error) {
	if _, _, err := a.transaction(c, id); err != nil {
		return nil, err
	}
	_, op, err := a.svc.Operate(c.ctx, core.OperationRequest{Shop: c.shop, Kind: kind, Front: protocol, TransactionRef: strings.TrimSpace(id), Amount: m})
	if err != nil {
		return nil, err
	}
	if !op.Approved {
		return nil, fail(paylineCode(op.Code))
	}
	pr := presenter{paris: a.svc.Paris()}
	out := &soap.Transaction{ID: op.Ref, Date: pr.date(op.CreatedAt, layoutDirect), IsDuplicated: "0", IsPossibleFraud: "0"}
	return out, nil
}

// doCapture captures an authorization, in full or in part (201, or 203
// for the last of partial captures).
func (a *API) doCapture(c *call) (soap.Message, error) {
	r := c.req.(*soap.DoCaptureRequest)
	p, err := readPayment(r.Payment, a.svc.Now(c.shop).In(a.svc.Paris()))
	if err != nil {
		return nil, err
	}
	t, _, err := a.transaction(c, r.TransactionID)
	if err != nil {
		return nil, err
	}
	if t.Captured > 0 && t.Captured >= t.Amount {
		// Nothing is left to capture: the platform says so, rather
		// than that the amount is too high.
		return nil, fail("02617")
	}
	tr, err := a.operate(c, guichet.OpCapture, r.TransactionID, p.money)
	if err != nil {
		return nil, err
	}
	return &soap.DoCaptureResponse{Result: wireResult("00000"), Transaction: tr, ReAuthorization: "0"}, nil
}

// doRefund gives back part or all of a captured payment (421); an
// authorization not captured is reset instead (02618).
func (a *API) doRefund(c *call) (soap.Message, error) {
	r := c.req.(*soap.DoRefundRequest)
	p, err := readPayment(r.Payment, a.svc.Now(c.shop).In(a.svc.Paris()))
	if err != nil {
		return nil, err
	}
	tr, err := a.operate(c, guichet.OpRefund, r.TransactionID, p.money)
	if err != nil {
		return nil, err
	}
	return &soap.DoRefundResponse{Result: wireResult("00000"), Transaction: tr}, nil
}

// doReset cancels an authorization, or a capture the bank has not been
// sent yet: in full, or for the amount given.
func (a *API) doReset(c *call) (soap.Message, error) {
	r := c.req.(*soap.DoResetRequest)
	t, _, err := a.transaction(c, r.TransactionID)
	if err != nil {
		return nil, err
	}
	if t.Status == guichet.StatusCancelled {
		return nil, fail("02601")
	}
	m := guichet.Money{Amount: t.Amount}
	if strings.TrimSpace(r.Amount) != "" {
		if m.Amount, err = readAmount("amount", r.Amount); err != nil {
			return nil, err
		}
	}
	if strings.TrimSpace(r.Currency) != "" {
		cur, err := readCurrency("currency", r.Currency)
		if err != nil {
			return nil, err
		}
		m.Currency = cur.Code
	}
	tr, err := a.operate(c, guichet.OpCancel, r.TransactionID, m)
	if err != nil {
		return nil, err
	}
	return &soap.DoResetResponse{Result: wireResult("00000"), Transaction: tr}, nil
}

// doReAuthorization authorizes again, on the card of an earlier
// transaction, a payment whose authorization expired or was captured
// (202): a new transaction.
func (a *API) doReAuthorization(c *call) (soap.Message, error) {
	r := c.req.(*soap.DoReAuthorizationRequest)
	now := a.svc.Now(c.shop)
	p, err := readPayment(r.Payment, now.In(a.svc.Paris()))
	if err != nil {
		return nil, err
	}
	src, _, err := a.transaction(c, r.TransactionID)
	if err != nil {
		return nil, err
	}
	if src.Card.Masked == "" {
		// A partner's payment has no card to authorize again.
		return nil, fail("02619")
	}
	if p.money.Currency != src.Currency {
		return nil, fail("02620")
	}
	ref := src.Reference
	if r.Order != nil && strings.TrimSpace(r.Order.Ref) != "" {
		ref = strings.TrimSpace(r.Order.Ref)
	}
	order := &guichet.Order{ID: a.svc.NewID("pld_"), Protocol: protocol, Reference: ref, Amount: p.money, Request: c.body,
		MaxAttempts: directAttempts, Content: content(nil, r.Order, r.PrivateDataList)}
	if _, err := a.svc.OpenOrder(c.ctx, c.shop, order); err != nil {
		return nil, err
	}
	req := core.PayRequest{Shop: c.shop, OrderID: order.ID, CardOf: src.ID, Reauthorize: true, AuthOnly: p.action != actionAuthorizeCharge,
		ForceCode: forcedCode(c.shop, "", p.money.Amount)}
	if req.AuthOnly {
		req.CaptureBy = now.Add(authorizationLife)
	}
	_, t, _, err := a.svc.PayOrder(c.ctx, req)
	if err != nil {
		return nil, err
	}
	pr := presenter{paris: a.svc.Paris()}
	return &soap.DoReAuthorizationResponse{Result: paymentResult(t).wire(), Transaction: pr.transaction(t, nil, layoutDirect),
		Card: card(t.Card, ""), ExtendedCard: extendedCard(t.Card)}, nil
}

// doDebit records a payment whose authorization the merchant obtained by
// other means (its number and date), captured at once (204, or 101 as
// older integrations send).
func (a *API) doDebit(c *call) (soap.Message, error) {
	r := c.req.(*soap.DoDebitRequest)
	now := a.svc.Now(c.shop)
	p, err := readPayment(r.Payment, now.In(a.svc.Paris()))
	if err != nil {
		return nil, err
	}
	o, err := readOrder(r.Order)
	if err != nil {
		return nil, err
	}
	c.reference = o.ref
	if err := a.checkContract(c, p.contract); err != nil {
		return nil, err
	}
	typed, err := readCard(r.Card, now)
	if err != nil {
		return nil, err
	}
	if r.Authorization == nil || strings.TrimSpace(r.Authorization.Number) == "" {
		return nil, invalidFormat("authorization.number", "missing")
	}
	t, err := a.svc.Authorize(c.ctx, core.CardRequest{Shop: c.shop, Reference: o.ref, Amount: p.money, Card: typed, Capture: true,
		Forced: true, AuthCode: strings.TrimSpace(r.Authorization.Number), Front: protocol})
	if err != nil {
		return nil, err
	}
	pr := presenter{paris: a.svc.Paris()}
	return &soap.DoDebitResponse{Result: paymentResult(t).wire(), Transaction: pr.transaction(t, nil, layoutMinutes),
		Card: card(t.Card, typed.Holder), ExtendedCard: extendedCard(t.Card)}, nil
}

// doCredit pays money to a card without a sale behind it (422).
func (a *API) doCredit(c *call) (soap.Message, error) {
	r := c.req.(*soap.DoCreditRequest)
	now := a.svc.Now(c.shop)
	p, err := readPayment(r.Payment, now.In(a.svc.Paris()))
	if err != nil {
		return nil, err
	}
	ref := ""
	if r.Order != nil {
		ref = strings.TrimSpace(r.Order.Ref)
	}
	c.reference = ref
	if err := a.checkContract(c, p.contract); err != nil {
		return nil, err
	}
	typed, err := readCard(r.Card, now)
	if err != nil {
		return nil, err
	}
	t, err := a.svc.Credit(c.ctx, core.CardRequest{Shop: c.shop, Reference: ref, Amount: p.money, Card: typed, Front: protocol})
	if err != nil {
		return nil, err
	}
	pr := presenter{paris: a.svc.Paris()}
	return &soap.DoCreditResponse{Result: paymentResult(t).wire(), Transaction: pr.transaction(t, nil, layoutMinutes),
		Card: card(t.Card, typed.Holder), ExtendedCard: extendedCard(t.Card)}, nil
}

// checkContract checks the card contract a direct operation names.
func (a *API) checkContract(c *call, number string) error {
	if number == "" {
		return invalidFormat("payment.contractNumber", "missing")
	}
	if k := c.acct.contract(number); k == nil || k.Payconiq() {
		return fail("02303")
	}
	return nil
}
