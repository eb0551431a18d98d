package guichet

// OrderContent is what a merchant tells of the buyer and the purchase with
// an order. Every front reads it from its own wire fields and echoes it
// back unchanged in its answers and notifications, whichever front took
// the order. Empty strings are fields the merchant did not send.
type OrderContent struct {
	Customer    *Customer    `json:"customer,omitempty"`
	Cart        *Cart        `json:"cart,omitempty"`
	SubMerchant *SubMerchant `json:"sub_merchant,omitempty"`
	// Metadata are the merchant's own name and value pairs, in the order
	// it sent them.
	Metadata []Field `json:"metadata,omitempty"`
	// Extras are the fields of a protocol that the domain does not name,
	// kept for the front that must echo them.
	Extras []Field `json:"extras,omitempty"`
}

// Field is a name and its value.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Extra returns the value of an extra field, or "".
func (c *OrderContent) Extra(name string) string {
	for _, f := range c.Extras {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// Customer is the buyer of an order.
type Customer struct {
	// Reference is the merchant's identifier of the buyer.
	Reference string   `json:"reference,omitempty"`
	Email     string   `json:"email,omitempty"`
	Billing   *Address `json:"billing,omitempty"`
	Shipping  *Address `json:"shipping,omitempty"`
	Browser   *Browser `json:"browser,omitempty"`
}

// Address is a billing or shipping address with the person or company at
// it.
type Address struct {
	Title     string `json:"title,omitempty"`
	Category  string `json:"category,omitempty"` // PRIVATE or COMPANY
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	LegalName string `json:"legal_name,omitempty"`
	Phone     string `json:"phone,omitempty"`
	CellPhone string `json:"cell_phone,omitempty"`
	// StreetNumber, Street, Street2 and District make the street address.
	StreetNumber string `json:"street_number,omitempty"`
	Street       string `json:"street,omitempty"`
	Street2      string `json:"street2,omitempty"`
	District     string `json:"district,omitempty"`
	ZipCode      string `json:"zip_code,omitempty"`
	City         string `json:"city,omitempty"`
	State        string `json:"state,omitempty"`
	Country      string `json:"country,omitempty"` // ISO 3166 alpha-2
	// Language is the buyer's, on a billing address (ISO 639-1).
	Language     string `json:"language,omitempty"`
	IdentityCode string `json:"identity_code,omitempty"`
	IdentityType string `json:"identity_type,omitempty"`
	// ShippingMethod, ShippingSpeed and Carrier describe a delivery, on a
	// shipping address.
	ShippingMethod string `json:"shipping_method,omitempty"`
	ShippingSpeed  string `json:"shipping_speed,omitempty"`
	Carrier        string `json:"carrier,omitempty"`
}

// Browser is what the buyer's browser told of itself.
type Browser struct {
	IP            string `json:"ip,omitempty"`
	UserAgent     string `json:"user_agent,omitempty"`
	Accept        string `json:"accept,omitempty"`
	FingerprintID string `json:"fingerprint_id,omitempty"`
}

// Cart is the content of the buyer's basket. Amounts are in the order's
// currency; nil ones were not sent.
type Cart struct {
	Items     []CartItem `json:"items,omitempty"`
	Insurance *int64     `json:"insurance,omitempty"`
	Shipping  *int64     `json:"shipping,omitempty"`
	Tax       *int64     `json:"tax,omitempty"`
}

// CartItem is one line of a cart.
type CartItem struct {
	Label  string `json:"label,omitempty"`
	Type   string `json:"type,omitempty"`
	Ref    string `json:"ref,omitempty"`
	Qty    *int64 `json:"qty,omitempty"`
	Amount *int64 `json:"amount,omitempty"`
	VAT    string `json:"vat,omitempty"`
}

// SubMerchant is the merchant a payment facilitator collects for.
type SubMerchant struct {
	Name           string `json:"name,omitempty"`
	CompanyType    string `json:"company_type,omitempty"`
	LegalNumber    string `json:"legal_number,omitempty"`
	FacilitatorID  string `json:"facilitator_id,omitempty"`
	MCC            string `json:"mcc,omitempty"`
	MID            string `json:"mid,omitempty"`
	Address1       string `json:"address1,omitempty"`
	Address2       string `json:"address2,omitempty"`
	Zip            string `json:"zip,omitempty"`
	City           string `json:"city,omitempty"`
	State          string `json:"state,omitempty"`
	Country        string `json:"country,omitempty"`
	Phone          string `json:"phone,omitempty"`
	URL            string `json:"url,omitempty"`
	SoftDescriptor string `json:"soft_descriptor,omitempty"`
}
