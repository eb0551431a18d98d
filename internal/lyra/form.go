package lyra

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"guichet"
	v4 "guichet/internal/lyra/v4"
)

// The form endpoints serve guichet's own embedded form script, which talks
// to them from the buyer's browser, and the merchants' tests, which pay a
// formToken without a browser: both get the same answers, and trigger the
// same IPN. They are authenticated by the shop's public key (the form's
// kr-public-key), or by its Basic credentials as the REST API is.

// formConfig is what the embedded form needs to show a formToken.
type formConfig struct {
	ShopName   string `json:"shopName"`
	Amount     int64  `json:"amount"`
	Currency   string `json:"currency"`
	Digits     int    `json:"digits"`
	Mode       string `json:"mode"`
	OrderID    string `json:"orderId"`
	FormAction string `json:"formAction"`
	// AskRegister shows the unticked "save my card" box.
	AskRegister bool `json:"askRegister"`
	// Card is the stored card of a one-click payment: the buyer types the
	// security code only.
	Card *formCard `json:"card"`
	// Installments are the schedules the buyer chooses from, besides
	// paying at once.
	Installments []schedule `json:"installments"`
	// Attempts is how many payments the buyer may still try.
	Attempts  int       `json:"attempts"`
	ExpiresAt time.Time `json:"expiresAt"`
}

type formCard struct {
	PAN         string `json:"pan"`
	ExpiryMonth int    `json:"expiryMonth"`
	ExpiryYear  int    `json:"expiryYear"`
	Brand       string `json:"brand"`
}

// formAnswer is the answer of a form endpoint: the signed fields the
// browser posts to the merchant's return URL, or a 3-D Secure challenge to
// answer first, or an error.
type formAnswer struct {
	Status string `json:"status"` // DONE, CHALLENGE or ERROR
	// The fields of a finished payment, as the browser posts them.
	HashKey    string `json:"kr-hash-key,omitempty"`
	Algorithm  string `json:"kr-hash-algorithm,omitempty"`
	Answer     string `json:"kr-answer,omitempty"`
	AnswerType string `json:"kr-answer-type,omitempty"`
	Hash       string `json:"kr-hash,omitempty"`
	// ServerDate is the answer's date, for the ProcessPaymentAnswer the
	// script gives KR.onSubmit.
	ServerDate string `json:"serverDate,omitempty"`
	// Challenge describes the issuer's question when Status is
	// CHALLENGE.
	Challenge *challenge `json:"challenge,omitempty"`
	// The error of a payment not made.
	ErrorCode            string `json:"errorCode,omitempty"`
	ErrorMessage         string `json:"errorMessage,omitempty"`
	DetailedErrorCode    string `json:"detailedErrorCode,omitempty"`
	DetailedErrorMessage string `json:"detailedErrorMessage,omitempty"`
}

type challenge struct {
	Message string `json:"message"`
	// Code is the code the simulated issuer accepts, shown in TEST mode
	// as a sandbox's ACS page does.
	Code string `json:"code,omitempty"`
}

// payRequest is the body of a payment through the form.
type payRequest struct {
	PublicKey      string `json:"publicKey"`
	PAN            string `json:"pan"`
	ExpiryMonth    int    `json:"expiryMonth"`
	ExpiryYear     int    `json:"expiryYear"`
	SecurityCode   string `json:"securityCode"`
	CardHolderName string `json:"cardHolderName"`
	// InstallmentOption is the index of the schedule chosen; absent or
	// negative pays at once.
	InstallmentOption *int `json:"installmentOption"`
	SaveCard          bool `json:"saveCard"`
	// ChallengeCode answers a 3-D Secure challenge; the card held since
	// the first request pays. The buyer's choices (InstallmentOption,
	// SaveCard) are sent again with it: the server holds the card only.
	ChallengeCode *string `json:"challengeCode"`
	// ThreeDS, for tests, forces the outcome of the authentication:
	// SUCCESS, FAILED or NOT_ENROLLED.
	ThreeDS string `json:"threeDS"`
}

// registerForm mounts the form endpoints.
func (a *API) registerForm(mux *http.ServeMux) {
	mux.HandleFunc("GET /_guichet/v1/lyra/formtokens/{formToken}", a.formGet)
	mux.HandleFunc("POST /_guichet/v1/lyra/formtokens/{formToken}/pay", a.formPay)
	mux.HandleFunc("POST /_guichet/v1/lyra/formtokens/{formToken}/abandon", a.formAbandon)
	mux.HandleFunc("GET /lyra/paymentorder/{id}", a.servePaymentOrder)
	mux.HandleFunc("GET /_guichet/v1/lyra/settings", a.serveSettings)
	mux.HandleFunc("POST /_guichet/v1/lyra/settings", a.serveSettings)
}

// formOrder finds the order of a formToken and the shop it belongs to,
// checking the caller's key.
func (a *API) formOrder(r *http.Request, publicKey string) (*guichet.Order, *guichet.Shop, *Account, *failure) {
	o, err := a.svc.OrderByID(r.Context(), r.PathValue("formToken"))
	if err != nil || o.Protocol != protocol {
		return nil, nil, nil, fail("INT_903")
	}
	shop, err := a.svc.ShopByID(r.Context(), o.ShopID)
	if err != nil {
		return nil, nil, nil, fail("INT_903")
	}
	acct, ok, err := AccountOf(shop)
	if err != nil || !ok {
		return nil, nil, nil, fail("INT_903")
	}
	if publicKey == "" {
		publicKey = r.URL.Query().Get("publicKey")
	}
	if publicKey == "" {
		publicKey = r.Header.Get("X-Public-Key")
	}
	user, password, basic := r.BasicAuth()
	switch {
	case basic && user == acct.ShopID && acct.passwordMode(password) == shop.Mode:
	case publicKey == "":
		return nil, nil, nil, fail("INT_904", "the shop's public key is required")
	case acct.publicKeyMode(publicKey) == shop.Mode:
	case strings.HasPrefix(publicKey, acct.ShopID+":"):
		return nil, nil, nil, fail("INT_904")
	default:
		return nil, nil, nil, fail("INT_911")
	}
	return o, shop, acct, nil
}

// formGet describes a formToken for the form to show it.
func (a *API) formGet(w http.ResponseWriter, r *http.Request) {
	o, shop, acct, f := a.formOrder(r, "")
	if f != nil {
		writeForm(w, http.StatusNotFound, errorAnswer(f))
		return
	}
	if f := formUsable(o, a.svc.Now(shop)); f != nil {
		writeForm(w, http.StatusConflict, errorAnswer(f))
		return
	}
	p, err := formOf(o)
	if err != nil {
		writeForm(w, http.StatusInternalServerError, errorAnswer(fail("PSP_999")))
		return
	}
	cur, _ := guichet.CurrencyByCode(o.Amount.Currency)
	cfg := formConfig{ShopName: acct.displayName(), Amount: o.Amount.Amount, Currency: o.Amount.Currency, Digits: cur.Digits,
		Mode: string(shop.Mode), OrderID: o.Reference, FormAction: p.formAction,
		AskRegister: p.formAction == actionAskRegisterPay, Installments: p.options,
		Attempts: max(o.MaxAttempts, 1) - o.Attempts, ExpiresAt: o.ExpiresAt}
	if p.token != "" && p.formAction != actionRegisterUpdate && p.formAction != actionRegisterUpdatePay {
		if tok, err := a.svc.Token(r.Context(), shop, p.token); err == nil {
			brand := brandNames[tok.Card.Brand]
			cfg.Card = &formCard{PAN: tok.Card.Masked, ExpiryMonth: tok.Card.ExpMonth, ExpiryYear: tok.Card.ExpYear, Brand: brand}
		}
	}
	writeForm(w, http.StatusOK, cfg)
}

// formUsable refuses a formToken that takes no more payments.
func formUsable(o *guichet.Order, now time.Time) *failure {
	switch {
	case !o.ExpiresAt.IsZero() && now.After(o.ExpiresAt):
		return fail("PSP_108")
	case o.Status == guichet.OrderPaid:
		// Already paid (the buyer went back to the form): the script
		// shows CLIENT_502.
		return fail("PSP_113", "the order is already paid")
	case o.Status != guichet.OrderOpen:
		return fail("PSP_099")
	}
	return nil
}

// formPay pays a formToken with a card, or answers the 3-D Secure
// challenge of a card typed before.
func (a *API) formPay(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 16<<10))
	var in payRequest
	if err == nil {
		dec := json.NewDecoder(strings.NewReader(string(body)))
		err = dec.Decode(&in)
	}
	if err != nil {
		writeForm(w, http.StatusBadRequest, errorAnswer(fail("CLIENT_300", "the request must be a JSON object")))
		return
	}
	o, shop, acct, f := a.formOrder(r, in.PublicKey)
	if f != nil {
		writeForm(w, http.StatusNotFound, errorAnswer(f))
		return
	}
	status, ans := a.formPayOrder(r, o, shop, acct, &in)
	writeForm(w, status, ans)

	// The exchange log keeps the masked request, as for the API.
	e := guichet.Exchange{ShopID: shop.ID, Protocol: protocol, Operation: "form/pay", Reference: guichet.StorableText(o.Reference),
		Code: ans.Status, Request: maskJSON(body)}
	if ans.ErrorCode != "" {
		e.Code = ans.ErrorCode
	}
	out, _ := json.Marshal(ans)
	e.Response = maskJSON(out)
	a.record(r.Context(), start, e)
}

func (a *API) formPayOrder(r *http.Request, o *guichet.Order, shop *guichet.Shop, acct *Account, in *payRequest) (int, formAnswer) {
	ctx := r.Context()
	if f := formUsable(o, a.svc.Now(shop)); f != nil {
		return http.StatusConflict, errorAnswer(f)
	}
	p, err := formOf(o)
	if err != nil {
		return http.StatusInternalServerError, errorAnswer(fail("PSP_999"))
	}
	b := buyer{option: -1, save: in.SaveCard}
	if in.InstallmentOption != nil {
		b.option = *in.InstallmentOption
	}
	stored := p.token != "" && in.PAN == "" && p.formAction != actionRegisterUpdate && p.formAction != actionRegisterUpdatePay
	switch {
	case in.ChallengeCode != nil:
		card, err := a.svc.TakeHeldCard(ctx, shop, o.ID)
		if err != nil {
			return http.StatusConflict, errorAnswer(fail("PSP_136", "no 3-D Secure authentication is under way for this form"))
		}
		b.card = card
		b.threeDS, b.decline = challengeOutcome(*in.ChallengeCode)
	case stored:
		b.card = guichet.Card{CVV: in.SecurityCode}
	default:
		b.card = guichet.Card{PAN: strings.ReplaceAll(in.PAN, " ", ""), ExpMonth: in.ExpiryMonth, ExpYear: in.ExpiryYear,
			CVV: in.SecurityCode, Holder: in.CardHolderName}
		if f := checkTypedCard(b.card, a.svc.Now(shop)); f != nil {
			return http.StatusBadRequest, errorAnswer(f)
		}
		amount := o.Amount
		if b.option >= 0 && b.option < len(p.options) {
			amount.Amount = p.options[b.option].Payments[0].Amount
		}
		d := a.authenticate(ctx, shop, acct, p, b.card, amount, in.ThreeDS)
		if d.challenge {
			if err := a.svc.HoldCard(ctx, shop, o.ID, b.card); err != nil {
				return http.StatusConflict, errorAnswer(asFailure(err, opPay))
			}
			return http.StatusOK, formAnswer{Status: "CHALLENGE", Challenge: &challenge{
				Message: "Your bank asks you to confirm this payment with the code it sent you.", Code: d.code}}
		}
		b.threeDS, b.decline = d.threeDS, d.decline
	}
	if b.option >= 0 && b.option < len(p.options) && len(p.options[b.option].Payments) > maxPayments {
		return http.StatusBadRequest, errorAnswer(fail("CLIENT_515"))
	}
	res, err := a.pay(ctx, shop, acct, o, b)
	if err != nil {
		return http.StatusConflict, errorAnswer(asFailure(err, opPay))
	}
	answer, err := v4.NewProcessPaymentAnswer(res.payment, acct.hmacKey(shop.Mode), a.svc.Now(shop))
	if err != nil {
		return http.StatusInternalServerError, errorAnswer(fail("PSP_999"))
	}
	s := answer.SignedAnswer()
	return http.StatusOK, formAnswer{Status: "DONE", HashKey: string(s.HashKey), Algorithm: s.HashAlgorithm,
		Answer: s.Answer, AnswerType: s.AnswerType, Hash: s.Hash, ServerDate: v4.FormatTime(answer.ServerDate.Time)}
}

// formAbandon closes a formToken the buyer left: the order is abandoned,
// and the merchant hears of it by IPN.
func (a *API) formAbandon(w http.ResponseWriter, r *http.Request) {
	var in struct {
		PublicKey string `json:"publicKey"`
	}
	json.NewDecoder(io.LimitReader(r.Body, 4<<10)).Decode(&in)
	o, shop, _, f := a.formOrder(r, in.PublicKey)
	if f != nil {
		writeForm(w, http.StatusNotFound, errorAnswer(f))
		return
	}
	if _, err := a.svc.CloseOrder(r.Context(), shop, o.ID, guichet.OrderCancelled); err != nil {
		writeForm(w, http.StatusConflict, errorAnswer(asFailure(err, opPay)))
		return
	}
	writeForm(w, http.StatusOK, formAnswer{Status: "ABANDONED"})
}

// checkTypedCard checks the card fields the form validates before
// sending them: the script's own errors.
func checkTypedCard(c guichet.Card, now time.Time) *failure {
	switch {
	case !guichet.LuhnValid(c.PAN):
		return fail("CLIENT_301")
	case c.ExpMonth < 1 || c.ExpMonth > 12 || c.ExpYear < 2000 || c.Expired(now):
		return fail("CLIENT_302")
	case c.CVV != "" && (len(c.CVV) < 3 || len(c.CVV) > 4 || !digits(c.CVV)):
		return fail("CLIENT_303")
	}
	return nil
}

func errorAnswer(f *failure) formAnswer {
	return formAnswer{Status: "ERROR", ErrorCode: f.code, ErrorMessage: f.message,
		DetailedErrorCode: f.detailedCode, DetailedErrorMessage: f.detailedMessage}
}

func writeForm(w http.ResponseWriter, status int, v any) {
	b, err := v4.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"status":"ERROR","errorCode":"PSP_999"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
}

// settings are what a merchant sets of its shop in the back office that
// the sandbox lets it set with its own keys: where IPNs go.
type settings struct {
	IPNURL string `json:"ipnUrl"`
}

// serveSettings reads (GET) or changes (POST) the settings of the shop
// whose Basic credentials the request carries, as a merchant's CI sets
// its IPN URL before its tests.
func (a *API) serveSettings(w http.ResponseWriter, r *http.Request) {
	c, err := a.authenticateCall(r)
	if err != nil {
		writeForm(w, http.StatusUnauthorized, errorAnswer(asFailure(err, opAny)))
		return
	}
	if r.Method == http.MethodPost {
		var in settings
		if err := json.NewDecoder(io.LimitReader(r.Body, 16<<10)).Decode(&in); err != nil {
			writeForm(w, http.StatusBadRequest, errorAnswer(fail("INT_902", "the body must be a JSON object")))
			return
		}
		if u, err := url.Parse(in.IPNURL); in.IPNURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
			writeForm(w, http.StatusBadRequest, errorAnswer(fail("INT_926", "ipnUrl must be an http or https URL")))
			return
		}
		c.acct.IPNURL = in.IPNURL
		if _, err := a.svc.SetCredential(r.Context(), c.shop.ID, c.acct.Credential()); err != nil {
			writeForm(w, http.StatusInternalServerError, errorAnswer(fail("PSP_999")))
			return
		}
	}
	writeForm(w, http.StatusOK, settings{IPNURL: c.acct.IPNURL})
}
