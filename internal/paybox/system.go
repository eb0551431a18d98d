package paybox

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"guichet"
	"guichet/internal/checkout"
	"guichet/internal/core"
)

// protocolSystem names the orders Paybox System takes.
const protocolSystem = "paybox-system"

// maxSystemForm caps a hosted-page request: KWIXO's product list and the
// 3-D Secure XML blocks make these forms the largest Paybox receives.
const maxSystemForm = 64 << 10

// accessRefused is the text the platform shows when a form's signature or
// merchant identification is wrong; integrators search for it.
const accessRefused = "Problème d'identification du commerce. Accès refusé !"

// System serves the Paybox System hosted payment pages.
type System struct {
	svc    *core.Service
	log    *slog.Logger
	pages  *checkout.Pages
	signer *Signer
}

// NewSystem returns the Paybox System front. Its notifier is among the
// front's Notifiers, which the wiring registers with the core.
func NewSystem(svc *core.Service, log *slog.Logger, pages *checkout.Pages, signer *Signer) *System {
	return &System{svc: svc, log: log, pages: pages, signer: signer}
}

// entryPaths are the addresses of the hosted page, by generation of the
// platform; all behave alike here, PBX_SOURCE choosing the layout.
var entryPaths = []string{
	"/cgi/MYchoix_pagepaiement.cgi", "/cgi/FramepagepaiementRWD.cgi", "/cgi/ChoixPaiementMobile.cgi",
	"/cgi/MYframepagepaiement_ip.cgi", "/php/", "/php",
}

func (s *System) register(mux *http.ServeMux) {
	for _, p := range entryPaths {
		mux.HandleFunc("GET "+p, s.recorded("", s.entry))
		mux.HandleFunc("POST "+p, s.recorded("", s.entry))
	}
	mux.HandleFunc("POST /paybox/order/{id}/choose", s.choose)
	mux.HandleFunc("POST /paybox/order/{id}/card", s.recorded("card", s.card))
	mux.HandleFunc("POST /paybox/order/{id}/3ds", s.challenge)
	mux.HandleFunc("POST /paybox/order/{id}/kwixo", s.kwixo)
	mux.HandleFunc("POST /paybox/order/{id}/cancel", s.cancel)
	mux.HandleFunc("GET /pubkey.pem", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/x-pem-file")
		w.Write(s.signer.PublicKeyPEM())
	})
}

// session is an order with its parsed request, as every page step needs.
type session struct {
	shop  *guichet.Shop
	order *guichet.Order
	req   *SystemRequest
}

func (s *System) common(ss *session) checkout.Common {
	c := checkout.Common{Lang: "fr", Test: ss.shop.IsTest(), Merchant: ss.shop.Name, Reference: ss.req.Reference, Email: ss.req.Email}
	if ss.req.Lang != "" && ss.req.Lang != "FRA" {
		c.Lang = "en"
	}
	c.Amount = checkout.Amount(ss.req.Amount, ss.req.Currency, c.Lang)
	// PBX_SOURCE names the browser the page is for: the phone sources get
	// the compact layout, and RWD, the responsive page merchants put in an
	// iframe, the layout without chrome. HTML keeps the full page.
	switch ss.req.Source {
	case "XHTML", "WAP", "IMODE":
		c.Layout = checkout.LayoutMobile
	case "RWD":
		c.Layout = checkout.LayoutFrame
	}
	return c
}

// refuse shows the platform's error page. Nothing was created.
func (s *System) refuse(w http.ResponseWriter, text string) {
	if text == accessRefused {
		note(w, "access-refused", text)
	} else {
		note(w, "refused", text)
	}
	s.pages.Message(w, http.StatusOK, checkout.MessageData{Common: checkout.Common{Lang: "fr"},
		Title: "Paybox", Text: text, Kind: "error"})
}

// entry receives the merchant's signed form: it checks the signature and
// every parameter, records the order, and shows the first page.
func (s *System) entry(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.RawQuery
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSystemForm))
		if err != nil {
			s.refuse(w, "Requête trop volumineuse ou illisible.")
			return
		}
		raw = string(body)
	}
	if len(raw) > maxSystemForm {
		s.refuse(w, "Requête trop volumineuse.")
		return
	}
	f, err := ParseForm(raw)
	noteForm(w, f)
	if err != nil || len(f) == 0 {
		if err == nil && r.Method == http.MethodPost && (r.URL.Path == "/php/" || r.URL.Path == "/php") {
			// Some modules post to the page server to server and only
			// look for a 200; an empty form is such a probe.
			note(w, "probe", "")
			w.WriteHeader(http.StatusOK)
			return
		}
		s.refuse(w, accessRefused)
		return
	}
	shop, ok := s.authenticate(r.Context(), f)
	if !ok {
		s.refuse(w, accessRefused)
		return
	}
	noteShop(w, shop)
	req, err := ParseSystem(f)
	if err != nil {
		var pe *ParamError
		if errors.As(err, &pe) {
			s.refuseParam(w, pe)
			return
		}
		s.refuse(w, accessRefused)
		return
	}
	if req.PaymentType == "KWIXO" {
		// A KWIXO order KWIXO cannot take, or without the data its
		// scoring needs, is refused before anything is recorded.
		if pe := checkKwixoForm(shop, req); pe != nil {
			s.refuseParam(w, pe)
			return
		}
	}
	if err := s.svc.CheckInstalments(shop, instalmentPlan(req)); err != nil {
		if text, ok := instalmentRefusal(err); ok {
			s.refuse(w, text)
			return
		}
		s.fail(w, err)
		return
	}
	pairs, _ := json.Marshal(f)
	o, err := s.svc.OpenOrder(r.Context(), shop, &guichet.Order{
		ID: orderID(shop, f), Protocol: protocolSystem, Reference: wireText(req.Reference),
		Amount: guichet.Money{Amount: req.Amount, Currency: req.Currency.Code}, Request: pairs,
	})
	if err != nil {
		s.fail(w, err)
		return
	}
	ss := &session{shop: shop, order: o, req: req}
	noteOrder(w, ss, "accepted")
	if o.Status != guichet.OrderOpen {
		s.alreadyProcessed(w, ss)
		return
	}
	if req.PaymentType != "" {
		s.showMethod(w, ss, req.PaymentType, req.CardType, nil)
		return
	}
	s.showChoice(w, ss)
}

// alreadyProcessed answers a form or a page step of an order that is no
// longer open: reloaded after payment, or replayed.
func (s *System) alreadyProcessed(w http.ResponseWriter, ss *session) {
	noteOrder(w, ss, "already-processed")
	c := s.common(ss)
	s.pages.Message(w, http.StatusOK, checkout.MessageData{Common: c, Kind: "info",
		Title: checkout.Text(c.Lang, "Paiement déjà traité", "Payment already processed"),
		Text:  checkout.Text(c.Lang, "Cette demande de paiement a déjà été traitée.", "This payment request was already processed.")})
}

// orderID derives the order from the signed form: the same form posted
// again (a reload, a replay) finds the same order. Like every identifier
// it holds no digits (guichet.Letters).
func orderID(shop *guichet.Shop, f Form) string {
	sum := sha256.Sum256([]byte(shop.ID + "\x00" + strings.ToUpper(f.Value("PBX_HMAC"))))
	return "ord_" + guichet.Letters(sum[:12])
}

// authenticate finds the shop by PBX_SITE and PBX_RANG, checks that
// PBX_IDENTIFIANT is one of the site's identifiers, as ResAbon.cgi does,
// and checks the form's HMAC with the shop's key. Any of the three wrong
// gets the one page the platform shows for all of them.
func (s *System) authenticate(ctx context.Context, f Form) (*guichet.Shop, bool) {
	shop, acct, err := findShop(ctx, s.svc, f.Value("PBX_SITE"), f.Value("PBX_RANG"))
	if err != nil {
		s.log.Error("paybox system: shop lookup", "err", err)
	}
	if shop == nil {
		return nil, false
	}
	if !acct.KnowsIdentifiant(f.Value("PBX_IDENTIFIANT")) {
		s.log.Info("paybox system: identifier refused", "shop", shop.ID)
		return nil, false
	}
	if acct.HMACKey == "" || !VerifyHMAC(f, acct.HMACKey, "PBX_HASH", "PBX_HMAC") {
		logRefusedHMAC(ctx, s.log, "paybox system: HMAC refused", shop.ID, f, "PBX_HASH", "PBX_HMAC")
		return nil, false
	}
	return shop, true
}

// load rebuilds the session of a page step from the order in the URL.
func (s *System) load(w http.ResponseWriter, r *http.Request) (*session, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.refuse(w, "Requête illisible.")
		return nil, false
	}
	o, err := s.svc.OrderByID(r.Context(), r.PathValue("id"))
	if err != nil || o.Protocol != protocolSystem {
		s.refuse(w, "Session de paiement inconnue ou expirée.")
		return nil, false
	}
	shop, err := s.svc.ShopByID(r.Context(), o.ShopID)
	if err != nil {
		s.fail(w, err)
		return nil, false
	}
	var f Form
	if err := json.Unmarshal(o.Request, &f); err != nil {
		s.fail(w, err)
		return nil, false
	}
	req, err := ParseSystem(f)
	if err != nil {
		s.fail(w, err)
		return nil, false
	}
	ss := &session{shop: shop, order: o, req: req}
	if o.Status != guichet.OrderOpen {
		s.alreadyProcessed(w, ss)
		return nil, false
	}
	// The order's display time runs out as on the platform.
	if s.svc.Now(shop).Sub(o.CreatedAt) > time.Duration(req.Display)*time.Second {
		s.finish(w, ss, nil, nil, "00030")
		return nil, false
	}
	return ss, true
}

// fail shows a platform error for what is not the merchant's or the
// buyer's fault.
func (s *System) fail(w http.ResponseWriter, err error) {
	s.log.Error("paybox system", "err", err)
	s.refuse(w, "Erreur technique, veuillez réessayer.")
	note(w, "error", "Erreur technique, veuillez réessayer.")
}

// refuseParam shows the error page of a wrong parameter of the form.
func (s *System) refuseParam(w http.ResponseWriter, pe *ParamError) {
	s.refuse(w, "Paramètre invalide "+pe.Param+" : "+pe.Message)
	note(w, "invalid:"+pe.Param, pe.Param+" : "+pe.Message)
}

// payFailed answers a payment the core did not record. When two tabs pay
// the same order at once, the one that loses gets a conflict: it shows
// the page of an order already processed, as a reload would, rather than
// a technical error.
func (s *System) payFailed(w http.ResponseWriter, r *http.Request, ss *session, err error) {
	if guichet.ErrorCode(err) == guichet.CodeConflict && guichet.ErrorReason(err) == guichet.ReasonState {
		o, lerr := s.svc.Order(r.Context(), ss.shop, ss.order.ID)
		if lerr == nil && o.Status != guichet.OrderOpen {
			ss.order = o
			s.alreadyProcessed(w, ss)
			return
		}
	}
	s.fail(w, err)
}
