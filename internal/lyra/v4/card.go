package v4

// CardDetails describes the card of a transaction and what the networks
// answered (V4/PaymentMethod/Details/CardDetails). Amounts are in the
// currency's minor unit.
type CardDetails struct {
	// PaymentSource is EC, MOTO, CC or OTHER (refunds).
	PaymentSource string `json:"paymentSource"`
	// ManualValidation is YES or NO.
	ManualValidation    string `json:"manualValidation"`
	ExpectedCaptureDate *Time  `json:"expectedCaptureDate"`
	EffectiveBrand      string `json:"effectiveBrand"`
	// PAN is masked, as in "497010XXXXXX0055".
	PAN                  string  `json:"pan"`
	ExpiryMonth          int     `json:"expiryMonth"`
	ExpiryYear           int     `json:"expiryYear"`
	Country              *string `json:"country"`
	IssuerCode           *int    `json:"issuerCode"`
	IssuerName           *string `json:"issuerName"`
	EffectiveProductCode *string `json:"effectiveProductCode"`
	// LegacyTransID is the 6-character trans_id of Lyra's form API.
	LegacyTransID   string `json:"legacyTransId"`
	LegacyTransDate Time   `json:"legacyTransDate"`
	// PaymentMethodSource is NEW for a typed card, TOKEN for a stored one.
	PaymentMethodSource    string                      `json:"paymentMethodSource"`
	AuthorizationResponse  CardAuthorizationResponse   `json:"authorizationResponse"`
	CaptureResponse        CardCaptureResponse         `json:"captureResponse"`
	ThreeDSResponse        ThreeDSResponse             `json:"threeDSResponse"`
	AuthenticationResponse *AuthenticationResponseData `json:"authenticationResponse"`
	InstallmentNumber      *int                        `json:"installmentNumber"`
	InstallmentCode        *string                     `json:"installmentCode"`
	// MarkAuthorizationResponse is the zero-amount check that precedes a
	// deferred authorization or a token creation.
	MarkAuthorizationResponse          MarkAuthorizationResponse `json:"markAuthorizationResponse"`
	CardHolderName                     *string                   `json:"cardHolderName"`
	CardHolderPAN                      string                    `json:"cardHolderPan"`
	CardHolderExpiryMonth              int                       `json:"cardHolderExpiryMonth"`
	CardHolderExpiryYear               int                       `json:"cardHolderExpiryYear"`
	IdentityDocumentNumber             *string                   `json:"identityDocumentNumber"`
	IdentityDocumentType               *string                   `json:"identityDocumentType"`
	InitialIssuerTransactionIdentifier *string                   `json:"initialIssuerTransactionIdentifier"`
	// ProductCategory is DEBIT or CREDIT.
	ProductCategory *string `json:"productCategory"`
	// Nature is CONSUMER_CARD, ….
	Nature *string `json:"nature"`
	// SequenceType appears in platform 6.25.0 (Order/Get, "NONE") as the
	// last key before the _type, where Lyra's documentation also shows it
	// ("MULTI_PAYMENT" for installments); earlier recordings lack it.
	SequenceType *string `json:"sequenceType"`
}

// MarshalJSON encodes d in Lyra's order.
func (d CardDetails) MarshalJSON() ([]byte, error) {
	type fields CardDetails
	return typed(fields(d), "V4/PaymentMethod/Details/CardDetails")
}

// PaymentMethodDetails is the payment-method-neutral twin of CardDetails
// that Lyra writes next to it (V4/PaymentMethod/Details/PaymentMethodDetails):
// mostly the same facts keyed by the masked PAN, without the legacy 3-D
// Secure block, the product category and nature, and the sequence type.
// The two may disagree: in a recorded partial cancellation (platform
// 6.21.0) the card's authorization amount is 1000 and its twin's 990.
type PaymentMethodDetails struct {
	// ID is the masked PAN for a card.
	ID                                 string                      `json:"id"`
	PaymentSource                      string                      `json:"paymentSource"`
	ManualValidation                   string                      `json:"manualValidation"`
	ExpectedCaptureDate                *Time                       `json:"expectedCaptureDate"`
	EffectiveBrand                     string                      `json:"effectiveBrand"`
	ExpiryMonth                        int                         `json:"expiryMonth"`
	ExpiryYear                         int                         `json:"expiryYear"`
	Country                            *string                     `json:"country"`
	IssuerCode                         *int                        `json:"issuerCode"`
	IssuerName                         *string                     `json:"issuerName"`
	EffectiveProductCode               *string                     `json:"effectiveProductCode"`
	LegacyTransID                      string                      `json:"legacyTransId"`
	LegacyTransDate                    Time                        `json:"legacyTransDate"`
	PaymentMethodSource                string                      `json:"paymentMethodSource"`
	AuthorizationResponse              CardAuthorizationResponse   `json:"authorizationResponse"`
	CaptureResponse                    CardCaptureResponse         `json:"captureResponse"`
	AuthenticationResponse             *AuthenticationResponseData `json:"authenticationResponse"`
	InstallmentNumber                  *int                        `json:"installmentNumber"`
	InstallmentCode                    *string                     `json:"installmentCode"`
	MarkAuthorizationResponse          MarkAuthorizationResponse   `json:"markAuthorizationResponse"`
	CardHolderName                     *string                     `json:"cardHolderName"`
	CardHolderPAN                      string                      `json:"cardHolderPan"`
	CardHolderExpiryMonth              int                         `json:"cardHolderExpiryMonth"`
	CardHolderExpiryYear               int                         `json:"cardHolderExpiryYear"`
	IdentityDocumentNumber             *string                     `json:"identityDocumentNumber"`
	IdentityDocumentType               *string                     `json:"identityDocumentType"`
	InitialIssuerTransactionIdentifier *string                     `json:"initialIssuerTransactionIdentifier"`
}

// MarshalJSON encodes d in Lyra's order.
func (d PaymentMethodDetails) MarshalJSON() ([]byte, error) {
	type fields PaymentMethodDetails
	return typed(fields(d), "V4/PaymentMethod/Details/PaymentMethodDetails")
}

// CardAuthorizationResponse is the authorization of a card transaction
// (V4/PaymentMethod/Details/Cards/CardAuthorizationResponse). A
// VERIFICATION carries only AuthorizationMode "MARK".
type CardAuthorizationResponse struct {
	Amount              *int64  `json:"amount"`
	Currency            *string `json:"currency"`
	AuthorizationDate   *Time   `json:"authorizationDate"`
	AuthorizationNumber *string `json:"authorizationNumber"`
	// AuthorizationResult is "0" when accepted, else the network's code,
	// such as "51".
	AuthorizationResult *string `json:"authorizationResult"`
	// AuthorizationMode is FULL or MARK.
	AuthorizationMode string `json:"authorizationMode"`
}

// MarshalJSON encodes r in Lyra's order.
func (r CardAuthorizationResponse) MarshalJSON() ([]byte, error) {
	type fields CardAuthorizationResponse
	return typed(fields(r), "V4/PaymentMethod/Details/Cards/CardAuthorizationResponse")
}

// CardCaptureResponse is the capture of a card transaction by the nightly
// batch, and the refunds made on it
// (V4/PaymentMethod/Details/Cards/CardCaptureResponse).
type CardCaptureResponse struct {
	RefundAmount            *int64  `json:"refundAmount"`
	RefundCurrency          *string `json:"refundCurrency"`
	CaptureDate             *Time   `json:"captureDate"`
	CaptureFileNumber       *string `json:"captureFileNumber"`
	EffectiveRefundAmount   *int64  `json:"effectiveRefundAmount"`
	EffectiveRefundCurrency *string `json:"effectiveRefundCurrency"`
}

// MarshalJSON encodes r in Lyra's order.
func (r CardCaptureResponse) MarshalJSON() ([]byte, error) {
	type fields CardCaptureResponse
	return typed(fields(r), "V4/PaymentMethod/Details/Cards/CardCaptureResponse")
}

// ThreeDSResponse is the legacy 3-D Secure 1 block
// (V4/PaymentMethod/Details/Cards/ThreeDSResponse), all nulls in every
// recent recording; 3-D Secure 2 results are in AuthenticationResponse.
type ThreeDSResponse struct {
	AuthenticationResultData CardAuthenticationResponse `json:"authenticationResultData"`
}

// MarshalJSON encodes r with its _type.
func (r ThreeDSResponse) MarshalJSON() ([]byte, error) {
	type fields ThreeDSResponse
	return typed(fields(r), "V4/PaymentMethod/Details/Cards/ThreeDSResponse")
}

// CardAuthenticationResponse is the legacy 3-D Secure 1 result
// (V4/PaymentMethod/Details/Cards/CardAuthenticationResponse).
type CardAuthenticationResponse struct {
	TransactionCondition *string `json:"transactionCondition"`
	Enrolled             *string `json:"enrolled"`
	Status               *string `json:"status"`
	ECI                  *string `json:"eci"`
	XID                  *string `json:"xid"`
	CAVVAlgorithm        *string `json:"cavvAlgorithm"`
	CAVV                 *string `json:"cavv"`
	SignValid            *string `json:"signValid"`
	Brand                *string `json:"brand"`
}

// MarshalJSON encodes r in Lyra's order.
func (r CardAuthenticationResponse) MarshalJSON() ([]byte, error) {
	type fields CardAuthenticationResponse
	return typed(fields(r), "V4/PaymentMethod/Details/Cards/CardAuthenticationResponse")
}

// MarkAuthorizationResponse is the zero- or one-unit authorization that
// checks a card before a deferred authorization or a token creation
// (V4/PaymentMethod/Details/Cards/MarkAuthorizationResponse).
type MarkAuthorizationResponse struct {
	Amount              *int64  `json:"amount"`
	Currency            *string `json:"currency"`
	AuthorizationDate   *Time   `json:"authorizationDate"`
	AuthorizationNumber *string `json:"authorizationNumber"`
	AuthorizationResult *string `json:"authorizationResult"`
}

// MarshalJSON encodes r in Lyra's order.
func (r MarkAuthorizationResponse) MarshalJSON() ([]byte, error) {
	type fields MarkAuthorizationResponse
	return typed(fields(r), "V4/PaymentMethod/Details/Cards/MarkAuthorizationResponse")
}
