package smoney

import (
	"strings"
	"testing"
)

func sub(orderID, account string, amount any) map[string]any {
	return map[string]any{"OrderId": orderID, "Beneficiary": map[string]any{"AppAccountId": account}, "Amount": amount}
}

// TestReadPayments reads the sub-payments of a payment of 1500 to several
// recipients, and refuses each broken rule with its code.
func TestReadPayments(t *testing.T) {
	withFee := sub("order-1-b", "shop-b", 500)
	withFee["fee"], withFee["message"] = 20, "part b"
	ok, e := readCardPayment(marshal(t, apply(minimalRequest(), edit{"Payments", []any{sub("order-1-a", "shop-a", 1000), withFee}})))
	if e != nil {
		t.Fatal(e)
	}
	want := []subPaymentRequest{{OrderId: "order-1-a", Beneficiary: beneficiary{AppAccountId: "shop-a"}, Amount: 1000},
		{OrderId: "order-1-b", Beneficiary: beneficiary{AppAccountId: "shop-b"}, Amount: 500, Fee: 20, Message: "part b"}}
	if len(ok.Payments) != 2 || ok.Payments[0] != want[0] || ok.Payments[1] != want[1] {
		t.Errorf("got %+v", ok.Payments)
	}
	for _, c := range []struct {
		name     string
		payments any
		extra    []edit
		code     int
		msg      string
	}{
		{"not a list", map[string]any{"OrderId": "x"}, nil, 178, "Payments: must be a list"},
		{"an item not an object", []any{"x"}, nil, 178, "Payments[0]: must be an object"},
		{"sum below the Amount", []any{sub("a", "shop-a", 1000), sub("b", "shop-b", 499)}, nil, 178, "Payments: the payments' amounts add up to 1499"},
		{"sum above the Amount", []any{sub("a", "shop-a", 1000), sub("b", "shop-b", 501)}, nil, 178, "Payments: the payments' amounts add up to more"},
		{"amount 0", []any{sub("a", "shop-a", 0), sub("b", "shop-b", 1500)}, nil, 704, "Payments[0].Amount: must be greater than 0"},
		{"amount missing", []any{map[string]any{"OrderId": "a", "Beneficiary": map[string]any{"AppAccountId": "x"}}}, nil, 704, "Payments[0].Amount: missing"},
		{"amount text", []any{sub("a", "shop-a", "1500")}, nil, 178, "Payments[0].Amount: must be an integer"},
		{"OrderId missing", []any{map[string]any{"Beneficiary": map[string]any{"AppAccountId": "x"}, "Amount": 1500}}, nil, 704, "Payments[0].OrderId: missing"},
		{"OrderId of the payment", []any{sub("ORDER-1", "shop-a", 1500)}, nil, 178, "Payments[0].OrderId: \"ORDER-1\" is the OrderId"},
		{"OrderId twice", []any{sub("a", "shop-a", 1000), sub("a", "shop-b", 500)}, nil, 178, "Payments[1].OrderId: \"a\" is the OrderId"},
		{"OrderId too long", []any{sub(strings.Repeat("a", 51), "shop-a", 1500)}, nil, 178, "Payments[0].OrderId: at most 50"},
		{"beneficiary missing", []any{map[string]any{"OrderId": "a", "Amount": 1500}}, nil, 149, "Payments[0].Beneficiary.AppAccountId: missing"},
		{"fee negative", []any{map[string]any{"OrderId": "a", "Beneficiary": map[string]any{"AppAccountId": "x"}, "Amount": 1500, "Fee": -1}}, nil, 178, "Payments[0].Fee: must not be negative"},
		{"with a schedule", []any{sub("a", "shop-a", 1500)}, []edit{{"PaymentSchedule", map[string]any{"FirstAmount": 500, "Count": 3, "Period": 30}}}, 178, "Payments: a payment in several instalments"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, e := readCardPayment(marshal(t, apply(minimalRequest(), append(c.extra, edit{"Payments", c.payments})...)))
			if e == nil || r != nil || e.Code != c.code || !strings.HasPrefix(e.Message, c.msg) {
				t.Errorf("got %+v %v, want %d %q…", r, e, c.code, c.msg)
			}
		})
	}
}
