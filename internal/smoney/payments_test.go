package smoney_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// TestSeveralRecipients: a payment of 15.00 EUR split between two
// recipients is paid once on the page for its whole amount; the payment
// and each sub-payment read back paid; a split that does not add up, or
// one asked in v1, is refused and creates nothing.
func TestSeveralRecipients(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		split := func(orderID string, a, b int64) map[string]any {
			p := g.payment(orderID, 1500)
			p["Payments"] = []any{
				map[string]any{"OrderId": orderID + "-a", "Beneficiary": map[string]any{"AppAccountId": "shop-a"}, "Amount": a, "Fee": 10},
				map[string]any{"orderId": orderID + "-b", "beneficiary": map[string]any{"appAccountId": "shop-b"}, "amount": b, "message": "b"},
			}
			return p
		}
		for _, c := range []struct {
			name   string
			accept string
			a, b   int64
			code   int64
		}{
			{"sum below", v3, 1000, 400, 178},
			{"sum above", v3, 1000, 600, 178},
			{"v1", "application/vnd.s-money.v1+json", 1000, 500, 178},
		} {
			raw, _ := json.Marshal(split("bad", c.a, c.b))
			r, _ := http.NewRequest("POST", g.url+"/api/sandbox/payins/cardpayments", bytes.NewReader(raw))
			r.Header.Set("Authorization", "Bearer "+token)
			r.Header.Set("Accept", c.accept)
			resp, err := g.client.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			var out map[string]any
			json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if resp.StatusCode != 400 || number(out["Code"]) != c.code {
				t.Errorf("%s: HTTP %d %v", c.name, resp.StatusCode, out)
			}
			if status, _, _ := g.call("GET", "payins/cardpayments/bad", nil); status != 404 {
				t.Errorf("%s: the refused payment exists (HTTP %d)", c.name, status)
			}
		}

		status, _, created := g.call("POST", "payins/cardpayments", split("multi", 1000, 500))
		subs, _ := created["Payments"].([]any)
		if status != 201 || len(subs) != 2 || number(created["Amount"]) != 1500 {
			t.Fatalf("create: HTTP %d %v", status, created)
		}
		first := subs[0].(map[string]any)
		if first["OrderId"] != "multi-a" || number(first["Amount"]) != 1000 || number(first["Fee"]) != 10 || number(first["Status"]) != 0 ||
			first["Beneficiary"].(map[string]any)["AppAccountId"] != "shop-a" || number(first["Id"]) == 0 || number(first["Id"]) == number(created["Id"]) {
			t.Errorf("first sub-payment: %v", first)
		}
		// The page asks the payer for the whole amount, once.
		if page := g.get(created["Href"].(string)); !bytes.Contains([]byte(page.Body), []byte("15,00")) {
			t.Errorf("the page does not show 15,00:\n%s", page.Body)
		}
		g.pay(created["Href"].(string), "VISA", testCard)
		_, _, got := g.call("GET", "payins/cardpayments/multi", nil)
		for i, s := range got["Payments"].([]any) {
			if number(s.(map[string]any)["Status"]) != 1 {
				t.Errorf("sub-payment %d after payment: %v", i, s)
			}
		}
		status, _, b := g.call("GET", "payins/cardpayments/multi/payments/multi-b", nil)
		if status != 200 || b["OrderId"] != "multi-b" || number(b["Amount"]) != 500 || number(b["Status"]) != 1 || b["Message"] != "b" ||
			b["Beneficiary"].(map[string]any)["AppAccountId"] != "shop-b" || number(b["Id"]) != number(got["Payments"].([]any)[1].(map[string]any)["Id"]) {
			t.Errorf("sub-payment b: HTTP %d %v", status, b)
		}
		if status, _, out := g.call("GET", "payins/cardpayments/multi/payments/multi-z", nil); status != 404 || number(out["Code"]) != 177 {
			t.Errorf("unknown sub-payment: HTTP %d %v", status, out)
		}
		if status, _, out := g.call("POST", "payins/cardpayments/multi/payments/multi-b/refunds", map[string]any{"OrderId": "r", "Amount": 100}); status != 400 || number(out["Code"]) != 362 {
			t.Errorf("refund of a sub-payment: HTTP %d %v", status, out)
		}
		g.advance(time.Minute)
		if calls := g.merchant.received(); len(calls) != 1 || calls[0].Get("id") != "multi" || calls[0].Get("status") != "1" {
			t.Errorf("callbacks: %v", calls)
		}
	})
}
