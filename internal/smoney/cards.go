package smoney

import (
	"crypto/rand"
	"net/http"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/core"
)

// This file keeps the cards payers register for later payments (spec §1:
// cards/registrations, cards/{appCardId}) and the payments made with them
// (payins/storedcardpayments). A registered card is the core's token,
// named by the application's AppCardId.

// extraRegistration marks the order of a card registration's page.
const extraRegistration = "registration"

// registrationType is the callback and return type of a card
// registration (spec §7).
const registrationType = "5"

// registration is a CardRegistration as the API answers it.
type registration struct {
	Card            *card            `json:"Card"`
	UrlReturn       string           `json:"UrlReturn"`
	UrlCallback     string           `json:"UrlCallback,omitempty"`
	AvailableCards  string           `json:"AvailableCards"`
	Href            string           `json:"Href"`
	ExtraParameters *extraParameters `json:"ExtraParameters"`
	Status          int              `json:"Status"`
}

// createRegistration opens a page where the payer registers a card under
// the application's AppCardId (717 when the application has one of that
// name already).
func (a *API) createRegistration(c *call) any {
	m, e := decodeBody(c.body)
	if e != nil {
		return e
	}
	body := object{m: m}
	cardObj, ok, e := body.child("Card")
	if e != nil {
		return e
	}
	if !ok {
		return failure(http.StatusBadRequest, 704, "Card: missing")
	}
	appCardID, e := cardObj.mandatoryStr("AppCardId")
	if e != nil {
		return e
	}
	name, _, e := cardObj.str("Name")
	if e != nil {
		return e
	}
	ret, e := body.mandatoryStr("UrlReturn")
	if e != nil {
		return e
	}
	callback, _, e := body.str("UrlCallback")
	if e != nil {
		return e
	}
	if callback != "" && !c.acct.callbackAllowed(callback, c.shop.IsTest()) {
		return failure(http.StatusBadRequest, 178, "UrlCallback: its domain must be the one registered for the application's callbacks")
	}
	list, e := readAvailableCards(body)
	if e != nil {
		return e
	}
	cards := strings.Join(list, ";")
	if _, err := a.svc.Token(c.ctx, c.shop, appCardID); err == nil {
		return failure(http.StatusBadRequest, 717, "AppCardId "+strconv.Quote(appCardID)+" already exists")
	} else if guichet.ErrorCode(err) != guichet.CodeNotFound {
		return err
	}
	now := c.now(a.svc)
	var b [16]byte
	rand.Read(b[:])
	o := &guichet.Order{ID: "smc_" + guichet.Letters(b[:]), Protocol: protocol, Reference: appCardID,
		Amount: guichet.Money{Currency: "EUR"}, Request: c.body, MaxAttempts: 1, ExpiresAt: now.Add(paymentLife)}
	o.Content.Extras = []guichet.Field{{Name: extraRegistration, Value: "1"}, {Name: extraURLReturn, Value: ret},
		{Name: extraURLCallback, Value: callback}, {Name: extraCards, Value: cards}, {Name: extraCardName, Value: name},
		{Name: extraUser, Value: c.user}, {Name: extraPreference, Value: "2"}}
	if _, err := a.svc.OpenOrder(c.ctx, c.shop, o); err != nil {
		return err
	}
	return created{registration{Card: &card{AppCardId: appCardID, Name: name, Network: networkUnknown}, UrlReturn: ret,
		UrlCallback: callback, AvailableCards: cards, Href: c.base + "/payment/" + o.ID, Status: statusWaiting}}
}

// getCard describes a registered card.
func (a *API) getCard(c *call, appCardID string) any {
	tok, err := a.svc.Token(c.ctx, c.shop, appCardID)
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return failure(http.StatusNotFound, 195, "no card has the AppCardId "+strconv.Quote(appCardID))
	}
	if err != nil {
		return err
	}
	return tokenCard(tok)
}

// tokenCard is the Card of a registered card.
func tokenCard(tok *guichet.Token) *card {
	out := &card{Id: paymentID(tok.ID), AppCardId: tok.Reference, Network: cardNetwork(string(tok.Card.Brand)),
		Hint: cardHint(tok.Card.Masked), Country: tok.Card.Country}
	if end := tok.Card.End(); !end.IsZero() {
		out.ExpiryDate = isoDate(end, nil)
	}
	return out
}

// deleteCard forgets a registered card.
func (a *API) deleteCard(c *call, appCardID string) any {
	err := a.svc.DeleteToken(c.ctx, c.shop, appCardID, "")
	if guichet.ErrorCode(err) == guichet.CodeNotFound || guichet.ErrorReason(err) == guichet.ReasonTokenMissing {
		return failure(http.StatusNotFound, 195, "no card has the AppCardId "+strconv.Quote(appCardID))
	}
	if err != nil {
		return err
	}
	return map[string]any{}
}

// storedPayment is a payment with a registered card, read.
type storedPayment struct {
	orderID, appCardID, beneficiary, message string
	amount, fee                              int64
}

// readStoredPayment reads a stored card payment's body.
func readStoredPayment(body []byte) (*storedPayment, *apiError) {
	m, e := decodeBody(body)
	if e != nil {
		return nil, e
	}
	o := object{m: m}
	p := &storedPayment{}
	if p.orderID, e = o.mandatoryStr("OrderId"); e != nil {
		return nil, e
	}
	amount, _, e := o.integer("Amount", 63)
	if e != nil {
		return nil, e
	}
	if amount <= 0 {
		return nil, missing("Amount")
	}
	p.amount = amount
	if p.fee, _, e = o.integer("Fee", 63); e != nil {
		return nil, e
	}
	cardObj, ok, e := o.child("Card")
	if e != nil {
		return nil, e
	}
	if !ok {
		return nil, missing("Card")
	}
	if p.appCardID, e = cardObj.mandatoryStr("AppCardId"); e != nil {
		return nil, e
	}
	if b, ok, e := o.child("Beneficiary"); e != nil {
		return nil, e
	} else if ok {
		if p.beneficiary, _, e = b.str("AppAccountId"); e != nil {
			return nil, e
		}
	}
	if p.message, _, e = o.str("Message"); e != nil {
		return nil, e
	}
	return p, nil
}

// storedKey is the order of a stored card payment's OrderId: apart from
// the card payments', whose OrderIds are their own.
func storedKey(shopID, orderID string) string { return orderKey(shopID, "stored\x00"+orderID) }

// createStoredPayment pays with a registered card at once, without the
// payer (a merchant-initiated payment): in v3 an authorization that
// waits for its validation (Status 4, then …/validation), captured at
// once before.
func (a *API) createStoredPayment(c *call) any {
	p, e := readStoredPayment(c.body)
	if e != nil {
		return e
	}
	tok, err := a.svc.Token(c.ctx, c.shop, p.appCardID)
	if guichet.ErrorCode(err) == guichet.CodeNotFound || err == nil && !tok.CancelledAt.IsZero() {
		return failure(http.StatusNotFound, 195, "no card has the AppCardId "+strconv.Quote(p.appCardID))
	}
	if err != nil {
		return err
	}
	key := storedKey(c.shop.ID, p.orderID)
	if _, err := a.svc.Order(c.ctx, c.shop, key); err == nil {
		return failure(http.StatusBadRequest, 710, "OrderId "+strconv.Quote(p.orderID)+" already exists")
	}
	mark := newMark()
	o := &guichet.Order{ID: key, Protocol: protocol, Reference: p.orderID, Amount: guichet.Money{Amount: p.amount, Currency: "EUR"},
		Request: c.body, MaxAttempts: 1}
	o.Content.Extras = []guichet.Field{{Name: extraCreation, Value: mark}, {Name: extraBeneficiary, Value: p.beneficiary},
		{Name: extraUser, Value: c.user}, {Name: extraFee, Value: strconv.FormatInt(p.fee, 10)}, {Name: extraAppCardID, Value: p.appCardID}}
	got, err := a.svc.OpenOrder(c.ctx, c.shop, o)
	if err != nil {
		return err
	}
	if got.Content.Extra(extraCreation) != mark {
		return failure(http.StatusBadRequest, 710, "OrderId "+strconv.Quote(p.orderID)+" already exists")
	}
	req := core.PayRequest{Shop: c.shop, OrderID: o.ID, Token: tok.Reference, Handle: tok.Handle, AuthOnly: c.version >= 3,
		ForceCode: forcedCode(c.shop, p.amount), Ref: opRef(c.shop, "stored/"+p.orderID)}
	if req.AuthOnly {
		req.CaptureBy = c.now(a.svc).AddDate(0, 0, 7)
	}
	o, _, _, err = a.svc.PayOrder(c.ctx, req)
	if err != nil {
		return err
	}
	res, err := a.storedResource(c, o)
	if err != nil {
		return err
	}
	return created{shaped(res, c.version)}
}

// getStoredPayment reads a stored card payment by its OrderId.
func (a *API) getStoredPayment(c *call, orderID string) any {
	o, err := a.storedOrder(c, orderID)
	if err != nil {
		return err
	}
	res, err := a.storedResource(c, o)
	if err != nil {
		return err
	}
	return shaped(res, c.version)
}

// validate captures a stored card payment waiting for its validation
// (Status 4 → 1).
func (a *API) validate(c *call, orderID string) any {
	o, err := a.storedOrder(c, orderID)
	if err != nil {
		return err
	}
	_, _, err = a.svc.Operate(c.ctx, core.OperationRequest{Shop: c.shop, Kind: guichet.OpCapture, Front: protocol,
		TransactionRef: opRef(c.shop, "stored/"+orderID), Amount: guichet.Money{Amount: o.Amount.Amount}})
	if err != nil {
		return err
	}
	res, err := a.storedResource(c, o)
	if err != nil {
		return err
	}
	return shaped(res, c.version)
}

// storedOrder finds the stored card payment of an OrderId.
func (a *API) storedOrder(c *call, orderID string) (*guichet.Order, error) {
	o, err := a.svc.Order(c.ctx, c.shop, storedKey(c.shop.ID, orderID))
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return nil, failure(http.StatusNotFound, 177, "no stored card payment has the OrderId "+strconv.Quote(orderID))
	}
	return o, err
}

// storedResource is a stored card payment as the API shows it.
func (a *API) storedResource(c *call, o *guichet.Order) (cardPayment, error) {
	d := dataOf(o)
	res := cardPayment{Id: paymentID(o.ID), OrderId: o.Reference, Amount: o.Amount.Amount, ThreeDSecurePreference: 4,
		Status: statusWaiting, Type: typePayment, PaymentDate: isoDate(o.CreatedAt, a.svc.Paris()),
		Href: c.base + "/payins/storedcardpayments/" + o.Reference}
	res.Fee, _ = strconv.ParseInt(d.extra(extraFee), 10, 64)
	if b := beneficiaryOf(o); b != "" {
		res.Beneficiary = &beneficiary{AppAccountId: b}
	}
	txs, err := a.svc.Transactions(c.ctx, guichet.TransactionFilter{ShopID: c.shop.ID, OrderID: o.ID, Limit: 1})
	if err != nil {
		return res, err
	}
	if len(txs) > 0 {
		t := &txs[0]
		st := paymentState(o, t, c.now(a.svc))
		res.Status, res.ErrorCode = st.status, st.errorCode
		res.PaymentDate = isoDate(t.CreatedAt, a.svc.Paris())
		res.Card = cardOf(t, nil)
		if res.Card != nil {
			res.Card.AppCardId = d.extra(extraAppCardID)
		}
		res.ExtraResults = extraResultsOf(t, d, st)
	}
	return res, nil
}

// cardsPath routes the calls under cards/.
func (a *API) cardsPath(c *call, method string, rest []string) any {
	switch {
	case len(rest) == 1 && strings.EqualFold(rest[0], "registrations") && method == http.MethodPost:
		return a.createRegistration(c)
	case len(rest) == 2 && strings.EqualFold(rest[0], "registrations") && method == http.MethodGet:
		return a.getCard(c, rest[1])
	case len(rest) == 1 && method == http.MethodGet:
		return a.getCard(c, rest[0])
	case len(rest) == 1 && method == http.MethodDelete:
		return a.deleteCard(c, rest[0])
	}
	return failure(http.StatusNotFound, 177, "no such resource under cards/")
}

// storedPath routes the calls under payins/storedcardpayments.
func (a *API) storedPath(c *call, method string, rest []string) any {
	switch {
	case len(rest) == 0 && method == http.MethodPost:
		return a.createStoredPayment(c)
	case len(rest) == 1 && method == http.MethodGet:
		return a.getStoredPayment(c, rest[0])
	case len(rest) == 2 && method == http.MethodPost && strings.EqualFold(rest[1], "validation"):
		return a.validate(c, rest[0])
	}
	return failure(http.StatusNotFound, 177, "no such resource under payins/storedcardpayments")
}
