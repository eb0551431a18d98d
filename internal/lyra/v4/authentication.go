package v4

// AuthenticationResponseData is the 3-D Secure authentication of a card
// transaction (V4/AuthenticationResponseData), as it appears in
// CardDetails.AuthenticationResponse.
//
// Platform 6.21.0 leaves out of this object and its parts every key whose
// value is null (the recorded IPNs and Lyra's documentation list them
// all); these types always write every key, null included.
type AuthenticationResponseData struct {
	ID                 string   `json:"id"`
	OperationSessionID *string  `json:"operationSessionId"`
	Protocol           Protocol `json:"protocol"`
	// Value is the result of the authentication. The PCI Authenticate
	// web service may put an instruction there instead, which this
	// package does not model.
	Value *AuthenticationResult `json:"value"`
}

// MarshalJSON encodes d in Lyra's order.
func (d AuthenticationResponseData) MarshalJSON() ([]byte, error) {
	type fields AuthenticationResponseData
	return typed(fields(d), "V4/AuthenticationResponseData")
}

// Protocol is the authentication protocol used
// (V4/Charge/Authenticate/Protocol).
type Protocol struct {
	// Name is THREEDS.
	Name string `json:"name"`
	// Version is the 3-D Secure version, such as "2.2.0".
	Version string `json:"version"`
	// Network is the directory server's network, such as VISA.
	Network             string `json:"network"`
	ChallengePreference string `json:"challengePreference"`
	// Simulation is true in TEST mode.
	Simulation bool `json:"simulation"`
}

// MarshalJSON encodes p in Lyra's order.
func (p Protocol) MarshalJSON() ([]byte, error) {
	type fields Protocol
	return typed(fields(p), "V4/Charge/Authenticate/Protocol")
}

// AuthenticationResult is the outcome of an authentication
// (V4/Charge/Authenticate/AuthenticationResult).
type AuthenticationResult struct {
	// AuthenticationType is FRICTIONLESS, CHALLENGE, ….
	AuthenticationType  *string              `json:"authenticationType"`
	AuthenticationID    *AuthenticationID    `json:"authenticationId"`
	AuthenticationValue *AuthenticationValue `json:"authenticationValue"`
	// Status is SUCCESS, FAILED, NOT_ENROLLED, UNAVAILABLE, ATTEMPT, ….
	Status            string                                 `json:"status"`
	CommerceIndicator *string                                `json:"commerceIndicator"`
	Extension         AuthenticationResultExtensionThreeDSV2 `json:"extension"`
	Reason            *AuthenticationResultReason            `json:"reason"`
}

// MarshalJSON encodes r in Lyra's order.
func (r AuthenticationResult) MarshalJSON() ([]byte, error) {
	type fields AuthenticationResult
	return typed(fields(r), "V4/Charge/Authenticate/AuthenticationResult")
}

// AuthenticationID identifies an authentication at the directory server
// (V4/Charge/Authenticate/AuthenticationId).
type AuthenticationID struct {
	// AuthenticationIDType is dsTransId for 3-D Secure 2.
	AuthenticationIDType string `json:"authenticationIdType"`
	Value                string `json:"value"`
}

// MarshalJSON encodes i in Lyra's order.
func (i AuthenticationID) MarshalJSON() ([]byte, error) {
	type fields AuthenticationID
	return typed(fields(i), "V4/Charge/Authenticate/AuthenticationId")
}

// AuthenticationValue is the cryptogram of an authentication
// (V4/Charge/Authenticate/AuthenticationValue), masked in answers.
type AuthenticationValue struct {
	// AuthenticationValueType is CAVV, ….
	AuthenticationValueType string `json:"authenticationValueType"`
	Value                   string `json:"value"`
}

// MarshalJSON encodes v in Lyra's order.
func (v AuthenticationValue) MarshalJSON() ([]byte, error) {
	type fields AuthenticationValue
	return typed(fields(v), "V4/Charge/Authenticate/AuthenticationValue")
}

// AuthenticationResultExtensionThreeDSV2 holds the 3-D Secure 2 details of
// an authentication
// (V4/Charge/Authenticate/AuthenticationResultExtensionThreedsV2).
type AuthenticationResultExtensionThreeDSV2 struct {
	// AuthenticationType is THREEDS_V2.
	AuthenticationType            string  `json:"authenticationType"`
	ChallengeCancelationIndicator *string `json:"challengeCancelationIndicator"`
	CBScore                       *string `json:"cbScore"`
	CBAvalgo                      *string `json:"cbAvalgo"`
	CBExemption                   *string `json:"cbExemption"`
	PaymentUseCase                *string `json:"paymentUseCase"`
	ThreeDSServerTransID          *string `json:"threeDSServerTransID"`
	DSTransID                     *string `json:"dsTransID"`
	ACSTransID                    *string `json:"acsTransID"`
	SDKTransID                    *string `json:"sdkTransID"`
	TransStatusReason             *string `json:"transStatusReason"`
	RequestedExemption            *string `json:"requestedExemption"`
	RequestorName                 *string `json:"requestorName"`
	CardHolderInfo                *string `json:"cardHolderInfo"`
	DataOnlyStatus                *string `json:"dataOnlyStatus"`
	DataOnlyDecision              *string `json:"dataOnlyDecision"`
	DataOnlyScore                 *string `json:"dataOnlyScore"`
}

// MarshalJSON encodes e in Lyra's order.
func (e AuthenticationResultExtensionThreeDSV2) MarshalJSON() ([]byte, error) {
	type fields AuthenticationResultExtensionThreeDSV2
	return typed(fields(e), "V4/Charge/Authenticate/AuthenticationResultExtensionThreedsV2")
}

// AuthenticationResultReason explains a failed authentication
// (V4/Charge/Authenticate/AuthenticationResultReason).
type AuthenticationResultReason struct {
	Code    *string `json:"code"`
	Message *string `json:"message"`
}

// MarshalJSON encodes r in Lyra's order.
func (r AuthenticationResultReason) MarshalJSON() ([]byte, error) {
	type fields AuthenticationResultReason
	return typed(fields(r), "V4/Charge/Authenticate/AuthenticationResultReason")
}
