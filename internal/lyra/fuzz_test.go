package lyra

import (
	"testing"
	"time"
)

// FuzzPaymentRequest feeds arbitrary bodies to the decoding of payment
// requests: whatever the bytes, the result is a request or a failure with
// a known code, never a panic.
func FuzzPaymentRequest(f *testing.F) {
	for _, seed := range []string{
		`{"amount":990,"currency":"EUR","orderId":"myOrderId-1"}`,
		`{"amount":10000,"currency":"EUR","transactionOptions":{"installmentOptions":[{"firstAmount":5000,"count":3,"period":7}]}}`,
		`{"amount":10000,"currency":"EUR","transactionOptions":{"installmentOptions":[{"schedules":[{"date":"2026-12-01T00:00:00+00:00","amount":5000},{"date":"2027-01-01T00:00:00+00:00","amount":5000}]}]}}`,
		`{"amount":1,"currency":"EUR","formAction":"ASK_REGISTER_PAY","customer":{"email":"a@b.fr","billingDetails":{"country":"FR"},"shoppingCart":{"cartItemInfo":[{"productAmount":"1200","productQty":1}]}}}`,
		`{"amount":1,"currency":"EUR","metadata":{"a":"b","n":1},"subMerchantDetails":{"mcc":"5411"}}`,
		`{`, `[]`, `null`, `{"amount":"1e3"}`, `{"amount":1e400}`,
	} {
		f.Add([]byte(seed), false)
	}
	today := time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte, register bool) {
		req, err := parseObject(body)
		if err == nil {
			_, err = parsePayment(req, &Account{ShopID: "69876357"}, today, register)
		}
		if err == nil {
			return
		}
		ferr, ok := err.(*failure)
		if !ok || messages[ferr.code] == "" {
			t.Fatalf("%q: %v is no failure with a known code", body, err)
		}
	})
}

// FuzzRRule feeds arbitrary rules to the subscriptions' RRULE reader.
func FuzzRRule(f *testing.F) {
	for _, seed := range []string{"RRULE:FREQ=MONTHLY;COUNT=3", "RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20271231", "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=DAILY", "RRULE:UNTIL="} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, rule string) {
		r, err := parseRRule(rule, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			return
		}
		r.Amount = 100
		if err := r.Check(); err != nil {
			t.Fatalf("%q: accepted, but its recurrence is refused: %v", rule, err)
		}
		for k := 1; k <= 3; k++ {
			r.Occurrence(k)
		}
	})
}
