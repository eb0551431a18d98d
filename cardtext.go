package guichet

import "strings"

// MaskCards returns s with every card number it holds masked as MaskPAN
// masks one: any run of 12 to 19 digits that passes the Luhn check keeps its
// first six and last four digits, the others become "X". It looks for card
// numbers wherever they are (in any field, glued to letters or to other
// digits) because what the logs and the exchange log must never hold is the
// number, whatever a client called the field it put it in. Digits may be
// separated by one space, dash, dot or plus sign, as people and
// form encoders write card numbers; the separators are kept.
//
// A run of digits longer than a card number is checked at every offset, so
// a number with a digit glued before it is masked all the same. Some
// numbers that are not cards (one long digit run in ten passes the Luhn
// check) are masked too: the log loses a little, the card never leaks.
//
// The result has the length of s, and MaskCards(MaskCards(s)) equals
// MaskCards(s): masking only turns digits into "X", which splits runs, and
// every run left whole was checked already.
//
// MaskCards lives here, next to MaskPAN and LuhnValid, rather than in the
// vault: the fronts, the core, the log handler and the stores may all need
// it, and all of them may depend on this package, not on one another.
func MaskCards(s string) string {
	if countDigits(s) < 12 {
		return s
	}
	var out []byte
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		// pos holds the offsets of the run's digits in s.
		pos := []int{i}
		j := i + 1
		for j < len(s) {
			if isDigit(s[j]) {
				pos = append(pos, j)
				j++
				continue
			}
			if isCardSeparator(s[j]) && j+1 < len(s) && isDigit(s[j+1]) {
				pos = append(pos, j+1)
				j += 2
				continue
			}
			break
		}
		if hide := luhnWindows(s, pos); hide != nil {
			if out == nil {
				out = []byte(s)
			}
			for k, h := range hide {
				if h {
					out[pos[k]] = 'X'
				}
			}
		}
		i = j
	}
	if out == nil {
		return s
	}
	return string(out)
}

// luhnWindows returns, for the digits of s at pos, which ones to hide: those
// between the first six and the last four of every window of 12 to 19
// digits that passes the Luhn check. It returns nil when there are none.
// The Luhn sum is anchored at a number's last digit, so for each last digit
// it is extended leftwards one digit at a time: 19 steps per digit, however
// long the run.
func luhnWindows(s string, pos []int) []bool {
	if len(pos) < 12 {
		return nil
	}
	// depth[k] counts the windows that hide digit k: +1 where a hidden
	// stretch starts, -1 after it ends.
	var depth []int
	for end := 11; end < len(pos); end++ {
		sum := 0
		for n := 1; n <= 19 && end-n+1 >= 0; n++ {
			d := int(s[pos[end-n+1]] - '0')
			if n%2 == 0 {
				d *= 2
				if d > 9 {
					d -= 9
				}
			}
			sum += d
			if n >= 12 && sum%10 == 0 {
				if depth == nil {
					depth = make([]int, len(pos)+1)
				}
				start := end - n + 1
				depth[start+6]++
				depth[end-3]--
			}
		}
	}
	if depth == nil {
		return nil
	}
	hide := make([]bool, len(pos))
	level := 0
	for k := range hide {
		level += depth[k]
		hide[k] = level > 0
	}
	return hide
}

// CVVField reports whether a form field or log attribute named name holds a
// card verification value, whatever its case and prefix: "CVV", "cvv2",
// "PBX_CVC", "cryptogramme", "card[cvx]". Such values are left out of logs
// and of the exchange log altogether, as even their length is no one's
// business.
func CVVField(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"cvv", "cvc", "cvx", "cvn", "cryptogram"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isCardSeparator tells the characters people and encoders put between the
// groups of a card number.
func isCardSeparator(c byte) bool { return c == ' ' || c == '-' || c == '.' || c == '+' }
