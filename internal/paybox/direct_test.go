package paybox_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/paybox"
	"guichet/internal/sim"
	"guichet/internal/store/sqlite"
	"guichet/internal/vault"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixedClock pins the time so that answers and golden files are stable.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var testNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

const hmacKey = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"

// gateway is a Paybox Direct front over a real SQLite store.
type gateway struct {
	t     testing.TB
	url   string
	mux   *http.ServeMux
	store guichet.Store
	q     atomic.Int64
}

func newGateway(t testing.TB) *gateway {
	t.Helper()
	return newGatewayWith(t, nil)
}

// newGatewayWith builds the gateway over the given acquirer, or the
// simulator when acq is nil.
func newGatewayWith(t testing.TB, acq guichet.Acquirer) *gateway {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "guichet.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return newGatewayOn(t, acq, store)
}

// newGatewayOn builds the gateway over the given acquirer (the simulator
// when nil) and store.
func newGatewayOn(t testing.TB, acq guichet.Acquirer, store guichet.Store) *gateway {
	t.Helper()
	ctx := context.Background()
	v, err := vault.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	clock := fixedClock{testNow}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if acq == nil {
		acq = sim.New(clock.Now)
	}
	svc := core.New(store, acq, v, clock, log)
	err = store.Update(ctx, func(tx guichet.Tx) error {
		for _, s := range []guichet.Shop{
			{ID: "shop-32", Name: "test 32", Mode: guichet.ModeTest, Credentials: []guichet.Credential{paybox.Account{Site: "1999888", Rang: "32", Key: "1999888I", HMACKey: hmacKey}.Credential()}},
			{ID: "shop-63", Name: "test 63", Mode: guichet.ModeTest, Credentials: []guichet.Credential{paybox.Account{Site: "1999888", Rang: "63", Key: "1999888I", HMACKey: hmacKey}.Credential()}},
			{ID: "shop-43", Name: "test 43", Mode: guichet.ModeTest, RequireCVV: true, Credentials: []guichet.Credential{paybox.Account{Site: "1999888", Rang: "43", Key: "1999888I", HMACKey: hmacKey}.Credential()}},
			{ID: "shop-100", Name: "test 100", Mode: guichet.ModeTest, Credentials: []guichet.Credential{paybox.Account{Site: "1999888", Rang: "100", Key: "1999888I", HMACKey: hmacKey, HMACOnly: true}.Credential()}},
			{ID: "shop-prod", Name: "prod", Mode: guichet.ModeProduction, Credentials: []guichet.Credential{paybox.Account{Site: "1234567", Rang: "01", Key: "SECRET123", HMACKey: hmacKey}.Credential()}},
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
	mux := http.NewServeMux()
	paybox.Register(mux, svc, log, nil)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	g := &gateway{t: t, url: srv.URL, mux: mux, store: store}
	g.q.Store(194102418)
	return g
}

// fields is a request or an answer in wire order.
type fields [][2]string

func (f fields) encode() string {
	var parts []string
	for _, p := range f {
		parts = append(parts, p[0]+"="+formEscape(p[1]))
	}
	return strings.Join(parts, "&")
}

func formEscape(s string) string {
	r := strings.NewReplacer("%", "%25", "&", "%26", "=", "%3D", "+", "%2B", " ", "+")
	return r.Replace(s)
}

// base returns the fields every request carries, for shop 1999888/32
// authenticated by CLE, with a fresh NUMQUESTION.
func (g *gateway) base(typ string) fields {
	return fields{{"VERSION", "00104"}, {"TYPE", typ}, {"SITE", "1999888"}, {"RANG", "032"}, {"CLE", "1999888I"},
		{"NUMQUESTION", strconv.FormatInt(g.q.Add(1), 10)}, {"DATEQ", "23112026100000"}}
}

func card(pan string) fields {
	return fields{{"PORTEUR", pan}, {"DATEVAL", "1230"}, {"CVV", "123"}}
}

func money(amount string) fields {
	return fields{{"MONTANT", amount}, {"DEVISE", "978"}}
}

func join(fs ...fields) fields {
	var all fields
	for _, f := range fs {
		all = append(all, f...)
	}
	return all
}

// answer is a parsed answer: the raw bytes and the fields in order.
type answer struct {
	raw    []byte
	fields fields
}

func (a answer) get(name string) string {
	for _, p := range a.fields {
		if p[0] == name {
			return p[1]
		}
	}
	return "<absent>"
}

func (g *gateway) postRaw(body string) answer {
	g.t.Helper()
	resp, err := http.Post(g.url+"/PPPS.php", "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		g.t.Fatalf("HTTP %d: %s", resp.StatusCode, raw)
	}
	return parseAnswer(raw)
}

// parseAnswer splits an answer, whose values are not encoded.
func parseAnswer(raw []byte) answer {
	a := answer{raw: raw}
	for _, seg := range strings.Split(string(raw), "&") {
		name, value, _ := strings.Cut(seg, "=")
		a.fields = append(a.fields, [2]string{name, value})
	}
	return a
}

func (g *gateway) post(f fields) answer {
	g.t.Helper()
	return g.postRaw(f.encode())
}

// must posts and fails the test unless the answer has the code.
func (g *gateway) must(code string, f fields) answer {
	g.t.Helper()
	a := g.post(f)
	if got := a.get("CODEREPONSE"); got != code {
		g.t.Fatalf("TYPE %s: CODEREPONSE = %s (%s), want %s\nrequest: %s", f.value("TYPE"), got, latin1ToUTF8(a.get("COMMENTAIRE")), code, f.encode())
	}
	return a
}

func (f fields) value(name string) string {
	for _, p := range f {
		if p[0] == name {
			return p[1]
		}
	}
	return ""
}

func latin1ToUTF8(s string) string {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}

// state summarises what the store holds, to prove a refused request
// changed nothing.
func (g *gateway) state() string {
	g.t.Helper()
	var b strings.Builder
	err := g.store.View(context.Background(), func(tx guichet.Tx) error {
		for _, shop := range []string{"shop-32", "shop-43", "shop-63", "shop-100", "shop-prod"} {
			list, err := tx.Transactions(guichet.TransactionFilter{ShopID: shop, Limit: 1000})
			if err != nil {
				return err
			}
			for _, t := range list {
				b.WriteString(t.ID + " " + string(t.Status) + " " + strconv.FormatInt(t.Amount, 10) + "/" +
					strconv.FormatInt(t.Captured, 10) + "/" + strconv.FormatInt(t.Refunded, 10) + " ops=" + strconv.Itoa(len(t.Operations)) + "\n")
			}
		}
		return nil
	})
	if err != nil {
		g.t.Fatal(err)
	}
	return b.String()
}

func TestDirectFullCycle(t *testing.T) {
	g := newGateway(t)
	auth := g.must("00000", join(g.base("00001"), money("0000010000"), fields{{"REFERENCE", "order-1"}}, card("1111222233334444"), fields{{"ACTIVITE", "024"}}))
	numappel, numtrans := auth.get("NUMAPPEL"), auth.get("NUMTRANS")
	if auth.get("AUTORISATION") != "XXXXXX" || len(numappel) != 10 || len(numtrans) != 10 {
		t.Fatalf("authorization answer %s", auth.raw)
	}
	ref := fields{{"REFERENCE", "order-1"}, {"NUMAPPEL", numappel}, {"NUMTRANS", numtrans}}
	inquire := func(status string) {
		t.Helper()
		a := g.must("00000", join(g.base("00017"), fields{{"NUMTRANS", numtrans}, {"NUMAPPEL", numappel}}))
		if got := latin1ToUTF8(a.get("STATUS")); got != status {
			t.Errorf("STATUS = %q, want %q", got, status)
		}
	}
	inquire("Autorisé")

	capture := g.must("00000", join(g.base("00002"), money("6000"), ref))
	if capture.get("NUMAPPEL") != numappel || capture.get("NUMTRANS") != numtrans {
		t.Errorf("capture answered %s/%s, want the authorization's %s/%s", capture.get("NUMAPPEL"), capture.get("NUMTRANS"), numappel, numtrans)
	}
	inquire("Capturé")

	r1 := g.must("00000", join(g.base("00014"), money("2500"), ref))
	r2 := g.must("00000", join(g.base("00014"), money("3500"), ref))
	if r1.get("NUMAPPEL") != numappel || r1.get("NUMTRANS") == numtrans || r1.get("NUMTRANS") == r2.get("NUMTRANS") {
		t.Errorf("refunds answered %s/%s and %s/%s; want new NUMTRANS under NUMAPPEL %s",
			r1.get("NUMAPPEL"), r1.get("NUMTRANS"), r2.get("NUMAPPEL"), r2.get("NUMTRANS"), numappel)
	}
	before := g.state()
	g.must("00011", join(g.base("00014"), money("1"), ref))
	if after := g.state(); after != before {
		t.Errorf("a refused refund changed the store:\n%s\n%s", before, after)
	}
	inquire("Remboursé")

	// The refund's own number finds the same transaction.
	a := g.must("00000", join(g.base("00017"), fields{{"NUMTRANS", r1.get("NUMTRANS")}}))
	if a.get("NUMAPPEL") != numappel {
		t.Errorf("inquiry by refund number gave NUMAPPEL %s", a.get("NUMAPPEL"))
	}
	// Looking the transaction up by reference and amount.
	a = g.must("00000", join(g.base("00011"), money("10000"), fields{{"REFERENCE", "order-1"}}))
	if a.get("NUMAPPEL") != numappel || a.get("NUMTRANS") != numtrans {
		t.Errorf("00011 found %s/%s", a.get("NUMAPPEL"), a.get("NUMTRANS"))
	}
	g.must("00018", join(g.base("00011"), money("10001"), fields{{"REFERENCE", "order-1"}}))
}

func TestDirectAnswerLayout(t *testing.T) {
	g := newGateway(t)
	a := g.must("00000", join(g.base("00003"), money("1000"), fields{{"REFERENCE", "TestPaybox"}}, card("4012001037141112"),
		fields{{"PAYS", ""}, {"TYPECARTE", ""}, {"SHA-1", ""}}))
	golden(t, "answer_00003.golden", a.raw)

	var names []string
	for _, f := range a.fields {
		names = append(names, f[0])
	}
	want := "NUMTRANS NUMAPPEL NUMQUESTION SITE RANG AUTORISATION CODEREPONSE COMMENTAIRE REFABONNE PORTEUR PAYS TYPECARTE SHA-1"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("fields %s\nwant   %s", got, want)
	}
	if got := a.get("SHA-1"); got != "678AEDDA00FA890C9056626FFB5699C57BC602B0" {
		t.Errorf("SHA-1 = %s", got)
	}
	if !bytes.Contains(a.raw, []byte("COMMENTAIRE=Demande trait\xe9e avec succ\xe8s&")) {
		t.Errorf("COMMENTAIRE is not Latin-1: %q", a.raw)
	}
	if a.get("RANG") != "32" || a.get("NUMQUESTION") != "0194102419" || a.get("SITE") != "1999888" {
		t.Errorf("echoed fields: %s", a.raw)
	}
	// Optional fields not asked for are not sent.
	b := g.must("00000", join(g.base("00003"), money("1000"), fields{{"REFERENCE", "TestPaybox"}}, card("1111222233334444")))
	if strings.Contains(string(b.raw), "PAYS=") || !strings.HasSuffix(string(b.raw), "&REFABONNE=&PORTEUR=") {
		t.Errorf("answer without optional fields: %s", b.raw)
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\ngot  %q\nwant %q", name, got, want)
	}
}
