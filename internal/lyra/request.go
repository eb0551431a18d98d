package lyra

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"guichet"
	v4 "guichet/internal/lyra/v4"
)

// The formAction values (spec §2.2).
const (
	actionPayment           = "PAYMENT"
	actionAskRegisterPay    = "ASK_REGISTER_PAY"
	actionRegisterPay       = "REGISTER_PAY"
	actionSilent            = "SILENT"
	actionRegister          = "REGISTER"
	actionRegisterUpdate    = "REGISTER_UPDATE"
	actionRegisterUpdatePay = "REGISTER_UPDATE_PAY"
	actionCustomerWallet    = "CUSTOMER_WALLET"
)

var formActions = oneOf(actionPayment, actionAskRegisterPay, actionRegisterPay, actionSilent, actionRegister,
	actionRegisterUpdate, actionRegisterUpdatePay, actionCustomerWallet)

// registers reports whether a formAction saves the card: the buyer's
// e-mail is then required.
func registers(action string) bool {
	switch action {
	case actionAskRegisterPay, actionRegisterPay, actionRegister, actionRegisterUpdate, actionRegisterUpdatePay:
		return true
	}
	return false
}

// strongAuthentications are the merchant's 3-D Secure preferences.
var strongAuthentications = oneOf("AUTO", "ENABLED", "DISABLED", "CHALLENGE_REQUESTED", "CHALLENGE_MANDATE",
	"NO_PREFERENCE", "NO_CHALLENGE_REQUESTED", "DATA_ONLY", "DATA_SHARE_ONLY")

// defaultAttempts is how many payments the buyer may try on one form: the
// first one and two retries, as Lyra's shops are set by default.
const defaultAttempts = 3

// paymentRequest is a validated Charge/CreatePayment or
// Charge/CreateToken request.
type paymentRequest struct {
	amount     guichet.Money
	orderID    string
	formAction string
	// token is the paymentMethodToken to pay with or to update.
	token      string
	strongAuth string
	// ipnURL overrides the shop's IPN URL; a malformed one is ignored,
	// as the platform does not reject the form for it.
	ipnURL  string
	content guichet.OrderContent
	// manual leaves the payment to the merchant's validation.
	manual bool
	// captureDelay is in days; nil means the shop's.
	captureDelay *int
	source       string
	attempts     int
	// options are the payment schedules the buyer chooses from.
	options []schedule
}

// tokenPattern is the shape of a paymentMethodToken: 32 hexadecimal
// digits.
var tokenPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// parsePayment reads a payment request. register is true for
// Charge/CreateToken, whose amount is zero and formAction REGISTER.
func parsePayment(req object, acct *Account, today time.Time, register bool) (*paymentRequest, error) {
	p := &paymentRequest{attempts: defaultAttempts}
	var err error
	if p.formAction, err = req.str("formAction", "INT_875", 0); err != nil {
		return nil, err
	}
	switch {
	case p.formAction == "" && register:
		p.formAction = actionRegister
	case p.formAction == "":
		p.formAction = actionPayment
	case !formActions(p.formAction):
		return nil, fail("INT_875", "formAction "+strconv.Quote(p.formAction)+" is not known")
	}

	amount, hasAmount, err := req.integer("amount", "INT_009")
	if err != nil {
		return nil, err
	}
	p.amount.Amount = amount
	switch {
	case register && !hasAmount:
	case !hasAmount:
		return nil, fail("INT_009", "amount is required")
	case amount < 0:
		return nil, fail("INT_009", "amount may not be negative")
	case p.formAction == actionRegister && amount != 0:
		return nil, fail("PSP_1023")
	case p.formAction != actionRegister && p.formAction != actionRegisterUpdate && amount == 0:
		return nil, fail("PSP_1024")
	}
	if p.amount.Currency, err = parseCurrency(req, acct); err != nil {
		return nil, err
	}
	if p.orderID, err = req.str("orderId", "INT_013", 64); err != nil {
		return nil, err
	}
	if p.token, err = req.str("paymentMethodToken", "INT_030", 0); err != nil {
		return nil, err
	}
	if p.token != "" && !tokenPattern.MatchString(p.token) {
		return nil, fail("INT_030", "paymentMethodToken must be 32 hexadecimal digits")
	}
	switch p.formAction {
	case actionSilent, actionRegisterUpdate, actionRegisterUpdatePay:
		if p.token == "" {
			return nil, fail("INT_812")
		}
	}
	if err := req.rule(rule{"strongAuthentication", "INT_050", 0, strongAuthentications}, &p.strongAuth); err != nil {
		return nil, err
	}
	if p.ipnURL, err = req.str("ipnTargetUrl", "INT_926", 0); err != nil {
		p.ipnURL = ""
	}
	if u, err := url.Parse(p.ipnURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.ipnURL = ""
	}
	if p.content, err = parseContent(req); err != nil {
		return nil, err
	}
	if registers(p.formAction) && (p.content.Customer == nil || p.content.Customer.Email == "") {
		return nil, fail("INT_811")
	}
	if err := p.parseOptions(req, today); err != nil {
		return nil, err
	}
	return p, nil
}

// currencyPattern is the shape of an ISO 4217 alphabetic code.
var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

// parseCurrency reads the currency: missing or malformed is INT_010,
// unknown PSP_519, outside the shop's contract PSP_606.
func parseCurrency(req object, acct *Account) (string, error) {
	c, err := req.str("currency", "INT_010", 0)
	switch {
	case err != nil:
		return "", err
	case !currencyPattern.MatchString(c):
		return "", fail("INT_010", "currency must be an ISO 4217 alphabetic code")
	}
	if _, ok := guichet.CurrencyByCode(c); !ok {
		return "", fail("PSP_519")
	}
	if len(acct.Currencies) > 0 && !oneOf(acct.Currencies...)(c) {
		return "", fail("PSP_606")
	}
	return c, nil
}

// parseOptions reads transactionOptions: the card options and the payment
// schedules.
func (p *paymentRequest) parseOptions(req object, today time.Time) error {
	topts, err := req.object("transactionOptions", "INT_902")
	if err != nil {
		return err
	}
	card, err := topts.object("cardOptions", "INT_902")
	if err != nil {
		return err
	}
	var manual string
	if err := card.rule(rule{"manualValidation", "INT_005", 0, oneOf("YES", "NO")}, &manual); err != nil {
		return err
	}
	p.manual = manual == "YES"
	if delay, ok, err := card.integer("captureDelay", "INT_006"); err != nil {
		return err
	} else if ok {
		if delay < 0 || delay > 365 {
			return fail("INT_006", "captureDelay must be between 0 and 365 days")
		}
		d := int(delay)
		p.captureDelay = &d
	}
	if err := card.rule(rule{"paymentSource", "INT_060", 0, oneOf("EC", "MOTO", "CC", "OTHER")}, &p.source); err != nil {
		return err
	}
	if retry, ok, err := card.integer("retry", "INT_899"); err != nil {
		return err
	} else if ok {
		if retry < 0 || retry > 9 {
			return fail("INT_899", "retry must be between 0 and 9")
		}
		p.attempts = int(retry) + 1
	}
	// The schedules sit in transactionOptions (the use-case pages) or
	// in its cardOptions (the reference); both are taken.
	list, err := topts.objects("installmentOptions", "INT_902")
	if err != nil {
		return err
	}
	if len(list) == 0 {
		if list, err = card.objects("installmentOptions", "INT_902"); err != nil {
			return err
		}
	}
	for _, o := range list {
		s, err := parseSchedule(o, p.amount.Amount, today)
		if err != nil {
			return err
		}
		p.options = append(p.options, s)
	}
	return nil
}

// extras are the request's own fields that the order keeps for the
// payment, which may come minutes later on another instance.
func (p *paymentRequest) extras() []guichet.Field {
	f := []guichet.Field{{Name: "formAction", Value: p.formAction}}
	add := func(name, value string) {
		if value != "" {
			f = append(f, guichet.Field{Name: name, Value: value})
		}
	}
	add("paymentMethodToken", p.token)
	add("strongAuthentication", p.strongAuth)
	add("ipnTargetUrl", p.ipnURL)
	add("paymentSource", p.source)
	if p.manual {
		add("manualValidation", "YES")
	}
	if p.captureDelay != nil {
		add("captureDelay", strconv.Itoa(*p.captureDelay))
	}
	if len(p.options) > 0 {
		b, _ := json.Marshal(p.options)
		add("installmentOptions", string(b))
	}
	return append(f, p.content.Extras...)
}

// formOf reads back what extras kept.
func formOf(o *guichet.Order) (*paymentRequest, error) {
	c := &o.Content
	p := &paymentRequest{amount: o.Amount, orderID: o.Reference, formAction: c.Extra("formAction"),
		token: c.Extra("paymentMethodToken"), strongAuth: c.Extra("strongAuthentication"),
		ipnURL: c.Extra("ipnTargetUrl"), source: c.Extra("paymentSource"), manual: c.Extra("manualValidation") == "YES",
		content: *c, attempts: o.MaxAttempts}
	if d := c.Extra("captureDelay"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			return nil, err
		}
		p.captureDelay = &n
	}
	if s := c.Extra("installmentOptions"); s != "" {
		if err := json.Unmarshal([]byte(s), &p.options); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// parseTime reads a date-time of a request, as Lyra writes them.
func parseTime(o object, field, code string) (time.Time, bool, error) {
	s, err := o.str(field, code, 0)
	if err != nil || s == "" {
		return time.Time{}, false, err
	}
	t, err := v4.ParseTime(s)
	if err != nil {
		return time.Time{}, false, fail(code, o.name(field)+" must be an ISO 8601 date")
	}
	return t, true, nil
}
