package smoney

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/sim"
)

// paymentLife is how long a card payment's page takes the payer's card.
const paymentLife = 20 * time.Minute

// createCardPayment creates a card payment: the order whose page Href
// the payer is sent to. Its OrderId is the application's and unique (710).
func (a *API) createCardPayment(c *call) any {
	r, e := readCardPayment(c.body)
	if e != nil {
		return e
	}
	if f := checkVersionForPayments(r, c.version); f != nil {
		return f
	}
	if r.UrlCallback != "" && !c.acct.callbackAllowed(r.UrlCallback, c.shop.IsTest()) {
		return failure(http.StatusBadRequest, 178, "UrlCallback: its domain must be the one registered for the application's callbacks")
	}
	key := orderKey(c.shop.ID, r.OrderId)
	if _, err := a.svc.Order(c.ctx, c.shop, key); err == nil {
		return failure(http.StatusBadRequest, 710, "OrderId "+strconv.Quote(r.OrderId)+" already exists")
	} else if guichet.ErrorCode(err) != guichet.CodeNotFound {
		return err
	}
	now := c.now(a.svc)
	o := &guichet.Order{ID: key, Protocol: protocol, Reference: r.OrderId, Amount: guichet.Money{Amount: r.Amount, Currency: "EUR"},
		Request: c.body, MaxAttempts: 1, ExpiresAt: now.Add(paymentLife), Content: content(r)}
	o.Content.Extras = extras(r, c.user)
	if r.PaymentSchedule != nil {
		items, e := planSchedule(r.PaymentSchedule, r.Amount, a.svc.Today(c.shop))
		if e != nil {
			return e
		}
		plan := make([]planned, len(items))
		for i, it := range items {
			plan[i] = planned{Amount: it.Amount, Fee: it.Fee, Date: it.Due}
		}
		raw, _ := json.Marshal(plan)
		o.Content.Extras = append(o.Content.Extras, guichet.Field{Name: extraSchedule, Value: string(raw)})
	}
	// OpenOrder answers the order another request created meanwhile
	// under the same OrderId: this request's mark tells them apart.
	mark := newMark()
	o.Content.Extras = append(o.Content.Extras, guichet.Field{Name: extraCreation, Value: mark})
	got, err := a.svc.OpenOrder(c.ctx, c.shop, o)
	if err != nil {
		return err
	}
	if got.Content.Extra(extraCreation) != mark {
		return failure(http.StatusBadRequest, 710, "OrderId "+strconv.Quote(r.OrderId)+" already exists")
	}
	res, err := a.resource(c, got)
	if err != nil {
		return err
	}
	return created{shaped(res, c.version)}
}

// newMark is a creation's mark: random letters.
func newMark() string {
	var b [12]byte
	rand.Read(b[:])
	return guichet.Letters(b[:])
}

// extras are what a payment's order keeps for its page and callbacks.
func extras(r *cardPaymentRequest, user string) []guichet.Field {
	f := []guichet.Field{{Name: extraURLReturn, Value: r.UrlReturn}, {Name: extraURLCallback, Value: r.UrlCallback},
		{Name: extraCards, Value: strings.Join(r.cards(), ";")}, {Name: extraPreference, Value: strconv.Itoa(r.ThreeDSecurePreference)},
		{Name: extraFee, Value: strconv.FormatInt(r.Fee, 10)}, {Name: extraBeneficiary, Value: r.Beneficiary.AppAccountId},
		{Name: extraUser, Value: user}}
	if r.threeDSV2() {
		f = append(f, guichet.Field{Name: extraProfile, Value: profile3DSV2})
	}
	if r.PayerInfo != nil {
		f = append(f, guichet.Field{Name: extraPayerName, Value: r.PayerInfo.Name}, guichet.Field{Name: extraPayerEmail, Value: r.PayerInfo.Mail})
	}
	return f
}

// content is what a payment tells of its payer, for the order.
func content(r *cardPaymentRequest) guichet.OrderContent {
	var c guichet.OrderContent
	cu := &guichet.Customer{Reference: r.Beneficiary.AppAccountId}
	if r.PayerInfo != nil {
		cu.Email = r.PayerInfo.Mail
		cu.Billing = &guichet.Address{LegalName: r.PayerInfo.Name}
	}
	if b := r.Billing; b != nil {
		if cu.Billing == nil {
			cu.Billing = &guichet.Address{}
		}
		cu.Billing.City, cu.Billing.Country, cu.Billing.Street, cu.Billing.ZipCode, cu.Billing.State =
			b.City, b.Country, b.Address, b.PostalCode, b.Billingaddressstate
	}
	if s := r.ShipTo; s != nil {
		cu.Shipping = &guichet.Address{City: s.City, Country: s.Country, Street: s.Address, ZipCode: s.PostalCode, State: s.AddressState}
	}
	c.Customer = cu
	if r.Message != "" {
		c.Metadata = []guichet.Field{{Name: "Message", Value: r.Message}}
	}
	return c
}

// getCardPayment reads a card payment by its OrderId.
func (a *API) getCardPayment(c *call, orderID string) any {
	o, f := a.order(c, orderID)
	if f != nil && f.status == http.StatusNotFound {
		// Clients read a payment by its numeric Id too.
		if byID, err := a.orderByPaymentID(c, orderID); err != nil {
			return err
		} else if byID != nil {
			o, f = byID, nil
		}
	}
	if f != nil {
		return f
	}
	res, err := a.resource(c, o)
	if err != nil {
		return err
	}
	return shaped(res, c.version)
}

// orderByPaymentID finds the payment whose numeric Id is id, nil when
// none is. The Id is drawn from the order, not stored, so the
// application's payments are read newest first until one has it: a
// sandbox's few thousand at most.
func (a *API) orderByPaymentID(c *call, id string) (*guichet.Order, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return nil, nil
	}
	const page = 500
	for offset := 0; ; offset += page {
		orders, total, err := a.svc.Orders(c.ctx, c.shop, protocol, page, offset)
		if err != nil {
			return nil, err
		}
		for i := range orders {
			o := &orders[i]
			if paymentID(o.ID) == n && (c.user == "" || strings.EqualFold(beneficiaryOf(o), c.user)) {
				return o, nil
			}
		}
		if len(orders) == 0 || offset+page >= total {
			return nil, nil
		}
	}
}

// order finds the payment of an OrderId of the application (a user's
// under users/{appUserId}/).
func (a *API) order(c *call, orderID string) (*guichet.Order, *apiFailure) {
	o, err := a.svc.Order(c.ctx, c.shop, orderKey(c.shop.ID, orderID))
	if err == nil && (o.Protocol != protocol || c.user != "" && !strings.EqualFold(beneficiaryOf(o), c.user)) {
		err = guichet.Errorf(guichet.CodeNotFound, "no payment %s", orderID)
	}
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return nil, failure(http.StatusNotFound, 177, "no card payment has the OrderId "+strconv.Quote(orderID))
	}
	if err != nil {
		a.log.Error("smoney: payment not read", "err", err)
		return nil, failure(http.StatusServiceUnavailable, 1, "technical error; try again")
	}
	return o, nil
}

// listCardPayments lists the application's card payments (or a user's),
// newest first: page (from 1) and perPage (50 by default), with the total
// in the Total-count header.
func (a *API) listCardPayments(c *call) any {
	q := c.query
	page, per := 1, 50
	for name, v := range map[string]*int{"page": &page, "perpage": &per, "per_page": &per} {
		for k, vals := range q {
			if strings.EqualFold(k, name) && len(vals) > 0 {
				n, err := strconv.Atoi(vals[0])
				if err != nil || n < 1 {
					return failure(http.StatusBadRequest, 177, k+": a number from 1 is expected")
				}
				*v = n
			}
		}
	}
	per = min(per, 1000)
	orders, total, err := a.svc.Orders(c.ctx, c.shop, protocol, per, (page-1)*per)
	if err != nil {
		return err
	}
	items := []cardPayment{}
	for i := range orders {
		o := &orders[i]
		if c.user != "" && !strings.EqualFold(beneficiaryOf(o), c.user) {
			continue
		}
		res, err := a.resource(c, o)
		if err != nil {
			return err
		}
		items = append(items, res)
	}
	return list{items: shapedList(items, c.version), total: total}
}

// resource is a card payment as the API shows it: what the merchant sent,
// where it stands, the card it was paid with and the outcome of its
// authentication and authorization, and its schedule.
func (a *API) resource(c *call, o *guichet.Order) (cardPayment, error) {
	r, e := readCardPayment(o.Request)
	if e != nil {
		return cardPayment{}, e
	}
	paris := a.svc.Paris()
	res := newCardPayment(r)
	res.Id = paymentID(o.ID)
	res.Href = c.base + "/payment/" + o.ID
	if b := res.Beneficiary; b != nil && b.AppAccountId != "" {
		// The sandbox opens an account for any beneficiary on first use:
		// its identifiers follow from its AppAccountId.
		b.Id, b.DisplayName = paymentID("account\x00"+b.AppAccountId), b.AppAccountId
		b.Href = c.base + "/users/" + url.PathEscape(b.AppAccountId)
	}
	res.PaymentDate = isoDate(o.CreatedAt, paris)
	txs, err := a.svc.Transactions(c.ctx, guichet.TransactionFilter{ShopID: c.shop.ID, OrderID: o.ID, Limit: 1000})
	if err != nil {
		return res, err
	}
	// Oldest first: the first payment, then the instalments.
	slices.SortFunc(txs, func(x, y guichet.Transaction) int { return int(x.Number - y.Number) })
	var t *guichet.Transaction
	for i := range txs {
		if txs[i].ID == o.TransactionID {
			t = &txs[i]
		}
	}
	d := dataOf(o)
	st := paymentState(o, t, c.now(a.svc))
	res.Status, res.ErrorCode = st.status, st.errorCode
	if t != nil {
		res.PaymentDate = isoDate(t.CreatedAt, paris)
		res.Card = cardOf(t, r)
		res.ExtraResults = extraResultsOf(t, d, st)
	} else if st.status == statusWaiting {
		// Between the page's card step and the end of the 3-D Secure
		// challenge, the card waits for its holder's authentication:
		// still Status 0, now with ExecCode 0001 (spec §5 and §6).
		held, err := a.svc.HeldCard(c.ctx, c.shop, o.ID)
		switch {
		case err == nil:
			res.Card = storedCard(0, *held, r)
			res.ExtraResults = authenticationPending(d)
		case guichet.ErrorCode(err) != guichet.CodeNotFound:
			return res, err
		}
	}
	res.Payments = subPayments(&res, r, o.ID, c.base)
	if plan := d.plan(); len(plan) > 0 {
		// The payment's Amount and Fee are what its schedule charges:
		// they follow the changes of its instalments (PUT).
		res.Amount, res.Fee = 0, 0
		for i, t := range pairInstalments(plan, txs) {
			p := plan[i]
			item := scheduleItem{SequenceNumber: i + 1, Amount: p.Amount, Fee: p.Fee, Date: isoDate(p.Date, nil), Status: statusWaiting}
			switch {
			case p.Cancelled:
				item.Status = statusCancelled
			case t != nil:
				item.Status = paymentState(o, t, c.now(a.svc)).status
			case o.Status == guichet.OrderCancelled || st.status == statusRefused:
				item.Status = statusCancelled
			}
			if !p.Cancelled {
				res.Amount, res.Fee = res.Amount+p.Amount, res.Fee+p.Fee
			}
			res.PaymentSchedule = append(res.PaymentSchedule, item)
		}
	}
	return res, nil
}

// cardOf is the Card of a paid payment.
func cardOf(t *guichet.Transaction, r *cardPaymentRequest) *card {
	return storedCard(t.Number, t.Card, r)
}

// storedCard is the Card of a card the payer typed, with its Id: the
// payment's transaction number, 0 while no transaction exists.
func storedCard(id int64, sc guichet.StoredCard, r *cardPaymentRequest) *card {
	if sc.Masked == "" {
		return nil
	}
	out := &card{Id: id, Network: cardNetwork(string(sc.Brand)), Hint: cardHint(sc.Masked), Country: sc.Country}
	if r != nil && r.Card != nil {
		out.AppCardId, out.Name = r.Card.AppCardId, r.Card.Name
	}
	if end := sc.End(); !end.IsZero() {
		out.ExpiryDate = isoDate(end, nil)
	}
	return out
}

// authenticationPending is ExtraResults while the payer answers the
// issuer's challenge: 3-D Secure applies and the card is enrolled, the
// authentication is not done yet (unavailable, not signed), strong
// authentication was asked, and no authorization was sent.
func authenticationPending(d paymentData) *extraResults {
	x := &extraResults{ThreeDSecure: true, ThreeDSecureAuthStatus: 2, ThreeDSecureSignatureStatus: 1, ThreeDSecureGlobalStatus: 0,
		ThreeDsCardEnrolled: 0, ExecCode: "0001", ThreeDSecureVersion: d.version(), ThreeDSecureMode: 0}
	x.ExecMessage, _ = execMessage(x.ExecCode)
	return x
}

// extraResultsOf is the outcome of a payment's authentication and
// authorization, as the card engine reports them (seed 004,
// ExtraResults).
func extraResultsOf(t *guichet.Transaction, d paymentData, st state) *extraResults {
	x := &extraResults{ExecCode: st.exec, ThreeDSecureVersion: d.version(), ThreeDSecureGlobalStatus: 3,
		ThreeDSecureAuthStatus: 2, ThreeDSecureSignatureStatus: 1, ThreeDsCardEnrolled: 2, ThreeDSecureMode: 1}
	x.ExecMessage, _ = execMessage(st.exec)
	x.BankAuthResult, _ = strconv.Atoi(t.ResponseCode)
	switch t.ThreeDS {
	case sim.StatusAuthenticated, "F", sim.StatusAttempted:
		x.ThreeDSecure, x.ThreeDSecureGlobalStatus, x.ThreeDsCardEnrolled, x.ThreeDSecureSignatureStatus = true, 0, 0, 0
		x.ThreeDSecureAuthStatus, x.WarrantyResult = 0, true
		if t.ThreeDS == sim.StatusAttempted {
			x.ThreeDSecureAuthStatus = 3
		}
		if t.ThreeDS == sim.StatusAuthenticated {
			// A challenge: the strong authentication mode.
			x.ThreeDSecureMode = 0
		}
	case sim.StatusFailed:
		x.ThreeDSecure, x.ThreeDSecureGlobalStatus, x.ThreeDsCardEnrolled, x.ThreeDSecureAuthStatus = true, 0, 0, 1
	case sim.StatusUnavailable:
		x.ThreeDSecureGlobalStatus = 2
	case "E":
		x.ThreeDSecureGlobalStatus, x.ThreeDsCardEnrolled = 1, 1
	}
	return x
}
