package postgres

import (
	"reflect"

	"guichet"

	"github.com/jackc/pgx/v5/pgtype"
)

// storableArgs returns the arguments of a statement with every string made
// storable by guichet.StorableText, copying args only when one changes:
// PostgreSQL refuses NUL and invalid UTF-8 in text, and a front may let
// some through. Every statement that takes arguments passes them through
// here, lookups as well as writes, so that a value is found again by the
// bytes it was written with. (pgx encodes strings without asking the
// codecs of its type map, so this cannot be done there.)
func storableArgs(args []any) []any {
	var out []any
	set := func(i int, v any) {
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = v
	}
	for i, a := range args {
		switch v := a.(type) {
		case nil, int64, int, int32, bool, []byte, float64, pgtype.Timestamptz:
		case string:
			if clean := guichet.StorableText(v); clean != v {
				set(i, clean)
			}
		case pgtype.Text:
			if clean := guichet.StorableText(v.String); clean != v.String {
				set(i, pgtype.Text{String: clean, Valid: v.Valid})
			}
		case []string:
			var list []string
			for k, s := range v {
				if clean := guichet.StorableText(s); clean != s {
					if list == nil {
						list = append([]string(nil), v...)
					}
					list[k] = clean
				}
			}
			if list != nil {
				set(i, list)
			}
		default:
			// Named string types (guichet.Brand, …) are strings to the
			// driver too.
			if rv := reflect.ValueOf(a); rv.Kind() == reflect.String {
				if s := rv.String(); guichet.StorableText(s) != s {
					set(i, guichet.StorableText(s))
				}
			}
		}
	}
	if out == nil {
		return args
	}
	return out
}
