package main

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/paybox"
)

const browserHMACKey = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"

// hit is one request the browser merchant received.
type hit struct {
	method, path, query, body string
}

// browserMerchant is the shop a buyer starts from: /shop serves a page
// with a signed Paybox System form, /back/* are the pages the gateway sends
// the buyer back to, /ipn takes the gateway's notifications.
type browserMerchant struct {
	*httptest.Server
	gateway string
	mu      sync.Mutex
	backs   []hit
	ipns    []hit
}

func newBrowserMerchant(t *testing.T, gateway string) *browserMerchant {
	m := &browserMerchant{gateway: gateway}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /shop", m.shop)
	mux.HandleFunc("GET /back/{outcome}", func(w http.ResponseWriter, r *http.Request) {
		m.record(&m.backs, r)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Boutique – %s</title></head>\n"+
			"<body><h1>Retour du paiement : %s</h1>\n<pre id=\"result\">%s</pre></body></html>\n",
			html.EscapeString(r.PathValue("outcome")), html.EscapeString(r.PathValue("outcome")), html.EscapeString(r.URL.RawQuery))
	})
	mux.HandleFunc("/ipn", func(w http.ResponseWriter, r *http.Request) {
		m.record(&m.ipns, r)
		fmt.Fprintln(w, "ok")
	})
	m.Server = httptest.NewServer(mux)
	t.Cleanup(m.Close)
	return m
}

func (m *browserMerchant) record(list *[]hit, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	m.mu.Lock()
	defer m.mu.Unlock()
	*list = append(*list, hit{r.Method, r.URL.Path, r.URL.RawQuery, string(body)})
}

// hits returns the recorded requests of a list whose query names the order.
func (m *browserMerchant) hits(list *[]hit, ref string) []hit {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []hit
	for _, h := range *list {
		if strings.Contains("&"+h.query+"&", "&Ref="+url.QueryEscape(ref)+"&") {
			out = append(out, h)
		}
	}
	return out
}

// shop serves /shop?rang=32&ref=order-1[&kwixo=1]: an order page whose "Payer"
// button posts a Paybox System form signed as merchant modules sign it,
// the fields in their order and PBX_HMAC last. Every page gets its own
// PBX_TIME, and the caller gives each a reference of its own.
func (m *browserMerchant) shop(w http.ResponseWriter, r *http.Request) {
	rang, ref := r.URL.Query().Get("rang"), r.URL.Query().Get("ref")
	if rang == "" {
		rang = "32"
	}
	if ref == "" {
		http.Error(w, "ref missing", http.StatusBadRequest)
		return
	}
	fields := [][2]string{
		{"PBX_SITE", "1999888"}, {"PBX_RANG", rang}, {"PBX_IDENTIFIANT", "107904482"},
		{"PBX_TOTAL", "1250"}, {"PBX_DEVISE", "978"}, {"PBX_CMD", ref}, {"PBX_PORTEUR", "buyer@example.com"},
		{"PBX_RETOUR", "Mt:M;Ref:R;Auto:A;Appel:T;Trans:S;Erreur:E;Type:P;Carte:C;Sign:K"},
		{"PBX_EFFECTUE", m.URL + "/back/ok"}, {"PBX_REFUSE", m.URL + "/back/refused"}, {"PBX_ANNULE", m.URL + "/back/cancelled"},
		{"PBX_ATTENTE", m.URL + "/back/pending"},
		{"PBX_REPONDRE_A", m.URL + "/ipn"}, {"PBX_HASH", "SHA512"}, {"PBX_TIME", time.Now().Format(time.RFC3339Nano)},
	}
	if r.URL.Query().Get("kwixo") != "" {
		// The order analysis data KWIXO needs (guide §4.2), as a
		// merchant module fills them.
		fields = append(fields, [][2]string{
			{"PBX_BILLTO_CIVILITY", "madame"}, {"PBX_BILLTO_NAME_FIRST", "marie"}, {"PBX_BILLTO_NAME_LAST", "martin"},
			{"PBX_BILLTO_MOBILE", "0612345678"}, {"PBX_BILLTO_EMAIL", "marie.martin@example.com"},
			{"PBX_BILLTO_STREET_LINE_1", "3 place bellecour"}, {"PBX_BILLTO_POSTALCODE", "69002"},
			{"PBX_BILLTO_CITY", "lyon"}, {"PBX_BILLTO_COUNTRY", "france"},
			{"PBX_SHIPTO_SHIPPER_NAME", "colissimo"}, {"PBX_SHIPTO_DELIVERY_TYPE", "4"}, {"PBX_SHIPTO_DELIVERY_SPEED", "2"},
			{"PBX_SHIPTO_SHIPPER_ID", "COL1"}, {"PBX_SHIPTO_SHIPPER_SIGN", "la poste"},
			{"PBX_PRODUCT_DETAILS", `[{"reference":"sku-1","type":"13","label":"echarpe","quantity":"1","unitprice":"1250"}]`},
			{"PBX_ORDER_DATE", time.Now().Format("2006-01-02 15:04:05")}, {"PBX_DELIVERY_DATE", time.Now().AddDate(0, 0, 3).Format("2006-01-02")},
			{"PBX_RECEIVE_AND_PAY", "0"}, {"PBX_AUTOSEULE", "O"},
		}...)
	}
	var signed []string
	for _, f := range fields {
		signed = append(signed, f[0]+"="+f[1])
	}
	sig, ok := paybox.Sign(browserHMACKey, "SHA512", strings.Join(signed, "&"))
	if !ok {
		http.Error(w, "cannot sign", http.StatusInternalServerError)
		return
	}
	fields = append(fields, [2]string{"PBX_HMAC", sig})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Boutique de test</title></head>\n<body>\n"+
		"<h1>Commande %s</h1>\n<p>Total : 12,50 €</p>\n<form method=\"post\" action=\"%s\">\n",
		html.EscapeString(ref), html.EscapeString(m.gateway+"/cgi/MYchoix_pagepaiement.cgi"))
	for _, f := range fields {
		fmt.Fprintf(w, "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n", html.EscapeString(f[0]), html.EscapeString(f[1]))
	}
	fmt.Fprint(w, "<button type=\"submit\">Payer</button>\n</form>\n</body></html>\n")
}

// needBrowser skips the test when a tool it needs is missing, except on CI
// (CI=true), where a missing tool must fail rather than skip silently.
func needBrowser(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing (CI=true, so this fails instead of skipping; .ci/run installs it)", what)
	}
	t.Skipf("%s is missing; see .ci/run", what)
}

// browserResult is what e2e/paybox_system.mjs prints on its RESULT line.
type browserResult map[string]struct {
	Ref string `json:"ref"`
	URL string `json:"url"`
}

// browserScript finds node and an e2e scenario script, skipping the test
// (failing it on CI) when chromium, node or the e2e modules are missing.
func browserScript(t *testing.T, name string) (node, root, script string) {
	t.Helper()
	const chromium = "/usr/bin/chromium"
	_, err := os.Stat(chromium)
	needBrowser(t, err == nil, chromium+" (apt-get install chromium)")
	node, err = exec.LookPath("node")
	needBrowser(t, err == nil, "node")
	if root, err = filepath.Abs(filepath.Join("..", "..")); err != nil {
		t.Fatal(err)
	}
	_, err = os.Stat(filepath.Join(root, "e2e", "node_modules", "playwright-core", "package.json"))
	needBrowser(t, err == nil, "e2e/node_modules (npm ci --prefix e2e)")
	return node, root, filepath.Join(root, "e2e", name)
}

// runBrowser runs a scenario script with its arguments and decodes what it
// printed on its RESULT line into results, failing the test (with the
// gateway's log) when a scenario failed or the line is not what results
// holds.
func runBrowser(t *testing.T, node, root, script string, serverLog fmt.Stringer, results any, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{script}, args...)...)
	cmd.Dir = root
	cmd.WaitDelay = 5 * time.Second
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	t.Logf("node %s %s (%v):\n%s", filepath.Base(script), strings.Join(args, " "), time.Since(start).Round(time.Millisecond), withoutResult(out.String()))
	if err != nil {
		t.Fatalf("browser scenarios failed: %v (ctx: %v)\ngateway log (tail):\n%s", err, ctx.Err(), tail(serverLog.String(), 30))
	}
	var result []byte
	for _, line := range strings.Split(out.String(), "\n") {
		if rest, ok := strings.CutPrefix(line, "RESULT "); ok {
			result = []byte(rest)
		}
	}
	if result == nil {
		t.Fatal("the scenarios printed no RESULT line")
	}
	if err := json.Unmarshal(result, results); err != nil {
		t.Fatalf("RESULT line %q: %v", result, err)
	}
}

// TestBrowserPayboxSystem goes through Paybox System's hosted pages in a
// real headless chromium (driven by e2e/paybox_system.mjs with
// playwright-core), from a merchant's page back to it: a card payment on
// rang 32 after a mistyped number, one through 3-D Secure on rang 43, and a
// cancellation. Then it checks what the merchant received for the first:
// a signed return on its PBX_EFFECTUE page and exactly one signed IPN.
func TestBrowserPayboxSystem(t *testing.T) {
	node, root, script := browserScript(t, "paybox_system.mjs")
	data := t.TempDir()
	base, _, serverLog, stop := startServe(t, map[string]string{}, "-data", data)
	defer stop()
	m := newBrowserMerchant(t, base)

	var results browserResult
	runBrowser(t, node, root, script, serverLog, &results, m.URL)
	paid, ok := results["paid"]
	if !ok || paid.Ref == "" {
		t.Fatalf("no result for the paid scenario in %v", results)
	}

	pub := fetchPublicKey(t, base)

	// The browser landed on PBX_EFFECTUE with signed variables, and the
	// merchant's server saw the same query.
	landed, err := url.Parse(paid.URL)
	if err != nil || landed.Path != "/back/ok" {
		t.Fatalf("paid scenario ended at %q", paid.URL)
	}
	if err := paybox.VerifyReturn(pub, landed.RawQuery, "Sign"); err != nil {
		t.Errorf("browser's return %s: %v", landed.RawQuery, err)
	}
	backs := m.hits(&m.backs, paid.Ref)
	if len(backs) != 1 || backs[0].path != "/back/ok" || backs[0].query != landed.RawQuery {
		t.Fatalf("merchant's return pages for %s: %+v, browser at %s", paid.Ref, backs, paid.URL)
	}
	// C names the brand of the card number (4012001037141112 is a Visa),
	// whichever brand button the buyer clicked.
	for _, want := range []string{"Mt=1250", "Ref=" + paid.Ref, "Auto=XXXXXX", "Erreur=00000", "Carte=VISA"} {
		if !strings.Contains("&"+backs[0].query+"&", "&"+want+"&") {
			t.Errorf("return %s lacks %s", backs[0].query, want)
		}
	}
	// The other scenarios' returns are signed too.
	for name, want := range map[string]string{"3ds": "/back/ok", "cancel": "/back/cancelled"} {
		r := results[name]
		backs := m.hits(&m.backs, r.Ref)
		if len(backs) != 1 || backs[0].path != want {
			t.Errorf("%s: return pages %+v, want one %s", name, backs, want)
			continue
		}
		if err := paybox.VerifyReturn(pub, backs[0].query, "Sign"); err != nil {
			t.Errorf("%s: return %s: %v", name, backs[0].query, err)
		}
	}

	// The KWIXO payment came back pending, and its review reaches
	// SCORING_OK ten minutes later on the shop's clock.
	kw := results["kwixo"]
	if backs := m.hits(&m.backs, kw.Ref); len(backs) != 1 || backs[0].path != "/back/pending" ||
		!strings.Contains(backs[0].query, "Erreur=99999") || !strings.Contains(backs[0].query, "Type=KWIXO") {
		t.Errorf("kwixo: return pages %+v, want one /back/pending with E=99999", backs)
	}

	// Advancing the clock runs due work before it answers: the IPN has
	// gone out by then, once (a job is leased to whoever runs it, so the
	// background worker cannot send it a second time), signed.
	advanceClock(t, base, data)
	ipns := m.hits(&m.ipns, paid.Ref)
	if len(ipns) != 1 {
		t.Fatalf("IPNs for %s: %+v, want exactly one", paid.Ref, ipns)
	}
	if ipns[0].method != "GET" || ipns[0].path != "/ipn" {
		t.Errorf("IPN %s %s, want GET /ipn", ipns[0].method, ipns[0].path)
	}
	if err := paybox.VerifyReturn(pub, ipns[0].query, "Sign"); err != nil {
		t.Errorf("IPN %s: %v", ipns[0].query, err)
	}
	if !strings.Contains("&"+ipns[0].query+"&", "&Erreur=00000&") {
		t.Errorf("IPN %s lacks Erreur=00000", ipns[0].query)
	}

	advanceClockBy(t, base, data, 600)
	var states []string
	for _, h := range m.hits(&m.ipns, kw.Ref) {
		if err := paybox.VerifyReturn(pub, h.query, "Sign"); err != nil {
			t.Errorf("KWIXO IPN %s: %v", h.query, err)
		}
		q, _ := url.ParseQuery(h.query)
		states = append(states, q.Get("Erreur"))
	}
	if strings.Join(states, " ") != "99999 00301" {
		t.Errorf("KWIXO IPNs: %v, want 99999 then 00301 SCORING_OK", states)
	}
}

func fetchPublicKey(t *testing.T, base string) *rsa.PublicKey {
	t.Helper()
	resp, err := http.Get(base + "/pubkey.pem")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	pemBytes, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /pubkey.pem: %d %s", resp.StatusCode, pemBytes)
	}
	pub, err := paybox.ParsePublicKey(pemBytes)
	if err != nil {
		t.Fatalf("pubkey.pem: %v", err)
	}
	return pub
}

// advanceClock runs the due work of every TEST shop through the sandbox
// API, with the token the server generated into its data directory.
func advanceClock(t *testing.T, base, data string) {
	t.Helper()
	advanceClockBy(t, base, data, 0)
}

// advanceClockBy moves every TEST shop's clock forward through the
// sandbox API, which runs the work that fell due before answering.
func advanceClockBy(t *testing.T, base, data string, seconds int) {
	t.Helper()
	if status, body := sandbox(t, base, data, "POST", "/_guichet/v1/clock/advance", fmt.Sprintf(`{"seconds":%d}`, seconds)); status != http.StatusOK {
		t.Fatalf("clock advance: %d %s", status, body)
	}
}

// sandbox calls the sandbox API with the token the server generated into
// its data directory, a JSON body where there is one, and returns the
// answer's status and body.
func sandbox(t *testing.T, base, data, method, path, body string) (int, []byte) {
	t.Helper()
	token, err := os.ReadFile(filepath.Join(data, "admin.token"))
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, raw
}

// listedTransaction is a transaction as the sandbox API lists it.
type listedTransaction struct {
	Shop, Reference, Currency, Status, Method, Order string
	Amount, Captured, Refunded                       int64
	Operations                                       []struct{ Kind, Front, Ref string }
}

// sandboxTransactions lists every shop's transactions through the sandbox
// API.
func sandboxTransactions(t *testing.T, base, data string) []listedTransaction {
	t.Helper()
	status, raw := sandbox(t, base, data, "GET", "/_guichet/v1/transactions", "")
	if status != http.StatusOK {
		t.Fatalf("GET /_guichet/v1/transactions: %d %s", status, raw)
	}
	var list struct{ Transactions []listedTransaction }
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatalf("GET /_guichet/v1/transactions: %v\n%s", err, raw)
	}
	return list.Transactions
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
