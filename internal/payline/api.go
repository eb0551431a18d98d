package payline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"

	"guichet"
	"guichet/internal/checkout"
	"guichet/internal/core"
	"guichet/internal/payline/soap"
	"guichet/internal/web"
)

// services are the three SOAP services, each at /V4/services/<name>.
// Their WSDLs declare every operation on each, and the platform answers
// any operation on any of them, so guichet does too.
var services = map[string]bool{"WebPaymentAPI": true, "DirectPaymentAPI": true, "ExtendedAPI": true}

// maxBody caps a request. The largest legitimate ones (an order of 100
// detail lines, 100 private data) stay well below it.
const maxBody = 1 << 20

// API serves Payline's SOAP services.
type API struct {
	svc   *core.Service
	log   *slog.Logger
	pages *checkout.Pages
	// newToken makes the tokens of web payment sessions; tests replace
	// it.
	newToken func(now time.Time) string
}

// call is one authenticated operation.
type call struct {
	ctx     context.Context
	service string
	op      string
	shop    *guichet.Shop
	acct    *Account
	req     soap.Message
	// body is the request as it came, which a web payment's order keeps.
	body []byte
	// host is guichet's base URL as the client called it, which links
	// point to.
	host string
	// reference is the order or transaction the call is about, for the
	// exchange log.
	reference string
}

// operation runs one operation: it returns the answer, whose result says
// how it went, or an error. A *failure or a refusal of the core is
// answered with its result alone; any other error could not run (the
// client gets Payline's technical error).
type operation func(a *API, c *call) (soap.Message, error)

// spec is how guichet runs an operation, and the kind that words the
// core's refusals of it.
type spec struct {
	run  operation
	kind opKind
}

// operations are the operations guichet runs, by name. Any other answers
// 02010, "requested function not available".
var operations = map[string]spec{
	"doWebPayment":          {(*API).doWebPayment, opAny},
	"getWebPaymentDetails":  {(*API).getWebPaymentDetails, opAny},
	"doAuthorization":       {(*API).doAuthorization, opAny},
	"doCapture":             {(*API).doCapture, opCapture},
	"doRefund":              {(*API).doRefund, opRefund},
	"doReset":               {(*API).doReset, opReset},
	"doReAuthorization":     {(*API).doReAuthorization, opAny},
	"doDebit":               {(*API).doDebit, opAny},
	"doCredit":              {(*API).doCredit, opAny},
	"getTransactionDetails": {(*API).getTransactionDetails, opAny},
	"transactionsSearch":    {(*API).transactionsSearch, opAny},
	"getAlertDetails":       {(*API).getAlertDetails, opAny},
	"getMerchantSettings":   {(*API).getMerchantSettings, opAny},
	"createWebWallet":       {(*API).createWebWallet, opWallet},
	"updateWebWallet":       {(*API).updateWebWallet, opWallet},
	"manageWebWallet":       {(*API).manageWebWallet, opWallet},
	"getWebWallet":          {(*API).getWebWallet, opWallet},
	// Wallets and the payment records charged on them (wallet.go,
	// wallet_pay.go, wallet_record.go, wallet_ledger.go).
	"createWallet":             {(*API).createWallet, opWallet},
	"updateWallet":             {(*API).updateWallet, opWallet},
	"getWallet":                {(*API).getWallet, opWallet},
	"getCards":                 {(*API).getCards, opWallet},
	"disableWallet":            {(*API).disableWallet, opWallet},
	"enableWallet":             {(*API).enableWallet, opWallet},
	"doImmediateWalletPayment": {(*API).doImmediateWalletPayment, opAny},
	"doScheduledWalletPayment": {(*API).doScheduledWalletPayment, opAny},
	"doRecurrentWalletPayment": {(*API).doRecurrentWalletPayment, opAny},
	"getPaymentRecord":         {(*API).getPaymentRecord, opAny},
	"disablePaymentRecord":     {(*API).disablePaymentRecord, opAny},
	"updatePaymentRecord":      {(*API).updatePaymentRecord, opAny},
	"getBillingRecord":         {(*API).getBillingRecord, opAny},
	"updateBillingRecord":      {(*API).updateBillingRecord, opAny},
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	service := r.PathValue("service")
	if !services[service] {
		http.NotFound(w, r)
		return
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		a.serveWSDL(w, r, service)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "SOAP services take POST; GET ?wsdl describes them", http.StatusMethodNotAllowed)
		return
	}
	start := time.Now()
	// Credentials come first, as on the platform, whose HTTP layer
	// refuses a call before reading it: SOAP clients then report
	// "Unauthorized" (recorded by a PHP client as the result XXXXX,
	// Unauthorized, Unauthorized: lolautruche/LolautruchePaylineBundle
	// issue 6).
	shop, acct, ok := a.authenticate(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Basic realm="Payline"`)
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		reason := "the request could not be read"
		if errors.As(err, &tooBig) {
			reason = fmt.Sprintf("the request exceeds %d bytes", maxBody)
		}
		a.fault(w, r, start, shop, body, &soap.Fault{Code: soap.Client, String: reason})
		return
	}
	req, err := soap.DecodeRequest(body)
	if err != nil {
		var unknown *soap.UnknownOperationError
		if errors.As(err, &unknown) {
			err = fmt.Errorf("no operation has the element %s", unknown.Element)
		}
		a.fault(w, r, start, shop, body, &soap.Fault{Code: soap.Client, String: err.Error()})
		return
	}
	c := &call{ctx: r.Context(), service: service, op: req.Operation(), shop: shop, acct: acct, req: req, body: body, host: web.BaseURL(r)}
	answer := a.run(c)
	out, err := soap.Marshal(answer)
	if err != nil {
		a.log.Error("payline: answer not encoded", "operation", c.op, "err", err)
		answer = soap.NewResponse(c.op, a.internalError(c))
		if out, err = soap.Marshal(answer); err != nil {
			// Not even the technical error could be written: a server
			// fault, which clients retry.
			w.Header().Set("Content-Type", soap.ContentType)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write((&soap.Fault{Code: soap.Server, String: "the answer could not be written"}).Marshal())
			return
		}
	}
	// Business outcomes, refusals and technical errors alike, are
	// answers with their result: HTTP 200, as Payline does.
	w.Header().Set("Content-Type", soap.ContentType)
	w.Write(out)
	a.record(r.Context(), start, guichet.Exchange{Protocol: protocol, ShopID: shop.ID, Operation: c.op,
		Reference: guichet.StorableText(c.reference), Code: resultCode(answer), Request: maskXML(body), Response: maskXML(out)})
}

// run runs the operation of a call. A failure to run it, a bug included,
// answers the platform's technical error: nothing is half written, as
// every change is one unit of work.
func (a *API) run(c *call) (answer soap.Message) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("payline: panic", "operation", c.op, "panic", p)
			answer = soap.NewResponse(c.op, a.internalError(c))
		}
	}()
	op, ok := operations[c.op]
	if !ok {
		return soap.NewResponse(c.op, wireResult("02010"))
	}
	answer, err := op.run(a, c)
	var f *failure
	switch {
	case err == nil:
		return answer
	case errors.As(err, &f):
		return soap.NewResponse(c.op, f.r.wire())
	}
	if r, ok := refusal(err, op.kind); ok {
		return soap.NewResponse(c.op, r)
	}
	a.log.Error("payline: operation failed", "operation", c.op, "err", err)
	return soap.NewResponse(c.op, a.internalError(c))
}

// internalError is the technical error of the call's service.
func (a *API) internalError(c *call) *soap.Result { return internalError(c.service).wire() }

// wireResult is the result of a code, as answers carry it.
func wireResult(code string) *soap.Result { return result(code).wire() }

// wire is the result as answers carry it.
func (r Result) wire() *soap.Result {
	return &soap.Result{Code: r.Code, ShortMessage: r.ShortMessage, LongMessage: r.LongMessage}
}

// authenticate finds the shop of a call's Basic credentials: the user is
// the merchant id, the password its access key.
func (a *API) authenticate(r *http.Request) (*guichet.Shop, *Account, bool) {
	user, key, ok := r.BasicAuth()
	if !ok || user == "" {
		return nil, nil, false
	}
	shop, err := a.svc.ShopByCredential(r.Context(), protocol, user)
	if err != nil {
		if guichet.ErrorCode(err) != guichet.CodeNotFound {
			a.log.Error("payline: merchant not read", "err", err)
		}
		return nil, nil, false
	}
	acct, ok, err := AccountOf(shop)
	if err != nil || !ok || !acct.accessKeyIs(key) {
		return nil, nil, false
	}
	return shop, acct, true
}

// serveWSDL describes a service, with guichet's address, to clients that
// ask for it (…?wsdl).
func (a *API) serveWSDL(w http.ResponseWriter, r *http.Request, service string) {
	if !wantsWSDL(r) {
		http.Error(w, "this is Payline's "+service+" SOAP service: POST calls to it, or GET ?wsdl", http.StatusBadRequest)
		return
	}
	doc, err := soap.WSDL(service, web.BaseURL(r)+"/V4/services/"+service)
	if err != nil {
		a.log.Error("payline: WSDL not generated", "service", service, "err", err)
		http.Error(w, "WSDL not available", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write(doc)
}

// wantsWSDL reports whether a GET asks for the WSDL: "?wsdl", in any case.
func wantsWSDL(r *http.Request) bool {
	for k := range r.URL.Query() {
		if strings.EqualFold(k, "wsdl") {
			return true
		}
	}
	return false
}

// fault answers a request that cannot be read as a SOAP call of an
// operation. The HTTP status is 400: a client's fault, never a server
// error.
func (a *API) fault(w http.ResponseWriter, r *http.Request, start time.Time, shop *guichet.Shop, body []byte, f *soap.Fault) {
	out := f.Marshal()
	w.Header().Set("Content-Type", soap.ContentType)
	w.WriteHeader(http.StatusBadRequest)
	w.Write(out)
	a.record(r.Context(), start, guichet.Exchange{Protocol: protocol, ShopID: shop.ID, Operation: "fault",
		Code: string(f.Code), Request: maskXML(body), Response: string(out)})
}

// record writes an exchange to the log, after the answer went out.
func (a *API) record(ctx context.Context, start time.Time, e guichet.Exchange) {
	e.ID, e.At, e.Duration = a.svc.NewID("exc_"), start, time.Since(start)
	if err := a.svc.RecordExchange(context.WithoutCancel(ctx), e); err != nil {
		a.log.Warn("exchange not recorded", "err", err)
	}
}

// resultCode is the code of an answer's result, for the exchange log.
// Every answer of the schema has one.
func resultCode(m soap.Message) string {
	if r, ok := reflect.ValueOf(m).Elem().FieldByName("Result").Interface().(*soap.Result); ok && r != nil {
		return r.Code
	}
	return ""
}

// secretElements are the elements whose text the exchange log blanks,
// whatever their prefix: the card security code and the card's password.
var secretElements = regexp.MustCompile(`(<(?:[\w.-]+:)?(?:cvx|password)\b[^>]*>)[^<]*(</)`)

// maskXML is a body as the exchange log keeps it: card numbers masked and
// security codes blanked.
func maskXML(body []byte) string {
	text := guichet.StorableText(string(body))
	text = secretElements.ReplaceAllString(text, "${1}***${2}")
	return guichet.MaskCards(text)
}
