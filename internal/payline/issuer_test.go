package payline

import "testing"

// TestBankCodes: every code the homologation simulator can force goes to
// the acquirer and comes back as itself, and each is a code of the table.
func TestBankCodes(t *testing.T) {
	issuers := map[string]string{}
	for _, c := range bankCodes {
		if prev, ok := issuers[c.issuer]; ok {
			t.Errorf("issuer code %s stands for %s and %s", c.issuer, prev, c.payline)
		}
		issuers[c.issuer] = c.payline
		_ = result(c.payline) // panics on a code the table lacks
	}
	for amount, code := range simulatedAmounts {
		issuer, ok := issuerCode(code)
		if !ok {
			t.Errorf("amount %d forces %s, which no issuer code answers", amount, code)
			continue
		}
		if back := paylineCode(issuer); back != code {
			t.Errorf("forced %s went as %s and came back as %s", code, issuer, back)
		}
	}
	if got := paylineCode("Z9"); got != refusedCode {
		t.Errorf("unknown issuer answer: %s, want %s", got, refusedCode)
	}
}
