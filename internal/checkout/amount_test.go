package checkout

import (
	"testing"

	"guichet"
)

func TestAmount(t *testing.T) {
	cur := func(code string) guichet.Currency {
		c, ok := guichet.CurrencyByCode(code)
		if !ok {
			t.Fatalf("no currency %s", code)
		}
		return c
	}
	for _, tc := range []struct {
		amount int64
		code   string
		lang   string
		want   string
	}{
		{1250, "EUR", "fr", "12,50\u00a0€"},
		{1250, "EUR", "en", "€12.50"},
		{5, "EUR", "fr", "0,05\u00a0€"},
		{123456789, "EUR", "fr", "1\u202f234\u202f567,89\u00a0€"},
		{123456789, "EUR", "en", "€1,234,567.89"},
		{100000, "EUR", "en", "€1,000.00"},
		{99900, "EUR", "en", "€999.00"},
		{1250, "JPY", "fr", "1\u202f250\u00a0¥"},
		{1250, "USD", "en", "$12.50"},
		{1250, "CHF", "fr", "12,50\u00a0CHF"},
		{1250, "CHF", "en", "12.50\u00a0CHF"},
		{-1250, "EUR", "en", "-€12.50"},
	} {
		if got := Amount(tc.amount, cur(tc.code), tc.lang); got != tc.want {
			t.Errorf("Amount(%d, %s, %s) = %q, want %q", tc.amount, tc.code, tc.lang, got, tc.want)
		}
	}
}
