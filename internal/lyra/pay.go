package lyra

import (
	"context"

	"guichet"
	"guichet/internal/core"
	v4 "guichet/internal/lyra/v4"
)

// buyer is what the buyer gives the payment form, or what a merchant's
// test gives the test helper for them.
type buyer struct {
	// card is the card typed; for a payment with a stored card, only its
	// security code (or nothing).
	card guichet.Card
	// option is the payment schedule chosen, an index of the order's
	// installment options, or -1 to pay at once.
	option int
	// save is the "save my card" box of ASK_REGISTER_PAY.
	save bool
	// threeDS is the 3-D Secure outcome (Transaction.ThreeDS), "" when
	// none ran; decline, when set, refuses the payment with that issuer
	// code without asking the acquirer (authentication failed).
	threeDS, decline string
	// cardOf, when set, pays with the card of that transaction instead:
	// a duplicate.
	cardOf string
}

// paid is the result of a payment attempt on an order.
type paid struct {
	order   *guichet.Order
	t       *guichet.Transaction
	payment v4.Payment
}

// pay runs one payment attempt on an order of the front, as its form
// action says: a payment (at once or in several times), with a card typed
// or stored, saving it or not, or a card registration (amount 0).
func (a *API) pay(ctx context.Context, shop *guichet.Shop, acct *Account, o *guichet.Order, b buyer) (*paid, error) {
	p, err := formOf(o)
	if err != nil {
		return nil, err
	}
	now := a.svc.Now(shop)
	req := core.PayRequest{Shop: shop, OrderID: o.ID, Card: b.card, ThreeDS: b.threeDS, Decline: b.decline,
		Ref: a.newUUID(), Limits: limits, AuthOnly: p.manual, CardOf: b.cardOf}
	// used is the stored card the payment charges, if any.
	var used *guichet.Token

	switch p.formAction {
	case actionRegisterUpdate, actionRegisterUpdatePay:
		// A new card replaces the token's.
		req.SaveAs = p.token
	case actionRegisterPay, actionRegister:
		req.SaveAs = a.newUUID()
	case actionAskRegisterPay:
		if b.save {
			req.SaveAs = a.newUUID()
		}
	default:
		if p.token != "" && b.card.PAN == "" {
			tok, err := a.svc.Token(ctx, shop, p.token)
			if err != nil {
				return nil, err
			}
			req.Token, req.Handle, used = tok.Reference, tok.Handle, tok
		}
	}

	// The capture date: the request's delay, else the shop's. The core
	// counts a payment's delay on top of the shop's own.
	delay := shop.CaptureDelay
	if p.captureDelay != nil {
		delay = *p.captureDelay
	}
	if b.option >= 0 {
		if b.option >= len(p.options) {
			return nil, fail("CLIENT_300", "no such installment option")
		}
		s := p.options[b.option]
		later, first, err := s.plan(now.In(a.svc.Paris()), a.newUUID)
		if err != nil {
			return nil, err
		}
		req.Instalments, req.Amount = later, s.Payments[0].Amount
		if s.Count == 0 {
			// An advanced schedule captures each payment on its date,
			// whatever the capture delay.
			delay = first
		}
	}
	req.CaptureDelay = delay - shop.CaptureDelay
	req.CaptureBy = now.AddDate(0, 0, delay)

	o, t, tok, err := a.svc.PayOrder(ctx, req)
	if err != nil {
		return nil, err
	}
	if tok == nil {
		tok = used
	}
	pr := a.presenter(shop, acct)
	v := &view{t: t, order: o, token: visibleToken(tok), sequence: 1}
	return &paid{order: o, t: t, payment: pr.payment(o, []*view{v})}, nil
}

// visibleToken is a token as merchants see it: the tokens guichet keeps for
// itself (to charge installments) are none of theirs.
func visibleToken(tok *guichet.Token) *guichet.Token {
	if tok == nil || !tokenPattern.MatchString(tok.Reference) {
		return nil
	}
	return tok
}

// presenter returns the presenter of a shop's objects at its time.
func (a *API) presenter(shop *guichet.Shop, acct *Account) *presenter {
	return &presenter{acct: acct, mode: shop.Mode, now: a.svc.Now(shop), paris: a.svc.Paris()}
}

// payment is the V4/Payment of an order after an attempt: the order's
// state and the transactions of the attempt.
func (p *presenter) payment(o *guichet.Order, views []*view) v4.Payment {
	pay := v4.Payment{ShopID: p.acct.ShopID, ServerDate: v4.Time{Time: p.now}, Customer: customer(o),
		SubMerchantDetails: subMerchant(o)}
	pay.OrderCycle, pay.OrderStatus = orderState(o, p, views)
	effective := o.Amount.Amount
	if len(views) > 0 {
		pay.OrderDetails = p.orderDetails(views[0], o.Amount.Amount, effective)
	} else {
		pay.OrderDetails = v4.OrderDetails{OrderTotalAmount: o.Amount.Amount, OrderEffectiveAmount: &effective,
			OrderCurrency: o.Amount.Currency, Mode: string(p.mode), OrderID: strOrNil(o.Reference), Metadata: metadata(o)}
	}
	for _, v := range views {
		pay.Transactions = append(pay.Transactions, p.paymentTransaction(v))
	}
	return pay
}

// orderState is an order's cycle and status: OPEN while the buyer may
// still try, CLOSED once final; the status follows the last transaction.
func orderState(o *guichet.Order, p *presenter, views []*view) (cycle, status string) {
	cycle = "CLOSED"
	if o.Status == guichet.OrderOpen && (o.ExpiresAt.IsZero() || !p.now.After(o.ExpiresAt)) {
		cycle = "OPEN"
	}
	switch {
	case o.Status == guichet.OrderCancelled:
		return "CLOSED", "ABANDONED"
	case len(views) == 0 && o.Status == guichet.OrderOpen:
		return cycle, statusRunning
	case len(views) == 0:
		return cycle, statusUnpaid
	}
	status, _ = p.status(views[len(views)-1])
	return cycle, status
}
