package paybox

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"guichet"
	"guichet/internal/core"
)

// maxResAbon caps a ResAbon.cgi request: a few short fields, a reference
// of at most 250 bytes and an HMAC.
const maxResAbon = 8 << 10

// The ERREUR codes of ResAbon.cgi (spec §2.10).
const (
	resAbonConfig    = "1" // technical error: the shop's configuration (its HMAC key)
	resAbonData      = "2" // inconsistent data
	resAbonDatabase  = "3" // technical error: the database
	resAbonSite      = "4" // unknown site
	resAbonCancelled = "9" // cancellation failed: unknown or already cancelled subscription
)

// ResAbon serves /cgi-bin/ResAbon.cgi, by which a merchant cancels a
// subscription the platform manages (PBX_CMD sub-variables).
type ResAbon struct {
	svc *core.Service
	log *slog.Logger
}

// resAbonAnswer is what the CGI answers: the cancelled subscription, or an
// error code with what the request named.
type resAbonAnswer struct {
	err         string // "" when the cancellation succeeded
	identifiant string
	abonnement  string
	reference   string
}

// String renders the answer as the platform does, in one line of
// name=value pairs; the values that come from the request are escaped so
// that a reference with "&" in it cannot add a field.
func (a resAbonAnswer) String() string {
	if a.err == "" {
		return "ACQ=OK&IDENTIFIANT=" + EscapeValue(a.identifiant) + "&ABONNEMENT=" + EscapeValue(a.abonnement)
	}
	s := "ACQ=NO&ERREUR=" + a.err + "&IDENTIFIANT=" + EscapeValue(a.identifiant)
	if a.reference == "" && a.abonnement != "" {
		return s + "&ABONNEMENT=" + EscapeValue(a.abonnement)
	}
	return s + "&REFERENCE=" + EscapeValue(a.reference)
}

func (h *ResAbon) register(mux *http.ServeMux) {
	mux.Handle("GET /cgi-bin/ResAbon.cgi", h)
	mux.Handle("POST /cgi-bin/ResAbon.cgi", h)
}

func (h *ResAbon) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	raw := r.URL.RawQuery
	a := resAbonAnswer{err: resAbonData}
	var readErr error
	if r.Method == http.MethodPost {
		var body []byte
		body, readErr = io.ReadAll(http.MaxBytesReader(w, r.Body, maxResAbon))
		if len(body) > 0 || raw == "" {
			raw = string(body)
		}
	}
	var f Form
	var shop *guichet.Shop
	if readErr == nil && len(raw) <= maxResAbon {
		if f, readErr = ParseForm(raw); readErr == nil {
			shop = h.safeServe(r.Context(), f, &a)
		}
	}
	text := a.String()
	w.Header().Set("Content-Type", "text/plain; charset=ISO-8859-1")
	w.Write(latin1(text))

	e := guichet.Exchange{Protocol: "paybox-resabon", Operation: "TYPE=" + wireText(f.Value("TYPE")), Reference: wireText(f.Value("REFERENCE")),
		Code: a.err, Request: maskForm(f), Response: wireText(text)}
	if e.Code == "" {
		e.Code = "OK"
	}
	if shop != nil {
		e.ShopID = shop.ID
	}
	recordExchange(r.Context(), h.svc, h.log, start, e)
}

// safeServe is serve that turns a panic into a technical error, so that
// even a bug answers in the protocol. Nothing is half written: the
// cancellation is one unit of work.
func (h *ResAbon) safeServe(ctx context.Context, f Form, a *resAbonAnswer) (shop *guichet.Shop) {
	defer func() {
		if p := recover(); p != nil {
			h.log.Error("paybox resabon: panic", "panic", p)
			a.err = resAbonDatabase
		}
	}()
	return h.serve(ctx, f, a)
}

// serve checks the request and cancels the subscription it names. It
// returns the shop the request named, once authenticated.
func (h *ResAbon) serve(ctx context.Context, f Form, a *resAbonAnswer) *guichet.Shop {
	a.identifiant = f.Value("IDENTIFIANT")
	a.abonnement = f.Value("ABONNEMENT")
	a.reference = f.Value("REFERENCE")
	if f.Value("VERSION") != "001" || f.Value("TYPE") != "001" || !allDigits(a.identifiant, 1, 9) {
		a.err = resAbonData
		return nil
	}
	shop, acct, err := findShop(ctx, h.svc, f.Value("SITE"), f.Value("MACH"))
	if err != nil {
		h.log.Error("paybox resabon: shop lookup", "err", err)
		a.err = resAbonDatabase
		return nil
	}
	if shop == nil || !acct.KnowsIdentifiant(a.identifiant) {
		a.err = resAbonSite
		return nil
	}
	if code := h.authenticate(ctx, f, shop, acct); code != "" {
		a.err = code
		return nil
	}
	// The subscription is named by its number or by its reference; the
	// number, which cannot be ambiguous, wins when both are sent.
	var number int64
	if a.abonnement != "" {
		n, err := strconv.ParseInt(a.abonnement, 10, 64)
		if err != nil || n <= 0 || !allDigits(a.abonnement, 1, 18) {
			a.err = resAbonData
			return shop
		}
		number = n
	}
	ref := a.reference
	if ref != "" {
		// The merchant may send PBX_CMD as it was sent, sub-variables
		// included, or its own reference alone.
		if sub, pe := parseSubscription(ref); pe == nil && sub != nil {
			ref = sub.Reference
		}
	}
	if (number == 0 && ref == "") || len(ref) > 250 {
		a.err = resAbonData
		return shop
	}
	// Subscriptions are kept under their reference as text.
	ref = wireText(ref)
	if number != 0 {
		ref = ""
	}
	got, err := h.svc.CancelSubscription(ctx, shop, number, ref)
	switch {
	case err == nil:
		a.err, a.abonnement = "", subscriptionNumber(got)
	case guichet.ErrorCode(err) == guichet.CodeNotFound:
		a.err = resAbonCancelled
	default:
		h.log.Error("paybox resabon: cancellation", "shop", shop.ID, "err", err)
		a.err = resAbonDatabase
	}
	return shop
}

// authenticate checks the optional HMAC (newer clients send TIME and HMAC,
// older ones neither) and returns the error code, or "". A signature the
// shop cannot check, having no key, or a wrong one, is a configuration
// error on the merchant's side.
func (h *ResAbon) authenticate(ctx context.Context, f Form, shop *guichet.Shop, acct *Account) string {
	if _, signed := f.Get("HMAC"); !signed {
		return ""
	}
	if _, ok := f.Get("TIME"); !ok {
		return resAbonData
	}
	if !VerifyHMAC(f, acct.HMACKey, "HASH", "HMAC") {
		logRefusedHMAC(ctx, h.log, "paybox resabon: HMAC refused", shop.ID, f, "HASH", "HMAC")
		return resAbonConfig
	}
	return ""
}
