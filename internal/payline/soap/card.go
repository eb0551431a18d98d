package soap

// This file declares the objects of cards and of their authentication.

// Card is a card as merchants send it: in clear, encrypted, or as a token.
type Card struct {
	EncryptionKeyID          string       `xsd:"encryptionKeyId,optional,nillable"`
	EncryptedData            string       `xsd:"encryptedData,optional,nillable"`
	Number                   string       `xsd:"number,optional,nillable"`
	Type                     string       `xsd:"type"`
	ExpirationDate           string       `xsd:"expirationDate,optional,nillable"`
	CVX                      string       `xsd:"cvx,optional,nillable"`
	OwnerBirthdayDate        string       `xsd:"ownerBirthdayDate,optional,nillable"`
	Password                 string       `xsd:"password,optional,nillable"`
	CardPresent              string       `xsd:"cardPresent,optional,nillable"`
	Cardholder               string       `xsd:"cardholder,optional,nillable"`
	Token                    string       `xsd:"token,optional,nillable"`
	PaymentData              *PaymentData `xsd:"paymentData,optional"`
	PAR                      string       `xsd:"par,optional,nillable"`
	TokenRequestorCryptogram string       `xsd:"tokenRequestorCryptogram,optional,nillable"`
	TokenRequestorID         string       `xsd:"tokenRequestorId,optional,nillable"`
	Last4                    string       `xsd:"last4,optional,nillable"`
	PanType                  string       `xsd:"panType,optional,nillable"`
}

// CardOut is a card as answers show it: masked number, type, expiry (MMYY),
// holder and token.
type CardOut struct {
	Number         string `xsd:"number,optional,nillable"`
	Type           string `xsd:"type,optional,nillable"`
	ExpirationDate string `xsd:"expirationDate,optional,nillable"`
	Cardholder     string `xsd:"cardholder,optional,nillable"`
	Token          string `xsd:"token,optional,nillable"`
	PanType        string `xsd:"panType,optional,nillable"`
}

// ExtendedCardType describes what the platform knows of a card: issuing
// country (alpha-3), bank, network and product.
type ExtendedCardType struct {
	Country string `xsd:"country,optional,nillable"`
	IsCVD   string `xsd:"isCvd,optional,nillable"`
	Bank    string `xsd:"bank,optional,nillable"`
	Type    string `xsd:"type,optional,nillable"`
	Network string `xsd:"network,optional,nillable"`
	Product string `xsd:"product,optional,nillable"`
}

// PaymentData carries the payment token of a wallet provider such as Apple
// Pay.
type PaymentData struct {
	TransactionID string `xsd:"transactionID,optional"`
	Network       string `xsd:"network,optional"`
	TokenData     string `xsd:"tokenData,optional"`
}

// Authentication3DSecure is the outcome of a 3-D Secure authentication,
// either obtained elsewhere and sent by the merchant or returned by the
// platform.
type Authentication3DSecure struct {
	MD                   string `xsd:"md,optional,nillable"`
	Pares                string `xsd:"pares,optional,nillable"`
	XID                  string `xsd:"xid,optional,nillable"`
	ECI                  string `xsd:"eci,optional,nillable"`
	CAVV                 string `xsd:"cavv,optional,nillable"`
	CAVVAlgorithm        string `xsd:"cavvAlgorithm,optional,nillable"`
	VadsResult           string `xsd:"vadsResult,optional,nillable"`
	TypeSecurisation     string `xsd:"typeSecurisation,optional,nillable"`
	PaResStatus          string `xsd:"PaResStatus,optional,nillable"`
	VeResStatus          string `xsd:"VeResStatus,optional,nillable"`
	ResultContainer      string `xsd:"resultContainer,optional,nillable"`
	AuthenticationResult string `xsd:"authenticationResult,optional,nillable"`
}

// ThreeDSInfo carries what 3-D Secure 2 needs to know about the buyer's
// browser or app and the merchant's preferences.
type ThreeDSInfo struct {
	ChallengeInd                 string   `xsd:"challengeInd,nillable"`
	ThreeDSReqPriorAuthData      string   `xsd:"threeDSReqPriorAuthData,nillable"`
	ThreeDSReqPriorAuthMethod    string   `xsd:"threeDSReqPriorAuthMethod,nillable"`
	ThreeDSReqPriorAuthTimestamp string   `xsd:"threeDSReqPriorAuthTimestamp,nillable"`
	Browser                      *Browser `xsd:"browser,nillable"`
	SDK                          *SDK     `xsd:"sdk,nillable"`
	ThreeDSMethodNotificationURL string   `xsd:"threeDSMethodNotificationURL,nillable"`
	ThreeDSMethodResult          string   `xsd:"threeDSMethodResult,nillable"`
	ChallengeWindowSize          string   `xsd:"challengeWindowSize,nillable"`
}

// Browser describes the buyer's browser for 3-D Secure 2.
type Browser struct {
	AcceptHeader      string `xsd:"acceptHeader,nillable"`
	JavaEnabled       string `xsd:"javaEnabled,nillable"`
	JavascriptEnabled string `xsd:"javascriptEnabled,nillable"`
	Language          string `xsd:"language,nillable"`
	ColorDepth        string `xsd:"colorDepth,nillable"`
	ScreenHeight      string `xsd:"screenHeight,nillable"`
	ScreenWidth       string `xsd:"screenWidth,nillable"`
	TimeZoneOffset    string `xsd:"timeZoneOffset,nillable"`
	UserAgent         string `xsd:"userAgent,nillable"`
}

// SDK describes the 3-D Secure 2 SDK of the buyer's mobile app.
type SDK struct {
	DeviceRenderingOptionsIF string `xsd:"deviceRenderingOptionsIF,nillable"`
	DeviceRenderOptionsUI    string `xsd:"deviceRenderOptionsUI,nillable"`
	AppID                    string `xsd:"appID,nillable"`
	EphemPubKey              string `xsd:"ephemPubKey,nillable"`
	MaxTimeout               string `xsd:"maxTimeout,nillable"`
	ReferenceNumber          string `xsd:"referenceNumber,nillable"`
	TransID                  string `xsd:"transID,nillable"`
	EncData                  string `xsd:"encData,nillable"`
}

// SDKChallenge carries what a mobile app's 3-D Secure SDK needs to run a
// challenge.
type SDKChallenge struct {
	CardType             string `xsd:"cardType"`
	ThreeDSServerTransID string `xsd:"threeDSServerTransID"`
	ThreeDSVersion       string `xsd:"threeDSVersion"`
	AuthenticationType   string `xsd:"authenticationType"`
	TransStatus          string `xsd:"transStatus"`
	SDKTransID           string `xsd:"sdkTransID"`
	DSTransID            string `xsd:"dsTransID"`
	ACSTransID           string `xsd:"acsTransID"`
	ACSRenderingType     string `xsd:"acsRenderingType"`
	ACSReferenceNumber   string `xsd:"acsReferenceNumber"`
	ACSSignedContent     string `xsd:"acsSignedContent"`
	ACSOperatorID        string `xsd:"acsOperatorID"`
	ACSChallengeMandated string `xsd:"acsChallengeMandated"`
}

// Key is a public key merchants may encrypt card data with.
type Key struct {
	KeyID           string `xsd:"keyId,type=integer"`
	Modulus         string `xsd:"modulus"`
	MerchantKeyName string `xsd:"merchantKeyName"`
	PublicExponent  string `xsd:"publicExponent"`
	ExpirationDate  string `xsd:"expirationDate"`
	Cipher          string `xsd:"cipher,nillable"`
	Algo            string `xsd:"algo,nillable"`
	Size            string `xsd:"size,nillable,type=integer"`
}

// Cheque identifies a cheque to score.
type Cheque struct {
	Number string `xsd:"number"`
}

// ScoringCheque is the verdict on a cheque.
type ScoringCheque struct {
	ChequeNumber           string `xsd:"chequeNumber"`
	AdditionalDataResponse string `xsd:"additionalDataResponse"`
	TerminalID             string `xsd:"terminalId"`
	AdditionalPrivateData  string `xsd:"additionalPrivateData"`
}
