package paybox

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"guichet"
)

// exchangeWriter is the ResponseWriter of a hosted-page request whose
// exchange is recorded. The page helpers note on it what they showed, so
// that the log tells what happened without keeping whole HTML pages.
type exchangeWriter struct {
	http.ResponseWriter
	shop      string
	reference string
	code      string
	text      string
	request   string
}

// Unwrap lets http.ResponseController reach the server's writer.
func (x *exchangeWriter) Unwrap() http.ResponseWriter { return x.ResponseWriter }

// note records the outcome of a request, when it is recorded at all: a
// short code and a short text. The last note wins, as the page that went
// out is the last one shown.
func note(w http.ResponseWriter, code, text string) {
	if x, ok := w.(*exchangeWriter); ok {
		x.code, x.text = code, text
	}
}

// noteShop records the shop a request was authenticated for.
func noteShop(w http.ResponseWriter, shop *guichet.Shop) {
	if x, ok := w.(*exchangeWriter); ok {
		x.shop = shop.ID
	}
}

// noteOrder records an outcome on an order, naming the order, its
// reference and its shop.
func noteOrder(w http.ResponseWriter, ss *session, code string) {
	if x, ok := w.(*exchangeWriter); ok {
		x.shop, x.code, x.text, x.reference = ss.shop.ID, code, ss.order.ID, ss.order.Reference
	}
}

// noteForm records the merchant's form, masked as PPPS requests are, and
// the order reference it names.
func noteForm(w http.ResponseWriter, f Form) {
	if x, ok := w.(*exchangeWriter); ok {
		x.request, x.reference = maskForm(f), wireText(f.Value("PBX_CMD"))
	}
}

// recorded wraps a hosted-page handler so that each request it serves is
// recorded as one exchange. operation names the step; the entry's path
// is used when it is empty. A step that does not note its request gets
// its browser form recorded, card data masked.
func (s *System) recorded(operation string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		x := &exchangeWriter{ResponseWriter: w, code: "shown"}
		h(x, r)
		if x.request == "" && r.PostForm != nil {
			x.request = maskBrowserForm(r.PostForm)
		}
		op := operation
		if op == "" {
			op = r.URL.Path
		}
		recordExchange(r.Context(), s.svc, s.log, start, guichet.Exchange{ShopID: x.shop, Protocol: protocolSystem,
			Operation: op, Reference: x.reference, Code: x.code, Request: x.request, Response: x.text})
	}
}

// maskBrowserForm renders what a buyer's browser posted for the exchange
// log: the card number cut to its first six and last four digits, and the
// CVV left out altogether, since even its length is none of the log's
// business.
func maskBrowserForm(v url.Values) string {
	var f Form
	for _, name := range slices.Sorted(maps.Keys(v)) {
		if guichet.CVVField(name) {
			continue
		}
		for _, value := range v[name] {
			if strings.EqualFold(name, "number") {
				value = maskTypedPAN(value)
			}
			f = append(f, Pair{name, value})
		}
	}
	return maskForm(f)
}

// maskTypedPAN masks a card number as typed, spaces and dashes included:
// a number is masked like any other, and what does not look like one is
// hidden whole, as it may still be most of a card number.
func maskTypedPAN(typed string) string {
	pan := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, typed)
	digits := len(pan) >= 12 && len(pan) <= 19 && strings.Trim(pan, "0123456789") == ""
	if digits {
		return guichet.MaskPAN(pan)
	}
	return strings.Repeat("X", min(len(pan), 19))
}
