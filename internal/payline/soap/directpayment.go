package soap

// This file declares the messages of the card operations of the direct
// payment service (DirectPaymentAPI).

// DoAuthorizationRequest asks for a card authorization, with or without
// capture.
type DoAuthorizationRequest struct {
	Transient                string                  `xsd:"transient,nillable"`
	Version                  string                  `xsd:"version"`
	Payment                  *Payment                `xsd:"payment"`
	BankAccountData          *BankAccountData        `xsd:"bankAccountData"`
	Card                     *Card                   `xsd:"card"`
	Order                    *Order                  `xsd:"order"`
	Buyer                    *Buyer                  `xsd:"buyer,nillable"`
	Owner                    *Owner                  `xsd:"owner,nillable"`
	PrivateDataList          *PrivateDataList        `xsd:"privateDataList,nillable"`
	Authentication3DSecure   *Authentication3DSecure `xsd:"authentication3DSecure,nillable"`
	Media                    string                  `xsd:"media,nillable"`
	SubMerchant              *SubMerchant            `xsd:"subMerchant,nillable"`
	AsynchronousRetryTimeout string                  `xsd:"asynchronousRetryTimeout,nillable"`
	LinkedTransactionID      string                  `xsd:"linkedTransactionId,nillable"`
	ThreeDSInfo              *ThreeDSInfo            `xsd:"threeDSInfo,nillable"`
	TravelFileNumber         string                  `xsd:"travelFileNumber,optional,nillable"`
	Recurring                *Recurring              `xsd:"recurring,nillable"`
}

// Operation returns "doAuthorization".
func (*DoAuthorizationRequest) Operation() string { return "doAuthorization" }

// DoAuthorizationResponse carries the outcome of an authorization.
type DoAuthorizationResponse struct {
	Transient              string                  `xsd:"transient,nillable"`
	Result                 *Result                 `xsd:"result"`
	Transaction            *Transaction            `xsd:"transaction"`
	Authorization          *Authorization          `xsd:"authorization"`
	Card                   *CardOut                `xsd:"card"`
	ExtendedCard           *ExtendedCardType       `xsd:"extendedCard"`
	PrivateDataList        *PrivateDataList        `xsd:"privateDataList,nillable"`
	ContractNumber         string                  `xsd:"contractNumber"`
	LinkedTransactionID    string                  `xsd:"linkedTransactionId,nillable"`
	TravelFileNumber       string                  `xsd:"travelFileNumber,optional,nillable"`
	Authentication3DSecure *Authentication3DSecure `xsd:"authentication3DSecure,optional,nillable"`
	ResultContainer        string                  `xsd:"resultContainer,nillable"`
}

// Operation returns "doAuthorization".
func (*DoAuthorizationResponse) Operation() string { return "doAuthorization" }

// DoCaptureRequest asks to capture an authorized transaction; transactionID
// is spelt with a capital D.
type DoCaptureRequest struct {
	Version         string           `xsd:"version"`
	TransactionID   string           `xsd:"transactionID"`
	Payment         *Payment         `xsd:"payment"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList,nillable"`
	SequenceNumber  string           `xsd:"sequenceNumber,nillable"`
	Media           string           `xsd:"media,nillable"`
	MiscData        string           `xsd:"miscData,nillable"`
}

// Operation returns "doCapture".
func (*DoCaptureRequest) Operation() string { return "doCapture" }

// DoCaptureResponse carries the outcome of a capture.
type DoCaptureResponse struct {
	Result          *Result      `xsd:"result"`
	Transaction     *Transaction `xsd:"transaction"`
	ReAuthorization string       `xsd:"reAuthorization,nillable"`
}

// Operation returns "doCapture".
func (*DoCaptureResponse) Operation() string { return "doCapture" }

// DoReAuthorizationRequest asks for a new authorization on the card of an
// earlier transaction.
type DoReAuthorizationRequest struct {
	Version         string           `xsd:"version"`
	TransactionID   string           `xsd:"transactionID"`
	Payment         *Payment         `xsd:"payment"`
	Order           *Order           `xsd:"order"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList,nillable"`
	Media           string           `xsd:"media,nillable"`
}

// Operation returns "doReAuthorization".
func (*DoReAuthorizationRequest) Operation() string { return "doReAuthorization" }

// DoReAuthorizationResponse carries the outcome of a re-authorization.
type DoReAuthorizationResponse struct {
	Result       *Result           `xsd:"result"`
	Transaction  *Transaction      `xsd:"transaction"`
	Card         *CardOut          `xsd:"card"`
	ExtendedCard *ExtendedCardType `xsd:"extendedCard"`
}

// Operation returns "doReAuthorization".
func (*DoReAuthorizationResponse) Operation() string { return "doReAuthorization" }

// DoDebitRequest asks to debit a card with an authorization obtained
// outside the platform.
type DoDebitRequest struct {
	Version                string                  `xsd:"version"`
	Payment                *Payment                `xsd:"payment"`
	Card                   *Card                   `xsd:"card"`
	Order                  *Order                  `xsd:"order"`
	Buyer                  *Buyer                  `xsd:"buyer,nillable"`
	Owner                  *Owner                  `xsd:"owner,nillable"`
	PrivateDataList        *PrivateDataList        `xsd:"privateDataList,nillable"`
	MiscData               string                  `xsd:"miscData,nillable"`
	Authentication3DSecure *Authentication3DSecure `xsd:"authentication3DSecure,nillable"`
	Authorization          *Authorization          `xsd:"authorization"`
	Media                  string                  `xsd:"media,nillable"`
	SubMerchant            *SubMerchant            `xsd:"subMerchant,nillable"`
}

// Operation returns "doDebit".
func (*DoDebitRequest) Operation() string { return "doDebit" }

// DoDebitResponse carries the outcome of a debit.
type DoDebitResponse struct {
	Result       *Result           `xsd:"result"`
	Transaction  *Transaction      `xsd:"transaction"`
	Card         *CardOut          `xsd:"card"`
	ExtendedCard *ExtendedCardType `xsd:"extendedCard"`
}

// Operation returns "doDebit".
func (*DoDebitResponse) Operation() string { return "doDebit" }

// DoRefundRequest asks to refund a captured transaction.
type DoRefundRequest struct {
	Version         string           `xsd:"version"`
	TransactionID   string           `xsd:"transactionID"`
	Payment         *Payment         `xsd:"payment"`
	Comment         string           `xsd:"comment,nillable"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList,nillable"`
	SequenceNumber  string           `xsd:"sequenceNumber,nillable"`
	Media           string           `xsd:"media,nillable"`
	Details         *Details         `xsd:"details,optional,nillable"`
	MiscData        string           `xsd:"miscData,nillable"`
}

// Operation returns "doRefund".
func (*DoRefundRequest) Operation() string { return "doRefund" }

// DoRefundResponse carries the outcome of a refund.
type DoRefundResponse struct {
	Result      *Result      `xsd:"result"`
	Transaction *Transaction `xsd:"transaction"`
	MiscData    *MiscData    `xsd:"miscData,optional,nillable"`
}

// Operation returns "doRefund".
func (*DoRefundResponse) Operation() string { return "doRefund" }

// DoResetRequest asks to cancel a transaction not yet settled. Its amount
// and currency are direct children, not a payment.
type DoResetRequest struct {
	Version         string           `xsd:"version"`
	TransactionID   string           `xsd:"transactionID"`
	Comment         string           `xsd:"comment,nillable"`
	Media           string           `xsd:"media,nillable"`
	Amount          string           `xsd:"amount,nillable"`
	Currency        string           `xsd:"currency,nillable"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList,optional,nillable"`
	SequenceNumber  string           `xsd:"sequenceNumber,nillable"`
}

// Operation returns "doReset".
func (*DoResetRequest) Operation() string { return "doReset" }

// DoResetResponse carries the outcome of a cancellation.
type DoResetResponse struct {
	Result      *Result      `xsd:"result"`
	Transaction *Transaction `xsd:"transaction"`
}

// Operation returns "doReset".
func (*DoResetResponse) Operation() string { return "doReset" }

// DoCreditRequest asks to credit a card, with no earlier payment to refund.
type DoCreditRequest struct {
	Version         string           `xsd:"version"`
	Payment         *Payment         `xsd:"payment"`
	Card            *Card            `xsd:"card"`
	Comment         string           `xsd:"comment,nillable"`
	Order           *Order           `xsd:"order,nillable"`
	Buyer           *Buyer           `xsd:"buyer,nillable"`
	Owner           *Owner           `xsd:"owner,nillable"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList,nillable"`
	MiscData        string           `xsd:"miscData,nillable"`
	Media           string           `xsd:"media,nillable"`
	SubMerchant     *SubMerchant     `xsd:"subMerchant,nillable"`
}

// Operation returns "doCredit".
func (*DoCreditRequest) Operation() string { return "doCredit" }

// DoCreditResponse carries the outcome of a credit.
type DoCreditResponse struct {
	Result       *Result           `xsd:"result"`
	Transaction  *Transaction      `xsd:"transaction"`
	Card         *CardOut          `xsd:"card"`
	ExtendedCard *ExtendedCardType `xsd:"extendedCard"`
}

// Operation returns "doCredit".
func (*DoCreditResponse) Operation() string { return "doCredit" }

// DoAuthorizationRedirectRequest asks for an authorization whose 3-D Secure
// step happens on a page the buyer is redirected to.
type DoAuthorizationRedirectRequest struct {
	Version                  string           `xsd:"version"`
	Payment                  *Payment         `xsd:"payment"`
	Card                     *Card            `xsd:"card"`
	ReturnURL                string           `xsd:"returnURL"`
	CancelURL                string           `xsd:"cancelURL"`
	Order                    *Order           `xsd:"order"`
	NotificationURL          string           `xsd:"notificationURL,nillable"`
	PrivateDataList          *PrivateDataList `xsd:"privateDataList,nillable"`
	LanguageCode             string           `xsd:"languageCode,nillable"`
	Buyer                    *Buyer           `xsd:"buyer,optional,nillable"`
	Owner                    *Owner           `xsd:"owner,nillable"`
	SecurityMode             string           `xsd:"securityMode,nillable"`
	Recurring                *Recurring       `xsd:"recurring,nillable"`
	MerchantName             string           `xsd:"merchantName,nillable"`
	SubMerchant              *SubMerchant     `xsd:"subMerchant,nillable"`
	MiscData                 string           `xsd:"miscData,nillable"`
	AsynchronousRetryTimeout string           `xsd:"asynchronousRetryTimeout,nillable"`
}

// Operation returns "doAuthorizationRedirect".
func (*DoAuthorizationRedirectRequest) Operation() string { return "doAuthorizationRedirect" }

// DoAuthorizationRedirectResponse carries the URL to redirect the buyer to.
type DoAuthorizationRedirectResponse struct {
	Result      *Result `xsd:"result"`
	RedirectURL string  `xsd:"redirectURL"`
}

// Operation returns "doAuthorizationRedirect".
func (*DoAuthorizationRedirectResponse) Operation() string { return "doAuthorizationRedirect" }

// VerifyEnrollmentRequest asks whether a card takes part in 3-D Secure,
// starting an authentication.
type VerifyEnrollmentRequest struct {
	Transient           string           `xsd:"transient,nillable"`
	Version             string           `xsd:"version"`
	Card                *Card            `xsd:"card"`
	Payment             *Payment         `xsd:"payment"`
	OrderRef            string           `xsd:"orderRef"`
	MDFieldValue        string           `xsd:"mdFieldValue,nillable"`
	UserAgent           string           `xsd:"userAgent,nillable"`
	WalletID            string           `xsd:"walletId,nillable"`
	WalletCardInd       string           `xsd:"walletCardInd,nillable"`
	GenerateVirtualCVX  string           `xsd:"generateVirtualCvx,optional,nillable"`
	MerchantName        string           `xsd:"merchantName,nillable"`
	MerchantURL         string           `xsd:"merchantURL,optional,nillable"`
	MerchantCountryCode string           `xsd:"merchantCountryCode,optional,nillable"`
	ReturnURL           string           `xsd:"returnURL,nillable"`
	Order               *Order           `xsd:"order,nillable"`
	Buyer               *Buyer           `xsd:"buyer,optional,nillable"`
	SubMerchant         *SubMerchant     `xsd:"subMerchant,optional,nillable"`
	Recurring           *Recurring       `xsd:"recurring,nillable"`
	ThreeDSInfo         *ThreeDSInfo     `xsd:"threeDSInfo,nillable"`
	MerchantScore       string           `xsd:"merchantScore,nillable"`
	PrivateDataList     *PrivateDataList `xsd:"privateDataList,nillable"`
}

// Operation returns "verifyEnrollment".
func (*VerifyEnrollmentRequest) Operation() string { return "verifyEnrollment" }

// VerifyEnrollmentResponse tells whether and how the buyer must
// authenticate.
type VerifyEnrollmentResponse struct {
	Transient              string                  `xsd:"transient,nillable"`
	Result                 *Result                 `xsd:"result"`
	ActionURL              string                  `xsd:"actionUrl,nillable"`
	ActionMethod           string                  `xsd:"actionMethod,nillable"`
	PareqFieldName         string                  `xsd:"pareqFieldName,nillable"`
	PareqFieldValue        string                  `xsd:"pareqFieldValue,nillable"`
	TermURLName            string                  `xsd:"termUrlName,nillable"`
	TermURLValue           string                  `xsd:"termUrlValue,nillable"`
	MDFieldName            string                  `xsd:"mdFieldName,nillable"`
	MDFieldValue           string                  `xsd:"mdFieldValue,nillable"`
	MPIResult              string                  `xsd:"mpiResult,nillable"`
	Authentication3DSecure *Authentication3DSecure `xsd:"authentication3DSecure,nillable"`
	VirtualCVX             string                  `xsd:"virtualCvx,optional,nillable"`
	Token                  string                  `xsd:"token,optional,nillable"`
	PrivateDataList        *PrivateDataList        `xsd:"privateDataList,nillable"`
	SDKChallenge           *SDKChallenge           `xsd:"sdkChallenge,optional,nillable"`
}

// Operation returns "verifyEnrollment".
func (*VerifyEnrollmentResponse) Operation() string { return "verifyEnrollment" }

// VerifyAuthenticationRequest asks for the outcome of a 3-D Secure
// authentication.
type VerifyAuthenticationRequest struct {
	Transient       string           `xsd:"transient,nillable"`
	Version         string           `xsd:"version"`
	ContractNumber  string           `xsd:"contractNumber"`
	Pares           string           `xsd:"pares"`
	MD              string           `xsd:"md,nillable"`
	Card            *Card            `xsd:"card,nillable"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList,nillable"`
}

// Operation returns "verifyAuthentication".
func (*VerifyAuthenticationRequest) Operation() string { return "verifyAuthentication" }

// VerifyAuthenticationResponse carries the outcome of a 3-D Secure
// authentication.
type VerifyAuthenticationResponse struct {
	Transient              string                  `xsd:"transient,nillable"`
	Result                 *Result                 `xsd:"result"`
	Authentication3DSecure *Authentication3DSecure `xsd:"authentication3DSecure,nillable"`
	MPIResult              string                  `xsd:"mpiResult,nillable"`
	PrivateDataList        *PrivateDataList        `xsd:"privateDataList,nillable"`
}

// Operation returns "verifyAuthentication".
func (*VerifyAuthenticationResponse) Operation() string { return "verifyAuthentication" }

// DoScoringChequeRequest asks to score a cheque.
type DoScoringChequeRequest struct {
	Version         string           `xsd:"version"`
	Payment         *Payment         `xsd:"payment"`
	Cheque          *Cheque          `xsd:"cheque"`
	Order           *Order           `xsd:"order"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList,nillable"`
	Media           string           `xsd:"media,nillable"`
}

// Operation returns "doScoringCheque".
func (*DoScoringChequeRequest) Operation() string { return "doScoringCheque" }

// DoScoringChequeResponse carries the verdict on a cheque.
type DoScoringChequeResponse struct {
	Result        *Result        `xsd:"result"`
	Transaction   *Transaction   `xsd:"transaction"`
	ScoringCheque *ScoringCheque `xsd:"scoringCheque"`
}

// Operation returns "doScoringCheque".
func (*DoScoringChequeResponse) Operation() string { return "doScoringCheque" }

// GetEncryptionKeyRequest asks for the key card data may be encrypted with.
type GetEncryptionKeyRequest struct {
	Version         string `xsd:"version,nillable"`
	MerchantKeyName string `xsd:"merchantKeyName,nillable"`
}

// Operation returns "getEncryptionKey".
func (*GetEncryptionKeyRequest) Operation() string { return "getEncryptionKey" }

// GetEncryptionKeyResponse carries the key card data may be encrypted with.
type GetEncryptionKeyResponse struct {
	Result *Result `xsd:"result"`
	Key    *Key    `xsd:"key"`
}

// Operation returns "getEncryptionKey".
func (*GetEncryptionKeyResponse) Operation() string { return "getEncryptionKey" }

// GetMerchantSettingsRequest asks for the merchant's points of sale and
// contracts.
type GetMerchantSettingsRequest struct {
	Version string `xsd:"version,nillable"`
}

// Operation returns "getMerchantSettings".
func (*GetMerchantSettingsRequest) Operation() string { return "getMerchantSettings" }

// GetMerchantSettingsResponse lists the merchant's points of sale and
// contracts.
type GetMerchantSettingsResponse struct {
	Result          *Result          `xsd:"result"`
	ListPointOfSell *PointOfSellList `xsd:"listPointOfSell"`
}

// Operation returns "getMerchantSettings".
func (*GetMerchantSettingsResponse) Operation() string { return "getMerchantSettings" }

// PointOfSellList lists the points of sale of getMerchantSettings. It is an
// inline type of the impl schema, so its child elements are impl elements.
type PointOfSellList struct {
	PointOfSell []PointOfSell `xsd:"pointOfSell,optional,max=unbounded"`
}

// GetBalanceRequest asks for the balance of a prepaid card.
type GetBalanceRequest struct {
	Version        string `xsd:"version"`
	CardID         string `xsd:"cardID"`
	ContractNumber string `xsd:"contractNumber"`
}

// Operation returns "getBalance".
func (*GetBalanceRequest) Operation() string { return "getBalance" }

// GetBalanceResponse carries the balance of a prepaid card.
type GetBalanceResponse struct {
	Result     *Result  `xsd:"result"`
	Balance    *Balance `xsd:"balance"`
	Crdproduct string   `xsd:"crdproduct"`
	Crdprogram string   `xsd:"crdprogram"`
	Crddesign  string   `xsd:"crddesign"`
}

// Operation returns "getBalance".
func (*GetBalanceResponse) Operation() string { return "getBalance" }

// Balance is the balance of a prepaid card. It is an inline type of the
// impl schema, so its child elements are impl elements.
type Balance struct {
	Amount   string `xsd:"amount,optional"`
	Currency string `xsd:"currency,optional"`
}

// GetTokenRequest asks for the token of a card number.
type GetTokenRequest struct {
	CardNumber     string `xsd:"cardNumber"`
	ExpirationDate string `xsd:"expirationDate,nillable"`
	ContractNumber string `xsd:"contractNumber"`
}

// Operation returns "getToken".
func (*GetTokenRequest) Operation() string { return "getToken" }

// GetTokenResponse carries a card's token and what is known of the card.
type GetTokenResponse struct {
	Result            *Result `xsd:"result"`
	Token             string  `xsd:"token"`
	MaskedCardNumber  string  `xsd:"maskedCardNumber"`
	ExpirationDate    string  `xsd:"expirationDate"`
	VirtualCard       string  `xsd:"virtualCard"`
	CardType          string  `xsd:"cardType"`
	CardProduct       string  `xsd:"cardProduct"`
	AcceptanceNetwork string  `xsd:"acceptanceNetwork"`
	Bank              string  `xsd:"bank"`
}

// Operation returns "getToken".
func (*GetTokenResponse) Operation() string { return "getToken" }

// UnBlockRequest asks to release a blocked transaction.
type UnBlockRequest struct {
	TransactionID   string `xsd:"transactionID"`
	TransactionDate string `xsd:"transactionDate,nillable"`
	Version         string `xsd:"version,nillable"`
}

// Operation returns "unBlock".
func (*UnBlockRequest) Operation() string { return "unBlock" }

// UnBlockResponse carries the outcome of releasing a transaction.
type UnBlockResponse struct {
	Result *Result `xsd:"result"`
}

// Operation returns "unBlock".
func (*UnBlockResponse) Operation() string { return "unBlock" }

// DoBankTransferRequest asks for a bank transfer to a creditor.
type DoBankTransferRequest struct {
	Version         string           `xsd:"version"`
	Payment         *Payment         `xsd:"payment"`
	Creditor        *Creditor        `xsd:"creditor"`
	Comment         string           `xsd:"comment,nillable"`
	TransactionID   string           `xsd:"transactionID,nillable"`
	OrderID         string           `xsd:"orderID"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList,nillable"`
}

// Operation returns "doBankTransfer".
func (*DoBankTransferRequest) Operation() string { return "doBankTransfer" }

// DoBankTransferResponse carries the outcome of a bank transfer.
type DoBankTransferResponse struct {
	Result          *Result          `xsd:"result"`
	Transaction     *Transaction     `xsd:"transaction"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList,nillable"`
}

// Operation returns "doBankTransfer".
func (*DoBankTransferResponse) Operation() string { return "doBankTransfer" }

// IsRegisteredRequest asks whether the buyer is registered with a payment
// partner.
type IsRegisteredRequest struct {
	Version         string           `xsd:"version"`
	Payment         *Payment         `xsd:"payment"`
	Order           *Order           `xsd:"order"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList,nillable"`
	Buyer           *Buyer           `xsd:"buyer,optional,nillable"`
	MiscData        string           `xsd:"miscData,nillable"`
}

// Operation returns "isRegistered".
func (*IsRegisteredRequest) Operation() string { return "isRegistered" }

// IsRegisteredResponse tells whether the buyer is registered with a payment
// partner.
type IsRegisteredResponse struct {
	Result *Result `xsd:"result"`
	Token  string  `xsd:"token"`
	Data   string  `xsd:"data"`
}

// Operation returns "isRegistered".
func (*IsRegisteredResponse) Operation() string { return "isRegistered" }

// PrepareSessionRequest asks to prepare a payment session with a partner.
type PrepareSessionRequest struct {
	Version        string `xsd:"version"`
	ContractNumber string `xsd:"contractNumber"`
	OrderRef       string `xsd:"orderRef"`
	MiscData       string `xsd:"miscData"`
}

// Operation returns "prepareSession".
func (*PrepareSessionRequest) Operation() string { return "prepareSession" }

// PrepareSessionResponse carries the data of a prepared payment session.
type PrepareSessionResponse struct {
	Result *Result `xsd:"result"`
	Data   string  `xsd:"data"`
}

// Operation returns "prepareSession".
func (*PrepareSessionResponse) Operation() string { return "prepareSession" }
