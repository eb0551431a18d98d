package smoney

import (
	"net/http"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/checkout"
	"guichet/internal/core"
	"guichet/internal/sim"
	"guichet/internal/web"
)

// The page of a card payment is under the API's base, where the platform's
// Href points (clients check that it starts with the base URL):
// /api/{partner}/payment/{key}, whose forms post to …/{key}/{step}.
func (a *API) registerPage(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/{partner}/payment/{key}", a.showPage)
	mux.HandleFunc("POST /api/{partner}/payment/{key}/{step}", a.step)
	mux.HandleFunc("GET /_guichet/v1/smoney/settings", a.serveSettings)
	mux.HandleFunc("POST /_guichet/v1/smoney/settings", a.serveSettings)
}

// scheduleLimits bound a payment schedule: up to a year of monthly
// instalments after the first, none after the card expires.
var scheduleLimits = core.ScheduleLimits{MaxLater: 23, MaxMonths: 24, WithinCardExpiry: true}

// declineAuthentication is the issuer answer of a payment whose 3-D Secure
// authentication failed: ExecCode 4009.
const declineAuthentication = "68"

// session is a card payment as its page sees it.
type session struct {
	order *guichet.Order
	shop  *guichet.Shop
	acct  *Account
	data  paymentData
}

// pagePath is the page of an order under a partner's base.
func pagePath(partner, key string) string { return "/api/" + partner + "/payment/" + key }

// load finds the card payment of a page, answering the payer itself when
// there is none.
func (a *API) load(w http.ResponseWriter, r *http.Request) (*session, bool) {
	o, err := a.svc.OrderByID(r.Context(), r.PathValue("key"))
	if err != nil || o.Protocol != protocol {
		if err != nil && guichet.ErrorCode(err) != guichet.CodeNotFound {
			a.failPage(w, err)
			return nil, false
		}
		a.pages.Message(w, http.StatusNotFound, checkout.MessageData{Common: checkout.Common{Lang: "fr"}, Kind: "error",
			Title: "Paiement inconnu", Text: "Ce lien de paiement n'existe pas."})
		return nil, false
	}
	ss := &session{order: o, data: dataOf(o)}
	if ss.shop, err = a.svc.ShopByID(r.Context(), o.ShopID); err != nil {
		a.failPage(w, err)
		return nil, false
	}
	acct, ok, err := AccountOf(ss.shop)
	if err != nil || !ok || !strings.EqualFold(r.PathValue("partner"), acct.Partner) {
		a.pages.Message(w, http.StatusNotFound, checkout.MessageData{Common: checkout.Common{Lang: "fr"}, Kind: "error",
			Title: "Paiement inconnu", Text: "Ce lien de paiement n'existe pas."})
		return nil, false
	}
	ss.acct = acct
	return ss, true
}

func (a *API) common(ss *session) checkout.Common {
	c := checkout.Common{Lang: "fr", Test: ss.shop.IsTest(), Merchant: ss.acct.Name, Reference: ss.order.Reference,
		Email: ss.order.Content.Extra(extraPayerEmail)}
	if cur, ok := guichet.CurrencyByCode(ss.order.Amount.Currency); ok {
		c.Amount = checkout.Amount(ss.order.Amount.Amount, cur, c.Lang)
	}
	return c
}

// brands are the cards the page offers: the payment's availableCards, in
// the seed's order, Visa Electron shown as a Visa.
var brands = []struct {
	name  string
	brand guichet.Brand
	label string
}{
	{"CB", guichet.BrandCB, ""},
	{"MASTERCARD", guichet.BrandMastercard, ""},
	{"MAESTRO", guichet.BrandMaestro, ""},
	{"VISA", guichet.BrandVisa, ""},
	{"VISA_ELECTRON", guichet.BrandVisa, "Visa Electron"},
}

func (a *API) methods(ss *session) []checkout.Method {
	var list []checkout.Method
	for _, b := range brands {
		if ss.data.offers(b.name) {
			list = append(list, checkout.Method{Value: b.name, Kind: checkout.KindCard, Brand: b.brand, Label: b.label})
		}
	}
	return list
}

func (a *API) action(ss *session, step string) string {
	return pagePath(ss.acct.Partner, ss.order.ID) + "/" + step
}

// open tells whether a payment still takes the payer's card, and
// otherwise sends the payer back.
func (a *API) open(w http.ResponseWriter, r *http.Request, ss *session) bool {
	now := a.svc.Now(ss.shop)
	if ss.order.Status == guichet.OrderOpen && (ss.order.ExpiresAt.IsZero() || !now.After(ss.order.ExpiresAt)) {
		return true
	}
	a.back(w, r, ss, ss.order.Status == guichet.OrderPaid)
	return false
}

func (a *API) showPage(w http.ResponseWriter, r *http.Request) {
	ss, ok := a.load(w, r)
	if !ok || !a.open(w, r, ss) {
		return
	}
	if _, err := a.svc.SeeOrder(r.Context(), ss.shop, ss.order.ID, ""); err != nil {
		a.failPage(w, err)
		return
	}
	methods := a.methods(ss)
	if len(methods) == 1 {
		a.showCard(w, r, ss, methods[0].Value, nil)
		return
	}
	a.pages.Choice(w, checkout.ChoiceData{Common: a.common(ss), Action: a.action(ss, "choose"), Methods: methods,
		CancelAction: a.action(ss, "cancel")})
}

func (a *API) step(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "the form could not be read", http.StatusBadRequest)
		return
	}
	ss, ok := a.load(w, r)
	if !ok || !a.open(w, r, ss) {
		return
	}
	switch r.PathValue("step") {
	case "choose":
		a.showCard(w, r, ss, r.PostForm.Get("method"), nil)
	case "card":
		a.card(w, r, ss)
	case "3ds":
		a.challenge(w, r, ss)
	case "cancel":
		if _, err := a.svc.CloseOrder(r.Context(), ss.shop, ss.order.ID, guichet.OrderCancelled); err != nil {
			a.failPage(w, err)
			return
		}
		a.back(w, r, ss, false)
	default:
		http.NotFound(w, r)
	}
}

// showCard shows the card form of a brand the payment offers; after an
// error, the holder and the expiry come back as typed.
func (a *API) showCard(w http.ResponseWriter, r *http.Request, ss *session, method string, errs map[string]string) {
	var brand guichet.Brand
	label := ""
	found := false
	for _, b := range brands {
		if b.name == method && ss.data.offers(b.name) {
			brand, label, found = b.brand, b.label, true
		}
	}
	if !found {
		a.pages.Choice(w, checkout.ChoiceData{Common: a.common(ss), Action: a.action(ss, "choose"), Methods: a.methods(ss),
			CancelAction: a.action(ss, "cancel")})
		return
	}
	a.pages.Card(w, checkout.CardData{Common: a.common(ss), Action: a.action(ss, "card"), Hidden: map[string]string{"method": method},
		Brand: brand, Label: label, Errors: errs, CancelAction: a.action(ss, "cancel"),
		Holder: strings.TrimSpace(r.PostForm.Get("holder")), Expiry: strings.TrimSpace(r.PostForm.Get("expiry"))})
}

// card takes the card form: 3-D Secure as the payment's preference asks,
// then the payment.
func (a *API) card(w http.ResponseWriter, r *http.Request, ss *session) {
	method := r.PostForm.Get("method")
	c, errs := checkout.ReadCard(r, "fr", nil)
	if len(errs) == 0 && c.Expired(a.svc.Now(ss.shop)) {
		errs = map[string]string{"expiry": "Cette carte est expirée."}
	}
	if len(errs) > 0 {
		a.showCard(w, r, ss, method, errs)
		return
	}
	flow, ask := ss.data.flow(c.PAN)
	if ask && ss.data.preference() == 2 && ss.data.version() == 2 && (flow == sim.Challenge || flow == sim.Frictionless) {
		// 3-D Secure 2 weighs the merchant's risk data (see riskFlow).
		if req, e := readCardPayment(ss.order.Request); e == nil {
			if f, ok := riskFlow(req, a.svc.Now(ss.shop)); ok {
				flow = f
			}
		}
	}
	if !ask || !ss.shop.ThreeDS {
		a.pay(w, r, ss, c, sim.Authentication{}, false)
		return
	}
	if flow != sim.Challenge {
		a.pay(w, r, ss, c, flow.Result(""), true)
		return
	}
	if err := a.svc.HoldCard(r.Context(), ss.shop, ss.order.ID, c); err != nil {
		a.failPage(w, err)
		return
	}
	a.pages.Challenge(w, checkout.ChallengeData{Common: a.common(ss), Action: a.action(ss, "3ds"),
		Hidden: map[string]string{"method": method}})
}

func (a *API) challenge(w http.ResponseWriter, r *http.Request, ss *session) {
	c, err := a.svc.TakeHeldCard(r.Context(), ss.shop, ss.order.ID)
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		a.showCard(w, r, ss, r.PostForm.Get("method"), map[string]string{"form": "La session d'authentification a expiré : saisissez à nouveau votre carte."})
		return
	}
	if err != nil {
		a.failPage(w, err)
		return
	}
	code := checkout.ChallengeCode(r, sim.ChallengeCode)
	a.pay(w, r, ss, c, sim.Challenge.Result(code), true)
}

// pay pays the card payment, its first instalment when it has a schedule,
// and sends the payer back to urlReturn.
func (a *API) pay(w http.ResponseWriter, r *http.Request, ss *session, c guichet.Card, auth sim.Authentication, tried bool) {
	req := core.PayRequest{Shop: ss.shop, OrderID: ss.order.ID, Card: c, ThreeDS: auth.Status,
		ForceCode: forcedCode(ss.shop, ss.order.Amount.Amount), Ref: opRef(ss.shop, ss.order.Reference)}
	if ss.data.registration() {
		// A card registration checks the card without a payment, and
		// keeps it under the application's AppCardId.
		req.SaveAs, req.SaveAsNew, req.Ref = ss.order.Reference, true, ""
	}
	if tried && auth.Status == "" {
		// A card not enrolled: the payment goes on without.
		req.ThreeDS = "E"
	}
	if auth.Status == sim.StatusFailed {
		req.Decline = declineAuthentication
	}
	if plan := ss.data.plan(); len(plan) > 1 {
		req.Amount = plan[0].Amount
		for _, p := range plan[1:] {
			req.Instalments = append(req.Instalments, core.Instalment{Amount: p.Amount, Date: p.Date})
		}
		req.Limits = scheduleLimits
	}
	o, t, _, err := a.svc.PayOrder(r.Context(), req)
	if err != nil {
		if index, field, ok := core.InstalmentFault(err); ok {
			a.showCard(w, r, ss, r.PostForm.Get("method"), map[string]string{"form": "Échéance " + strconv.Itoa(index+2) + " (" + field + ") : " + guichet.ErrorMessage(err)})
			return
		}
		a.failPage(w, err)
		return
	}
	ss.order = o
	a.back(w, r, ss, t.Status != guichet.StatusRefused)
}

// back sends the payer to the payment's urlReturn with its Id (the
// OrderId), Type (1, a card payment) and Result (1 paid, 0 not).
func (a *API) back(w http.ResponseWriter, r *http.Request, ss *session, paid bool) {
	target := ss.order.Content.Extra(extraURLReturn)
	result := "0"
	if paid {
		result = "1"
	}
	typ := "1"
	if ss.data.registration() {
		typ = registrationType
	}
	http.Redirect(w, r, web.WithQuery(target, "Id="+urlEscape(ss.order.Reference)+"&Type="+typ+"&Result="+result), http.StatusSeeOther)
}

// failPage answers a page the store could not serve.
func (a *API) failPage(w http.ResponseWriter, err error) {
	a.log.Error("smoney: page failed", "err", err)
	a.pages.Unavailable(w)
}
