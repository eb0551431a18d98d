package backoffice

import (
	"context"
	"net/url"
	"strings"

	"guichet"
)

// referenceFields names, by protocol, the request field that holds the
// merchant's order reference. Exchanges of other protocols, and steps
// whose request holds no reference (a buyer's card form), never match.
var referenceFields = map[string]string{
	"ppps":          "REFERENCE",
	"paybox-system": "PBX_CMD",
}

// maxReferenceScan bounds how many of the newest exchanges a search by
// reference reads. Exchanges hold whole requests, KWIXO forms of tens of
// kilobytes among them, so reading them all could take the memory of a
// busy gateway.
const maxReferenceScan = 5000

// exchangesByReference lists the newest exchanges, at most f.Limit, whose
// request carries the reference ref.
//
// The store keeps no reference of its own for an exchange, and filters only
// by shop: the reference is read from each recorded request here. Reading
// just f.Limit exchanges and filtering them would return fewer matches than
// there are, or none, as soon as other traffic came after them. So the
// window of newest exchanges read grows until it holds enough matches or
// all the exchanges there are. complete is false when the window reached
// maxReferenceScan first: older matches may exist.
func (a *API) exchangesByReference(ctx context.Context, f guichet.ExchangeFilter, ref string) (list []guichet.Exchange, complete bool, err error) {
	want := f.Limit
	window := want
	for {
		f.Limit = window
		all, err := a.svc.Store().Exchanges(ctx, f)
		if err != nil {
			return nil, false, err
		}
		list = list[:0]
		for _, e := range all {
			if field, ok := referenceFields[e.Protocol]; ok && formHas(e.Request, field, ref) {
				list = append(list, e)
			}
		}
		if len(list) >= want {
			return list[:want], true, nil
		}
		if len(all) < window {
			return list, true, nil
		}
		if window >= maxReferenceScan {
			return list, false, nil
		}
		window = min(window*4, maxReferenceScan)
	}
}

// formHas tells whether the form-encoded request holds the field name with
// exactly the value want. Each pair is decoded before it is compared, so
// that "REF=a%26b" matches the reference "a&b" and "REF=ab" does not match
// "a". A pair that does not decode is compared as it was recorded.
func formHas(raw, name, want string) bool {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		k, v, _ := strings.Cut(pair, "=")
		if decode(k) == name && decode(v) == want {
			return true
		}
	}
	return false
}

func decode(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}
