package smoney_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/fronttest"
	"guichet/internal/smoney"
)

const (
	token    = "guichet-smoney-sandbox-token"
	shopID   = "smoney-sandbox"
	v3       = "application/vnd.s-money.v3+json"
	testCard = "4970101122334455"
)

// merchant is the application's server: its callbacks and return page.
type merchant struct{ *fronttest.Merchant }

// received returns the callbacks' forms.
func (m *merchant) received() []url.Values { return m.Received("POST", "/callback") }

type gateway struct {
	t        testing.TB
	url      string
	svc      *core.Service
	merchant *merchant
	client   *http.Client
}

func newGateway(t *testing.T) *gateway {
	t.Helper()
	return newGatewayOn(t, fronttest.SQLite(t))
}

func onBothStores(t *testing.T, test func(t *testing.T, g *gateway)) {
	fronttest.Stores(t, func(t *testing.T, store guichet.Store) { test(t, newGatewayOn(t, store)) })
}

func newGatewayOn(t *testing.T, store guichet.Store) *gateway {
	t.Helper()
	// The clock moves a microsecond at each reading, as a real one
	// would between two: code that reads it twice sees two times.
	clk := fronttest.NewClock(fronttest.Start)
	clk.Tick = time.Microsecond
	g := fronttest.Serve(t, store, smoney.New, clk)
	return &gateway{t: t, url: g.URL, svc: g.Svc, merchant: &merchant{fronttest.NewMerchant(t)}, client: fronttest.NoRedirects()}
}

// call sends an API call as the sandbox application, in v3.
func (g *gateway) call(method, path string, body any) (int, http.Header, map[string]any) {
	g.t.Helper()
	var rd io.Reader
	if body != nil {
		// A []byte is sent as it is, to send what is not JSON.
		raw, isRaw := body.([]byte)
		if !isRaw {
			raw, _ = json.Marshal(body)
		}
		rd = bytes.NewReader(raw)
	}
	r, _ := http.NewRequest(method, g.url+"/api/sandbox/"+path, rd)
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("Accept", v3)
	if body != nil {
		r.Header.Set("Content-Type", v3)
	}
	resp, err := g.client.Do(r)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if len(raw) > 0 && raw[0] == '{' {
		json.Unmarshal(raw, &out)
	}
	return resp.StatusCode, resp.Header, out
}

// payment is a card payment request as S-money's clients write it:
// camelCase, as the official README does.
func (g *gateway) payment(orderID string, amount int64) map[string]any {
	return map[string]any{"orderId": orderID, "amount": amount, "fee": 0, "isMine": false, "message": "Commande",
		"urlReturn": g.merchant.URL + "/return", "urlCallback": g.merchant.URL + "/callback", "availableCards": "CB;VISA",
		"ThreeDSecurePreference": 0, "beneficiary": map[string]any{"appAccountId": "client-112"},
		"extraParameters": map[string]any{"profilName": "3DSV2"}}
}

// page is a page of the payment page as the test's browser got it.
type page = fronttest.Page

func (g *gateway) get(u string) page {
	g.t.Helper()
	return fronttest.Get(g.t, g.client, u)
}

func (g *gateway) post(u string, form url.Values) page {
	g.t.Helper()
	return fronttest.Post(g.t, g.client, u, form)
}

// pay goes through the payment page of href as the payer: the brand, the
// card, the 3-D Secure challenge; it returns where the payer is sent.
func (g *gateway) pay(href, brand, pan string) string {
	g.t.Helper()
	choice := g.get(href)
	if choice.Status != 200 {
		g.t.Fatalf("page: HTTP %d\n%s", choice.Status, choice.Body)
	}
	cardPage := g.post(href+"/choose", url.Values{"method": {brand}})
	form := cardPage.Hidden()
	form.Set("number", pan)
	form.Set("expiry", "12/30")
	form.Set("cvv", "123")
	next := g.post(href+"/card", form)
	if next.Status == http.StatusSeeOther {
		return next.Header.Get("Location")
	}
	form = next.Hidden()
	form.Set("outcome", "ok")
	done := g.post(href+"/3ds", form)
	if done.Status != http.StatusSeeOther {
		g.t.Fatalf("after 3-D Secure: HTTP %d\n%s", done.Status, done.Body)
	}
	return done.Header.Get("Location")
}

func (g *gateway) advance(d time.Duration) {
	g.t.Helper()
	if _, _, err := g.svc.AdvanceClock(context.Background(), shopID, d); err != nil {
		g.t.Fatal(err)
	}
}

func number(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

// TestCardPaymentCycle: a card payment is created (201, Status 0, Href
// under the API's base), paid on its page through a 3-D Secure 2
// challenge, read back (Status 1, ExtraResults), called back, and
// refunded in part then beyond what is left.
func TestCardPaymentCycle(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		status, h, created := g.call("POST", "payins/cardpayments", g.payment("cmd-1", 1500))
		if status != http.StatusCreated || number(created["Status"]) != 0 || number(created["Id"]) == 0 ||
			!strings.HasPrefix(created["Href"].(string), g.url+"/api/sandbox/") || !strings.HasPrefix(h.Get("Content-Type"), v3) {
			t.Fatalf("create: HTTP %d %v %v", status, h, created)
		}
		back := g.pay(created["Href"].(string), "VISA", testCard)
		if back != g.merchant.URL+"/return?Id=cmd-1&Type=1&Result=1" {
			t.Errorf("return: %s", back)
		}
		status, _, got := g.call("GET", "payins/cardpayments/cmd-1", nil)
		extra, _ := got["ExtraResults"].(map[string]any)
		cardOut, _ := got["Card"].(map[string]any)
		if status != 200 || number(got["Status"]) != 1 || number(got["ErrorCode"]) != 0 || extra["ExecCode"] != "0000" ||
			extra["threedsecure"] != true || number(extra["3dsecureversion"]) != 2 || number(extra["3dsecuremode"]) != 0 ||
			cardOut["Hint"] != "4XXXX5" || number(cardOut["Network"]) != 3 {
			t.Fatalf("after payment: HTTP %d %v", status, got)
		}
		// The payment reads by its numeric Id too, as the .NET client's
		// test does; an Id nobody has is unknown.
		status, _, byID := g.call("GET", fmt.Sprintf("payins/cardpayments/%d", int64(number(created["Id"]))), nil)
		if status != 200 || byID["OrderId"] != "cmd-1" || number(byID["Id"]) != number(created["Id"]) {
			t.Errorf("by Id: HTTP %d %v", status, byID)
		}
		if status, _, none := g.call("GET", "payins/cardpayments/12345", nil); status != http.StatusNotFound || number(none["Code"]) != 177 {
			t.Errorf("unknown Id: HTTP %d %v", status, none)
		}
		g.advance(time.Minute)
		calls := g.merchant.received()
		if len(calls) != 1 || calls[0].Get("id") != "cmd-1" || calls[0].Get("status") != "1" || calls[0].Get("type") != "1" ||
			calls[0].Get("error") != "0" || calls[0].Get("userid") != "client-112" {
			t.Fatalf("callbacks: %v", calls)
		}

		// The funds are sent the next day: refunds are operations of
		// their own.
		g.advance(48 * time.Hour)
		status, _, refund := g.call("POST", "payins/cardpayments/cmd-1/refunds", map[string]any{"orderId": "refund-1", "amount": 500, "fee": 0})
		if status != http.StatusCreated || number(refund["Type"]) != 1 || number(refund["Amount"]) != 500 || number(refund["Status"]) != 1 {
			t.Fatalf("refund: HTTP %d %v", status, refund)
		}
		status, _, again := g.call("POST", "payins/cardpayments/cmd-1/refunds", map[string]any{"orderId": "refund-1", "amount": 100})
		if status != http.StatusBadRequest || number(again["Code"]) != 364 {
			t.Errorf("refund with a used OrderId: HTTP %d %v", status, again)
		}
		status, _, beyond := g.call("POST", "payins/cardpayments/cmd-1/refunds", map[string]any{"orderId": "refund-2", "amount": 1001})
		if status != http.StatusBadRequest || number(beyond["Code"]) != 706 {
			t.Errorf("refund beyond: HTTP %d %v", status, beyond)
		}
		status, _, zero := g.call("POST", "payins/cardpayments/cmd-1/refunds", map[string]any{"orderId": "refund-3", "amount": 0})
		if status != http.StatusBadRequest || number(zero["Code"]) != 704 {
			t.Errorf("refund of nothing: HTTP %d %v", status, zero)
		}
	})
}

// TestBadCalls: a wrong token (570), a duplicate OrderId (710), an
// unknown version, a callback on another domain: the documented code in
// the documented body.
func TestBadCalls(t *testing.T) {
	g := newGateway(t)
	r, _ := http.NewRequest("GET", g.url+"/api/sandbox/payins/cardpayments", nil)
	r.Header.Set("Authorization", "Bearer nope")
	resp, err := g.client.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 401 || number(body["Code"]) != 570 || body["ErrorMessage"] == "" {
		t.Errorf("wrong token: HTTP %d %v", resp.StatusCode, body)
	}
	if status, _, _ := g.call("POST", "payins/cardpayments", g.payment("dup", 100)); status != 201 {
		t.Fatalf("first: HTTP %d", status)
	}
	if status, _, dup := g.call("POST", "payins/cardpayments", g.payment("dup", 100)); status != 400 || number(dup["Code"]) != 710 {
		t.Errorf("duplicate OrderId: HTTP %d %v", status, dup)
	}
	p := g.payment("elsewhere", 100)
	p["urlCallback"] = "https://attacker.example/callback"
	if status, _, out := g.call("POST", "payins/cardpayments", p); status != 400 || number(out["Code"]) != 178 {
		t.Errorf("callback on another domain: HTTP %d %v", status, out)
	}
	r, _ = http.NewRequest("GET", g.url+"/api/sandbox/payins/cardpayments", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("Accept", "application/vnd.s-money.v9+json")
	resp, _ = g.client.Do(r)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotAcceptable {
		t.Errorf("version 9: HTTP %d", resp.StatusCode)
	}
	status, h, listed := g.call("GET", "payins/cardpayments?page=1&perPage=1", nil)
	if status != 200 || h.Get("Total-count") != "1" || listed != nil {
		t.Errorf("list: HTTP %d Total-count %q", status, h.Get("Total-count"))
	}
}

// TestExecCodes: in the sandbox, an amount whose cents spell a refusal's
// ExecCode gets it: 40.02 EUR is refused for insufficient funds (4002,
// ErrorCode 13), 60.05 by the anti-fraud engine (6005, ErrorCode 16).
func TestExecCodes(t *testing.T) {
	g := newGateway(t)
	for _, c := range []struct {
		amount    int64
		exec      string
		errorCode int64
	}{{4002, "4002", 13}, {6005, "6005", 16}, {5004, "5004", 14}} {
		id := "exec-" + c.exec
		p := g.payment(id, c.amount)
		p["ThreeDSecurePreference"] = 3
		_, _, created := g.call("POST", "payins/cardpayments", p)
		back := g.pay(created["Href"].(string), "CB", testCard)
		if !strings.HasSuffix(back, "Result=0") {
			t.Errorf("%s: return %s", c.exec, back)
		}
		_, _, got := g.call("GET", "payins/cardpayments/"+id, nil)
		extra, _ := got["ExtraResults"].(map[string]any)
		if number(got["Status"]) != 3 || number(got["ErrorCode"]) != c.errorCode || extra["ExecCode"] != c.exec {
			t.Errorf("%s: %v", c.exec, got)
		}
	}
}

// TestSchedule: a payment in three instalments by the seed's rule pays
// the first on the page and the others on their dates, each called back
// with its sequence number.
func TestSchedule(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		p := g.payment("sched-1", 10001)
		p["paymentSchedule"] = map[string]any{"firstAmount": 4000, "count": 3, "period": 30}
		status, _, created := g.call("POST", "payins/cardpayments", p)
		if status != 201 {
			t.Fatalf("create: HTTP %d %v", status, created)
		}
		g.pay(created["Href"].(string), "CB", testCard)
		g.advance(time.Hour)
		g.advance(31 * 24 * time.Hour)
		g.advance(31 * 24 * time.Hour)
		_, _, got := g.call("GET", "payins/cardpayments/sched-1", nil)
		sched, _ := got["PaymentSchedule"].([]any)
		var amounts, statuses []int64
		for _, s := range sched {
			item := s.(map[string]any)
			amounts, statuses = append(amounts, number(item["Amount"])), append(statuses, number(item["Status"]))
		}
		if len(sched) != 3 || amounts[0] != 4000 || amounts[1] != 3000 || amounts[2] != 3001 ||
			statuses[0] != 1 || statuses[1] != 1 || statuses[2] != 1 {
			t.Fatalf("schedule: %v", sched)
		}
		var seqs []string
		for _, c := range g.merchant.received() {
			seqs = append(seqs, c.Get("sequencenumber"))
		}
		if strings.Join(seqs, ",") != "1,2,3" {
			t.Errorf("callbacks' sequence numbers %v", seqs)
		}
	})
}

// TestRiskData: with 3-D Secure 2 and no preference, the simulated
// server lets an established account through without a challenge, and
// challenges a new one (see riskFlow).
func TestRiskData(t *testing.T) {
	g := newGateway(t)
	for _, c := range []struct {
		created   string
		challenge bool
	}{{"2020-01-15", false}, {"2026-11-20", true}} {
		id := "risk-" + c.created
		p := g.payment(id, 1200)
		p["ThreeDSecurePreference"] = 2
		p["threeDsOptData"] = map[string]any{"accountCreationDate": c.created, "last24hourstransactioncount": 1}
		_, _, created := g.call("POST", "payins/cardpayments", p)
		href := created["Href"].(string)
		g.get(href)
		form := g.post(href+"/choose", url.Values{"method": {"CB"}}).Hidden()
		form.Set("number", testCard)
		form.Set("expiry", "12/30")
		form.Set("cvv", "123")
		next := g.post(href+"/card", form)
		if challenged := next.Status == 200 && strings.Contains(next.Body, `name="otp"`); challenged != c.challenge {
			t.Errorf("account created %s: challenged %v, want %v (HTTP %d)", c.created, challenged, c.challenge, next.Status)
		}
	}
}

// TestCardRegistrationAndStoredPayment: a payer registers a card on its
// page (Type 5 return and callback); the application then pays with it
// without the payer: an authorization waiting for its validation in v3
// (Status 4), completed by …/validation (Status 1). A deleted card pays
// no more (195).
func TestCardRegistrationAndStoredPayment(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		status, _, reg := g.call("POST", "cards/registrations", map[string]any{"card": map[string]any{"appCardId": "card-1", "name": "Ma carte"},
			"urlReturn": g.merchant.URL + "/return", "urlCallback": g.merchant.URL + "/callback", "availableCards": "CB"})
		if status != 201 || reg["Href"] == nil {
			t.Fatalf("registration: HTTP %d %v", status, reg)
		}
		href := reg["Href"].(string)
		back := g.pay(href, "CB", testCard)
		if back != g.merchant.URL+"/return?Id=card-1&Type=5&Result=1" {
			t.Errorf("return: %s", back)
		}
		status, _, cardOut := g.call("GET", "cards/card-1", nil)
		if status != 200 || cardOut["AppCardId"] != "card-1" || cardOut["Hint"] != "4XXXX5" {
			t.Fatalf("card: HTTP %d %v", status, cardOut)
		}
		status, _, dup := g.call("POST", "cards/registrations", map[string]any{"card": map[string]any{"appCardId": "card-1"},
			"urlReturn": g.merchant.URL + "/return"})
		if status != 400 || number(dup["Code"]) != 717 {
			t.Errorf("second registration: HTTP %d %v", status, dup)
		}

		status, _, paid := g.call("POST", "payins/storedcardpayments", map[string]any{"orderId": "stored-1", "amount": 2500,
			"card": map[string]any{"appCardId": "card-1"}, "beneficiary": map[string]any{"appAccountId": "client-112"}})
		if status != 201 || number(paid["Status"]) != 4 {
			t.Fatalf("stored payment: HTTP %d %v", status, paid)
		}
		status, _, valid := g.call("POST", "payins/storedcardpayments/stored-1/validation", map[string]any{})
		if status != 200 || number(valid["Status"]) != 1 {
			t.Fatalf("validation: HTTP %d %v", status, valid)
		}
		if status, _, got := g.call("GET", "payins/storedcardpayments/stored-1", nil); status != 200 || number(got["Status"]) != 1 {
			t.Errorf("stored payment read after its validation: HTTP %d %v", status, got)
		}
		for _, r := range []struct {
			method, path string
			body         any
		}{{"GET", "payins/storedcardpayments/stored-9", nil}, {"POST", "payins/storedcardpayments/stored-9/validation", map[string]any{}}} {
			if status, _, got := g.call(r.method, r.path, r.body); status != 404 || number(got["Code"]) != 177 {
				t.Errorf("%s %s of no stored payment: HTTP %d %v, want 404 and Code 177", r.method, r.path, status, got)
			}
		}
		if status, _, _ := g.call("DELETE", "cards/card-1", nil); status != 200 {
			t.Errorf("delete: HTTP %d", status)
		}
		status, _, gone := g.call("POST", "payins/storedcardpayments", map[string]any{"orderId": "stored-2", "amount": 100,
			"card": map[string]any{"appCardId": "card-1"}})
		if status != 404 || number(gone["Code"]) != 195 {
			t.Errorf("payment with a deleted card: HTTP %d %v", status, gone)
		}
		g.advance(time.Minute)
		var types []string
		for _, c := range g.merchant.received() {
			types = append(types, c.Get("type"))
		}
		if len(types) == 0 || types[0] != "5" {
			t.Errorf("callbacks' types %v, want the registration's (5) first", types)
		}
	})
}

// TestVersions: the version a call asks for selects the resource's shape:
// v1 writes Fee as an object and the SystemPay era's ExtraResults, v3 the
// seed's.
func TestVersions(t *testing.T) {
	g := newGateway(t)
	p := g.payment("versions", 1500)
	p["fee"] = 50
	_, _, created := g.call("POST", "payins/cardpayments", p)
	g.pay(created["Href"].(string), "CB", testCard)
	read := func(accept string) map[string]any {
		r, _ := http.NewRequest("GET", g.url+"/api/sandbox/payins/cardpayments/versions", nil)
		r.Header.Set("Authorization", "Bearer "+token)
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		resp, err := g.client.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/vnd.s-money.v") {
			t.Errorf("%s: Content-Type %q", accept, resp.Header.Get("Content-Type"))
		}
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return m
	}
	v1 := read("")
	fee, _ := v1["Fee"].(map[string]any)
	extra, _ := v1["ExtraResults"].(map[string]any)
	if number(fee["Amount"]) != 50 || extra["ThreedsResult"] == nil || extra["ExecCode"] != nil || v1["ThreeDSecurePreference"] != nil {
		t.Errorf("v1 (the default): %v", v1)
	}
	if v2 := read("application/vnd.s-money.v2+json"); number(v2["Fee"]) != 50 || v2["ExtraResults"].(map[string]any)["BankAuthResult"] == nil {
		t.Errorf("v2: %v", v2)
	}
	if v3 := read(v3); v3["ExtraResults"].(map[string]any)["ExecCode"] != "0000" || number(v3["Fee"]) != 50 {
		t.Errorf("v3: %v", v3)
	}
}

// TestCancelAndExpiry: a payer who cancels sends the payment to Status 5
// with its callback; a page left 20 minutes reads cancelled too (ExecCode
// 4017).
func TestCancelAndExpiry(t *testing.T) {
	g := newGateway(t)
	_, _, created := g.call("POST", "payins/cardpayments", g.payment("cancel-1", 1000))
	href := created["Href"].(string)
	g.get(href)
	back := g.post(href+"/cancel", url.Values{})
	if back.Status != http.StatusSeeOther || !strings.HasSuffix(back.Header.Get("Location"), "Id=cancel-1&Type=1&Result=0") {
		t.Fatalf("cancel: HTTP %d %s", back.Status, back.Header.Get("Location"))
	}
	if _, _, got := g.call("GET", "payins/cardpayments/cancel-1", nil); number(got["Status"]) != 5 {
		t.Errorf("cancelled: %v", got)
	}
	g.advance(time.Minute)
	calls := g.merchant.received()
	if len(calls) != 1 || calls[0].Get("id") != "cancel-1" || calls[0].Get("status") != "5" {
		t.Errorf("callbacks: %v", calls)
	}

	g.call("POST", "payins/cardpayments", g.payment("idle-1", 1000))
	g.advance(25 * time.Minute)
	if _, _, got := g.call("GET", "payins/cardpayments/idle-1", nil); number(got["Status"]) != 5 {
		t.Errorf("expired: %v", got)
	}
}

// TestSettings: an application registers its callback domain and secret;
// a callback elsewhere is then refused, one there signed.
func TestSettings(t *testing.T) {
	g := newGateway(t)
	set := func(body string) (int, map[string]any) {
		r, _ := http.NewRequest("POST", g.url+"/_guichet/v1/smoney/settings", strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+token)
		resp, err := g.client.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	if status, out := set(`{"callbackDomain":"shop.example","callbackSecret":"s3cret"}`); status != 200 || out["callbackDomain"] != "shop.example" {
		t.Fatalf("settings: HTTP %d %v", status, out)
	}
	if status, _ := set(`{"callbackDomain":"not a host"}`); status != 400 {
		t.Errorf("a bad domain: HTTP %d", status)
	}
	p := g.payment("settings-1", 100)
	if status, _, out := g.call("POST", "payins/cardpayments", p); status != 400 || number(out["Code"]) != 178 {
		t.Errorf("a callback on localhost once a domain is registered: HTTP %d %v", status, out)
	}
	p["urlCallback"] = "https://pay.shop.example/callback"
	if status, _, out := g.call("POST", "payins/cardpayments", p); status != 201 {
		t.Errorf("a callback on the registered domain: HTTP %d %v", status, out)
	}
}

// TestExchanges: every call of the application is in the exchange log,
// with the payment's OrderId and the answer's code.
func TestExchanges(t *testing.T) {
	g := newGateway(t)
	g.call("POST", "payins/cardpayments", g.payment("logged-1", 1500))
	g.call("POST", "payins/cardpayments", g.payment("logged-1", 1500))
	g.call("GET", "payins/cardpayments/logged-1", nil)
	list, err := g.svc.Exchanges(context.Background(), guichet.ExchangeFilter{ShopID: "smoney-sandbox", Reference: "logged-1"})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, e := range list {
		codes = append(codes, e.Code)
	}
	if strings.Join(codes, ",") != "200,710,201" {
		t.Errorf("exchanges' codes (newest first) %v, want 200, 710, 201", codes)
	}
}
