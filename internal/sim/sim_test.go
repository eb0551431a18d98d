package sim_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/sim"
)

// clock is the simulator's time in these tests: 23 November 2026.
func clock() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }

func testShop() *guichet.Shop { return &guichet.Shop{ID: "s1", Mode: guichet.ModeTest} }
func prodShop() *guichet.Shop { return &guichet.Shop{ID: "s2", Mode: guichet.ModeProduction} }

func card(pan string) *guichet.Card {
	return &guichet.Card{PAN: pan, ExpMonth: 12, ExpYear: 2030, CVV: "123"}
}

func eur(n int64) guichet.Money { return guichet.Money{Amount: n, Currency: "EUR"} }

// luhnInvalid are the Lyra test cards whose numbers fail the Luhn check,
// which Lyra's platform takes and guichet refuses.
var luhnInvalid = map[string]bool{"4970100000000003": true, "378283000000003": true, "378283000000002": true}

func TestTestCards(t *testing.T) {
	if n := len(sim.TestCards()); n != 12 {
		t.Errorf("%d Paybox test cards, want 12", n)
	}
	if n := len(sim.LyraTestCards()); n < 28 {
		t.Errorf("%d Lyra test cards, want at least 28", n)
	}
	seen := map[string]bool{}
	for _, tables := range [][]sim.TestCard{sim.TestCards(), sim.LyraTestCards()} {
		for _, c := range tables {
			if seen[c.PAN] {
				t.Errorf("test card %s listed twice", c.PAN)
			}
			seen[c.PAN] = true
			if guichet.LuhnValid(c.PAN) == luhnInvalid[c.PAN] {
				t.Errorf("test card %s (%s): Luhn valid %v", c.PAN, c.Note, !luhnInvalid[c.PAN])
			}
			if got := sim.Brand(c.PAN); got != c.Brand || got == guichet.BrandUnknown {
				t.Errorf("Brand(%s) = %q, want %q", c.PAN, got, c.Brand)
			}
			if got := sim.Country(c.PAN); got != c.Country || len(got) != 3 {
				t.Errorf("Country(%s) = %q, want %q", c.PAN, got, c.Country)
			}
			if got := sim.ThreeDS(c.PAN); got != c.ThreeDS {
				t.Errorf("ThreeDS(%s) = %v, want %v", c.PAN, got, c.ThreeDS)
			}
			if !twoDigits(c.Code) || (c.StoredCode != "" && !twoDigits(c.StoredCode)) || c.Note == "" {
				t.Errorf("test card %s: code %q, stored code %q, note %q", c.PAN, c.Code, c.StoredCode, c.Note)
			}
		}
	}
	cards := sim.LyraTestCards()
	cards[0].PAN = "0"
	if sim.LyraTestCards()[0].PAN == "0" || sim.ThreeDS(sim.LyraTestCards()[0].PAN) != sim.LyraTestCards()[0].ThreeDS {
		t.Error("LyraTestCards shares its slice between callers")
	}
	cards = sim.TestCards()
	cards[0].PAN = "0"
	if sim.TestCards()[0].PAN == "0" {
		t.Error("TestCards shares its slice between callers")
	}
}

func twoDigits(s string) bool { return len(s) == 2 && strings.Trim(s, "0123456789") == "" }

func TestCountry(t *testing.T) {
	for pan, want := range map[string]string{
		"4236861588423130": "BEL",
		"5476852056843079": "BEL",
		"6703111122223334": "BEL",
		"1111222233334444": "FRA",
		"4012001037141112": "USA",
		"4970100000000055": "FRA",
		"5970100300000018": "FRA",
		"4111111111111111": "",
		"":                 "",
	} {
		if got := sim.Country(pan); got != want {
			t.Errorf("Country(%q) = %q, want %q", pan, got, want)
		}
	}
}

func TestBrand(t *testing.T) {
	for pan, want := range map[string]guichet.Brand{
		"1111222233334444":    guichet.BrandCB,
		"1111222233335555":    guichet.BrandUnknown,    // only the Paybox card is CB
		"5970100300000018":    guichet.BrandMastercard, // Lyra's test Mastercards
		"5970100300000000":    guichet.BrandUnknown,
		"4970100000000055":    guichet.BrandVisa,
		"36000000000008":      guichet.BrandDiners,
		"4111111111111111":    guichet.BrandVisa,
		"4":                   guichet.BrandVisa,
		"5105105105105100":    guichet.BrandMastercard,
		"5500000000000004":    guichet.BrandMastercard,
		"2221000000000009":    guichet.BrandMastercard,
		"2720990000000007":    guichet.BrandMastercard,
		"2220990000000000":    guichet.BrandUnknown,
		"2721000000000000":    guichet.BrandUnknown,
		"340000000000009":     guichet.BrandAmex,
		"378282246310005":     guichet.BrandAmex,
		"30000000000004":      guichet.BrandDiners,
		"30500000000003":      guichet.BrandDiners,
		"30600000000000":      guichet.BrandUnknown,
		"38520000023237":      guichet.BrandDiners,
		"3528000000000007":    guichet.BrandJCB,
		"3589000000000003":    guichet.BrandJCB,
		"3527000000000000":    guichet.BrandUnknown,
		"3590000000000000":    guichet.BrandUnknown,
		"6011111111111117":    guichet.BrandDiscover,
		"6445000000000000":    guichet.BrandDiscover,
		"6500000000000002":    guichet.BrandDiscover,
		"5018000000000009":    guichet.BrandMaestro,
		"5600000000000000":    guichet.BrandMaestro,
		"5800000000000000":    guichet.BrandMaestro,
		"6304000000000000":    guichet.BrandMaestro,
		"6759649826438453":    guichet.BrandMaestro,
		"6761000000000000":    guichet.BrandMaestro,
		"6767700000000000":    guichet.BrandMaestro,
		"6703111122223334":    guichet.BrandMaestro,
		"9999999999999999":    guichet.BrandUnknown,
		"":                    guichet.BrandUnknown,
		"4111 1111 1111 1111": guichet.BrandUnknown,
		"41x1":                guichet.BrandUnknown,
	} {
		if got := sim.Brand(pan); got != want {
			t.Errorf("Brand(%q) = %q, want %q", pan, got, want)
		}
	}
}

func TestAuthorize(t *testing.T) {
	expired := &guichet.Card{PAN: "4012001037141112", ExpMonth: 10, ExpYear: 2026}
	thisMonth := &guichet.Card{PAN: "4012001037141112", ExpMonth: 11, ExpYear: 2026}
	badMonth := &guichet.Card{PAN: "4012001037141112", ExpMonth: 13, ExpYear: 2030}
	tests := []struct {
		name     string
		shop     *guichet.Shop
		kind     guichet.OperationKind
		card     *guichet.Card
		force    string
		approved bool
		code     string
		auth     string // "" when refused; "prod" for a derived code
		brand    guichet.Brand
		country  string
	}{
		{"generic CB", testShop(), guichet.OpAuthorize, card("1111222233334444"), "", true, "00", "XXXXXX", guichet.BrandCB, "FRA"},
		{"Belgian Maestro", testShop(), guichet.OpAuthorize, card("6703111122223334"), "", true, "00", "XXXXXX", guichet.BrandMaestro, "BEL"},
		{"unknown card", testShop(), guichet.OpAuthorize, card("4111111111111111"), "", true, "00", "XXXXXX", guichet.BrandVisa, ""},
		{"nil shop is TEST", nil, guichet.OpAuthorize, card("4012001037141112"), "", true, "00", "XXXXXX", guichet.BrandVisa, "USA"},
		{"Luhn invalid", testShop(), guichet.OpAuthorize, card("4012001037141113"), "", false, "14", "", guichet.BrandVisa, ""},
		{"Luhn beats force", testShop(), guichet.OpAuthorize, card("4012001037141113"), "00", false, "14", "", guichet.BrandVisa, ""},
		{"expired", testShop(), guichet.OpAuthorize, expired, "", false, "54", "", guichet.BrandVisa, "USA"},
		{"expiry beats force", testShop(), guichet.OpAuthorize, expired, "00", false, "54", "", guichet.BrandVisa, "USA"},
		{"bad month", testShop(), guichet.OpAuthorize, badMonth, "", false, "54", "", guichet.BrandVisa, "USA"},
		{"valid this month", testShop(), guichet.OpAuthorize, thisMonth, "", true, "00", "XXXXXX", guichet.BrandVisa, "USA"},
		{"forced 05", testShop(), guichet.OpAuthorize, card("4012001037141112"), "05", false, "05", "", guichet.BrandVisa, "USA"},
		{"forced 51", testShop(), guichet.OpAuthorize, card("4012001037141112"), "51", false, "51", "", guichet.BrandVisa, "USA"},
		{"forced 00", testShop(), guichet.OpAuthorize, card("4012001037141112"), "00", true, "00", "XXXXXX", guichet.BrandVisa, "USA"},
		{"production", prodShop(), guichet.OpAuthorize, card("4012001037141112"), "", true, "00", "prod", guichet.BrandVisa, "USA"},
		{"force ignored in production", prodShop(), guichet.OpAuthorize, card("4012001037141112"), "05", true, "00", "prod", guichet.BrandVisa, "USA"},
		{"credit", testShop(), guichet.OpCredit, card("5476852056843079"), "", true, "00", "XXXXXX", guichet.BrandMastercard, "BEL"},
		{"credit forced", testShop(), guichet.OpCredit, card("5476852056843079"), "51", false, "51", "", guichet.BrandMastercard, "BEL"},
		{"credit Luhn invalid", testShop(), guichet.OpCredit, card("5476852056843070"), "", false, "14", "", guichet.BrandMastercard, ""},
	}
	a := sim.New(clock)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := guichet.AcquirerRequest{Shop: tt.shop, Kind: tt.kind, Amount: eur(1250), Card: tt.card, ForceCode: tt.force}
			res, err := a.Process(context.Background(), r)
			if err != nil {
				t.Fatal(err)
			}
			if res.Approved != tt.approved || res.Code != tt.code || res.Brand != tt.brand || res.Country != tt.country {
				t.Errorf("result = %+v, want approved=%v code=%s brand=%s country=%q", res, tt.approved, tt.code, tt.brand, tt.country)
			}
			switch tt.auth {
			case "prod":
				if len(res.AuthCode) != 6 || res.AuthCode == sim.TestAuthCode || strings.Trim(res.AuthCode, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
					t.Errorf("production auth code = %q, want 6 capitals or digits", res.AuthCode)
				}
			default:
				if res.AuthCode != tt.auth {
					t.Errorf("auth code = %q, want %q", res.AuthCode, tt.auth)
				}
			}
			again, err := a.Process(context.Background(), r)
			if err != nil || !reflect.DeepEqual(again, res) {
				t.Errorf("same request answered %+v, then %+v, %v", res, again, err)
			}
		})
	}
}

// TestShopClockOffset checks that the simulator judges expiry at the TEST
// shop's time, as the core does.
func TestShopClockOffset(t *testing.T) {
	shop := testShop()
	shop.ClockOffset = 60 * 24 * time.Hour
	c := &guichet.Card{PAN: "4012001037141112", ExpMonth: 12, ExpYear: 2026}
	res, err := sim.New(clock).Process(context.Background(), guichet.AcquirerRequest{Shop: shop, Kind: guichet.OpAuthorize, Amount: eur(100), Card: c})
	if err != nil || res.Code != sim.CodeExpiredCard {
		t.Errorf("card expiring 12/2026 at 2027-01: %+v, %v; want code 54", res, err)
	}
}

func TestProductionAuthCodeDeterministic(t *testing.T) {
	code := func(a *sim.Acquirer, pan string, amount int64) string {
		res, err := a.Process(context.Background(), guichet.AcquirerRequest{Shop: prodShop(), Kind: guichet.OpAuthorize, Amount: eur(amount), Card: card(pan)})
		if err != nil {
			t.Fatal(err)
		}
		return res.AuthCode
	}
	a := sim.New(clock)
	first := code(a, "4012001037141112", 1250)
	if code(sim.New(clock), "4012001037141112", 1250) != first {
		t.Error("same payment got a different authorization number from another simulator")
	}
	if code(a, "4012001037141112", 1251) == first || code(a, "4012001038443335", 1250) == first {
		t.Error("different payments got the same authorization number")
	}
}

func TestFollowUps(t *testing.T) {
	tx := &guichet.Transaction{ID: "tx_1", AuthCode: "XXXXXX", Card: guichet.StoredCard{Brand: guichet.BrandVisa, Country: "FRA"}}
	a := sim.New(clock)
	for _, kind := range []guichet.OperationKind{guichet.OpCapture, guichet.OpCancel, guichet.OpRefund, guichet.OpUpdateAmount} {
		res, err := a.Process(context.Background(), guichet.AcquirerRequest{Shop: testShop(), Kind: kind, Amount: eur(500), Transaction: tx})
		if err != nil || !res.Approved || res.Code != "00" || res.AuthCode != "XXXXXX" || res.Brand != guichet.BrandVisa || res.Country != "FRA" {
			t.Errorf("%s: %+v, %v; want approved", kind, res, err)
		}
		res, err = a.Process(context.Background(), guichet.AcquirerRequest{Shop: testShop(), Kind: kind, Amount: eur(500), Transaction: tx, ForceCode: "12"})
		if err != nil || res.Approved || res.Code != "12" || res.AuthCode != "" {
			t.Errorf("%s forced 12: %+v, %v; want refused 12", kind, res, err)
		}
		_, err = a.Process(context.Background(), guichet.AcquirerRequest{Shop: testShop(), Kind: kind, Amount: eur(500), Card: card("4012001037141112")})
		if e := asError(err); e == nil || e.Code != guichet.CodeInvalid || e.Param != "transaction" {
			t.Errorf("%s without transaction: err = %v, want invalid transaction", kind, err)
		}
	}
}

func TestInvalidRequests(t *testing.T) {
	a := sim.New(clock)
	tests := map[string]struct {
		r     guichet.AcquirerRequest
		param string
	}{
		"authorize without card": {guichet.AcquirerRequest{Shop: testShop(), Kind: guichet.OpAuthorize, Amount: eur(1)}, "card"},
		"credit without card":    {guichet.AcquirerRequest{Shop: testShop(), Kind: guichet.OpCredit, Amount: eur(1)}, "card"},
		"unknown kind":           {guichet.AcquirerRequest{Shop: testShop(), Kind: "inquire", Card: card("4012001037141112")}, "kind"},
		"force one digit":        {guichet.AcquirerRequest{Shop: testShop(), Kind: guichet.OpAuthorize, Card: card("4012001037141112"), ForceCode: "5"}, "force_code"},
		"force letters":          {guichet.AcquirerRequest{Shop: testShop(), Kind: guichet.OpAuthorize, Card: card("4012001037141112"), ForceCode: "AB"}, "force_code"},
	}
	for name, tt := range tests {
		res, err := a.Process(context.Background(), tt.r)
		if e := asError(err); e == nil || e.Code != guichet.CodeInvalid || e.Param != tt.param {
			t.Errorf("%s: %+v, %v; want invalid %s", name, res, err, tt.param)
		}
	}
}

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sim.New(clock).Process(ctx, guichet.AcquirerRequest{Shop: testShop(), Kind: guichet.OpAuthorize, Card: card("4012001037141112")})
	if guichet.ErrorCode(err) != guichet.CodeUnavailable {
		t.Errorf("cancelled context: err = %v, want unavailable", err)
	}
}

func TestNilClock(t *testing.T) {
	res, err := sim.New(nil).Process(context.Background(), guichet.AcquirerRequest{Kind: guichet.OpAuthorize, Card: &guichet.Card{PAN: "4012001037141112", ExpMonth: 1, ExpYear: 2000}})
	if err != nil || res.Code != sim.CodeExpiredCard {
		t.Errorf("card of 2000 with the real clock: %+v, %v", res, err)
	}
}

func asError(err error) *guichet.Error {
	e, _ := err.(*guichet.Error)
	return e
}

func FuzzBrand(f *testing.F) {
	for _, c := range sim.TestCards() {
		f.Add(c.PAN)
	}
	for _, s := range []string{"", "4", "22", "2221", "676770", "0000", "é4", "\x00", "34 ", "-1"} {
		f.Add(s)
	}
	known := map[guichet.Brand]bool{guichet.BrandUnknown: true, guichet.BrandCB: true, guichet.BrandVisa: true,
		guichet.BrandMastercard: true, guichet.BrandMaestro: true, guichet.BrandAmex: true, guichet.BrandJCB: true,
		guichet.BrandDiners: true, guichet.BrandDiscover: true}
	f.Fuzz(func(t *testing.T, pan string) {
		b := sim.Brand(pan)
		if !known[b] {
			t.Fatalf("Brand(%q) = %q, not a known brand", pan, b)
		}
		if b != guichet.BrandUnknown && strings.Trim(pan, "0123456789") != "" {
			t.Fatalf("Brand(%q) = %q for a number with non-digits", pan, b)
		}
		_ = sim.Country(pan)
	})
}

// TestLyraCards checks the issuer answers of Lyra's test cards: the
// simulator refuses those Lyra's platform refuses, with the same code.
func TestLyraCards(t *testing.T) {
	tests := []struct {
		name   string
		pan    string
		stored bool
		force  string
		kind   guichet.OperationKind
		code   string
	}{
		{"accepted, not enrolled", "4970100000000055", false, "", guichet.OpAuthorize, "00"},
		{"insufficient funds", "4970100000000113", false, "", guichet.OpAuthorize, "51"},
		{"credit limit", "4970100000000071", false, "", guichet.OpAuthorize, "51"},
		{"wrong CVV", "4970100000000089", false, "", guichet.OpAuthorize, "82"},
		{"refused after challenge", "4970110000000039", false, "", guichet.OpAuthorize, "05"},
		{"timeout", "4970110000000054", false, "", guichet.OpAuthorize, "91"},
		{"authentication failure leaves the issuer's answer", "4970100000000014", false, "", guichet.OpAuthorize, "00"},
		{"Mastercard", "5970100300000018", false, "", guichet.OpAuthorize, "00"},
		{"Mastercard not enrolled", "5970100300000042", false, "", guichet.OpAuthorize, "00"},
		{"AMEX frictionless", "375900000010007", false, "", guichet.OpAuthorize, "00"},
		{"Diners", "36000000000008", false, "", guichet.OpAuthorize, "00"},
		{"buyer pays", "4970101000001002", false, "", guichet.OpAuthorize, "00"},
		{"stored card charged later", "4970101000001002", true, "", guichet.OpAuthorize, "51"},
		{"stored card without a stored answer", "4970100000000055", true, "", guichet.OpAuthorize, "00"},
		{"force overrides a refusal", "4970100000000113", false, "00", guichet.OpAuthorize, "00"},
		{"force overrides an approval", "4970100000000055", false, "05", guichet.OpAuthorize, "05"},
		{"credit ignores the refusal", "4970100000000113", false, "", guichet.OpCredit, "00"},
		{"Luhn invalid though published", "4970100000000003", false, "", guichet.OpAuthorize, "14"},
		{"AMEX Luhn invalid though published", "378283000000003", false, "00", guichet.OpAuthorize, "14"},
	}
	a := sim.New(clock)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := guichet.AcquirerRequest{Shop: testShop(), Kind: tt.kind, Amount: eur(1250), Card: card(tt.pan),
				ForceCode: tt.force, Stored: tt.stored, Front: "lyra", Key: "claim-1"}
			res, err := a.Process(context.Background(), r)
			if err != nil {
				t.Fatal(err)
			}
			if res.Code != tt.code || res.Approved != (tt.code == "00") || res.Brand != sim.Brand(tt.pan) || res.Country != "FRA" {
				t.Errorf("result = %+v, want code %s", res, tt.code)
			}
			if approved := res.Approved; approved != (res.AuthCode != "") {
				t.Errorf("approved %v with authorization number %q", approved, res.AuthCode)
			}
		})
	}
}

// TestLyraAuthCode checks that requests from Lyra's front get numbers like
// Lyra's test platform gives, derived from the request.
func TestLyraAuthCode(t *testing.T) {
	code := func(shop *guichet.Shop, front, key string, amount int64) string {
		t.Helper()
		res, err := sim.New(clock).Process(context.Background(), guichet.AcquirerRequest{Shop: shop, Kind: guichet.OpAuthorize,
			Amount: eur(amount), Card: card("4970100000000055"), Key: key, Front: front})
		if err != nil || !res.Approved {
			t.Fatalf("%+v, %v", res, err)
		}
		return res.AuthCode
	}
	first := code(testShop(), "lyra", "claim-1", 1250)
	if len(first) != 6 || strings.Trim(first, "0123456789abcdef") != "" {
		t.Errorf("Lyra authorization number %q, want 6 lower-case hexadecimal digits", first)
	}
	if again := code(testShop(), "lyra", "claim-1", 1250); again != first {
		t.Errorf("same request got %q, then %q", first, again)
	}
	for _, other := range []string{code(testShop(), "lyra", "claim-2", 1250), code(testShop(), "lyra", "claim-1", 1251),
		code(&guichet.Shop{ID: "s3", Mode: guichet.ModeTest}, "lyra", "claim-1", 1250)} {
		if other == first {
			t.Errorf("different requests got the same number %q", first)
		}
	}
	for _, front := range []string{"", "paybox-direct", "paybox-system"} {
		if got := code(testShop(), front, "claim-1", 1250); got != sim.TestAuthCode {
			t.Errorf("front %q: authorization number %q, want %s", front, got, sim.TestAuthCode)
		}
	}
	if got := code(prodShop(), "lyra", "claim-1", 1250); len(got) != 6 || strings.Trim(got, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		t.Errorf("production authorization number %q, want 6 capitals or digits", got)
	}
}
