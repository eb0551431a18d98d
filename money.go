package guichet

import (
	"fmt"
	"math"
	"strconv"
)

// Currency describes an ISO 4217 currency: its alphabetic code, its numeric
// code (what Paybox and Payline send) and its number of minor digits.
type Currency struct {
	Code    string
	Numeric string
	Digits  int
}

// currencies lists the currencies guichet accepts. It is a deliberate subset
// of ISO 4217: the currencies the French PSPs we emulate take, plus a few with
// unusual minor digits so that every rule is exercised.
var currencies = []Currency{
	{"EUR", "978", 2}, {"USD", "840", 2}, {"GBP", "826", 2}, {"CHF", "756", 2},
	{"CAD", "124", 2}, {"AUD", "036", 2}, {"JPY", "392", 0}, {"SEK", "752", 2},
	{"NOK", "578", 2}, {"DKK", "208", 2}, {"PLN", "985", 2}, {"CZK", "203", 2},
	{"HUF", "348", 2}, {"RON", "946", 2}, {"MAD", "504", 2}, {"TND", "788", 3},
	{"XPF", "953", 0}, {"XOF", "952", 0}, {"XAF", "950", 0}, {"CNY", "156", 2},
	{"HKD", "344", 2}, {"SGD", "702", 2}, {"NZD", "554", 2}, {"BRL", "986", 2},
	{"MXN", "484", 2}, {"ZAR", "710", 2}, {"INR", "356", 2}, {"KWD", "414", 3},
	{"BHD", "048", 3}, {"AED", "784", 2}, {"TRY", "949", 2}, {"ILS", "376", 2},
	{"KRW", "410", 0}, {"RUB", "643", 2}, {"ISK", "352", 0}, {"CLF", "990", 4},
}

// CurrencyByCode returns the currency with the given alphabetic code.
func CurrencyByCode(code string) (Currency, bool) {
	for _, c := range currencies {
		if c.Code == code {
			return c, true
		}
	}
	return Currency{}, false
}

// CurrencyByNumeric returns the currency with the given numeric code. The
// code must have its three digits ("036", not "36").
func CurrencyByNumeric(num string) (Currency, bool) {
	for _, c := range currencies {
		if c.Numeric == num {
			return c, true
		}
	}
	return Currency{}, false
}

// Money is an amount in minor units of a currency. There are no floats
// anywhere in guichet's handling of money.
type Money struct {
	Amount   int64
	Currency string // ISO 4217 alphabetic code
}

// Add returns m+o. It refuses different currencies and overflow.
func (m Money) Add(o Money) (Money, error) {
	if m.Currency != o.Currency {
		return Money{}, &Error{Code: CodeInvalid, Reason: ReasonCurrency,
			Message: fmt.Sprintf("cannot add %s to %s", o.Currency, m.Currency)}
	}
	if (o.Amount > 0 && m.Amount > math.MaxInt64-o.Amount) ||
		(o.Amount < 0 && m.Amount < math.MinInt64-o.Amount) {
		return Money{}, &Error{Code: CodeInvalid, Reason: ReasonAmount, Message: "amount overflow"}
	}
	return Money{Amount: m.Amount + o.Amount, Currency: m.Currency}, nil
}

// String formats m with its currency's minor digits, as in "12.50 EUR".
func (m Money) String() string {
	c, ok := CurrencyByCode(m.Currency)
	if !ok {
		return strconv.FormatInt(m.Amount, 10) + " " + m.Currency
	}
	return FormatAmount(m.Amount, c) + " " + m.Currency
}

// FormatAmount writes minor units as a decimal string with the currency's
// digits: 1250 EUR is "12.50", 1250 JPY is "1250".
func FormatAmount(amount int64, c Currency) string {
	if c.Digits == 0 {
		return strconv.FormatInt(amount, 10)
	}
	neg := amount < 0
	u := uint64(amount)
	if neg {
		u = -u
	}
	s := strconv.FormatUint(u, 10)
	for len(s) <= c.Digits {
		s = "0" + s
	}
	s = s[:len(s)-c.Digits] + "." + s[len(s)-c.Digits:]
	if neg {
		s = "-" + s
	}
	return s
}

// ParseAmount reads a non-negative decimal amount ("12.5", "12.50", "12")
// into minor units of c. It refuses signs, exponents, spaces, more decimals
// than the currency has, and overflow.
func ParseAmount(s string, c Currency) (int64, error) {
	bad := func(why string) (int64, error) {
		return 0, &Error{Code: CodeInvalid, Reason: ReasonAmount, Param: "amount",
			Message: fmt.Sprintf("invalid amount %q: %s", s, why)}
	}
	if s == "" {
		return bad("empty")
	}
	whole, frac := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			whole, frac = s[:i], s[i+1:]
			break
		}
	}
	if whole == "" || !allDigits(whole) || !allDigits(frac) {
		return bad("not a decimal number")
	}
	if len(frac) > c.Digits {
		return bad(fmt.Sprintf("%s takes at most %d decimals", c.Code, c.Digits))
	}
	for len(frac) < c.Digits {
		frac += "0"
	}
	v, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return bad("too large")
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
