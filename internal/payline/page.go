package payline

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"guichet"
	"guichet/internal/checkout"
	"guichet/internal/core"
	"guichet/internal/payline/soap"
	"guichet/internal/sim"
	"guichet/internal/web"
)

// pagePath is the web payment page, which doWebPayment's redirectURL
// points to with the session's token, as the platform's
// https://webpayment.payline.com/v2/?token=… does.
const pagePath = "/webpayment/v2/"

// payconiqRefundDays is how long a Payconiq payment may be refunded (seed
// 003: 365 days).
const payconiqRefundDays = 365

// authorizationLife is how long an authorization waits for its capture:
// seven days, then 02602.
const authorizationLife = 7 * 24 * time.Hour

// session is a web session as its page sees it: a payment
// (doWebPayment), or the registration of a wallet's card
// (createWebWallet, updateWebWallet, manageWebWallet).
type session struct {
	order     *guichet.Order
	shop      *guichet.Shop
	acct      *Account
	contracts []*Contract
	// payment is the payment of a web payment, nil for a wallet's.
	payment *soap.Payment
	// wallet is the wallet whose card the session registers, nil for a
	// payment.
	wallet *webWallet
	// merchantName, languageCode and buyer are what the request said
	// of the page.
	merchantName, languageCode string
	buyer                      *soap.Buyer
}

// registerPages mounts the payment page and its steps, and the
// merchant's settings.
func (a *API) registerPages(mux *http.ServeMux) {
	mux.HandleFunc("GET "+pagePath, a.showPage)
	mux.HandleFunc("POST "+pagePath+"{step}", a.step)
	mux.HandleFunc("GET /_guichet/v1/payline/settings", a.serveSettings)
	mux.HandleFunc("POST /_guichet/v1/payline/settings", a.serveSettings)
}

// load finds the session of a token, answering the buyer itself when
// there is none to pay.
func (a *API) load(w http.ResponseWriter, r *http.Request, token string) (*session, bool) {
	o, err := a.svc.OrderByID(r.Context(), token)
	if err != nil || o.Protocol != protocol {
		if err != nil && guichet.ErrorCode(err) != guichet.CodeNotFound {
			a.failPage(w, err)
			return nil, false
		}
		a.pages.Message(w, http.StatusNotFound, checkout.MessageData{Common: checkout.Common{Lang: "fr"}, Kind: "error",
			Title: "Session de paiement inconnue", Text: "Ce lien de paiement n'existe pas."})
		return nil, false
	}
	ss := &session{order: o}
	if ss.shop, err = a.svc.ShopByID(r.Context(), o.ShopID); err != nil {
		a.failPage(w, err)
		return nil, false
	}
	acct, ok, err := AccountOf(ss.shop)
	if err != nil || !ok {
		a.failPage(w, err)
		return nil, false
	}
	ss.acct = acct
	msg, err := soap.DecodeRequest(o.Request)
	if err != nil {
		a.failPage(w, err)
		return nil, false
	}
	var numbers []string
	var selected *soap.SelectedContractList
	switch r := msg.(type) {
	case *soap.DoWebPaymentRequest:
		ss.payment, numbers, selected = r.Payment, []string{r.Payment.ContractNumber}, r.SelectedContractList
		ss.merchantName, ss.languageCode, ss.buyer = r.MerchantName, r.LanguageCode, r.Buyer
	default:
		ww, ok := webWalletOf(o, msg)
		if !ok {
			a.failPage(w, fmt.Errorf("order %s holds no web session", o.ID))
			return nil, false
		}
		ss.wallet, numbers = ww, ww.contracts
		ss.languageCode, ss.buyer = ww.languageCode, ww.buyer
	}
	if selected != nil && len(selected.SelectedContract) > 0 {
		numbers = selected.SelectedContract
	}
	// The request was checked when the session opened; a contract the
	// merchant removed since is no longer offered, and a wallet keeps
	// cards only.
	for _, n := range numbers {
		if k := acct.contract(n); k != nil && (ss.wallet == nil || !k.Payconiq()) {
			ss.contracts = append(ss.contracts, k)
		}
	}
	return ss, true
}

// common is what every page of a session shows.
func (a *API) common(ss *session) checkout.Common {
	c := checkout.Common{Lang: "fr", Test: ss.shop.IsTest(), Merchant: ss.acct.TradeName, Reference: ss.order.Reference}
	if ss.merchantName != "" {
		c.Merchant = ss.merchantName
	}
	if lang := strings.ToLower(ss.languageCode); strings.HasPrefix(lang, "en") {
		c.Lang = "en"
	}
	if cur, ok := guichet.CurrencyByCode(ss.order.Amount.Currency); ok {
		c.Amount = checkout.Amount(ss.order.Amount.Amount, cur, c.Lang)
	}
	if b := ss.buyer; b != nil {
		c.Email = b.Email
	}
	return c
}

// showPage shows the page of a session: the choice of the means of
// payment, or the only one offered.
func (a *API) showPage(w http.ResponseWriter, r *http.Request) {
	ss, ok := a.load(w, r, r.URL.Query().Get("token"))
	if !ok {
		return
	}
	if !a.open(w, ss) {
		return
	}
	if _, err := a.svc.SeeOrder(r.Context(), ss.shop, ss.order.ID, ""); err != nil {
		a.failPage(w, err)
		return
	}
	methods := a.methods(ss)
	if len(methods) == 1 {
		a.showMethod(w, r, ss, methods[0].Value, nil)
		return
	}
	a.pages.Choice(w, checkout.ChoiceData{Common: a.common(ss), Action: pagePath + "choose",
		Hidden: a.hidden(ss, ""), Methods: methods, CancelAction: pagePath + "cancel"})
}

// open tells whether a session still takes payments, and otherwise shows
// the buyer how it ended.
func (a *API) open(w http.ResponseWriter, ss *session) bool {
	now := a.svc.Now(ss.shop)
	if ss.order.Status == guichet.OrderOpen && (ss.order.ExpiresAt.IsZero() || !now.After(ss.order.ExpiresAt)) {
		return true
	}
	c := a.common(ss)
	target := ss.order.Content.Extra(extraReturnURL)
	if ss.order.Status == guichet.OrderCancelled {
		target = ss.order.Content.Extra(extraCancelURL)
	}
	a.pages.Message(w, http.StatusOK, checkout.MessageData{Common: c, Kind: "info",
		Title: checkout.Text(c.Lang, "Session de paiement terminée", "Payment session ended"),
		Text:  checkout.Text(c.Lang, "Cette session de paiement est terminée.", "This payment session has ended."),
		Links: a.back(ss, target)})
	return false
}

// methods are the means of payment of a session's page: each brand of
// its card contracts, and Payconiq. A method's value is its contract's
// number and, for a card, the brand.
func (a *API) methods(ss *session) []checkout.Method {
	var list []checkout.Method
	for _, k := range ss.contracts {
		if k.Payconiq() {
			list = append(list, checkout.Method{Value: k.Number, Kind: checkout.KindPayconiq, Label: "Payconiq"})
			continue
		}
		for _, b := range k.Brands {
			list = append(list, checkout.Method{Value: k.Number + ":" + string(b), Kind: checkout.KindCard, Brand: b})
		}
	}
	return list
}

// method finds an offered method by its value: its contract and brand.
func (a *API) method(ss *session, value string) (*Contract, guichet.Brand, bool) {
	number, brand, _ := strings.Cut(value, ":")
	for _, m := range a.methods(ss) {
		if m.Value == value {
			for _, k := range ss.contracts {
				if k.Number == number {
					return k, guichet.Brand(brand), true
				}
			}
		}
	}
	return nil, "", false
}

func (a *API) hidden(ss *session, method string) map[string]string {
	h := map[string]string{"token": ss.order.ID}
	if method != "" {
		h["method"] = method
	}
	return h
}

// step takes what the buyer posted from a page of the session.
func (a *API) step(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "the form could not be read", http.StatusBadRequest)
		return
	}
	ss, ok := a.load(w, r, r.PostForm.Get("token"))
	if !ok || !a.open(w, ss) {
		return
	}
	switch r.PathValue("step") {
	case "choose":
		a.showMethod(w, r, ss, r.PostForm.Get("method"), nil)
	case "card":
		a.card(w, r, ss)
	case "3ds":
		a.challenge(w, r, ss)
	case "partner":
		a.partner(w, r, ss)
	case "cancel":
		a.cancel(w, r, ss)
	default:
		http.NotFound(w, r)
	}
}

// showMethod shows the page of the chosen means of payment, and records
// the buyer's choice on the order.
func (a *API) showMethod(w http.ResponseWriter, r *http.Request, ss *session, value string, errs map[string]string) {
	k, brand, ok := a.method(ss, value)
	if !ok {
		a.pages.Choice(w, checkout.ChoiceData{Common: a.common(ss), Action: pagePath + "choose",
			Hidden: a.hidden(ss, ""), Methods: a.methods(ss), CancelAction: pagePath + "cancel"})
		return
	}
	if _, err := a.svc.SeeOrder(r.Context(), ss.shop, ss.order.ID, k.Number); err != nil {
		a.failPage(w, err)
		return
	}
	if k.Payconiq() {
		a.pages.Partner(w, checkout.PartnerData{Common: a.common(ss), Action: pagePath + "partner",
			Hidden: a.hidden(ss, value), Kind: checkout.KindPayconiq, Label: ss.order.Content.Extra(extraLabel)})
		return
	}
	// After an error, the holder and the expiry come back as typed; the
	// number and the security code never do.
	a.pages.Card(w, checkout.CardData{Common: a.common(ss), Action: pagePath + "card", Hidden: a.hidden(ss, value),
		Brand: brand, Errors: errs, CancelAction: pagePath + "cancel",
		Holder: strings.TrimSpace(r.PostForm.Get("holder")), Expiry: strings.TrimSpace(r.PostForm.Get("expiry"))})
}

// card takes the card form: the buyer goes through 3-D Secure when the
// shop asks for it, then pays.
func (a *API) card(w http.ResponseWriter, r *http.Request, ss *session) {
	value := r.PostForm.Get("method")
	k, _, ok := a.method(ss, value)
	if !ok || k.Payconiq() {
		a.showMethod(w, r, ss, "", nil)
		return
	}
	lang := a.common(ss).Lang
	c, errs := checkout.ReadCard(r, lang, nil)
	if len(errs) == 0 && c.Expired(a.svc.Now(ss.shop)) {
		errs = map[string]string{"expiry": checkout.Text(lang, "Cette carte est expirée.", "This card has expired.")}
	}
	if len(errs) > 0 {
		a.showMethod(w, r, ss, value, errs)
		return
	}
	if !ss.shop.ThreeDS {
		a.pay(w, r, ss, value, c, sim.Authentication{})
		return
	}
	flow := sim.ThreeDS(c.PAN)
	if flow != sim.Challenge {
		a.pay(w, r, ss, value, c, flow.Result(""))
		return
	}
	// The answer may reach another instance: the card waits in the
	// store, sealed, without its security code.
	if err := a.svc.HoldCard(r.Context(), ss.shop, ss.order.ID, c); err != nil {
		a.failPage(w, err)
		return
	}
	a.pages.Challenge(w, checkout.ChallengeData{Common: a.common(ss), Action: pagePath + "3ds", Hidden: a.hidden(ss, value)})
}

// challenge takes the simulated issuer's page.
func (a *API) challenge(w http.ResponseWriter, r *http.Request, ss *session) {
	value := r.PostForm.Get("method")
	c, err := a.svc.TakeHeldCard(r.Context(), ss.shop, ss.order.ID)
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		a.showMethod(w, r, ss, value, map[string]string{"form": checkout.Text(a.common(ss).Lang,
			"La session d'authentification a expiré : saisissez à nouveau votre carte.", "The authentication session expired: enter your card again.")})
		return
	}
	if err != nil {
		a.failPage(w, err)
		return
	}
	code := checkout.ChallengeCode(r, sim.ChallengeCode)
	a.pay(w, r, ss, value, c, sim.Challenge.Result(code))
}

// declineAuthentication is the issuer answer of a payment whose 3-D
// Secure authentication failed: the issuer is not asked.
const declineAuthentication = "05"

// pay pays the session with a card: the payment's action and mode say
// whether it is captured, and when; in TEST, the homologation simulator's
// amounts and card numbers force the issuer's answer.
func (a *API) pay(w http.ResponseWriter, r *http.Request, ss *session, value string, c guichet.Card, auth sim.Authentication) {
	var req core.PayRequest
	if ss.wallet != nil {
		// A wallet's session checks the card without a payment, and
		// keeps it under the wallet's identifier.
		req = core.PayRequest{Shop: ss.shop, OrderID: ss.order.ID, Card: c, SaveAs: ss.wallet.id, SaveAsNew: ss.wallet.fresh,
			ForceCode: forcedCode(ss.shop, c.PAN, 0)}
	} else {
		req = a.cardPayment(ss.shop, ss.order.ID, ss.payment, c)
	}
	req.ThreeDS = auth.Status
	if auth.Status == sim.StatusFailed {
		req.Decline = declineAuthentication
	}
	var o *guichet.Order
	var t *guichet.Transaction
	var err error
	if rec := planOf(ss.order); rec != nil {
		o, t, err = a.payPlan(r.Context(), ss, rec, req)
	} else {
		o, t, _, err = a.svc.PayOrder(r.Context(), req)
	}
	if guichet.ErrorReason(err) == guichet.ReasonTokenExists {
		// Another session registered the wallet meanwhile.
		a.showMethod(w, r, ss, value, map[string]string{"form": checkout.Text(a.common(ss).Lang,
			"Ce portefeuille existe déjà.", "This wallet already exists.")})
		return
	}
	if err != nil {
		a.payFailed(w, r, ss, err)
		return
	}
	ss.order = o
	if t.Status == guichet.StatusRefused && o.Status == guichet.OrderOpen {
		// The buyer may try another card.
		a.showMethod(w, r, ss, value, map[string]string{"form": checkout.Text(a.common(ss).Lang,
			"Paiement refusé : essayez une autre carte.", "Payment refused: try another card.")})
		return
	}
	a.finish(w, ss, t)
}

// cardPayment is the core's request for a payment of an order by card,
// from the merchant's payment object: 100 authorizes only (captured
// within seven days), 101 captures, at once or, with mode DIF, on the
// differed date.
func (a *API) cardPayment(shop *guichet.Shop, orderID string, p *soap.Payment, c guichet.Card) core.PayRequest {
	now := a.svc.Now(shop)
	amount, _ := readAmount("payment.amount", p.Amount)
	req := core.PayRequest{Shop: shop, OrderID: orderID, Card: c, ForceCode: forcedCode(shop, c.PAN, amount)}
	switch {
	case p.Action == actionAuthorize:
		req.AuthOnly, req.CaptureBy = true, now.Add(authorizationLife)
	case p.Mode == modeDeferred:
		paris := now.In(a.svc.Paris())
		if d, err := time.ParseInLocation("02/01/06", strings.TrimSpace(p.DifferedActionDate), paris.Location()); err == nil {
			today := time.Date(paris.Year(), paris.Month(), paris.Day(), 0, 0, 0, 0, paris.Location())
			req.CaptureDelay = max(0, int(d.Sub(today).Hours()/24))
		}
	}
	return req
}

// forcedCode is the issuer code the homologation simulator asks of the
// acquirer for a payment of a TEST shop: by the card number (10th digit
// 9), else by the amount (333.xx); "" lets the acquirer decide.
func forcedCode(shop *guichet.Shop, pan string, amount int64) string {
	if !shop.IsTest() {
		return ""
	}
	code, ok := simulatedCard(pan)
	if !ok {
		code = simulatedAmounts[amount]
	}
	if code == "" || code == "00000" {
		return ""
	}
	issuer, _ := issuerCode(code)
	return issuer
}

// partner takes the Payconiq simulator's page: the buyer paid, or gave up.
func (a *API) partner(w http.ResponseWriter, r *http.Request, ss *session) {
	k, _, ok := a.method(ss, r.PostForm.Get("method"))
	if !ok || !k.Payconiq() {
		a.showMethod(w, r, ss, "", nil)
		return
	}
	// The buyer's choice is recorded whatever page it came from: an
	// abandoned Payconiq session answers the partner's code.
	o, err := a.svc.SeeOrder(r.Context(), ss.shop, ss.order.ID, k.Number)
	if err != nil {
		a.failPage(w, err)
		return
	}
	ss.order = o
	if r.PostForm.Get("outcome") != "pay" {
		a.cancel(w, r, ss)
		return
	}
	now := a.svc.Now(ss.shop)
	o, t, _, err := a.svc.PayOrder(r.Context(), core.PayRequest{Shop: ss.shop, OrderID: ss.order.ID,
		Partner: sim.PartnerPayconiq, RefundBy: now.AddDate(0, 0, payconiqRefundDays)})
	if err != nil {
		a.payFailed(w, r, ss, err)
		return
	}
	ss.order = o
	a.finish(w, ss, t)
}

// cancel ends the session without a payment and sends the buyer to the
// merchant's cancelURL.
func (a *API) cancel(w http.ResponseWriter, r *http.Request, ss *session) {
	if _, err := a.svc.CloseOrder(r.Context(), ss.shop, ss.order.ID, guichet.OrderCancelled); err != nil {
		a.payFailed(w, r, ss, err)
		return
	}
	http.Redirect(w, r, a.returnTo(ss, ss.order.Content.Extra(extraCancelURL)), http.StatusSeeOther)
}

// payFailed answers a payment the core did not make: the session ended
// meanwhile, or the store failed.
func (a *API) payFailed(w http.ResponseWriter, r *http.Request, ss *session, err error) {
	switch guichet.ErrorReason(err) {
	case guichet.ReasonState, guichet.ReasonExpired:
		if o, err := a.svc.OrderByID(r.Context(), ss.order.ID); err == nil {
			ss.order = o
		}
		ss.order.Status = guichet.OrderRefused
		a.open(w, ss)
	default:
		a.failPage(w, err)
	}
}

// finish shows the ticket of a payment, whose button takes the buyer back
// to the merchant's returnURL with the token.
func (a *API) finish(w http.ResponseWriter, ss *session, t *guichet.Transaction) {
	c := a.common(ss)
	res := paymentResult(t)
	d := checkout.MessageData{Common: c, Links: a.back(ss, ss.order.Content.Extra(extraReturnURL))}
	switch {
	case ss.wallet != nil && accepted(res.Code):
		d.Kind = "success"
		d.Title = checkout.Text(c.Lang, "Carte enregistrée", "Card saved")
		d.Text = checkout.Text(c.Lang, "Votre carte est enregistrée dans votre portefeuille.", "Your card is saved in your wallet.")
	case accepted(res.Code):
		d.Kind = "success"
		d.Title = checkout.Text(c.Lang, "Paiement accepté", "Payment accepted")
		d.Text = checkout.Text(c.Lang, "Votre paiement a été accepté.", "Your payment was accepted.")
		if t.AuthCode != "" && t.Method == "" {
			d.Text += checkout.Text(c.Lang, " Numéro d'autorisation : ", " Authorization number: ") + t.AuthCode
		}
	default:
		d.Kind = "refused"
		d.Title = checkout.Text(c.Lang, "Paiement refusé", "Payment refused")
		d.Text = checkout.Text(c.Lang, "Votre paiement a été refusé (", "Your payment was refused (") + res.Code + " " + res.LongMessage + ")."
	}
	a.pages.Message(w, http.StatusOK, d)
}

// back is the link that takes the buyer back to the merchant.
func (a *API) back(ss *session, target string) []checkout.Link {
	if target == "" {
		return nil
	}
	return []checkout.Link{{URL: a.returnTo(ss, target), Label: checkout.Text(a.common(ss).Lang, "Retour boutique", "Back to the shop")}}
}

// returnTo is the merchant URL the buyer goes back to, with the session's
// token: as "token", and also as "paylinetoken" after a partner's page
// (payline.md §4), the two names official clients read.
func (a *API) returnTo(ss *session, target string) string {
	u := withToken(target, ss.order.ID)
	if k := ss.acct.contract(ss.order.Method); k != nil && k.Payconiq() {
		u = web.WithQuery(u, "paylinetoken="+url.QueryEscape(ss.order.ID))
	}
	return u
}

// withToken adds the session's token to a merchant URL, as the query
// parameter "token".
func withToken(target, token string) string {
	return web.WithQuery(target, "token="+url.QueryEscape(token))
}

// failPage answers a page the store could not serve.
func (a *API) failPage(w http.ResponseWriter, err error) {
	a.log.Error("payline: page failed", "err", err)
	a.pages.Unavailable(w)
}
