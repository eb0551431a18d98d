package paybox

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// answer is a Paybox Direct answer. Its fields are written in the one order
// the platform uses; the optional ones only when the client asked for them
// (by sending the field, usually empty) or when the operation has them.
type answer struct {
	numTrans, numAppel int64
	question           int64
	site, rang         string
	authorization      string
	code               string
	comment            string // overrides the code's usual COMMENTAIRE
	refAbonne, porteur string

	country, cardType, sha1 *string // nil: not asked for
	status, remise          *string // inquiries only
}

// fields lists the answer's fields in the platform's order, values in
// UTF-8.
func (a *answer) fields() [][2]string {
	comment := a.comment
	if comment == "" {
		comment = commentOf(a.code)
	}
	f := make([][2]string, 0, 15)
	f = append(f,
		[2]string{"NUMTRANS", pad10(a.numTrans)}, [2]string{"NUMAPPEL", pad10(a.numAppel)},
		[2]string{"NUMQUESTION", pad10(a.question)}, [2]string{"SITE", a.site}, [2]string{"RANG", a.rang},
		[2]string{"AUTORISATION", a.authorization}, [2]string{"CODEREPONSE", a.code},
		[2]string{"COMMENTAIRE", comment}, [2]string{"REFABONNE", a.refAbonne}, [2]string{"PORTEUR", a.porteur})
	for _, o := range []struct {
		name  string
		value *string
	}{{"PAYS", a.country}, {"TYPECARTE", a.cardType}, {"SHA-1", a.sha1}, {"STATUS", a.status}, {"REMISE", a.remise}} {
		if o.value != nil {
			f = append(f, [2]string{o.name, *o.value})
		}
	}
	return f
}

// String lays the answer out as UTF-8 text, for the exchange log. Values
// are not URL-encoded: the platform sends spaces and accents raw, and
// clients split on "&" and the first "=".
func (a *answer) String() string {
	var b strings.Builder
	b.Grow(256)
	for i, f := range a.fields() {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(f[0])
		b.WriteByte('=')
		b.WriteString(f[1])
	}
	return b.String()
}

// Bytes is the answer as sent, in ISO-8859-1. With urlEncode, asked for
// by URL_ENCODE=O, every value is form-encoded after its conversion to
// Latin-1, so that a client may decode the answer as a query string.
func (a *answer) Bytes(urlEncode bool) []byte {
	if !urlEncode {
		return latin1(a.String())
	}
	var b []byte
	for i, f := range a.fields() {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, f[0]...)
		b = append(b, '=')
		b = append(b, url.QueryEscape(string(latin1(f[1])))...)
	}
	return b
}

func pad10(n int64) string {
	s := strconv.FormatInt(n, 10)
	if len(s) >= 10 {
		return s
	}
	return strings.Repeat("0", 10-len(s)) + s
}

// latin1 encodes UTF-8 text in ISO-8859-1, the charset of Paybox Direct
// answers. Bytes that are not valid UTF-8 are echoed values a client sent
// in Latin-1 already, and pass through unchanged; characters outside
// Latin-1 become "?".
func latin1(s string) []byte {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b = append(b, s[i])
		case r < 0x100:
			b = append(b, byte(r))
		default:
			b = append(b, '?')
		}
		i += size
	}
	return b
}
