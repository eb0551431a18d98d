package lyra

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"guichet"
	v4 "guichet/internal/lyra/v4"
)

// The values of a transaction's status, detailedStatus and operationType
// (spec §3.4).
const (
	statusPaid    = "PAID"
	statusUnpaid  = "UNPAID"
	statusRunning = "RUNNING"

	opDebit        = "DEBIT"
	opCredit       = "CREDIT"
	opVerification = "VERIFICATION"
)

// testIssuer is the issuer of every card on Lyra's test platform.
const testIssuer = "Banque de demo et de l'innovation"

// view is one Lyra transaction: the debit (or verification) a core
// transaction records, or one of its refunds, which Lyra shows as a
// transaction of its own, a CREDIT pointing at the debit.
type view struct {
	t *guichet.Transaction
	// refund is the refund operation shown, nil for the debit.
	refund *guichet.Operation
	order  *guichet.Order
	// token is the card token the transaction was paid with or
	// registered, nil for none: its reference is the paymentMethodToken.
	token *guichet.Token
	// sequence is the rank of the transaction among its order's payments
	// (installments), from 1.
	sequence int
}

// presenter turns views into V4 objects, as the shop sees them at now.
type presenter struct {
	acct  *Account
	mode  guichet.Mode
	now   time.Time
	paris *time.Location
}

// uuid is a view's identifier: the one the front gave its operation, or
// one derived from it for operations another front made, so that each
// transaction keeps one identifier.
func (v *view) uuid() string {
	op := v.refund
	if op == nil {
		op = v.t.First()
	}
	if op.Front == protocol && op.Ref != "" {
		return op.Ref
	}
	sum := sha256.Sum256([]byte(op.ID))
	return hex.EncodeToString(sum[:16])
}

// parentUUID is the uuid of the debit a credit refunds.
func (v *view) parentUUID() string {
	debit := view{t: v.t}
	return debit.uuid()
}

func (v *view) operationType() string {
	switch {
	case v.refund != nil || v.t.First().Kind == guichet.OpCredit:
		return opCredit
	case v.t.Status == guichet.StatusVerified:
		return opVerification
	}
	return opDebit
}

// tokenRef is the view's paymentMethodToken, or nil.
func (v *view) tokenRef() *string {
	if v.token == nil {
		return nil
	}
	return &v.token.Reference
}

// paidWithToken reports whether the card came from a token registered
// before the payment, rather than typed by the buyer (and perhaps saved).
func (v *view) paidWithToken() bool {
	return v.token != nil && v.token.CreatedAt.Before(v.t.CreatedAt)
}

// amount is what the view moved.
func (v *view) amount() int64 {
	if v.refund != nil {
		return v.refund.Amount
	}
	return v.t.Amount
}

// status returns a view's status and detailedStatus at now (spec §3.4
// and §3.6): the core's states, with the batch that captures at the
// remittance time and the expiry of authorizations left to validate.
func (p *presenter) status(v *view) (string, string) {
	t := v.t
	if v.refund != nil {
		if p.remitted(v.refund.CreatedAt) {
			return statusPaid, "CAPTURED"
		}
		return statusPaid, "AUTHORISED"
	}
	switch {
	case t.Status == guichet.StatusRefused:
		return statusUnpaid, "REFUSED"
	case t.Status == guichet.StatusCancelled:
		return statusUnpaid, "CANCELLED"
	case t.Status == guichet.StatusVerified:
		return statusPaid, "ACCEPTED"
	case t.Status == guichet.StatusWaiting && manualValidation(v.order) && !t.Has(guichet.OpValidate):
		return statusRunning, "WAITING_AUTHORISATION_TO_VALIDATE"
	case t.Status == guichet.StatusWaiting:
		return statusRunning, "WAITING_AUTHORISATION"
	case t.Expired(p.now):
		return statusUnpaid, "EXPIRED"
	case t.Status == guichet.StatusAuthorized:
		return statusRunning, "AUTHORISED_TO_VALIDATE"
	case t.Remitted(p.now):
		return statusPaid, "CAPTURED"
	}
	return statusPaid, "AUTHORISED"
}

// manualValidation reports whether an order's payment waits for the
// merchant's validation.
func manualValidation(o *guichet.Order) bool {
	return o != nil && o.Content.Extra("manualValidation") == "YES"
}

// remitted reports whether an operation made at "at" went with the
// evening batch: the remittance is at midnight in Paris.
func (p *presenter) remitted(at time.Time) bool {
	y, m, d := at.In(p.paris).Date()
	return !p.now.Before(time.Date(y, m, d+1, 0, 0, 0, 0, p.paris))
}

// refusal returns the error fields of a refused transaction: ACQ_001 with
// the issuer's code and its meaning.
func refusal(v *view) (code, message, detailedCode, detailedMessage *string) {
	if v.t.Status != guichet.StatusRefused || v.refund != nil {
		return nil, nil, nil, nil
	}
	c, m := "ACQ_001", "payment refused"
	if v.t.ThreeDS == "N" || v.t.ThreeDS == "R" {
		c, m = "AUTH_199", "3-D Secure authentication failed"
	}
	d := v.t.ResponseCode
	dm := issuerMessages[d]
	if dm == "" {
		dm = "Refused by the issuer"
	}
	return &c, &m, &d, &dm
}

// issuerMessages are the meanings of the CB network's answer codes (spec
// §5.5), as detailedErrorMessage gives them.
var issuerMessages = map[string]string{
	"02": "Contact the card issuer",
	"03": "Invalid acceptor",
	"04": "Keep the card",
	"05": "Do not honor",
	"07": "Keep the card, special conditions",
	"12": "Invalid transaction",
	"13": "Invalid amount",
	"14": "Invalid cardholder number",
	"15": "Unknown issuer",
	"17": "Canceled by the buyer",
	"19": "Retry later",
	"30": "Format error",
	"33": "Expired card",
	"34": "Suspected fraud",
	"41": "Lost card",
	"43": "Stolen card",
	// Recorded for the test card 4970100000000113 (a refused payment's
	// IPN in openfun/joanie's recordings).
	"51": "Insufficient funds or credit limit exceeded",
	"54": "Expired card",
	"56": "Card absent from the file",
	"57": "Transaction not allowed for this cardholder",
	"58": "Transaction not allowed for this terminal",
	"59": "Suspected fraud",
	"61": "Amount limit exceeded",
	"63": "Security rules violated",
	"65": "Withdrawal count exceeded",
	"68": "Response not received or received too late",
	"75": "Too many PIN attempts",
	"82": "Incorrect security code",
	"90": "Temporary shutdown",
	"91": "Issuer unreachable",
	"94": "Duplicate transmission",
	"96": "System malfunction",
	"97": "Global timeout",
	"98": "Server unavailable",
}

// strongAuth tells whether the buyer authenticated, and whether the
// liability shifts to the issuer.
func strongAuth(threeDS string) (effective, liability string) {
	switch threeDS {
	case "Y", "F", "A":
		return "ENABLED", "YES"
	}
	return "DISABLED", "NO"
}

// authentication is the 3-D Secure result of a card payment, null when
// none was run (a payment made through the API).
func (p *presenter) authentication(v *view, brand string) *v4.AuthenticationResponseData {
	t := v.t
	if t.ThreeDS == "" || v.refund != nil {
		return nil
	}
	r := &v4.AuthenticationResult{Extension: v4.AuthenticationResultExtensionThreeDSV2{AuthenticationType: "THREEDS_V2",
		RequestorName: str(p.acct.displayName())}}
	switch t.ThreeDS {
	case "Y", "F", "A":
		r.Status = "SUCCESS"
		if t.ThreeDS == "A" {
			r.Status = "ATTEMPT"
		}
		typ := "CHALLENGE"
		if t.ThreeDS == "F" {
			typ = "FRICTIONLESS"
		}
		r.AuthenticationType = &typ
		id := derived(t.ID, "ds")
		r.AuthenticationID = &v4.AuthenticationID{AuthenticationIDType: "dsTransId", Value: id}
		r.AuthenticationValue = &v4.AuthenticationValue{AuthenticationValueType: "CAVV", Value: "q**************************="}
		r.CommerceIndicator = str("05")
		r.Extension.DSTransID, r.Extension.ThreeDSServerTransID = &id, str(derived(t.ID, "server"))
		r.Extension.ACSTransID = str(derived(t.ID, "acs"))
	case "E":
		r.Status = "NOT_ENROLLED"
		r.Extension.RequestedExemption = str("TECHNICAL_ERROR")
	case "N", "R":
		r.Status = "FAILED"
	default:
		r.Status = "UNAVAILABLE"
	}
	network := brand
	if network == "CB" {
		network = "VISA"
	}
	return &v4.AuthenticationResponseData{ID: derived(t.ID, "auth"),
		Protocol: v4.Protocol{Name: "THREEDS", Version: "2.2.0", Network: network, ChallengePreference: "NO_PREFERENCE",
			Simulation: p.mode == guichet.ModeTest},
		Value: r}
}

// derived makes a stable identifier in the shape of a UUID from a seed,
// for the 3-D Secure identifiers of a transaction.
func derived(seed, what string) string {
	sum := sha256.Sum256([]byte(what + ":" + seed))
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// cardDetails returns the card part of a view, and its payment method
// twin.
func (p *presenter) cardDetails(v *view) (v4.CardDetails, v4.PaymentMethodDetails) {
	t := v.t
	c := t.Card
	brand := brandNames[c.Brand]
	if brand == "" {
		brand = string(c.Brand)
	}
	created := v.createdAt()
	source, manual := "EC", "NO"
	if v.order != nil {
		if s := v.order.Content.Extra("paymentSource"); s != "" {
			source = s
		}
		if v.order.Content.Extra("manualValidation") == "YES" {
			manual = "YES"
		}
	}
	if v.refund != nil {
		source = "OTHER"
	}
	methodSource := "NEW"
	if v.paidWithToken() {
		methodSource = "TOKEN"
	}
	var expected *v4.Time
	switch {
	case v.refund != nil:
		expected = &v4.Time{Time: created}
	case !t.CaptureBy.IsZero():
		expected = &v4.Time{Time: t.CaptureBy}
	case !t.RemitAt.IsZero():
		expected = &v4.Time{Time: t.RemitAt}
	}
	auth, mark := p.authorizations(v)
	capture := v4.CardCaptureResponse{}
	if v.refund == nil && t.Remitted(p.now) {
		capture.CaptureDate = &v4.Time{Time: t.RemitAt}
		capture.CaptureFileNumber = str(t.RemitAt.In(p.paris).Format("0102") + "1")
	}
	if v.refund == nil && t.Refunded > 0 {
		capture.RefundAmount, capture.RefundCurrency = i64(t.Refunded), &t.Currency
		capture.EffectiveRefundAmount, capture.EffectiveRefundCurrency = i64(t.Refunded), &t.Currency
	}
	country := countryAlpha2(c.Country)
	legacy := fmt.Sprintf("%06d", legacyNumber(v)%1000000)
	authn := p.authentication(v, brand)
	test := p.mode == guichet.ModeTest
	var issuer *string
	if test {
		issuer = str(testIssuer)
	}
	cd := v4.CardDetails{PaymentSource: source, ManualValidation: manual, ExpectedCaptureDate: expected,
		EffectiveBrand: brand, PAN: c.Masked, ExpiryMonth: c.ExpMonth, ExpiryYear: c.ExpYear, Country: country,
		IssuerName: issuer, EffectiveProductCode: str("F"), LegacyTransID: legacy, LegacyTransDate: v4.Time{Time: created},
		PaymentMethodSource: methodSource, AuthorizationResponse: auth, CaptureResponse: capture,
		AuthenticationResponse: authn, MarkAuthorizationResponse: mark,
		CardHolderPAN: c.Masked, CardHolderExpiryMonth: c.ExpMonth, CardHolderExpiryYear: c.ExpYear,
		ProductCategory: str("DEBIT"), Nature: str("CONSUMER_CARD"), SequenceType: p.sequenceType(v)}
	pm := v4.PaymentMethodDetails{ID: c.Masked, PaymentSource: source, ManualValidation: manual, ExpectedCaptureDate: expected,
		EffectiveBrand: brand, ExpiryMonth: c.ExpMonth, ExpiryYear: c.ExpYear, Country: country,
		IssuerName: issuer, EffectiveProductCode: str("F"), LegacyTransID: legacy, LegacyTransDate: v4.Time{Time: created},
		PaymentMethodSource: methodSource, AuthorizationResponse: auth, CaptureResponse: capture,
		AuthenticationResponse: authn, MarkAuthorizationResponse: mark,
		CardHolderPAN: c.Masked, CardHolderExpiryMonth: c.ExpMonth, CardHolderExpiryYear: c.ExpYear}
	return cd, pm
}

// authorizations are a card payment's authorization and its card check
// (the "mark"): a registration is a check only; a payment waiting for its
// authorization has its check, then its authorization too; any other has
// its authorization.
func (p *presenter) authorizations(v *view) (v4.CardAuthorizationResponse, v4.MarkAuthorizationResponse) {
	t := v.t
	auth := v4.CardAuthorizationResponse{AuthorizationMode: "FULL"}
	mark := v4.MarkAuthorizationResponse{}
	if v.refund != nil {
		return auth, mark
	}
	if first := t.First(); first.Kind == guichet.OpVerify {
		mark = v4.MarkAuthorizationResponse{Amount: i64(0), Currency: &t.Currency, AuthorizationDate: &v4.Time{Time: first.CreatedAt},
			AuthorizationResult: str("0")}
		if t.Status == guichet.StatusVerified || t.Status == guichet.StatusWaiting {
			mark.AuthorizationNumber = str(t.AuthCode)
		}
		if t.Status == guichet.StatusVerified {
			auth.AuthorizationMode = "MARK"
			return auth, mark
		}
	}
	for i := len(t.Operations) - 1; i >= 0; i-- {
		op := &t.Operations[i]
		if op.Kind != guichet.OpAuthorize {
			continue
		}
		auth.Amount, auth.Currency, auth.AuthorizationDate = i64(op.Amount), &t.Currency, &v4.Time{Time: op.CreatedAt}
		auth.AuthorizationResult = str("0")
		if op.Approved {
			auth.AuthorizationNumber = str(t.AuthCode)
		} else {
			auth.AuthorizationResult = str(op.Code)
		}
		break
	}
	return auth, mark
}

// sequenceType is MULTI_PAYMENT for the payments of an order paid in
// several times, NONE otherwise.
func (p *presenter) sequenceType(v *view) *string {
	if v.order != nil && v.order.Content.Extra("installmentOptions") != "" && v.sequence > 0 {
		return str("MULTI_PAYMENT")
	}
	return str("NONE")
}

func legacyNumber(v *view) int64 {
	if v.refund != nil {
		return v.refund.Number
	}
	return v.t.Number
}

// createdAt is when the view's transaction was created.
func (v *view) createdAt() time.Time {
	if v.refund != nil {
		return v.refund.CreatedAt
	}
	return v.t.CreatedAt
}

// details builds the transactionDetails of a view.
func (p *presenter) details(v *view) v4.TransactionDetails {
	t := v.t
	cd, pm := p.cardDetails(v)
	_, liability := strongAuth(t.ThreeDS)
	d := v4.TransactionDetails{LiabilityShift: &liability, EffectiveAmount: v.amount(), EffectiveCurrency: t.Currency,
		CreationContext: "CHARGE", CardDetails: cd, PaymentMethodDetails: pm,
		SubscriptionDetails: &v4.SubscriptionDetails{SubscriptionID: subscriptionID(v.order)},
		MID:                 p.acct.mid(), SequenceNumber: max(v.sequence, 1), TID: "001", AcquirerNetwork: "CB",
		OccurrenceType: "UNITAIRE", ArchivalReferenceID: fmt.Sprintf("L%s%05d", v.createdAt().In(p.paris).Format("060102"), legacyNumber(v)%100000)}
	switch {
	case v.refund != nil:
		d.LiabilityShift, d.CreationContext = nil, "REFUND"
		d.ParentTransactionUUID = str(v.parentUUID())
	case t.Status == guichet.StatusVerified:
		d.CreationContext, d.OccurrenceType = "VERIFICATION", "RECURRENT_INITIAL"
	case cd.PaymentMethodSource == "TOKEN":
		d.OccurrenceType = "RECURRENT_INTERMEDIAIRE"
	case v.token != nil:
		d.OccurrenceType = "RECURRENT_INITIAL"
	}
	if v.order != nil && v.order.Protocol == protocol && v.order.Content.Extra("formAction") != actionSilent && v.refund == nil {
		d.UserInfo = str("JS Client")
	}
	return d
}

// orderDetails sums up the order of a view.
func (p *presenter) orderDetails(v *view, total, effective int64) v4.OrderDetails {
	od := v4.OrderDetails{OrderTotalAmount: total, OrderCurrency: v.t.Currency, Mode: string(p.mode),
		Metadata: metadata(v.order)}
	if effective >= 0 {
		od.OrderEffectiveAmount = &effective
	}
	if v.t.Reference != "" {
		od.OrderID = str(v.t.Reference)
	}
	return od
}

// subscriptionID is the id of the subscription an order is, or nil.
func subscriptionID(o *guichet.Order) *string {
	if o == nil || o.Content.Extra(extraSubscription) == "" {
		return nil
	}
	return &o.ID
}

// metadata is the merchant's metadata of an order, null when it sent none.
func metadata(o *guichet.Order) map[string]string {
	if o == nil || len(o.Content.Metadata) == 0 {
		return nil
	}
	m := make(map[string]string, len(o.Content.Metadata))
	for _, f := range o.Content.Metadata {
		m[f.Name] = f.Value
	}
	return m
}

// transaction builds the V4/Transaction of a view (Transaction/* answers,
// Order/Get).
func (p *presenter) transaction(v *view) v4.Transaction {
	status, detailed := p.status(v)
	esa, _ := strongAuth(v.t.ThreeDS)
	code, msg, dcode, dmsg := refusal(v)
	total := v.amount()
	if v.order != nil && v.refund == nil {
		total = v.order.Amount.Amount
	}
	details := p.details(v)
	// The transactions web services write no subscriptionDetails, where
	// payments (IPN, SILENT) do (recordings of platforms 6.21 and 6.25).
	details.SubscriptionDetails = nil
	return v4.Transaction{ShopID: p.acct.ShopID, UUID: v.uuid(), PaymentMethodType: "CARD",
		PaymentMethodToken: v.tokenRef(), DetailedStatus: detailed, Status: status, Amount: v.amount(),
		Currency: v.t.Currency, CreationDate: v4.Time{Time: v.createdAt()}, ErrorCode: code, ErrorMessage: msg,
		DetailedErrorCode: dcode, DetailedErrorMessage: dmsg, EffectiveStrongAuthentication: esa,
		Customer: customer(v.order), TransactionDetails: details, OrderDetails: p.orderDetails(v, total, -1),
		OperationType: v.operationType(), Metadata: metadata(v.order)}
}

// paymentTransaction builds the V4/PaymentTransaction of a view (IPN,
// browser return, SILENT answer).
func (p *presenter) paymentTransaction(v *view) v4.PaymentTransaction {
	status, detailed := p.status(v)
	esa, _ := strongAuth(v.t.ThreeDS)
	code, msg, dcode, dmsg := refusal(v)
	return v4.PaymentTransaction{ShopID: p.acct.ShopID, UUID: v.uuid(), Amount: v.amount(), Currency: v.t.Currency,
		PaymentMethodType: "CARD", PaymentMethodToken: v.tokenRef(), Status: status, DetailedStatus: detailed,
		OperationType: v.operationType(), EffectiveStrongAuthentication: esa, CreationDate: v4.Time{Time: v.createdAt()},
		ErrorCode: code, ErrorMessage: msg, DetailedErrorCode: dcode, DetailedErrorMessage: dmsg,
		Metadata: metadata(v.order), TransactionDetails: p.details(v)}
}

// customer is the V4 customer of an order: every field present, null
// when the merchant did not send it.
func customer(o *guichet.Order) v4.Customer {
	c := v4.Customer{ShoppingCart: &v4.ShoppingCart{}}
	if o == nil {
		return c
	}
	if cart := o.Content.Cart; cart != nil {
		// cartItemInfo is always returned empty (the use-case page on the
		// cart says so).
		c.ShoppingCart = &v4.ShoppingCart{InsuranceAmount: cart.Insurance, ShippingAmount: cart.Shipping, TaxAmount: cart.Tax}
	}
	cu := o.Content.Customer
	if cu == nil {
		return c
	}
	c.Email, c.Reference = strOrNil(cu.Email), strOrNil(cu.Reference)
	if b := cu.Billing; b != nil {
		c.BillingDetails = v4.BillingDetails{Address: strOrNil(b.Street), Category: strOrNil(b.Category),
			CellPhoneNumber: strOrNil(b.CellPhone), City: strOrNil(b.City), Country: strOrNil(b.Country),
			District: strOrNil(b.District), FirstName: strOrNil(b.FirstName), IdentityCode: strOrNil(b.IdentityCode),
			IdentityType: strOrNil(b.IdentityType), Language: strOrNil(b.Language), LastName: strOrNil(b.LastName),
			PhoneNumber: strOrNil(b.Phone), State: strOrNil(b.State), StreetNumber: strOrNil(b.StreetNumber),
			Title: strOrNil(b.Title), ZipCode: strOrNil(b.ZipCode), LegalName: strOrNil(b.LegalName)}
	}
	if s := cu.Shipping; s != nil {
		c.ShippingDetails = v4.ShippingDetails{Address: strOrNil(s.Street), Address2: strOrNil(s.Street2),
			Category: strOrNil(s.Category), City: strOrNil(s.City), Country: strOrNil(s.Country),
			DeliveryCompanyName: strOrNil(s.Carrier), District: strOrNil(s.District), FirstName: strOrNil(s.FirstName),
			IdentityCode: strOrNil(s.IdentityCode), LastName: strOrNil(s.LastName), LegalName: strOrNil(s.LegalName),
			PhoneNumber: strOrNil(s.Phone), ShippingMethod: strOrNil(s.ShippingMethod), ShippingSpeed: strOrNil(s.ShippingSpeed),
			State: strOrNil(s.State), StreetNumber: strOrNil(s.StreetNumber), ZipCode: strOrNil(s.ZipCode)}
	}
	if b := cu.Browser; b != nil {
		c.ExtraDetails = v4.ExtraDetails{BrowserAccept: strOrNil(b.Accept), FingerPrintID: strOrNil(b.FingerprintID),
			IPAddress: strOrNil(b.IP), BrowserUserAgent: strOrNil(b.UserAgent)}
	}
	return c
}

// subMerchant is the subMerchantDetails of an order, null when the
// merchant sent none: its fields in the order of Lyra's table, every one
// present. No recording shows the object, so its _type follows the
// platform's naming of its siblings.
func subMerchant(o *guichet.Order) []byte {
	if o == nil || o.Content.SubMerchant == nil {
		return nil
	}
	sm := o.Content.SubMerchant
	b, _ := v4.Marshal(struct {
		Address1       *string `json:"address1"`
		Address2       *string `json:"address2"`
		City           *string `json:"city"`
		CompanyType    *string `json:"companyType"`
		Country        *string `json:"country"`
		FacilitatorID  *string `json:"facilitatorId"`
		LegalNumber    *string `json:"legalNumber"`
		MCC            *string `json:"mcc"`
		MID            *string `json:"mid"`
		Name           *string `json:"name"`
		PhoneNumber    *string `json:"phoneNumber"`
		SoftDescriptor *string `json:"softDescriptor"`
		State          *string `json:"state"`
		URL            *string `json:"url"`
		Zip            *string `json:"zip"`
		Type           string  `json:"_type"`
	}{strOrNil(sm.Address1), strOrNil(sm.Address2), strOrNil(sm.City), strOrNil(sm.CompanyType), strOrNil(sm.Country),
		strOrNil(sm.FacilitatorID), strOrNil(sm.LegalNumber), strOrNil(sm.MCC), strOrNil(sm.MID), strOrNil(sm.Name),
		strOrNil(sm.Phone), strOrNil(sm.SoftDescriptor), strOrNil(sm.State), strOrNil(sm.URL), strOrNil(sm.Zip),
		"V4/SubMerchantDetails"})
	return b
}

// brandNames are Lyra's names of the card brands.
var brandNames = map[guichet.Brand]string{
	guichet.BrandCB:         "CB",
	guichet.BrandVisa:       "VISA",
	guichet.BrandMastercard: "MASTERCARD",
	guichet.BrandMaestro:    "MAESTRO",
	guichet.BrandAmex:       "AMEX",
	guichet.BrandJCB:        "JCB",
	guichet.BrandDiners:     "DINERS",
}

// countries maps the issuer countries the simulator knows from ISO
// alpha-3, which the core keeps, to the alpha-2 Lyra writes.
var countries = map[string]string{
	"FRA": "FR", "BEL": "BE", "USA": "US", "DEU": "DE", "ESP": "ES", "ITA": "IT", "GBR": "GB", "CHE": "CH",
	"LUX": "LU", "NLD": "NL", "PRT": "PT", "CAN": "CA", "JPN": "JP", "KWT": "KW", "BRA": "BR", "PER": "PE",
}

func countryAlpha2(alpha3 string) *string {
	if a2, ok := countries[alpha3]; ok {
		return &a2
	}
	return nil
}

// displayName is the shop's name as forms and 3-D Secure show it.
func (a *Account) displayName() string {
	if a.Name != "" {
		return a.Name
	}
	return "Demo shop"
}

// mid is the shop's contract number with the acquirer: the recorded demo
// shop 69876357 has MID 9876357, its last seven digits.
func (a *Account) mid() string {
	if len(a.ShopID) > 7 {
		return a.ShopID[len(a.ShopID)-7:]
	}
	return a.ShopID
}

func str(s string) *string { return &s }

func strOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func i64(n int64) *int64 { return &n }
