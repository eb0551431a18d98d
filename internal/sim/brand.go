package sim

import "guichet"

// TestCard is a card number of the Paybox pre-production platform, with what
// the simulator answers about it.
type TestCard struct {
	PAN     string
	Brand   guichet.Brand
	Country string // ISO 3166 alpha-3 of the issuer
	Note    string
}

// TestCards returns the Paybox test cards the simulator knows. It builds a
// new slice on every call so that no caller can change what another sees.
func TestCards() []TestCard {
	return []TestCard{
		{"1111222233334444", guichet.BrandCB, "FRA", "generic CB test card, authorized"},
		// The platform answers PAYS=USA for the cards of the 401200
		// range (nexylan/paybox-direct's live suite, 4012001037141112).
		{"4012001037141112", guichet.BrandVisa, "USA", "3-D Secure enrolled"},
		{"4012001038443335", guichet.BrandVisa, "USA", "3-D Secure not enrolled"},
		{"4236861588423130", guichet.BrandVisa, "BEL", "Belgian Visa"},
		{"5476852056843079", guichet.BrandMastercard, "BEL", "Belgian Mastercard"},
		{"6703111122223334", guichet.BrandMaestro, "BEL", "Belgian Maestro"},
		{"4150550000000004", guichet.BrandVisa, "FRA", "Visa test card"},
		{"4972640000000009", guichet.BrandVisa, "FRA", "Visa test card"},
		{"374907403001005", guichet.BrandAmex, "FRA", "American Express"},
		{"3569990012000112", guichet.BrandJCB, "FRA", "JCB"},
		{"36133990076017", guichet.BrandDiners, "FRA", "Diners Club"},
		{"4726860200500314", guichet.BrandVisa, "FRA", "Visa Aurore"},
	}
}

// Country returns the issuer country of a known test card, or "" for any
// other number: the simulator does not pretend to know real BIN tables.
func Country(pan string) string {
	for _, c := range TestCards() {
		if c.PAN == pan {
			return c.Country
		}
	}
	return ""
}

// genericCB is the Paybox generic test card. Its 1111 prefix belongs to no
// network, and Paybox presents it as a CB card.
const genericCB = "1111222233334444"

// Brand guesses a card's network from the leading digits of its number (the
// IIN ranges the networks publish). It returns guichet.BrandUnknown for
// anything that is not all digits or falls in no range. Ranges are tested
// from the most specific to the broadest where they overlap.
func Brand(pan string) guichet.Brand {
	if pan == "" || !digits(pan) {
		return guichet.BrandUnknown
	}
	if pan == genericCB {
		return guichet.BrandCB
	}
	p2, p3, p4 := prefix(pan, 2), prefix(pan, 3), prefix(pan, 4)
	switch {
	case p2 == 34 || p2 == 37:
		return guichet.BrandAmex
	case p4 >= 3528 && p4 <= 3589:
		return guichet.BrandJCB
	case (p3 >= 300 && p3 <= 305) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39:
		return guichet.BrandDiners
	case p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65:
		return guichet.BrandDiscover
	case (p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720):
		return guichet.BrandMastercard
	// Maestro: 50 and 56–58, 6304 and 639 (UK and Irish Maestro), and the
	// 67 range, which holds 6703 (Belgian Bancontact/Maestro), 6759,
	// 6761–6763, 676770 and 676774.
	case p2 == 50 || (p2 >= 56 && p2 <= 58) || p4 == 6304 || p3 == 639 || p2 == 67:
		return guichet.BrandMaestro
	case pan[0] == '4':
		return guichet.BrandVisa
	}
	return guichet.BrandUnknown
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// prefix returns the first n digits of an all-digit string as a number, or
// -1 when the string is shorter, so that a short number matches no range.
func prefix(s string, n int) int {
	if len(s) < n {
		return -1
	}
	v := 0
	for i := 0; i < n; i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}
