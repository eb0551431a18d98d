package paybox

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"
)

// Pair is one name=value of a form, decoded to the bytes the client meant.
type Pair struct {
	Name, Value string
}

// pairJSON is a Pair as JSON. A name or value that is not valid UTF-8 (a
// Latin-1 PBX_CMD) has its bytes in RawName or RawValue, as JSON strings
// cannot hold them: Paybox System keeps an order's form as JSON, and
// echoes PBX_CMD byte for byte in its returns and signs them so.
type pairJSON struct {
	Name     string
	Value    string
	RawName  []byte `json:",omitempty"`
	RawValue []byte `json:",omitempty"`
}

// MarshalJSON writes p without losing a byte.
func (p Pair) MarshalJSON() ([]byte, error) {
	j := pairJSON{Name: p.Name, Value: p.Value}
	if !utf8.ValidString(p.Name) {
		j.Name, j.RawName = wireText(p.Name), []byte(p.Name)
	}
	if !utf8.ValidString(p.Value) {
		j.Value, j.RawValue = wireText(p.Value), []byte(p.Value)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote, and the plain pairs written
// before it was.
func (p *Pair) UnmarshalJSON(b []byte) error {
	var j pairJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	p.Name, p.Value = j.Name, j.Value
	if j.RawName != nil {
		p.Name = string(j.RawName)
	}
	if j.RawValue != nil {
		p.Value = string(j.RawValue)
	}
	return nil
}

// Form is a decoded form in the order it was sent, duplicates kept. Paybox
// signs fields in the order the merchant posted them, so the order is part
// of the data (net/url's Values loses it).
type Form []Pair

// Get returns the first value of name and whether it was present at all:
// clients ask for optional answer fields by sending them empty.
func (f Form) Get(name string) (string, bool) {
	for _, p := range f {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// Value returns the first value of name, or "".
func (f Form) Value(name string) string {
	v, _ := f.Get(name)
	return v
}

var errEscape = errors.New("invalid percent-encoding")

// ParseForm splits an application/x-www-form-urlencoded body (or query
// string) into pairs, decoding "+" and "%XX" to bytes without any charset
// conversion. Empty segments ("a=1&&b=2") are skipped; a segment without
// "=" is a name with an empty value, as PHP reads it.
func ParseForm(raw string) (Form, error) {
	var f Form
	for raw != "" {
		var seg string
		seg, raw, _ = strings.Cut(raw, "&")
		if seg == "" {
			continue
		}
		name, value, _ := strings.Cut(seg, "=")
		n, err := unescape(name)
		if err != nil {
			return nil, err
		}
		v, err := unescape(value)
		if err != nil {
			return nil, err
		}
		f = append(f, Pair{n, v})
	}
	return f, nil
}

// unescape decodes form encoding. It is strict about "%": a stray percent
// sign is an error, as the platform rejects such frames.
func unescape(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, nil
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b = append(b, ' ')
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return "", errEscape
			}
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b), nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
