package paybox

import (
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

// String lays the answer out as UTF-8 text; latin1 turns it into the bytes
// sent. Values are not URL-encoded: the platform sends spaces and accents
// raw, and clients split on "&" and the first "=".
func (a *answer) String() string {
	var b strings.Builder
	b.Grow(256)
	field := func(name, value string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(value)
	}
	field("NUMTRANS", pad10(a.numTrans))
	field("NUMAPPEL", pad10(a.numAppel))
	field("NUMQUESTION", pad10(a.question))
	field("SITE", a.site)
	field("RANG", a.rang)
	field("AUTORISATION", a.authorization)
	field("CODEREPONSE", a.code)
	if a.comment != "" {
		field("COMMENTAIRE", a.comment)
	} else {
		field("COMMENTAIRE", comment(a.code))
	}
	field("REFABONNE", a.refAbonne)
	field("PORTEUR", a.porteur)
	for _, o := range []struct {
		name  string
		value *string
	}{{"PAYS", a.country}, {"TYPECARTE", a.cardType}, {"SHA-1", a.sha1}, {"STATUS", a.status}, {"REMISE", a.remise}} {
		if o.value != nil {
			field(o.name, *o.value)
		}
	}
	return b.String()
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
