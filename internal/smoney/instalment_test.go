package smoney_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// scheduled creates a payment of 100.00 EUR in four instalments, 40.00
// today (23 November 2026) then 20.00 on 23 December, 22 January and 21
// February, and pays its first one on the page.
func (g *gateway) scheduled(orderID string) {
	g.t.Helper()
	p := g.payment(orderID, 10000)
	p["ThreeDSecurePreference"] = 3
	p["PaymentSchedule"] = []any{
		map[string]any{"SequenceNumber": 1, "Amount": 4000, "Date": "2026-11-23"},
		map[string]any{"SequenceNumber": 2, "Amount": 2000, "Date": "2026-12-23"},
		map[string]any{"SequenceNumber": 3, "Amount": 2000, "Date": "2027-01-22"},
		map[string]any{"SequenceNumber": 4, "Amount": 2000, "Date": "2027-02-21"},
	}
	status, _, created := g.call("POST", "payins/cardpayments", p)
	if status != http.StatusCreated {
		g.t.Fatalf("create: HTTP %d %v", status, created)
	}
	if back := g.pay(created["Href"].(string), "CB", testCard); !strings.HasSuffix(back, "Result=1") {
		g.t.Fatalf("first instalment: return %s", back)
	}
}

// schedule reads a payment's PaymentSchedule: each instalment's Amount,
// Fee, Date and Status.
func (g *gateway) schedule(orderID string) (amount, fee int64, items []map[string]any) {
	g.t.Helper()
	status, _, got := g.call("GET", "payins/cardpayments/"+orderID, nil)
	if status != 200 {
		g.t.Fatalf("GET %s: HTTP %d %v", orderID, status, got)
	}
	for _, it := range got["PaymentSchedule"].([]any) {
		items = append(items, it.(map[string]any))
	}
	return number(got["Amount"]), number(got["Fee"]), items
}

func statuses(items []map[string]any) []int64 {
	var out []int64
	for _, it := range items {
		out = append(out, number(it["Status"]))
	}
	return out
}

// TestInstalmentChangeRefusals: a change the API or the core refuses
// answers its documented code, and the payment reads back as it was.
func TestInstalmentChangeRefusals(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		g.scheduled("put-1")
		// A payment in one go, and a schedule whose first instalment is
		// not paid yet.
		g.call("POST", "payins/cardpayments", g.payment("once", 1500))
		unpaid := g.payment("unpaid", 3000)
		unpaid["PaymentSchedule"] = map[string]any{"FirstAmount": 1000, "Count": 3, "Period": 30}
		g.call("POST", "payins/cardpayments", unpaid)

		_, _, before := g.call("GET", "payins/cardpayments/put-1", nil)
		for _, c := range []struct {
			name   string
			path   string
			body   any
			status int
			code   int64
		}{
			{"unknown payment", "payins/cardpayments/none/2", map[string]any{"Status": 5}, 404, 177},
			{"sequence not a number", "payins/cardpayments/put-1/two", map[string]any{"Status": 5}, 404, 177},
			{"sequence 0", "payins/cardpayments/put-1/0", map[string]any{"Status": 5}, 404, 177},
			{"sequence beyond the schedule", "payins/cardpayments/put-1/5", map[string]any{"Status": 5}, 404, 177},
			{"another user's payment", "users/someone-else/payins/cardpayments/put-1/2", map[string]any{"Status": 5}, 404, 177},
			{"the first instalment, paid", "payins/cardpayments/put-1/1", map[string]any{"Status": 5}, 400, 364},
			{"a payment in one go", "payins/cardpayments/once/2", map[string]any{"Status": 5}, 400, 364},
			{"a schedule not started", "payins/cardpayments/unpaid/2", map[string]any{"Status": 5}, 400, 364},
			{"not JSON", "payins/cardpayments/put-1/2", []byte(`{"Amount":`), 400, 178},
			{"nothing to change", "payins/cardpayments/put-1/2", map[string]any{"OrderId": "put-1"}, 400, 704},
			{"Status 1", "payins/cardpayments/put-1/2", map[string]any{"Status": 1}, 400, 177},
			{"Amount 0", "payins/cardpayments/put-1/2", map[string]any{"Amount": 0}, 400, 704},
			{"Amount not a number", "payins/cardpayments/put-1/2", map[string]any{"Amount": "lots"}, 400, 178},
			{"Fee negative", "payins/cardpayments/put-1/2", map[string]any{"Fee": -1}, 400, 178},
			{"Date not a date", "payins/cardpayments/put-1/2", map[string]any{"Date": "soon"}, 400, 178},
			{"Date today", "payins/cardpayments/put-1/2", map[string]any{"Date": "2026-11-23"}, 400, 178},
			{"Date in the past", "payins/cardpayments/put-1/2", map[string]any{"date": "2026-01-01T10:00:00+01:00"}, 400, 178},
			{"Date after the next instalment's", "payins/cardpayments/put-1/2", map[string]any{"PaymentDate": "2027-01-22"}, 400, 178},
			{"Date before the previous instalment's", "payins/cardpayments/put-1/4", map[string]any{"Date": "2027-01-21"}, 400, 178},
			{"Date beyond the card's expiry", "payins/cardpayments/put-1/4", map[string]any{"Date": "2031-01-02"}, 400, 178},
		} {
			t.Run(c.name, func(t *testing.T) {
				status, _, out := g.call("PUT", c.path, c.body)
				if status != c.status || number(out["Code"]) != c.code || out["ErrorMessage"] == "" {
					t.Errorf("HTTP %d %v, want %d with Code %d", status, out, c.status, c.code)
				}
				if _, _, after := g.call("GET", "payins/cardpayments/put-1", nil); !reflect.DeepEqual(after, before) {
					t.Errorf("the refusal changed the payment:\n%v\n%v", before, after)
				}
			})
		}
		if status, _, _ := g.call("PUT", "payins/cardpayments/put-1/3", map[string]any{"status": 5}); status != 200 {
			t.Fatalf("cancel: HTTP %d", status)
		}
		for _, c := range []struct {
			name string
			body map[string]any
			code int64
		}{{"cancelled twice", map[string]any{"Status": 5}, 708}, {"a cancelled one re-priced", map[string]any{"Amount": 100}, 364}} {
			if status, _, out := g.call("PUT", "payins/cardpayments/put-1/3", c.body); status != 400 || number(out["Code"]) != c.code {
				t.Errorf("%s: HTTP %d %v", c.name, status, out)
			}
		}
	})
}

// TestInstalmentChange moves and re-prices instalment 2 and cancels
// instalment 3 (through the users/ path): GET shows the new schedule, the
// clock charges instalment 2 on its new date and never instalment 3, each
// change of status is called back, and a charged instalment no longer
// changes.
func TestInstalmentChange(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		g.scheduled("put-2")
		status, _, out := g.call("PUT", "payins/cardpayments/put-2/2", map[string]any{"amount": 2500, "fee": 10, "date": "2027-01-05"})
		if status != 200 || out["OrderId"] != "put-2" {
			t.Fatalf("move: HTTP %d %v", status, out)
		}
		sched := out["PaymentSchedule"].([]any)[1].(map[string]any)
		if number(sched["Amount"]) != 2500 || number(sched["Fee"]) != 10 || sched["Date"] != "2027-01-05T00:00:00.000000+00:00" ||
			number(sched["Status"]) != 0 || number(out["Amount"]) != 10500 || number(out["Fee"]) != 10 {
			t.Errorf("after the move: %v", out)
		}
		if status, _, _ := g.call("PUT", "users/client-112/payins/cardpayments/put-2/3", map[string]any{"Status": 5}); status != 200 {
			t.Fatalf("cancel: HTTP %d", status)
		}
		amount, _, items := g.schedule("put-2")
		if got := statuses(items); !reflect.DeepEqual(got, []int64{1, 0, 5, 0}) || amount != 8500 {
			t.Errorf("after the cancellation: Amount %d, statuses %v", amount, got)
		}

		// 4 January, 23:00 in Paris: instalment 2 is not charged yet.
		g.advance(42*24*time.Hour + 12*time.Hour)
		if _, _, items := g.schedule("put-2"); !reflect.DeepEqual(statuses(items), []int64{1, 0, 5, 0}) {
			t.Errorf("before the new date: %v", statuses(items))
		}
		g.advance(time.Hour)
		if _, _, items := g.schedule("put-2"); !reflect.DeepEqual(statuses(items), []int64{1, 1, 5, 0}) {
			t.Errorf("on the new date: %v", statuses(items))
		}
		if status, _, out := g.call("PUT", "payins/cardpayments/put-2/2", map[string]any{"Amount": 100}); status != 400 || number(out["Code"]) != 364 {
			t.Errorf("a charged instalment re-priced: HTTP %d %v", status, out)
		}
		g.advance(60 * 24 * time.Hour)
		if _, _, items := g.schedule("put-2"); !reflect.DeepEqual(statuses(items), []int64{1, 1, 5, 1}) {
			t.Errorf("at the end: %v", statuses(items))
		}
		var calls []string
		for _, c := range g.merchant.received() {
			calls = append(calls, c.Get("sequencenumber")+":"+c.Get("status"))
		}
		if strings.Join(calls, ",") != "1:1,3:5,2:1,4:1" {
			t.Errorf("callbacks (sequence:status) %v", calls)
		}
		// The cancelled instalment cannot be refunded; the last one, paid
		// after it, can.
		if status, _, out := g.call("POST", "payins/cardpayments/put-2/3/refunds", map[string]any{"OrderId": "r-3", "Amount": 100}); status != 400 || number(out["Code"]) != 364 {
			t.Errorf("refund of the cancelled instalment: HTTP %d %v", status, out)
		}
		status, _, refund := g.call("POST", "payins/cardpayments/put-2/4/refunds", map[string]any{"OrderId": "r-4", "Amount": 2000})
		if status != 201 || number(refund["Type"]) != 1 || number(refund["Status"]) != 1 {
			t.Errorf("refund of instalment 4: HTTP %d %v", status, refund)
		}
		if status, _, out := g.call("POST", "payins/cardpayments/put-2/4/refunds", map[string]any{"OrderId": "r-5", "Amount": 1}); status != 400 || number(out["Code"]) != 708 && number(out["Code"]) != 706 {
			t.Errorf("refund beyond instalment 4: HTTP %d %v", status, out)
		}
		_, _, items = g.schedule("put-2")
		raw, _ := json.Marshal(items)
		for _, date := range []string{"2027-01-05", "2027-01-22", "2027-02-21"} {
			if !strings.Contains(string(raw), `"Date":"`+date+`T00:00:00.000000+00:00"`) {
				t.Errorf("no instalment on %s: %s", date, raw)
			}
		}
	})
}
