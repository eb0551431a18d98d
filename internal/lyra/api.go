package lyra

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"guichet"
	"guichet/internal/core"
	v4 "guichet/internal/lyra/v4"
	"guichet/internal/web"
)

// applicationVersion is the platform build the envelopes announce: the
// newest one recorded (Order/Get, January 2025).
const applicationVersion = "6.25.0"

// maxBody caps a request. The largest legitimate ones (a cart of many
// items, long addresses) stay far below it; beyond it the platform answers
// INT_914.
const maxBody = 256 << 10

// API serves Lyra's REST API V4: one POST per web service, answered in a
// JSON envelope, business errors included.
type API struct {
	svc *core.Service
	log *slog.Logger
	// newUUID makes the 32-hex identifiers of transactions and tickets;
	// tests replace it.
	newUUID func() string
}

// call is one authenticated web service call.
type call struct {
	ctx     context.Context
	service string
	shop    *guichet.Shop
	acct    *Account
	mode    guichet.Mode
	req     object
	body    []byte
	// reference is the order or transaction the call is about, for the
	// exchange log.
	reference string
	// host is the base URL of guichet as the client called it, which
	// links point to.
	host string
}

// service is a web service: it returns the answer object, or an error
// that asFailure turns into an error envelope.
type service func(a *API, c *call) (any, error)

// services are the web services guichet serves, by "<Service>/<Method>".
var services map[string]service

func init() {
	services = map[string]service{
		"Charge/SDKTest":             (*API).sdkTest,
		"Charge/CreatePayment":       (*API).createPayment,
		"Charge/CreateToken":         (*API).createToken,
		"Transaction/Get":            (*API).transactionGet,
		"Order/Get":                  (*API).orderGet,
		"Transaction/CancelOrRefund": (*API).cancelOrRefund,
		"Transaction/Cancel":         (*API).cancel,
		"Transaction/Refund":         (*API).refund,
		"Transaction/Validate":       (*API).validate,
		"Transaction/Update":         (*API).update,
		"Transaction/Duplicate":      (*API).duplicate,
		"Token/Get":                  (*API).tokenGet,
		"Token/Cancel":               (*API).tokenCancel,
		"Token/Reactivate":           (*API).tokenReactivate,
		"Charge/CreateSubscription":  (*API).createSubscription,
		"Subscription/Get":           (*API).subscriptionGet,
		"Subscription/Update":        (*API).subscriptionUpdate,
		"Subscription/Cancel":        (*API).subscriptionCancel,
		"Charge/CreatePaymentOrder":  (*API).createPaymentOrder,
		"Charge/PaymentOrder/Get":    (*API).paymentOrderGet,
		"Charge/PaymentOrder/Cancel": (*API).paymentOrderCancel,
	}
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	name := r.PathValue("service")
	env := v4.Response{WebService: name, ApplicationVersion: applicationVersion, Status: v4.StatusSuccess,
		Ticket: a.newUUID(), ApplicationProvider: provider(r.Host), Mode: v4.ModeTest, ServerURL: web.BaseURL(r)}
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	c, answer, err := a.serve(r, name, body, readErr)
	env.ServerDate = v4.Time{Time: time.Now()}
	if c != nil {
		env.Mode = string(c.mode)
		env.ServerDate = v4.Time{Time: a.svc.Now(c.shop)}
	}
	code := v4.StatusSuccess
	if err != nil {
		f := asFailure(err, opAny)
		if f.code == "PSP_999" {
			a.log.Error("lyra: web service failed", "service", name, "err", err)
		}
		env.Status, code = v4.StatusError, f.code
		e := v4.WebServiceError{ErrorCode: f.code, ErrorMessage: f.message}
		if f.detailedCode != "" {
			e.DetailedErrorCode = &f.detailedCode
		}
		if f.detailedMessage != "" {
			e.DetailedErrorMessage = &f.detailedMessage
		}
		if c != nil {
			e.ShopID = c.acct.ShopID
		} else if user, _, ok := r.BasicAuth(); ok {
			e.ShopID = user
		}
		answer = e
	}
	env.Answer = answer
	out, merr := v4.Marshal(env)
	if merr != nil {
		a.log.Error("lyra: answer not encoded", "service", name, "err", merr)
		out = []byte(`{"status":"ERROR"}`)
	}
	// Every answer, errors included, is a 200 with its envelope: the
	// platform's clients read the status inside, and some refuse any
	// other HTTP status.
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Write(out)

	e := guichet.Exchange{Protocol: protocol, Operation: guichet.StorableText(name), Code: code,
		Request: maskJSON(body), Response: maskJSON(out)}
	if c != nil {
		e.ShopID, e.Reference = c.shop.ID, guichet.StorableText(c.reference)
	}
	a.record(r.Context(), start, e)
}

// serve authenticates a call and runs its web service.
func (a *API) serve(r *http.Request, name string, body []byte, readErr error) (c *call, answer any, err error) {
	defer func() {
		// Even a bug answers in the protocol, with a technical error;
		// nothing is half written, as every change is one unit of work.
		if p := recover(); p != nil {
			a.log.Error("lyra: panic", "service", name, "panic", p)
			answer, err = nil, fail("PSP_999")
		}
	}()
	c, err = a.authenticateCall(r)
	if err != nil {
		return nil, nil, err
	}
	c.service = name
	run := services[name]
	switch {
	case run == nil && strings.HasPrefix(name, "PCI/"):
		return c, nil, fail("INT_913")
	case run == nil:
		return c, nil, fail("INT_901", "unknown web service "+name)
	case r.Method != http.MethodPost:
		return c, nil, fail("INT_902", "web services are called with POST")
	case readErr != nil:
		var tooBig *http.MaxBytesError
		if errors.As(readErr, &tooBig) {
			return c, nil, fail("INT_914")
		}
		return c, nil, fail("INT_902", "can't read the request body")
	}
	c.body = body
	if c.req, err = parseObject(body); err != nil {
		return c, nil, err
	}
	answer, err = run(a, c)
	return c, answer, err
}

// authenticateCall finds the shop of a call's Basic credentials: the user is
// the shop id, the password one of its keys, whose mode must be the
// shop's.
func (a *API) authenticateCall(r *http.Request) (*call, error) {
	user, password, ok := r.BasicAuth()
	if !ok || user == "" {
		return nil, fail("INT_905")
	}
	shop, err := a.svc.ShopByCredential(r.Context(), protocol, user)
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return nil, fail("INT_905")
	}
	if err != nil {
		return nil, err
	}
	acct, _, err := AccountOf(shop)
	if err != nil || acct == nil {
		return nil, fail("PSP_999")
	}
	mode := acct.passwordMode(password)
	switch {
	case mode == "" && shop.IsTest() && keyMode(password) == guichet.ModeProduction && strings.HasPrefix(password, prodPasswordPrefix):
		// A production key for a shop still in test: the platform
		// refuses production until the shop is activated.
		return nil, fail("PSP_109")
	case mode == "" || mode != shop.Mode:
		return nil, fail("INT_905")
	}
	return &call{ctx: r.Context(), shop: shop, acct: acct, mode: mode, host: web.BaseURL(r)}, nil
}

// provider is the brand an API host belongs to, as its envelopes name it.
func provider(host string) string {
	h := strings.ToLower(host)
	for _, brand := range []string{"payzen", "systempay", "sogecommerce", "scellius", "clicandpay", "osb", "epaync", "micuentaweb", "payty"} {
		if strings.Contains(h, brand) {
			return strings.ToUpper(brand)
		}
	}
	return "LYRA"
}

// record writes an exchange to the log, after the answer went out.
func (a *API) record(ctx context.Context, start time.Time, e guichet.Exchange) {
	e.ID, e.At, e.Duration = a.svc.NewID("exc_"), start, time.Since(start)
	if err := a.svc.RecordExchange(context.WithoutCancel(ctx), e); err != nil {
		a.log.Warn("exchange not recorded", "err", err)
	}
}

// maskJSON is a body as the exchange log keeps it: card numbers masked and
// security codes blanked, whatever the field names.
func maskJSON(body []byte) string {
	text := guichet.StorableText(string(body))
	var v any
	if err := json.Unmarshal(body, &v); err == nil {
		if blankCVV(v) {
			if b, err := v4.Marshal(v); err == nil {
				text = string(b)
			}
		}
	}
	return guichet.MaskCards(text)
}

// blankCVV replaces the values of security code fields, and reports
// whether it found any.
func blankCVV(v any) bool {
	found := false
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if guichet.CVVField(k) || strings.EqualFold(k, "securityCode") {
				x[k], found = "***", true
				continue
			}
			found = blankCVV(val) || found
		}
	case []any:
		for _, val := range x {
			found = blankCVV(val) || found
		}
	}
	return found
}

// newUUID returns 32 random hexadecimal digits, as Lyra's identifiers are,
// drawn again while they hold a run of twelve digits or more: the log
// masker would take such a run for a card number.
func newUUID() string {
	var b [16]byte
	for {
		rand.Read(b[:])
		s := hex.EncodeToString(b[:])
		if longestDigitRun(s) < 12 {
			return s
		}
	}
}

func longestDigitRun(s string) int {
	longest, run := 0, 0
	for _, c := range s {
		if '0' <= c && c <= '9' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}
