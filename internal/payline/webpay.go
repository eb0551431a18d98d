package payline

import (
	"encoding/json"
	"fmt"
	"time"

	"guichet"
	"guichet/internal/payline/soap"
)

// sessionLife is how long a web payment session takes payments: the
// platform's page gives the buyer fifteen minutes (02324 after that).
const sessionLife = 15 * time.Minute

// sessionAttempts is how many payments a buyer may try in one session.
const sessionAttempts = 3

// The extras a web payment's order keeps for its page and its
// notification.
const (
	extraReturnURL       = "returnURL"
	extraCancelURL       = "cancelURL"
	extraNotificationURL = "notificationURL"
	extraLanguage        = "languageCode"
	extraLabel           = "ticketLabel"
)

// webPayment is a doWebPayment request, read.
type webPayment struct {
	payment payment
	// plan is the payment record of a payment in several times (NX,
	// REC), nil for a payment at once.
	plan                                  *record
	order                                 order
	contracts                             []*Contract
	label                                 string
	returnURL, cancelURL, notificationURL string
}

// doWebPayment opens a web payment session: an order of the core, whose
// ID is the token the merchant sends the buyer to the page with.
func (a *API) doWebPayment(c *call) (soap.Message, error) {
	r := c.req.(*soap.DoWebPaymentRequest)
	w, err := a.readWebPayment(c, r)
	if err != nil {
		return nil, err
	}
	c.reference = w.order.ref
	now := a.svc.Now(c.shop)
	o := &guichet.Order{ID: a.newToken(now), Protocol: protocol, Reference: w.order.ref, Amount: w.payment.money,
		Request: c.body, MaxAttempts: sessionAttempts, ExpiresAt: now.Add(sessionLife),
		Content: content(r.Buyer, r.Order, r.PrivateDataList)}
	o.Content.Extras = []guichet.Field{{Name: extraReturnURL, Value: w.returnURL}, {Name: extraCancelURL, Value: w.cancelURL},
		{Name: extraNotificationURL, Value: w.notificationURL}, {Name: extraLanguage, Value: r.LanguageCode},
		{Name: extraLabel, Value: w.label}}
	if w.plan != nil {
		// The page checks the card, which the record then charges: the
		// session itself charges nothing.
		raw, err := json.Marshal(w.plan)
		if err != nil {
			return nil, err
		}
		o.Amount.Amount = 0
		o.Content.Extras = append(o.Content.Extras, guichet.Field{Name: extraPlan, Value: string(raw)})
	}
	if _, err := a.svc.OpenOrder(c.ctx, c.shop, o); err != nil {
		return nil, err
	}
	return &soap.DoWebPaymentResponse{Result: wireResult("00000"), Token: o.ID,
		RedirectURL: c.host + pagePath + "?token=" + o.ID}, nil
}

// readWebPayment checks a doWebPayment request: its payment, order and
// URLs, the contracts it offers, and the rules of Payconiq when it offers
// Payconiq.
func (a *API) readWebPayment(c *call, r *soap.DoWebPaymentRequest) (*webPayment, error) {
	paris := a.svc.Now(c.shop).In(a.svc.Paris())
	p, err := readPayment(r.Payment, paris, actionAuthorize, actionAuthorizeCharge)
	if err != nil {
		return nil, err
	}
	w := &webPayment{payment: p}
	if p.mode == modeNX || p.mode == modeRecurring {
		if w.plan, err = a.readPlan(c, r, p); err != nil {
			return nil, err
		}
	}
	if w.order, err = readOrder(r.Order); err != nil {
		return nil, err
	}
	if w.returnURL, err = readURL("returnURL", r.ReturnURL, true); err != nil {
		return nil, err
	}
	if w.cancelURL, err = readURL("cancelURL", r.CancelURL, true); err != nil {
		return nil, err
	}
	if w.notificationURL, err = readURL("notificationURL", r.NotificationURL, false); err != nil {
		return nil, err
	}
	if err := readPrivateData(r.PrivateDataList); err != nil {
		return nil, err
	}
	if w.contracts, err = offeredContracts(c.acct, p.contract, r.SelectedContractList); err != nil {
		return nil, err
	}
	for _, k := range w.contracts {
		if k.Payconiq() && w.plan != nil {
			// A partner's payment is no card to charge again.
			return nil, invalidField("payment.mode")
		}
		if k.Payconiq() {
			if err := checkPayconiq(r, w); err != nil {
				return nil, err
			}
			w.label = ticketLabel(c.acct, k, p.softDescriptor)
		}
	}
	return w, nil
}

// offeredContracts are the contracts a web payment offers the buyer: the
// selected ones, in their order, else the payment's. Each must be one of
// the merchant's (02303).
func offeredContracts(acct *Account, main string, selected *soap.SelectedContractList) ([]*Contract, error) {
	numbers := []string{main}
	if selected != nil && len(selected.SelectedContract) > 0 {
		numbers = selected.SelectedContract
	}
	if main == "" {
		return nil, invalidFormat("payment.contractNumber", "missing")
	}
	if acct.contract(main) == nil {
		return nil, fail("02303")
	}
	var out []*Contract
	for _, n := range numbers {
		k := acct.contract(n)
		if k == nil {
			return nil, fail("02303")
		}
		out = append(out, k)
	}
	return out, nil
}

// checkPayconiq applies the rules of a Payconiq payment (seed 003): an
// immediate payment (action 101, mode CPT), the order's country and the
// buyer's names given, and an order amount covering the payment. A
// request that breaks one is refused with 02308, naming the field.
func checkPayconiq(r *soap.DoWebPaymentRequest, w *webPayment) error {
	switch {
	case w.payment.action != actionAuthorizeCharge:
		return invalidField("payment.action")
	case w.payment.mode != modeFull:
		return invalidField("payment.mode")
	case w.order.country == "":
		return invalidField("order.country")
	case r.Buyer == nil || r.Buyer.FirstName == "":
		return invalidField("buyer.firstName")
	case r.Buyer.LastName == "":
		return invalidField("buyer.lastName")
	case w.order.money.Currency != w.payment.money.Currency || w.order.money.Amount < w.payment.money.Amount:
		return invalidField("order.amount")
	}
	return nil
}

// ticketLabel is the label of a Payconiq payment's ticket: the payment's
// soft descriptor, else the contract's trade name, else the merchant's.
func ticketLabel(acct *Account, k *Contract, softDescriptor string) string {
	switch {
	case softDescriptor != "":
		return softDescriptor
	case k.TradeName != "":
		return k.TradeName
	}
	return acct.TradeName
}

// getWebPaymentDetails tells how a web payment session stands: not yet
// reached by the buyer, in progress, expired, cancelled, or ended with a
// payment, whose details it gives.
func (a *API) getWebPaymentDetails(c *call) (soap.Message, error) {
	r := c.req.(*soap.GetWebPaymentDetailsRequest)
	if r.Token == "" {
		return nil, invalidFormat("token", "missing")
	}
	o, err := a.svc.Order(c.ctx, c.shop, r.Token)
	if err != nil && guichet.ErrorCode(err) == guichet.CodeNotFound || err == nil && o.Protocol != protocol {
		return nil, fail("02304")
	}
	if err != nil {
		return nil, err
	}
	c.reference = o.Reference
	msg, err := soap.DecodeRequest(o.Request)
	if err != nil {
		return nil, err
	}
	req := msg.(*soap.DoWebPaymentRequest)
	out := &soap.GetWebPaymentDetailsResponse{Payment: req.Payment, Order: echoOrder(req.Order), PrivateDataList: req.PrivateDataList,
		Buyer: req.Buyer}
	t, err := a.planDetails(c, o, out)
	if err != nil {
		return nil, err
	}
	if t == nil && o.TransactionID != "" {
		list, err := a.svc.Transactions(c.ctx, guichet.TransactionFilter{ShopID: c.shop.ID, OrderID: o.ID, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(list) > 0 {
			t = &list[0]
		}
	}
	chosen := c.acct.contract(o.Method)
	out.Result = sessionResult(o, t, a.svc.Now(c.shop), chosen != nil && chosen.Payconiq()).wire()
	if o.Attempts > 0 {
		out.NumberOfAttempt = fmt.Sprint(o.Attempts)
	}
	if t == nil {
		return out, nil
	}
	pr := presenter{paris: a.svc.Paris()}
	out.Transaction = pr.transaction(t, nil, layoutDetails)
	out.Authorization = pr.authorization(t, layoutDetails)
	out.Card = card(t.Card, "")
	out.ExtendedCard = extendedCard(t.Card)
	out.BankAccountData = bankAccount(t)
	pay := *req.Payment
	pay.ContractNumber = o.Method
	if chosen != nil && !chosen.Payconiq() {
		pay.Method = "CB"
	}
	out.Payment = &pay
	out.ContractNumber = o.Method
	return out, nil
}

// sessionResult is the result of a web payment session (payline.md §4):
// cancelled by the buyer, else the result of its last payment, else how
// far the buyer went. payconiq tells a session whose buyer chose
// Payconiq, whose cancellation is the partner's code.
func sessionResult(o *guichet.Order, t *guichet.Transaction, now time.Time, payconiq bool) Result {
	expired := !o.ExpiresAt.IsZero() && now.After(o.ExpiresAt)
	switch {
	case o.Status == guichet.OrderCancelled && payconiq:
		return result("02008")
	case o.Status == guichet.OrderCancelled:
		return result("02319")
	case t != nil:
		return paymentResult(t)
	case o.Status != guichet.OrderOpen:
		// Closed without a payment reaching the issuer.
		return result("02304")
	case o.SeenAt.IsZero() && expired:
		return result("02534")
	case o.SeenAt.IsZero():
		return result("02533")
	case expired:
		return result("02324")
	}
	return result("02306")
}
