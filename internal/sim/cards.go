package sim

import "guichet"

// TestCard is a card number a provider publishes for its test platform,
// with what that platform, and so the simulator, answers for it.
type TestCard struct {
	PAN     string
	Brand   guichet.Brand
	Country string // ISO 3166 alpha-3 of the issuer
	// ThreeDS is what the simulated 3-D Secure directory and ACS do for
	// the card.
	ThreeDS Flow
	// Code is the issuer's answer to an authorization: "00" approves, any
	// other code refuses.
	Code string
	// StoredCode, when set, is the issuer's answer instead of Code when
	// the card is charged without the buyer, as a card the gateway kept
	// (AcquirerRequest.Stored): an instalment, a renewal, a token.
	StoredCode string
	Note       string
}

// TestCards returns the Paybox test cards the simulator knows. Paybox
// documents no refusal by card number (its test shops force one with
// ERRORCODETEST), so all are approved, and all but one are enrolled for
// 3-D Secure and challenged. It builds a new slice on every call so that
// no caller can change what another sees.
func TestCards() []TestCard {
	return []TestCard{
		{"1111222233334444", guichet.BrandCB, "FRA", Challenge, CodeApproved, "", "generic CB test card, authorized"},
		// The platform answers PAYS=USA for the cards of the 401200
		// range (nexylan/paybox-direct's live suite, 4012001037141112).
		{"4012001037141112", guichet.BrandVisa, "USA", Challenge, CodeApproved, "", "3-D Secure enrolled"},
		{"4012001038443335", guichet.BrandVisa, "USA", NotEnrolled, CodeApproved, "", "3-D Secure not enrolled"},
		{"4236861588423130", guichet.BrandVisa, "BEL", Challenge, CodeApproved, "", "Belgian Visa"},
		{"5476852056843079", guichet.BrandMastercard, "BEL", Challenge, CodeApproved, "", "Belgian Mastercard"},
		{"6703111122223334", guichet.BrandMaestro, "BEL", Challenge, CodeApproved, "", "Belgian Maestro"},
		{"4150550000000004", guichet.BrandVisa, "FRA", Challenge, CodeApproved, "", "Visa test card"},
		{"4972640000000009", guichet.BrandVisa, "FRA", Challenge, CodeApproved, "", "Visa test card"},
		{"374907403001005", guichet.BrandAmex, "FRA", Challenge, CodeApproved, "", "American Express"},
		{"3569990012000112", guichet.BrandJCB, "FRA", Challenge, CodeApproved, "", "JCB"},
		{"36133990076017", guichet.BrandDiners, "FRA", Challenge, CodeApproved, "", "Diners Club"},
		{"4726860200500314", guichet.BrandVisa, "FRA", Challenge, CodeApproved, "", "Visa Aurore"},
	}
}

// The issuer answers of Lyra's test cards besides approval, in the CB
// network's codes that Lyra reports as authorizationResult.
const (
	codeDoNotHonour       = "05"
	codeInsufficientFunds = "51" // "Insufficient funds or credit limit exceeded"
	codeWrongCVV          = "82" // CB's "CVV incorrect"
	codeIssuerUnreachable = "91" // the answer of an authorization that timed out
)

// LyraTestCards returns the test cards of Lyra's platform (PayZen,
// Systempay, Sogecommerce…) the simulator knows, from Lyra's recorded
// traffic, its test-card and 3-D Secure pages, and lists quoting them
// (specs/lyra.md §6.2). Lyra's issuer for them is its French demo bank.
// The 4970 cards are Visa co-badged with CB: Lyra reports either as the
// effective brand, depending on the buyer's choice; the simulator says
// Visa. It builds a new slice on every call so that no caller can change
// what another sees.
//
// Three of these numbers fail the Luhn check: 4970100000000003 and the
// two 378283 American Express cards. Lyra's platform takes them, but guichet
// refuses them as invalid numbers (code 14) before any other answer, as
// the core does: they are listed so that a merchant who tries them learns
// why they fail.
func LyraTestCards() []TestCard {
	const visa, mastercard, amex, fr = guichet.BrandVisa, guichet.BrandMastercard, guichet.BrandAmex, "FRA"
	return []TestCard{
		// Recorded: accepted, 3-D Secure NOT_ENROLLED, liabilityShift NO.
		{"4970100000000055", visa, fr, NotEnrolled, CodeApproved, "", "accepted; 3-D Secure not enrolled, no liability shift"},
		{"4970100000000003", visa, fr, Frictionless, CodeApproved, "", "accepted with 3-D Secure on Lyra's platform, but fails the Luhn check: refused as an invalid number (14)"},
		// Recorded: refused ACQ_001, authorizationResult 51, 3-D Secure
		// NOT_ENROLLED.
		{"4970100000000113", visa, fr, NotEnrolled, codeInsufficientFunds, "", "refused 51, insufficient funds or credit limit exceeded"},
		{"4970100000000071", visa, fr, NotEnrolled, codeInsufficientFunds, "", "refused 51, credit limit exceeded"},
		{"4970100000000014", visa, fr, Rejected, CodeApproved, "", "3-D Secure authentication failed"},
		{"4970100000000063", visa, fr, Rejected, CodeApproved, "", "3-D Secure authentication failed"},
		{"4970100000000089", visa, fr, NotEnrolled, codeWrongCVV, "", "refused 82, wrong CVV"},
		// Lyra names no code for this refusal: 05, do not honour, is
		// the issuer's refusal that gives no reason.
		{"4970110000000039", visa, fr, Challenge, codeDoNotHonour, "", "3-D Secure challenge passed, then refused 05 (do not honour)"},
		{"4970110000000054", visa, fr, Frictionless, codeIssuerUnreachable, "", "authorization times out: refused 91, issuer unreachable"},

		// The 3-D Secure 2 matrix of Lyra's documentation.
		{"4970110000001029", visa, fr, Frictionless, CodeApproved, "", "accepted; 3-D Secure 2 frictionless"},
		{"5100010000000114", mastercard, fr, Frictionless, CodeApproved, "", "accepted; 3-D Secure 2 frictionless"},
		{"375900000010007", amex, fr, Frictionless, CodeApproved, "", "accepted; 3-D Secure 2 frictionless"},
		{"4970110000001003", visa, fr, Challenge, CodeApproved, "", "accepted; 3-D Secure 2 challenge"},
		{"5100010000000106", mastercard, fr, Challenge, CodeApproved, "", "accepted; 3-D Secure 2 challenge"},
		{"375900000010015", amex, fr, Challenge, CodeApproved, "", "accepted; 3-D Secure 2 challenge"},
		{"4970110000000401", visa, fr, Rejected, CodeApproved, "", "3-D Secure 2 authentication rejected"},
		{"4970110000000021", visa, fr, Unavailable, CodeApproved, "", "3-D Secure 2 technical error"},
		{"5100010000000049", mastercard, fr, Unavailable, CodeApproved, "", "3-D Secure 2 technical error"},
		{"375900000000016", amex, fr, Unavailable, CodeApproved, "", "3-D Secure 2 technical error"},

		// The 3-D Secure 1 cards of the same documentation.
		{"4970100000000048", visa, fr, NotEnrolled, CodeApproved, "", "accepted; 3-D Secure not enrolled"},
		{"5970100300000042", mastercard, fr, NotEnrolled, CodeApproved, "", "accepted; 3-D Secure not enrolled"},
		{"378283000000003", amex, fr, NotEnrolled, CodeApproved, "", "accepted without 3-D Secure on Lyra's platform, but fails the Luhn check: refused as an invalid number (14)"},
		{"4970100000000022", visa, fr, Challenge, CodeApproved, "", "accepted; 3-D Secure challenge"},
		{"5970100300000026", mastercard, fr, Challenge, CodeApproved, "", "accepted; 3-D Secure challenge"},
		{"378283000000002", amex, fr, Challenge, CodeApproved, "", "accepted after a 3-D Secure challenge on Lyra's platform, but fails the Luhn check: refused as an invalid number (14)"},
		{"5970100300000018", mastercard, fr, Frictionless, CodeApproved, "", "accepted; 3-D Secure success"},
		{"5970100300000067", mastercard, fr, NotEnrolled, CodeApproved, "", "accepted"},

		// Lyra: "Token creation OK - Payment refused due to exceeded
		// limit if the installment amount is higher than 0".
		{"4970101000001002", visa, fr, Frictionless, CodeApproved, codeInsufficientFunds, "accepted when the buyer pays; refused 51 when charged later as a stored card (instalment, renewal, token)"},
		{"36000000000008", guichet.BrandDiners, fr, NotEnrolled, CodeApproved, "", "Diners Club, accepted"},
	}
}

// published indexes every provider's test cards by number; no number
// belongs to two providers.
var published = func() map[string]TestCard {
	m := map[string]TestCard{}
	for _, table := range [][]TestCard{TestCards(), LyraTestCards()} {
		for _, c := range table {
			m[c.PAN] = c
		}
	}
	return m
}()

// Country returns the issuer country of a known test card, or "" for any
// other number: the simulator does not pretend to know real BIN tables.
func Country(pan string) string {
	return published[pan].Country
}

// issuerCode is the issuer's answer to an authorization of the card: the
// one its provider's test platform gives, and approval for any card no
// provider documents.
func issuerCode(pan string, stored bool) string {
	c, ok := published[pan]
	switch {
	case !ok:
		return CodeApproved
	case stored && c.StoredCode != "":
		return c.StoredCode
	}
	return c.Code
}
