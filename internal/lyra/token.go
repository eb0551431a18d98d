package lyra

import (
	v4 "guichet/internal/lyra/v4"
)

// paymentMethodToken reads and checks the token a Token/* call names.
func (a *API) paymentMethodToken(c *call) (string, error) {
	ref, err := c.req.str("paymentMethodToken", "INT_030", 0)
	switch {
	case err != nil:
		return "", err
	case ref == "":
		return "", fail("INT_030", "paymentMethodToken is required")
	case !tokenPattern.MatchString(ref):
		return "", fail("PSP_031")
	}
	c.reference = ref
	return ref, nil
}

// tokenGet describes a stored card.
func (a *API) tokenGet(c *call) (any, error) {
	ref, err := a.paymentMethodToken(c)
	if err != nil {
		return nil, err
	}
	tok, err := a.svc.Token(c.ctx, c.shop, ref)
	if err != nil {
		return nil, asFailure(err, opToken)
	}
	o, err := a.svc.Order(c.ctx, c.shop, tok.OrderID)
	if err != nil && tok.OrderID != "" {
		o = nil
	}
	card := tok.Card
	brand := brandNames[card.Brand]
	if brand == "" {
		brand = string(card.Brand)
	}
	status := "ACTIVE"
	var cancelled *v4.Time
	switch {
	case !tok.CancelledAt.IsZero():
		status, cancelled = "CANCELLED", &v4.Time{Time: tok.CancelledAt}
	case card.ExpYear > 0 && a.svc.Now(c.shop).After(card.End()):
		status = "EXPIRED"
	}
	cu := customer(o)
	cu.ShoppingCart = nil
	var issuer *string
	if c.shop.IsTest() {
		issuer = str(testIssuer)
	}
	mid := c.acct.mid()
	return v4.Token{Status: status, PaymentMethodToken: tok.Reference, PaymentMethodType: "CARD",
		CreationDate: v4.Time{Time: tok.CreatedAt}, CancellationDate: cancelled, Customer: cu,
		TokenDetails: v4.TokenDetails{AuthorizationResponse: v4.CardAuthorizationResponse{AuthorizationMode: "MARK"},
			PAN: card.Masked, ExpiryMonth: card.ExpMonth, ExpiryYear: card.ExpYear, EffectiveBrand: brand,
			IssuerName: issuer, Country: countryAlpha2(card.Country), MID: &mid}}, nil
}

// tokenCancel stops a token from being charged.
func (a *API) tokenCancel(c *call) (any, error) {
	ref, err := a.paymentMethodToken(c)
	if err != nil {
		return nil, err
	}
	if _, err := a.svc.CancelToken(c.ctx, c.shop, ref); err != nil {
		return nil, asFailure(err, opToken)
	}
	return v4.ResponseCodeAnswer{ResponseCode: 0}, nil
}

// tokenReactivate lets a cancelled token be charged again.
func (a *API) tokenReactivate(c *call) (any, error) {
	ref, err := a.paymentMethodToken(c)
	if err != nil {
		return nil, err
	}
	if _, err := a.svc.ReactivateToken(c.ctx, c.shop, ref); err != nil {
		return nil, asFailure(err, opToken)
	}
	return v4.ResponseCodeAnswer{ResponseCode: 0}, nil
}
