package paybox_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"guichet"
	"guichet/internal/paybox"
	"guichet/internal/store/postgres"
	"guichet/internal/store/postgres/pgtest"
	"guichet/internal/store/sqlite"
)

// cardSecrets are the card numbers and CVVs the tests below send in odd
// places; none may be found in the exchange log or the logs.
var cardSecrets = []string{"4012001037141112", "4012001038443335", "4012 0010 3714 1112", "0010+3714", "0010-3714",
	"7391", "7392", "7393", "7394", "7395"}

// TestExchangeLogMasksCards sends card numbers where no field expects them,
// and CVVs under names in every case, to every Paybox door: the exchange log
// keeps none of them.
func TestExchangeLogMasksCards(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	ppps := func(extra string) string {
		return "VERSION=00104&TYPE=00001&SITE=1999888&RANG=32&CLE=1999888I&NUMQUESTION=1&DATEQ=23112026&MONTANT=1000&DEVISE=978&DATEVAL=1230&" + extra
	}
	for _, tt := range []struct{ name, path, body string }{
		{"PPPS, wrong names and cases", "/PPPS.php", ppps("REFERENCE=cmd4012001037141112&porteur=4012001037141112&PORTEUR=4012001037141112X&cvv=7391&Cvv2=7392&cryptogramme=7393")},
		{"PPPS, refused, spaced number", "/PPPS.php", strings.Replace(ppps("PORTEUR=4012+0010+3714+1112&CVV=7394"), "CLE=1999888I", "CLE=wrong", 1)},
		{"PPPS, URL-encoded", "/PPPS.php", ppps("REFERENCE=%34%30%31%32%30%30%31%30%33%37%31%34%31%31%31%32&CVV=%37%33%39%31")},
		{"System, unsigned", "/php/", "PBX_SITE=1999888&PBX_RANG=32&PBX_CMD=ref-4012001038443335&PBX_PORTEUR=4012-0010-3714-1112&pbx_cvv=7395&PBX_HMAC=00"},
		{"System, signed", "/php/", signedForm(systemFields(m, "32", "4012001038443335", [2]string{"PBX_CVV", "7391"}))},
		{"ResAbon", "/cgi-bin/ResAbon.cgi", "VERSION=001&TYPE=001&SITE=1999888&MACH=032&IDENTIFIANT=107904482&REFERENCE=4012001037141112&CVV=7392&TIME=1&HMAC=00"},
		{"card step of no order", "/paybox/order/ord_x/card", "number=4012-0010-3714-1112&CVC=7393&Card_Number=4012001038443335"},
	} {
		h.post(tt.path, tt.body)
	}
	list := h.stored()
	if len(list) != 7 {
		t.Errorf("%d exchanges, want 7", len(list))
	}
	for _, e := range list {
		for _, s := range []string{e.Operation, e.Reference, e.Code, e.Request, e.Response} {
			for _, secret := range cardSecrets {
				if strings.Contains(s, secret) {
					t.Errorf("exchange %s %s keeps %q: %q", e.Protocol, e.Operation, secret, s)
				}
			}
		}
	}
	// What is masked is still there to read.
	if list[6].Reference != "cmd401200XXXXXX1112" || !strings.Contains(list[6].Request, "porteur=401200XXXXXX1112&PORTEUR=401200XXXXXX1112X") {
		t.Errorf("first PPPS exchange: %+v", list[6])
	}
}

// TestHMACRefusalLog checks what a refused signature logs: a short line at
// INFO, whatever the size of the form, since anyone can send one; the
// string the signature was checked against, masked and cut, at DEBUG only.
func TestHMACRefusalLog(t *testing.T) {
	m := newMerchant(t)
	padding := strings.Repeat("x", 60<<10)
	system := systemFields(m, "32", "cmd-4012001037141112", [2]string{"PBX_CVV", "7391"}, [2]string{"PBX_PADDING", padding})
	var body []string
	for _, f := range system {
		body = append(body, f[0]+"="+url.QueryEscape(f[1]))
	}
	for _, tt := range []struct {
		name  string
		level slog.Level
		path  string
		body  string
		max   int
		want  string
	}{
		{"System at INFO", slog.LevelInfo, "/php/", strings.Join(body, "&") + "&PBX_HMAC=00", 400, `"msg":"paybox system: HMAC refused"`},
		{"System at DEBUG", slog.LevelDebug, "/php/", strings.Join(body, "&") + "&PBX_HMAC=00", 1600, `"signed":"PBX_SITE=1999888&PBX_RANG=32`},
		{"ResAbon at INFO", slog.LevelInfo, "/cgi-bin/ResAbon.cgi",
			"VERSION=001&TYPE=001&SITE=1999888&MACH=032&IDENTIFIANT=107904482&REFERENCE=4012001037141112&CVV=7392&TIME=1&HMAC=00", 400,
			`"msg":"paybox resabon: HMAC refused"`},
		{"ResAbon at DEBUG", slog.LevelDebug, "/cgi-bin/ResAbon.cgi",
			"VERSION=001&TYPE=001&SITE=1999888&MACH=032&IDENTIFIANT=107904482&REFERENCE=4012001037141112&CVV=7392&TIME=1&HMAC=00", 1600,
			`"signed":"VERSION=001&TYPE=001&SITE=1999888&MACH=032&IDENTIFIANT=107904482&REFERENCE=401200XXXXXX1112&TIME=1"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			h := newHostedLog(t, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: tt.level})))
			h.post(tt.path, tt.body)
			out := logs.String()
			if !strings.Contains(out, tt.want) || len(out) > tt.max {
				t.Errorf("logged %d bytes, want %s in at most %d:\n%.3000s", len(out), tt.want, tt.max, out)
			}
			if tt.level == slog.LevelInfo && strings.Contains(out, `"signed"`) {
				t.Errorf("logged the signed string at INFO:\n%.3000s", out)
			}
			for _, secret := range cardSecrets {
				if strings.Contains(out, secret) {
					t.Errorf("logged %q:\n%.3000s", secret, out)
				}
			}
		})
	}
}

// syncBuffer collects log output safely across goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDirectLatin1 sends Paybox Direct values as its clients do, in
// Latin-1 bytes or with a NUL, on both stores: PostgreSQL refuses such bytes
// in text, and the request must succeed all the same, be found again by the
// same bytes, and have them echoed as sent.
func TestDirectLatin1(t *testing.T) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			var store guichet.Store
			var err error
			if name == "sqlite" {
				store, err = sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "guichet.db"))
			} else {
				store, err = postgres.Open(context.Background(), pgtest.URL(t))
			}
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { store.Close() })
			g := newGatewayOn(t, nil, store)

			for _, tt := range []struct {
				name, sent, found string // REFERENCE sent with 00003, and with 00011
			}{
				{"Latin-1", "Commande caf\xe9", "Commande caf\xe9"},
				{"Latin-1, found by UTF-8", "Commande cr\xe8me", "Commande crème"},
				{"UTF-8, found by Latin-1", "Commande th\xc3\xa9", "Commande th\xe9"},
				{"NUL", "Commande\x00nul", "Commande\x00nul"},
			} {
				t.Run(tt.name, func(t *testing.T) {
					a := g.must("00000", join(g.base("00003"), money("1990"), fields{{"REFERENCE", tt.sent}}, card("4012001037141112")))
					f := g.must("00000", join(g.base("00011"), money("1990"), fields{{"REFERENCE", tt.found}}))
					if f.get("NUMTRANS") != a.get("NUMTRANS") || f.get("NUMAPPEL") != a.get("NUMAPPEL") {
						t.Errorf("00011 found %s/%s, want %s/%s", f.get("NUMAPPEL"), f.get("NUMTRANS"), a.get("NUMAPPEL"), a.get("NUMTRANS"))
					}
				})
			}

			// A subscriber's reference is echoed in the answers as sent,
			// and names the subscriber with the same bytes.
			sub := fields{{"REFABONNE", "abonn\xe9-1"}}
			reg := g.must("00000", join(g.base("00056"), money("1000"), card("1111222233334444"), sub))
			if !bytes.Contains(reg.raw, []byte("&REFABONNE=abonn\xe9-1&")) {
				t.Errorf("00056 answer %q", reg.raw)
			}
			use := g.must("00000", join(g.base("00051"), money("2000"), fields{{"REFERENCE", "r\xe9f"}}, sub,
				fields{{"PORTEUR", reg.get("PORTEUR")}, {"DATEVAL", "1230"}}))
			if !bytes.Contains(use.raw, []byte("&REFABONNE=abonn\xe9-1&")) {
				t.Errorf("00051 answer %q", use.raw)
			}

			// The exchange log has the text the client meant.
			list, err := store.Exchanges(context.Background(), guichet.ExchangeFilter{Reference: "Commande café"})
			if err != nil || len(list) != 2 || !strings.Contains(list[1].Request, "&REFERENCE=Commande café&") {
				t.Errorf("exchanges of Commande café: %+v, %v", list, err)
			}
		})
	}
}

// TestSystemLatin1Reference pays a Paybox System order whose PBX_CMD and
// IPN address are in Latin-1: the returns echo PBX_CMD byte for byte
// ("%E9"), signed so, the IPN reaches the address the merchant meant, and
// the transaction has the reference as text.
func TestSystemLatin1Reference(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	form := systemFields(m, "32", "caf\xe9 cr\xe8me")
	for i := range form {
		if form[i][0] == "PBX_REPONDRE_A" {
			form[i][1] = m.URL + "/ipn?boutique=caf\xe9"
		}
	}
	order := h.post("/php/", signedForm(form)).orderPath(t)
	ticket := h.post(order+"/card", "card_type=CB&number=4012001037141112&expiry=1230&cvv=123")
	back := ticket.returnLink(t, m.URL+"/ok?lang=fr&")
	q := back[strings.IndexByte(back, '?')+1:]
	if err := paybox.VerifyReturn(h.pub, q, "Sign"); err != nil || !strings.Contains(q, "&Ref=caf%E9%20cr%E8me&") {
		t.Errorf("browser return %s: %v", q, err)
	}
	h.advance(0)
	// The request line carries no raw byte outside ASCII, and the
	// variables after the merchant's own query are signed.
	reqs, _ := m.received()
	if len(reqs) != 1 {
		t.Fatalf("%d IPNs", len(reqs))
	}
	raw := reqs[0].URL.RawQuery
	signed, ok := strings.CutPrefix(raw, "boutique=caf%E9&")
	if err := paybox.VerifyReturn(h.pub, signed, "Sign"); !ok || err != nil {
		t.Errorf("IPN query %q: %v", raw, err)
	}
	if v := reqs[0].URL.Query(); v.Get("Ref") != "caf\xe9 cr\xe8me" || v.Get("boutique") != "caf\xe9" {
		t.Errorf("IPN %v", v)
	}
	if tr := h.transaction("café crème"); tr == nil || tr.Status != guichet.StatusAuthorized && tr.Status != guichet.StatusCaptured {
		t.Errorf("transaction of café crème: %+v", tr)
	}
}
