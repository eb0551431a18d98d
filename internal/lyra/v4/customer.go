package v4

// Customer is the buyer as the merchant described it (V4/Customer/Customer).
// Lyra echoes it in payments, transactions and tokens.
type Customer struct {
	BillingDetails  BillingDetails  `json:"billingDetails"`
	Email           *string         `json:"email"`
	Reference       *string         `json:"reference"`
	ShippingDetails ShippingDetails `json:"shippingDetails"`
	ExtraDetails    ExtraDetails    `json:"extraDetails"`
	// ShoppingCart is null in the Token/Get example of Lyra's
	// documentation and an object in every recorded payment.
	ShoppingCart *ShoppingCart `json:"shoppingCart"`
}

// MarshalJSON encodes c in Lyra's order.
func (c Customer) MarshalJSON() ([]byte, error) {
	type fields Customer
	return typed(fields(c), "V4/Customer/Customer")
}

// BillingDetails is the billing identity and address of the buyer
// (V4/Customer/BillingDetails). Its keys are in alphabetical order except
// legalName, which Lyra added later, before the _type.
type BillingDetails struct {
	Address         *string `json:"address"`
	Category        *string `json:"category"`
	CellPhoneNumber *string `json:"cellPhoneNumber"`
	City            *string `json:"city"`
	Country         *string `json:"country"`
	District        *string `json:"district"`
	FirstName       *string `json:"firstName"`
	IdentityCode    *string `json:"identityCode"`
	IdentityType    *string `json:"identityType"`
	Language        *string `json:"language"`
	LastName        *string `json:"lastName"`
	PhoneNumber     *string `json:"phoneNumber"`
	State           *string `json:"state"`
	StreetNumber    *string `json:"streetNumber"`
	Title           *string `json:"title"`
	ZipCode         *string `json:"zipCode"`
	LegalName       *string `json:"legalName"`
}

// MarshalJSON encodes d in Lyra's order.
func (d BillingDetails) MarshalJSON() ([]byte, error) {
	type fields BillingDetails
	return typed(fields(d), "V4/Customer/BillingDetails")
}

// ShippingDetails is the delivery address of the order
// (V4/Customer/ShippingDetails), keys in alphabetical order.
type ShippingDetails struct {
	Address             *string `json:"address"`
	Address2            *string `json:"address2"`
	Category            *string `json:"category"`
	City                *string `json:"city"`
	Country             *string `json:"country"`
	DeliveryCompanyName *string `json:"deliveryCompanyName"`
	District            *string `json:"district"`
	FirstName           *string `json:"firstName"`
	IdentityCode        *string `json:"identityCode"`
	LastName            *string `json:"lastName"`
	LegalName           *string `json:"legalName"`
	PhoneNumber         *string `json:"phoneNumber"`
	ShippingMethod      *string `json:"shippingMethod"`
	ShippingSpeed       *string `json:"shippingSpeed"`
	State               *string `json:"state"`
	StreetNumber        *string `json:"streetNumber"`
	ZipCode             *string `json:"zipCode"`
}

// MarshalJSON encodes d in Lyra's order.
func (d ShippingDetails) MarshalJSON() ([]byte, error) {
	type fields ShippingDetails
	return typed(fields(d), "V4/Customer/ShippingDetails")
}

// ExtraDetails is what the platform saw of the buyer's browser
// (V4/Customer/ExtraDetails).
type ExtraDetails struct {
	BrowserAccept    *string `json:"browserAccept"`
	FingerPrintID    *string `json:"fingerPrintId"`
	IPAddress        *string `json:"ipAddress"`
	BrowserUserAgent *string `json:"browserUserAgent"`
}

// MarshalJSON encodes d in Lyra's order.
func (d ExtraDetails) MarshalJSON() ([]byte, error) {
	type fields ExtraDetails
	return typed(fields(d), "V4/Customer/ExtraDetails")
}

// ShoppingCart is the cart the merchant sent (V4/Customer/ShoppingCart).
// Amounts are in the currency's minor unit.
type ShoppingCart struct {
	InsuranceAmount *int64 `json:"insuranceAmount"`
	ShippingAmount  *int64 `json:"shippingAmount"`
	TaxAmount       *int64 `json:"taxAmount"`
	// CartItemInfo is null in every recording: Lyra's documentation says
	// answers always return it empty, whatever the request held.
	CartItemInfo []CartItemInfo `json:"cartItemInfo"`
}

// MarshalJSON encodes c in Lyra's order.
func (c ShoppingCart) MarshalJSON() ([]byte, error) {
	type fields ShoppingCart
	return typed(fields(c), "V4/Customer/ShoppingCart")
}

// CartItemInfo is one line of a shopping cart (V4/Customer/CartItemInfo).
// No recording shows one (answers return cartItemInfo null): the keys and
// their order are those of the CreatePayment request, and the _type is
// inferred from Lyra's naming.
type CartItemInfo struct {
	ProductLabel  *string `json:"productLabel"`
	ProductType   *string `json:"productType"`
	ProductRef    *string `json:"productRef"`
	ProductQty    *int64  `json:"productQty"`
	ProductAmount *int64  `json:"productAmount"`
	ProductVAT    *int64  `json:"productVat"`
}

// MarshalJSON encodes i in the request's order.
func (i CartItemInfo) MarshalJSON() ([]byte, error) {
	type fields CartItemInfo
	return typed(fields(i), "V4/Customer/CartItemInfo")
}
