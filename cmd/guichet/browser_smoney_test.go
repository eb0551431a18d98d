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
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The sandbox application of the S-money front, which guichet creates.
const (
	smoneyToken     = "guichet-smoney-sandbox-token"
	smoneyShop      = "smoney-sandbox"
	smoneyMediaType = "application/vnd.s-money.v3+json"
	smoneyUser      = "client-112"
)

// smoneyMerchant is an application using S-money's card payments, pointed
// at guichet: GET /shop?ref=&amount=&pref=&cards= is its order page, whose
// "Payer" button posts to /checkout, where the application's server
// creates the card payment and sends the payer to its Href. /return is its
// urlReturn, /callback its urlCallback.
type smoneyMerchant struct {
	*httptest.Server
	t         *testing.T
	gateway   string
	mu        sync.Mutex
	hrefs     map[string]string // OrderId → Href of its payment
	returns   []hit
	callbacks []url.Values
}

func newSmoneyMerchant(t *testing.T, gateway string) *smoneyMerchant {
	m := &smoneyMerchant{t: t, gateway: gateway, hrefs: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /shop", m.shop)
	mux.HandleFunc("POST /checkout", m.checkout)
	mux.HandleFunc("GET /return", func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		m.returns = append(m.returns, hit{r.Method, r.URL.Path, r.URL.RawQuery, ""})
		m.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		smoneyBackPage.Execute(w, r.URL.RawQuery)
	})
	mux.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.ParseForm() != nil {
			m.t.Errorf("callback: %s %s with an unreadable form", r.Method, r.URL)
		}
		m.mu.Lock()
		m.callbacks = append(m.callbacks, r.PostForm)
		m.mu.Unlock()
		fmt.Fprintln(w, "OK")
	})
	m.Server = httptest.NewServer(mux)
	t.Cleanup(m.Close)
	return m
}

var smoneyShopPage = template.Must(template.New("shop").Parse(`<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Boutique de test</title></head>
<body>
<h1>Commande {{.ref}}</h1>
<form method="post" action="/checkout">
<input type="hidden" name="ref" value="{{.ref}}">
<input type="hidden" name="amount" value="{{.amount}}">
<input type="hidden" name="pref" value="{{.pref}}">
<input type="hidden" name="cards" value="{{.cards}}">
<button type="submit">Payer</button>
</form>
</body></html>
`))

var smoneyBackPage = template.Must(template.New("back").Parse(`<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Boutique de test – retour</title></head>
<body><h1>Retour du paiement</h1>
<pre id="result">{{.}}</pre>
</body></html>
`))

func (m *smoneyMerchant) shop(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("ref") == "" || q.Get("amount") == "" {
		http.Error(w, "ref or amount missing", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	smoneyShopPage.Execute(w, map[string]string{"ref": q.Get("ref"), "amount": q.Get("amount"), "pref": q.Get("pref"), "cards": q.Get("cards")})
}

// checkout creates the card payment of an order, as the application's
// server does when the payer clicks "Payer", and sends the payer to its
// page.
func (m *smoneyMerchant) checkout(w http.ResponseWriter, r *http.Request) {
	ref := r.PostFormValue("ref")
	amount, err1 := strconv.ParseInt(r.PostFormValue("amount"), 10, 64)
	pref, err2 := strconv.Atoi(r.PostFormValue("pref"))
	if ref == "" || err1 != nil || err2 != nil {
		http.Error(w, "bad order", http.StatusBadRequest)
		return
	}
	req := map[string]any{"orderId": ref, "amount": amount, "urlReturn": m.URL + "/return", "urlCallback": m.URL + "/callback",
		"availableCards": r.PostFormValue("cards"), "beneficiary": map[string]any{"appAccountId": smoneyUser},
		"ThreeDSecurePreference": pref, "extraParameters": map[string]any{"profilName": "3DSV2"}}
	status, raw, err := smoneyCall(m.gateway, "POST", "payins/cardpayments", req)
	var p smoneyPayment
	if err == nil {
		err = json.Unmarshal(raw, &p)
	}
	if err != nil || status != http.StatusCreated || p.Status != 0 || p.OrderId != ref || p.Amount != amount ||
		!strings.HasPrefix(p.Href, m.gateway+"/api/sandbox/payment/") {
		m.t.Errorf("creating the card payment %s: HTTP %d %v %s", ref, status, err, raw)
		http.Error(w, "the payment could not be created", http.StatusBadGateway)
		return
	}
	m.mu.Lock()
	m.hrefs[ref] = p.Href
	m.mu.Unlock()
	http.Redirect(w, r, p.Href, http.StatusSeeOther)
}

func (m *smoneyMerchant) href(ref string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hrefs[ref]
}

// returnsOf are the requests urlReturn got for an OrderId.
func (m *smoneyMerchant) returnsOf(ref string) []hit {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []hit
	for _, h := range m.returns {
		if q, err := url.ParseQuery(h.query); err == nil && q.Get("Id") == ref {
			out = append(out, h)
		}
	}
	return out
}

// callbacksOf are the callbacks urlCallback got for an OrderId.
func (m *smoneyMerchant) callbacksOf(ref string) []url.Values {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []url.Values
	for _, c := range m.callbacks {
		if c.Get("id") == ref {
			out = append(out, c)
		}
	}
	return out
}

// smoneyPayment is what the tests read of a CardPayment.
type smoneyPayment struct {
	OrderId   string
	Amount    int64
	Status    int
	ErrorCode int
	Href      string
	Card      *struct{ Hint string }
	// ExtraResults spells its keys as the seed does.
	ExtraResults *struct {
		ExecCode     string `json:"ExecCode"`
		ThreeDSecure bool   `json:"threedsecure"`
	}
}

// smoneyCall calls the S-money API of the sandbox application, and
// answers the HTTP status and the body.
func smoneyCall(base, method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(raw)
	}
	r, err := http.NewRequest(method, base+"/api/sandbox/"+path, rd)
	if err != nil {
		return 0, nil, err
	}
	r.Header.Set("Authorization", "Bearer "+smoneyToken)
	r.Header.Set("Accept", smoneyMediaType)
	if body != nil {
		r.Header.Set("Content-Type", smoneyMediaType)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// smoneyGet reads a card payment by its OrderId.
func smoneyGet(t *testing.T, base, ref string) smoneyPayment {
	t.Helper()
	status, raw, err := smoneyCall(base, "GET", "payins/cardpayments/"+url.PathEscape(ref), nil)
	if err != nil || status != http.StatusOK {
		t.Fatalf("GET payins/cardpayments/%s: HTTP %d %v %s", ref, status, err, raw)
	}
	var p smoneyPayment
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatalf("GET payins/cardpayments/%s: %v\n%s", ref, err, raw)
	}
	if p.OrderId != ref {
		t.Fatalf("GET payins/cardpayments/%s answered the payment %q", ref, p.OrderId)
	}
	return p
}

// smoneyResult is what e2e/smoney_cardpayment.mjs prints on its RESULT
// line for each scenario: the OrderId, the payment's page as the browser
// reached it, and where the browser landed.
type smoneyResult struct {
	Ref  string `json:"ref"`
	Href string `json:"href"`
	URL  string `json:"url"`
}

// TestBrowserSmoneyCardPayment goes through the S-money front's hosted
// payment page in a real headless chromium (driven by
// e2e/smoney_cardpayment.mjs with playwright-core), from a merchant's page
// whose server creates the card payments with the API: a payment with a
// challenge (the choice of a brand, the card form after a mistyped number,
// the simulated 3-D Secure challenge, the redirection to urlReturn), a
// payment refused without 3-D Secure, and one the payer cancels. Then it
// reads each payment with the API, checks the callbacks, and finds the
// transactions in the sandbox API's list.
func TestBrowserSmoneyCardPayment(t *testing.T) {
	node, root, script := browserScript(t, "smoney_cardpayment.mjs")
	data := t.TempDir()
	base, _, serverLog, stop := startServe(t, map[string]string{}, "-data", data)
	defer stop()
	m := newSmoneyMerchant(t, base)

	results := map[string]smoneyResult{}
	runBrowser(t, node, root, script, serverLog, &results, m.URL)
	// Each scenario ended on urlReturn with the OrderId, Type 1 and its
	// Result; the merchant's server saw those very requests (two when the
	// scenario opened the ended payment's page again), and the page the
	// browser reached is the Href the merchant's server got.
	wantResult := map[string]struct {
		result  string
		returns int
	}{"paid": {"1", 2}, "refused": {"0", 1}, "cancel": {"0", 2}}
	for name, want := range wantResult {
		r := results[name]
		if r.Ref == "" || r.Href == "" {
			t.Fatalf("no result for scenario %s in %v", name, results)
		}
		if got := m.href(r.Ref); got != r.Href {
			t.Fatalf("%s: the browser paid at %q, the merchant's server was sent to %q for %s", name, r.Href, got, r.Ref)
		}
		landed, err := url.Parse(r.URL)
		if err != nil || landed.Path != "/return" ||
			landed.RawQuery != "Id="+url.QueryEscape(r.Ref)+"&Type=1&Result="+want.result {
			t.Errorf("%s: the browser ended at %q, want urlReturn with Id=%s&Type=1&Result=%s", name, r.URL, r.Ref, want.result)
			continue
		}
		backs := m.returnsOf(r.Ref)
		if len(backs) != want.returns {
			t.Errorf("%s: urlReturn got %+v, want %d", name, backs, want.returns)
		}
		for _, b := range backs {
			if b.query != landed.RawQuery {
				t.Errorf("%s: urlReturn got %q, the browser landed on %q", name, b.query, landed.RawQuery)
			}
		}
	}

	// The API tells how each payment ended. Paid: completed, through the
	// challenge, with the card's hint.
	paid, refused, cancel := results["paid"], results["refused"], results["cancel"]
	p := smoneyGet(t, base, paid.Ref)
	if p.Status != 1 || p.ErrorCode != 0 || p.Amount != 1500 {
		t.Errorf("paid: Status %d ErrorCode %d Amount %d, want 1, 0, 1500", p.Status, p.ErrorCode, p.Amount)
	}
	if p.ExtraResults == nil || p.ExtraResults.ExecCode != "0000" || !p.ExtraResults.ThreeDSecure {
		t.Errorf("paid: ExtraResults %+v, want ExecCode 0000 and threedsecure", p.ExtraResults)
	}
	if p.Card == nil || p.Card.Hint != "4XXXX5" {
		t.Errorf("paid: Card %+v, want Hint 4XXXX5", p.Card)
	}
	if p.Href != paid.Href {
		t.Errorf("paid: Href %q, created as %q", p.Href, paid.Href)
	}
	// Refused by the sandbox's amount: insufficient funds, no 3-D Secure.
	p = smoneyGet(t, base, refused.Ref)
	if p.Status != 3 || p.ErrorCode != 13 || p.ExtraResults == nil || p.ExtraResults.ExecCode != "4002" || p.ExtraResults.ThreeDSecure {
		t.Errorf("refused: Status %d ErrorCode %d ExtraResults %+v, want 3, 13, ExecCode 4002 without 3-D Secure",
			p.Status, p.ErrorCode, p.ExtraResults)
	}
	// Cancelled by the payer.
	if p = smoneyGet(t, base, cancel.Ref); p.Status != 5 {
		t.Errorf("cancel: Status %d, want 5", p.Status)
	}

	// Advancing the clock runs due work before it answers: the callback
	// of each payment has gone out by then, once, the payer's
	// cancellation's included (4004, abandoned: ErrorCode 13).
	advanceClock(t, base, data)
	for _, c := range []struct {
		name, ref, status, error string
	}{{"paid", paid.Ref, "1", "0"}, {"refused", refused.Ref, "3", "13"}, {"cancel", cancel.Ref, "5", "13"}} {
		got := m.callbacksOf(c.ref)
		if len(got) != 1 {
			t.Errorf("%s: callbacks %v, want one", c.name, got)
			continue
		}
		want := url.Values{"id": {c.ref}, "error": {c.error}, "type": {"1"}, "status": {c.status},
			"userid": {smoneyUser}, "userstatus": {"1"}}
		for k := range want {
			if got[0].Get(k) != want.Get(k) {
				t.Errorf("%s: callback %v, want %s=%s", c.name, got[0], k, want.Get(k))
			}
		}
		if got[0].Has("CallbackSignature") || got[0].Has("sequencenumber") {
			t.Errorf("%s: callback %v signed or with a sequence number (no secret, no schedule)", c.name, got[0])
		}
	}

	// The sandbox API lists the paid and the refused payments; the
	// cancelled one made no transaction.
	seen := map[string]bool{}
	for _, tr := range sandboxTransactions(t, base, data) {
		var amount int64
		var status string
		switch tr.Reference {
		case paid.Ref:
			amount, status = 1500, "captured"
		case refused.Ref:
			amount, status = 4002, "refused"
		case cancel.Ref:
			t.Errorf("the cancelled payment made a transaction: %+v", tr)
			continue
		default:
			continue
		}
		seen[tr.Reference] = true
		if tr.Shop != smoneyShop || tr.Amount != amount || tr.Currency != "EUR" || tr.Status != status {
			t.Errorf("the S-money payment %s as listed: %+v, want shop %s, %d EUR, %s", tr.Reference, tr, smoneyShop, amount, status)
		}
	}
	for _, ref := range []string{paid.Ref, refused.Ref} {
		if !seen[ref] {
			t.Errorf("the sandbox API does not list %s", ref)
		}
	}
}
