package guichet

import (
	"strings"
	"unicode/utf8"
)

// StorableText is the text a Store keeps, and looks up, for s: s itself when
// it is valid UTF-8 without NUL, as text from the fronts should be; else s
// with each NUL and each run of invalid bytes replaced by U+FFFD.
//
// Fronts decode their protocol's charset into UTF-8, but a store must not
// fail on what one of them let through: PostgreSQL refuses invalid UTF-8
// and NUL in text columns outright, and a refused write loses an
// acknowledged request or turns a valid one into a technical error. Both
// stores apply StorableText to every text they write and to every text
// they look up by, so that a value is found again by what was sent.
func StorableText(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}
