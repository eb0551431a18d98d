package paybox

import (
	"net/http"
	"strings"

	"guichet"
	"guichet/internal/checkout"
	"guichet/internal/core"
)

// kwixoMethods are the KWIXO options, in the order the choice page lists
// them. The platform's PBX_TYPECARTE names of the options are the
// domain's (guichet.KwixoStandard…), so they go to the contract and to
// the checkout pages as they are.
var kwixoMethods = []pageMethod{
	{"KWIXO", guichet.KwixoStandard, "Kwixo comptant"},
	{"KWIXO", guichet.KwixoRNP, "Kwixo 1x à réception"},
	{"KWIXO", guichet.KwixoCredit, "Kwixo crédit"},
}

// methods are the means of payment the choice page of a shop offers: the
// cards and the KWIXO options its contracts include.
func methods(shop *guichet.Shop) []pageMethod {
	list := cards(shop)
	for _, m := range kwixoMethods {
		if shop.Kwixo.Offers(m.cardType) {
			list = append(list, m)
		}
	}
	return list
}

// checkKwixoForm checks that a form can be paid with KWIXO, then the
// data KWIXO needs.
func checkKwixoForm(shop *guichet.Shop, req *SystemRequest) *ParamError {
	if pe := kwixoForbidden(shop, req); pe != nil {
		return pe
	}
	return validateKwixo(req.Form)
}

// showKwixo checks the order analysis data KWIXO needs, and shows the
// KWIXO login when they are right, the platform's error page otherwise.
func (s *System) showKwixo(w http.ResponseWriter, ss *session, option string, errs map[string]string) {
	if pe := checkKwixoForm(ss.shop, ss.req); pe != nil {
		s.refuseParam(w, pe)
		return
	}
	s.pages.Kwixo(w, checkout.KwixoData{Common: s.common(ss), Action: s.action(ss, "kwixo"),
		Hidden: map[string]string{"option": option}, Option: option,
		RNP: rnpPayer(ss.shop, option, ss.req.Form.Value("PBX_RECEIVE_AND_PAY")), Errors: errs,
		CancelAction: s.action(ss, "cancel")})
}

// rnpPayer tells who pays for receive-and-pay, which the 1XRNP and CREDIT
// options include (guide §2.7): the buyer, unless the shop subscribed to
// the "pilotable" RNP and the form says it is offered
// (PBX_RECEIVE_AND_PAY=1, §9.4 formatRnP).
func rnpPayer(shop *guichet.Shop, option, receiveAndPay string) string {
	switch {
	case option == guichet.KwixoStandard:
		return ""
	case shop.Kwixo != nil && shop.Kwixo.RNPPilotable && receiveAndPay == "1":
		return "merchant"
	}
	return "buyer"
}

// kwixo takes the simulated KWIXO login: any e-mail address and a
// password log in. The payment is then recorded, pending FIA-NET's
// review, and the buyer sent back to PBX_ATTENTE with E=99999.
func (s *System) kwixo(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.load(w, r)
	if !ok {
		return
	}
	option := r.PostForm.Get("option")
	forced := ss.req.PaymentType != ""
	if !ss.shop.Kwixo.Offers(option) || forced && (ss.req.PaymentType != "KWIXO" || option != ss.req.CardType) {
		// Not an option the shop offers, or not the means the merchant
		// forced: the buyer starts again from the page that fits.
		if forced {
			s.showMethod(w, ss, ss.req.PaymentType, ss.req.CardType, nil)
		} else {
			s.showChoice(w, ss)
		}
		return
	}
	if pe := checkKwixoForm(ss.shop, ss.req); pe != nil {
		s.refuseParam(w, pe)
		return
	}
	lang := s.common(ss).Lang
	email := strings.TrimSpace(r.PostForm.Get("kwixo_email"))
	errs := map[string]string{}
	if !strings.Contains(email, "@") {
		errs["kwixo_email"] = checkout.Text(lang, "Saisissez l'adresse e-mail de votre compte Kwixo.", "Enter the e-mail address of your Kwixo account.")
	}
	if r.PostForm.Get("kwixo_password") == "" {
		errs["kwixo_password"] = checkout.Text(lang, "Saisissez votre mot de passe.", "Enter your password.")
	}
	if len(errs) > 0 {
		s.showKwixo(w, ss, option, errs)
		return
	}
	o, t, err := s.svc.PayOrderKwixo(r.Context(), core.KwixoRequest{Shop: ss.shop, OrderID: ss.order.ID, Option: option,
		Email: email, ProductTypes: kwixoProductTypes(ss.req.Form)})
	if err != nil {
		s.payFailed(w, r, ss, err)
		return
	}
	ss.order = o
	s.finish(w, ss, t, nil, "99999")
}

// kwixoCode is the E variable of a KWIXO state (guide §3.2): the state
// code on the five digits of the other response codes, as official
// modules expect it (00301 SCORING_OK).
func kwixoCode(review string) string {
	return strings.Repeat("0", max(0, 5-len(review))) + review
}
