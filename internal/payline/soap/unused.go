package soap

// This file declares the complex types the WSDL declares and no operation
// uses, so that the generated WSDL declares every type of the vendor's.

// Capture is one line of a mass capture. The WSDL declares it; no operation
// uses it.
type Capture struct {
	TransactionID string   `xsd:"transactionID"`
	Payment       *Payment `xsd:"payment"`
}

// Refund is one line of a mass refund. The WSDL declares it; no operation
// uses it.
type Refund struct {
	TransactionID string   `xsd:"transactionID"`
	Payment       *Payment `xsd:"payment"`
}

// CaptureAuthorizationList lists the lines of a mass capture. The WSDL
// declares it; no operation uses it.
type CaptureAuthorizationList struct {
	Capture []Capture `xsd:"capture,max=5000"`
}

// RefundAuthorizationList lists the lines of a mass refund. The WSDL
// declares it; no operation uses it.
type RefundAuthorizationList struct {
	Refund []Refund `xsd:"refund,max=5000"`
}

// ResetAuthorizationList lists the transactions of a mass reset. The WSDL
// declares it; no operation uses it.
type ResetAuthorizationList struct {
	TransactionID []string `xsd:"transactionID,max=5000"`
}

// FailedListObject lists the transactions a mass operation failed on. The
// WSDL declares it; no operation uses it.
type FailedListObject struct {
	FailedObject []Transaction `xsd:"failedObject,max=5000"`
}

// FailedObject is one failure of a mass operation. The WSDL declares it; no
// operation uses it.
type FailedObject struct {
	TransactionID string  `xsd:"transactionID"`
	Result        *Result `xsd:"result"`
}

// ConnectionData holds sign-in data. The WSDL declares it; no operation
// uses it.
type ConnectionData struct {
	MerchantID     string `xsd:"merchantId"`
	UserID         string `xsd:"userId"`
	Password       string `xsd:"password"`
	SecretQuestion string `xsd:"secretQuestion"`
	SecretAnswer   string `xsd:"secretAnswer"`
}

// Option is a subscribed option. The WSDL declares it; no operation uses
// it.
type Option struct {
	ID         string `xsd:"id"`
	Subscribed string `xsd:"subscribed,nillable,type=boolean"`
	EndDate    string `xsd:"endDate,nillable,type=dateTime"`
}
