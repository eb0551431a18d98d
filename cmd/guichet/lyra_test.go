package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// TestLyraBesidePaybox runs the gateway as an operator does and uses both
// fronts on it: a Lyra order paid through the form's test helper, then
// refunded beside a Paybox Direct payment. TestBrowserLyraEmbedded does
// the same with an order paid in the browser.
func TestLyraBesidePaybox(t *testing.T) {
	data := t.TempDir()
	base, _, _, stop := startServe(t, map[string]string{}, "-data", data)
	defer stop()

	form := lyraCall(t, base, "Charge/CreatePayment", map[string]any{"amount": 4990, "currency": "EUR", "orderId": "lyra-order"})
	pay, _ := json.Marshal(map[string]any{"publicKey": "69876357:testpublickey_DEMOPUBLICKEY95me92597fd28tGD4r5",
		"pan": "4970100000000055", "expiryMonth": 12, "expiryYear": 2030, "securityCode": "123"})
	resp, err := http.Post(base+"/_guichet/v1/lyra/formtokens/"+form["formToken"].(string)+"/pay", "application/json", bytes.NewReader(pay))
	if err != nil {
		t.Fatal(err)
	}
	var done map[string]string
	json.NewDecoder(resp.Body).Decode(&done)
	resp.Body.Close()
	var payment struct {
		Transactions []struct{ UUID string }
	}
	if done["status"] != "DONE" || json.Unmarshal([]byte(done["kr-answer"]), &payment) != nil || len(payment.Transactions) != 1 {
		t.Fatalf("form payment: %v", done)
	}
	refundBesidePaybox(t, base, data, "lyra-order", payment.Transactions[0].UUID)
}

// refundBesidePaybox makes a Paybox Direct payment, lets the evening batch
// capture the paid Lyra order (the shops' clocks moved on by the sandbox
// API), refunds part of it with Transaction/CancelOrRefund, and checks
// that the sandbox API lists both payments, the Lyra one with its
// refund's uuid.
func refundBesidePaybox(t *testing.T, base, data, orderID, uuid string) {
	t.Helper()
	if a := ppps(t, base, request("00003", 701, "RANG", "32", "MONTANT", "1250", "REFERENCE", "paybox-order",
		"PORTEUR", "1111222233334444", "DATEVAL", "1230")); a["CODEREPONSE"] != "00000" {
		t.Fatalf("Paybox payment: %v", a)
	}
	advanceClockBy(t, base, data, 2*86400)
	credit := lyraCall(t, base, "Transaction/CancelOrRefund", map[string]any{"uuid": uuid, "amount": 100, "currency": "EUR"})
	if credit["operationType"] != "CREDIT" || credit["detailedStatus"] != "AUTHORISED" {
		t.Fatalf("refund: %v", credit)
	}

	seen := map[string]bool{}
	for _, tr := range sandboxTransactions(t, base, data) {
		seen[tr.Reference] = true
		if tr.Reference != orderID {
			continue
		}
		last := tr.Operations[len(tr.Operations)-1]
		if tr.Shop != "lyra-69876357" || tr.Refunded != 100 || last.Kind != "refund" || last.Front != "lyra" || last.Ref != credit["uuid"] {
			t.Errorf("the Lyra payment as listed: %+v", tr)
		}
	}
	if !seen["paybox-order"] || !seen[orderID] {
		t.Errorf("sandbox API lists %v, want the Paybox payment and %s", seen, orderID)
	}
}

// lyraCall calls a Lyra web service as the demo shop and returns the
// answer of a successful envelope.
func lyraCall(t *testing.T, base, service string, body map[string]any) map[string]any {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", base+"/api-payment/V4/"+service, bytes.NewReader(raw))
	req.SetBasicAuth(lyraShopID, lyraPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env map[string]any
	json.NewDecoder(resp.Body).Decode(&env)
	if env["status"] != "SUCCESS" {
		t.Fatalf("%s: %v", service, env)
	}
	return env["answer"].(map[string]any)
}
