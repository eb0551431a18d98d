package paybox_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/backoffice"
	"guichet/internal/checkout"
	"guichet/internal/core"
	"guichet/internal/front"
	"guichet/internal/notify"
	"guichet/internal/paybox"
	"guichet/internal/sim"
	"guichet/internal/store/sqlite"
	"guichet/internal/vault"
)

const adminToken = "test-token-0123456789"

// merchant is a shop's web server: it records the IPNs it receives and
// answers them with the status it is told to.
type merchant struct {
	*httptest.Server
	mu     sync.Mutex
	ipns   []*http.Request
	bodies []string
	status int
}

func newMerchant(t *testing.T) *merchant {
	m := &merchant{status: http.StatusOK}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		m.mu.Lock()
		defer m.mu.Unlock()
		m.ipns = append(m.ipns, r)
		m.bodies = append(m.bodies, string(body))
		w.WriteHeader(m.status)
	}))
	t.Cleanup(m.Close)
	return m
}

func (m *merchant) received() ([]*http.Request, []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]*http.Request(nil), m.ipns...), append([]string(nil), m.bodies...)
}

func (m *merchant) answer(status int) {
	m.mu.Lock()
	m.status = status
	m.mu.Unlock()
}

// hosted is a whole gateway, hosted pages included, over a real SQLite
// store, with a browser-like client that does not follow redirects.
type hosted struct {
	t      *testing.T
	url    string
	pub    *rsa.PublicKey
	client *http.Client
	store  guichet.Store
}

func newHosted(t *testing.T) *hosted {
	t.Helper()
	return newHostedLog(t, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// newHostedLog is newHosted logging to log.
func newHostedLog(t *testing.T, log *slog.Logger) *hosted {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "guichet.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	v, _ := vault.New(bytes.Repeat([]byte{7}, 32))
	clock := fixedClock{testNow}
	svc := core.New(store, sim.New(clock.Now), v, clock, log)
	svc.SetSender(notify.New(5 * time.Second))
	svc.SetReviewer(sim.FIANET{})
	err = store.Update(ctx, func(tx guichet.Tx) error {
		for _, s := range []guichet.Shop{
			{ID: "shop-32", Name: "Boutique 32", Mode: guichet.ModeTest, Credentials: []guichet.Credential{paybox.Account{Site: "1999888", Rang: "32",
				Identifiants: []string{"107904482", "2"}, Key: "1999888I", HMACKey: hmacKey}.Credential()},
				Kwixo: &guichet.KwixoContract{Options: []string{guichet.KwixoStandard, guichet.KwixoRNP, guichet.KwixoCredit}, RNPPilotable: true}},
			{ID: "shop-43", Name: "Boutique 43", Mode: guichet.ModeTest, ThreeDS: true, Credentials: []guichet.Credential{paybox.Account{Site: "1999888", Rang: "43", Key: "1999888I", HMACKey: hmacKey}.Credential()},
				Kwixo: &guichet.KwixoContract{Options: []string{guichet.KwixoStandard}, AutoCapture: true, CaptureDays: 2}},
		} {
			if err := tx.PutShop(&s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	signer, err := paybox.SharedSigner(ctx, svc, dir)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := paybox.ParsePublicKey(signer.PublicKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	pages, err := checkout.New()
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	f, err := paybox.New(ctx, front.Deps{Service: svc, Log: log, Pages: pages, Data: dir})
	if err != nil {
		t.Fatal(err)
	}
	front.Plug(svc, f)
	f.Register(mux)
	backoffice.Register(mux, svc, log, adminToken)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &hosted{t: t, url: srv.URL, pub: pub, store: store,
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signedForm builds a Paybox System form as a merchant module does: the
// fields in its order, PBX_HMAC over them, last.
func signedForm(fields [][2]string) string {
	var signed, posted []string
	for _, f := range fields {
		signed = append(signed, f[0]+"="+f[1])
		posted = append(posted, f[0]+"="+url.QueryEscape(f[1]))
	}
	sig, _ := paybox.Sign(hmacKey, "SHA512", strings.Join(signed, "&"))
	return strings.Join(posted, "&") + "&PBX_HMAC=" + sig
}

func systemFields(m *merchant, rang, ref string, extra ...[2]string) [][2]string {
	f := [][2]string{
		{"PBX_SITE", "1999888"}, {"PBX_RANG", rang}, {"PBX_IDENTIFIANT", "107904482"},
		{"PBX_TOTAL", "1250"}, {"PBX_DEVISE", "978"}, {"PBX_CMD", ref}, {"PBX_PORTEUR", "buyer@example.com"},
		{"PBX_RETOUR", "Mt:M;Ref:R;Auto:A;Appel:T;Trans:S;Erreur:E;Carte:C;Sign:K"},
		{"PBX_EFFECTUE", m.URL + "/ok?lang=fr"}, {"PBX_REFUSE", m.URL + "/refused"}, {"PBX_ANNULE", m.URL + "/cancelled"},
		{"PBX_REPONDRE_A", m.URL + "/ipn"}, {"PBX_HASH", "SHA512"}, {"PBX_TIME", "2026-11-23T11:00:00+01:00"},
	}
	return append(f, extra...)
}

// page is an HTML page the gateway answered.
type page struct {
	status int
	body   string
}

func (h *hosted) post(path, body string) page {
	h.t.Helper()
	resp, err := h.client.Post(h.url+path, "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, string(b)}
}

var actionRE = regexp.MustCompile(`action="(/paybox/order/[^"/]+)/`)

func (p page) orderPath(t *testing.T) string {
	t.Helper()
	m := actionRE.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no order form in page:\n%s", p.body)
	}
	return m[1]
}

var linkRE = regexp.MustCompile(`href="([^"]+)"`)

// returnLink is the "back to the shop" link of a ticket page.
func (p page) returnLink(t *testing.T, prefix string) string {
	t.Helper()
	for _, m := range linkRE.FindAllStringSubmatch(p.body, -1) {
		u := strings.ReplaceAll(m[1], "&amp;", "&")
		if strings.HasPrefix(u, prefix) {
			return u
		}
	}
	t.Fatalf("no link to %s in page:\n%s", prefix, p.body)
	return ""
}

func (h *hosted) advance(seconds int) {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.url+"/_guichet/v1/clock/advance", strings.NewReader(`{"seconds":`+strconv.Itoa(seconds)+`}`))
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		h.t.Fatalf("clock advance: %d %s", resp.StatusCode, b)
	}
}

func TestSystemCardPayment(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	form := signedForm(systemFields(m, "32", "order 1"))

	choice := h.post("/cgi/MYchoix_pagepaiement.cgi", form)
	if !strings.Contains(choice.body, "***TEST***") || !strings.Contains(choice.body, `value="CARTE:VISA"`) {
		t.Fatalf("choice page:\n%s", choice.body)
	}
	order := choice.orderPath(t)
	card := h.post(order+"/choose", "method=CARTE%3ACB")
	if !strings.Contains(card.body, `autocomplete="cc-number"`) {
		t.Fatalf("card page:\n%s", card.body)
	}
	ticket := h.post(order+"/card", "card_type=CB&number=1111+2222+3333+4444&expiry=12%2F30&cvv=123&holder=Jean+Dupont")
	back := ticket.returnLink(t, m.URL+"/ok?lang=fr&")
	q := back[strings.IndexByte(back, '?')+1:]
	if err := paybox.VerifyReturn(h.pub, q, "Sign"); err != nil {
		t.Errorf("browser return %s: %v", q, err)
	}
	for _, want := range []string{"Mt=1250", "Ref=order%201", "Auto=XXXXXX", "Erreur=00000", "Carte=CB"} {
		if !strings.Contains(q, want) {
			t.Errorf("return %s lacks %s", q, want)
		}
	}

	// The IPN goes out from the outbox when due work runs.
	h.advance(0)
	ipns, _ := m.received()
	if len(ipns) != 1 || ipns[0].Method != "GET" || ipns[0].URL.Path != "/ipn" {
		t.Fatalf("IPNs %v", ipns)
	}
	if err := paybox.VerifyReturn(h.pub, ipns[0].URL.RawQuery, "Sign"); err != nil {
		t.Errorf("IPN %s: %v", ipns[0].URL.RawQuery, err)
	}

	// The same form posted again finds the order paid.
	again := h.post("/cgi/MYchoix_pagepaiement.cgi", form)
	if strings.Contains(again.body, "/choose") || !strings.Contains(again.body, "déjà traité") {
		t.Errorf("replayed form:\n%s", again.body)
	}
}

func TestSystemRefusals(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	fields := systemFields(m, "32", "tampered")
	form := signedForm(fields)
	for name, body := range map[string]string{
		"tampered amount": strings.Replace(form, "PBX_TOTAL=1250", "PBX_TOTAL=1", 1),
		"no signature":    form[:strings.Index(form, "&PBX_HMAC=")],
		"unknown rang":    signedForm(systemFields(m, "99", "x")),
		// Signed right, but with the identifier of E-transactions' test
		// site 1999887 instead of one of site 1999888's.
		"identifier of another site": signedForm(withField(systemFields(m, "32", "x"), "PBX_IDENTIFIANT", "3")),
		"no identifier":              signedForm(withField(systemFields(m, "32", "x"), "PBX_IDENTIFIANT", "")),
		"garbage":                    "%%%\x00",
	} {
		p := h.post("/php/", body)
		if !strings.Contains(p.body, "Accès refusé") || strings.Contains(p.body, "/paybox/order/") {
			t.Errorf("%s: page:\n%s", name, p.body)
		}
	}
	var n int
	h.store.View(context.Background(), func(tx guichet.Tx) error {
		list, _ := tx.Transactions(guichet.TransactionFilter{ShopID: "shop-32"})
		n = len(list)
		return nil
	})
	if n != 0 {
		t.Errorf("%d transactions after refused forms", n)
	}
	// Any of the site's identifiers, padded or not, is taken.
	for _, ident := range []string{"2", "000000002", "107904482"} {
		p := h.post("/php/", signedForm(withField(systemFields(m, "32", "ident "+ident), "PBX_IDENTIFIANT", ident)))
		if !strings.Contains(p.body, "/paybox/order/") {
			t.Errorf("identifier %s refused:\n%s", ident, p.body)
		}
	}
}

// withField returns fields with the value of name replaced.
func withField(fields [][2]string, name, value string) [][2]string {
	out := append([][2]string(nil), fields...)
	for i := range out {
		if out[i][0] == name {
			out[i][1] = value
		}
	}
	return out
}

func TestSystemIPNRetries(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	m.answer(http.StatusInternalServerError)
	choice := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(systemFields(m, "32", "retry", [2]string{"PBX_RUF1", "POST"})))
	order := choice.orderPath(t)
	h.post(order+"/card", "card_type=CB&number=4012001037141112&expiry=1230&cvv=123")
	h.advance(0)  // first attempt: 500
	h.advance(30) // not yet due
	if ipns, _ := m.received(); len(ipns) != 1 {
		t.Fatalf("%d attempts after 30 s, want 1", len(ipns))
	}
	h.advance(31) // one minute after the first attempt: second, still 500
	m.answer(http.StatusOK)
	h.advance(5 * 60) // third attempt succeeds
	h.advance(24 * 3600)
	ipns, bodies := m.received()
	if len(ipns) != 3 {
		t.Fatalf("%d attempts, want 3", len(ipns))
	}
	for i, r := range ipns {
		if r.Method != "POST" || bodies[i] != bodies[0] {
			t.Errorf("attempt %d: %s %q", i, r.Method, bodies[i])
		}
	}
	if err := paybox.VerifyReturn(h.pub, bodies[0], "Sign"); err != nil {
		t.Errorf("POST IPN %s: %v", bodies[0], err)
	}
	// The attempts are listed by the sandbox API.
	req, _ := http.NewRequest("GET", h.url+"/_guichet/v1/notifications?reference=retry", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Notifications []struct {
			Status   string
			Attempts []struct {
				StatusCode int `json:"status_code"`
			}
		}
	}
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if len(list.Notifications) != 1 || list.Notifications[0].Status != "delivered" || len(list.Notifications[0].Attempts) != 3 ||
		list.Notifications[0].Attempts[0].StatusCode != 500 || list.Notifications[0].Attempts[2].StatusCode != 200 {
		t.Errorf("notifications API: %+v", list)
	}
}

func TestSystemThreeDSAndCancel(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	// Rang 43 asks enrolled cards for 3-D Secure.
	card := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(systemFields(m, "43", "3ds", [2]string{"PBX_TYPEPAIEMENT", "CARTE"}, [2]string{"PBX_TYPECARTE", "CB"})))
	order := card.orderPath(t)
	challenge := h.post(order+"/card", "card_type=CB&number=4012001037141112&expiry=12%2F30&cvv=123")
	if !strings.Contains(challenge.body, `autocomplete="one-time-code"`) {
		t.Fatalf("no challenge:\n%s", challenge.body)
	}
	ticket := h.post(order+"/3ds", "otp=0000&outcome=fail")
	back := ticket.returnLink(t, m.URL+"/refused?")
	// The forced card type is returned in C, though the number is a Visa.
	if !strings.Contains(back, "Erreur=00189") || strings.Contains(back, "Auto=") || !strings.Contains(back, "Carte=CB") {
		t.Errorf("failed authentication returned %s", back)
	}

	// A buyer who cancels goes back to PBX_ANNULE with 00001.
	choice := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(systemFields(m, "32", "gave up")))
	p := h.post(choice.orderPath(t)+"/cancel", "")
	back = p.returnLink(t, m.URL+"/cancelled?")
	if !strings.Contains(back, "Erreur=00001") {
		t.Errorf("cancel returned %s", back)
	}
	if err := paybox.VerifyReturn(h.pub, back[strings.IndexByte(back, '?')+1:], "Sign"); err != nil {
		t.Errorf("cancel return signature: %v", err)
	}
}

func TestSystemCardErrorKeepsHolderAndExpiry(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	order := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(systemFields(m, "32", "typo"))).orderPath(t)
	p := h.post(order+"/card", "card_type=CB&number=4012001037141113&expiry=12%2F30&cvv=123&holder=Jean+Dupont")
	for _, want := range []string{`value="12/30"`, `value="Jean Dupont"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("card page after a wrong number lacks %s:\n%s", want, p.body)
		}
	}
	for _, secret := range []string{"4012001037141113", `value="123"`} {
		if strings.Contains(p.body, secret) {
			t.Errorf("card page shows %s again", secret)
		}
	}
}

// TestSystemAutomaticCapture pays with PBX_AUTOSEULE=O on a shop whose
// contract captures authorizations three days later: the one left alone
// is captured then, the one the merchant captured or cancelled is not
// touched again.
func TestSystemAutomaticCapture(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	err := h.store.Update(context.Background(), func(tx guichet.Tx) error {
		return tx.PutShop(&guichet.Shop{ID: "shop-85", Name: "Boutique 85", Mode: guichet.ModeTest, AutoCaptureDays: 3,
			Credentials: []guichet.Credential{paybox.Account{Site: "1999888", Rang: "85", Key: "1999888I", HMACKey: hmacKey}.Credential()}})
	})
	if err != nil {
		t.Fatal(err)
	}
	pay := func(ref string) *guichet.Transaction {
		order := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(systemFields(m, "85", ref, [2]string{"PBX_AUTOSEULE", "O"}))).orderPath(t)
		h.post(order+"/card", "card_type=CB&number=4012001037141112&expiry=1230&cvv=123")
		return h.find("shop-85", ref)
	}
	pay("left")
	captured, cancelled := pay("captured"), pay("cancelled")
	for _, c := range []struct {
		tr  *guichet.Transaction
		typ string
	}{{captured, "00002"}, {cancelled, "00005"}} {
		body := url.Values{"VERSION": {"00104"}, "TYPE": {c.typ}, "SITE": {"1999888"}, "RANG": {"85"}, "CLE": {"1999888I"},
			"NUMQUESTION": {strconv.FormatInt(c.tr.Number, 10)}, "DATEQ": {"23112026"}, "MONTANT": {"1250"}, "DEVISE": {"978"},
			"REFERENCE": {c.tr.Reference}, "NUMAPPEL": {strconv.FormatInt(c.tr.Number, 10)}, "NUMTRANS": {strconv.FormatInt(c.tr.First().Number, 10)}}
		if p := h.post("/PPPS.php", body.Encode()); !strings.Contains(p.body, "CODEREPONSE=00000") {
			t.Fatalf("%s: %s", c.typ, p.body)
		}
	}
	h.advance(3*24*3600 - 60)
	if tr := h.find("shop-85", "left"); tr.Status != guichet.StatusAuthorized {
		t.Errorf("before three days: %s", tr.Status)
	}
	h.advance(120)
	for ref, want := range map[string]struct {
		status guichet.Status
		ops    int
	}{"left": {guichet.StatusCaptured, 2}, "captured": {guichet.StatusCaptured, 2}, "cancelled": {guichet.StatusCancelled, 2}} {
		tr := h.find("shop-85", ref)
		if tr.Status != want.status || len(tr.Operations) != want.ops || (want.status == guichet.StatusCaptured && tr.Captured != 1250) {
			t.Errorf("%s after three days: %s, captured %d, %d operations", ref, tr.Status, tr.Captured, len(tr.Operations))
		}
	}
}

// find returns a shop's transaction by its reference.
func (h *hosted) find(shopID, ref string) *guichet.Transaction {
	h.t.Helper()
	var got *guichet.Transaction
	h.store.View(context.Background(), func(tx guichet.Tx) error {
		list, err := tx.Transactions(guichet.TransactionFilter{ShopID: shopID})
		for i := range list {
			if list[i].Reference == ref {
				got = &list[i]
			}
		}
		return err
	})
	if got == nil {
		h.t.Fatalf("no transaction %s in %s", ref, shopID)
	}
	return got
}

// TestSystemCardBrandsOfTheContract: the choice page lists the brands the
// shop accepts only, and a brand it does not accept cannot be forced nor
// posted.
func TestSystemCardBrandsOfTheContract(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	err := h.store.Update(context.Background(), func(tx guichet.Tx) error {
		return tx.PutShop(&guichet.Shop{ID: "shop-63", Name: "Boutique 63", Mode: guichet.ModeTest,
			Brands:      []guichet.Brand{guichet.BrandCB, guichet.BrandVisa},
			Credentials: []guichet.Credential{paybox.Account{Site: "1999888", Rang: "63", Key: "1999888I", HMACKey: hmacKey}.Credential()}})
	})
	if err != nil {
		t.Fatal(err)
	}
	choice := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(systemFields(m, "63", "brands")))
	for value, want := range map[string]bool{"CARTE:CB": true, "CARTE:VISA": true, "CARTE:AMEX": false, "CARTE:EUROCARD_MASTERCARD": false} {
		if got := strings.Contains(choice.body, `value="`+value+`"`); got != want {
			t.Errorf("choice page offers %s: %v, want %v", value, got, want)
		}
	}
	order := choice.orderPath(t)
	if p := h.post(order+"/choose", "method=CARTE%3AAMEX"); strings.Contains(p.body, `autocomplete="cc-number"`) {
		t.Errorf("AMEX chosen anyway:\n%s", p.body)
	}
	if p := h.post(order+"/card", "card_type=AMEX&number=4012001037141112&expiry=1230&cvv=123"); strings.Contains(p.body, "Paiement accepté") ||
		!strings.Contains(p.body, `value="CARTE:CB"`) {
		t.Errorf("AMEX card form posted anyway:\n%s", p.body)
	}
	// A card type no page offered, invented by a hand-made post, pays
	// nothing either, even on a shop that accepts every brand.
	for _, ct := range []string{"BITCOIN", "VISA%00", "cb"} {
		if p := h.post(order+"/card", "card_type="+ct+"&number=4012001037141112&expiry=1230&cvv=123"); strings.Contains(p.body, "Paiement accepté") ||
			!strings.Contains(p.body, `value="CARTE:CB"`) {
			t.Errorf("card_type %s accepted:\n%s", ct, p.body)
		}
	}
	open := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(systemFields(m, "32", "brands open")))
	if p := h.post(open.orderPath(t)+"/card", "card_type=BITCOIN&number=4012001037141112&expiry=1230&cvv=123"); strings.Contains(p.body, "Paiement accepté") {
		t.Errorf("card_type BITCOIN accepted by a shop with every brand:\n%s", p.body)
	}
	forced := h.post("/php/", signedForm(systemFields(m, "63", "brands 2", [2]string{"PBX_TYPEPAIEMENT", "CARTE"}, [2]string{"PBX_TYPECARTE", "AMEX"})))
	if !strings.Contains(forced.body, "Moyen de paiement indisponible") {
		t.Errorf("AMEX forced on a shop without it:\n%s", forced.body)
	}
	h.store.View(context.Background(), func(tx guichet.Tx) error {
		list, _ := tx.Transactions(guichet.TransactionFilter{ShopID: "shop-63"})
		if len(list) != 0 {
			t.Errorf("%d transactions", len(list))
		}
		list, _ = tx.Transactions(guichet.TransactionFilter{ShopID: "shop-32"})
		if len(list) != 0 {
			t.Errorf("%d transactions on the shop with every brand", len(list))
		}
		return nil
	})
	if p := h.post(order+"/card", "card_type=VISA&number=4012001037141112&expiry=1230&cvv=123"); !strings.Contains(p.body, "Paiement accepté") {
		t.Errorf("Visa payment:\n%s", p.body)
	}
}

// TestSystemReturnEncoding: the time, the date and the card expiry in a
// payment's IPN and a cancellation's return, encoded as the real returns
// of README's "How returned values are encoded and signed" show.
func TestSystemReturnEncoding(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	retour := [2]string{"PBX_RETOUR", "Mt:M;Ref:R;Auto:A;Exp:D;Heure:Q;Date:W;Bin:N;Erreur:E;Sign:K"}
	order := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(withField(systemFields(m, "32", "enc 1@a/b:c"), retour[0], retour[1]))).orderPath(t)
	h.post(order+"/card", "card_type=CB&number=1111222233334444&expiry=12%2F30&cvv=123")
	h.advance(0)
	ipns, _ := m.received()
	if len(ipns) != 1 {
		t.Fatalf("%d IPNs", len(ipns))
	}
	// 10:00 UTC on the test clock is 11:00 in Paris.
	const want = "Mt=1250&Ref=enc%201@a/b:c&Auto=XXXXXX&Exp=3012&Heure=11%3A00%3A00&Date=23112026&Bin=111122&Erreur=00000&Sign="
	if q := ipns[0].URL.RawQuery; !strings.HasPrefix(q, want) || paybox.VerifyReturn(h.pub, q, "Sign") != nil {
		t.Errorf("IPN %s\nwant %s…", q, want)
	}

	cancelled := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(withField(systemFields(m, "32", "enc 2"), retour[0], retour[1]))).orderPath(t)
	back := h.post(cancelled+"/cancel", "").returnLink(t, m.URL+"/cancelled?")
	q := back[strings.IndexByte(back, '?')+1:]
	if !strings.HasPrefix(q, "Mt=1250&Ref=enc%202&Heure=11%3A00%3A00&Date=23112026&Bin=&Erreur=00001&Sign=") {
		t.Errorf("cancellation return %s: want no Auto nor Exp, an empty Bin", q)
	}
}
