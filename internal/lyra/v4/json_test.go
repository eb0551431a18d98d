package v4_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"guichet/internal/lyra/v4"
)

func TestMarshal_Literal(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"top level", v4.String{Value: `<a href="/x?a=1&b=2">é</a>`},
			`{"value":"<a href=\"/x?a=1&b=2\">é</a>","_type":"V4/Type/String"}`},
		{"nested", v4.Response{Answer: v4.PaymentForm{FormToken: "<&/é>"}},
			`{"webService":"","version":"V4","applicationVersion":"","status":"","answer":{"formToken":"<&/é>","_type":"V4/Charge/PaymentForm"},` +
				`"ticket":"","serverDate":"0001-01-01T00:00:00+00:00","applicationProvider":"","metadata":null,"mode":"","serverUrl":"","_type":"V4/WebService/Response"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v4.Marshal(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestMarshal_DeepLiteral checks that text deep inside a payment, encoded
// through several MarshalJSON methods, is not escaped either.
func TestMarshal_DeepLiteral(t *testing.T) {
	const text = `Zoé <a&b> 1/2`
	var p v4.Payment
	p.Transactions = []v4.PaymentTransaction{{}}
	p.Transactions[0].TransactionDetails.CardDetails.IssuerName = ptr(text)
	got, err := v4.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(got, []byte(`"issuerName":"`+text+`"`)) {
		t.Errorf("Marshal() = %s, want %q written literally", got, text)
	}
}

// TestMarshal_Type checks that every type writes its _type last, and every
// one of its fields, even when the caller set nothing.
func TestMarshal_Type(t *testing.T) {
	tests := []struct {
		v    any
		want string
		// extra counts the keys written that are not fields, besides
		// the _type.
		extra int
	}{
		{v4.Response{}, "V4/WebService/Response", 0},
		{v4.WebServiceError{}, "V4/WebService/WebServiceError", 1},
		{v4.PaymentForm{}, "V4/Charge/PaymentForm", 0},
		{v4.String{}, "V4/Type/String", 0},
		{v4.ResponseCodeAnswer{}, "V4/Common/ResponseCodeAnswer", 0},
		{v4.Payment{}, "V4/Payment", 0},
		{v4.OrderDetails{}, "V4/OrderDetails", 0},
		{v4.Customer{}, "V4/Customer/Customer", 0},
		{v4.BillingDetails{}, "V4/Customer/BillingDetails", 0},
		{v4.ShippingDetails{}, "V4/Customer/ShippingDetails", 0},
		{v4.ExtraDetails{}, "V4/Customer/ExtraDetails", 0},
		{v4.ShoppingCart{}, "V4/Customer/ShoppingCart", 0},
		{v4.CartItemInfo{}, "V4/Customer/CartItemInfo", 0},
		{v4.PaymentTransaction{}, "V4/PaymentTransaction", 0},
		{v4.Transaction{}, "V4/Transaction", 0},
		{v4.OrderTransactions{}, "V4/OrderTransactions", 0},
		{v4.TransactionDetails{}, "V4/TransactionDetails", 0},
		{v4.CardDetails{}, "V4/PaymentMethod/Details/CardDetails", 0},
		{v4.PaymentMethodDetails{}, "V4/PaymentMethod/Details/PaymentMethodDetails", 0},
		{v4.CardAuthorizationResponse{}, "V4/PaymentMethod/Details/Cards/CardAuthorizationResponse", 0},
		{v4.CardCaptureResponse{}, "V4/PaymentMethod/Details/Cards/CardCaptureResponse", 0},
		{v4.ThreeDSResponse{}, "V4/PaymentMethod/Details/Cards/ThreeDSResponse", 0},
		{v4.CardAuthenticationResponse{}, "V4/PaymentMethod/Details/Cards/CardAuthenticationResponse", 0},
		{v4.MarkAuthorizationResponse{}, "V4/PaymentMethod/Details/Cards/MarkAuthorizationResponse", 0},
		{v4.AuthenticationResponseData{}, "V4/AuthenticationResponseData", 0},
		{v4.Protocol{}, "V4/Charge/Authenticate/Protocol", 0},
		{v4.AuthenticationResult{}, "V4/Charge/Authenticate/AuthenticationResult", 0},
		{v4.AuthenticationID{}, "V4/Charge/Authenticate/AuthenticationId", 0},
		{v4.AuthenticationValue{}, "V4/Charge/Authenticate/AuthenticationValue", 0},
		{v4.AuthenticationResultExtensionThreeDSV2{}, "V4/Charge/Authenticate/AuthenticationResultExtensionThreedsV2", 0},
		{v4.AuthenticationResultReason{}, "V4/Charge/Authenticate/AuthenticationResultReason", 0},
		{v4.FraudManagement{}, "V4/PaymentMethod/Details/FraudManagement", 0},
		{v4.RiskAnalysis{}, "V4/PaymentMethod/Details/Risk/RiskAnalysis", 0},
		{v4.ExtInfo{}, "V4/PaymentMethod/Details/Risk/ExtInfo", 0},
		{v4.SubscriptionDetails{}, "V4/PaymentMethod/Details/SubscriptionDetails", 0},
		{v4.Token{}, "V4/Token", 0},
		{v4.TokenDetails{}, "V4/PaymentMethod/Details/TokenDetails", 0},
		{v4.SubscriptionCreated{}, "V4/SubscriptionCreated", 0},
		{v4.Subscription{}, "V4/Subscription", 0},
		{v4.PaymentOrder{}, "V4/PaymentOrder", 0},
		{v4.ProcessPaymentAnswer{}, "V4/Charge/ProcessPaymentAnswer", 0},
	}
	for _, tt := range tests {
		typ := reflect.TypeOf(tt.v)
		t.Run(typ.Name(), func(t *testing.T) {
			got, err := v4.Marshal(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			tree, err := parseTree(got)
			if err != nil {
				t.Fatal(err)
			}
			last := len(tree.keys) - 1
			if last < 0 || tree.keys[last] != "_type" || tree.vals[last].scalar != tt.want {
				t.Errorf("Marshal() = %s, want %q as the last key", got, tt.want)
			}
			if want := typ.NumField() + tt.extra + 1; len(tree.keys) != want {
				t.Errorf("Marshal() wrote %d keys %v, want %d", len(tree.keys), tree.keys, want)
			}
			// A pointer encodes as its value.
			p := reflect.New(typ)
			p.Elem().Set(reflect.ValueOf(tt.v))
			if viaPointer, err := v4.Marshal(p.Interface()); err != nil || !bytes.Equal(viaPointer, got) {
				t.Errorf("Marshal(pointer) = %s, %v; want %s", viaPointer, err, got)
			}
		})
	}
}

// TestMarshal_EmptyLists checks the lists Lyra writes [] when empty.
func TestMarshal_EmptyLists(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{v4.Payment{}, `"transactions":[]`},
		{v4.OrderTransactions{}, `"transactions":[]`},
		{v4.FraudManagement{}, `"riskControl":[],"riskAnalysis":[]`},
		{v4.ShoppingCart{}, `"cartItemInfo":null`},
	}
	for _, tt := range tests {
		got, err := v4.Marshal(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(got, []byte(tt.want)) {
			t.Errorf("Marshal(%T) = %s, want it to hold %s", tt.v, got, tt.want)
		}
	}
}

func TestFormatTime(t *testing.T) {
	paris := time.FixedZone("CEST", 2*60*60)
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 4, 11, 8, 31, 8, 0, time.UTC), "2024-04-11T08:31:08+00:00"},
		{time.Date(2024, 4, 11, 8, 31, 8, 999_999_999, time.UTC), "2024-04-11T08:31:08+00:00"},
		{time.Date(2024, 4, 11, 10, 31, 8, 0, paris), "2024-04-11T08:31:08+00:00"},
		{time.Date(2025, 1, 1, 0, 30, 0, 0, paris), "2024-12-31T22:30:00+00:00"},
	}
	for _, tt := range tests {
		if got := v4.FormatTime(tt.in); got != tt.want {
			t.Errorf("FormatTime(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in string
		// want is the instant in Lyra's format, "" for an error.
		want string
		// offset is the offset kept, in seconds east of UTC.
		offset int
	}{
		{"2024-04-11T08:31:08+00:00", "2024-04-11T08:31:08+00:00", 0},
		{"2025-04-01T00:00:00+02:00", "2025-03-31T22:00:00+00:00", 7200},
		{"2021-10-05T21:59:59-03:00", "2021-10-06T00:59:59+00:00", -10800},
		{"2024-04-11T08:31:08Z", "2024-04-11T08:31:08+00:00", 0},
		{"2024-04-11T08:31:08.123+00:00", "2024-04-11T08:31:08+00:00", 0},
		{"2024-04-11T08:31+01:00", "2024-04-11T07:31:00+00:00", 3600},
		{"2024-04-11", "", 0},
		{"2024-04-11T08:31:08", "", 0},
		{"2024-04-11 08:31:08+00:00", "", 0},
		{"2024-04-11T08:31:08+0000", "", 0},
		{"2024-13-11T08:31:08+00:00", "", 0},
		{"0000-01-01T00:00:00+01:00", "", 0},
		{"", "", 0},
	}
	for _, tt := range tests {
		got, err := v4.ParseTime(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseTime(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseTime(%q) error = %v", tt.in, err)
			continue
		}
		if _, offset := got.Zone(); v4.FormatTime(got) != tt.want || offset != tt.offset {
			t.Errorf("ParseTime(%q) = %v, want %s at offset %d", tt.in, got, tt.want, tt.offset)
		}
	}
}

func TestTime_JSON(t *testing.T) {
	var v struct {
		At    v4.Time  `json:"at"`
		Maybe *v4.Time `json:"maybe"`
	}
	if err := json.Unmarshal([]byte(`{"at":"2025-04-01T00:00:00+02:00","maybe":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.Maybe != nil {
		t.Errorf("null decoded as %v, want nil", v.Maybe)
	}
	got, err := v4.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"at":"2025-03-31T22:00:00+00:00","maybe":null}`; string(got) != want {
		t.Errorf("Marshal() = %s, want %s", got, want)
	}
	for _, bad := range []string{`{"at":"yesterday"}`, `{"at":1712824268}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("Unmarshal(%s) succeeded, want an error", bad)
		}
	}
}

func TestNewProcessPaymentAnswer(t *testing.T) {
	p := v4.Payment{
		ShopID:      "69876357",
		OrderCycle:  "CLOSED",
		OrderStatus: "PAID",
		ServerDate:  mustTime(t, "2024-04-11T08:31:08+00:00"),
	}
	a, err := v4.NewProcessPaymentAnswer(p, demoHMACKey, time.Date(2024, 4, 11, 8, 31, 9, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := v4.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if a.RawClientAnswer != string(raw) {
		t.Errorf("RawClientAnswer = %s, want %s", a.RawClientAnswer, raw)
	}
	if err := a.SignedAnswer().Verify(demoHMACKey); err != nil {
		t.Errorf("SignedAnswer().Verify(HMAC key) = %v, want nil", err)
	}
	if err := a.SignedAnswer().Verify(demoPassword); err == nil {
		t.Error("SignedAnswer().Verify(password) succeeded: the browser side must be keyed with the HMAC key")
	}
	got, err := v4.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := parseTree(got)
	if err != nil {
		t.Fatal(err)
	}
	want := "clientAnswer rawClientAnswer hash hashAlgorithm hashKey serverDate _type"
	if keys := strings.Join(tree.keys, " "); keys != want {
		t.Errorf("Marshal() keys %s, want %s", keys, want)
	}
	if !bytes.Contains(got, []byte(`{"clientAnswer":`+string(raw)+`,`)) ||
		!bytes.Contains(got, []byte(`"hashAlgorithm":"sha256_hmac","hashKey":"sha256_hmac","serverDate":"2024-04-11T08:31:09+00:00"`)) {
		t.Errorf("Marshal() = %s", got)
	}
}
