package paybox

import (
	"errors"
	"fmt"
	"guichet/internal/web"
	"strings"
)

// RetourVar is one variable of PBX_RETOUR: the name the merchant chose and
// the letter that says what the platform puts in it (spec §2.7).
type RetourVar struct {
	Name   string
	Letter byte
}

// retourLetters are the letters the platform documents. Anything else is
// refused rather than sent back empty, so that a typo in a merchant's
// configuration shows up on the first test payment.
const retourLetters = "MRTABCDEFGHIJKNOoPQSUWYZv"

// ParseRetour reads PBX_RETOUR, "name:L;name:L;…". A trailing ";" is
// tolerated because several clients send one. The signature K, if asked
// for, must come last: the platform only signs what precedes it, and a
// merchant who put variables after it would trust unsigned data. Names may
// not contain the characters that would break the query string they end
// up in, and may not repeat, since the merchant could not tell the copies
// apart.
func ParseRetour(s string) ([]RetourVar, error) {
	s = strings.TrimSuffix(s, ";")
	if s == "" {
		return nil, errors.New("no variable")
	}
	var vars []RetourVar
	seen := make(map[string]bool)
	for item := range strings.SplitSeq(s, ";") {
		name, letter, ok := strings.Cut(item, ":")
		switch {
		case !ok:
			return nil, fmt.Errorf("%q: no ':' between name and letter", item)
		case name == "":
			return nil, fmt.Errorf("%q: empty name", item)
		case strings.ContainsAny(name, "&=;:"):
			return nil, fmt.Errorf("%q: name contains '&', '=', ';' or ':'", item)
		case len(letter) != 1 || strings.IndexByte(retourLetters, letter[0]) < 0:
			return nil, fmt.Errorf("%q: unknown letter", item)
		case seen[name]:
			return nil, fmt.Errorf("%q: name used twice", item)
		case len(vars) > 0 && vars[len(vars)-1].Letter == 'K':
			return nil, fmt.Errorf("%q: the signature K must be the last variable", item)
		}
		seen[name] = true
		vars = append(vars, RetourVar{Name: name, Letter: letter[0]})
	}
	return vars, nil
}

// keptByte tells the bytes the platform leaves unescaped in return values
// (spec §2.8.3, recipe step 1). "@", "/", ":" and "," are left alone in
// real Paybox returns; copying that keeps the signed bytes identical to
// what a merchant would get from the real platform.
func keptByte(c byte) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-_.~@/:,;!*()'", c) >= 0
}

// EscapeValue percent-encodes a return value the way the platform does:
// every byte outside the kept set becomes %XX with upper-case hex, space
// included (%20, never "+", which clients would keep as a plus sign).
// Bytes are escaped as they are, without transcoding, so a Latin-1 value
// comes back as %E9 and a UTF-8 one as %C3%A9.
func EscapeValue(v string) string {
	return escape(v, keptByte)
}

// escapeSignature encodes the base64 of a signature. "/" must be escaped
// here although EscapeValue keeps it: the platform sends K with "+", "/"
// and "=" all encoded, and clients that split on the raw value expect it.
func escapeSignature(b64 string) string {
	return escape(b64, func(c byte) bool { return keptByte(c) && c != '/' })
}

// escape percent-encodes the bytes of v that keep refuses. It returns v
// itself when nothing needs escaping, the common case of codes and
// numbers.
func escape(v string, keep func(byte) bool) string {
	n := 0
	for i := 0; i < len(v); i++ {
		if !keep(v[i]) {
			n++
		}
	}
	if n == 0 {
		return v
	}
	const hexDigits = "0123456789ABCDEF"
	b := make([]byte, 0, len(v)+2*n)
	for i := 0; i < len(v); i++ {
		c := v[i]
		if keep(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
	}
	return string(b)
}

// leftOutWhenMissing are the letters the platform leaves out of a return,
// rather than sending them empty, when it has no value for them: the
// authorisation number A of a refusal (merchants test its presence), and
// the card expiry D when no card was typed. The Up2pay return of spec §6.2
// row 6, a buyer's cancellation, has neither A nor D but an empty N.
const leftOutWhenMissing = "AD"

// BuildReturn renders the return variables as name=value joined with "&",
// values escaped with EscapeValue, in the order of PBX_RETOUR.
//
// A letter missing from values is sent with an empty value, as the
// platform does (an empty card number on a cancellation, for instance),
// except those of leftOutWhenMissing.
//
// A K variable carries the signature of everything rendered before it, as
// transmitted (escaped), prefixed with signedPrefix and "&" when
// signedPrefix is not empty: on browser redirects the platform also signs
// the merchant URL's own query string. The base64 signature is escaped
// with "+", "/" and "=" encoded. Variables after K would be sent unsigned;
// ParseRetour does not let a merchant ask for that, but the rule is kept
// here so that BuildReturn never signs bytes it did not render first.
func BuildReturn(vars []RetourVar, values map[byte]string, signedPrefix string, sign func([]byte) (string, error)) (string, error) {
	var b strings.Builder
	for _, v := range vars {
		value, ok := values[v.Letter]
		if !ok && strings.IndexByte(leftOutWhenMissing, v.Letter) >= 0 {
			continue
		}
		if v.Letter == 'K' {
			if sign == nil {
				return "", errors.New("paybox: signature asked for but no signer")
			}
			data := b.String()
			switch {
			case signedPrefix != "" && data != "":
				data = signedPrefix + "&" + data
			case signedPrefix != "":
				data = signedPrefix
			}
			sig, err := sign([]byte(data))
			if err != nil {
				return "", fmt.Errorf("paybox: signing the return: %w", err)
			}
			value = escapeSignature(sig)
		} else if v.Letter == 'Q' {
			// The one time value of a recorded IPN has its colons
			// encoded (Q=18%3A07%3A30), although the colons of R stay
			// raw in another real return: the platform escapes Q on its
			// own terms.
			value = escape(value, func(c byte) bool { return c != ':' && keptByte(c) })
		} else if v.Letter == 'U' {
			// The platform sends the "++" separators of the wallet data
			// as they are, and merchant modules split the decoded value
			// on the spaces they become; escaping them would break that.
			value = escape(value, func(c byte) bool { return c == '+' || keptByte(c) })
		} else {
			value = EscapeValue(value)
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(v.Name)
		b.WriteByte('=')
		b.WriteString(value)
	}
	return b.String(), nil
}

// AppendQuery adds return variables to a merchant URL, after "?" or "&"
// depending on whether the URL already has a query string. Because the
// platform signs that query string too on browser redirects, the return
// must be rendered knowing it: AppendQuery hands the URL's existing query
// (the signedPrefix of BuildReturn, "" when there is none) to build and
// places what build renders. A fragment stays at the end, where browsers
// expect it; it is never sent to the merchant's server, so it is not
// signed.
func AppendQuery(target string, build func(signedPrefix string) (string, error)) (string, error) {
	base, _, _ := strings.Cut(target, "#")
	_, query, _ := strings.Cut(base, "?")
	ret, err := build(query)
	if err != nil {
		return "", err
	}
	return web.WithQuery(target, ret), nil
}
