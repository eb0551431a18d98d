package paybox

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/checkout"
	"guichet/internal/core"
	"guichet/internal/sim"
)

// pageMethod is a means of payment of the choice page in the platform's
// words: its PBX_TYPEPAIEMENT, its PBX_TYPECARTE (the option, for KWIXO)
// and the label the platform's page gives it. The checkout pages know none
// of these names: the checkout method translates them.
type pageMethod struct{ paymentType, cardType, label string }

// cardMethods are the card brands of the choice page, in the platform's
// order; a shop offers those its contract accepts (cards).
var cardMethods = []pageMethod{
	{"CARTE", "CB", "CB"},
	{"CARTE", "VISA", "Visa"},
	{"CARTE", "EUROCARD_MASTERCARD", "Mastercard"},
	{"CARTE", "MAESTRO", "Maestro"},
	{"CARTE", "AMEX", "American Express"},
	{"CARTE", "JCB", "JCB"},
	{"CARTE", "DINERS", "Diners"},
}

// value is what the choice page posts back for m: both of the platform's
// names, as its own page posts them, so that the scripts merchants and
// testers wrote against it find the values they know.
func (m pageMethod) value() string { return m.paymentType + ":" + m.cardType }

// checkout is m as the checkout pages draw it: a KWIXO account, or a card
// of the brand its PBX_TYPECARTE names.
func (m pageMethod) checkout() checkout.Method {
	if m.paymentType == "KWIXO" {
		return checkout.Method{Value: m.value(), Kind: checkout.KindKwixo, Label: m.label}
	}
	return checkout.Method{Value: m.value(), Kind: checkout.KindCard, Brand: typeBrands[m.cardType], Label: m.label}
}

// pageCard is a PBX_TYPECARTE as the card page names it: by its brand when
// guichet knows one, else by the platform's own name, which a form may
// force for the private-label cards of §2.4 (AURORE, COFINOGA…). No type
// names no card.
func pageCard(cardType string) (guichet.Brand, string) {
	if b, ok := typeBrands[cardType]; ok {
		return b, ""
	}
	return guichet.BrandUnknown, cardType
}

// cards are the card brands a shop's contract accepts, as choice page
// methods.
func cards(shop *guichet.Shop) []pageMethod {
	var list []pageMethod
	for _, m := range cardMethods {
		if shop.Accepts(typeBrands[m.cardType]) {
			list = append(list, m)
		}
	}
	return list
}

// cardOffered reports whether a card type may reach the card form: no
// type at all (the buyer picks none before typing), a brand of the choice
// page that the contract accepts, or the card type the form forced with
// PBX_TYPEPAIEMENT=CARTE, which the platform shows as it is named.
func cardOffered(ss *session, cardType string) bool {
	if cardType == "" {
		return true
	}
	if ss.req.PaymentType == "CARTE" && cardType == ss.req.CardType {
		b, known := typeBrands[cardType]
		return !known || ss.shop.Accepts(b)
	}
	b, known := typeBrands[cardType]
	return known && ss.shop.Accepts(b)
}

func (s *System) action(ss *session, step string) string {
	return "/paybox/order/" + ss.order.ID + "/" + step
}

func (s *System) showChoice(w http.ResponseWriter, ss *session) {
	var list []checkout.Method
	for _, m := range offered(ss) {
		list = append(list, m.checkout())
	}
	s.pages.Choice(w, checkout.ChoiceData{Common: s.common(ss), Action: s.action(ss, "choose"),
		Methods: list, CancelAction: s.action(ss, "cancel")})
}

// showMethod shows the page of the chosen means of payment.
func (s *System) showMethod(w http.ResponseWriter, ss *session, paymentType, cardType string, errs map[string]string) {
	switch {
	case paymentType == "CARTE" && cardOffered(ss, cardType):
		s.showCard(w, ss, cardType, nil, errs)
	case paymentType == "KWIXO" && ss.shop.Kwixo.Offers(cardType):
		s.showKwixo(w, ss, cardType, nil)
	default:
		c := s.common(ss)
		s.pages.Message(w, http.StatusOK, checkout.MessageData{Common: c, Kind: "error",
			Title: checkout.Text(c.Lang, "Moyen de paiement indisponible", "Payment method unavailable"),
			Text: checkout.Text(c.Lang, "Ce moyen de paiement n'est pas proposé par ce commerçant.",
				"This merchant does not offer this payment method."),
			Links: []checkout.Link{{URL: s.returnURL(ss, ss.req.Annule, nil, nil, "00001"), Label: checkout.Text(c.Lang, "Retour boutique", "Back to the shop")}}})
	}
}

// showCard shows the card form. After an error, typed holds what the buyer
// sent, so that the holder and the expiry need not be typed again; the
// page itself decides what it may safely show back.
func (s *System) showCard(w http.ResponseWriter, ss *session, cardType string, typed *http.Request, errs map[string]string) {
	brand, label := pageCard(cardType)
	d := checkout.CardData{Common: s.common(ss), Action: s.action(ss, "card"),
		Hidden: map[string]string{"card_type": cardType}, Brand: brand, Label: label, Errors: errs,
		CancelAction: s.action(ss, "cancel")}
	if typed != nil {
		d.Holder = strings.TrimSpace(typed.PostForm.Get("holder"))
		d.Expiry = strings.TrimSpace(typed.PostForm.Get("expiry"))
	}
	if len(errs) > 0 {
		noteOrder(w, ss, "invalid:"+slices.Min(slices.Collect(maps.Keys(errs))))
	}
	s.pages.Card(w, d)
}

func (s *System) choose(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.load(w, r)
	if !ok {
		return
	}
	chosen := r.PostForm.Get("method")
	for _, m := range offered(ss) {
		if m.value() == chosen {
			s.showMethod(w, ss, m.paymentType, m.cardType, nil)
			return
		}
	}
	s.showChoice(w, ss)
}

// card takes the card form: it checks what the buyer typed, sends the
// buyer through 3-D Secure when the shop requires it, and pays.
func (s *System) card(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.load(w, r)
	if !ok {
		return
	}
	lang := s.common(ss).Lang
	cardType := r.PostForm.Get("card_type")
	if !cardOffered(ss, cardType) {
		// Not a brand the pages offered: the buyer starts again from the
		// choice, and nothing is paid with it.
		s.showChoice(w, ss)
		return
	}
	c, errs := checkout.ReadCard(r, lang, cvvOptional)
	if len(errs) == 0 && c.Expired(s.svc.Now(ss.shop)) {
		errs = map[string]string{"expiry": checkout.Text(lang, "Cette carte est expirée.", "This card has expired.")}
	}
	if len(errs) == 0 && ss.req.DateValMax != "" && expiryYYMM(c) < ss.req.DateValMax {
		errs = map[string]string{"expiry": checkout.Text(lang, "Cette carte expire trop tôt pour ce paiement.", "This card expires too early for this payment.")}
	}
	if len(errs) > 0 {
		s.showCard(w, ss, cardType, r, errs)
		return
	}
	if !ss.shop.ThreeDS || ss.req.No3DS {
		s.pay(w, r, ss, c, "", "")
		return
	}
	// The simulated directory decides: Paybox's test cards are all
	// challenged but the one documented as not enrolled, and other
	// providers' test cards behave as on their platforms.
	flow := sim.ThreeDS(c.PAN)
	if flow != sim.Challenge {
		s.payAuthenticated(w, r, ss, c, flow.Result(""))
		return
	}
	// The challenge may be answered on another instance: the card waits
	// in the store, sealed, without its CVV.
	if err := s.svc.HoldCard(r.Context(), ss.shop, ss.order.ID, c); err != nil {
		s.payFailed(w, r, ss, err)
		return
	}
	noteOrder(w, ss, "3ds-challenge")
	s.pages.Challenge(w, checkout.ChallengeData{Common: s.common(ss), Action: s.action(ss, "3ds")})
}

// declineAuthentication is the issuer answer the platform gives a payment
// whose 3-D Secure authentication failed (E=00189), without asking for an
// authorization.
const declineAuthentication = "89"

// payAuthenticated settles the order after 3-D Secure: a failed
// authentication is refused without asking the issuer, any other outcome
// is paid and recorded on the transaction.
func (s *System) payAuthenticated(w http.ResponseWriter, r *http.Request, ss *session, c guichet.Card, a sim.Authentication) {
	decline := ""
	if a.Status == sim.StatusFailed {
		decline = declineAuthentication
	}
	s.pay(w, r, ss, c, a.Status, decline)
}

// challenge takes the simulated bank's answer.
func (s *System) challenge(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.load(w, r)
	if !ok {
		return
	}
	// The card comes back without its CVV, and the payment goes without
	// it: the issuer has just authenticated the cardholder, a stronger
	// check than the code, which the platform's authorizations do not
	// require.
	c, err := s.svc.TakeHeldCard(r.Context(), ss.shop, ss.order.ID)
	if err != nil && guichet.ErrorCode(err) != guichet.CodeNotFound {
		s.fail(w, err)
		return
	}
	if err != nil {
		s.showMethod(w, ss, "CARTE", "", map[string]string{"form": checkout.Text(s.common(ss).Lang,
			"La session d'authentification a expiré : saisissez à nouveau votre carte.", "The authentication session expired: enter your card again.")})
		return
	}
	code := checkout.ChallengeCode(r, sim.ChallengeCode)
	s.payAuthenticated(w, r, ss, c, sim.Challenge.Result(code))
}

// pay settles the order with the card and sends the buyer back.
func (s *System) pay(w http.ResponseWriter, r *http.Request, ss *session, c guichet.Card, threeDS, decline string) {
	force := ""
	if code := ss.req.ErrorCodeTest; code != "" && ss.shop.IsTest() && code != "00000" {
		if !strings.HasPrefix(code, "001") {
			// A forced platform error: nothing reaches the issuer.
			if _, err := s.svc.CloseOrder(r.Context(), ss.shop, ss.order.ID, guichet.OrderRefused); err != nil {
				s.fail(w, err)
				return
			}
			s.finish(w, ss, nil, nil, code)
			return
		}
		force = code[3:]
	}
	diff := 0
	if ss.req.Diff > 0 {
		diff = ss.req.Diff
	}
	o, t, tok, err := s.svc.PayOrder(r.Context(), core.PayRequest{Shop: ss.shop, OrderID: ss.order.ID, Card: c,
		AuthOnly: ss.req.AuthOnly, CaptureDelay: diff, Method: "CARTE", ThreeDS: threeDS, ForceCode: force,
		Decline: decline, SaveAs: wireText(ss.req.Subscriber), Instalments: instalmentPlan(ss.req), Subscription: subscriptionPlan(ss.req)})
	if err != nil {
		if text, ok := instalmentRefusal(err); ok {
			// The plan was valid when the form came; a buyer slow
			// enough to reach a date gets the same refusal.
			s.refuse(w, text)
			return
		}
		switch guichet.ErrorReason(err) {
		case guichet.ReasonCard:
			s.showMethod(w, ss, "CARTE", "", map[string]string{"number": checkout.Text(s.common(ss).Lang, "Numéro de carte invalide.", "Invalid card number.")})
		case guichet.ReasonExpiry:
			s.showMethod(w, ss, "CARTE", "", map[string]string{"expiry": checkout.Text(s.common(ss).Lang, "Date d'expiration invalide.", "Invalid expiry date.")})
		case guichet.ReasonTokenExists:
			s.finish(w, ss, nil, nil, "00016")
		default:
			s.payFailed(w, r, ss, err)
		}
		return
	}
	if ss.req.Subscriber == "" {
		// The card of a payment in several times is kept under an
		// internal reference the merchant has no use for.
		tok = nil
	}
	ss.order = o
	s.finish(w, ss, t, tok, codeOf0(t))
}

// instalmentPlan is the request's PBX_2MONTn/PBX_DATEn, for the core.
func instalmentPlan(req *SystemRequest) []core.Instalment {
	var plan []core.Instalment
	for _, i := range req.Instalments {
		plan = append(plan, core.Instalment{Amount: i.Amount, Date: i.Date})
	}
	return plan
}

// subscriptionPlan is the request's PBX_CMD subscription, for the core, or
// nil.
func subscriptionPlan(req *SystemRequest) *core.Subscription {
	sub := req.Subscription
	if sub == nil {
		return nil
	}
	return &core.Subscription{Reference: wireText(sub.Reference), Amount: sub.Amount, Count: sub.Count,
		Months: sub.Months, Day: sub.Day, Delay: sub.Delay}
}

// offered lists the means of payment of the choice page. Renewals debit a
// card, so an order with a subscription offers cards only; so does an
// order KWIXO cannot take.
func offered(ss *session) []pageMethod {
	if ss.req.Subscription != nil || kwixoForbidden(ss.shop, ss.req) != nil {
		return cards(ss.shop)
	}
	return methods(ss.shop)
}

// instalmentRefusal is the error page's text for an instalment the core
// refuses, naming its parameter; false when err refuses no instalment.
func instalmentRefusal(err error) (string, bool) {
	index, field, ok := core.InstalmentFault(err)
	if !ok {
		return "", false
	}
	param := "PBX_DATE"
	if field == "amount" {
		param = "PBX_2MONT"
	}
	return "Paramètre invalide " + param + strconv.Itoa(index+1) + " : " + guichet.ErrorMessage(err), true
}

// codeOf0 is the E code of a payment attempt.
func codeOf0(t *guichet.Transaction) string {
	if t.Status == guichet.StatusRefused {
		return "001" + t.ResponseCode
	}
	return "00000"
}

func (s *System) cancel(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.load(w, r)
	if !ok {
		return
	}
	if _, err := s.svc.CloseOrder(r.Context(), ss.shop, ss.order.ID, guichet.OrderCancelled); err != nil {
		s.fail(w, err)
		return
	}
	// The platform reports a buyer's cancellation as 00001.
	s.finish(w, ss, nil, nil, "00001")
}

// finish shows the ticket page, whose button takes the buyer back to the
// merchant's page for the outcome, with the signed PBX_RETOUR variables.
func (s *System) finish(w http.ResponseWriter, ss *session, t *guichet.Transaction, tok *guichet.Token, code string) {
	noteOrder(w, ss, code)
	c := s.common(ss)
	d := checkout.MessageData{Common: c}
	var target string
	switch {
	case code == "00000":
		d.Kind, target = "success", ss.req.Effectue
		d.Title = checkout.Text(c.Lang, "Paiement accepté", "Payment accepted")
		d.Text = checkout.Text(c.Lang, "Votre paiement a été accepté. Numéro d'autorisation : ", "Your payment was accepted. Authorization number: ") + t.AuthCode
	case code == "00001":
		d.Kind, target = "info", ss.req.Annule
		d.Title = checkout.Text(c.Lang, "Paiement annulé", "Payment cancelled")
		d.Text = checkout.Text(c.Lang, "Vous avez abandonné le paiement.", "You cancelled the payment.")
	case code == "99999":
		d.Kind, target = "pending", ss.req.Attente
		d.Title = checkout.Text(c.Lang, "Paiement en attente", "Payment pending")
		d.Text = checkout.Text(c.Lang, "Votre paiement est en cours de validation.", "Your payment is being reviewed.")
	default:
		d.Kind, target = "refused", ss.req.Refuse
		d.Title = checkout.Text(c.Lang, "Paiement refusé", "Payment refused")
		d.Text = checkout.Text(c.Lang, "Votre paiement a été refusé (code ", "Your payment was refused (code ") + code + ")."
	}
	if target != "" {
		d.Links = []checkout.Link{{URL: s.returnURL(ss, target, t, tok, code), Label: checkout.Text(c.Lang, "Retour boutique", "Back to the shop")}}
	}
	s.pages.Message(w, http.StatusOK, d)
}

// expiryYYMM writes a card's expiry as PBX_DATEVALMAX and the D variable do.
func expiryYYMM(c guichet.Card) string {
	return pad2(c.ExpYear%100) + pad2(c.ExpMonth)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
