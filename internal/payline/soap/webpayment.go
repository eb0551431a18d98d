package soap

// This file declares the messages of the web payment service
// (WebPaymentAPI).

// DoWebPaymentRequest asks for a hosted payment page: the platform answers
// with a token and the URL to send the buyer to.
type DoWebPaymentRequest struct {
	Version                    string                    `xsd:"version"`
	Payment                    *Payment                  `xsd:"payment"`
	ReturnURL                  string                    `xsd:"returnURL"`
	CancelURL                  string                    `xsd:"cancelURL"`
	Order                      *Order                    `xsd:"order"`
	NotificationURL            string                    `xsd:"notificationURL,nillable"`
	SelectedContractList       *SelectedContractList     `xsd:"selectedContractList,nillable"`
	SecondSelectedContractList *SelectedContractList     `xsd:"secondSelectedContractList,nillable"`
	PrivateDataList            *PrivateDataList          `xsd:"privateDataList,nillable"`
	LanguageCode               string                    `xsd:"languageCode,nillable"`
	CustomPaymentPageCode      string                    `xsd:"customPaymentPageCode,nillable"`
	Buyer                      *Buyer                    `xsd:"buyer,optional"`
	Owner                      *Owner                    `xsd:"owner,nillable"`
	SecurityMode               string                    `xsd:"securityMode,nillable"`
	Recurring                  *Recurring                `xsd:"recurring,nillable"`
	CustomPaymentTemplateURL   string                    `xsd:"customPaymentTemplateURL,nillable"`
	ContractNumberWalletList   *ContractNumberWalletList `xsd:"contractNumberWalletList,nillable"`
	MerchantName               string                    `xsd:"merchantName,nillable"`
	SubMerchant                *SubMerchant              `xsd:"subMerchant,nillable"`
	MiscData                   string                    `xsd:"miscData,nillable"`
	AsynchronousRetryTimeout   string                    `xsd:"asynchronousRetryTimeout,nillable"`
	ThreeDSInfo                *ThreeDSInfo              `xsd:"threeDSInfo,nillable"`
	MerchantScore              string                    `xsd:"merchantScore,nillable"`
	// SkipSmartDisplay is an xsd:boolean: "true", "false", "1" or "0".
	SkipSmartDisplay string `xsd:"skipSmartDisplay,nillable,type=boolean"`
}

// Operation returns "doWebPayment".
func (*DoWebPaymentRequest) Operation() string { return "doWebPayment" }

// DoWebPaymentResponse carries the token of the new web payment session and
// the URL of its page.
type DoWebPaymentResponse struct {
	Result      *Result `xsd:"result"`
	Token       string  `xsd:"token,nillable"`
	RedirectURL string  `xsd:"redirectURL,nillable"`
	StepCode    string  `xsd:"stepCode,optional,nillable"`
	ReqCode     string  `xsd:"reqCode,optional,nillable"`
	Method      string  `xsd:"method,optional,nillable"`
}

// Operation returns "doWebPayment".
func (*DoWebPaymentResponse) Operation() string { return "doWebPayment" }

// GetWebPaymentDetailsRequest asks how the web payment session of a token
// ended.
type GetWebPaymentDetailsRequest struct {
	Version string `xsd:"version"`
	Token   string `xsd:"token"`
}

// Operation returns "getWebPaymentDetails".
func (*GetWebPaymentDetailsRequest) Operation() string { return "getWebPaymentDetails" }

// GetWebPaymentDetailsResponse tells how a web payment session ended, with
// the transaction it made.
type GetWebPaymentDetailsResponse struct {
	Result                   *Result                   `xsd:"result"`
	Transaction              *Transaction              `xsd:"transaction"`
	Payment                  *Payment                  `xsd:"payment"`
	Authorization            *Authorization            `xsd:"authorization"`
	PrivateDataList          *PrivateDataList          `xsd:"privateDataList,optional,nillable"`
	PaymentRecordID          string                    `xsd:"paymentRecordId,optional,nillable"`
	BillingRecordList        *BillingRecordList        `xsd:"billingRecordList,optional,nillable"`
	Authentication3DSecure   *Authentication3DSecure   `xsd:"authentication3DSecure,optional,nillable"`
	Card                     *CardOut                  `xsd:"card"`
	ExtendedCard             *ExtendedCardType         `xsd:"extendedCard,optional"`
	Order                    *Order                    `xsd:"order"`
	PaymentAdditionalList    *PaymentAdditionalList    `xsd:"paymentAdditionalList,optional,nillable"`
	Media                    string                    `xsd:"media,optional,nillable"`
	NumberOfAttempt          string                    `xsd:"numberOfAttempt,optional,nillable"`
	Wallet                   *Wallet                   `xsd:"wallet,optional,nillable"`
	ContractNumberWalletList *ContractNumberWalletList `xsd:"contractNumberWalletList,optional,nillable"`
	ContractNumber           string                    `xsd:"contractNumber,optional"`
	BankAccountData          *BankAccountData          `xsd:"bankAccountData,nillable"`
	SubMerchant              *SubMerchant              `xsd:"subMerchant,nillable"`
	Buyer                    *Buyer                    `xsd:"buyer,nillable"`
	LinkedTransactionID      string                    `xsd:"linkedTransactionId,nillable"`
	TravelFileNumber         string                    `xsd:"travelFileNumber,optional,nillable"`
}

// Operation returns "getWebPaymentDetails".
func (*GetWebPaymentDetailsResponse) Operation() string { return "getWebPaymentDetails" }

// ManageWebWalletRequest asks for a hosted page where the buyer creates or
// updates a wallet.
type ManageWebWalletRequest struct {
	Version                  string                    `xsd:"version"`
	ContractNumber           string                    `xsd:"contractNumber"`
	SelectedContractList     *SelectedContractList     `xsd:"selectedContractList,nillable"`
	UpdatePersonalDetails    string                    `xsd:"updatePersonalDetails,nillable"`
	Buyer                    *Buyer                    `xsd:"buyer"`
	Owner                    *Owner                    `xsd:"owner,nillable"`
	LanguageCode             string                    `xsd:"languageCode,nillable"`
	CustomPaymentPageCode    string                    `xsd:"customPaymentPageCode,nillable"`
	SecurityMode             string                    `xsd:"securityMode,nillable"`
	ReturnURL                string                    `xsd:"returnURL"`
	CancelURL                string                    `xsd:"cancelURL"`
	NotificationURL          string                    `xsd:"notificationURL,nillable"`
	PrivateDataList          *PrivateDataList          `xsd:"privateDataList,nillable"`
	CustomPaymentTemplateURL string                    `xsd:"customPaymentTemplateURL,nillable"`
	ContractNumberWalletList *ContractNumberWalletList `xsd:"contractNumberWalletList,nillable"`
	MerchantName             string                    `xsd:"merchantName,nillable"`
	ThreeDSInfo              *ThreeDSInfo              `xsd:"threeDSInfo,nillable"`
}

// Operation returns "manageWebWallet".
func (*ManageWebWalletRequest) Operation() string { return "manageWebWallet" }

// ManageWebWalletResponse carries the token and URL of the wallet page.
type ManageWebWalletResponse struct {
	Result      *Result `xsd:"result"`
	Token       string  `xsd:"token"`
	RedirectURL string  `xsd:"redirectURL"`
}

// Operation returns "manageWebWallet".
func (*ManageWebWalletResponse) Operation() string { return "manageWebWallet" }

// CreateWebWalletRequest asks for a hosted page where the buyer creates a
// wallet.
type CreateWebWalletRequest struct {
	Version                  string                    `xsd:"version"`
	ContractNumber           string                    `xsd:"contractNumber"`
	SelectedContractList     *SelectedContractList     `xsd:"selectedContractList,nillable"`
	UpdatePersonalDetails    string                    `xsd:"updatePersonalDetails,nillable"`
	Buyer                    *Buyer                    `xsd:"buyer"`
	Owner                    *Owner                    `xsd:"owner,nillable"`
	LanguageCode             string                    `xsd:"languageCode,nillable"`
	CustomPaymentPageCode    string                    `xsd:"customPaymentPageCode,nillable"`
	SecurityMode             string                    `xsd:"securityMode,nillable"`
	ReturnURL                string                    `xsd:"returnURL"`
	CancelURL                string                    `xsd:"cancelURL"`
	NotificationURL          string                    `xsd:"notificationURL,nillable"`
	PrivateDataList          *PrivateDataList          `xsd:"privateDataList,nillable"`
	CustomPaymentTemplateURL string                    `xsd:"customPaymentTemplateURL,nillable"`
	ContractNumberWalletList *ContractNumberWalletList `xsd:"contractNumberWalletList,nillable"`
}

// Operation returns "createWebWallet".
func (*CreateWebWalletRequest) Operation() string { return "createWebWallet" }

// CreateWebWalletResponse carries the token and URL of the wallet page.
type CreateWebWalletResponse struct {
	Result      *Result `xsd:"result"`
	Token       string  `xsd:"token"`
	RedirectURL string  `xsd:"redirectURL"`
}

// Operation returns "createWebWallet".
func (*CreateWebWalletResponse) Operation() string { return "createWebWallet" }

// UpdateWebWalletRequest asks for a hosted page where the buyer updates a
// wallet.
type UpdateWebWalletRequest struct {
	Version                  string                    `xsd:"version"`
	ContractNumber           string                    `xsd:"contractNumber"`
	CardInd                  string                    `xsd:"cardInd,nillable"`
	WalletID                 string                    `xsd:"walletId"`
	UpdatePersonalDetails    string                    `xsd:"updatePersonalDetails,nillable"`
	UpdateOwnerDetails       string                    `xsd:"updateOwnerDetails,nillable"`
	UpdatePaymentDetails     string                    `xsd:"updatePaymentDetails,nillable"`
	Buyer                    *Buyer                    `xsd:"buyer,nillable"`
	LanguageCode             string                    `xsd:"languageCode,nillable"`
	CustomPaymentPageCode    string                    `xsd:"customPaymentPageCode,nillable"`
	SecurityMode             string                    `xsd:"securityMode,nillable"`
	ReturnURL                string                    `xsd:"returnURL"`
	CancelURL                string                    `xsd:"cancelURL"`
	NotificationURL          string                    `xsd:"notificationURL,nillable"`
	PrivateDataList          *PrivateDataList          `xsd:"privateDataList,nillable"`
	CustomPaymentTemplateURL string                    `xsd:"customPaymentTemplateURL,nillable"`
	ContractNumberWalletList *ContractNumberWalletList `xsd:"contractNumberWalletList,nillable"`
}

// Operation returns "updateWebWallet".
func (*UpdateWebWalletRequest) Operation() string { return "updateWebWallet" }

// UpdateWebWalletResponse carries the token and URL of the wallet page.
type UpdateWebWalletResponse struct {
	Result      *Result `xsd:"result"`
	Token       string  `xsd:"token"`
	RedirectURL string  `xsd:"redirectURL"`
}

// Operation returns "updateWebWallet".
func (*UpdateWebWalletResponse) Operation() string { return "updateWebWallet" }

// GetWebWalletRequest asks what a wallet page session did.
type GetWebWalletRequest struct {
	Version string `xsd:"version"`
	Token   string `xsd:"token"`
}

// Operation returns "getWebWallet".
func (*GetWebWalletRequest) Operation() string { return "getWebWallet" }

// GetWebWalletResponse tells what a wallet page session did, with the
// wallet.
type GetWebWalletResponse struct {
	Result                   *Result                   `xsd:"result"`
	Wallet                   *Wallet                   `xsd:"wallet,nillable"`
	Owner                    *Owner                    `xsd:"owner,nillable"`
	PrivateDataList          *PrivateDataList          `xsd:"privateDataList,nillable"`
	ExtendedCard             *ExtendedCardType         `xsd:"extendedCard"`
	Media                    string                    `xsd:"media,nillable"`
	NumberOfAttempt          string                    `xsd:"numberOfAttempt,nillable"`
	ContractNumberWalletList *ContractNumberWalletList `xsd:"contractNumberWalletList,optional,nillable"`
}

// Operation returns "getWebWallet".
func (*GetWebWalletResponse) Operation() string { return "getWebWallet" }
