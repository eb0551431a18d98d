package smoney

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Paris whatever the machine has
)

func paris(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// absent, as an edit's value, deletes the property.
var absent = &struct{}{}

// edit sets (or deletes) the property at a dotted path of a request.
type edit struct {
	path  string
	value any
}

// minimalRequest is the smallest request that is accepted.
func minimalRequest() map[string]any {
	return map[string]any{
		"Amount":      1500,
		"OrderId":     "order-1",
		"UrlReturn":   "https://shop.example/return",
		"Beneficiary": map[string]any{"AppAccountId": "client-112"},
	}
}

// fullRequest has every property of the seed, each valid.
func fullRequest() map[string]any {
	return map[string]any{
		"Amount":                 10000,
		"Fee":                    300,
		"ThreeDSecurePreference": 1,
		"OrderId":                "order-full",
		"AvailableCards":         "CB;VISA",
		"IsMine":                 true,
		"Message":                "Order 42",
		"UrlReturn":              "https://shop.example/return",
		"UrlCallback":            "https://shop.example/callback",
		"Card":                   map[string]any{"AppCardId": "card-1", "Name": "My card"},
		"Beneficiary":            map[string]any{"AppAccountId": "client-112"},
		"PayerInfo":              map[string]any{"Name": "Jean Dupont", "mail": "jean@example.fr"},
		"ExtraParameters":        map[string]any{"ProfilName": "3DSV2"},
		"Billing": map[string]any{"City": "Paris", "Country": "FR", "Address": "1 rue de la Paix",
			"PostalCode": "75002", "Billingaddressstate": "IDF"},
		"ShipTo": map[string]any{"City": "Lyon", "Country": "FR", "Address": "2 quai du Rhône",
			"PostalCode": "69002", "AddressType": 1, "AddressState": "ARA", "AddressDate": "2020-01-01"},
		"Delivery":     map[string]any{"email": "jean@example.fr", "timeframe": "overnight"},
		"ClientScreen": map[string]any{"ColorDepth": 24, "ScreenHeight": 1280, "ScreenWidth": 1024},
		"ThreeDsOptData": map[string]any{
			"ClientAuthMethod":             "credentials",
			"AccountChangeDate":            "2020-01-02",
			"AccountCreationDate":          "2019-05-06T10:11:12+02:00",
			"Passwordchangedate":           "2020-03-04T05:06:07",
			"Last6MonthsPurchaseCount":     3,
			"Last24hoursaddcardattempts":   0,
			"Last24hourstransactioncount":  1,
			"Last12Monthstransactioncount": 12,
			"Cardenrolldate":               "2018-07-08",
			"Suspiciousaccountactivity":    false,
			"Homephone":                    "+33123456789",
			"Mobilephone":                  "+33612345678",
			"Workphone":                    "+442071234567",
			"Preorderdate":                 "2030-01-01",
			"Itemavailability":             true,
			"Reorderingitem":               false,
			"Recurringexpiry":              "2031-12-31",
			"recurringfrequency":           10,
		},
		"GiftCard":        map[string]any{"Amount": 5000, "Count": 2, "Currency": "EUR"},
		"PaymentSchedule": map[string]any{"FirstAmount": 4000, "Count": 3, "Period": 30, "FirstFee": 100},
	}
}

// apply edits a request in place.
func apply(m map[string]any, edits ...edit) map[string]any {
	for _, e := range edits {
		parts := strings.Split(e.path, ".")
		at := m
		for _, p := range parts[:len(parts)-1] {
			next, ok := at[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				at[p] = next
			}
			at = next
		}
		last := parts[len(parts)-1]
		if e.value == absent {
			delete(at, last)
		} else {
			at[last] = e.value
		}
	}
	return m
}

func marshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustRead(t *testing.T, body []byte) *cardPaymentRequest {
	t.Helper()
	r, e := readCardPayment(body)
	if e != nil {
		t.Fatalf("readCardPayment(%s): %v", body, e)
	}
	return r
}

func ptr[T any](v T) *T { return &v }

func TestReadFullRequest(t *testing.T) {
	got := mustRead(t, marshal(t, fullRequest()))
	want := &cardPaymentRequest{
		Amount: 10000, Fee: 300, ThreeDSecurePreference: 1, OrderId: "order-full",
		AvailableCards: []string{"CB", "VISA"}, IsMine: true, Message: "Order 42",
		UrlReturn: "https://shop.example/return", UrlCallback: "https://shop.example/callback",
		Card:            &card{AppCardId: "card-1", Name: "My card"},
		Beneficiary:     beneficiary{AppAccountId: "client-112"},
		PayerInfo:       &payerInfo{Name: "Jean Dupont", Mail: "jean@example.fr"},
		ExtraParameters: &extraParameters{ProfilName: "3DSV2", key: "ProfilName"},
		Billing: &billing{City: "Paris", Country: "FR", Address: "1 rue de la Paix", PostalCode: "75002",
			Billingaddressstate: "IDF"},
		ShipTo: &shipTo{City: "Lyon", Country: "FR", Address: "2 quai du Rhône", PostalCode: "69002",
			AddressType: 1, AddressState: "ARA", AddressDate: "2020-01-01"},
		Delivery:     &delivery{Email: "jean@example.fr", Timeframe: "overnight"},
		ClientScreen: &clientScreen{ColorDepth: ptr(24), ScreenHeight: ptr(1280), ScreenWidth: ptr(1024)},
		ThreeDsOptData: &threeDsOptData{
			ClientAuthMethod: "credentials", AccountChangeDate: "2020-01-02",
			AccountCreationDate: "2019-05-06T10:11:12+02:00", Passwordchangedate: "2020-03-04T05:06:07",
			Last6MonthsPurchaseCount: ptr(3), Last24hoursaddcardattempts: ptr(0), Last24hourstransactioncount: ptr(1),
			Last12Monthstransactioncount: ptr(12), Cardenrolldate: "2018-07-08", Suspiciousaccountactivity: ptr(false),
			Homephone: "+33123456789", Mobilephone: "+33612345678", Workphone: "+442071234567",
			Preorderdate: "2030-01-01", Itemavailability: ptr(true), Reorderingitem: ptr(false),
			Recurringexpiry: "2031-12-31", Recurringfrequency: ptr(10),
		},
		GiftCard:        &giftCard{Amount: ptr(5000), Count: ptr(2), Currency: "EUR"},
		PaymentSchedule: &scheduleRequest{FirstAmount: 4000, Count: 3, Period: 30, FirstFee: 100, Fee: 300},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if !got.threeDSV2() || got.skipsAuthentication() {
		t.Errorf("threeDSV2 = %v, skipsAuthentication = %v", got.threeDSV2(), got.skipsAuthentication())
	}
}

func TestReadMinimalRequestDefaults(t *testing.T) {
	r := mustRead(t, marshal(t, minimalRequest()))
	if r.ThreeDSecurePreference != preferenceNoPreference {
		t.Errorf("ThreeDSecurePreference = %d, want 2 when absent", r.ThreeDSecurePreference)
	}
	if r.AvailableCards != nil || !slices.Equal(r.cards(), cardBrands) {
		t.Errorf("AvailableCards = %v, cards() = %v; want nil and every brand", r.AvailableCards, r.cards())
	}
	if r.Fee != 0 || r.IsMine || r.Message != "" || r.UrlCallback != "" || r.threeDSV2() {
		t.Errorf("unexpected defaults: %+v", r)
	}
	if r.Card != nil || r.PayerInfo != nil || r.ExtraParameters != nil || r.Billing != nil || r.ShipTo != nil ||
		r.Delivery != nil || r.ClientScreen != nil || r.ThreeDsOptData != nil || r.GiftCard != nil || r.PaymentSchedule != nil {
		t.Errorf("absent objects are not nil: %+v", r)
	}
}

// TestCaseInsensitive reads the same request written in the casings
// clients use.
func TestCaseInsensitive(t *testing.T) {
	bodies := map[string]string{
		"PascalCase": `{"Amount":1500,"Fee":10,"ThreeDSecurePreference":0,"OrderId":"o1","AvailableCards":"VISA",
			"IsMine":true,"Message":"m","UrlReturn":"https://r.example/","UrlCallback":"https://c.example/",
			"Beneficiary":{"AppAccountId":"b"},"PayerInfo":{"Name":"n","Mail":"a@b.fr"},
			"ExtraParameters":{"ProfilName":"3DSV2"},"ShipTo":{"AddressType":0},"Delivery":{"Email":"a@b.fr","Timeframe":"electronic"},
			"ThreeDsOptData":{"RecurringFrequency":3,"HomePhone":"+331"},
			"PaymentSchedule":[{"SequenceNumber":1,"Amount":1500,"Date":"2030-01-01"}]}`,
		"camelCase": `{"amount":1500,"fee":10,"threeDSecurePreference":0,"orderId":"o1","availableCards":"VISA",
			"isMine":true,"message":"m","urlReturn":"https://r.example/","urlCallback":"https://c.example/",
			"beneficiary":{"appAccountId":"b"},"payerInfo":{"name":"n","mail":"a@b.fr"},
			"extraParameters":{"profilName":"3DSV2"},"shipTo":{"addressType":0},"delivery":{"email":"a@b.fr","timeframe":"electronic"},
			"threeDsOptData":{"recurringfrequency":3,"homephone":"+331"},
			"paymentSchedule":[{"sequenceNumber":1,"amount":1500,"date":"2030-01-01"}]}`,
		"lower case": `{"amount":1500,"fee":10,"threedsecurepreference":0,"orderid":"o1","availablecards":"VISA",
			"ismine":true,"message":"m","urlreturn":"https://r.example/","urlcallback":"https://c.example/",
			"beneficiary":{"appaccountid":"b"},"payerinfo":{"name":"n","mail":"a@b.fr"},
			"extraparameters":{"profilname":"3DSV2"},"shipto":{"addresstype":0},"delivery":{"email":"a@b.fr","timeframe":"electronic"},
			"threedsoptdata":{"recurringfrequency":3,"homephone":"+331"},
			"paymentschedule":[{"sequencenumber":1,"amount":1500,"date":"2030-01-01"}]}`,
		"as clients spell it": `{"AMOUNT":1500,"fee":10,"ThreeDsecurePreference":0,"orderId":"o1","availableCards":"VISA",
			"ismine":true,"Message":"m","urlReturn":"https://r.example/","UrlCallback":"https://c.example/",
			"Beneficiary":{"appaccountid":"b"},"PayerInfo":{"NAME":"n","mail":"a@b.fr"},
			"Extraparameters":{"ProfilName":"3DSV2"},"ShipTo":{"AddressType":0},"Delivery":{"email":"a@b.fr","timeframe":"electronic"},
			"ThreeDsOptData":{"recurringfrequency":3,"Homephone":"+331"},
			"PaymentSchedule":[{"SequenceNumber":1,"Amount":1500,"Date":"2030-01-01"}]}`,
	}
	var first *cardPaymentRequest
	for name, body := range bodies {
		r, e := readCardPayment([]byte(body))
		if e != nil {
			t.Fatalf("%s: %v", name, e)
		}
		// The profile's key keeps the merchant's spelling for the echo;
		// everything else must be identical.
		r.ExtraParameters.key = ""
		if first == nil {
			first = r
			continue
		}
		if !reflect.DeepEqual(r, first) {
			t.Errorf("%s reads differently:\n%+v\n%+v", name, r, first)
		}
	}
	if first.ThreeDsOptData.Recurringfrequency == nil || *first.ThreeDsOptData.Recurringfrequency != 3 {
		t.Errorf("recurringfrequency not read: %+v", first.ThreeDsOptData)
	}
}

func TestRepeatedPropertyLastWins(t *testing.T) {
	r := mustRead(t, []byte(`{"OrderId":"first","Amount":1,"orderid":"second","UrlReturn":"https://r.example/",
		"Beneficiary":{"AppAccountId":"a","appaccountid":"b"}}`))
	if r.OrderId != "second" || r.Beneficiary.AppAccountId != "b" {
		t.Errorf("OrderId %q, AppAccountId %q; want the last ones", r.OrderId, r.Beneficiary.AppAccountId)
	}
}

// TestDotNetBody reads what the official .NET client posts: a whole
// CardPayment with output-only properties at their defaults and nulls.
func TestDotNetBody(t *testing.T) {
	body := `{"Id":0,"Amount":1500,"Status":0,"Beneficiary":{"Id":0,"AppAccountId":"client-112","DisplayName":null,"Href":null},
		"PaymentDate":"0001-01-01T00:00:00","Message":null,"OrderId":"o-net","ErrorCode":0,"ExtraResults":null,"Fee":null,
		"Card":null,"IsMine":false,"Schedules":null,"UrlReturn":"https://shop.example/r","UrlCallback":null,
		"AvailableCards":null,"PaymentSchedule":null,"Href":null,"Type":0,
		"Payments":[{"OrderId":"o-net-1","Beneficiary":{"AppAccountId":"x"},"Amount":1500,"Fee":0}]}`
	r := mustRead(t, []byte(body))
	if r.Amount != 1500 || r.OrderId != "o-net" || r.Fee != 0 || r.Card != nil || r.PaymentSchedule != nil {
		t.Errorf("got %+v", r)
	}
}

func TestReadFee(t *testing.T) {
	for _, tc := range []struct {
		fee  any
		want int64
	}{
		{120, 120},
		{0, 0},
		{120.0, 120},
		{json.RawMessage(`1.2e2`), 120},
		{map[string]any{"Amount": 100, "VAT": 20.0, "AmountWithVAT": 120, "Status": 0}, 120},
		{map[string]any{"Amount": 100}, 100},
		{map[string]any{"amountWithVAT": 50, "VAT": 10}, 50},
		{map[string]any{}, 0},
	} {
		r := mustRead(t, marshal(t, apply(minimalRequest(), edit{"Fee", tc.fee})))
		if r.Fee != tc.want {
			t.Errorf("Fee %v: got %d, want %d", tc.fee, r.Fee, tc.want)
		}
	}
}

func TestThreeDSecurePreference(t *testing.T) {
	for _, tc := range []struct {
		edits []edit
		want  int
		skips bool
	}{
		{nil, 2, false},
		{[]edit{{"ThreeDSecurePreference", 0}}, 0, false},
		{[]edit{{"ThreeDSecurePreference", 1}}, 1, false},
		{[]edit{{"ThreeDSecurePreference", 2}}, 2, false},
		{[]edit{{"ThreeDSecurePreference", 3}}, 3, true},
		{[]edit{{"ThreeDSecurePreference", 4}}, 4, true},
		{[]edit{{"Require3DS", true}}, 0, false},
		{[]edit{{"Require3ds", false}}, 2, false},
		{[]edit{{"Require3DS", true}, {"ThreeDSecurePreference", 1}}, 1, false},
		{[]edit{{"ThreeDSecurePreference", nil}}, 2, false},
	} {
		r := mustRead(t, marshal(t, apply(minimalRequest(), tc.edits...)))
		if r.ThreeDSecurePreference != tc.want || r.skipsAuthentication() != tc.skips {
			t.Errorf("%v: preference %d, skips %v; want %d, %v", tc.edits, r.ThreeDSecurePreference,
				r.skipsAuthentication(), tc.want, tc.skips)
		}
	}
}

func TestAvailableCards(t *testing.T) {
	for _, brand := range cardBrands {
		r := mustRead(t, marshal(t, apply(minimalRequest(), edit{"AvailableCards", brand})))
		if !slices.Equal(r.AvailableCards, []string{brand}) {
			t.Errorf("%s: got %v", brand, r.AvailableCards)
		}
	}
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"CB;MASTERCARD;MAESTRO;VISA;VISA_ELECTRON", cardBrands},
		{"visa; cb ;;", []string{"VISA", "CB"}},
		{"VISA;visa", []string{"VISA"}},
		{";", nil},
	} {
		r := mustRead(t, marshal(t, apply(minimalRequest(), edit{"AvailableCards", tc.in})))
		if !slices.Equal(r.AvailableCards, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.in, r.AvailableCards, tc.want)
		}
	}
}

func TestShipToAddressTypes(t *testing.T) {
	address := map[string]any{"City": "Lyon", "Country": "FR", "Address": "2 quai du Rhône", "PostalCode": "69002"}
	for kind := 0; kind <= 6; kind++ {
		ship := map[string]any{"AddressType": kind}
		edits := []edit{{"ShipTo", ship}}
		switch kind {
		case 0:
			edits = append(edits, edit{"Delivery", map[string]any{"email": "a@example.fr"}})
		case 1, 2, 3:
			maps.Copy(ship, address)
		}
		r := mustRead(t, marshal(t, apply(minimalRequest(), edits...)))
		if r.ShipTo.AddressType != kind {
			t.Errorf("AddressType %d read as %d", kind, r.ShipTo.AddressType)
		}
	}
}

func TestEnumValues(t *testing.T) {
	for _, v := range deliveryTimeframes {
		r := mustRead(t, marshal(t, apply(minimalRequest(), edit{"Delivery.timeframe", v})))
		if r.Delivery.Timeframe != v {
			t.Errorf("timeframe %s read as %q", v, r.Delivery.Timeframe)
		}
	}
	for _, v := range clientAuthMethods {
		r := mustRead(t, marshal(t, apply(minimalRequest(), edit{"ThreeDsOptData.ClientAuthMethod", v})))
		if r.ThreeDsOptData.ClientAuthMethod != v {
			t.Errorf("ClientAuthMethod %s read as %q", v, r.ThreeDsOptData.ClientAuthMethod)
		}
	}
	// Values are matched without regard to case and kept in the seed's
	// spelling.
	r := mustRead(t, marshal(t, apply(minimalRequest(), edit{"Delivery.timeframe", "SameDay"},
		edit{"ThreeDsOptData.ClientAuthMethod", "FIDO"})))
	if r.Delivery.Timeframe != "sameday" || r.ThreeDsOptData.ClientAuthMethod != "fido" {
		t.Errorf("got %q and %q", r.Delivery.Timeframe, r.ThreeDsOptData.ClientAuthMethod)
	}
}

func TestProfile(t *testing.T) {
	for _, tc := range []struct {
		params any
		v2     bool
		echo   string
	}{
		{absent, false, ""},
		{map[string]any{"ProfilName": "3DSV2"}, true, `{"ProfilName":"3DSV2"}`},
		{map[string]any{"ProfileName": "3DSV2", "SystempayLanguage": "fr"}, true, `{"ProfileName":"3DSV2"}`},
		{map[string]any{"profilename": "3dsv2"}, true, `{"ProfileName":"3dsv2"}`},
		{map[string]any{"ProfilName": "default"}, false, `{"ProfilName":"default"}`},
		{map[string]any{}, false, `{}`},
	} {
		r := mustRead(t, marshal(t, apply(minimalRequest(), edit{"ExtraParameters", tc.params})))
		if r.threeDSV2() != tc.v2 {
			t.Errorf("%v: threeDSV2 = %v", tc.params, r.threeDSV2())
		}
		if r.ExtraParameters == nil {
			continue
		}
		if got := string(marshal(t, r.ExtraParameters)); got != tc.echo {
			t.Errorf("%v: echoed as %s, want %s", tc.params, got, tc.echo)
		}
	}
}

func TestAcceptedFormats(t *testing.T) {
	for _, e := range []edit{
		{"UrlReturn", "http://localhost:8080/back?x=1"},
		{"UrlReturn", "myapp://payment/done"},
		{"UrlReturn", "com.example.app:/callback"},
		{"UrlCallback", "http://shop.example:8443/cb"},
		{"UrlCallback", ""},
		{"OrderId", strings.Repeat("é", 50)},
		{"OrderId", "commande n° 12/2024 #3"},
		{"ThreeDsOptData.AccountChangeDate", "2020-01-31"},
		{"ThreeDsOptData.AccountChangeDate", "2020-01-31T10:00:00"},
		{"ThreeDsOptData.AccountChangeDate", "2020-01-31T10:00:00Z"},
		{"ThreeDsOptData.AccountChangeDate", "2020-01-31T10:00:00.1234567+02:00"},
		{"ThreeDsOptData.Homephone", "+1"},
		{"ThreeDsOptData.Mobilephone", "+123456789012345"},
		{"Billing", map[string]any{"City": "Paris", "Country": "FR", "Address": strings.Repeat("a", 50), "PostalCode": "75001"}},
		{"GiftCard", map[string]any{"Amount": 0, "Count": 0, "Currency": "XPF"}},
		{"ClientScreen", map[string]any{"ColorDepth": 0}},
		{"Amount", 9007199254740993},
		{"Amount", 1500.0},
		{"Payments", []any{}},
		{"Unknown", map[string]any{"Nested": []any{1, "x"}}},
		{"PayerInfo", map[string]any{"Name": "J", "Mail": "j.d+tag@mail.example.co.uk"}},
	} {
		if _, err := readCardPayment(marshal(t, apply(minimalRequest(), e))); err != nil {
			t.Errorf("%s = %v: %v", e.path, e.value, err)
		}
	}
}

// TestRefusals names, for each rule, a request that breaks it, the code and
// the start of the message.
func TestRefusals(t *testing.T) {
	long := strings.Repeat("a", 51)
	tests := []struct {
		name  string
		edits []edit
		code  int
		msg   string
	}{
		{"amount missing", []edit{{"Amount", absent}}, 704, "Amount: missing"},
		{"amount null", []edit{{"Amount", nil}}, 704, "Amount: missing"},
		{"amount zero", []edit{{"Amount", 0}}, 704, "Amount: must be greater than 0"},
		{"amount negative", []edit{{"Amount", -5}}, 704, "Amount: must be greater than 0"},
		{"amount string", []edit{{"Amount", "1500"}}, 178, "Amount: must be an integer, not a string"},
		{"amount fraction", []edit{{"Amount", 15.5}}, 178, "Amount: must be an integer"},
		{"amount boolean", []edit{{"Amount", true}}, 178, "Amount: must be an integer, not a boolean"},
		{"amount too large", []edit{{"Amount", json.RawMessage(`1e300`)}}, 178, "Amount: must be an integer"},
		{"fee negative", []edit{{"Fee", -1}}, 178, "Fee: must not be negative"},
		{"fee string", []edit{{"Fee", "10"}}, 178, "Fee: must be an integer"},
		{"fee object negative", []edit{{"Fee", map[string]any{"Amount": -1}}}, 178, "Fee.Amount: must not be negative"},
		{"fee object string", []edit{{"Fee", map[string]any{"AmountWithVAT": "1"}}}, 178, "Fee.AmountWithVAT: must be an integer"},
		{"fee array", []edit{{"Fee", []any{}}}, 178, "Fee: must be an integer, not an array"},
		{"preference 5", []edit{{"ThreeDSecurePreference", 5}}, 177, "ThreeDSecurePreference: 5 is not one of"},
		{"preference -1", []edit{{"ThreeDSecurePreference", -1}}, 177, "ThreeDSecurePreference: -1 is not one of"},
		{"preference string", []edit{{"ThreeDSecurePreference", "2"}}, 178, "ThreeDSecurePreference: must be an integer"},
		{"preference huge", []edit{{"ThreeDSecurePreference", 1 << 40}}, 178, "ThreeDSecurePreference: out of range"},
		{"require3ds string", []edit{{"Require3DS", "true"}}, 178, "Require3DS: must be a boolean"},
		{"order missing", []edit{{"OrderId", absent}}, 704, "OrderId: missing"},
		{"order empty", []edit{{"OrderId", ""}}, 704, "OrderId: missing"},
		{"order blank", []edit{{"OrderId", "   "}}, 704, "OrderId: missing"},
		{"order too long", []edit{{"OrderId", long}}, 178, "OrderId: at most 50 characters"},
		{"order control", []edit{{"OrderId", "a\tb"}}, 178, "OrderId: only printable characters"},
		{"order number", []edit{{"OrderId", 12}}, 178, "OrderId: must be a string, not a number"},
		{"cards unknown", []edit{{"AvailableCards", "AMEX"}}, 177, `AvailableCards: "AMEX" is not one of CB, MASTERCARD, MAESTRO, VISA, VISA_ELECTRON`},
		{"cards v1 value", []edit{{"AvailableCards", "CB;PAYPAL"}}, 177, `AvailableCards: "PAYPAL" is not one of`},
		{"cards comma", []edit{{"AvailableCards", "CB,VISA"}}, 177, `AvailableCards: "CB,VISA" is not one of`},
		{"cards number", []edit{{"AvailableCards", 5}}, 178, "AvailableCards: must be a string"},
		{"ismine string", []edit{{"IsMine", "true"}}, 178, "IsMine: must be a boolean, not a string"},
		{"message number", []edit{{"Message", 1}}, 178, "Message: must be a string"},
		{"return missing", []edit{{"UrlReturn", absent}}, 704, "UrlReturn: missing"},
		{"return empty", []edit{{"UrlReturn", ""}}, 704, "UrlReturn: missing"},
		{"return relative", []edit{{"UrlReturn", "/back"}}, 178, "UrlReturn: must be an absolute URL"},
		{"return no host", []edit{{"UrlReturn", "https:///back"}}, 178, "UrlReturn: must be an absolute URL"},
		{"return space", []edit{{"UrlReturn", "https://a.example/b c"}}, 178, "UrlReturn: must be an absolute URL"},
		{"return javascript", []edit{{"UrlReturn", "JavaScript:alert(1)"}}, 178, "UrlReturn: the javascript scheme is not allowed"},
		{"return data", []edit{{"UrlReturn", "data:text/html,x"}}, 178, "UrlReturn: the data scheme is not allowed"},
		{"return bare scheme", []edit{{"UrlReturn", "myapp:"}}, 178, "UrlReturn: must be an absolute URL"},
		{"return number", []edit{{"UrlReturn", 1}}, 178, "UrlReturn: must be a string"},
		{"callback ftp", []edit{{"UrlCallback", "ftp://a.example/"}}, 178, "UrlCallback: must be an absolute http or https URL"},
		{"callback custom", []edit{{"UrlCallback", "myapp://cb"}}, 178, "UrlCallback: must be an absolute http or https URL"},
		{"callback relative", []edit{{"UrlCallback", "/cb"}}, 178, "UrlCallback: must be an absolute http or https URL"},
		{"card string", []edit{{"Card", "c"}}, 178, "Card: must be an object, not a string"},
		{"card empty", []edit{{"Card", map[string]any{}}}, 704, "Card.AppCardId: missing"},
		{"card no name", []edit{{"Card", map[string]any{"AppCardId": "c"}}}, 704, "Card.Name: missing"},
		{"card id number", []edit{{"Card", map[string]any{"AppCardId": 1, "Name": "n"}}}, 178, "Card.AppCardId: must be a string"},
		{"beneficiary missing", []edit{{"Beneficiary", absent}}, 149, "Beneficiary.AppAccountId: missing"},
		{"beneficiary null", []edit{{"Beneficiary", nil}}, 149, "Beneficiary.AppAccountId: missing"},
		{"beneficiary empty", []edit{{"Beneficiary", map[string]any{}}}, 149, "Beneficiary.AppAccountId: missing"},
		{"beneficiary blank", []edit{{"Beneficiary.AppAccountId", ""}}, 149, "Beneficiary.AppAccountId: missing"},
		{"beneficiary string", []edit{{"Beneficiary", "b"}}, 178, "Beneficiary: must be an object"},
		{"beneficiary id number", []edit{{"Beneficiary.AppAccountId", 3}}, 178, "Beneficiary.AppAccountId: must be a string"},
		{"payer no mail", []edit{{"PayerInfo", map[string]any{"Name": "n"}}}, 704, "PayerInfo.mail: missing"},
		{"payer no name", []edit{{"PayerInfo", map[string]any{"mail": "a@b.fr"}}}, 704, "PayerInfo.Name: missing"},
		{"payer bad mail", []edit{{"PayerInfo", map[string]any{"Name": "n", "mail": "nope"}}}, 178, "PayerInfo.mail: not a valid e-mail address"},
		{"payer array", []edit{{"PayerInfo", []any{}}}, 178, "PayerInfo: must be an object, not an array"},
		{"profile number", []edit{{"ExtraParameters.ProfilName", 3}}, 178, "ExtraParameters.ProfilName: must be a string"},
		{"profile e number", []edit{{"ExtraParameters.ProfileName", true}}, 178, "ExtraParameters.ProfileName: must be a string"},
		{"billing no city", []edit{{"Billing.City", absent}}, 704, "Billing.City: missing"},
		{"billing no country", []edit{{"Billing.Country", absent}}, 704, "Billing.Country: missing"},
		{"billing no address", []edit{{"Billing.Address", ""}}, 704, "Billing.Address: missing"},
		{"billing no postal code", []edit{{"Billing.PostalCode", absent}}, 704, "Billing.PostalCode: missing"},
		{"billing lower country", []edit{{"Billing.Country", "fr"}}, 178, "Billing.Country: must be an ISO 3166-1 alpha-2 code"},
		{"billing alpha-3", []edit{{"Billing.Country", "FRA"}}, 178, "Billing.Country: must be an ISO 3166-1 alpha-2 code"},
		{"billing long address", []edit{{"Billing.Address", long}}, 178, "Billing.Address: at most 50 characters"},
		{"billing address break", []edit{{"Billing.Address", "1 rue\nde la Paix"}}, 178, "Billing.Address: must not contain line breaks"},
		{"billing state number", []edit{{"Billing.Billingaddressstate", 1}}, 178, "Billing.Billingaddressstate: must be a string"},
		{"shipto no type", []edit{{"ShipTo.AddressType", absent}}, 704, "ShipTo.AddressType: missing"},
		{"shipto type 7", []edit{{"ShipTo.AddressType", 7}}, 177, "ShipTo.AddressType: 7 is not one of 0, 1, 2, 3, 4, 5, 6"},
		{"shipto type -1", []edit{{"ShipTo.AddressType", -1}}, 177, "ShipTo.AddressType: -1 is not one of"},
		{"shipto type string", []edit{{"ShipTo.AddressType", "1"}}, 178, "ShipTo.AddressType: must be an integer"},
		{"shipto no city", []edit{{"ShipTo.City", absent}}, 704, "ShipTo.City: missing"},
		{"shipto no country", []edit{{"ShipTo.AddressType", 2}, {"ShipTo.Country", ""}}, 704, "ShipTo.Country: missing"},
		{"shipto no address", []edit{{"ShipTo.AddressType", 3}, {"ShipTo.Address", absent}}, 704, "ShipTo.Address: missing"},
		{"shipto no postal code", []edit{{"ShipTo.PostalCode", absent}}, 704, "ShipTo.PostalCode: missing"},
		{"shipto long address", []edit{{"ShipTo.Address", long}}, 178, "ShipTo.Address: at most 50 characters"},
		{"shipto long pickup address", []edit{{"ShipTo.AddressType", 4}, {"ShipTo.Address", long}}, 178, "ShipTo.Address: at most 50 characters"},
		{"shipto address break", []edit{{"ShipTo.Address", "a\r\nb"}}, 178, "ShipTo.Address: must not contain line breaks"},
		{"shipto country name", []edit{{"ShipTo.Country", "France"}}, 178, "ShipTo.Country: must be an ISO 3166-1 alpha-2 code"},
		{"shipto state number", []edit{{"ShipTo.AddressState", 1}}, 178, "ShipTo.AddressState: must be a string"},
		{"shipto date number", []edit{{"ShipTo.AddressDate", 20200101}}, 178, "ShipTo.AddressDate: must be a string"},
		{"edelivery without delivery", []edit{{"ShipTo", map[string]any{"AddressType": 0}}, {"Delivery", absent}}, 704, "Delivery.email: missing"},
		{"edelivery without email", []edit{{"ShipTo", map[string]any{"AddressType": 0}}, {"Delivery.email", absent}}, 704, "Delivery.email: missing"},
		{"delivery bad email", []edit{{"Delivery.email", "a@"}}, 178, "Delivery.email: not a valid e-mail address"},
		{"delivery email spaces", []edit{{"Delivery.email", "a b@c.fr"}}, 178, "Delivery.email: not a valid e-mail address"},
		{"delivery timeframe", []edit{{"Delivery.timeframe", "tomorrow"}}, 177, `Delivery.timeframe: "tomorrow" is not one of electronic, sameday, overnight, longer`},
		{"delivery timeframe number", []edit{{"Delivery.timeframe", 1}}, 178, "Delivery.timeframe: must be a string"},
		{"screen negative", []edit{{"ClientScreen.ColorDepth", -1}}, 178, "ClientScreen.ColorDepth: must not be negative"},
		{"screen string", []edit{{"ClientScreen.ScreenHeight", "1280"}}, 178, "ClientScreen.ScreenHeight: must be an integer"},
		{"screen fraction", []edit{{"ClientScreen.ScreenWidth", 10.5}}, 178, "ClientScreen.ScreenWidth: must be an integer"},
		{"auth method", []edit{{"ThreeDsOptData.ClientAuthMethod", "password"}}, 177, `ThreeDsOptData.ClientAuthMethod: "password" is not one of guest, credentials, federated, issuer, thirdparty, fido`},
		{"auth method number", []edit{{"ThreeDsOptData.ClientAuthMethod", 1}}, 178, "ThreeDsOptData.ClientAuthMethod: must be a string"},
		{"frequency negative", []edit{{"ThreeDsOptData.recurringfrequency", -1}}, 178, "ThreeDsOptData.recurringfrequency: must not be negative"},
		{"frequency string", []edit{{"ThreeDsOptData.recurringfrequency", "10"}}, 178, "ThreeDsOptData.recurringfrequency: must be an integer"},
		{"phone too long", []edit{{"ThreeDsOptData.Workphone", "+" + strings.Repeat("1", 32)}}, 178, "ThreeDsOptData.Workphone: at most 32 characters"},
		{"phone 16 digits", []edit{{"ThreeDsOptData.Mobilephone", "+1234567890123456"}}, 178, "ThreeDsOptData.Mobilephone: must be an E.164 number"},
		{"phone no plus", []edit{{"ThreeDsOptData.Homephone", "0612345678"}}, 178, "ThreeDsOptData.Homephone: must be an E.164 number"},
		{"phone spaces", []edit{{"ThreeDsOptData.Homephone", "+33 6 12"}}, 178, "ThreeDsOptData.Homephone: must be an E.164 number"},
		{"phone number", []edit{{"ThreeDsOptData.Homephone", 33612}}, 178, "ThreeDsOptData.Homephone: must be a string"},
		{"gift amount negative", []edit{{"GiftCard.Amount", -1}}, 178, "GiftCard.Amount: must not be negative"},
		{"gift count string", []edit{{"GiftCard.Count", "2"}}, 178, "GiftCard.Count: must be an integer"},
		{"gift currency lower", []edit{{"GiftCard.Currency", "eur"}}, 178, "GiftCard.Currency: must be an ISO 4217 alphabetic code"},
		{"gift currency long", []edit{{"GiftCard.Currency", "EURO"}}, 178, "GiftCard.Currency: must be an ISO 4217 alphabetic code"},
		{"gift currency numeric", []edit{{"GiftCard.Currency", "978"}}, 178, "GiftCard.Currency: must be an ISO 4217 alphabetic code"},
		{"client screen string", []edit{{"ClientScreen", "big"}}, 178, "ClientScreen: must be an object"},
		{"schedule string", []edit{{"PaymentSchedule", "3x"}}, 178, "PaymentSchedule: must be a list of instalments or an object, not a string"},
	}
	// Every date of ThreeDsOptData, count and boolean follows its rule.
	for _, name := range []string{"AccountChangeDate", "AccountCreationDate", "Passwordchangedate", "Cardenrolldate", "Preorderdate", "Recurringexpiry"} {
		tests = append(tests,
			struct {
				name  string
				edits []edit
				code  int
				msg   string
			}{name + " format", []edit{{"ThreeDsOptData." + name, "10/09/2013"}}, 178, "ThreeDsOptData." + name + ": must be a date"},
			struct {
				name  string
				edits []edit
				code  int
				msg   string
			}{name + " type", []edit{{"ThreeDsOptData." + name, 20130910}}, 178, "ThreeDsOptData." + name + ": must be a string"})
	}
	for _, name := range []string{"Last6MonthsPurchaseCount", "Last24hoursaddcardattempts", "Last24hourstransactioncount", "Last12Monthstransactioncount"} {
		tests = append(tests, struct {
			name  string
			edits []edit
			code  int
			msg   string
		}{name, []edit{{"ThreeDsOptData." + name, -1}}, 178, "ThreeDsOptData." + name + ": must not be negative"})
	}
	for _, name := range []string{"Suspiciousaccountactivity", "Itemavailability", "Reorderingitem"} {
		tests = append(tests, struct {
			name  string
			edits []edit
			code  int
			msg   string
		}{name, []edit{{"ThreeDsOptData." + name, "yes"}}, 178, "ThreeDsOptData." + name + ": must be a boolean"})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := marshal(t, apply(fullRequest(), tc.edits...))
			r, e := readCardPayment(body)
			if e == nil {
				t.Fatalf("accepted: %+v", r)
			}
			if r != nil {
				t.Errorf("a refused request also returned %+v", r)
			}
			if e.Status != 400 || e.Code != tc.code || !strings.HasPrefix(e.Message, tc.msg) {
				t.Errorf("got %d %d %q, want 400 %d %q…", e.Status, e.Code, e.Message, tc.code, tc.msg)
			}
		})
	}
}

func TestRefusedBodies(t *testing.T) {
	for _, tc := range []struct {
		body string
		code int
		msg  string
	}{
		{``, 704, "Amount: missing"},
		{`null`, 704, "Amount: missing"},
		{`{}`, 704, "Amount: missing"},
		{`[]`, 178, "request body: must be a JSON object"},
		{`"x"`, 178, "request body: must be a JSON object"},
		{`{`, 178, "request body: not valid JSON"},
		{`{"Amount":}`, 178, "request body: not valid JSON"},
		{`{"Amount":1}{}`, 178, "request body: data after the JSON object"},
		{`{"Amount":1} x`, 178, "request body: data after the JSON object"},
		{`<CardPayment/>`, 178, "request body: not valid JSON"},
		{strings.Repeat(`{"a":`, 100) + `1` + strings.Repeat(`}`, 100), 178, "request body: not valid JSON: nested too deeply"},
		{strings.Repeat(`[`, 100000), 178, "request body: not valid JSON"},
	} {
		_, e := readCardPayment([]byte(tc.body))
		if e == nil || e.Status != 400 || e.Code != tc.code || !strings.HasPrefix(e.Message, tc.msg) {
			t.Errorf("%.40s: got %v, want %d %q", tc.body, e, tc.code, tc.msg)
		}
	}
}

func TestAPIError(t *testing.T) {
	e := invalid("ShipTo.Address", "at most %d characters", 50)
	if e.Status != 400 || e.Code != 178 || e.Message != "ShipTo.Address: at most 50 characters" {
		t.Errorf("got %+v", e)
	}
	var err error = e
	if err.Error() != "s-money error 178: ShipTo.Address: at most 50 characters" {
		t.Errorf("Error() = %q", err.Error())
	}
}

// keys are the keys of a JSON object, sorted.
func keys(t *testing.T, v any) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(marshal(t, v), &m); err != nil {
		t.Fatal(err)
	}
	return slices.Sorted(maps.Keys(m))
}

func sameKeys(t *testing.T, what string, v any, want ...string) {
	t.Helper()
	got := keys(t, v)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s keys:\n got %q\nwant %q", what, got, want)
	}
}

var resourceKeys = []string{"Id", "OrderId", "Amount", "Fee", "ThreeDSecurePreference", "AvailableCards", "IsMine",
	"Message", "UrlReturn", "UrlCallback", "Status", "ErrorCode", "Href", "PaymentDate", "Type", "Card", "Beneficiary",
	"PayerInfo", "ExtraParameters", "Billing", "ShipTo", "Delivery", "ClientScreen", "ThreeDsOptData", "GiftCard",
	"ExtraResults"}

func TestResourceKeys(t *testing.T) {
	// A payment in one go, with no optional object: they are null.
	c := newCardPayment(mustRead(t, marshal(t, minimalRequest())))
	sameKeys(t, "cardPayment", c, resourceKeys...)
	var m map[string]json.RawMessage
	json.Unmarshal(marshal(t, c), &m)
	for _, k := range []string{"Card", "PayerInfo", "ExtraParameters", "Billing", "ShipTo", "Delivery", "ClientScreen",
		"ThreeDsOptData", "GiftCard", "ExtraResults"} {
		if string(m[k]) != "null" {
			t.Errorf("%s = %s, want null", k, m[k])
		}
	}
	if string(m["Status"]) != "0" || string(m["Type"]) != "0" || string(m["Beneficiary"]) == "null" {
		t.Errorf("Status %s, Type %s, Beneficiary %s", m["Status"], m["Type"], m["Beneficiary"])
	}

	// Everything set: PaymentSchedule appears, and every sub-object has
	// all its keys.
	full := mustRead(t, marshal(t, fullRequest()))
	c = newCardPayment(full)
	c.ExtraResults = &extraResults{}
	c.PaymentSchedule, _ = planSchedule(full.PaymentSchedule, full.Amount, time.Date(2024, 1, 1, 0, 0, 0, 0, paris(t)))
	sameKeys(t, "cardPayment", c, append(slices.Clone(resourceKeys), "PaymentSchedule")...)
	sameKeys(t, "Card", c.Card, "Id", "AppCardId", "Network", "Name")
	c.Card.Hint, c.Card.Country, c.Card.ExpiryDate = "4XXXX1", "FR", "2030-12-31T00:00:00.000000+01:00"
	sameKeys(t, "Card", c.Card, "Id", "AppCardId", "Network", "Hint", "Name", "Country", "ExpiryDate")
	sameKeys(t, "Beneficiary", c.Beneficiary, "Id", "AppAccountId", "DisplayName", "Email", "Phonenumber", "Href")
	sameKeys(t, "PayerInfo", c.PayerInfo, "Name", "Mail")
	sameKeys(t, "ExtraParameters", c.ExtraParameters, "ProfilName")
	sameKeys(t, "Billing", c.Billing, "City", "Country", "Address", "PostalCode", "Billingaddressstate")
	sameKeys(t, "ShipTo", c.ShipTo, "City", "Country", "Address", "PostalCode", "AddressType", "AddressState", "AddressDate")
	sameKeys(t, "Delivery", c.Delivery, "Email", "Timeframe")
	sameKeys(t, "ClientScreen", c.ClientScreen, "ColorDepth", "ScreenHeight", "ScreenWidth")
	sameKeys(t, "ThreeDsOptData", c.ThreeDsOptData, "ClientAuthMethod", "AccountChangeDate", "AccountCreationDate",
		"Passwordchangedate", "Last6MonthsPurchaseCount", "Last24hoursaddcardattempts", "Last24hourstransactioncount",
		"Last12Monthstransactioncount", "Cardenrolldate", "Suspiciousaccountactivity", "Homephone", "Mobilephone",
		"Workphone", "Preorderdate", "Itemavailability", "Reorderingitem", "Recurringexpiry", "Recurringfrequency")
	sameKeys(t, "GiftCard", c.GiftCard, "Amount", "Count", "Currency")
	sameKeys(t, "PaymentSchedule[0]", c.PaymentSchedule[0], "SequenceNumber", "Amount", "Date", "Status", "Fee")

	// A pickup with no address leaves the address out, but keeps
	// AddressType; optional numbers at 0 are kept.
	c = newCardPayment(mustRead(t, marshal(t, apply(minimalRequest(), edit{"ShipTo.AddressType", 4},
		edit{"ClientScreen.ColorDepth", 0}, edit{"ThreeDsOptData.Itemavailability", false}))))
	sameKeys(t, "ShipTo", c.ShipTo, "AddressType")
	sameKeys(t, "ClientScreen", c.ClientScreen, "ColorDepth")
	sameKeys(t, "ThreeDsOptData", c.ThreeDsOptData, "Itemavailability")
}

func TestExtraResultsKeys(t *testing.T) {
	sameKeys(t, "ExtraResults", extraResults{}, "threedsecure", "threedsecureauthstatus", "threedsecuresignaturestatus",
		"threedsecureglobalstatus", "ThreeDsCardEnrolled", "ExecCode", "ExecMessage", "warrantyresult",
		"3dsecureversion", "3dsecuremode", "bankauthresult")
	got := string(marshal(t, extraResults{ThreeDSecure: true, ExecCode: "0000", ExecMessage: "Successful operation",
		WarrantyResult: true, ThreeDSecureVersion: 2, BankAuthResult: 0}))
	want := `{"threedsecure":true,"threedsecureauthstatus":0,"threedsecuresignaturestatus":0,"threedsecureglobalstatus":0,` +
		`"ThreeDsCardEnrolled":0,"ExecCode":"0000","ExecMessage":"Successful operation","warrantyresult":true,` +
		`"3dsecureversion":2,"3dsecuremode":0,"bankauthresult":0}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestErrorBodyKeys(t *testing.T) {
	got := string(marshal(t, apiErrorBody{Code: 178, ErrorMessage: "m", Title: "t", Priority: 1}))
	if want := `{"Code":178,"ErrorMessage":"m","Title":"t","Priority":1}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestNewCardPayment(t *testing.T) {
	r := mustRead(t, marshal(t, fullRequest()))
	c := newCardPayment(r)
	if c.OrderId != "order-full" || c.Amount != 10000 || c.Fee != 300 || c.ThreeDSecurePreference != 1 ||
		c.AvailableCards != "CB;VISA" || !c.IsMine || c.Message != "Order 42" || c.Status != statusWaiting ||
		c.Type != typePayment || c.Card.Network != networkUnknown || c.Card.AppCardId != "card-1" ||
		c.Beneficiary.AppAccountId != "client-112" {
		t.Errorf("got %+v", c)
	}
	// The answer does not share the request's objects.
	c.Billing.City = "Nantes"
	if r.Billing.City != "Paris" {
		t.Error("newCardPayment shares Billing with the request")
	}
}

func TestIsoDate(t *testing.T) {
	loc := paris(t)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2013, 9, 10, 13, 49, 58, 791121000, time.UTC), "2013-09-10T15:49:58.791121+02:00"},
		{time.Date(2013, 9, 10, 0, 0, 0, 0, loc), "2013-09-10T00:00:00.000000+02:00"},
		{time.Date(2024, 1, 15, 12, 0, 0, 123456789, time.UTC), "2024-01-15T13:00:00.123456+01:00"},
	} {
		if got := isoDate(tc.t, loc); got != tc.want {
			t.Errorf("isoDate(%v) = %s, want %s", tc.t, got, tc.want)
		}
	}
	if got := isoDate(time.Date(2013, 9, 10, 1, 2, 3, 0, time.UTC), nil); got != "2013-09-10T01:02:03.000000+00:00" {
		t.Errorf("isoDate with nil zone = %s", got)
	}
}

func TestExecCodes(t *testing.T) {
	listed := []string{"0000", "0001"}
	for c := 4001; c <= 4021; c++ {
		if c < 4006 || c > 4008 { // spec §6 does not list 4006 to 4008
			listed = append(listed, itoa4(c))
		}
	}
	for c := 5001; c <= 5006; c++ {
		listed = append(listed, itoa4(c))
	}
	for c := 6001; c <= 6008; c++ {
		listed = append(listed, itoa4(c))
	}
	for _, code := range listed {
		if m, ok := execMessage(code); !ok || m == "" {
			t.Errorf("execMessage(%s) = %q, %v", code, m, ok)
		}
	}
	if len(execMessages) != len(listed) {
		t.Errorf("%d messages, %d listed codes", len(execMessages), len(listed))
	}
	if m, _ := execMessage("0000"); m != "Successful operation" {
		t.Errorf("0000: %q", m)
	}
	for _, code := range []string{"4006", "9999", "", "abcd", "00000"} {
		if _, ok := execMessage(code); ok {
			t.Errorf("execMessage(%q) is ok", code)
		}
	}
}

func itoa4(n int) string {
	return string([]byte{byte('0' + n/1000), byte('0' + n/100%10), byte('0' + n/10%10), byte('0' + n%10)})
}

func TestErrorClass(t *testing.T) {
	for code, want := range map[string]int{
		"0000": 0, "0001": 0, "1001": 10, "2005": 11, "3999": 12, "4002": 13, "4021": 13, "5004": 14, "6008": 16,
		"7000": 14, "": 14, "400": 14, "40a2": 14, "40022": 14,
	} {
		if got := errorClass(code); got != want {
			t.Errorf("errorClass(%q) = %d, want %d", code, got, want)
		}
	}
	for code, want := range map[string]int{"0000": statusCompleted, "0001": statusWaiting, "4002": statusRefused,
		"5001": statusRefused, "6001": statusRefused, "1000": statusRefused, "x": statusRefused} {
		if got := execStatus(code); got != want {
			t.Errorf("execStatus(%q) = %d, want %d", code, got, want)
		}
	}
}

func TestCardHelpers(t *testing.T) {
	if got := cardHint("6011000990139424"); got != "6XXXX4" {
		t.Errorf("cardHint = %q", got)
	}
	if got := cardHint("4"); got != "" {
		t.Errorf("cardHint of one digit = %q", got)
	}
	for brand, want := range map[string]int{"CB": 1, "MASTERCARD": 2, "MAESTRO": 2, "VISA": 3, "visa_electron": 3, "AMEX": -1} {
		if got := cardNetwork(brand); got != want {
			t.Errorf("cardNetwork(%s) = %d, want %d", brand, got, want)
		}
	}
}

// roundTrip checks that the resource made from an accepted request reads
// back as the same request, its schedule planned the same way.
func roundTrip(t testing.TB, req *cardPaymentRequest, today time.Time) {
	t.Helper()
	c := newCardPayment(req)
	var items []scheduleItem
	if req.PaymentSchedule != nil {
		var e *apiError
		if items, e = planSchedule(req.PaymentSchedule, req.Amount, today); e != nil {
			// Only the rules that depend on today or on the shop's zone
			// may refuse what readCardPayment accepted.
			if e.Code != codeInvalidParameters || !strings.Contains(e.Message, "Date") {
				t.Fatalf("accepted schedule refused by planSchedule: %v", e)
			}
			return
		}
		c.PaymentSchedule = items
	}
	body := marshal(t, c)
	again, e := readCardPayment(body)
	if e != nil {
		t.Fatalf("the answer %s does not read back: %v", body, e)
	}
	if items != nil {
		items2, e := planSchedule(again.PaymentSchedule, again.Amount, today)
		if e != nil {
			t.Fatalf("re-read schedule refused: %v", e)
		}
		if len(items2) != len(items) {
			t.Fatalf("schedule %v became %v", items, items2)
		}
		for i := range items {
			a, b := items[i], items2[i]
			if a.SequenceNumber != b.SequenceNumber || a.Amount != b.Amount || a.Fee != b.Fee || a.Date != b.Date ||
				a.Status != b.Status || !a.Due.Equal(b.Due) {
				t.Fatalf("instalment %d: %+v became %+v", i, a, b)
			}
		}
	}
	first, second := *req, *again
	first.PaymentSchedule, second.PaymentSchedule = nil, nil
	if !reflect.DeepEqual(first, second) {
		t.Fatalf("request\n%+v\nreads back as\n%+v", first, second)
	}
}

func TestRoundTrip(t *testing.T) {
	today := time.Date(2024, 3, 20, 15, 4, 5, 0, paris(t))
	for _, m := range []map[string]any{
		minimalRequest(),
		fullRequest(),
		apply(fullRequest(), edit{"ExtraParameters", map[string]any{"ProfileName": "3DSV2"}}, edit{"Fee", absent},
			edit{"PaymentSchedule.FirstFee", absent}),
		apply(fullRequest(), edit{"PaymentSchedule", []any{
			map[string]any{"SequenceNumber": 2, "Amount": 6000, "Date": "2024-04-20T10:00:00"},
			map[string]any{"SequenceNumber": 1, "Amount": 4000, "Date": "2024-03-20"},
		}}),
		apply(minimalRequest(), edit{"Require3DS", true}, edit{"AvailableCards", "visa;CB"},
			edit{"Fee", map[string]any{"Amount": 10, "AmountWithVAT": 12}}, edit{"ShipTo.AddressType", 5}),
	} {
		roundTrip(t, mustRead(t, marshal(t, m)), today)
	}
}

func FuzzReadCardPayment(f *testing.F) {
	for _, m := range []map[string]any{
		minimalRequest(),
		fullRequest(),
		apply(fullRequest(), edit{"PaymentSchedule", []any{
			map[string]any{"SequenceNumber": 1, "Amount": 4000, "Date": "2024-03-20", "Fee": 100},
			map[string]any{"SequenceNumber": 2, "Amount": 6000, "Date": "2024-04-20T10:00:00.5+02:00", "Fee": 200},
		}}),
		apply(minimalRequest(), edit{"ShipTo", map[string]any{"AddressType": 0}}, edit{"Delivery.email", "a@b.fr"}),
	} {
		f.Add(marshal(f, m))
	}
	for _, s := range []string{``, `{}`, `null`, `[]`, `{"amount":1,"orderid":"x","urlreturn":"a:b","beneficiary":{"appaccountid":"b"}}`,
		`{"Amount":1e3,"OrderId":"x","UrlReturn":"https://a/","Beneficiary":{"AppAccountId":"b"},"Fee":{"Amount":1.0}}`,
		`{"Amount":10,"OrderId":"x","UrlReturn":"https://a/","Beneficiary":{"AppAccountId":"b"},"PaymentSchedule":{"FirstAmount":1,"Count":10,"Period":1}}`,
	} {
		f.Add([]byte(s))
	}
	loc := paris(f)
	today := time.Date(2024, 3, 20, 15, 4, 5, 0, loc)
	f.Fuzz(func(t *testing.T, body []byte) {
		req, e := readCardPayment(body)
		if e != nil {
			if req != nil || e.Status != 400 || e.Message == "" {
				t.Fatalf("refusal %+v with %+v", e, req)
			}
			switch e.Code {
			case codeNoBeneficiary, codeInvalidValue, codeInvalidParameters, codeMissingParameter:
			default:
				t.Fatalf("unexpected code %d", e.Code)
			}
			return
		}
		roundTrip(t, req, today)
	})
}
