package smoney

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/checkout"
	"guichet/internal/core"
	"guichet/internal/web"
)

// maxBody caps a request's body.
const maxBody = 256 << 10

// API serves S-money's REST API: card payments, their refunds and
// schedules, under /api/{partner}/.
type API struct {
	svc   *core.Service
	log   *slog.Logger
	pages *checkout.Pages
}

// call is one authenticated request.
type call struct {
	ctx     context.Context
	shop    *guichet.Shop
	acct    *Account
	version int
	// user is the appUserId of a path under users/{appUserId}/, "" for
	// the partner's own.
	user string
	// base is the API's base URL as the client called it, with the
	// partner: links point under it.
	base  string
	body  []byte
	query url.Values
}

// apiFailure is an answer that is an error: its HTTP status and body.
type apiFailure struct {
	status int
	body   apiErrorBody
}

func (f *apiFailure) Error() string {
	return fmt.Sprintf("%d %d %s", f.status, f.body.Code, f.body.ErrorMessage)
}

// failure makes an error answer.
func failure(status, code int, message string) *apiFailure {
	return &apiFailure{status: status, body: apiErrorBody{Code: code, ErrorMessage: message, Title: http.StatusText(status), Priority: 1}}
}

// fromAPIError is the answer to a request the model refuses.
func fromAPIError(e *apiError) *apiFailure {
	return failure(e.Status, e.Code, e.Message)
}

// refusal is the answer to a refusal of the core, with S-money's code for
// its reason (reasonCodes), and nil for an error that is none (the store
// failed), which is the technical error.
func refusal(err error) *apiFailure {
	code := reasonCodes[guichet.ErrorReason(err)]
	if code == "" || guichet.ErrorCode(err) == guichet.CodeInternal || guichet.ErrorCode(err) == guichet.CodeUnavailable {
		return nil
	}
	n, _ := strconv.Atoi(code)
	return failure(http.StatusBadRequest, n, guichet.ErrorMessage(err))
}

// mediaType matches S-money's vendor media types.
var mediaType = regexp.MustCompile(`(?i)application/vnd\.s-money\.v(\d+)\+(json|xml)`)

// version is the API version a request asks for, by its Accept header,
// else its Content-Type: 1 when it names none, as the platform defaults.
func version(r *http.Request) (int, *apiFailure) {
	for _, h := range []string{r.Header.Get("Accept"), r.Header.Get("Content-Type")} {
		m := mediaType.FindStringSubmatch(h)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		switch {
		case strings.EqualFold(m[2], "xml"):
			return 0, failure(http.StatusNotAcceptable, 177, "only JSON is served: application/vnd.s-money.v"+m[1]+"+json")
		case n < 1 || n > 3:
			return 0, failure(http.StatusNotAcceptable, 177, "unknown API version v"+m[1]+": v1, v2 and v3 are served")
		}
		return n, nil
	}
	return 1, nil
}

// ServeHTTP routes a call under /api/{partner}/.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, f := a.authenticate(r)
	if f != nil {
		a.answer(w, r, 1, f)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		a.answer(w, r, c.version, failure(http.StatusRequestEntityTooLarge, 178, fmt.Sprintf("the body exceeds %d bytes", maxBody)))
		return
	}
	c.body, c.query = body, r.URL.Query()
	path := strings.Split(strings.Trim(r.PathValue("path"), "/"), "/")
	if len(path) >= 2 && strings.EqualFold(path[0], "users") {
		c.user, path = path[1], path[2:]
	}
	start := time.Now()
	status, out := a.answer(w, r, c.version, a.run(c, r.Method, path))
	a.record(r, c, start, status, out)
}

// record writes an authenticated call to the exchange log, after its
// answer went out: card numbers masked, as everywhere in the log.
func (a *API) record(r *http.Request, c *call, start time.Time, status int, out []byte) {
	// The reference is the OrderId the body names, else the one the
	// path does (payins/cardpayments/{orderId}/…).
	var body struct{ OrderId any }
	json.Unmarshal(c.body, &body)
	reference := ""
	if body.OrderId != nil {
		reference = fmt.Sprint(body.OrderId)
	} else if parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/"); len(parts) >= 5 && strings.EqualFold(parts[3], "cardpayments") {
		reference, _ = url.PathUnescape(parts[4])
	}
	code := strconv.Itoa(status)
	var answer struct{ Code any }
	if json.Unmarshal(out, &answer) == nil && answer.Code != nil {
		code = fmt.Sprint(answer.Code)
	}
	e := guichet.Exchange{ID: a.svc.NewID("exc_"), ShopID: c.shop.ID, Protocol: protocol, Operation: r.Method + " " + r.URL.Path,
		Reference: guichet.StorableText(reference), Code: code, At: start, Duration: time.Since(start),
		Request: guichet.MaskCards(guichet.StorableText(string(c.body))), Response: guichet.MaskCards(guichet.StorableText(string(out)))}
	if err := a.svc.RecordExchange(context.WithoutCancel(r.Context()), e); err != nil {
		a.log.Warn("exchange not recorded", "err", err)
	}
}

// run routes a call; a failure to run it, a bug included, is the
// platform's technical error: nothing is half written, as every change is
// one unit of work.
func (a *API) run(c *call, method string, path []string) (out any) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("smoney: panic", "path", strings.Join(path, "/"), "panic", p)
			out = failure(http.StatusServiceUnavailable, 1, "technical error; try again")
		}
	}()
	return a.route(c, method, path)
}

// route runs the operation a path and method name. Paths are matched
// without regard to case, as the platform's are.
func (a *API) route(c *call, method string, path []string) any {
	switch {
	case len(path) >= 1 && strings.EqualFold(path[0], "cards"):
		return a.cardsPath(c, method, path[1:])
	case len(path) >= 2 && strings.EqualFold(path[0], "payins") && strings.EqualFold(path[1], "storedcardpayments"):
		return a.storedPath(c, method, path[2:])
	}
	if len(path) < 2 || !strings.EqualFold(path[0], "payins") || !strings.EqualFold(path[1], "cardpayments") {
		return failure(http.StatusNotFound, 177, "no such resource: card payments are under payins/cardpayments")
	}
	rest := path[2:]
	switch {
	case len(rest) == 0 && method == http.MethodPost:
		return a.createCardPayment(c)
	case len(rest) == 0 && method == http.MethodGet:
		return a.listCardPayments(c)
	case len(rest) == 1 && method == http.MethodGet:
		return a.getCardPayment(c, rest[0])
	case len(rest) == 3 && method == http.MethodGet && strings.EqualFold(rest[1], "payments"):
		return a.getSubPayment(c, rest[0], rest[2])
	case len(rest) == 4 && method == http.MethodPost && strings.EqualFold(rest[1], "payments") && strings.EqualFold(rest[3], "refunds"):
		return failure(http.StatusBadRequest, 362, "refunding one payment of a payment to several recipients is not offered: refund the payment itself")
	case len(rest) == 2 && method == http.MethodPost && strings.EqualFold(rest[1], "refunds"):
		return a.refund(c, rest[0], 0)
	case len(rest) == 3 && method == http.MethodPost && strings.EqualFold(rest[2], "refunds"):
		seq, err := strconv.Atoi(rest[1])
		if err != nil || seq < 1 {
			return failure(http.StatusNotFound, 177, "no instalment "+rest[1])
		}
		return a.refund(c, rest[0], seq)
	case len(rest) == 2 && method == http.MethodPut:
		seq, err := strconv.Atoi(rest[1])
		if err != nil || seq < 1 {
			return failure(http.StatusNotFound, 177, "no instalment "+rest[1])
		}
		return a.updateInstalment(c, rest[0], seq)
	}
	return failure(http.StatusMethodNotAllowed, 177, method+" is not an operation of this resource")
}

// authenticate finds the shop of a call's bearer token, whose partner
// domain must be the path's.
func (a *API) authenticate(r *http.Request) (*call, *apiFailure) {
	v, f := version(r)
	if f != nil {
		return nil, f
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	token = strings.TrimSpace(token)
	if !ok || token == "" {
		return nil, failure(http.StatusUnauthorized, 570, "the OAuth token is invalid")
	}
	shop, err := a.svc.ShopByCredential(r.Context(), protocol, token)
	if err != nil {
		if guichet.ErrorCode(err) != guichet.CodeNotFound {
			a.log.Error("smoney: application not read", "err", err)
			return nil, failure(http.StatusServiceUnavailable, 1, "the service is unavailable; try again")
		}
		return nil, failure(http.StatusUnauthorized, 570, "the OAuth token is invalid")
	}
	acct, ok, err := AccountOf(shop)
	if err != nil || !ok || !acct.tokenIs(token) {
		return nil, failure(http.StatusUnauthorized, 570, "the OAuth token is invalid")
	}
	if !strings.EqualFold(r.PathValue("partner"), acct.Partner) {
		return nil, failure(http.StatusUnauthorized, 362, "the operation is not authorised for this partner")
	}
	base := web.BaseURL(r) + "/api/" + acct.Partner
	return &call{ctx: r.Context(), shop: shop, acct: acct, version: v, base: base}, nil
}

// created marks an answer that created its resource (HTTP 201).
type created struct{ v any }

// list is an answer listing resources, with their total count.
type list struct {
	items any
	total int
}

// answer writes an operation's answer in the version's media type: a
// resource, a list with its Total-count, or an error. A failure of the
// store is the platform's technical error, never a server error's page.
func (a *API) answer(w http.ResponseWriter, r *http.Request, v int, out any) (int, []byte) {
	status := http.StatusOK
	switch o := out.(type) {
	case created:
		status, out = http.StatusCreated, o.v
	case list:
		w.Header().Set("Total-count", strconv.Itoa(o.total))
		out = o.items
	case *apiFailure:
		status, out = o.status, o.body
	case error:
		var f *apiFailure
		var e *apiError
		switch {
		case errors.As(o, &f):
			status, out = f.status, f.body
		case errors.As(o, &e):
			ff := fromAPIError(e)
			status, out = ff.status, ff.body
		default:
			ff := refusal(o)
			if ff == nil {
				a.log.Error("smoney: operation failed", "path", r.URL.Path, "err", o)
				ff = failure(http.StatusServiceUnavailable, 1, "technical error; try again")
			}
			status, out = ff.status, ff.body
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(out)
	w.Header().Set("Content-Type", fmt.Sprintf("application/vnd.s-money.v%d+json; charset=utf-8", max(v, 1)))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return status, buf.Bytes()
}

// now is the time on the shop's clock.
func (c *call) now(svc *core.Service) time.Time { return svc.Now(c.shop) }
