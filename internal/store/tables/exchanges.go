package tables

import (
	"reflect"

	"guichet"
)

// Exchanges maps the exchange log. An exchange's size is what it counts for
// in the log's totals (guichet.ExchangeSize), so its text must be storable
// before Append measures it (StorableExchange). Scan reads the size and
// drops it, since it is no part of the exchange.
var Exchanges = Table[guichet.Exchange]{
	Name:    "exchanges",
	Columns: "id, shop_id, protocol, operation, reference, code, request, response, at, duration_ns, size",
	Append: func(d Dialect, args []any, e guichet.Exchange) []any {
		return append(args, e.ID, e.ShopID, e.Protocol, e.Operation, e.Reference, e.Code, e.Request, e.Response,
			d.Time(e.At), int64(e.Duration), guichet.ExchangeSize(e))
	},
	Scan: func(d Dialect, row Row, e *guichet.Exchange) error {
		var size int64
		return row.Scan(&e.ID, &e.ShopID, &e.Protocol, &e.Operation, &e.Reference, &e.Code, &e.Request, &e.Response,
			d.ScanTime(&e.At), (*int64)(&e.Duration), &size)
	},
}

// StorableExchange is e with its text as the stores keep it.
func StorableExchange(e guichet.Exchange) guichet.Exchange {
	for _, f := range []*string{&e.ID, &e.ShopID, &e.Protocol, &e.Operation, &e.Reference, &e.Code, &e.Request, &e.Response} {
		*f = guichet.StorableText(*f)
	}
	return e
}

// StorableArgs returns the arguments of a statement with every string made
// storable by guichet.StorableText, copying args only when one changes.
// PostgreSQL refuses NUL and invalid UTF-8 in text, and a front may let some
// through; SQLite would keep them, but both stores must keep the same text,
// and find a value again by the bytes it was written with. So every
// statement of both goes through here, lookups as well as writes.
func StorableArgs(args []any) []any {
	var out []any
	set := func(i int, v any) {
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = v
	}
	for i, a := range args {
		switch v := a.(type) {
		case nil, int64, int, int32, bool, []byte, float64:
		case string:
			if clean := guichet.StorableText(v); clean != v {
				set(i, clean)
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
			// drivers too. Asking a value its kind costs no allocation.
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
