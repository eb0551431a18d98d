package lyra_test

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
	"guichet/internal/lyra"
	v4 "guichet/internal/lyra/v4"
)

// The public demo shop's keys (Lyra's documentation).
const (
	shopID     = "69876357"
	password   = "testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M"
	publicKey  = "69876357:testpublickey_DEMOPUBLICKEY95me92597fd28tGD4r5"
	hmacKey    = "38453613e7f44dc58732bad3dca2bca3"
	demoShopID = "lyra-69876357"
)

// merchant is a shop's web server receiving IPNs.
type merchant struct{ *fronttest.Merchant }

func newMerchant(t *testing.T) *merchant { return &merchant{fronttest.NewMerchant(t)} }

// received returns the IPNs' forms.
func (m *merchant) received() []url.Values { return m.Received("POST", "") }

// gateway is the Lyra front served as guichet serves it, on SQLite or
// PostgreSQL, with the demo shop whose IPN URL is a merchant's server.
type gateway struct {
	t        *testing.T
	url      string
	svc      *core.Service
	clock    *fronttest.Clock
	merchant *merchant
}

func newGateway(t *testing.T) *gateway {
	t.Helper()
	return newGatewayOn(t, fronttest.SQLite(t))
}

// onBothStores runs a test on SQLite, and on PostgreSQL when
// GUICHET_TEST_POSTGRES names a server.
func onBothStores(t *testing.T, test func(t *testing.T, g *gateway)) {
	fronttest.Stores(t, func(t *testing.T, store guichet.Store) { test(t, newGatewayOn(t, store)) })
}

func newGatewayOn(t *testing.T, store guichet.Store) *gateway {
	t.Helper()
	g := fronttest.Serve(t, store, lyra.New, fronttest.NewClock(fronttest.Start))
	m := newMerchant(t)
	err := store.Update(context.Background(), func(tx guichet.Tx) error {
		s, err := tx.Shop(demoShopID)
		if err != nil {
			return err
		}
		acct, _, err := lyra.AccountOf(s)
		if err != nil {
			return err
		}
		acct.IPNURL = m.URL + "/ipn"
		s.Credentials = []guichet.Credential{acct.Credential()}
		return tx.PutShop(s)
	})
	if err != nil {
		t.Fatal(err)
	}
	return &gateway{t: t, url: g.URL, svc: g.Svc, clock: g.Clock, merchant: m}
}

// call posts a web service request with the demo shop's keys and returns
// the envelope's status and answer.
func (g *gateway) call(service string, body any) (string, map[string]any) {
	g.t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", g.url+"/api-payment/V4/"+service, bytes.NewReader(raw))
	req.SetBasicAuth(shopID, password)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		g.t.Fatalf("%s: HTTP %d", service, resp.StatusCode)
	}
	var env map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		g.t.Fatal(err)
	}
	if env["webService"] != service || env["_type"] != "V4/WebService/Response" {
		g.t.Fatalf("%s: envelope %v", service, env)
	}
	answer, _ := env["answer"].(map[string]any)
	return env["status"].(string), answer
}

// pay pays a formToken through the test helper, as the browser would.
func (g *gateway) pay(formToken string, fields map[string]any) map[string]any {
	g.t.Helper()
	fields["publicKey"] = publicKey
	raw, _ := json.Marshal(fields)
	resp, err := http.Post(g.url+"/_guichet/v1/lyra/formtokens/"+formToken+"/pay", "application/json", bytes.NewReader(raw))
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return out
}

func (g *gateway) runDue() {
	g.t.Helper()
	if _, err := g.svc.RunDue(context.Background(), demoShopID); err != nil {
		g.t.Fatal(err)
	}
}

func card(pan string) map[string]any {
	return map[string]any{"pan": pan, "expiryMonth": 12, "expiryYear": 2030, "securityCode": "123"}
}

// TestPaymentCycle: a formToken paid with Lyra's accepted test card gives
// a browser return signed with the HMAC key and an IPN signed with the
// password; the transaction is then read, and cancelled.
func TestPaymentCycle(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		status, answer := g.call("Charge/SDKTest", map[string]any{"value": "test"})
		if status != "SUCCESS" || answer["value"] != "test" {
			t.Fatalf("SDKTest: %s %v", status, answer)
		}
		status, answer = g.call("Charge/CreatePayment", map[string]any{"amount": 990, "currency": "EUR", "orderId": "myOrderId-1",
			"customer": map[string]any{"email": "sample@example.net", "billingDetails": map[string]any{"firstName": "Laurent", "country": "FR"}},
			"metadata": map[string]any{"contract": "1245KL-78/ZE"}})
		if status != "SUCCESS" || answer["_type"] != "V4/Charge/PaymentForm" {
			t.Fatalf("CreatePayment: %s %v", status, answer)
		}
		formToken := answer["formToken"].(string)
		done := g.pay(formToken, card("4970100000000055"))
		if done["status"] != "DONE" {
			t.Fatalf("pay: %v", done)
		}
		s := v4.SignedAnswer{HashKey: v4.HashKey(done["kr-hash-key"].(string)), HashAlgorithm: done["kr-hash-algorithm"].(string),
			Answer: done["kr-answer"].(string), AnswerType: done["kr-answer-type"].(string), Hash: done["kr-hash"].(string)}
		if s.HashKey != v4.HashKeyHMAC || s.Verify(hmacKey) != nil {
			t.Fatalf("browser return not signed with the HMAC key: %+v", s)
		}
		var payment map[string]any
		json.Unmarshal([]byte(s.Answer), &payment)
		if payment["orderStatus"] != "PAID" || payment["orderCycle"] != "CLOSED" {
			t.Errorf("payment: %v %v", payment["orderStatus"], payment["orderCycle"])
		}
		tr := payment["transactions"].([]any)[0].(map[string]any)
		uuid := tr["uuid"].(string)
		if tr["detailedStatus"] != "AUTHORISED" || tr["amount"].(float64) != 990 || len(uuid) != 32 {
			t.Errorf("transaction: %v", tr)
		}
		if md := tr["metadata"].(map[string]any); md["contract"] != "1245KL-78/ZE" {
			t.Errorf("metadata not echoed: %v", md)
		}

		g.runDue()
		ipns := g.merchant.received()
		if len(ipns) != 1 {
			t.Fatalf("%d IPNs, want 1", len(ipns))
		}
		ipn, err := v4.ParseSignedAnswer(ipns[0])
		if err != nil || ipn.HashKey != v4.HashKeyPassword || ipn.Verify(password) != nil || ipns[0].Get("kr-src") != "PAY" {
			t.Fatalf("IPN: %v, %v", ipns[0], err)
		}
		if !strings.Contains(ipn.Answer, uuid) || !strings.Contains(ipn.Answer, `"orderId":"myOrderId-1"`) {
			t.Errorf("IPN answer: %s", ipn.Answer)
		}

		status, answer = g.call("Transaction/Get", map[string]any{"uuid": uuid})
		if status != "SUCCESS" || answer["uuid"] != uuid || answer["detailedStatus"] != "AUTHORISED" {
			t.Fatalf("Transaction/Get: %s %v", status, answer)
		}
		status, answer = g.call("Transaction/CancelOrRefund", map[string]any{"uuid": uuid, "amount": 990, "currency": "EUR"})
		if status != "SUCCESS" || answer["uuid"] != uuid || answer["detailedStatus"] != "CANCELLED" || answer["status"] != "UNPAID" {
			t.Fatalf("CancelOrRefund: %s %v", status, answer)
		}
		status, answer = g.call("Transaction/CancelOrRefund", map[string]any{"uuid": uuid})
		if status != "ERROR" || answer["errorCode"] != "PSP_105" {
			t.Errorf("cancelling twice: %s %v", status, answer)
		}
	})
}

// TestRefund: once the evening batch captured a payment, CancelOrRefund
// refunds it with a new CREDIT transaction pointing at it.
func TestRefund(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		_, answer := g.call("Charge/CreatePayment", map[string]any{"amount": 3000, "currency": "EUR", "orderId": "myOrderId-2"})
		done := g.pay(answer["formToken"].(string), card("4970100000000055"))
		var payment map[string]any
		json.Unmarshal([]byte(done["kr-answer"].(string)), &payment)
		uuid := payment["transactions"].([]any)[0].(map[string]any)["uuid"].(string)
		g.clock.Add(48 * time.Hour)
		status, answer := g.call("Transaction/Get", map[string]any{"uuid": uuid})
		if status != "SUCCESS" || answer["detailedStatus"] != "CAPTURED" {
			t.Fatalf("after the batch: %s %v", status, answer["detailedStatus"])
		}
		status, answer = g.call("Transaction/CancelOrRefund", map[string]any{"uuid": uuid, "amount": 1000, "currency": "EUR"})
		if status != "SUCCESS" || answer["operationType"] != "CREDIT" || answer["uuid"] == uuid || answer["amount"].(float64) != 1000 {
			t.Fatalf("refund: %s %v", status, answer)
		}
		details := answer["transactionDetails"].(map[string]any)
		if details["parentTransactionUuid"] != uuid || details["creationContext"] != "REFUND" {
			t.Errorf("refund details: %v", details)
		}
		status, answer = g.call("Transaction/CancelOrRefund", map[string]any{"uuid": uuid, "amount": 2500, "currency": "EUR"})
		if status != "ERROR" || answer["errorCode"] != "PSP_511" {
			t.Errorf("refunding more than what is left: %s %v", status, answer)
		}
		status, answer = g.call("Order/Get", map[string]any{"orderId": "myOrderId-2"})
		if list, _ := answer["transactions"].([]any); status != "SUCCESS" || len(list) != 2 {
			t.Errorf("Order/Get: %s %v", status, answer)
		}
	})
}

// paidAnswer decodes the kr-answer of a finished form payment.
func paidAnswer(t *testing.T, done map[string]any) map[string]any {
	t.Helper()
	if done["status"] != "DONE" {
		t.Fatalf("payment not done: %v", done)
	}
	var payment map[string]any
	if err := json.Unmarshal([]byte(done["kr-answer"].(string)), &payment); err != nil {
		t.Fatal(err)
	}
	return payment
}

// TestInstallments pays the seed's schedules: the simple one of 100 EUR
// in 3 with 50 EUR first every 7 days (50 at once, then 25 at D+7 and 25
// at D+14), each later payment charged on its date on the shop's clock
// and notified like Lyra's batch authorization (kr-src BATCH_AUTO,
// sequenceType MULTI_PAYMENT).
func TestInstallments(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		status, answer := g.call("Charge/CreatePayment", map[string]any{"amount": 10000, "currency": "EUR", "orderId": "myOrderId-1234",
			"transactionOptions": map[string]any{"installmentOptions": []any{
				map[string]any{"firstAmount": 5000, "count": 2, "period": 7},
				map[string]any{"firstAmount": 5000, "count": 3, "period": 7},
			}}})
		if status != "SUCCESS" {
			t.Fatalf("CreatePayment: %v", answer)
		}
		fields := card("4970100000000055")
		fields["installmentOption"] = 1
		payment := paidAnswer(t, g.pay(answer["formToken"].(string), fields))
		first := payment["transactions"].([]any)[0].(map[string]any)
		if first["amount"].(float64) != 5000 || payment["orderDetails"].(map[string]any)["orderTotalAmount"].(float64) != 10000 {
			t.Fatalf("first payment: %v, order %v", first["amount"], payment["orderDetails"])
		}
		g.runDue()
		// D+7 and D+14 on the shop's clock.
		var amounts []float64
		var days []int
		for day := 1; day <= 15; day++ {
			g.clock.Add(24 * time.Hour)
			before := len(g.merchant.received())
			g.runDue()
			if len(g.merchant.received()) > before {
				days = append(days, day)
			}
		}
		if fmt.Sprint(days) != "[7 14]" {
			t.Errorf("later payments on days %v, want D+7 and D+14", days)
		}
		ipns := g.merchant.received()
		var sources []string
		for _, f := range ipns {
			sources = append(sources, f.Get("kr-src"))
			var p map[string]any
			json.Unmarshal([]byte(f.Get("kr-answer")), &p)
			tr := p["transactions"].([]any)[0].(map[string]any)
			amounts = append(amounts, tr["amount"].(float64))
			cd := tr["transactionDetails"].(map[string]any)["cardDetails"].(map[string]any)
			if cd["sequenceType"] != "MULTI_PAYMENT" {
				t.Errorf("sequenceType %v", cd["sequenceType"])
			}
			if ok, _ := v4.ParseSignedAnswer(f); ok.Verify(password) != nil {
				t.Errorf("IPN not signed with the password")
			}
		}
		if strings.Join(sources, ",") != "PAY,BATCH_AUTO,BATCH_AUTO" || len(amounts) != 3 || amounts[1] != 2500 || amounts[2] != 2500 {
			t.Errorf("IPNs: sources %v, amounts %v; want PAY,BATCH_AUTO,BATCH_AUTO and 5000, 2500, 2500", sources, amounts)
		}
		status, answer = g.call("Order/Get", map[string]any{"orderId": "myOrderId-1234"})
		if list, _ := answer["transactions"].([]any); status != "SUCCESS" || len(list) != 3 {
			t.Errorf("Order/Get after the schedule: %s, %d transactions", status, len(list))
		}
	})
}

// TestCreatePaymentErrors checks every error of the seed's table for
// payments in several times, and the other refusals of a payment request,
// each in a normal envelope.
func TestCreatePaymentErrors(t *testing.T) {
	g := newGateway(t)
	opts := func(o ...any) map[string]any { return map[string]any{"installmentOptions": o} }
	pay := func(extra map[string]any) map[string]any {
		req := map[string]any{"amount": 10000, "currency": "EUR", "orderId": "err"}
		for k, v := range extra {
			req[k] = v
		}
		return req
	}
	for _, c := range []struct {
		name string
		req  map[string]any
		code string
	}{
		{"amount missing", map[string]any{"currency": "EUR"}, "INT_009"},
		{"amount a string of letters", pay(map[string]any{"amount": "ten"}), "INT_009"},
		{"amount negative", pay(map[string]any{"amount": -1}), "INT_009"},
		{"amount with decimals", pay(map[string]any{"amount": 99.5}), "INT_009"},
		{"amount zero", pay(map[string]any{"amount": 0}), "PSP_1024"},
		{"currency missing", map[string]any{"amount": 100}, "INT_010"},
		{"currency malformed", pay(map[string]any{"currency": "euro"}), "INT_010"},
		{"currency unknown", pay(map[string]any{"currency": "XYZ"}), "PSP_519"},
		{"firstAmount negative", pay(map[string]any{"transactionOptions": opts(map[string]any{"firstAmount": -5, "count": 2, "period": 7})}), "INT_928"},
		{"firstAmount the whole amount", pay(map[string]any{"transactionOptions": opts(map[string]any{"firstAmount": 10000, "count": 2, "period": 7})}), "INT_928"},
		{"count 1", pay(map[string]any{"transactionOptions": opts(map[string]any{"firstAmount": 5000, "count": 1, "period": 7})}), "INT_929"},
		{"count missing", pay(map[string]any{"transactionOptions": opts(map[string]any{"firstAmount": 5000, "period": 7})}), "INT_929"},
		{"period 0", pay(map[string]any{"transactionOptions": opts(map[string]any{"firstAmount": 5000, "count": 2, "period": 0})}), "INT_930"},
		{"schedules empty", pay(map[string]any{"transactionOptions": opts(map[string]any{"schedules": []any{}})}), "INT_931"},
		{"schedules not adding up", pay(map[string]any{"transactionOptions": opts(map[string]any{"schedules": []any{
			map[string]any{"date": "2026-12-01T00:00:00+00:00", "amount": 5000},
			map[string]any{"date": "2027-01-01T00:00:00+00:00", "amount": 4000}}})}), "INT_931"},
		{"schedule date malformed", pay(map[string]any{"transactionOptions": opts(map[string]any{"schedules": []any{
			map[string]any{"date": "1st of April", "amount": 5000},
			map[string]any{"date": "2027-01-01T00:00:00+00:00", "amount": 5000}}})}), "INT_932"},
		{"schedule dates not increasing", pay(map[string]any{"transactionOptions": opts(map[string]any{"schedules": []any{
			map[string]any{"date": "2027-01-01T00:00:00+00:00", "amount": 5000},
			map[string]any{"date": "2026-12-01T00:00:00+00:00", "amount": 5000}}})}), "INT_932"},
		{"schedule amount missing", pay(map[string]any{"transactionOptions": opts(map[string]any{"schedules": []any{
			map[string]any{"date": "2026-12-01T00:00:00+00:00"},
			map[string]any{"date": "2027-01-01T00:00:00+00:00", "amount": 5000}}})}), "INT_933"},
		{"simple and advanced mixed", pay(map[string]any{"transactionOptions": opts(map[string]any{"count": 2, "period": 7, "schedules": []any{
			map[string]any{"date": "2026-12-01T00:00:00+00:00", "amount": 5000}}})}), "INT_945"},
		{"last payment beyond 12 months", pay(map[string]any{"transactionOptions": opts(map[string]any{"schedules": []any{
			map[string]any{"date": "2026-12-01T00:00:00+00:00", "amount": 5000},
			map[string]any{"date": "2027-12-01T00:00:00+00:00", "amount": 5000}}})}), "PSP_610"},
		{"formAction unknown", pay(map[string]any{"formAction": "PAY_TWICE"}), "INT_875"},
		{"register without e-mail", pay(map[string]any{"formAction": "ASK_REGISTER_PAY"}), "INT_811"},
		{"silent without token", pay(map[string]any{"formAction": "SILENT"}), "INT_812"},
		{"token malformed", pay(map[string]any{"paymentMethodToken": "nope"}), "INT_030"},
		{"token unknown", pay(map[string]any{"paymentMethodToken": strings.Repeat("ab", 16)}), "PSP_030"},
		{"strongAuthentication unknown", pay(map[string]any{"strongAuthentication": "MAYBE"}), "INT_050"},
		{"manualValidation unknown", pay(map[string]any{"transactionOptions": map[string]any{"cardOptions": map[string]any{"manualValidation": "SOMETIMES"}}}), "INT_005"},
		{"captureDelay negative", pay(map[string]any{"transactionOptions": map[string]any{"cardOptions": map[string]any{"captureDelay": -1}}}), "INT_006"},
		{"metadata not flat", pay(map[string]any{"metadata": map[string]any{"a": map[string]any{"b": "c"}}}), "INT_091"},
		{"e-mail malformed", pay(map[string]any{"customer": map[string]any{"email": "not an address"}}), "INT_015"},
		{"billing country malformed", pay(map[string]any{"customer": map[string]any{"billingDetails": map[string]any{"country": "France"}}}), "INT_022"},
		{"shipping method unknown", pay(map[string]any{"customer": map[string]any{"shippingDetails": map[string]any{"shippingMethod": "PIGEON"}}}), "INT_094"},
		{"shipping speed unknown", pay(map[string]any{"customer": map[string]any{"shippingDetails": map[string]any{"shippingSpeed": "SLOW"}}}), "INT_095"},
		{"sub-merchant MCC not 4 digits", pay(map[string]any{"subMerchantDetails": map[string]any{"mcc": "54111"}}), "INT_902"},
		{"sub-merchant phone too long", pay(map[string]any{"subMerchantDetails": map[string]any{"phoneNumber": strings.Repeat("0", 33)}}), "INT_024"},
		{"orderId too long", pay(map[string]any{"orderId": strings.Repeat("x", 65)}), "INT_013"},
	} {
		status, answer := g.call("Charge/CreatePayment", c.req)
		if status != "ERROR" || answer["errorCode"] != c.code || answer["_type"] != "V4/WebService/WebServiceError" {
			t.Errorf("%s: %s %v, want ERROR %s", c.name, status, answer, c.code)
		}
	}
	// A wrong ipnTargetUrl does not reject the form.
	status, answer := g.call("Charge/CreatePayment", pay(map[string]any{"ipnTargetUrl": "not a url"}))
	if status != "SUCCESS" {
		t.Errorf("a wrong ipnTargetUrl: %s %v", status, answer)
	}
	// CLIENT_515 comes from the form, when the buyer picks a schedule of
	// more than four payments.
	_, answer = g.call("Charge/CreatePayment", pay(map[string]any{"transactionOptions": opts(map[string]any{"count": 5, "period": 7})}))
	fields := card("4970100000000055")
	fields["installmentOption"] = 0
	if done := g.pay(answer["formToken"].(string), fields); done["errorCode"] != "CLIENT_515" {
		t.Errorf("five payments: %v", done)
	}
}

// raw posts a body as it is, with the given credentials, and returns the
// HTTP status and the envelope.
func (g *gateway) raw(method, service, user, pass, body string) (int, map[string]any) {
	g.t.Helper()
	req, _ := http.NewRequest(method, g.url+"/api-payment/V4/"+service, strings.NewReader(body))
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	var env map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		g.t.Fatalf("%s %s: not an envelope: %v", method, service, err)
	}
	return resp.StatusCode, env
}

// TestBadRequests: what a client may get wrong is answered with the
// documented error in a normal envelope, with HTTP 200.
func TestBadRequests(t *testing.T) {
	g := newGateway(t)
	for _, c := range []struct {
		name, method, service, user, pass, body string
		code, detail                            string
	}{
		{"malformed JSON", "POST", "Charge/CreatePayment", shopID, password, "{", "INT_902", "can't decode JSON data : line: 1 column: 1"},
		{"not an object", "POST", "Charge/CreatePayment", shopID, password, "[1,2]", "INT_902", ""},
		{"a number", "POST", "Charge/SDKTest", shopID, password, "12", "INT_902", ""},
		{"trailing data", "POST", "Charge/SDKTest", shopID, password, `{"value":"a"} {}`, "INT_902", ""},
		{"wrong type", "POST", "Charge/SDKTest", shopID, password, `{"value":12}`, "INT_902", ""},
		{"unknown service", "POST", "Charge/CreateMiracle", shopID, password, "{}", "INT_901", ""},
		{"PCI service", "POST", "PCI/Charge/CreatePayment", shopID, password, "{}", "INT_913", ""},
		{"GET", "GET", "Charge/SDKTest", shopID, password, "", "INT_902", ""},
		{"no credentials", "POST", "Charge/SDKTest", "", "", "{}", "INT_905", ""},
		{"wrong password", "POST", "Charge/SDKTest", shopID, "testpassword_WRONG", "{}", "INT_905", ""},
		{"public key as password", "POST", "Charge/SDKTest", shopID, "testpublickey_DEMOPUBLICKEY95me92597fd28tGD4r5", "{}", "INT_905", ""},
		{"unknown shop", "POST", "Charge/SDKTest", "12345678", password, "{}", "INT_905", ""},
		{"production key of a test shop", "POST", "Charge/SDKTest", shopID, "prodpassword_ABC", "{}", "PSP_109", ""},
		{"oversized body", "POST", "Charge/SDKTest", shopID, password, `{"value":"` + strings.Repeat("x", 300<<10) + `"}`, "INT_914", ""},
		{"unknown transaction", "POST", "Transaction/Get", shopID, password, `{"uuid":"` + strings.Repeat("0a", 16) + `"}`, "PSP_010", ""},
		{"unknown order", "POST", "Order/Get", shopID, password, `{"orderId":"nothing"}`, "PSP_010", ""},
		{"unknown token", "POST", "Token/Get", shopID, password, `{"paymentMethodToken":"` + strings.Repeat("0a", 16) + `"}`, "PSP_030", ""},
	} {
		status, env := g.raw(c.method, c.service, c.user, c.pass, c.body)
		answer, _ := env["answer"].(map[string]any)
		if status != 200 || env["status"] != "ERROR" || answer["errorCode"] != c.code {
			t.Errorf("%s: HTTP %d %v, want ERROR %s", c.name, status, env, c.code)
			continue
		}
		if c.detail != "" && answer["detailedErrorMessage"] != c.detail {
			t.Errorf("%s: detail %q, want %q", c.name, answer["detailedErrorMessage"], c.detail)
		}
		if answer["ticket"] != "null" {
			t.Errorf("%s: answer ticket %v, want the string \"null\"", c.name, answer["ticket"])
		}
	}
}

// TestFrictionlessExemption: a merchant asking to spare the buyer's
// authentication (strongAuthentication DISABLED) gets it for payments in
// euros under 30 EUR, five in a row at most and under 100 EUR in all, and
// in other currencies; the payment then shifts no liability. Above 30 EUR
// the request is ignored and the issuer (a challenge card here) decides.
func TestFrictionlessExemption(t *testing.T) {
	g := newGateway(t)
	const pan = "4970110000001003" // challenge card
	try := func(amount int, currency string) map[string]any {
		_, answer := g.call("Charge/CreatePayment", map[string]any{"amount": amount, "currency": currency, "orderId": "ex",
			"strongAuthentication": "DISABLED"})
		return g.pay(answer["formToken"].(string), card(pan))
	}
	for i := 1; i <= 5; i++ {
		done := try(1000, "EUR")
		tr := paidAnswer(t, done)["transactions"].([]any)[0].(map[string]any)
		if tr["effectiveStrongAuthentication"] != "DISABLED" || tr["transactionDetails"].(map[string]any)["liabilityShift"] != "NO" {
			t.Errorf("exempted payment %d: %v", i, tr["effectiveStrongAuthentication"])
		}
	}
	if done := try(1000, "EUR"); done["status"] != "CHALLENGE" {
		t.Errorf("a sixth payment in a row was exempted: %v", done)
	}
	if done := try(4000, "EUR"); done["status"] != "CHALLENGE" {
		t.Errorf("40 EUR exempted: %v", done)
	}
	if done := try(4000, "USD"); done["status"] != "DONE" {
		t.Errorf("40 USD not exempted: %v", done)
	}
	// The challenge, answered with the simulated issuer's code, shifts
	// the liability.
	_, answer := g.call("Charge/CreatePayment", map[string]any{"amount": 4000, "currency": "EUR", "orderId": "ch"})
	ft := answer["formToken"].(string)
	ch := g.pay(ft, card(pan))
	code := ch["challenge"].(map[string]any)["code"].(string)
	tr := paidAnswer(t, g.pay(ft, map[string]any{"challengeCode": code}))["transactions"].([]any)[0].(map[string]any)
	if tr["effectiveStrongAuthentication"] != "ENABLED" || tr["transactionDetails"].(map[string]any)["liabilityShift"] != "YES" || tr["detailedStatus"] != "AUTHORISED" {
		t.Errorf("after the challenge: %v %v", tr["effectiveStrongAuthentication"], tr["detailedStatus"])
	}
}

// register registers a card with Charge/CreateToken and returns its
// paymentMethodToken.
func (g *gateway) register(pan string) string {
	g.t.Helper()
	_, answer := g.call("Charge/CreateToken", map[string]any{"currency": "EUR", "customer": map[string]any{"email": "sample@example.net"}})
	tr := paidAnswer(g.t, g.pay(answer["formToken"].(string), card(pan)))["transactions"].([]any)[0].(map[string]any)
	if tr["operationType"] != "VERIFICATION" || tr["detailedStatus"] != "ACCEPTED" {
		g.t.Fatalf("registration: %v", tr)
	}
	return tr["paymentMethodToken"].(string)
}

// TestSubscription charges a registered card every month, the first time
// at an initial amount, each occurrence notified with kr-src REC; then
// cancels another subscription.
func TestSubscription(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		token := g.register("4970100000000055")
		g.runDue()
		before := len(g.merchant.received())
		status, answer := g.call("Charge/CreateSubscription", map[string]any{"amount": 1000, "currency": "EUR", "orderId": "sub-1",
			"paymentMethodToken": token, "effectDate": "2026-12-01T00:00:00+00:00", "rrule": "RRULE:FREQ=MONTHLY;COUNT=3",
			"initialAmount": 500, "initialAmountNumber": 1, "metadata": map[string]any{"plan": "gold"}})
		if status != "SUCCESS" || answer["_type"] != "V4/SubscriptionCreated" {
			t.Fatalf("CreateSubscription: %s %v", status, answer)
		}
		id := answer["subscriptionId"].(string)
		for range 70 {
			g.clock.Add(24 * time.Hour)
			g.runDue()
		}
		ipns := g.merchant.received()[before:]
		var got []string
		for _, f := range ipns {
			var p map[string]any
			json.Unmarshal([]byte(f.Get("kr-answer")), &p)
			tr := p["transactions"].([]any)[0].(map[string]any)
			sub := tr["transactionDetails"].(map[string]any)["subscriptionDetails"].(map[string]any)["subscriptionId"]
			got = append(got, fmt.Sprintf("%s %v %v %v", f.Get("kr-src"), tr["amount"], tr["creationDate"].(string)[:10], sub == id))
		}
		want := "[REC 500 2026-12-01 true REC 1000 2027-01-01 true REC 1000 2027-02-01 true]"
		if fmt.Sprint(got) != want {
			t.Errorf("occurrences %v, want %v", got, want)
		}
		status, answer = g.call("Subscription/Get", map[string]any{"subscriptionId": id, "paymentMethodToken": token})
		if status != "SUCCESS" || answer["pastPaymentsNumber"].(float64) != 3 || answer["totalPaymentsNumber"].(float64) != 3 ||
			answer["rrule"] != "RRULE:FREQ=MONTHLY;COUNT=3" || answer["initialAmount"].(float64) != 500 || answer["cancelDate"] != nil {
			t.Errorf("Subscription/Get: %s %v", status, answer)
		}

		_, answer = g.call("Charge/CreateSubscription", map[string]any{"amount": 2000, "currency": "EUR",
			"paymentMethodToken": token, "effectDate": "2027-03-01T00:00:00+00:00", "rrule": "RRULE:FREQ=WEEKLY;INTERVAL=2"})
		other := answer["subscriptionId"].(string)
		status, answer = g.call("Subscription/Cancel", map[string]any{"subscriptionId": other, "paymentMethodToken": token})
		if status != "SUCCESS" || answer["responseCode"].(float64) != 0 {
			t.Errorf("Subscription/Cancel: %s %v", status, answer)
		}
		_, answer = g.call("Subscription/Get", map[string]any{"subscriptionId": other, "paymentMethodToken": token})
		if answer["cancelDate"] == nil || answer["totalPaymentsNumber"] != nil {
			t.Errorf("cancelled subscription: %v", answer)
		}
		for _, c := range []struct {
			name string
			req  map[string]any
			code string
		}{
			{"hourly", map[string]any{"amount": 100, "currency": "EUR", "paymentMethodToken": token, "effectDate": "2027-03-01T00:00:00+00:00", "rrule": "RRULE:FREQ=HOURLY"}, "INT_064"},
			{"no RRULE prefix", map[string]any{"amount": 100, "currency": "EUR", "paymentMethodToken": token, "effectDate": "2027-03-01T00:00:00+00:00", "rrule": "FREQ=MONTHLY"}, "INT_064"},
			{"initial amount alone", map[string]any{"amount": 100, "currency": "EUR", "paymentMethodToken": token, "effectDate": "2027-03-01T00:00:00+00:00", "rrule": "RRULE:FREQ=MONTHLY", "initialAmount": 10}, "INT_880"},
			{"no effect date", map[string]any{"amount": 100, "currency": "EUR", "paymentMethodToken": token, "rrule": "RRULE:FREQ=MONTHLY"}, "INT_069"},
			{"in the past", map[string]any{"amount": 100, "currency": "EUR", "paymentMethodToken": token, "effectDate": "2020-03-01T00:00:00+00:00", "rrule": "RRULE:FREQ=MONTHLY"}, "INT_069"},
			{"unknown token", map[string]any{"amount": 100, "currency": "EUR", "paymentMethodToken": strings.Repeat("cd", 16), "effectDate": "2027-03-01T00:00:00+00:00", "rrule": "RRULE:FREQ=MONTHLY"}, "PSP_030"},
		} {
			if status, answer := g.call("Charge/CreateSubscription", c.req); status != "ERROR" || answer["errorCode"] != c.code {
				t.Errorf("%s: %s %v, want %s", c.name, status, answer, c.code)
			}
		}
		if status, answer := g.call("Subscription/Get", map[string]any{"subscriptionId": "nope", "paymentMethodToken": token}); answer["errorCode"] != "PSP_032" {
			t.Errorf("unknown subscription: %s %v", status, answer)
		}
	})
}

// TestDuplicate pays again with the card of a cancelled transaction, and
// refuses to duplicate one still running.
func TestDuplicate(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		_, answer := g.call("Charge/CreatePayment", map[string]any{"amount": 2000, "currency": "EUR", "orderId": "dup"})
		uuid := paidAnswer(t, g.pay(answer["formToken"].(string), card("4970100000000055")))["transactions"].([]any)[0].(map[string]any)["uuid"].(string)
		if status, answer := g.call("Transaction/Duplicate", map[string]any{"uuid": uuid, "amount": 1500, "currency": "EUR"}); answer["errorCode"] != "PSP_016" {
			t.Errorf("duplicating a running transaction: %s %v", status, answer)
		}
		g.call("Transaction/Cancel", map[string]any{"uuid": uuid})
		status, answer := g.call("Transaction/Duplicate", map[string]any{"uuid": uuid, "amount": 1500, "currency": "EUR", "orderId": "dup-2",
			"metadata": map[string]any{"why": "again"}})
		if status != "SUCCESS" || answer["uuid"] == uuid || answer["amount"].(float64) != 1500 || answer["detailedStatus"] != "AUTHORISED" ||
			answer["operationType"] != "DEBIT" || answer["orderDetails"].(map[string]any)["orderId"] != "dup-2" {
			t.Errorf("Duplicate: %s %v", status, answer)
		}
		if md, _ := answer["metadata"].(map[string]any); md["why"] != "again" {
			t.Errorf("duplicate's metadata: %v", answer["metadata"])
		}
	})
}

// TestPaymentOrder makes a payment link, pays it through its form and
// reads it paid; the IPN says kr-src PAYMENT_ORDER. Expiration dates more
// than 90 days away are PSP_1007.
func TestPaymentOrder(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		status, answer := g.call("Charge/CreatePaymentOrder", map[string]any{"amount": 4200, "currency": "EUR", "orderId": "po-1",
			"expirationDate": "2026-12-20T00:00:00+00:00", "locale": "fr_FR", "channelOptions": map[string]any{"channelType": "URL"}})
		if status != "SUCCESS" || answer["_type"] != "V4/PaymentOrder" || answer["paymentOrderStatus"] != "RUNNING" {
			t.Fatalf("CreatePaymentOrder: %s %v", status, answer)
		}
		id := answer["paymentOrderId"].(string)
		resp, err := http.Get(answer["paymentURL"].(string))
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(page), `kr-form-token="`+id+`"`) || !strings.Contains(string(page), publicKey) {
			t.Fatalf("payment page: %d %s", resp.StatusCode, page)
		}
		before := len(g.merchant.received())
		paidAnswer(t, g.pay(id, card("4970100000000055")))
		g.runDue()
		if ipns := g.merchant.received()[before:]; len(ipns) != 1 || ipns[0].Get("kr-src") != "PAYMENT_ORDER" {
			t.Errorf("IPN of the payment order: %v", ipns)
		}
		if _, answer = g.call("Charge/PaymentOrder/Get", map[string]any{"paymentOrderId": id}); answer["paymentOrderStatus"] != "PAID" {
			t.Errorf("paid payment order: %v", answer)
		}
		if _, answer = g.call("Charge/PaymentOrder/Cancel", map[string]any{"paymentOrderId": id}); answer["errorCode"] != "PSP_1005" {
			t.Errorf("cancelling a paid payment order: %v", answer)
		}
		for _, date := range []string{"2027-03-01T00:00:00+00:00", "2026-11-01T00:00:00+00:00"} {
			if _, answer = g.call("Charge/CreatePaymentOrder", map[string]any{"amount": 100, "currency": "EUR", "expirationDate": date}); answer["errorCode"] != "PSP_1007" {
				t.Errorf("expiration %s: %v", date, answer)
			}
		}
		if _, answer = g.call("Charge/CreatePaymentOrder", map[string]any{"amount": 100, "currency": "EUR", "locale": "french"}); answer["errorCode"] != "PSP_1012" {
			t.Errorf("locale french: %v", answer)
		}
		_, answer = g.call("Charge/CreatePaymentOrder", map[string]any{"amount": 100, "currency": "EUR"})
		other := answer["paymentOrderId"].(string)
		if _, answer = g.call("Charge/PaymentOrder/Cancel", map[string]any{"paymentOrderId": other}); answer["paymentOrderStatus"] != "CANCELLED" {
			t.Errorf("cancelled payment order: %v", answer)
		}
	})
}

// TestIPNRetry: an IPN the merchant's server refused is sent again, saying
// so (kr-src RETRY), and signed as the first.
func TestIPNRetry(t *testing.T) {
	g := newGateway(t)
	g.merchant.Fail(1)
	_, answer := g.call("Charge/CreatePayment", map[string]any{"amount": 990, "currency": "EUR", "orderId": "retry"})
	paidAnswer(t, g.pay(answer["formToken"].(string), card("4970100000000055")))
	for range 12 {
		g.runDue()
		g.clock.Add(15 * time.Minute)
	}
	ipns := g.merchant.received()
	if len(ipns) != 2 || ipns[0].Get("kr-src") != "PAY" || ipns[1].Get("kr-src") != "RETRY" {
		t.Fatalf("IPNs: %v", ipns)
	}
	if ipns[0].Get("kr-answer") != ipns[1].Get("kr-answer") {
		t.Error("the retry's answer differs")
	}
	if s, _ := v4.ParseSignedAnswer(ipns[1]); s.Verify(password) != nil {
		t.Error("the retry is not signed with the password")
	}
	// An operator's resend says so (kr-src BO).
	shop, err := g.svc.ShopByID(context.Background(), demoShopID)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := g.svc.Notifications(context.Background(), guichet.DeliveryFilter{ShopID: demoShopID})
	if err != nil || len(sent) != 1 {
		t.Fatalf("notifications: %d, %v", len(sent), err)
	}
	if _, err := g.svc.Resend(context.Background(), shop, sent[0].ID); err != nil {
		t.Fatal(err)
	}
	g.runDue()
	if ipns = g.merchant.received(); len(ipns) != 3 || ipns[2].Get("kr-src") != "BO" || ipns[2].Get("kr-answer") != ipns[0].Get("kr-answer") {
		t.Errorf("resent IPN: %v", ipns[len(ipns)-1])
	}
}

// TestSettings: a merchant sets its shop's IPN URL with its own keys.
func TestSettings(t *testing.T) {
	g := newGateway(t)
	other := newMerchant(t)
	req, _ := http.NewRequest("POST", g.url+"/_guichet/v1/lyra/settings", strings.NewReader(`{"ipnUrl":"`+other.URL+`/ipn"}`))
	req.SetBasicAuth(shopID, password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("settings: %v %v", resp, err)
	}
	resp.Body.Close()
	req, _ = http.NewRequest("POST", g.url+"/_guichet/v1/lyra/settings", strings.NewReader(`{"ipnUrl":"x"}`))
	req.SetBasicAuth(shopID, "testpassword_WRONG")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("settings with a wrong password: %v %v", resp, err)
	}
	_, answer := g.call("Charge/CreatePayment", map[string]any{"amount": 990, "currency": "EUR", "orderId": "settings"})
	paidAnswer(t, g.pay(answer["formToken"].(string), card("4970100000000055")))
	g.runDue()
	if len(other.received()) != 1 || len(g.merchant.received()) != 0 {
		t.Errorf("IPN went to %d (new URL) and %d (old one)", len(other.received()), len(g.merchant.received()))
	}
}

// TestManualValidation: a payment left to the merchant's validation is
// AUTHORISED_TO_VALIDATE, may be moved within its authorization's
// validity (PSP_547 beyond) and lowered, then validated; one not validated
// by its date expires.
func TestManualValidation(t *testing.T) {
	g := newGateway(t)
	manual := map[string]any{"cardOptions": map[string]any{"manualValidation": "YES", "captureDelay": 3}}
	pay := func(order string) string {
		_, answer := g.call("Charge/CreatePayment", map[string]any{"amount": 5000, "currency": "EUR", "orderId": order, "transactionOptions": manual})
		return paidAnswer(t, g.pay(answer["formToken"].(string), card("4970100000000055")))["transactions"].([]any)[0].(map[string]any)["uuid"].(string)
	}
	uuid := pay("manual-1")
	status, answer := g.call("Transaction/Get", map[string]any{"uuid": uuid})
	if answer["detailedStatus"] != "AUTHORISED_TO_VALIDATE" || answer["status"] != "RUNNING" {
		t.Fatalf("manual payment: %s %v", status, answer["detailedStatus"])
	}
	if _, answer = g.call("Transaction/Update", map[string]any{"uuid": uuid,
		"cardUpdate": map[string]any{"expectedCaptureDate": "2026-12-20T10:00:00+00:00"}}); answer["errorCode"] != "PSP_547" {
		t.Errorf("a capture date beyond the authorization's validity: %v", answer)
	}
	status, answer = g.call("Transaction/Update", map[string]any{"uuid": uuid,
		"cardUpdate": map[string]any{"amount": 4000, "expectedCaptureDate": "2026-11-28T10:00:00+00:00"}})
	cd := answer["transactionDetails"].(map[string]any)["cardDetails"].(map[string]any)
	if status != "SUCCESS" || answer["amount"].(float64) != 4000 || cd["expectedCaptureDate"] != "2026-11-28T10:00:00+00:00" {
		t.Errorf("update: %s %v %v", status, answer["amount"], cd["expectedCaptureDate"])
	}
	if _, answer = g.call("Transaction/Update", map[string]any{"uuid": uuid, "cardUpdate": map[string]any{"amount": 4000}}); answer["errorCode"] != "PSP_014" {
		t.Errorf("an update changing nothing: %v", answer)
	}
	status, answer = g.call("Transaction/Validate", map[string]any{"uuid": uuid})
	if status != "SUCCESS" || answer["detailedStatus"] != "AUTHORISED" {
		t.Errorf("validate: %s %v", status, answer)
	}
	if _, answer = g.call("Transaction/Validate", map[string]any{"uuid": uuid}); answer["errorCode"] != "PSP_011" {
		t.Errorf("validating twice: %v", answer)
	}
	late := pay("manual-2")
	g.clock.Add(4 * 24 * time.Hour)
	if _, answer = g.call("Transaction/Get", map[string]any{"uuid": late}); answer["detailedStatus"] != "EXPIRED" || answer["status"] != "UNPAID" {
		t.Errorf("not validated in time: %v", answer["detailedStatus"])
	}
	if _, answer = g.call("Transaction/Validate", map[string]any{"uuid": late}); answer["errorCode"] != "PSP_011" {
		t.Errorf("validating an expired payment: %v", answer)
	}
	// The validated one is captured by the batch after its date.
	g.clock.Add(2 * 24 * time.Hour)
	if _, answer = g.call("Transaction/Get", map[string]any{"uuid": uuid}); answer["detailedStatus"] != "CAPTURED" {
		t.Errorf("validated payment after its date: %v", answer["detailedStatus"])
	}
}

// TestFormTokenLife: a formToken takes payments for 15 minutes on the
// shop's clock (PSP_108 after), once paid takes no more (PSP_113), and
// answers only its shop's public key (INT_911) or a known one (INT_904).
func TestFormTokenLife(t *testing.T) {
	g := newGateway(t)
	form := func() string {
		_, answer := g.call("Charge/CreatePayment", map[string]any{"amount": 990, "currency": "EUR", "orderId": "life"})
		return answer["formToken"].(string)
	}
	paid := form()
	paidAnswer(t, g.pay(paid, card("4970100000000055")))
	if done := g.pay(paid, card("4970100000000055")); done["errorCode"] != "PSP_113" {
		t.Errorf("paying a formToken twice: %v", done)
	}
	late := form()
	g.clock.Add(16 * time.Minute)
	if done := g.pay(late, card("4970100000000055")); done["errorCode"] != "PSP_108" {
		t.Errorf("paying after 15 minutes: %v", done)
	}
	if done := g.pay("01nosuchformtoken", card("4970100000000055")); done["errorCode"] != "INT_903" {
		t.Errorf("an unknown formToken: %v", done)
	}
	fresh := form()
	for key, code := range map[string]string{"69876357:testpublickey_OTHER": "INT_904", "12345678:testpublickey_X": "INT_911"} {
		raw, _ := json.Marshal(map[string]any{"publicKey": key, "pan": "4970100000000055", "expiryMonth": 12, "expiryYear": 2030})
		resp, err := http.Post(g.url+"/_guichet/v1/lyra/formtokens/"+fresh+"/pay", "application/json", bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if out["errorCode"] != code {
			t.Errorf("public key %s: %v, want %s", key, out, code)
		}
	}
}

// TestOtherShopsToken: a shop cannot read, charge nor cancel another
// shop's token, nor read its transactions.
func TestOtherShopsToken(t *testing.T) {
	g := newGateway(t)
	token := g.register("4970100000000055")
	_, answer := g.call("Charge/CreatePayment", map[string]any{"amount": 990, "currency": "EUR", "orderId": "other"})
	uuid := paidAnswer(t, g.pay(answer["formToken"].(string), card("4970100000000055")))["transactions"].([]any)[0].(map[string]any)["uuid"].(string)
	other := lyra.Account{ShopID: "12345678", TestPassword: "testpassword_OTHERSHOP", TestPublicKey: "12345678:testpublickey_OTHERSHOP"}
	shop := &guichet.Shop{ID: "lyra-12345678", Name: "other", Mode: guichet.ModeTest, Credentials: []guichet.Credential{other.Credential()}}
	if err := g.svc.PutShop(context.Background(), shop); err != nil {
		t.Fatal(err)
	}
	for service, body := range map[string]map[string]any{
		"Token/Get":            {"paymentMethodToken": token},
		"Token/Cancel":         {"paymentMethodToken": token},
		"Charge/CreatePayment": {"amount": 100, "currency": "EUR", "formAction": "SILENT", "paymentMethodToken": token},
		"Transaction/Get":      {"uuid": uuid},
		"Transaction/Cancel":   {"uuid": uuid},
	} {
		_, env := g.raw("POST", service, "12345678", "testpassword_OTHERSHOP", mustJSON(body))
		want := "PSP_030"
		if strings.HasPrefix(service, "Transaction/") {
			want = "PSP_010"
		}
		if answer, _ := env["answer"].(map[string]any); env["status"] != "ERROR" || answer["errorCode"] != want {
			t.Errorf("%s of another shop's: %v, want %s", service, env, want)
		}
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestWaitingAuthorisation: a payment to be captured beyond an
// authorization's validity (a week) is only checked when the buyer pays
// (WAITING_AUTHORISATION); the batch asks its authorization the day
// before the capture date and notifies the outcome (kr-src BATCH_AUTO),
// which may be a refusal. Meanwhile it may be validated or cancelled.
func TestWaitingAuthorisation(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		pay := func(order, pan string, manual bool) string {
			opts := map[string]any{"captureDelay": 10}
			if manual {
				opts["manualValidation"] = "YES"
			}
			_, answer := g.call("Charge/CreatePayment", map[string]any{"amount": 3000, "currency": "EUR", "orderId": order,
				"transactionOptions": map[string]any{"cardOptions": opts}})
			return paidAnswer(t, g.pay(answer["formToken"].(string), card(pan)))["transactions"].([]any)[0].(map[string]any)["uuid"].(string)
		}
		status := func(uuid string) string {
			_, answer := g.call("Transaction/Get", map[string]any{"uuid": uuid})
			return fmt.Sprint(answer["detailedStatus"])
		}
		auto := pay("wait-1", "4970100000000055", false)
		manual := pay("wait-2", "4970100000000055", true)
		refused := pay("wait-3", "4970100000000113", false)
		cancelled := pay("wait-4", "4970100000000055", false)
		for uuid, want := range map[string]string{auto: "WAITING_AUTHORISATION", manual: "WAITING_AUTHORISATION_TO_VALIDATE",
			refused: "WAITING_AUTHORISATION", cancelled: "WAITING_AUTHORISATION"} {
			if got := status(uuid); got != want {
				t.Errorf("%s after the payment: %s, want %s", uuid, got, want)
			}
		}
		if _, answer := g.call("Transaction/Validate", map[string]any{"uuid": manual}); answer["detailedStatus"] != "WAITING_AUTHORISATION" {
			t.Errorf("validated while waiting: %v", answer["detailedStatus"])
		}
		if _, answer := g.call("Transaction/CancelOrRefund", map[string]any{"uuid": cancelled}); answer["detailedStatus"] != "CANCELLED" {
			t.Errorf("cancelled while waiting: %v", answer["detailedStatus"])
		}
		g.runDue()
		before := len(g.merchant.received())
		for range 9 {
			g.clock.Add(24 * time.Hour)
			g.runDue()
		}
		for uuid, want := range map[string]string{auto: "AUTHORISED", manual: "AUTHORISED", refused: "REFUSED", cancelled: "CANCELLED"} {
			if got := status(uuid); got != want {
				t.Errorf("%s the day before its capture: %s, want %s", uuid, got, want)
			}
		}
		ipns := g.merchant.received()[before:]
		sources := map[string]int{}
		for _, f := range ipns {
			sources[f.Get("kr-src")]++
		}
		if len(ipns) != 3 || sources["BATCH_AUTO"] != 3 {
			t.Errorf("IPNs of the batch: %v", sources)
		}
		g.clock.Add(2 * 24 * time.Hour)
		if got := status(auto); got != "CAPTURED" {
			t.Errorf("after its capture date: %s", got)
		}
	})
}

// TestClockJump: the sandbox's clock advance stops at each job due on the
// way, so that the later payments of a schedule within one jump of three
// weeks are charged on their own dates.
func TestClockJump(t *testing.T) {
	g := newGateway(t)
	_, answer := g.call("Charge/CreatePayment", map[string]any{"amount": 10000, "currency": "EUR", "orderId": "jump",
		"transactionOptions": map[string]any{"installmentOptions": []any{map[string]any{"firstAmount": 5000, "count": 3, "period": 7}}}})
	fields := card("4970100000000055")
	fields["installmentOption"] = 0
	paidAnswer(t, g.pay(answer["formToken"].(string), fields))
	g.runDue()
	before := len(g.merchant.received())
	if _, _, err := g.svc.AdvanceClock(context.Background(), demoShopID, 21*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	var dates []string
	for _, f := range g.merchant.received()[before:] {
		var p map[string]any
		json.Unmarshal([]byte(f.Get("kr-answer")), &p)
		dates = append(dates, p["transactions"].([]any)[0].(map[string]any)["creationDate"].(string)[:10])
	}
	// Due at 00:00 in Paris: 23:00 UTC the day before.
	if fmt.Sprint(dates) != "[2026-11-29 2026-12-06]" {
		t.Errorf("later payments created on %v", dates)
	}
}

// TestIPNRetrySchedule: an IPN the merchant keeps refusing is retried four
// times, at the next quarter-hours, then given up.
func TestIPNRetrySchedule(t *testing.T) {
	g := newGateway(t)
	g.merchant.Fail(100)
	g.clock.Add(7 * time.Minute) // 10:07
	_, answer := g.call("Charge/CreatePayment", map[string]any{"amount": 990, "currency": "EUR", "orderId": "late"})
	paidAnswer(t, g.pay(answer["formToken"].(string), card("4970100000000055")))
	if _, _, err := g.svc.AdvanceClock(context.Background(), demoShopID, 3*time.Hour); err != nil {
		t.Fatal(err)
	}
	sent, err := g.svc.Notifications(context.Background(), guichet.DeliveryFilter{ShopID: demoShopID})
	if err != nil || len(sent) != 1 {
		t.Fatalf("notifications: %d, %v", len(sent), err)
	}
	var at []string
	for _, a := range sent[0].Attempts {
		at = append(at, a.At.UTC().Format("15:04"))
	}
	if fmt.Sprint(at) != "[10:07 10:15 10:30 10:45 11:00]" || sent[0].Status != guichet.DeliveryFailed {
		t.Errorf("attempts at %v, %s", at, sent[0].Status)
	}
}
