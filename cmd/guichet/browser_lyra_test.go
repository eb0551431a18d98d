package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	v4 "guichet/internal/lyra/v4"
)

// The public demo shop of Lyra's documentation, which guichet creates.
const (
	lyraShopID    = "69876357"
	lyraPassword  = "testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M"
	lyraPublicKey = "69876357:testpublickey_DEMOPUBLICKEY95me92597fd28tGD4r5"
	lyraHMACKey   = "38453613e7f44dc58732bad3dca2bca3"
)

// lyraPost is a signed answer the Lyra merchant received: a browser return
// on kr-post-url-success or kr-post-url-refused, or an IPN.
type lyraPost struct {
	path   string
	form   url.Values
	answer map[string]any // kr-answer, decoded
}

func (p lyraPost) orderID() string {
	details, _ := p.answer["orderDetails"].(map[string]any)
	id, _ := details["orderId"].(string)
	return id
}

// transaction is the first transaction of the answer.
func (p lyraPost) transaction() map[string]any {
	list, _ := p.answer["transactions"].([]any)
	if len(list) == 0 {
		return map[string]any{}
	}
	tr, _ := list[0].(map[string]any)
	return tr
}

// lyraMerchant is a shop using Lyra's embedded form, pointed at guichet:
// GET /pay/{page}?ref= creates a payment with Charge/CreatePayment and
// serves a page with the markup of Lyra's public examples, whose only
// change is the static host; /paid and /refused are its kr-post-url-success
// and kr-post-url-refused; /ipn takes the IPNs (ipnTargetUrl).
type lyraMerchant struct {
	*httptest.Server
	t       *testing.T
	gateway string
	mu      sync.Mutex
	returns []lyraPost
	ipns    []lyraPost
}

func newLyraMerchant(t *testing.T, gateway string) *lyraMerchant {
	m := &lyraMerchant{t: t, gateway: gateway}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pay/{page}", m.page)
	mux.HandleFunc("POST /paid", m.back)
	mux.HandleFunc("POST /refused", m.back)
	mux.HandleFunc("POST /ipn", func(w http.ResponseWriter, r *http.Request) {
		p, ok := m.read(r)
		if ok {
			m.mu.Lock()
			m.ipns = append(m.ipns, p)
			m.mu.Unlock()
		}
		fmt.Fprintln(w, "OK")
	})
	m.Server = httptest.NewServer(mux)
	t.Cleanup(m.Close)
	return m
}

func (m *lyraMerchant) read(r *http.Request) (lyraPost, bool) {
	if err := r.ParseForm(); err != nil {
		return lyraPost{}, false
	}
	p := lyraPost{path: r.URL.Path, form: r.PostForm}
	if err := json.Unmarshal([]byte(r.PostForm.Get("kr-answer")), &p.answer); err != nil {
		m.t.Errorf("%s: kr-answer %q: %v", r.URL.Path, r.PostForm.Get("kr-answer"), err)
		return p, false
	}
	return p, true
}

// back is the merchant's return page: it checks the signature with the
// HMAC-SHA-256 key, as Lyra's examples do, and says the outcome.
func (m *lyraMerchant) back(w http.ResponseWriter, r *http.Request) {
	p, ok := m.read(r)
	if !ok {
		http.Error(w, "no signed answer", http.StatusBadRequest)
		return
	}
	m.mu.Lock()
	m.returns = append(m.returns, p)
	m.mu.Unlock()
	signature := "signature invalide"
	if s, err := v4.ParseSignedAnswer(r.PostForm); err == nil && s.Verify(lyraHMACKey) == nil {
		signature = "signature valide"
	}
	title := "Paiement refusé"
	if p.answer["orderStatus"] == "PAID" {
		title = "Paiement accepté"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	lyraBackPage.Execute(w, map[string]string{"Title": title, "OrderID": p.orderID(),
		"Status": fmt.Sprint(p.answer["orderStatus"]), "Signature": signature})
}

var lyraBackPage = template.Must(template.New("back").Parse(`<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Boutique – {{.Title}}</title></head>
<body><h1>{{.Title}}</h1>
<pre id="result">orderId={{.OrderID}} orderStatus={{.Status}} {{.Signature}}</pre>
</body></html>
`))

// posts returns the recorded answers of an order.
func (m *lyraMerchant) posts(list *[]lyraPost, orderID string) []lyraPost {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []lyraPost
	for _, p := range *list {
		if p.orderID() == orderID {
			out = append(out, p)
		}
	}
	return out
}

// createPayment calls Charge/CreatePayment on guichet with the demo shop's
// keys, as the merchant's server does before showing its page.
func (m *lyraMerchant) createPayment(body map[string]any) (string, error) {
	body["ipnTargetUrl"] = m.URL + "/ipn"
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", m.gateway+"/api-payment/V4/Charge/CreatePayment", bytes.NewReader(raw))
	req.SetBasicAuth(lyraShopID, lyraPassword)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var env struct {
		Status string         `json:"status"`
		Answer map[string]any `json:"answer"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return "", err
	}
	token, _ := env.Answer["formToken"].(string)
	if env.Status != "SUCCESS" || token == "" {
		return "", fmt.Errorf("CreatePayment: %s %v", env.Status, env.Answer)
	}
	return token, nil
}

// lyraPageData fills the example pages.
type lyraPageData struct {
	Static, PublicKey, FormToken string
	// Success and Refused are the kr-post-url-success and
	// kr-post-url-refused.
	Success, Refused string
	// Extra is the page's own script, after the library's tags.
	Extra template.HTML
	// Smart selects the smart form's markup, with its kr-language.
	Smart bool
	// Below is what the page shows under the form.
	Below template.HTML
}

// lyraPage is the markup of Lyra's public examples (the minimal embedded
// form, and the smart form of the newer samples), with guichet as the
// static host and the merchant's own return pages.
var lyraPage = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html>
<head>
  <meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=1.0, user-scalable=no" />
  <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
  <meta http-equiv="X-UA-Compatible" content="IE=edge" />
{{if .Smart}}
  <script type="text/javascript" src="{{.Static}}/static/js/krypton-client/V4.0/stable/kr-payment-form.min.js" kr-public-key="{{.PublicKey}}" kr-post-url-success="{{.Success}}" kr-post-url-refused="{{.Refused}}" kr-language="en-EN">
  </script>
  <link rel="stylesheet" href="{{.Static}}/static/js/krypton-client/V4.0/ext/neon-reset.css">
  <script src="{{.Static}}/static/js/krypton-client/V4.0/ext/neon.js">
  </script>
{{else}}
  <script
   src="{{.Static}}/static/js/krypton-client/V4.0/stable/kr-payment-form.min.js"
   kr-public-key="{{.PublicKey}}"
   kr-post-url-success="{{.Success}}"
   kr-post-url-refused="{{.Refused}}">
  </script>
  <link rel="stylesheet"
   href="{{.Static}}/static/js/krypton-client/V4.0/ext/classic-reset.css">
  <script
   src="{{.Static}}/static/js/krypton-client/V4.0/ext/classic.js">
  </script>
{{end}}{{.Extra}}
</head>
{{if .Smart}}<body>
  <div class="kr-smart-form" kr-card-form-expanded kr-form-token="{{.FormToken}}">
  </div>
{{else}}<body style="padding-top:20px">
  <div class="kr-embedded"
   kr-form-token="{{.FormToken}}">

    <div class="kr-pan"></div>
    <div class="kr-expiry"></div>
    <div class="kr-security-code"></div>

    <button class="kr-payment-button"></button>

    <div class="kr-form-error"></div>
  </div>
{{end}}{{.Below}}
</body>
</html>
`))

// lyraSPAPage is a single-page application's page: it loads the script as
// the embedded-form glue's loadLibrary does (a script element with the
// public key and kr-spa-mode), then gives the formToken and the return URL
// with KR.setFormConfig, adds two forms with KR.addForm and shows the
// second only with KR.showForm.
var lyraSPAPage = template.Must(template.New("spa").Parse(`<!DOCTYPE html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <title>Boutique</title>
  <link rel="stylesheet" href="{{.Static}}/static/js/krypton-client/V4.0/ext/neon-reset.min.css" />
  <script src="{{.Static}}/static/js/krypton-client/V4.0/ext/neon.js"></script>
</head>
<body>
  <div id="otherPaymentForm"></div>
  <div id="myPaymentForm"></div>
  <script>
    const script = document.createElement("script");
    script.src = "{{.Static}}/static/js/krypton-client/V4.0/stable/kr-payment-form.min.js";
    script.setAttribute("kr-public-key", "{{.PublicKey}}");
    script.setAttribute("kr-spa-mode", "true");
    script.onload = async () => {
      await KR.setFormConfig({ formToken: "{{.FormToken}}", "kr-language": "fr-FR", "kr-post-url-success": "/paid" });
      await KR.addForm("#otherPaymentForm");
      const { KR: kr, result } = await KR.addForm("#myPaymentForm");
      await kr.showForm(result.formId);
      document.body.dataset.formId = result.formId;
    };
    document.body.appendChild(script);
  </script>
</body>
</html>
`))

// The pages' own scripts, as Lyra's examples write them (without jQuery,
// which the test has no network to load).
const (
	// onErrorScript shows KR.onError's code and message, as the onError
	// example does.
	onErrorScript = `
  <script type="text/javascript">
    KR.onError(function (event) {
      document.getElementById("customerror").textContent = event.errorCode + ": " + event.errorMessage;
    });
  </script>`
	// onSubmitScript keeps the buyer on the page, as the onSubmit example
	// does, and records the answer it was given.
	onSubmitScript = `
  <script type="text/javascript">
    KR.onSubmit(function (event) {
      document.getElementById("onsubmit").textContent = JSON.stringify(event);
      return false;
    });
  </script>`
	// hidePayNowScript hides the pay-now option of split payments.
	hidePayNowScript = `
  <script type="text/javascript">
    KR.setFormConfig({
      smartForm: {
        splitPayment: {
          showPayNowOption: false
        }
      }
    });
  </script>`
)

// page serves /pay/{page}?ref=…: embedded, onerror, onsubmit (the minimal
// embedded form, with their callbacks), noretry (no second attempt),
// askregister (ASK_REGISTER_PAY), oneclick&from=… (the card registered by
// the order from), installments[&paynow=0] (the smart form with a 2- and a
// 3-payment schedule), spa (lyraSPAPage); absolute=1 makes the return URLs
// absolute.
func (m *lyraMerchant) page(w http.ResponseWriter, r *http.Request) {
	ref := r.URL.Query().Get("ref")
	if ref == "" {
		http.Error(w, "ref missing", http.StatusBadRequest)
		return
	}
	body := map[string]any{"amount": 250, "currency": "EUR", "orderId": ref,
		"customer": map[string]any{"email": "sample@example.com"}}
	data := lyraPageData{Static: m.gateway, PublicKey: lyraPublicKey, Success: "/paid", Refused: "/refused"}
	if r.URL.Query().Get("absolute") == "1" {
		// For a page served from another origin than the merchant's.
		data.Success, data.Refused = m.URL+"/paid", m.URL+"/refused"
	}
	switch r.PathValue("page") {
	case "embedded":
	case "onerror":
		data.Extra = onErrorScript
		data.Below = `<div id="customerror"></div>`
	case "onsubmit":
		data.Extra = onSubmitScript
		data.Below = `<pre id="onsubmit" style="white-space: pre-wrap; word-break: break-all"></pre>`
	case "noretry":
		body["transactionOptions"] = map[string]any{"cardOptions": map[string]any{"retry": 0}}
	case "askregister":
		body["formAction"] = "ASK_REGISTER_PAY"
	case "spa":
	case "oneclick":
		token := m.registeredToken(r.URL.Query().Get("from"))
		if token == "" {
			http.Error(w, "no card registered by that order", http.StatusBadRequest)
			return
		}
		body["amount"] = 1500
		body["paymentMethodToken"] = token
	case "installments":
		body["amount"] = 10000
		body["transactionOptions"] = map[string]any{"installmentOptions": []any{
			map[string]any{"firstAmount": 5000, "count": 2, "period": 7},
			map[string]any{"firstAmount": 5000, "count": 3, "period": 10},
		}}
		data.Smart = true
		if r.URL.Query().Get("paynow") == "0" {
			data.Extra = hidePayNowScript
		}
	default:
		http.NotFound(w, r)
		return
	}
	token, err := m.createPayment(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	data.FormToken = token
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	page := lyraPage
	if r.PathValue("page") == "spa" {
		page = lyraSPAPage
	}
	if err := page.Execute(w, data); err != nil {
		m.t.Errorf("page %s: %v", r.URL, err)
	}
}

// registeredToken is the paymentMethodToken an order's browser return
// carried.
func (m *lyraMerchant) registeredToken(orderID string) string {
	for _, p := range m.posts(&m.returns, orderID) {
		if token, _ := p.transaction()["paymentMethodToken"].(string); token != "" {
			return token
		}
	}
	return ""
}

// lyraResult is what e2e/lyra_embedded.mjs prints on its RESULT line for
// each scenario.
type lyraResult struct {
	Ref string `json:"ref"`
	URL string `json:"url"`
	// Answer is, for onsubmit, the argument KR.onSubmit was given.
	Answer json.RawMessage `json:"answer"`
	// Other is the order of a page opened but not paid.
	Other string `json:"other"`
}

// TestBrowserLyraEmbedded runs Lyra's embedded form against guichet in a
// real headless chromium (driven by e2e/lyra_embedded.mjs with
// playwright-core): pages with the markup of Lyra's public examples load
// guichet's kr-payment-form.min.js from guichet instead of Lyra's static
// host, and the buyer pays with Lyra's test cards. Then it checks what the
// merchant received: browser returns signed with the HMAC-SHA-256 key,
// IPNs signed with the password.
func TestBrowserLyraEmbedded(t *testing.T) {
	node, root, script := browserScript(t, "lyra_embedded.mjs")
	data := t.TempDir()
	base, _, serverLog, stop := startServe(t, map[string]string{}, "-data", data)
	defer stop()
	m := newLyraMerchant(t, base)

	results := map[string]lyraResult{}
	runBrowser(t, node, root, script, serverLog, &results, m.URL, base)
	for _, name := range []string{"paid", "3ds", "retry", "refused", "installments", "register", "oneclick", "spa", "sameorigin", "onsubmit"} {
		if results[name].Ref == "" {
			t.Fatalf("no result for scenario %s in %v", name, results)
		}
	}

	// Every paid scenario but onsubmit ends on the merchant's success page
	// with the five fields, signed with the HMAC key.
	paid := map[string]lyraPost{}
	for _, name := range []string{"paid", "3ds", "retry", "installments", "register", "oneclick", "spa", "sameorigin"} {
		r := results[name]
		landed, err := url.Parse(r.URL)
		if err != nil || landed.Path != "/paid" {
			t.Errorf("%s: the browser ended at %q, want the merchant's /paid", name, r.URL)
			continue
		}
		returns := m.posts(&m.returns, r.Ref)
		if len(returns) != 1 || returns[0].path != "/paid" {
			t.Errorf("%s: browser returns %+v, want one on /paid", name, returns)
			continue
		}
		p := returns[0]
		for _, field := range []string{"kr-hash", "kr-hash-algorithm", "kr-hash-key", "kr-answer-type", "kr-answer"} {
			if !p.form.Has(field) {
				t.Errorf("%s: the return lacks %s: %v", name, field, p.form)
			}
		}
		s, err := v4.ParseSignedAnswer(p.form)
		if err != nil || s.HashKey != v4.HashKeyHMAC || s.AnswerType != v4.AnswerTypePayment || s.Verify(lyraHMACKey) != nil {
			t.Errorf("%s: return not signed with the HMAC key: %+v (%v)", name, s, err)
		}
		if p.answer["orderStatus"] != "PAID" || p.answer["orderCycle"] != "CLOSED" {
			t.Errorf("%s: order %v %v, want PAID CLOSED", name, p.answer["orderStatus"], p.answer["orderCycle"])
		}
		paid[name] = p
	}

	// The last attempt refused, the buyer lands on kr-post-url-refused
	// with the refusal, signed.
	if r := results["refused"]; !strings.HasSuffix(strings.SplitN(r.URL, "?", 2)[0], "/refused") {
		t.Errorf("refused: the browser ended at %q, want the merchant's /refused", r.URL)
	} else if returns := m.posts(&m.returns, r.Ref); len(returns) != 1 || returns[0].path != "/refused" {
		t.Errorf("refused: browser returns %+v, want one on /refused", returns)
	} else {
		s, err := v4.ParseSignedAnswer(returns[0].form)
		if err != nil || s.HashKey != v4.HashKeyHMAC || s.Verify(lyraHMACKey) != nil {
			t.Errorf("refused: return not signed with the HMAC key: %+v (%v)", s, err)
		}
		p := returns[0]
		if p.answer["orderStatus"] != "UNPAID" || p.answer["orderCycle"] != "CLOSED" || p.transaction()["errorCode"] != "ACQ_001" {
			t.Errorf("refused: order %v %v, error %v, want UNPAID CLOSED ACQ_001", p.answer["orderStatus"], p.answer["orderCycle"],
				p.transaction()["errorCode"])
		}
	}

	// The 3-D Secure payment went through the challenge.
	if p, ok := paid["3ds"]; ok {
		details, _ := p.transaction()["transactionDetails"].(map[string]any)
		card, _ := details["cardDetails"].(map[string]any)
		auth, _ := card["authenticationResponse"].(map[string]any)
		value, _ := auth["value"].(map[string]any)
		if value["authenticationType"] != "CHALLENGE" || value["status"] != "SUCCESS" {
			t.Errorf("3ds: authentication %v, want a successful CHALLENGE", value)
		}
	}
	// The buyer chose the 3-payment schedule: 50 EUR of 100 today.
	if p, ok := paid["installments"]; ok {
		if tr := p.transaction(); tr["amount"] != 5000.0 {
			t.Errorf("installments: first payment of %v, want 5000", tr["amount"])
		}
	}
	// The ticked box registered the card, and the one-click payment used
	// it with the security code alone.
	if p, ok := paid["register"]; ok {
		if token, _ := p.transaction()["paymentMethodToken"].(string); len(token) != 32 {
			t.Errorf("register: paymentMethodToken %q, want a token", token)
		}
	}
	if p, ok := paid["oneclick"]; ok {
		tr := p.transaction()
		details, _ := tr["transactionDetails"].(map[string]any)
		card, _ := details["cardDetails"].(map[string]any)
		if tr["amount"] != 1500.0 || card["pan"] != "497010XXXXXX0055" {
			t.Errorf("oneclick: %v EUR cents with %v, want 1500 with the registered card", tr["amount"], card["pan"])
		}
	}

	// KR.onSubmit returned false: no return page, and its argument is the
	// signed V4/Charge/ProcessPaymentAnswer.
	sub := results["onsubmit"]
	if returns := m.posts(&m.returns, sub.Ref); len(returns) != 0 {
		t.Errorf("onsubmit: the merchant got browser returns %+v although KR.onSubmit returned false", returns)
	}
	var answer struct {
		ClientAnswer    map[string]any `json:"clientAnswer"`
		RawClientAnswer string         `json:"rawClientAnswer"`
		Hash            string         `json:"hash"`
		HashAlgorithm   string         `json:"hashAlgorithm"`
		HashKey         string         `json:"hashKey"`
		ServerDate      string         `json:"serverDate"`
		Type            string         `json:"_type"`
	}
	if err := json.Unmarshal(sub.Answer, &answer); err != nil {
		t.Fatalf("onsubmit: answer %s: %v", sub.Answer, err)
	}
	s := v4.SignedAnswer{HashKey: v4.HashKey(answer.HashKey), HashAlgorithm: answer.HashAlgorithm, Answer: answer.RawClientAnswer, Hash: answer.Hash}
	if answer.Type != "V4/Charge/ProcessPaymentAnswer" || s.HashKey != v4.HashKeyHMAC || s.Verify(lyraHMACKey) != nil ||
		answer.ClientAnswer["orderStatus"] != "PAID" || answer.ServerDate == "" {
		t.Errorf("onsubmit: KR.onSubmit got %s", sub.Answer)
	}

	// Advancing the clock runs due work before it answers: the IPNs have
	// gone out by then, each once, signed with the password.
	advanceClock(t, base, data)
	ipnStatuses := func(ref string) []string {
		var statuses []string
		for _, p := range m.posts(&m.ipns, ref) {
			s, err := v4.ParseSignedAnswer(p.form)
			if err != nil || s.HashKey != v4.HashKeyPassword || s.Verify(lyraPassword) != nil || s.Source != v4.SourcePay {
				t.Errorf("IPN of %s not signed with the password: %v (%v)", ref, p.form, err)
			}
			statuses = append(statuses, fmt.Sprint(p.answer["orderStatus"]))
		}
		return statuses
	}
	if got := ipnStatuses(results["paid"].Ref); strings.Join(got, " ") != "PAID" {
		t.Errorf("paid: IPNs %v, want exactly one PAID", got)
	} else if uuid := paid["paid"].transaction()["uuid"]; !strings.Contains(m.posts(&m.ipns, results["paid"].Ref)[0].form.Get("kr-answer"), fmt.Sprint(uuid)) {
		t.Errorf("paid: the IPN is not about transaction %v", uuid)
	}
	// The refused attempt and the paid one are notified each.
	got := ipnStatuses(results["retry"].Ref)
	if len(got) != 2 || !(got[0] == "UNPAID" && got[1] == "PAID" || got[0] == "PAID" && got[1] == "UNPAID") {
		t.Errorf("retry: IPNs %v, want one UNPAID and one PAID", got)
	}
	if got := ipnStatuses(sub.Ref); strings.Join(got, " ") != "PAID" {
		t.Errorf("onsubmit: IPNs %v, want exactly one PAID", got)
	}

	// The order paid in the browser is captured, refunded with
	// Transaction/CancelOrRefund, and listed beside a Paybox payment.
	if uuid, ok := paid["paid"].transaction()["uuid"].(string); ok {
		refundBesidePaybox(t, base, data, results["paid"].Ref, uuid)
	} else {
		t.Errorf("paid: no transaction uuid in %v", paid["paid"].answer)
	}
}

// withoutResult shortens the RESULT line of the script's output, which
// holds whole payment answers, for the log.
func withoutResult(out string) string {
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		if strings.HasPrefix(line, "RESULT ") {
			lines[i] = fmt.Sprintf("RESULT (%d bytes)", len(line)-len("RESULT "))
		}
	}
	return strings.Join(lines, "\n")
}
