package soap

// This file declares the messages of the extended service (ExtendedAPI).

// GetTransactionDetailsRequest asks for a transaction, by identifier
// (transactionId, lower-case d) or by order reference.
type GetTransactionDetailsRequest struct {
	Version            string `xsd:"version"`
	TransactionID      string `xsd:"transactionId,nillable"`
	OrderRef           string `xsd:"orderRef,nillable"`
	StartDate          string `xsd:"startDate,nillable"`
	EndDate            string `xsd:"endDate,nillable"`
	TransactionHistory string `xsd:"transactionHistory,nillable"`
	ArchiveSearch      string `xsd:"archiveSearch,nillable"`
}

// Operation returns "getTransactionDetails".
func (*GetTransactionDetailsRequest) Operation() string { return "getTransactionDetails" }

// GetTransactionDetailsResponse describes a transaction.
type GetTransactionDetailsResponse struct {
	Result                     *Result                     `xsd:"result"`
	Transaction                *Transaction                `xsd:"transaction,nillable"`
	Payment                    *Payment                    `xsd:"payment,nillable"`
	Authorization              *Authorization              `xsd:"authorization,nillable"`
	Order                      *Order                      `xsd:"order,nillable"`
	Buyer                      *Buyer                      `xsd:"buyer,nillable"`
	PrivateDataList            *PrivateDataList            `xsd:"privateDataList,nillable"`
	Card                       *CardOut                    `xsd:"card"`
	ExtendedCard               *ExtendedCardType           `xsd:"extendedCard"`
	AssociatedTransactionsList *AssociatedTransactionsList `xsd:"associatedTransactionsList,nillable"`
	StatusHistoryList          *StatusHistoryList          `xsd:"statusHistoryList,nillable"`
	Media                      string                      `xsd:"media,nillable"`
	CustomerMedia              *Media                      `xsd:"customerMedia"`
	ContractNumber             string                      `xsd:"contractNumber"`
	PaymentAdditionalList      *PaymentAdditionalList      `xsd:"paymentAdditionalList,optional,nillable"`
	BankAccountData            *BankAccountData            `xsd:"bankAccountData,nillable"`
	SubMerchant                *SubMerchant                `xsd:"subMerchant,nillable"`
	Authentication3DSecure     *Authentication3DSecure     `xsd:"authentication3DSecure,optional,nillable"`
	PointOfSell                *PointOfSell                `xsd:"pointOfSell"`
	RoutingRule                *RoutingRule                `xsd:"routingRule"`
	LinkedTransactionID        string                      `xsd:"linkedTransactionId,nillable"`
	TravelFileNumber           string                      `xsd:"travelFileNumber,optional,nillable"`
}

// Operation returns "getTransactionDetails".
func (*GetTransactionDetailsResponse) Operation() string { return "getTransactionDetails" }

// TransactionsSearchRequest asks for the transactions matching criteria
// over a period.
type TransactionsSearchRequest struct {
	Version             string `xsd:"version"`
	TransactionID       string `xsd:"transactionId,nillable"`
	OrderRef            string `xsd:"orderRef,nillable"`
	StartDate           string `xsd:"startDate"`
	EndDate             string `xsd:"endDate"`
	ContractNumber      string `xsd:"contractNumber,nillable"`
	AuthorizationNumber string `xsd:"authorizationNumber,nillable"`
	ReturnCode          string `xsd:"returnCode,nillable"`
	PaymentMean         string `xsd:"paymentMean,nillable"`
	TransactionType     string `xsd:"transactionType,nillable"`
	Name                string `xsd:"name,nillable"`
	FirstName           string `xsd:"firstName,nillable"`
	Email               string `xsd:"email,nillable"`
	CardNumber          string `xsd:"cardNumber,nillable"`
	Currency            string `xsd:"currency,nillable"`
	MinAmount           string `xsd:"minAmount,nillable"`
	MaxAmount           string `xsd:"maxAmount,nillable"`
	WalletID            string `xsd:"walletId,nillable"`
	SequenceNumber      string `xsd:"sequenceNumber,nillable"`
	Token               string `xsd:"token,nillable"`
	PointOfSellID       string `xsd:"pointOfSellId,nillable"`
	CardNetwork         string `xsd:"cardNetwork,nillable"`
	ThreeDSecured       string `xsd:"threeDSecured,nillable"`
	CustomerMediaID     string `xsd:"customerMediaId,nillable"`
}

// Operation returns "transactionsSearch".
func (*TransactionsSearchRequest) Operation() string { return "transactionsSearch" }

// TransactionsSearchResponse lists the transactions found.
type TransactionsSearchResponse struct {
	Result          *Result          `xsd:"result"`
	TransactionList *TransactionList `xsd:"transactionList,nillable"`
}

// Operation returns "transactionsSearch".
func (*TransactionsSearchResponse) Operation() string { return "transactionsSearch" }

// GetAlertDetailsRequest asks for a fraud alert. Its element names start
// with a capital letter.
type GetAlertDetailsRequest struct {
	Version         string `xsd:"version,nillable"`
	AlertID         string `xsd:"AlertId"`
	TransactionID   string `xsd:"TransactionId"`
	TransactionDate string `xsd:"TransactionDate,nillable"`
}

// Operation returns "getAlertDetails".
func (*GetAlertDetailsRequest) Operation() string { return "getAlertDetails" }

// GetAlertDetailsResponse describes a fraud alert and the history around
// it.
type GetAlertDetailsResponse struct {
	Result                *Result                `xsd:"result"`
	AlertID               string                 `xsd:"AlertId"`
	ExplanationCode       string                 `xsd:"ExplanationCode,optional,nillable"`
	ExplanationLabel      string                 `xsd:"ExplanationLabel,optional,nillable"`
	TransactionStatus     string                 `xsd:"TransactionStatus"`
	MerchantLabel         string                 `xsd:"MerchantLabel"`
	PosLabel              string                 `xsd:"PosLabel"`
	TransactionID         string                 `xsd:"TransactionId"`
	SecurityLevel         string                 `xsd:"SecurityLevel"`
	TransactionDate       string                 `xsd:"TransactionDate"`
	TransactionAmount     string                 `xsd:"TransactionAmount"`
	TransactionCurrency   string                 `xsd:"TransactionCurrency"`
	PaymentType           string                 `xsd:"PaymentType"`
	PaymentData           string                 `xsd:"PaymentData"`
	HolderName            string                 `xsd:"HolderName,optional,nillable"`
	ReferenceData         string                 `xsd:"ReferenceData"`
	CustomerID            string                 `xsd:"CustomerId,optional,nillable"`
	BuyerFirstName        string                 `xsd:"BuyerFirstName,optional,nillable"`
	BuyerLastName         string                 `xsd:"BuyerLastName,optional,nillable"`
	CustomerTransHist     *CustomerTransHist     `xsd:"CustomerTransHist"`
	PaymentMeansTransHist *PaymentMeansTransHist `xsd:"PaymentMeansTransHist"`
	AlertsTransHist       *AlertsTransHist       `xsd:"AlertsTransHist"`
}

// Operation returns "getAlertDetails".
func (*GetAlertDetailsResponse) Operation() string { return "getAlertDetails" }
