package lyra

import (
	"crypto/rand"
	"time"

	"guichet"
	v4 "guichet/internal/lyra/v4"
)

// formTokenLife is how long a formToken takes payments: fifteen minutes
// on the shop's clock, then PSP_108.
const formTokenLife = 15 * time.Minute

// formTokenVersion starts every formToken, as Lyra's start with two
// digits of version.
const formTokenVersion = "01"

// sdkTest echoes its value: integrations call it to check their keys.
func (a *API) sdkTest(c *call) (any, error) {
	v, err := c.req.str("value", "INT_902", 0)
	if err != nil {
		return nil, err
	}
	return v4.String{Value: v}, nil
}

// createPayment opens a payment form (a formToken for the embedded form),
// or with formAction SILENT pays at once with a stored card and answers
// the payment.
func (a *API) createPayment(c *call) (any, error) {
	return a.charge(c, false)
}

// createToken opens a form that registers a card without a payment.
func (a *API) createToken(c *call) (any, error) {
	return a.charge(c, true)
}

func (a *API) charge(c *call, register bool) (any, error) {
	now := a.svc.Now(c.shop)
	p, err := parsePayment(c.req, c.acct, now.In(a.svc.Paris()), register)
	if err != nil {
		return nil, err
	}
	c.reference = p.orderID
	if register && p.formAction != actionRegister && p.formAction != actionRegisterUpdate {
		return nil, fail("INT_875", "Charge/CreateToken registers a card: formAction REGISTER or REGISTER_UPDATE")
	}
	if p.token != "" {
		// The token must be the shop's, and usable.
		tok, err := a.svc.Token(c.ctx, c.shop, p.token)
		if err != nil {
			return nil, asFailure(err, opToken)
		}
		if !tok.CancelledAt.IsZero() {
			return nil, fail("PSP_607")
		}
	}
	o := &guichet.Order{ID: newFormToken(), Protocol: protocol, Reference: p.orderID, Amount: p.amount,
		Request: c.body, MaxAttempts: p.attempts, ExpiresAt: now.Add(formTokenLife)}
	o.Content = p.content
	o.Content.Extras = p.extras()
	o, err = a.svc.OpenOrder(c.ctx, c.shop, o)
	if err != nil {
		return nil, err
	}
	if p.formAction != actionSilent {
		return v4.PaymentForm{FormToken: o.ID}, nil
	}
	// A SILENT payment charges the stored card now, without the buyer:
	// the answer is the payment itself, and its IPN goes too.
	res, err := a.pay(c.ctx, c.shop, c.acct, o, buyer{option: -1})
	if err != nil {
		return nil, asFailure(err, opPay)
	}
	return res.payment, nil
}

// newFormToken makes a formToken: opaque to merchants, letters only so
// that no log masker takes part of it for a card number, and the ID of
// the order it opens.
func newFormToken() string {
	var b [24]byte
	rand.Read(b[:])
	return formTokenVersion + guichet.Letters(b[:])
}
