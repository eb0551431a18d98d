package lyra

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// object is a JSON object of a request, read field by field so that each
// field that is missing or of the wrong type gets the error code of its
// own, as the platform answers. A null field counts as missing.
type object struct {
	fields map[string]json.RawMessage
	// path is where the object sits in the request, for error details.
	path string
}

// parseObject reads a request body, which must be one JSON object.
func parseObject(body []byte) (object, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var fields map[string]json.RawMessage
	if err := dec.Decode(&fields); err != nil {
		return object{}, fail("INT_902", decodeDetail(body, err))
	}
	if fields == nil {
		// The literal null, or an empty body: no parameters at all.
		fields = map[string]json.RawMessage{}
	}
	if dec.More() {
		return object{}, fail("INT_902", "can't decode JSON data : trailing data after the object")
	}
	return object{fields: fields}, nil
}

// decodeDetail describes a JSON error as the platform does, by line and
// column: "can't decode JSON data : line: 1 column: 1".
func decodeDetail(body []byte, err error) string {
	offset := int64(0)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case asError(err, &syntax):
		offset = syntax.Offset
	case asError(err, &typ):
		offset = typ.Offset
	}
	if offset > int64(len(body)) {
		offset = int64(len(body))
	}
	line, col := 1, 1
	for _, c := range body[:offset] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	if offset > 0 {
		col--
	}
	return fmt.Sprintf("can't decode JSON data : line: %d column: %d", line, col)
}

func asError[T error](err error, target *T) bool {
	t, ok := err.(T)
	if ok {
		*target = t
	}
	return ok
}

// marshalString is the JSON of a string.
func marshalString(s string) (json.RawMessage, error) { return json.Marshal(s) }

// raw returns a field's JSON, and false when it is missing or null.
func (o object) raw(name string) (json.RawMessage, bool) {
	v, ok := o.fields[name]
	if !ok || string(v) == "null" {
		return nil, false
	}
	return v, true
}

// has reports whether a field is present and not null.
func (o object) has(name string) bool {
	_, ok := o.raw(name)
	return ok
}

// name is a field's path in the request, for error details.
func (o object) name(field string) string {
	if o.path == "" {
		return field
	}
	return o.path + "." + field
}

// str reads a string field of at most max characters (0: no limit);
// anything else is refused with code.
func (o object) str(field, code string, max int) (string, error) {
	v, ok := o.raw(field)
	if !ok {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fail(code, o.name(field)+" must be a string")
	}
	if max > 0 && utf8.RuneCountInString(s) > max {
		return "", fail(code, fmt.Sprintf("%s is longer than %d characters", o.name(field), max))
	}
	return s, nil
}

// integer reads a whole number field; Lyra takes amounts as JSON numbers,
// and also as strings of digits (cart amounts are sent both ways).
func (o object) integer(field, code string) (int64, bool, error) {
	v, ok := o.raw(field)
	if !ok {
		return 0, false, nil
	}
	text := string(v)
	if strings.HasPrefix(text, `"`) {
		if err := json.Unmarshal(v, &text); err != nil {
			return 0, false, fail(code, o.name(field)+" must be an integer")
		}
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		// A number written 1.0e3 or 990.0 is whole, and taken.
		f, ferr := strconv.ParseFloat(text, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, false, fail(code, o.name(field)+" must be an integer")
		}
		n = int64(f)
	}
	return n, true, nil
}

// object reads an object field; a missing one is an empty object.
func (o object) object(field, code string) (object, error) {
	sub := object{fields: map[string]json.RawMessage{}, path: o.name(field)}
	v, ok := o.raw(field)
	if !ok {
		return sub, nil
	}
	if err := json.Unmarshal(v, &sub.fields); err != nil || sub.fields == nil {
		return sub, fail(code, o.name(field)+" must be an object")
	}
	return sub, nil
}

// objects reads an array of objects.
func (o object) objects(field, code string) ([]object, error) {
	v, ok := o.raw(field)
	if !ok {
		return nil, nil
	}
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, fail(code, o.name(field)+" must be an array of objects")
	}
	out := make([]object, len(list))
	for i, fields := range list {
		if fields == nil {
			return nil, fail(code, fmt.Sprintf("%s[%d] must be an object", o.name(field), i))
		}
		out[i] = object{fields: fields, path: fmt.Sprintf("%s[%d]", o.name(field), i)}
	}
	return out, nil
}

// strings reads a flat object of string values, keeping the order the
// merchant sent them in: metadata, which every answer echoes.
func (o object) stringMap(field, code string) ([][2]string, error) {
	v, ok := o.raw(field)
	if !ok {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	bad := fail(code, o.name(field)+" must be an object of strings")
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, bad
	}
	var out [][2]string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, bad
		}
		var value any
		if err := dec.Decode(&value); err != nil {
			return nil, bad
		}
		// Numbers and booleans are taken as the text they were sent as;
		// objects and arrays are not metadata.
		var s string
		switch x := value.(type) {
		case string:
			s = x
		case json.Number:
			s = x.String()
		case bool:
			s = strconv.FormatBool(x)
		case nil:
			continue
		default:
			return nil, bad
		}
		out = append(out, [2]string{k.(string), s})
	}
	return out, nil
}
