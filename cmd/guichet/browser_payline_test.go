package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/payline/soap"
)

// The demo Payline merchant guichet creates at first start, and its
// contracts: cards (CB, Visa, Mastercard) and Payconiq.
const (
	paylineMerchantID = "12345678912345"
	paylineAccessKey  = "DEMOACCESSKEY1234567"
	paylineShop       = "payline-" + paylineMerchantID
	paylineCards      = "1234567"
	paylinePayconiq   = "PAYCONIQFP"
)

// paylineMerchant is a shop using Payline's web payment, pointed at
// guichet: GET /shop?contract=&ref= is its order page, whose "Pay" button
// posts to /checkout, where the shop's server opens the session with
// doWebPayment and sends the buyer to its redirectURL. /return (with a
// query of its own, which must come back) and /cancel are its returnURL
// and cancelURL, /notify its notificationURL.
type paylineMerchant struct {
	*httptest.Server
	t       *testing.T
	gateway string
	mu      sync.Mutex
	tokens  map[string]string // order reference → token of its session
	returns []hit
	cancels []hit
	notices []hit
}

func newPaylineMerchant(t *testing.T, gateway string) *paylineMerchant {
	m := &paylineMerchant{t: t, gateway: gateway, tokens: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /shop", m.shop)
	mux.HandleFunc("POST /checkout", m.checkout)
	mux.HandleFunc("GET /return", func(w http.ResponseWriter, r *http.Request) {
		m.record(&m.returns, r)
		m.back(w, r, "Back from the payment")
	})
	mux.HandleFunc("GET /cancel", func(w http.ResponseWriter, r *http.Request) {
		m.record(&m.cancels, r)
		m.back(w, r, "Payment cancelled")
	})
	mux.HandleFunc("/notify", func(w http.ResponseWriter, r *http.Request) {
		m.record(&m.notices, r)
		fmt.Fprintln(w, "OK")
	})
	m.Server = httptest.NewServer(mux)
	t.Cleanup(m.Close)
	return m
}

func (m *paylineMerchant) record(list *[]hit, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	m.mu.Lock()
	defer m.mu.Unlock()
	*list = append(*list, hit{r.Method, r.URL.Path, r.URL.RawQuery, string(body)})
}

// withToken returns the recorded requests whose query carries a token.
func (m *paylineMerchant) withToken(list *[]hit, token string) []hit {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []hit
	for _, h := range *list {
		if q, err := url.ParseQuery(h.query); err == nil && q.Get("token") == token {
			out = append(out, h)
		}
	}
	return out
}

func (m *paylineMerchant) token(ref string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tokens[ref]
}

var paylineShopPage = template.Must(template.New("shop").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test shop</title></head>
<body>
<h1>Order {{.Ref}}</h1>
<p>Total: €10.00</p>
<form method="post" action="/checkout">
<input type="hidden" name="ref" value="{{.Ref}}">
<input type="hidden" name="contract" value="{{.Contract}}">
<button type="submit">Pay</button>
</form>
</body></html>
`))

var paylineBackPage = template.Must(template.New("back").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test shop – {{.Title}}</title></head>
<body><h1>{{.Title}}</h1>
<pre id="result">{{.Query}}</pre>
</body></html>
`))

func (m *paylineMerchant) shop(w http.ResponseWriter, r *http.Request) {
	ref, contract := r.URL.Query().Get("ref"), r.URL.Query().Get("contract")
	if ref == "" || contract == "" {
		http.Error(w, "ref or contract missing", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	paylineShopPage.Execute(w, map[string]string{"Ref": ref, "Contract": contract})
}

func (m *paylineMerchant) back(w http.ResponseWriter, r *http.Request, title string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	paylineBackPage.Execute(w, map[string]string{"Title": title, "Query": r.URL.RawQuery})
}

// checkout opens the web payment session of an order, as the merchant's
// server does when the buyer clicks "Pay", and redirects the buyer to the
// payment page.
func (m *paylineMerchant) checkout(w http.ResponseWriter, r *http.Request) {
	ref, contract := r.PostFormValue("ref"), r.PostFormValue("contract")
	res, err := paylineCall(m.gateway, &soap.DoWebPaymentRequest{Version: "34",
		Payment:   &soap.Payment{Amount: "1000", Currency: "978", Action: "101", Mode: "CPT", ContractNumber: contract},
		ReturnURL: m.URL + "/return?shop=1", CancelURL: m.URL + "/cancel", NotificationURL: m.URL + "/notify",
		Order:        &soap.Order{Ref: ref, Country: "BE", Amount: "1000", Currency: "978", Date: time.Now().Format("02/01/2006 15:04")},
		Buyer:        &soap.Buyer{FirstName: "John", LastName: "Doe", Email: "john.doe@example.net"},
		LanguageCode: "en"})
	if err != nil {
		m.t.Errorf("doWebPayment of %s: %v", ref, err)
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	open, ok := res.(*soap.DoWebPaymentResponse)
	if !ok || open.Result == nil || open.Result.Code != "00000" || open.Token == "" ||
		open.RedirectURL != m.gateway+"/webpayment/v2/?token="+url.QueryEscape(open.Token) {
		m.t.Errorf("doWebPayment of %s: %+v", ref, res)
		http.Error(w, "doWebPayment failed", http.StatusBadGateway)
		return
	}
	m.mu.Lock()
	m.tokens[ref] = open.Token
	m.mu.Unlock()
	http.Redirect(w, r, open.RedirectURL, http.StatusSeeOther)
}

// paylineCall sends a WebPaymentAPI request as the demo merchant and
// decodes the answer.
func paylineCall(base string, req soap.Message) (soap.Message, error) {
	body, err := soap.Marshal(req)
	if err != nil {
		return nil, err
	}
	r, _ := http.NewRequest("POST", base+"/V4/services/WebPaymentAPI", bytes.NewReader(body))
	r.Header.Set("Content-Type", soap.ContentType)
	r.SetBasicAuth(paylineMerchantID, paylineAccessKey)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d: %s", req.Operation(), resp.StatusCode, out)
	}
	m, err := soap.DecodeResponse(out)
	if err != nil {
		return nil, fmt.Errorf("%s: answer not read: %v\n%s", req.Operation(), err, out)
	}
	return m, nil
}

func webPaymentDetails(t *testing.T, base, token string) *soap.GetWebPaymentDetailsResponse {
	t.Helper()
	m, err := paylineCall(base, &soap.GetWebPaymentDetailsRequest{Version: "34", Token: token})
	if err != nil {
		t.Fatal(err)
	}
	d, ok := m.(*soap.GetWebPaymentDetailsResponse)
	if !ok || d.Result == nil {
		t.Fatalf("getWebPaymentDetails(%s): %+v", token, m)
	}
	return d
}

// paylineResult is what e2e/payline_webpayment.mjs prints on its RESULT
// line for each scenario: the order's reference, the session's token as
// the page's URL gave it, and where the browser landed.
type paylineResult struct {
	Ref   string `json:"ref"`
	Token string `json:"token"`
	URL   string `json:"url"`
}

// TestBrowserPaylineWebPayment goes through the Payline front's hosted
// payment page in a real headless chromium (driven by
// e2e/payline_webpayment.mjs with playwright-core), from a merchant's page
// whose server opens the sessions with doWebPayment: a card payment (the
// choice of a brand, the card form after a mistyped number, the simulated
// 3-D Secure challenge, the ticket and its link back to the returnURL), a
// Payconiq payment, and a Payconiq payment the buyer aborts, sent to the
// cancelURL. Then it asks getWebPaymentDetails how each session ended,
// checks the WEBTRS notifications, and finds the payments in the sandbox
// API's list beside a Paybox one.
func TestBrowserPaylineWebPayment(t *testing.T) {
	node, root, script := browserScript(t, "payline_webpayment.mjs")
	data := t.TempDir()
	base, _, serverLog, stop := startServe(t, map[string]string{}, "-data", data)
	defer stop()
	m := newPaylineMerchant(t, base)

	results := map[string]paylineResult{}
	runBrowser(t, node, root, script, serverLog, &results, m.URL)
	for _, name := range []string{"card", "payconiq", "abort"} {
		r := results[name]
		if r.Ref == "" || r.Token == "" {
			t.Fatalf("no result for scenario %s in %v", name, results)
		}
		// The page the buyer reached is the session the merchant's
		// server opened for the order.
		if got := m.token(r.Ref); got != r.Token {
			t.Fatalf("%s: the browser paid session %q, the merchant opened %q for %s", name, r.Token, got, r.Ref)
		}
	}

	// Paid: the browser followed the ticket's link to the returnURL, its
	// own query kept and the token added, and the merchant's server saw
	// that very request.
	for _, name := range []string{"card", "payconiq"} {
		r := results[name]
		landed, err := url.Parse(r.URL)
		if err != nil || landed.Path != "/return" || landed.Query().Get("shop") != "1" || landed.Query().Get("token") != r.Token {
			t.Errorf("%s: the browser ended at %q, want the returnURL with shop=1 and token=%s", name, r.URL, r.Token)
		}
		if got := m.withToken(&m.returns, r.Token); len(got) != 1 || got[0].query != landed.RawQuery {
			t.Errorf("%s: the merchant's return page got %+v, want one %s", name, got, landed.RawQuery)
		}
		if got := m.withToken(&m.cancels, r.Token); len(got) != 0 {
			t.Errorf("%s: the cancelURL got %+v", name, got)
		}
	}
	// Aborted: the browser went straight to the cancelURL with the token.
	ab := results["abort"]
	if landed, err := url.Parse(ab.URL); err != nil || landed.Path != "/cancel" || landed.Query().Get("token") != ab.Token {
		t.Errorf("abort: the browser ended at %q, want the cancelURL with token=%s", ab.URL, ab.Token)
	}
	if got := m.withToken(&m.cancels, ab.Token); len(got) != 1 {
		t.Errorf("abort: the merchant's cancel page got %+v, want one", got)
	}
	if got := m.withToken(&m.returns, ab.Token); len(got) != 0 {
		t.Errorf("abort: the returnURL got %+v", got)
	}

	// getWebPaymentDetails, as the merchant asks when the buyer comes
	// back. The card payment went through the challenge, with the Visa
	// the buyer chose.
	card := results["card"]
	d := webPaymentDetails(t, base, card.Token)
	if d.Result.Code != "00000" {
		t.Errorf("card: result %+v, want 00000", d.Result)
	}
	if d.Transaction == nil || d.Transaction.ID == "" || d.Transaction.ThreeDSecure != "Y" {
		t.Errorf("card: transaction %+v, want one authenticated by 3-D Secure (Y)", d.Transaction)
	}
	if d.Card == nil || d.Card.Number != "497010XXXXXXXX55" || d.Card.ExpirationDate != "1230" {
		t.Errorf("card: card %+v, want 497010XXXXXXXX55 expiring 1230", d.Card)
	}
	if d.Authorization == nil || d.Authorization.Number == "" || d.Authorization.AuthorizedAmount != "1000" {
		t.Errorf("card: authorization %+v", d.Authorization)
	}
	if d.ContractNumber != paylineCards || d.Order == nil || d.Order.Ref != card.Ref {
		t.Errorf("card: contract %q order %+v, want %s and %s", d.ContractNumber, d.Order, paylineCards, card.Ref)
	}
	if d.BankAccountData != nil {
		t.Errorf("card: bank account data %+v for a card payment", d.BankAccountData)
	}

	// The Payconiq payment: Payconiq's details, no card.
	pq := results["payconiq"]
	d = webPaymentDetails(t, base, pq.Token)
	if d.Result.Code != "00000" {
		t.Errorf("payconiq: result %+v, want 00000", d.Result)
	}
	var partner map[string]string
	if d.Transaction == nil || json.Unmarshal([]byte(d.Transaction.PartnerAdditionalData), &partner) != nil || partner["cardMaskedPan"] == "" {
		t.Errorf("payconiq: transaction %+v, want partnerAdditionalData with cardMaskedPan", d.Transaction)
	}
	if d.BankAccountData == nil || d.BankAccountData.BankCode != "GKCCBEBB" {
		t.Errorf("payconiq: bank account data %+v, want bank code GKCCBEBB", d.BankAccountData)
	}
	if d.ContractNumber != paylinePayconiq || d.Order == nil || d.Order.Ref != pq.Ref {
		t.Errorf("payconiq: contract %q order %+v, want %s and %s", d.ContractNumber, d.Order, paylinePayconiq, pq.Ref)
	}

	// The aborted Payconiq payment: the partner's cancellation code.
	if d = webPaymentDetails(t, base, ab.Token); d.Result.Code != "02008" {
		t.Errorf("abort: result %+v, want 02008", d.Result)
	}

	// Advancing the clock runs due work before it answers: each payment's
	// WEBTRS notification has gone out by then, once.
	advanceClock(t, base, data)
	for _, name := range []string{"card", "payconiq"} {
		r := results[name]
		got := m.withToken(&m.notices, r.Token)
		if len(got) != 1 || got[0].method != "GET" || !strings.Contains("&"+got[0].query+"&", "&notificationType=WEBTRS&") {
			t.Errorf("%s: notifications %+v, want one GET with notificationType=WEBTRS", name, got)
		}
	}

	// The sandbox API lists the Payline payments beside a Paybox one.
	if a := ppps(t, base, request("00003", 801, "MONTANT", "1250", "REFERENCE", "paybox-beside-payline",
		"PORTEUR", "1111222233334444", "DATEVAL", "1230")); a["CODEREPONSE"] != "00000" {
		t.Fatalf("Paybox payment: %v", a)
	}
	listed := sandboxTransactions(t, base, data)
	seen := map[string]bool{}
	for _, tr := range listed {
		seen[tr.Reference] = true
		var token, method string
		switch tr.Reference {
		case card.Ref:
			token = card.Token
		case pq.Ref:
			token, method = pq.Token, "PAYCONIQ"
		case ab.Ref:
			t.Errorf("the aborted session made a transaction: %+v", tr)
			continue
		default:
			continue
		}
		// The transaction names the session (the order) it paid.
		if tr.Shop != paylineShop || tr.Amount != 1000 || tr.Currency != "EUR" || tr.Order != token || tr.Method != method {
			t.Errorf("the Payline payment %s as listed: %+v, want shop %s, 1000 EUR, order %s, method %q",
				tr.Reference, tr, paylineShop, token, method)
		}
	}
	for _, ref := range []string{card.Ref, pq.Ref, "paybox-beside-payline"} {
		if !seen[ref] {
			t.Errorf("the sandbox API does not list %s: %+v", ref, listed)
		}
	}
}
