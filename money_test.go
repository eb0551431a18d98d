package guichet_test

import (
	"math"
	"testing"

	"guichet"
)

func TestParseAmount(t *testing.T) {
	eur, _ := guichet.CurrencyByCode("EUR")
	jpy, _ := guichet.CurrencyByCode("JPY")
	kwd, _ := guichet.CurrencyByCode("KWD")
	tests := []struct {
		in   string
		cur  guichet.Currency
		want int64
		ok   bool
	}{
		{"12.50", eur, 1250, true},
		{"12.5", eur, 1250, true},
		{"12", eur, 1200, true},
		{"0.01", eur, 1, true},
		{"1250", jpy, 1250, true},
		{"1.234", kwd, 1234, true},
		{"12.505", eur, 0, false},
		{"1.5", jpy, 0, false},
		{"-1", eur, 0, false},
		{"+1", eur, 0, false},
		{"1e3", eur, 0, false},
		{" 1", eur, 0, false},
		{"", eur, 0, false},
		{".5", eur, 0, false},
		{"99999999999999999999", eur, 0, false},
	}
	for _, tt := range tests {
		got, err := guichet.ParseAmount(tt.in, tt.cur)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d, ok=%v", tt.in, tt.cur.Code, got, err, tt.want, tt.ok)
		}
		if err != nil && guichet.ErrorCode(err) != guichet.CodeInvalid {
			t.Errorf("ParseAmount(%q) error code = %s, want invalid", tt.in, guichet.ErrorCode(err))
		}
	}
}

func TestFormatAmount(t *testing.T) {
	eur, _ := guichet.CurrencyByCode("EUR")
	clf, _ := guichet.CurrencyByCode("CLF")
	for _, tt := range []struct {
		amount int64
		cur    guichet.Currency
		want   string
	}{{1250, eur, "12.50"}, {5, eur, "0.05"}, {0, eur, "0.00"}, {-5, eur, "-0.05"}, {12345, clf, "1.2345"}} {
		if got := guichet.FormatAmount(tt.amount, tt.cur); got != tt.want {
			t.Errorf("FormatAmount(%d, %s) = %q, want %q", tt.amount, tt.cur.Code, got, tt.want)
		}
	}
}

func TestMoneyAdd(t *testing.T) {
	a := guichet.Money{Amount: math.MaxInt64 - 1, Currency: "EUR"}
	if _, err := a.Add(guichet.Money{Amount: 2, Currency: "EUR"}); guichet.ErrorCode(err) != guichet.CodeInvalid {
		t.Errorf("overflow: err = %v, want invalid", err)
	}
	if _, err := a.Add(guichet.Money{Amount: 1, Currency: "USD"}); guichet.ErrorCode(err) != guichet.CodeInvalid {
		t.Errorf("currency mismatch: err = %v, want invalid", err)
	}
	got, err := guichet.Money{Amount: 100, Currency: "EUR"}.Add(guichet.Money{Amount: 25, Currency: "EUR"})
	if err != nil || got.Amount != 125 {
		t.Errorf("100+25 = %v, %v", got, err)
	}
}

func TestCurrencyTables(t *testing.T) {
	for _, code := range []string{"EUR", "USD", "JPY", "XPF"} {
		c, ok := guichet.CurrencyByCode(code)
		if !ok {
			t.Fatalf("%s missing", code)
		}
		n, ok := guichet.CurrencyByNumeric(c.Numeric)
		if !ok || n != c {
			t.Errorf("CurrencyByNumeric(%s) = %v, want %v", c.Numeric, n, c)
		}
	}
	if c, _ := guichet.CurrencyByNumeric("978"); c.Code != "EUR" || c.Digits != 2 {
		t.Errorf("978 = %+v", c)
	}
	if _, ok := guichet.CurrencyByNumeric("999"); ok {
		t.Error("999 should be unknown")
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"12.50", "0", "1.", "1.2.3", "-0", "007.10"} {
		f.Add(s)
	}
	eur, _ := guichet.CurrencyByCode("EUR")
	f.Fuzz(func(t *testing.T, s string) {
		v, err := guichet.ParseAmount(s, eur)
		if err != nil {
			return
		}
		if v < 0 {
			t.Fatalf("ParseAmount(%q) = %d < 0", s, v)
		}
		back, err := guichet.ParseAmount(guichet.FormatAmount(v, eur), eur)
		if err != nil || back != v {
			t.Fatalf("round trip of %q: %d → %q → %d, %v", s, v, guichet.FormatAmount(v, eur), back, err)
		}
	})
}
