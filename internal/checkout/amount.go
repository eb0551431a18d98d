package checkout

import (
	"strings"

	"guichet"
)

// symbols are the currencies buyers know by a sign; the others are shown
// with their ISO code after the number.
var symbols = map[string]string{"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}

// Amount formats an amount in minor units the way a buyer reading the page
// expects it: "1 234,50 €" in French, with narrow no-break spaces between
// groups and a no-break space before the sign, and "€1,234.50" in English.
// The spaces cannot break, so that an amount never wraps across two lines.
func Amount(amount int64, c guichet.Currency, lang string) string {
	s := guichet.FormatAmount(amount, c)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	group, point := ",", "."
	if lang == "fr" {
		group, point = "\u202f", ","
	}
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(d)
	}
	num := b.String()
	if frac != "" {
		num += point + frac
	}
	sign := ""
	if neg {
		sign = "-"
	}
	sym, ok := symbols[c.Code]
	switch {
	case !ok:
		return sign + num + "\u00a0" + c.Code
	case lang == "fr":
		return sign + num + "\u00a0" + sym
	default:
		return sign + sym + num
	}
}
