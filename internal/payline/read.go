package payline

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"guichet"
	"guichet/internal/payline/soap"
)

// The action codes of payment.action that guichet runs (payline.md §3).
const (
	actionAuthorize       = "100"
	actionAuthorizeCharge = "101"
	actionVerify          = "108"
	actionCapture         = "201"
	actionReAuthorize     = "202"
	actionFinalCapture    = "203"
	actionDebit           = "204"
	actionRefund          = "421"
	actionCredit          = "422"
)

// The modes of payment.mode.
const (
	modeFull      = "CPT"
	modeDeferred  = "DIF"
	modeNX        = "NX"
	modeRecurring = "REC"
)

// failure is a call that ends with a result other than the operation's
// answer: a refusal of its input or of its state. The response carries
// the result alone, as the platform's do.
type failure struct{ r Result }

func (f *failure) Error() string { return f.r.Code + " " + f.r.LongMessage }

// fail refuses a call with a code of the table.
func fail(code string) error { return &failure{result(code)} }

// invalidField refuses a call whose field holds a value the operation
// cannot take (02308, naming the field).
func invalidField(field string) error { return &failure{invalidValue(field)} }

// invalidFormat refuses a call whose field is missing or malformed
// (02305), saying which and why in the long message, as the platform
// words it: "Invalid field format : <field> : <why>".
func invalidFormat(field, why string) error {
	r := result("02305")
	r.LongMessage += " : " + field + " : " + why
	return &failure{r}
}

// payment is a request's payment object, read.
type payment struct {
	money    guichet.Money
	currency guichet.Currency
	action   string
	mode     string
	contract string
	// deferred is the date of a DIF payment's capture, at midnight in
	// Paris.
	deferred       time.Time
	softDescriptor string
}

// readPayment reads a payment object. actions lists the actions the
// operation takes, none meaning any action code: an operation on an
// existing transaction is what it is whatever action its payment says,
// and real integrations send 100 with every call (Monext's own Java kit
// does, in its recorded doCapture and doCredit requests). paris is the
// shop's time in Paris, for the deferred date.
func readPayment(p *soap.Payment, paris time.Time, actions ...string) (payment, error) {
	if p == nil {
		return payment{}, invalidFormat("payment", "missing")
	}
	var out payment
	var err error
	if out.currency, err = readCurrency("payment.currency", p.Currency); err != nil {
		return out, err
	}
	amount, err := readAmount("payment.amount", p.Amount)
	if err != nil {
		return out, err
	}
	out.money = guichet.Money{Amount: amount, Currency: out.currency.Code}
	out.action, out.mode = strings.TrimSpace(p.Action), strings.TrimSpace(p.Mode)
	if out.action == "" {
		return out, invalidFormat("payment.action", "missing")
	}
	if len(out.action) != 3 || !allDigits(out.action) || len(actions) > 0 && !slices.Contains(actions, out.action) {
		return out, fail("02321")
	}
	switch out.mode {
	case "":
		return out, invalidFormat("payment.mode", "missing")
	case modeFull, modeDeferred, modeNX, modeRecurring:
	default:
		return out, invalidField("payment.mode")
	}
	out.contract = strings.TrimSpace(p.ContractNumber)
	if len(out.contract) > 20 {
		return out, invalidFormat("payment.contractNumber", "longer than 20 characters")
	}
	if out.mode == modeDeferred {
		d, err := readDeferred(p.DifferedActionDate, paris)
		if err != nil {
			return out, err
		}
		out.deferred = d
	}
	if utf8.RuneCountInString(p.SoftDescriptor) > 64 {
		return out, invalidFormat("payment.softDescriptor", "longer than 64 characters")
	}
	out.softDescriptor = strings.TrimSpace(p.SoftDescriptor)
	return out, nil
}

// readDeferred reads the differedActionDate of a DIF payment: dd/mm/yy,
// from tomorrow to less than seven days ahead (the authorization's life).
func readDeferred(s string, paris time.Time) (time.Time, error) {
	const field = "payment.differedActionDate"
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, invalidFormat(field, "mandatory with mode DIF")
	}
	d, err := time.ParseInLocation("02/01/06", s, paris.Location())
	if err != nil {
		return time.Time{}, invalidFormat(field, "expected dd/mm/yy")
	}
	today := time.Date(paris.Year(), paris.Month(), paris.Day(), 0, 0, 0, 0, paris.Location())
	if !d.After(today) || !d.Before(today.AddDate(0, 0, 7)) {
		return time.Time{}, invalidField(field)
	}
	return d, nil
}

// readAmount reads an amount in minor units: up to twelve digits.
func readAmount(field, s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, invalidFormat(field, "missing")
	}
	if len(s) > 12 || !allDigits(s) {
		return 0, invalidFormat(field, "expected up to 12 digits")
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n, nil
}

// readCurrency reads an ISO 4217 numeric currency code.
func readCurrency(field, s string) (guichet.Currency, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return guichet.Currency{}, invalidFormat(field, "missing")
	}
	c, ok := guichet.CurrencyByNumeric(s)
	if !ok {
		return c, invalidFormat(field, "expected an ISO 4217 numeric code")
	}
	return c, nil
}

// order is a request's order object, read.
type order struct {
	ref     string
	money   guichet.Money
	country string
}

// readOrder reads an order object: reference, amount, currency and date
// (dd/mm/yyyy HH:mm) are mandatory.
func readOrder(o *soap.Order) (order, error) {
	if o == nil {
		return order{}, invalidFormat("order", "missing")
	}
	var out order
	out.ref = strings.TrimSpace(o.Ref)
	switch {
	case out.ref == "":
		return out, invalidFormat("order.ref", "missing")
	case utf8.RuneCountInString(out.ref) > 50:
		return out, invalidFormat("order.ref", "longer than 50 characters")
	}
	c, err := readCurrency("order.currency", o.Currency)
	if err != nil {
		return out, err
	}
	amount, err := readAmount("order.amount", o.Amount)
	if err != nil {
		return out, err
	}
	out.money = guichet.Money{Amount: amount, Currency: c.Code}
	if strings.TrimSpace(o.Date) == "" {
		return out, invalidFormat("order.date", "missing")
	}
	if _, err := time.Parse("02/01/2006 15:04", strings.TrimSpace(o.Date)); err != nil {
		return out, invalidFormat("order.date", "expected dd/mm/yyyy HH:mm")
	}
	out.country = strings.TrimSpace(o.Country)
	if len(out.details(o)) > 100 {
		return out, invalidFormat("order.details", "more than 100 lines")
	}
	return out, nil
}

func (order) details(o *soap.Order) []soap.OrderDetail {
	if o.Details == nil {
		return nil
	}
	return o.Details.Details
}

// readURL checks a URL the platform sends the buyer or its notifications
// to: absolute, http or https. An optional one may be empty.
func readURL(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", invalidFormat(field, "missing")
		}
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", invalidFormat(field, "expected an absolute http or https URL")
	}
	return s, nil
}

// readPrivateData checks a call's private data: at most 100 pairs, whose
// keys are set. The platform's message says 99.
func readPrivateData(l *soap.PrivateDataList) error {
	if l == nil {
		return nil
	}
	if len(l.PrivateData) > 100 {
		return fail("02514")
	}
	for _, p := range l.PrivateData {
		if strings.TrimSpace(p.Key) == "" {
			return invalidFormat("privateData.key", "missing")
		}
	}
	return nil
}

// readCard reads a card typed by the buyer or sent by the merchant: its
// number, expiry (MMYY), security code and holder. A card given by token
// is read by the wallet operations.
func readCard(c *soap.Card, now time.Time) (guichet.Card, error) {
	if c == nil {
		return guichet.Card{}, invalidFormat("card", "missing")
	}
	if strings.TrimSpace(c.Type) == "" {
		return guichet.Card{}, invalidFormat("card.type", "missing")
	}
	number := strings.TrimSpace(c.Number)
	if number != "" && strings.TrimSpace(c.Token) != "" {
		return guichet.Card{}, fail("02538")
	}
	if number == "" {
		return guichet.Card{}, invalidFormat("card.number", "missing")
	}
	if len(number) < 12 || len(number) > 19 || !allDigits(number) {
		return guichet.Card{}, fail("02625")
	}
	if !guichet.LuhnValid(number) {
		return guichet.Card{}, fail("02614")
	}
	month, year, err := readExpiry(c.ExpirationDate)
	if err != nil {
		return guichet.Card{}, err
	}
	card := guichet.Card{PAN: number, ExpMonth: month, ExpYear: year, CVV: strings.TrimSpace(c.CVX),
		Holder: strings.TrimSpace(c.Cardholder)}
	if card.CVV != "" && (len(card.CVV) < 3 || len(card.CVV) > 4 || !allDigits(card.CVV)) {
		return guichet.Card{}, invalidFormat("card.cvx", "expected 3 or 4 digits")
	}
	if card.Expired(now) {
		return guichet.Card{}, fail("02624")
	}
	return card, nil
}

// readExpiry reads a card's expirationDate, MMYY.
func readExpiry(s string) (month, year int, err error) {
	s = strings.TrimSpace(s)
	if len(s) != 4 || !allDigits(s) {
		return 0, 0, invalidFormat("card.expirationDate", "expected MMYY")
	}
	month, _ = strconv.Atoi(s[:2])
	year, _ = strconv.Atoi(s[2:])
	if month < 1 || month > 12 {
		return 0, 0, invalidFormat("card.expirationDate", "expected MMYY")
	}
	return month, 2000 + year, nil
}

// content is what a call tells of the buyer and the purchase, for the
// order the core keeps.
func content(b *soap.Buyer, o *soap.Order, private *soap.PrivateDataList) guichet.OrderContent {
	var c guichet.OrderContent
	if b != nil {
		c.Customer = &guichet.Customer{Reference: b.CustomerID, Email: b.Email,
			Billing: address(b.BillingAddress), Shipping: address(b.ShippingAddress)}
		if c.Customer.Billing == nil && (b.FirstName != "" || b.LastName != "") {
			c.Customer.Billing = &guichet.Address{}
		}
		if c.Customer.Billing != nil {
			if c.Customer.Billing.FirstName == "" {
				c.Customer.Billing.FirstName = b.FirstName
			}
			if c.Customer.Billing.LastName == "" {
				c.Customer.Billing.LastName = b.LastName
			}
			c.Customer.Billing.CellPhone = b.MobilePhone
		}
		if b.IP != "" {
			c.Customer.Browser = &guichet.Browser{IP: b.IP}
		}
	}
	if o != nil && o.Details != nil {
		c.Cart = &guichet.Cart{}
		for _, d := range o.Details.Details {
			item := guichet.CartItem{Label: d.Comment, Ref: d.Ref, Type: d.Category, VAT: d.TaxRate}
			if n, err := strconv.ParseInt(d.Quantity, 10, 64); err == nil {
				item.Qty = &n
			}
			if n, err := strconv.ParseInt(d.Price, 10, 64); err == nil {
				item.Amount = &n
			}
			c.Cart.Items = append(c.Cart.Items, item)
		}
	}
	if private != nil {
		for _, p := range private.PrivateData {
			c.Metadata = append(c.Metadata, guichet.Field{Name: p.Key, Value: p.Value})
		}
	}
	return c
}

// address is a buyer's address for the order's content, nil when none was
// sent.
func address(a *soap.Address) *guichet.Address {
	if a == nil {
		return nil
	}
	return &guichet.Address{Title: a.Title, FirstName: a.FirstName, LastName: a.LastName, LegalName: a.Name,
		Phone: a.Phone, StreetNumber: a.StreetNumber, Street: a.Street1, Street2: a.Street2, ZipCode: a.ZipCode,
		City: a.CityName, State: a.State, Country: a.Country}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
