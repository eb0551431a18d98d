package smoney

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file holds the CardPayment resource of S-money API V3 (seed 004,
// spec smoney.md): how a create request is read, and the shapes of the
// answers.
//
// Error codes of a bad request, all with HTTP status 400:
//   - 704 "missing call parameter": a mandatory property is absent, null or
//     empty, or Amount is not greater than 0 (the spec's example of 704);
//   - 149: Beneficiary.AppAccountId is missing. The spec records that
//     S-money answers 149 ("transaction ceiling reached") in that case, and
//     a merchant's integration may test for it, so we do the same;
//   - 177 "invalid parameter value": a value outside one of the seed's
//     closed lists (AvailableCards, ThreeDSecurePreference, AddressType,
//     timeframe, ClientAuthMethod). Keeping enums apart from shape errors
//     lets a client tell "you sent a value we do not know" from "you sent
//     garbage";
//   - 178 "invalid parameters": anything else, a property of the wrong JSON
//     type, too long, of the wrong format, or a schedule that breaks a rule.
//
// Every message starts with the property's path in the seed's spelling
// (for example "ShipTo.Address: at most 50 characters"), whatever casing
// the client used.
const (
	codeNoBeneficiary     = 149
	codeInvalidValue      = 177
	codeInvalidParameters = 178
	codeMissingParameter  = 704
)

// apiError is an error answer of the API: an HTTP status and the body's
// Code and ErrorMessage.
type apiError struct {
	Status  int
	Code    int
	Message string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("s-money error %d: %s", e.Code, e.Message)
}

// apiErrorBody is the JSON body of every error answer.
type apiErrorBody struct {
	Code         int    `json:"Code"`
	ErrorMessage string `json:"ErrorMessage"`
	Title        string `json:"Title"`
	Priority     int    `json:"Priority"`
}

func badRequest(code int, path, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: code, Message: path + ": " + fmt.Sprintf(format, args...)}
}

// invalid is a 178 error on the property at path.
func invalid(path, format string, args ...any) *apiError {
	return badRequest(codeInvalidParameters, path, format, args...)
}

// missing is a 704 error on the mandatory property at path.
func missing(path string) *apiError {
	return badRequest(codeMissingParameter, path, "missing")
}

// notInList is a 177 error: value is not one of a closed list.
func notInList(path, value string, list []string) *apiError {
	return badRequest(codeInvalidValue, path, "%s is not one of %s", quote(value), strings.Join(list, ", "))
}

// quote shows a client's value in a message, cut short: the value may be
// anything the client sent.
func quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return strconv.Quote(s)
}

// The statuses (statusWaiting, statusCompleted, statusRefused…) and types
// (typePayment, typeRefund) of a card payment are in codes.go.

// Card networks (seed: Card.Network).
const (
	networkUnknown    = -1
	networkCB         = 1
	networkMastercard = 2
	networkVisa       = 3
)

// ThreeDSecurePreference values. The seed lists 0 to 3; S-money's
// stored-card pages also use 4 for "no 3-D Secure", so 4 is taken and
// means the same as 3 (see skipsAuthentication).
const (
	preferenceChallenge        = 0
	preferenceFrictionless     = 1
	preferenceNoPreference     = 2
	preferenceNoAuthentication = 3
	preferenceNo3DS            = 4
)

// cardBrands are the values of AvailableCards, in the seed's order.
var cardBrands = []string{"CB", "MASTERCARD", "MAESTRO", "VISA", "VISA_ELECTRON"}

// profile3DSV2 is the ExtraParameters profile that selects 3-D Secure 2.
const profile3DSV2 = "3DSV2"

// Limits of the seed.
const (
	maxOrderIDLength = 50
	maxAddressLength = 50
	maxPhoneLength   = 32
)

// cardPaymentRequest is a validated request to create a card payment.
// Sub-objects the client did not send are nil; the output-only fields of
// the shared sub-object types (card.Id, beneficiary.DisplayName…) are
// zero.
type cardPaymentRequest struct {
	Amount int64
	// Fee is 0 when absent. v1 clients send it as an object
	// {Amount, VAT, AmountWithVAT}; then AmountWithVAT, or else Amount, is
	// the fee.
	Fee int64
	// ThreeDSecurePreference is 0 to 4; 2 when absent, or 0 when absent
	// and the v1/v2 Require3DS is true.
	ThreeDSecurePreference int
	OrderId                string
	// AvailableCards are the brands offered, in the seed's spelling,
	// without repeats; nil means all of them (see cards).
	AvailableCards  []string
	IsMine          bool
	Message         string
	UrlReturn       string
	UrlCallback     string
	Card            *card
	Beneficiary     beneficiary
	PayerInfo       *payerInfo
	ExtraParameters *extraParameters
	Billing         *billing
	ShipTo          *shipTo
	Delivery        *delivery
	ClientScreen    *clientScreen
	ThreeDsOptData  *threeDsOptData
	GiftCard        *giftCard
	// PaymentSchedule is nil for a payment in one go; planSchedule turns
	// it into instalments.
	PaymentSchedule *scheduleRequest
	// Payments are the sub-payments of a payment to several recipients,
	// nil for a payment to its Beneficiary alone.
	Payments []subPaymentRequest
}

// cards are the brands the payment page offers.
func (r *cardPaymentRequest) cards() []string {
	if len(r.AvailableCards) == 0 {
		return slices.Clone(cardBrands)
	}
	return r.AvailableCards
}

// threeDSV2 reports whether the merchant asked for 3-D Secure 2; without
// the profile S-money calls version 1.
func (r *cardPaymentRequest) threeDSV2() bool {
	return r.ExtraParameters != nil && strings.EqualFold(r.ExtraParameters.ProfilName, profile3DSV2)
}

// skipsAuthentication reports whether the merchant asked for no 3-D
// Secure authentication (preference 3, or 4 of the stored-card pages).
func (r *cardPaymentRequest) skipsAuthentication() bool {
	return r.ThreeDSecurePreference >= preferenceNoAuthentication
}

// cardPayment is the CardPayment resource as the API answers it.
//
// Every property is always written except PaymentSchedule, which is left
// out for a payment in one go. Sub-objects the payment does not have are
// null: the official .NET client (Newtonsoft, default settings) and the
// PHP client (JMS serializer) both read null as "no object", which is
// also what S-money's own ASP.NET serializer writes.
type cardPayment struct {
	Id                     int64  `json:"Id"`
	OrderId                string `json:"OrderId"`
	Amount                 int64  `json:"Amount"`
	Fee                    int64  `json:"Fee"`
	ThreeDSecurePreference int    `json:"ThreeDSecurePreference"`
	AvailableCards         string `json:"AvailableCards"`
	IsMine                 bool   `json:"IsMine"`
	Message                string `json:"Message"`
	UrlReturn              string `json:"UrlReturn"`
	UrlCallback            string `json:"UrlCallback"`
	Status                 int    `json:"Status"`
	ErrorCode              int    `json:"ErrorCode"`
	Href                   string `json:"Href"`
	// PaymentDate is written by isoDate.
	PaymentDate     string           `json:"PaymentDate"`
	Type            int              `json:"Type"`
	Card            *card            `json:"Card"`
	Beneficiary     *beneficiary     `json:"Beneficiary"`
	PayerInfo       *payerInfo       `json:"PayerInfo"`
	ExtraParameters *extraParameters `json:"ExtraParameters"`
	Billing         *billing         `json:"Billing"`
	ShipTo          *shipTo          `json:"ShipTo"`
	Delivery        *delivery        `json:"Delivery"`
	ClientScreen    *clientScreen    `json:"ClientScreen"`
	ThreeDsOptData  *threeDsOptData  `json:"ThreeDsOptData"`
	GiftCard        *giftCard        `json:"GiftCard"`
	ExtraResults    *extraResults    `json:"ExtraResults"`
	PaymentSchedule []scheduleItem   `json:"PaymentSchedule,omitempty"`
	// Payments is left out for a payment to one recipient.
	Payments []subPayment `json:"Payments,omitempty"`
}

// newCardPayment is the resource of a payment just created from r: it
// echoes what the merchant sent, status waiting. The caller sets Id, Href,
// PaymentDate and PaymentSchedule.
func newCardPayment(r *cardPaymentRequest) cardPayment {
	c := cardPayment{
		OrderId:                r.OrderId,
		Amount:                 r.Amount,
		Fee:                    r.Fee,
		ThreeDSecurePreference: r.ThreeDSecurePreference,
		AvailableCards:         strings.Join(r.AvailableCards, ";"),
		IsMine:                 r.IsMine,
		Message:                r.Message,
		UrlReturn:              r.UrlReturn,
		UrlCallback:            r.UrlCallback,
		Status:                 statusWaiting,
		Type:                   typePayment,
		PayerInfo:              clone(r.PayerInfo),
		ExtraParameters:        clone(r.ExtraParameters),
		Billing:                clone(r.Billing),
		ShipTo:                 clone(r.ShipTo),
		Delivery:               clone(r.Delivery),
		ClientScreen:           clone(r.ClientScreen),
		ThreeDsOptData:         clone(r.ThreeDsOptData),
		GiftCard:               clone(r.GiftCard),
	}
	b := r.Beneficiary
	c.Beneficiary = &b
	if r.Card != nil {
		// The card is not known until the payer has paid.
		c.Card = &card{AppCardId: r.Card.AppCardId, Name: r.Card.Name, Network: networkUnknown}
	}
	return c
}

// clone copies the struct p points to, so that the answer and the
// request do not share it.
func clone[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

// isoDate writes a date as S-money does: ISO 8601 in Paris time with its
// offset and microseconds, 2013-09-10T15:49:58.791121+02:00 (the seed's
// examples have six fractional digits, also for midnight). A nil paris
// keeps t's own zone.
func isoDate(t time.Time, paris *time.Location) string {
	if paris != nil {
		t = t.In(paris)
	}
	return t.Format("2006-01-02T15:04:05.000000-07:00")
}

// card is Card. In a request only AppCardId and Name are read (both
// mandatory when Card is sent: the card the payer uses is registered under
// them); the others are output only. Hint, Country and ExpiryDate are left
// out while unknown, because .NET cannot read "" as a DateTime.
type card struct {
	Id        int64  `json:"Id"`
	AppCardId string `json:"AppCardId"`
	// Network is one of the network constants.
	Network int    `json:"Network"`
	Hint    string `json:"Hint,omitempty"`
	Name    string `json:"Name"`
	Country string `json:"Country,omitempty"`
	// ExpiryDate is written by isoDate.
	ExpiryDate string `json:"ExpiryDate,omitempty"`
}

// cardHint hides a card number as the seed's "6XXXX4": its first digit,
// XXXX, its last digit.
func cardHint(pan string) string {
	if len(pan) < 2 {
		return ""
	}
	return pan[:1] + "XXXX" + pan[len(pan)-1:]
}

// cardNetwork is the Network of a brand of AvailableCards. The seed knows
// only CB, Mastercard and Visa: Maestro runs on Mastercard's network and
// Visa Electron on Visa's.
func cardNetwork(brand string) int {
	switch strings.ToUpper(brand) {
	case "CB":
		return networkCB
	case "MASTERCARD", "MAESTRO":
		return networkMastercard
	case "VISA", "VISA_ELECTRON":
		return networkVisa
	}
	return networkUnknown
}

// beneficiary is Beneficiary: AppAccountId is read from a request, the
// rest is output only. DisplayName is a string although the seed's table
// says Long: it is a name.
type beneficiary struct {
	Id           int64  `json:"Id"`
	AppAccountId string `json:"AppAccountId"`
	DisplayName  string `json:"DisplayName"`
	Email        string `json:"Email"`
	Phonenumber  string `json:"Phonenumber"`
	Href         string `json:"Href"`
}

// The sub-objects below are read from the request and echoed in the
// answer. Their keys are the seed's names with a capital first letter
// ("mail" is written Mail, which is also what the PHP client reads);
// optional properties are left out when absent, numbers and booleans
// through pointers so that an explicit 0 or false is kept.

type payerInfo struct {
	Name string `json:"Name"`
	Mail string `json:"Mail"`
}

// extraParameters is ExtraParameters. The seed spells the key ProfilName,
// the official PHP client ProfileName: both are read, and the answer uses
// the spelling the merchant sent.
type extraParameters struct {
	ProfilName string
	// key is the spelling the merchant used, ProfilName or ProfileName.
	key string
}

func (p extraParameters) MarshalJSON() ([]byte, error) {
	if p.ProfilName == "" {
		return []byte("{}"), nil
	}
	key := p.key
	if key == "" {
		key = "ProfilName"
	}
	return json.Marshal(map[string]string{key: p.ProfilName})
}

type billing struct {
	City                string `json:"City"`
	Country             string `json:"Country"`
	Address             string `json:"Address"`
	PostalCode          string `json:"PostalCode"`
	Billingaddressstate string `json:"Billingaddressstate,omitempty"`
}

// Shipping indicators (seed: ShipTo.AddressType).
const (
	addressEDelivery     = 0
	addressVerified      = 1
	addressNew           = 2
	addressBilling       = 3
	addressStorePickup   = 4
	addressTravelPickup  = 5
	addressOther         = 6
	addressTypeLastValue = addressOther
)

type shipTo struct {
	City         string `json:"City,omitempty"`
	Country      string `json:"Country,omitempty"`
	Address      string `json:"Address,omitempty"`
	PostalCode   string `json:"PostalCode,omitempty"`
	AddressType  int    `json:"AddressType"`
	AddressState string `json:"AddressState,omitempty"`
	// AddressDate is a String in the seed, kept as sent.
	AddressDate string `json:"AddressDate,omitempty"`
}

// deliveryTimeframes are the values of Delivery.timeframe.
var deliveryTimeframes = []string{"electronic", "sameday", "overnight", "longer"}

type delivery struct {
	Email     string `json:"Email,omitempty"`
	Timeframe string `json:"Timeframe,omitempty"`
}

type clientScreen struct {
	ColorDepth   *int `json:"ColorDepth,omitempty"`
	ScreenHeight *int `json:"ScreenHeight,omitempty"`
	ScreenWidth  *int `json:"ScreenWidth,omitempty"`
}

// clientAuthMethods are the values of ThreeDsOptData.ClientAuthMethod.
var clientAuthMethods = []string{"guest", "credentials", "federated", "issuer", "thirdparty", "fido"}

// threeDsOptData is ThreeDsOptData. Dates are kept as sent, once checked.
type threeDsOptData struct {
	ClientAuthMethod             string `json:"ClientAuthMethod,omitempty"`
	AccountChangeDate            string `json:"AccountChangeDate,omitempty"`
	AccountCreationDate          string `json:"AccountCreationDate,omitempty"`
	Passwordchangedate           string `json:"Passwordchangedate,omitempty"`
	Last6MonthsPurchaseCount     *int   `json:"Last6MonthsPurchaseCount,omitempty"`
	Last24hoursaddcardattempts   *int   `json:"Last24hoursaddcardattempts,omitempty"`
	Last24hourstransactioncount  *int   `json:"Last24hourstransactioncount,omitempty"`
	Last12Monthstransactioncount *int   `json:"Last12Monthstransactioncount,omitempty"`
	Cardenrolldate               string `json:"Cardenrolldate,omitempty"`
	Suspiciousaccountactivity    *bool  `json:"Suspiciousaccountactivity,omitempty"`
	Homephone                    string `json:"Homephone,omitempty"`
	Mobilephone                  string `json:"Mobilephone,omitempty"`
	Workphone                    string `json:"Workphone,omitempty"`
	Preorderdate                 string `json:"Preorderdate,omitempty"`
	Itemavailability             *bool  `json:"Itemavailability,omitempty"`
	Reorderingitem               *bool  `json:"Reorderingitem,omitempty"`
	Recurringexpiry              string `json:"Recurringexpiry,omitempty"`
	Recurringfrequency           *int   `json:"Recurringfrequency,omitempty"`
}

type giftCard struct {
	Amount   *int   `json:"Amount,omitempty"`
	Count    *int   `json:"Count,omitempty"`
	Currency string `json:"Currency,omitempty"`
}

// extraResults is ExtraResults of the V3 (Dalenys) era. The keys are
// exactly the seed's, odd casing and leading digits included, as clients
// look them up verbatim.
//
// warrantyresult is a JSON boolean, although the seed's table says a
// String "Yes / no": S-money's own V3 example shows a boolean, and the
// official .NET client binds this key (case-insensitively) to a bool
// WarrantyResult, which a "Yes" would make throw.
type extraResults struct {
	ThreeDSecure                bool   `json:"threedsecure"`
	ThreeDSecureAuthStatus      int    `json:"threedsecureauthstatus"`
	ThreeDSecureSignatureStatus int    `json:"threedsecuresignaturestatus"`
	ThreeDSecureGlobalStatus    int    `json:"threedsecureglobalstatus"`
	ThreeDsCardEnrolled         int    `json:"ThreeDsCardEnrolled"`
	ExecCode                    string `json:"ExecCode"`
	ExecMessage                 string `json:"ExecMessage"`
	WarrantyResult              bool   `json:"warrantyresult"`
	ThreeDSecureVersion         int    `json:"3dsecureversion"`
	ThreeDSecureMode            int    `json:"3dsecuremode"`
	BankAuthResult              int    `json:"bankauthresult"`
}

// execMessages describe the Dalenys ExecCodes of spec §6. 0000's text is
// the one S-money's example shows; the others are ours.
var execMessages = map[string]string{
	"0000": "Successful operation",
	"0001": "3-D Secure authentication required",
	"4001": "Declined by the card network",
	"4002": "Insufficient funds",
	"4003": "Card declined by the issuing bank",
	"4004": "Payment abandoned by the payer",
	"4005": "Declined on suspicion of fraud",
	"4009": "3-D Secure authentication abandoned or expired",
	"4010": "Invalid transaction",
	"4011": "Duplicate transaction",
	"4012": "Invalid card data",
	"4013": "Transaction not allowed for this cardholder",
	"4014": "Card not enrolled in 3-D Secure",
	"4015": "Transaction expired",
	"4016": "Declined by the payment terminal",
	"4017": "Payment form expired",
	"4018": "Recurring payment authorisation revoked",
	"4019": "The issuing bank will decline any further transaction",
	"4020": "Strong customer authentication required by the issuer",
	"4021": "Operation not allowed",
	"5001": "Protocol failure with the bank",
	"5002": "Network error while reaching the bank",
	"5003": "Bank service under maintenance",
	"5004": "The bank did not answer in time",
	"5005": "3-D Secure service error",
	"5006": "Unexpected answer from the bank",
	"6001": "Declined by the merchant",
	"6002": "Transaction declined",
	"6003": "The cardholder has already disputed a payment",
	"6004": "Declined by the merchant's or the platform's rules",
	"6005": "Card not enrolled or 3-D Secure unavailable",
	"6006": "Payment method blocked",
	"6007": "Prohibited by the card networks",
	"6008": "The cardholder reported fraud",
}

// execMessage is the ExecMessage of an ExecCode; ok is false for a code
// that spec §6 does not list (4006 to 4008 among them).
func execMessage(code string) (message string, ok bool) {
	message, ok = execMessages[code]
	return message, ok
}

// errorClass is the ErrorCode of a payment whose ExecCode is execCode: its
// first digit's class (seed: ErrorCode). 6XXX is 16 on the V3 resource,
// although Xpollens callbacks write 15. A code that is not four digits, or
// of an unknown class, is a system error (14).
func errorClass(execCode string) int {
	if len(execCode) != 4 || strings.Trim(execCode, "0123456789") != "" {
		return 14
	}
	switch execCode[0] {
	case '0':
		return 0
	case '1':
		return 10
	case '2':
		return 11
	case '3':
		return 12
	case '4':
		return 13
	case '5':
		return 14
	case '6':
		return 16
	}
	return 14
}

// execStatus is the Status a payment gets from its ExecCode: 0000 paid,
// 0001 still waiting for 3-D Secure, anything else refused.
func execStatus(execCode string) int {
	switch errorClass(execCode) {
	case 0:
		if execCode == "0000" {
			return statusCompleted
		}
		return statusWaiting
	default:
		return statusRefused
	}
}

// Reading requests.
//
// S-money binds requests the ASP.NET way, ignoring the case of property
// names (clients send orderId, OrderId, ismine, Require3ds…). The body is
// therefore decoded into maps whose keys are lower-cased at every level,
// and properties are looked up by their lower-cased names. When a body
// holds the same property twice in different casings the last one wins,
// as encoding/json and Newtonsoft do for a repeated key. Properties we do
// not know are ignored, output-only ones (Id, Status, Href…) too, since
// the .NET client posts a whole CardPayment with them set to defaults. A
// null property counts as absent, for the same reason.
//
// Values must have their JSON type: a string where a number is expected
// is refused (178). A number written with a fraction or an exponent is
// taken when it is whole (PHP may write 1500.0).

// maxDepth bounds the nesting of a request body; the resource is three
// levels deep.
const maxDepth = 32

var errTooDeep = errors.New("nested too deeply")

// decodeBody reads a request body, which must be one JSON object. An empty
// body or null has no properties.
func decodeBody(body []byte) (map[string]any, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	v, err := decodeValue(dec, 0)
	switch {
	case err == io.EOF:
		return map[string]any{}, nil
	case err != nil:
		return nil, &apiError{Status: http.StatusBadRequest, Code: codeInvalidParameters,
			Message: "request body: not valid JSON: " + err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &apiError{Status: http.StatusBadRequest, Code: codeInvalidParameters,
			Message: "request body: data after the JSON object"}
	}
	switch m := v.(type) {
	case map[string]any:
		return m, nil
	case nil:
		return map[string]any{}, nil
	}
	return nil, &apiError{Status: http.StatusBadRequest, Code: codeInvalidParameters,
		Message: "request body: must be a JSON object"}
}

// decodeValue reads one JSON value: a map with lower-cased keys, a []any,
// a json.Number, a string, a bool or nil.
func decodeValue(dec *json.Decoder, depth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	if depth >= maxDepth {
		return nil, errTooDeep
	}
	switch delim {
	case '{':
		m := map[string]any{}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			name, _ := key.(string)
			v, err := decodeValue(dec, depth+1)
			if err != nil {
				return nil, noEOF(err)
			}
			m[strings.ToLower(name)] = v
		}
		if _, err := dec.Token(); err != nil {
			return nil, noEOF(err)
		}
		return m, nil
	case '[':
		list := []any{}
		for dec.More() {
			v, err := decodeValue(dec, depth+1)
			if err != nil {
				return nil, noEOF(err)
			}
			list = append(list, v)
		}
		if _, err := dec.Token(); err != nil {
			return nil, noEOF(err)
		}
		return list, nil
	}
	return nil, fmt.Errorf("unexpected %v", delim)
}

// noEOF turns an end of input inside a value into an error, so that only
// an empty body reads as io.EOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// object is a JSON object of a request, keys lower-cased, with its path
// in the request for messages.
type object struct {
	m    map[string]any
	path string
}

// name is the path of one of o's properties, in the seed's spelling.
func (o object) name(field string) string {
	if o.path == "" {
		return field
	}
	return o.path + "." + field
}

// value is a property's value, and false when it is absent or null.
func (o object) value(field string) (any, bool) {
	v, ok := o.m[strings.ToLower(field)]
	if !ok || v == nil {
		return nil, false
	}
	return v, true
}

// jsonType names a value's JSON type for messages.
func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "null"
}

// str reads a string property; ok is false when it is absent, null or
// empty.
func (o object) str(field string) (s string, ok bool, e *apiError) {
	v, present := o.value(field)
	if !present {
		return "", false, nil
	}
	s, isString := v.(string)
	if !isString {
		return "", false, invalid(o.name(field), "must be a string, not %s", jsonType(v))
	}
	return s, s != "", nil
}

// mandatoryStr reads a string property that must be there and not blank.
func (o object) mandatoryStr(field string) (string, *apiError) {
	s, ok, e := o.str(field)
	if e != nil {
		return "", e
	}
	if !ok || strings.TrimSpace(s) == "" {
		return "", missing(o.name(field))
	}
	return s, nil
}

// integer reads a whole-number property of the given size in bits (32 for
// the seed's Int, 64 for Long).
func (o object) integer(field string, bits int) (n int64, ok bool, e *apiError) {
	v, present := o.value(field)
	if !present {
		return 0, false, nil
	}
	return integerValue(v, o.name(field), bits)
}

func integerValue(v any, path string, bits int) (int64, bool, *apiError) {
	num, isNumber := v.(json.Number)
	if !isNumber {
		return 0, false, invalid(path, "must be an integer, not %s", jsonType(v))
	}
	n, err := strconv.ParseInt(string(num), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(string(num), 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, false, invalid(path, "must be an integer, not %s", quote(string(num)))
		}
		n = int64(f)
	}
	if bits == 32 && (n < math.MinInt32 || n > math.MaxInt32) {
		return 0, false, invalid(path, "out of range")
	}
	return n, true, nil
}

// count reads an optional Int that may not be negative.
func (o object) count(field string) (*int, *apiError) {
	n, ok, e := o.integer(field, 32)
	switch {
	case e != nil:
		return nil, e
	case !ok:
		return nil, nil
	case n < 0:
		return nil, invalid(o.name(field), "must not be negative")
	}
	c := int(n)
	return &c, nil
}

// boolean reads a boolean property.
func (o object) boolean(field string) (b bool, ok bool, e *apiError) {
	v, present := o.value(field)
	if !present {
		return false, false, nil
	}
	b, isBool := v.(bool)
	if !isBool {
		return false, false, invalid(o.name(field), "must be a boolean, not %s", jsonType(v))
	}
	return b, true, nil
}

// optionalBool reads a boolean property that may be absent.
func (o object) optionalBool(field string) (*bool, *apiError) {
	b, ok, e := o.boolean(field)
	if e != nil || !ok {
		return nil, e
	}
	return &b, nil
}

// child reads an object property.
func (o object) child(field string) (sub object, ok bool, e *apiError) {
	v, present := o.value(field)
	if !present {
		return object{}, false, nil
	}
	m, isObject := v.(map[string]any)
	if !isObject {
		return object{}, false, invalid(o.name(field), "must be an object, not %s", jsonType(v))
	}
	return object{m: m, path: o.name(field)}, true, nil
}

// oneOf reads an optional string property whose value must be in list,
// compared without regard to case; the result is spelled as in list.
func (o object) oneOf(field string, list []string) (string, *apiError) {
	s, ok, e := o.str(field)
	if e != nil || !ok {
		return "", e
	}
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return v, nil
		}
	}
	return "", notInList(o.name(field), s, list)
}

// Formats of the seed's values.
var (
	countryPattern  = regexp.MustCompile(`^[A-Z]{2}$`)
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
	phonePattern    = regexp.MustCompile(`^\+[0-9]{1,15}$`)
	emailPattern    = regexp.MustCompile(`^[^\s@]+@([^\s@.]+\.)+[^\s@.]+$`)
)

const maxEmailLength = 254

func validEmail(s string) bool {
	return len(s) <= maxEmailLength && emailPattern.MatchString(s)
}

// parseDate reads a date as clients write it: 2013-09-10, or ISO 8601
// with or without an offset and fractional seconds (the PHP and .NET
// clients write none). A date without an offset is in loc. Years 1 to
// 9998 only, so that the date stays a four-digit year in any zone.
func parseDate(s string, loc *time.Location) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02"} {
		if err == nil {
			break
		}
		t, err = time.ParseInLocation(layout, s, loc)
	}
	if err != nil || t.Year() < 1 || t.Year() > 9998 {
		return time.Time{}, false
	}
	return t, true
}

// readCardPayment reads and checks the body of a card payment creation.
func readCardPayment(body []byte) (*cardPaymentRequest, *apiError) {
	m, e := decodeBody(body)
	if e != nil {
		return nil, e
	}
	o := object{m: m}
	r := &cardPaymentRequest{}
	for _, step := range []func(object, *cardPaymentRequest) *apiError{
		readAmounts, readOrder, readURLs, readThreeDSecure, readCard, readBeneficiary,
		readPayerInfo, readExtraParameters, readBilling, readShipping, readClientScreen,
		readThreeDsOptData, readGiftCard, readPaymentSchedule, readPayments,
	} {
		if e := step(o, r); e != nil {
			return nil, e
		}
	}
	return r, nil
}

func readAmounts(o object, r *cardPaymentRequest) *apiError {
	amount, ok, e := o.integer("Amount", 64)
	switch {
	case e != nil:
		return e
	case !ok:
		return missing("Amount")
	case amount <= 0:
		return badRequest(codeMissingParameter, "Amount", "must be greater than 0")
	}
	r.Amount = amount
	fee, e := readFee(o)
	if e != nil {
		return e
	}
	r.Fee = fee
	return nil
}

// readFee reads Fee, an integer, or in v1 an object whose AmountWithVAT
// (or else Amount) is the fee.
func readFee(o object) (int64, *apiError) {
	v, ok := o.value("Fee")
	if !ok {
		return 0, nil
	}
	path := o.name("Fee")
	var fee int64
	if _, isObject := v.(map[string]any); isObject {
		fo, _, _ := o.child("Fee")
		var has bool
		var e *apiError
		path = o.name("Fee") + ".AmountWithVAT"
		if fee, has, e = fo.integer("AmountWithVAT", 64); e != nil {
			return 0, e
		}
		if !has {
			path = o.name("Fee") + ".Amount"
			if fee, _, e = fo.integer("Amount", 64); e != nil {
				return 0, e
			}
		}
	} else {
		var e *apiError
		if fee, _, e = integerValue(v, path, 64); e != nil {
			return 0, e
		}
	}
	if fee < 0 {
		return 0, invalid(path, "must not be negative")
	}
	return fee, nil
}

func readOrder(o object, r *cardPaymentRequest) *apiError {
	id, e := o.mandatoryStr("OrderId")
	if e != nil {
		return e
	}
	if utf8.RuneCountInString(id) > maxOrderIDLength {
		return invalid("OrderId", "at most %d characters", maxOrderIDLength)
	}
	if strings.IndexFunc(id, func(c rune) bool { return !unicode.IsGraphic(c) }) >= 0 {
		return invalid("OrderId", "only printable characters are allowed")
	}
	r.OrderId = id

	if r.AvailableCards, e = readAvailableCards(o); e != nil {
		return e
	}

	if r.IsMine, _, e = o.boolean("IsMine"); e != nil {
		return e
	}
	if r.Message, _, e = o.str("Message"); e != nil {
		return e
	}
	return nil
}

// blockedSchemes are URL schemes a return URL may not have: our hosted
// page sends the payer's browser there, and these would run or show
// content instead of leaving the page.
var blockedSchemes = []string{"javascript", "data", "vbscript", "file", "blob", "about"}

func readURLs(o object, r *cardPaymentRequest) *apiError {
	ret, e := o.mandatoryStr("UrlReturn")
	if e != nil {
		return e
	}
	// A mobile application may have a custom scheme (myapp://paid), so
	// only http and https need a host.
	u, err := url.Parse(ret)
	switch {
	case err != nil || u.Scheme == "" || strings.ContainsFunc(ret, unicode.IsSpace):
		return invalid("UrlReturn", "must be an absolute URL")
	case slices.Contains(blockedSchemes, strings.ToLower(u.Scheme)):
		return invalid("UrlReturn", "the %s scheme is not allowed", strings.ToLower(u.Scheme))
	case isWeb(u) && u.Host == "":
		return invalid("UrlReturn", "must be an absolute URL")
	case u.Host == "" && u.Opaque == "" && u.Path == "":
		return invalid("UrlReturn", "must be an absolute URL")
	}
	r.UrlReturn = ret

	// Whether the callback's domain is the application's registered one
	// is for the caller to check: it knows the application.
	cb, ok, e := o.str("UrlCallback")
	if e != nil || !ok {
		return e
	}
	u, err = url.Parse(cb)
	if err != nil || !isWeb(u) || u.Host == "" || strings.ContainsFunc(cb, unicode.IsSpace) {
		return invalid("UrlCallback", "must be an absolute http or https URL")
	}
	r.UrlCallback = cb
	return nil
}

func isWeb(u *url.URL) bool {
	s := strings.ToLower(u.Scheme)
	return s == "http" || s == "https"
}

func readThreeDSecure(o object, r *cardPaymentRequest) *apiError {
	pref, ok, e := o.integer("ThreeDSecurePreference", 32)
	if e != nil {
		return e
	}
	// Require3DS is the v1/v2 switch; a V3 preference overrides it.
	require, _, e := o.boolean("Require3DS")
	if e != nil {
		return e
	}
	switch {
	case ok && (pref < preferenceChallenge || pref > preferenceNo3DS):
		return badRequest(codeInvalidValue, "ThreeDSecurePreference", "%d is not one of 0, 1, 2, 3, 4", pref)
	case ok:
		r.ThreeDSecurePreference = int(pref)
	case require:
		r.ThreeDSecurePreference = preferenceChallenge
	default:
		r.ThreeDSecurePreference = preferenceNoPreference
	}
	return nil
}

func readCard(o object, r *cardPaymentRequest) *apiError {
	c, ok, e := o.child("Card")
	if e != nil || !ok {
		return e
	}
	r.Card = &card{}
	if r.Card.AppCardId, e = c.mandatoryStr("AppCardId"); e != nil {
		return e
	}
	r.Card.Name, e = c.mandatoryStr("Name")
	return e
}

func readBeneficiary(o object, r *cardPaymentRequest) *apiError {
	b, ok, e := o.child("Beneficiary")
	if e != nil {
		return e
	}
	id, has, e := b.str("AppAccountId")
	if e != nil {
		return e
	}
	if !ok || !has || strings.TrimSpace(id) == "" {
		return badRequest(codeNoBeneficiary, "Beneficiary.AppAccountId", "missing")
	}
	r.Beneficiary.AppAccountId = id
	return nil
}

func readPayerInfo(o object, r *cardPaymentRequest) *apiError {
	p, ok, e := o.child("PayerInfo")
	if e != nil || !ok {
		return e
	}
	r.PayerInfo = &payerInfo{}
	if r.PayerInfo.Name, e = p.mandatoryStr("Name"); e != nil {
		return e
	}
	if r.PayerInfo.Mail, e = p.mandatoryStr("mail"); e != nil {
		return e
	}
	if !validEmail(r.PayerInfo.Mail) {
		return invalid("PayerInfo.mail", "not a valid e-mail address")
	}
	return nil
}

func readExtraParameters(o object, r *cardPaymentRequest) *apiError {
	x, ok, e := o.child("ExtraParameters")
	if e != nil || !ok {
		return e
	}
	r.ExtraParameters = &extraParameters{}
	// Both spellings are checked; the seed's wins when both are given.
	for _, key := range []string{"ProfileName", "ProfilName"} {
		s, ok, e := x.str(key)
		if e != nil {
			return e
		}
		if ok {
			r.ExtraParameters.ProfilName, r.ExtraParameters.key = s, key
		}
	}
	return nil
}

// address checks a street address: at most 50 characters and no line
// break, as the seed asks of Billing and ShipTo.
func address(path, s string) *apiError {
	switch {
	case utf8.RuneCountInString(s) > maxAddressLength:
		return invalid(path, "at most %d characters", maxAddressLength)
	case strings.ContainsAny(s, "\r\n\v\f\u0085\u2028\u2029"):
		return invalid(path, "must not contain line breaks")
	}
	return nil
}

func country(path, s string) *apiError {
	if !countryPattern.MatchString(s) {
		return invalid(path, "must be an ISO 3166-1 alpha-2 code, two upper-case letters")
	}
	return nil
}

func readBilling(o object, r *cardPaymentRequest) *apiError {
	b, ok, e := o.child("Billing")
	if e != nil || !ok {
		return e
	}
	r.Billing = &billing{}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"City", &r.Billing.City}, {"Country", &r.Billing.Country}, {"Address", &r.Billing.Address}, {"PostalCode", &r.Billing.PostalCode}} {
		if *f.dst, e = b.mandatoryStr(f.name); e != nil {
			return e
		}
	}
	if e := country("Billing.Country", r.Billing.Country); e != nil {
		return e
	}
	if e := address("Billing.Address", r.Billing.Address); e != nil {
		return e
	}
	r.Billing.Billingaddressstate, _, e = b.str("Billingaddressstate")
	return e
}

// readShipping reads ShipTo and Delivery, which depend on each other: an
// eDelivery needs Delivery.email, other deliveries a full address, except
// for pickups and "other", where the address is optional.
func readShipping(o object, r *cardPaymentRequest) *apiError {
	if e := readDelivery(o, r); e != nil {
		return e
	}
	s, ok, e := o.child("ShipTo")
	if e != nil || !ok {
		return e
	}
	r.ShipTo = &shipTo{}
	kind, has, e := s.integer("AddressType", 32)
	switch {
	case e != nil:
		return e
	case !has:
		return missing("ShipTo.AddressType")
	case kind < addressEDelivery || kind > addressTypeLastValue:
		return badRequest(codeInvalidValue, "ShipTo.AddressType", "%d is not one of 0, 1, 2, 3, 4, 5, 6", kind)
	}
	r.ShipTo.AddressType = int(kind)
	needAddress := kind == addressVerified || kind == addressNew || kind == addressBilling
	for _, f := range []struct {
		name string
		dst  *string
	}{{"City", &r.ShipTo.City}, {"Country", &r.ShipTo.Country}, {"Address", &r.ShipTo.Address}, {"PostalCode", &r.ShipTo.PostalCode}} {
		var ok bool
		if *f.dst, ok, e = s.str(f.name); e != nil {
			return e
		}
		if needAddress && (!ok || strings.TrimSpace(*f.dst) == "") {
			return badRequest(codeMissingParameter, "ShipTo."+f.name, "missing (mandatory unless AddressType is 0, 4, 5 or 6)")
		}
	}
	if r.ShipTo.Country != "" {
		if e := country("ShipTo.Country", r.ShipTo.Country); e != nil {
			return e
		}
	}
	if e := address("ShipTo.Address", r.ShipTo.Address); e != nil {
		return e
	}
	if r.ShipTo.AddressState, _, e = s.str("AddressState"); e != nil {
		return e
	}
	if r.ShipTo.AddressDate, _, e = s.str("AddressDate"); e != nil {
		return e
	}
	if kind == addressEDelivery && (r.Delivery == nil || r.Delivery.Email == "") {
		return badRequest(codeMissingParameter, "Delivery.email", "missing (mandatory when ShipTo.AddressType is 0, eDelivery)")
	}
	return nil
}

func readDelivery(o object, r *cardPaymentRequest) *apiError {
	d, ok, e := o.child("Delivery")
	if e != nil || !ok {
		return e
	}
	r.Delivery = &delivery{}
	email, has, e := d.str("email")
	if e != nil {
		return e
	}
	if has && !validEmail(email) {
		return invalid("Delivery.email", "not a valid e-mail address")
	}
	r.Delivery.Email = email
	r.Delivery.Timeframe, e = d.oneOf("timeframe", deliveryTimeframes)
	return e
}

func readClientScreen(o object, r *cardPaymentRequest) *apiError {
	c, ok, e := o.child("ClientScreen")
	if e != nil || !ok {
		return e
	}
	r.ClientScreen = &clientScreen{}
	for _, f := range []struct {
		name string
		dst  **int
	}{{"ColorDepth", &r.ClientScreen.ColorDepth}, {"ScreenHeight", &r.ClientScreen.ScreenHeight}, {"ScreenWidth", &r.ClientScreen.ScreenWidth}} {
		if *f.dst, e = c.count(f.name); e != nil {
			return e
		}
	}
	return nil
}

func readThreeDsOptData(o object, r *cardPaymentRequest) *apiError {
	t, ok, e := o.child("ThreeDsOptData")
	if e != nil || !ok {
		return e
	}
	d := &threeDsOptData{}
	r.ThreeDsOptData = d
	if d.ClientAuthMethod, e = t.oneOf("ClientAuthMethod", clientAuthMethods); e != nil {
		return e
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"AccountChangeDate", &d.AccountChangeDate}, {"AccountCreationDate", &d.AccountCreationDate},
		{"Passwordchangedate", &d.Passwordchangedate}, {"Cardenrolldate", &d.Cardenrolldate},
		{"Preorderdate", &d.Preorderdate}, {"Recurringexpiry", &d.Recurringexpiry},
	} {
		s, ok, e := t.str(f.name)
		if e != nil {
			return e
		}
		if ok {
			if _, valid := parseDate(s, time.UTC); !valid {
				return invalid(t.name(f.name), "must be a date, yyyy-MM-dd or ISO 8601")
			}
		}
		*f.dst = s
	}
	for _, f := range []struct {
		name string
		dst  **int
	}{
		{"Last6MonthsPurchaseCount", &d.Last6MonthsPurchaseCount}, {"Last24hoursaddcardattempts", &d.Last24hoursaddcardattempts},
		{"Last24hourstransactioncount", &d.Last24hourstransactioncount}, {"Last12Monthstransactioncount", &d.Last12Monthstransactioncount},
		{"recurringfrequency", &d.Recurringfrequency},
	} {
		if *f.dst, e = t.count(f.name); e != nil {
			return e
		}
	}
	for _, f := range []struct {
		name string
		dst  **bool
	}{{"Suspiciousaccountactivity", &d.Suspiciousaccountactivity}, {"Itemavailability", &d.Itemavailability}, {"Reorderingitem", &d.Reorderingitem}} {
		if *f.dst, e = t.optionalBool(f.name); e != nil {
			return e
		}
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"Homephone", &d.Homephone}, {"Mobilephone", &d.Mobilephone}, {"Workphone", &d.Workphone}} {
		s, ok, e := t.str(f.name)
		switch {
		case e != nil:
			return e
		case !ok:
		case utf8.RuneCountInString(s) > maxPhoneLength:
			return invalid(t.name(f.name), "at most %d characters", maxPhoneLength)
		case !phonePattern.MatchString(s):
			return invalid(t.name(f.name), "must be an E.164 number, + and 1 to 15 digits")
		}
		*f.dst = s
	}
	return nil
}

func readGiftCard(o object, r *cardPaymentRequest) *apiError {
	g, ok, e := o.child("GiftCard")
	if e != nil || !ok {
		return e
	}
	r.GiftCard = &giftCard{}
	if r.GiftCard.Amount, e = g.count("Amount"); e != nil {
		return e
	}
	if r.GiftCard.Count, e = g.count("Count"); e != nil {
		return e
	}
	c, has, e := g.str("Currency")
	if e != nil {
		return e
	}
	if has && !currencyPattern.MatchString(c) {
		return invalid("GiftCard.Currency", "must be an ISO 4217 alphabetic code, three upper-case letters")
	}
	r.GiftCard.Currency = c
	return nil
}

func readPaymentSchedule(o object, r *cardPaymentRequest) *apiError {
	s, e := readSchedule(o, r.Fee)
	if e != nil || s == nil {
		return e
	}
	// The rules that do not depend on today are checked now, so that a
	// bad schedule is refused with the rest of the request.
	if _, e := s.plan(r.Amount, time.Time{}, false); e != nil {
		return e
	}
	r.PaymentSchedule = s
	return nil
}

// readAvailableCards reads AvailableCards, the ";"-separated brands a
// page offers, in the seed's spelling and without repeats; nil when none
// is named.
func readAvailableCards(o object) ([]string, *apiError) {
	cards, _, e := o.str("AvailableCards")
	if e != nil {
		return nil, e
	}
	var list []string
	for item := range strings.SplitSeq(cards, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		i := slices.IndexFunc(cardBrands, func(b string) bool { return strings.EqualFold(b, item) })
		if i < 0 {
			return nil, notInList("AvailableCards", item, cardBrands)
		}
		if !slices.Contains(list, cardBrands[i]) {
			list = append(list, cardBrands[i])
		}
	}
	return list, nil
}
