package paybox

import "unicode/utf8"

// wireText decodes a value as Paybox clients send it into UTF-8 text for
// the domain: the platform takes bytes, and its own pages and answers are in
// ISO-8859-1, so a value that is not valid UTF-8 is Latin-1, each byte one
// character. A value that is valid UTF-8 stays as it is, so that the many
// clients that send UTF-8 keep their text.
//
// Only the text handed to the core and the exchange log is decoded: HMACs
// are checked, and answers and returns echo values, on the bytes as sent.
// A Latin-1 value decoded here and encoded again by latin1 gives back the
// same bytes, so an answer built from the decoded text is byte-exact too.
func wireText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+len(s)/4)
	for i := 0; i < len(s); i++ {
		b = utf8.AppendRune(b, rune(s[i]))
	}
	return string(b)
}

// escapeURLBytes percent-encodes the bytes of a merchant's URL that are
// not valid UTF-8 (Latin-1 ones): a request line must not carry them raw,
// and the store keeps text as valid UTF-8 only, so the URL of a
// notification written with them raw would no longer be the merchant's.
// Decoded, the URL gives back the bytes the merchant sent.
func escapeURLBytes(u string) string {
	if utf8.ValidString(u) {
		return u
	}
	const hexDigits = "0123456789ABCDEF"
	b := make([]byte, 0, len(u)+16)
	for i := 0; i < len(u); {
		r, size := utf8.DecodeRuneInString(u[i:])
		if r == utf8.RuneError && size <= 1 {
			b = append(b, '%', hexDigits[u[i]>>4], hexDigits[u[i]&15])
			i++
			continue
		}
		b = append(b, u[i:i+size]...)
		i += size
	}
	return string(b)
}
