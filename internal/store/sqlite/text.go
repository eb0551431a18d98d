package sqlite

import (
	"reflect"

	"guichet"
)

// storableArgs returns the arguments of a statement with every string made
// storable by guichet.StorableText, copying args only when one changes.
// SQLite itself would keep NUL and invalid UTF-8, but the two stores must
// keep the same text, and find a value again by the bytes it was written
// with: every statement goes through here, lookups as well as writes.
func storableArgs(args []any) []any {
	var out []any
	for i, a := range args {
		var s string
		switch v := a.(type) {
		case nil, int64, int, bool, []byte, float64:
			continue
		case string:
			s = v
		default:
			// Named string types (guichet.Brand, …) are strings to the
			// driver too.
			rv := reflect.ValueOf(a)
			if rv.Kind() != reflect.String {
				continue
			}
			s = rv.String()
		}
		if clean := guichet.StorableText(s); clean != s {
			if out == nil {
				out = append([]any(nil), args...)
			}
			out[i] = clean
		}
	}
	if out == nil {
		return args
	}
	return out
}

// storableExchange is e with its text as the store keeps it.
func storableExchange(e guichet.Exchange) guichet.Exchange {
	for _, f := range []*string{&e.ID, &e.ShopID, &e.Protocol, &e.Operation, &e.Reference, &e.Code, &e.Request, &e.Response} {
		*f = guichet.StorableText(*f)
	}
	return e
}
