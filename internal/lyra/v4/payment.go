package v4

import "encoding/json"

// Payment is the state of an order after a payment attempt (V4/Payment):
// the body of every IPN and browser return, and the answer of a SILENT
// Charge/CreatePayment.
type Payment struct {
	ShopID string `json:"shopId"`
	// OrderCycle is OPEN while the order can still receive attempts and
	// CLOSED once it is final.
	OrderCycle string `json:"orderCycle"`
	// OrderStatus is PAID, UNPAID, RUNNING, PARTIALLY_PAID or ABANDONED.
	OrderStatus  string       `json:"orderStatus"`
	ServerDate   Time         `json:"serverDate"`
	OrderDetails OrderDetails `json:"orderDetails"`
	Customer     Customer     `json:"customer"`
	// Transactions is written [] when empty.
	Transactions []PaymentTransaction `json:"transactions"`
	// SubMerchantDetails is null unless the merchant sent it.
	SubMerchantDetails json.RawMessage `json:"subMerchantDetails"`
}

// MarshalJSON encodes p in Lyra's order.
func (p Payment) MarshalJSON() ([]byte, error) {
	type fields Payment
	p.Transactions = emptyIfNil(p.Transactions)
	return typed(fields(p), "V4/Payment")
}

// OrderDetails sums up the order a transaction belongs to (V4/OrderDetails).
// Amounts are in the currency's minor unit.
type OrderDetails struct {
	OrderTotalAmount     int64  `json:"orderTotalAmount"`
	OrderEffectiveAmount *int64 `json:"orderEffectiveAmount"`
	// OrderPaidAmount appears in platform 6.25.0 (Order/Get); earlier
	// recordings lack it.
	OrderPaidAmount *int64            `json:"orderPaidAmount"`
	OrderCurrency   string            `json:"orderCurrency"`
	Mode            string            `json:"mode"`
	OrderID         *string           `json:"orderId"`
	Metadata        map[string]string `json:"metadata"`
	// UpdatedDNA appears, null, in platform 6.25.0; earlier recordings
	// lack it.
	UpdatedDNA json.RawMessage `json:"updatedDna"`
}

// MarshalJSON encodes d in Lyra's order.
func (d OrderDetails) MarshalJSON() ([]byte, error) {
	type fields OrderDetails
	return typed(fields(d), "V4/OrderDetails")
}

// PaymentTransaction is one transaction of a Payment
// (V4/PaymentTransaction). It carries the same facts as a Transaction in
// another order, without the customer and order it belongs to.
type PaymentTransaction struct {
	ShopID string `json:"shopId"`
	// UUID is 32 lower-case hexadecimal digits.
	UUID   string `json:"uuid"`
	Amount int64  `json:"amount"`
	// Currency is an ISO 4217 alphabetic code.
	Currency           string  `json:"currency"`
	PaymentMethodType  string  `json:"paymentMethodType"`
	PaymentMethodToken *string `json:"paymentMethodToken"`
	// Status is PAID, UNPAID or RUNNING; DetailedStatus refines it
	// (AUTHORISED, CAPTURED, REFUSED, …).
	Status         string `json:"status"`
	DetailedStatus string `json:"detailedStatus"`
	// OperationType is DEBIT, CREDIT or VERIFICATION.
	OperationType                 string             `json:"operationType"`
	EffectiveStrongAuthentication string             `json:"effectiveStrongAuthentication"`
	CreationDate                  Time               `json:"creationDate"`
	ErrorCode                     *string            `json:"errorCode"`
	ErrorMessage                  *string            `json:"errorMessage"`
	DetailedErrorCode             *string            `json:"detailedErrorCode"`
	DetailedErrorMessage          *string            `json:"detailedErrorMessage"`
	Metadata                      map[string]string  `json:"metadata"`
	TransactionDetails            TransactionDetails `json:"transactionDetails"`
}

// MarshalJSON encodes t in Lyra's order.
func (t PaymentTransaction) MarshalJSON() ([]byte, error) {
	type fields PaymentTransaction
	return typed(fields(t), "V4/PaymentTransaction")
}

// Transaction is a transaction on its own (V4/Transaction): the answer of
// Transaction/* web services and an element of Order/Get's answer.
type Transaction struct {
	ShopID                        string             `json:"shopId"`
	UUID                          string             `json:"uuid"`
	PaymentMethodType             string             `json:"paymentMethodType"`
	PaymentMethodToken            *string            `json:"paymentMethodToken"`
	DetailedStatus                string             `json:"detailedStatus"`
	Status                        string             `json:"status"`
	Amount                        int64              `json:"amount"`
	Currency                      string             `json:"currency"`
	CreationDate                  Time               `json:"creationDate"`
	ErrorCode                     *string            `json:"errorCode"`
	ErrorMessage                  *string            `json:"errorMessage"`
	DetailedErrorCode             *string            `json:"detailedErrorCode"`
	DetailedErrorMessage          *string            `json:"detailedErrorMessage"`
	EffectiveStrongAuthentication string             `json:"effectiveStrongAuthentication"`
	Customer                      Customer           `json:"customer"`
	TransactionDetails            TransactionDetails `json:"transactionDetails"`
	OrderDetails                  OrderDetails       `json:"orderDetails"`
	OperationType                 string             `json:"operationType"`
	Metadata                      map[string]string  `json:"metadata"`
	// PaymentID appears in platform 6.25.0 (Order/Get); 6.21.0 lacks it.
	PaymentID *string `json:"paymentId"`
}

// MarshalJSON encodes t in Lyra's order.
func (t Transaction) MarshalJSON() ([]byte, error) {
	type fields Transaction
	return typed(fields(t), "V4/Transaction")
}

// OrderTransactions is the answer of Order/Get (V4/OrderTransactions).
type OrderTransactions struct {
	OrderID string `json:"orderId"`
	ShopID  string `json:"shopId"`
	// Transactions is written [] when empty.
	Transactions []Transaction `json:"transactions"`
}

// MarshalJSON encodes o in Lyra's order.
func (o OrderTransactions) MarshalJSON() ([]byte, error) {
	type fields OrderTransactions
	o.Transactions = emptyIfNil(o.Transactions)
	return typed(fields(o), "V4/OrderTransactions")
}

// TransactionDetails is the part of a transaction specific to its payment
// method and acquirer (V4/TransactionDetails). Amounts are in the
// currency's minor unit.
type TransactionDetails struct {
	// LiabilityShift is YES or NO; null on refunds.
	LiabilityShift    *string `json:"liabilityShift"`
	EffectiveAmount   int64   `json:"effectiveAmount"`
	EffectiveCurrency string  `json:"effectiveCurrency"`
	// CreationContext is CHARGE, REFUND, VERIFICATION, ….
	CreationContext      string               `json:"creationContext"`
	CardDetails          CardDetails          `json:"cardDetails"`
	PaymentMethodDetails PaymentMethodDetails `json:"paymentMethodDetails"`
	AcquirerDetails      json.RawMessage      `json:"acquirerDetails"`
	FraudManagement      FraudManagement      `json:"fraudManagement"`
	// SubscriptionDetails is an object (with a null id outside
	// subscriptions) in V4/Payment up to the latest recording, and absent
	// from the V4/Transaction of platforms 6.21.0 and 6.25.0.
	SubscriptionDetails *SubscriptionDetails `json:"subscriptionDetails"`
	// ParentTransactionUUID is the refunded transaction of a CREDIT.
	ParentTransactionUUID *string  `json:"parentTransactionUuid"`
	MID                   string   `json:"mid"`
	SequenceNumber        int      `json:"sequenceNumber"`
	TaxAmount             *int64   `json:"taxAmount"`
	PreTaxAmount          *int64   `json:"preTaxAmount"`
	TaxRate               *float64 `json:"taxRate"`
	ExternalTransactionID *string  `json:"externalTransactionId"`
	// DCC is null in the recorded IPNs and absent from the recorded web
	// service answers.
	DCC             json.RawMessage `json:"dcc"`
	NSU             *string         `json:"nsu"`
	TID             string          `json:"tid"`
	AcquirerNetwork string          `json:"acquirerNetwork"`
	TaxRefundAmount *int64          `json:"taxRefundAmount"`
	// UserInfo is "JS Client" for form payments and null for payments
	// made through the API.
	UserInfo                               *string `json:"userInfo"`
	PaymentMethodTokenPreviouslyRegistered *string `json:"paymentMethodTokenPreviouslyRegistered"`
	// OccurrenceType is UNITAIRE, RECURRENT_INITIAL or
	// RECURRENT_INTERMEDIAIRE.
	OccurrenceType      string          `json:"occurrenceType"`
	ArchivalReferenceID string          `json:"archivalReferenceId"`
	UseCase             *string         `json:"useCase"`
	Wallet              json.RawMessage `json:"wallet"`
}

// MarshalJSON encodes d in Lyra's order.
func (d TransactionDetails) MarshalJSON() ([]byte, error) {
	type fields TransactionDetails
	return typed(fields(d), "V4/TransactionDetails")
}

// FraudManagement holds the risk checks run on a transaction
// (V4/PaymentMethod/Details/FraudManagement).
type FraudManagement struct {
	// RiskControl is [] in every recording; its elements are kept as
	// raw JSON because no recording shows one. Written [] when empty.
	RiskControl []json.RawMessage `json:"riskControl"`
	// RiskAnalysis is written [] when empty.
	RiskAnalysis []RiskAnalysis `json:"riskAnalysis"`
	// RiskAssessments is null in the recorded IPNs and absent from the
	// recorded web service answers.
	RiskAssessments json.RawMessage `json:"riskAssessments"`
}

// MarshalJSON encodes f in Lyra's order.
func (f FraudManagement) MarshalJSON() ([]byte, error) {
	type fields FraudManagement
	f.RiskControl = emptyIfNil(f.RiskControl)
	f.RiskAnalysis = emptyIfNil(f.RiskAnalysis)
	return typed(fields(f), "V4/PaymentMethod/Details/FraudManagement")
}

// RiskAnalysis is the result of one external risk analyzer
// (V4/PaymentMethod/Details/Risk/RiskAnalysis).
type RiskAnalysis struct {
	// Score is null in the only recording; its type is a guess.
	Score         *string   `json:"score"`
	ResultCode    *string   `json:"resultCode"`
	Status        *string   `json:"status"`
	RequestID     *string   `json:"requestId"`
	ExtraInfo     []ExtInfo `json:"extraInfo"`
	FingerPrintID *string   `json:"fingerPrintId"`
}

// MarshalJSON encodes a in Lyra's order.
func (a RiskAnalysis) MarshalJSON() ([]byte, error) {
	type fields RiskAnalysis
	return typed(fields(a), "V4/PaymentMethod/Details/Risk/RiskAnalysis")
}

// ExtInfo is a key and value a risk analyzer returned
// (V4/PaymentMethod/Details/Risk/ExtInfo).
type ExtInfo struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// MarshalJSON encodes i in Lyra's order.
func (i ExtInfo) MarshalJSON() ([]byte, error) {
	type fields ExtInfo
	return typed(fields(i), "V4/PaymentMethod/Details/Risk/ExtInfo")
}

// SubscriptionDetails names the subscription a transaction is an
// occurrence of (V4/PaymentMethod/Details/SubscriptionDetails).
type SubscriptionDetails struct {
	SubscriptionID *string `json:"subscriptionId"`
}

// MarshalJSON encodes d with its _type.
func (d SubscriptionDetails) MarshalJSON() ([]byte, error) {
	type fields SubscriptionDetails
	return typed(fields(d), "V4/PaymentMethod/Details/SubscriptionDetails")
}
