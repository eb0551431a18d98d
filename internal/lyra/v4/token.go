package v4

import "encoding/json"

// Token is a stored card, the answer of Token/Get (V4/Token).
//
// No recording of this answer exists. The order of its keys up to
// tokenDetails comes from the Token/Get example of Lyra's documentation
// (platform 5.30.0), which starts with status; that example is cut after
// tokenDetails.mid, so nothing after it is known.
type Token struct {
	// Status is ACTIVE, CANCELLED or EXPIRED.
	Status             string `json:"status"`
	PaymentMethodToken string `json:"paymentMethodToken"`
	PaymentMethodType  string `json:"paymentMethodType"`
	CreationDate       Time   `json:"creationDate"`
	CancellationDate   *Time  `json:"cancellationDate"`
	// Customer is the buyer the token was registered for; its
	// ShoppingCart is null in Lyra's example.
	Customer     Customer     `json:"customer"`
	TokenDetails TokenDetails `json:"tokenDetails"`
}

// MarshalJSON encodes t in the documented order.
func (t Token) MarshalJSON() ([]byte, error) {
	type fields Token
	return typed(fields(t), "V4/Token")
}

// TokenDetails describes the card of a token. Its keys are those of Lyra's
// Token/Get example, which is cut after mid; its _type is a guess after
// CardDetails' ("V4/PaymentMethod/Details/…"), as no source shows it.
type TokenDetails struct {
	AuthorizationResponse CardAuthorizationResponse `json:"authorizationResponse"`
	PaymentSource         *string                   `json:"paymentSource"`
	PAN                   string                    `json:"pan"`
	ExpiryMonth           int                       `json:"expiryMonth"`
	ExpiryYear            int                       `json:"expiryYear"`
	EffectiveBrand        string                    `json:"effectiveBrand"`
	IssuerCode            *int                      `json:"issuerCode"`
	IssuerName            *string                   `json:"issuerName"`
	EffectiveProductCode  *string                   `json:"effectiveProductCode"`
	Country               *string                   `json:"country"`
	MID                   *string                   `json:"mid"`
}

// MarshalJSON encodes d in the documented order.
func (d TokenDetails) MarshalJSON() ([]byte, error) {
	type fields TokenDetails
	return typed(fields(d), "V4/PaymentMethod/Details/TokenDetails")
}

// SubscriptionCreated is the answer of Charge/CreateSubscription
// (V4/SubscriptionCreated). No recording exists: the keys and their order
// are those Lyra's documentation lists.
type SubscriptionCreated struct {
	ShopID             string  `json:"shopId"`
	OrderID            *string `json:"orderId"`
	PaymentMethodToken string  `json:"paymentMethodToken"`
	SubscriptionID     string  `json:"subscriptionId"`
}

// MarshalJSON encodes s in the documented order.
func (s SubscriptionCreated) MarshalJSON() ([]byte, error) {
	type fields SubscriptionCreated
	return typed(fields(s), "V4/SubscriptionCreated")
}

// Subscription is the answer of Subscription/Get (V4/Subscription). It has
// no status: a cancelled subscription has a CancelDate. No recording
// exists: the keys and their order are those Lyra's documentation lists.
// Amounts are in the currency's minor unit.
type Subscription struct {
	SubscriptionID      string            `json:"subscriptionId"`
	ShopID              string            `json:"shopId"`
	PaymentMethodToken  string            `json:"paymentMethodToken"`
	OrderID             *string           `json:"orderId"`
	Metadata            map[string]string `json:"metadata"`
	EffectDate          Time              `json:"effectDate"`
	CancelDate          *Time             `json:"cancelDate"`
	InitialAmount       *int64            `json:"initialAmount"`
	InitialAmountNumber *int              `json:"initialAmountNumber"`
	Amount              int64             `json:"amount"`
	Currency            string            `json:"currency"`
	PastPaymentsNumber  int               `json:"pastPaymentsNumber"`
	// TotalPaymentsNumber is null when the rule has no end.
	TotalPaymentsNumber *int `json:"totalPaymentsNumber"`
	// Rrule is an RFC 5545 rule prefixed with "RRULE:".
	Rrule       string  `json:"rrule"`
	Description *string `json:"description"`
}

// MarshalJSON encodes s in the documented order.
func (s Subscription) MarshalJSON() ([]byte, error) {
	type fields Subscription
	return typed(fields(s), "V4/Subscription")
}

// PaymentOrder is a payment link, the answer of Charge/CreatePaymentOrder
// and Charge/PaymentOrder/* (V4/PaymentOrder). No recording exists: the
// keys and their order are those the spec gathered from Lyra's
// documentation, the last ones inferred. Amounts are in the currency's
// minor unit.
type PaymentOrder struct {
	PaymentOrderID string `json:"paymentOrderId"`
	// PaymentURL is the hosted page the buyer pays on.
	PaymentURL string `json:"paymentURL"`
	// PaymentOrderStatus is RUNNING, then PAID, REFUSED, EXPIRED or
	// CANCELLED.
	PaymentOrderStatus string          `json:"paymentOrderStatus"`
	CreationDate       Time            `json:"creationDate"`
	UpdateDate         *Time           `json:"updateDate"`
	Amount             int64           `json:"amount"`
	Currency           string          `json:"currency"`
	Locale             *string         `json:"locale"`
	ExpirationDate     Time            `json:"expirationDate"`
	OrderID            *string         `json:"orderId"`
	ChannelDetails     json.RawMessage `json:"channelDetails"`
	Message            *string         `json:"message"`
	TransactionDetails json.RawMessage `json:"transactionDetails"`
}

// MarshalJSON encodes o in the documented order.
func (o PaymentOrder) MarshalJSON() ([]byte, error) {
	type fields PaymentOrder
	return typed(fields(o), "V4/PaymentOrder")
}
