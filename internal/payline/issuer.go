package payline

// The acquirer answers with the issuer's two-digit code; Payline speaks
// in its own five-digit 01xxx codes. bankCodes pairs them both ways: a
// code forced by the homologation simulator (an amount of 333.xx, a card
// whose tenth digit is 9) goes to the acquirer as its issuer code, and the
// issuer's answer comes back as the same Payline code. Each Payline code
// has the issuer code of the same meaning where ISO 8583 has one; the
// few that share a meaning get the nearest unused code, so that every
// forced code comes back as itself.
var bankCodes = []struct{ payline, issuer string }{
	{"00000", "00"},
	{"01103", "01"}, // refer to card issuer
	{"01108", "02"}, // refer to card issuer, special condition
	{"01109", "03"}, // invalid merchant
	{"01200", "04"}, // pick up card
	{"01100", "05"}, // do not honour
	{"01207", "07"}, // pick up card, special condition
	{"01902", "12"}, // invalid transaction
	{"01110", "13"}, // invalid amount
	{"01111", "14"}, // invalid card number
	{"01114", "15"}, // no such issuer
	{"01904", "30"}, // format error
	{"01201", "33"}, // expired card, pick up
	{"01202", "34"}, // suspected fraud, pick up
	{"01115", "40"}, // function not supported
	{"01208", "41"}, // lost card
	{"01209", "43"}, // stolen card
	{"01116", "51"}, // insufficient funds
	{"01101", "54"}, // expired card
	{"01117", "55"}, // incorrect PIN
	{"01118", "56"}, // no card record
	{"01119", "57"}, // not permitted to the cardholder
	{"01120", "58"}, // not permitted to the terminal
	{"01129", "59"}, // suspected fraud
	{"01121", "61"}, // exceeds the amount limit
	{"01122", "63"}, // security violation
	{"01131", "65"}, // the soft decline asking for strong authentication
	{"01206", "75"}, // PIN tries exceeded
	{"01123", "76"}, // frequency exceeded (nearest unused code)
	{"01125", "78"}, // card not active
	{"01130", "82"}, // wrong card security code
	{"01907", "91"}, // issuer unavailable
	{"01912", "92"}, // issuer unreachable
	{"01913", "94"}, // duplicate transmission
	{"01909", "96"}, // system malfunction
	{"01199", "99"}, // the acquirer's own failure
}

// refusedCode is the Payline code of an issuer answer bankCodes does not
// know: a plain refusal.
const refusedCode = "01100"

// paylineCode is the Payline code of an issuer's answer.
func paylineCode(issuer string) string {
	for _, c := range bankCodes {
		if c.issuer == issuer {
			return c.payline
		}
	}
	return refusedCode
}

// issuerCode is the issuer code a forced Payline code goes to the acquirer
// as, and false for a code the acquirer cannot be made to answer.
func issuerCode(payline string) (string, bool) {
	for _, c := range bankCodes {
		if c.payline == payline {
			return c.issuer, true
		}
	}
	return "", false
}
