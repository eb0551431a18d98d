package v4

import (
	"bytes"
	"encoding/json"
)

// Marshal encodes v as Lyra does: compact JSON, with "<", ">", "&" and
// non-ASCII text written literally and "/" never escaped, and no trailing
// newline. Its output is what gets signed, so it depends only on v.
//
// Calling encoding/json.Marshal on the types of this package instead gives
// the same keys but escapes "<", ">" and "&" as \u003c, \u003e and \u0026,
// which Lyra never does.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	// Encode ends every value with a newline that Lyra does not send.
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// typed encodes fields, the plain struct of an object, and appends the
// object's "_type" key, which Lyra always writes last. Each type's
// MarshalJSON passes itself converted to a local type without methods, so
// that the encoding does not recurse.
func typed(fields any, typeName string) ([]byte, error) {
	b, err := Marshal(fields)
	if err != nil {
		return nil, err
	}
	// b is an object: drop its closing brace, then add the type as the
	// last member. Type names are plain ASCII and need no escaping.
	b = b[:len(b)-1]
	if len(b) > 1 {
		b = append(b, ',')
	}
	b = append(b, `"_type":"`...)
	b = append(b, typeName...)
	b = append(b, `"}`...)
	return b, nil
}

// emptyIfNil returns s, or an empty slice when s is nil, for the lists that
// Lyra writes as [] rather than null when they have no element.
func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
