package guichet_test

import (
	"strings"
	"testing"

	"guichet"
)

func TestMaskCards(t *testing.T) {
	for _, tt := range []struct {
		in, want string
	}{
		{"", ""},
		{"PORTEUR=4012001037141112", "PORTEUR=401200XXXXXX1112"},
		// Glued to letters, in any field, in lower case.
		{"PORTEUR=4012001037141112X", "PORTEUR=401200XXXXXX1112X"},
		{"porteur=x4012001037141112&cvv=123", "porteur=x401200XXXXXX1112&cvv=123"},
		{"REFERENCE=cmd4012001037141112abc", "REFERENCE=cmd401200XXXXXX1112abc"},
		// Separated by spaces, dashes, dots or plus signs, as typed or
		// form-encoded.
		{"4012 0010 3714 1112", "4012 00XX XXXX 1112"},
		{"4012-0010-3714-1112", "4012-00XX-XXXX-1112"},
		{"4012.0010.3714.1112", "4012.00XX.XXXX.1112"},
		{"4012+0010+3714+1112", "4012+00XX+XXXX+1112"},
		{"1111222233334444 et 374907403001005", "111122XXXXXX4444 et 374907XXXXX1005"},
		{"café 36133990076017 é", "café 361339XXXX6017 é"},
		// Not cards: a failed Luhn check, too short, two separators.
		{"4012001037141113", "4012001037141113"},
		// A card inside a longer number is found at its offset.
		{"1111222233335555", "1111222XXX335555"},
		{"NUMQUESTION=0194102419&MONTANT=1000", "NUMQUESTION=0194102419&MONTANT=1000"},
		{"4012  0010  3714  1112", "4012  0010  3714  1112"},
		{"40120010371411", "40120010371411"},
	} {
		if got := guichet.MaskCards(tt.in); got != tt.want {
			t.Errorf("MaskCards(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMaskCardsGlued checks numbers glued to other digits: the card inside
// a longer run is found at its offset, whatever the digits around it.
func TestMaskCardsGlued(t *testing.T) {
	for _, in := range []string{"04012001037141112", "40120010371411129", "9994012001037141112999", "11112222333344449876543210"} {
		got := guichet.MaskCards(in)
		for _, pan := range []string{"4012001037141112", "1111222233334444"} {
			if strings.Contains(got, pan) {
				t.Errorf("MaskCards(%q) = %q, still holds %s", in, got, pan)
			}
		}
	}
}

func TestCVVField(t *testing.T) {
	for name, want := range map[string]bool{
		"CVV": true, "cvv": true, "Cvv2": true, "PBX_CVC": true, "cryptogramme": true, "card[cvx]": true,
		"PORTEUR": false, "REFERENCE": false, "PBX_CMD": false, "number": false,
	} {
		if got := guichet.CVVField(name); got != want {
			t.Errorf("CVVField(%q) = %v, want %v", name, got, want)
		}
	}
}

// FuzzMaskCards checks the masker's promises on any text: no run of 12 to
// 19 digits that passes the Luhn check survives, whether its digits are
// consecutive or separated; only digits change, into "X", so the output is
// never longer than the input; and masking twice changes nothing more.
func FuzzMaskCards(f *testing.F) {
	for _, s := range []string{"PORTEUR=4012001037141112X", "4012 0010 3714 1112", "x04012001037141112", "1111-2222-3333-4444",
		"a=1&b=22&c=333", "caf\xe9 4012001038443335", "11112222333344441111222233334444", "4012 0010-3714.1112"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := guichet.MaskCards(in)
		if len(out) != len(in) {
			t.Fatalf("MaskCards(%q) = %q: length %d, want %d", in, out, len(out), len(in))
		}
		for i := 0; i < len(in); i++ {
			if out[i] != in[i] && (out[i] != 'X' || in[i] < '0' || in[i] > '9') {
				t.Fatalf("MaskCards(%q) = %q: byte %d changed from %q to %q", in, out, i, in[i], out[i])
			}
		}
		if again := guichet.MaskCards(out); again != out {
			t.Fatalf("MaskCards is not idempotent: %q, then %q", out, again)
		}
		if pan := cardIn(out); pan != "" {
			t.Fatalf("MaskCards(%q) = %q, which still holds the card number %s", in, out, pan)
		}
	})
}

// cardIn returns a card number found in s, or "": a naive search, written
// apart from the masker, of every run of 12 to 19 digits, consecutive or
// separated by single separators.
func cardIn(s string) string {
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			continue
		}
		digits := []byte{s[i]}
		for j := i + 1; j < len(s) && len(digits) < 19; j++ {
			switch {
			case isDigit(s[j]):
				digits = append(digits, s[j])
			case strings.IndexByte(" -.+", s[j]) >= 0 && j+1 < len(s) && isDigit(s[j+1]):
				continue
			default:
				j = len(s)
				continue
			}
			if len(digits) >= 12 && guichet.LuhnValid(string(digits)) {
				return string(digits)
			}
		}
	}
	return ""
}

// BenchmarkMaskCards masks a Paybox Direct request as the exchange log
// records it.
func BenchmarkMaskCards(b *testing.B) {
	s := "VERSION=00104&TYPE=00003&SITE=1999888&RANG=032&CLE=XXXXXXXX&NUMQUESTION=194102419&DATEQ=23112026100000" +
		"&MONTANT=1990&DEVISE=978&REFERENCE=Commande 42&PORTEUR=4012001037141112&DATEVAL=1230&ACTIVITE=024"
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		guichet.MaskCards(s)
	}
}
