package payline

import (
	"strings"

	"guichet"
	"guichet/internal/payline/soap"
	"guichet/internal/sim"
)

// doImmediateWalletPayment pays now with the card of a wallet, as
// doAuthorization pays with a card typed: authorized only (100) or
// captured (101, at once or on the differed date of mode DIF), the
// homologation simulator's amounts forcing the issuer's answer in TEST. A
// disabled wallet is refused (02505), an unknown one too (02503). The
// answer carries what the schema gives it: the result, the transaction
// and the authorization.
func (a *API) doImmediateWalletPayment(c *call) (soap.Message, error) {
	r := c.req.(*soap.DoImmediateWalletPaymentRequest)
	now := a.svc.Now(c.shop)
	p, err := readPayment(r.Payment, now.In(a.svc.Paris()), actionAuthorize, actionAuthorizeCharge)
	if err != nil {
		return nil, err
	}
	if p.mode == modeNX || p.mode == modeRecurring {
		// Payments in several times are payment records
		// (doRecurrentWalletPayment).
		return nil, fail("02010")
	}
	o, err := readOrder(r.Order)
	if err != nil {
		return nil, err
	}
	c.reference = o.ref
	if err := readPrivateData(r.PrivateDataList); err != nil {
		return nil, err
	}
	k, err := a.cardContract(c, p.contract)
	if err != nil {
		return nil, err
	}
	id, err := readWalletID("walletId", r.WalletID)
	if err != nil {
		return nil, err
	}
	if err := readCardInd(r.CardInd); err != nil {
		return nil, err
	}
	cvx := strings.TrimSpace(r.CVX)
	if cvx != "" && (len(cvx) < 3 || len(cvx) > 4 || !allDigits(cvx)) {
		return nil, invalidFormat("cvx", "expected 3 or 4 digits")
	}
	tok, err := a.usableWallet(c, id)
	if err != nil {
		return nil, err
	}
	request, err := kept(c.req)
	if err != nil {
		return nil, err
	}
	order := &guichet.Order{ID: a.svc.NewID("pld_"), Protocol: protocol, Reference: o.ref, Amount: p.money, Request: request,
		MaxAttempts: directAttempts, Content: content(r.Buyer, r.Order, r.PrivateDataList)}
	order.Content.Extras = []guichet.Field{{Name: extraContract, Value: k.Number}, {Name: extraWalletID, Value: id}}
	if _, err := a.svc.OpenOrder(c.ctx, c.shop, order); err != nil {
		return nil, err
	}
	// The security code, when the merchant asks the buyer for it, goes to
	// the issuer with the stored card.
	req := a.cardPayment(c.shop, order.ID, r.Payment, guichet.Card{CVV: cvx})
	req.Token, req.Handle = tok.Reference, tok.Handle
	if r.Authentication3DSecure != nil && r.Authentication3DSecure.CAVV != "" {
		req.ThreeDS = sim.StatusAuthenticated
	}
	_, t, _, err := a.svc.PayOrder(c.ctx, req)
	if err != nil {
		return nil, err
	}
	pr := presenter{paris: a.svc.Paris()}
	return &soap.DoImmediateWalletPaymentResponse{Result: paymentResult(t).wire(), Transaction: pr.transaction(t, nil, layoutDirect),
		Authorization: pr.authorization(t, layoutDirect)}, nil
}
