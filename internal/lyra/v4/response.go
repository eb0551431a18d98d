package v4

import "encoding/json"

// Values of Response.Status.
const (
	StatusSuccess = "SUCCESS"
	StatusError   = "ERROR"
)

// Values of Response.Mode and OrderDetails.Mode: the key family used to
// call the API (testpassword_… or prodpassword_…) selects the mode.
const (
	ModeTest       = "TEST"
	ModeProduction = "PRODUCTION"
)

// apiVersion is the envelope's version for every V4 web service.
const apiVersion = "V4"

// Response is the envelope of every web service answer
// (V4/WebService/Response). Business errors use the same envelope, with
// Status StatusError and a WebServiceError as Answer.
//
// To decode an envelope whose answer type is known, set Answer to a
// pointer first: encoding/json then decodes the answer into it, keeping
// its type, instead of building a map.
type Response struct {
	// WebService is the "<Service>/<Method>" path that was called, such
	// as "Charge/CreatePayment".
	WebService string `json:"webService"`
	// Version is "V4" when left empty.
	Version string `json:"version"`
	// ApplicationVersion is the platform build, such as "6.25.0".
	ApplicationVersion string `json:"applicationVersion"`
	Status             string `json:"status"`
	// Answer is the inner object: a PaymentForm, a Payment, a
	// Transaction, a WebServiceError, ….
	Answer any `json:"answer"`
	// Ticket is a fresh 32-hex-digit identifier of the call.
	Ticket     string `json:"ticket"`
	ServerDate Time   `json:"serverDate"`
	// ApplicationProvider is the brand, such as "LYRA" or "PAYZEN".
	ApplicationProvider string `json:"applicationProvider"`
	// Metadata is null in every recording; it is not the payment's
	// metadata.
	Metadata json.RawMessage `json:"metadata"`
	Mode     string          `json:"mode"`
	// ServerURL is the API base URL of the brand, such as
	// "https://api.lyra.com".
	ServerURL string `json:"serverUrl"`
}

// MarshalJSON encodes r in Lyra's order.
func (r Response) MarshalJSON() ([]byte, error) {
	type fields Response
	if r.Version == "" {
		r.Version = apiVersion
	}
	return typed(fields(r), "V4/WebService/Response")
}

// WebServiceError is the answer of a failed call
// (V4/WebService/WebServiceError), such as PSP_010 or INT_902.
type WebServiceError struct {
	ErrorCode    string `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
	// DetailedErrorCode is null for most INT_ and PSP_ errors and holds
	// the network code (such as "51") for ACQ_001.
	DetailedErrorCode    *string `json:"detailedErrorCode"`
	DetailedErrorMessage *string `json:"detailedErrorMessage"`
	ShopID               string  `json:"shopId"`
}

// MarshalJSON encodes e in Lyra's order. The "ticket" key between the
// detailed message and the shop id holds the string "null" (neither a null
// nor the envelope's ticket) in every recording, so it is written here
// rather than kept as a field.
func (e WebServiceError) MarshalJSON() ([]byte, error) {
	return typed(struct {
		ErrorCode            string  `json:"errorCode"`
		ErrorMessage         string  `json:"errorMessage"`
		DetailedErrorCode    *string `json:"detailedErrorCode"`
		DetailedErrorMessage *string `json:"detailedErrorMessage"`
		Ticket               string  `json:"ticket"`
		ShopID               string  `json:"shopId"`
	}{e.ErrorCode, e.ErrorMessage, e.DetailedErrorCode, e.DetailedErrorMessage, "null", e.ShopID},
		"V4/WebService/WebServiceError")
}

// PaymentForm is the answer of Charge/CreatePayment and Charge/CreateToken
// when a form is to be shown (V4/Charge/PaymentForm).
type PaymentForm struct {
	// FormToken is opaque to merchants; it configures the embedded form.
	FormToken string `json:"formToken"`
}

// MarshalJSON encodes f with its _type.
func (f PaymentForm) MarshalJSON() ([]byte, error) {
	type fields PaymentForm
	return typed(fields(f), "V4/Charge/PaymentForm")
}

// String is the answer of Charge/SDKTest, which echoes the value it was
// sent (V4/Type/String).
type String struct {
	Value string `json:"value"`
}

// MarshalJSON encodes s with its _type.
func (s String) MarshalJSON() ([]byte, error) {
	type fields String
	return typed(fields(s), "V4/Type/String")
}

// ResponseCodeAnswer is the answer of Token/Cancel, Token/Reactivate and
// Subscription/Cancel (V4/Common/ResponseCodeAnswer); 0 means done.
type ResponseCodeAnswer struct {
	ResponseCode int `json:"responseCode"`
}

// MarshalJSON encodes a with its _type.
func (a ResponseCodeAnswer) MarshalJSON() ([]byte, error) {
	type fields ResponseCodeAnswer
	return typed(fields(a), "V4/Common/ResponseCodeAnswer")
}
