package soap

// This file declares the objects describing the people and businesses
// around a payment.

// Buyer describes the customer: identity, addresses, account history and
// device signals.
type Buyer struct {
	Title     string `xsd:"title,nillable"`
	LastName  string `xsd:"lastName,nillable"`
	FirstName string `xsd:"firstName,nillable"`
	Email     string `xsd:"email,nillable"`
	// ShippingAddress is spelt shippingAdress, with one d, on the wire;
	// wallets spell it right.
	ShippingAddress        *Address                `xsd:"shippingAdress,nillable"`
	BillingAddress         *Address                `xsd:"billingAddress,nillable"`
	AccountCreateDate      string                  `xsd:"accountCreateDate,nillable"`
	AccountAverageAmount   string                  `xsd:"accountAverageAmount,nillable"`
	AccountOrderCount      string                  `xsd:"accountOrderCount,nillable"`
	WalletID               string                  `xsd:"walletId,nillable"`
	WalletDisplayed        string                  `xsd:"walletDisplayed,nillable"`
	WalletSecured          string                  `xsd:"walletSecured,nillable"`
	WalletCardInd          string                  `xsd:"walletCardInd,nillable"`
	IP                     string                  `xsd:"ip,nillable"`
	MobilePhone            string                  `xsd:"mobilePhone,nillable"`
	CustomerID             string                  `xsd:"customerId,nillable"`
	LegalStatus            string                  `xsd:"legalStatus,nillable"`
	LegalDocumentType      string                  `xsd:"legalDocumentType,nillable"`
	LegalDocument          string                  `xsd:"legalDocument,nillable"`
	BirthDate              string                  `xsd:"birthDate,nillable"`
	FingerprintID          string                  `xsd:"fingerprintID,nillable"`
	DeviceFingerprint      string                  `xsd:"deviceFingerprint,nillable"`
	IsBot                  string                  `xsd:"isBot,nillable"`
	IsIncognito            string                  `xsd:"isIncognito,nillable"`
	IsBehindProxy          string                  `xsd:"isBehindProxy,nillable"`
	IsFromTor              string                  `xsd:"isFromTor,nillable"`
	IsEmulator             string                  `xsd:"isEmulator,nillable"`
	IsRooted               string                  `xsd:"isRooted,nillable"`
	HasTimezoneMismatch    string                  `xsd:"hasTimezoneMismatch,nillable"`
	LoyaltyMemberType      string                  `xsd:"loyaltyMemberType,nillable"`
	BuyerExtended          string                  `xsd:"buyerExtended,nillable"`
	MerchantAuthentication *MerchantAuthentication `xsd:"merchantAuthentication,nillable"`
}

// Address is a postal address, with the name and phone of whoever lives
// there.
type Address struct {
	Title             string `xsd:"title,optional,nillable"`
	Name              string `xsd:"name,optional,nillable"`
	FirstName         string `xsd:"firstName,optional,nillable"`
	LastName          string `xsd:"lastName,optional,nillable"`
	Street1           string `xsd:"street1,optional,nillable"`
	Street2           string `xsd:"street2,optional,nillable"`
	StreetNumber      string `xsd:"streetNumber,optional,nillable"`
	CityName          string `xsd:"cityName,optional,nillable"`
	ZipCode           string `xsd:"zipCode,optional,nillable"`
	Country           string `xsd:"country,optional,nillable"`
	Phone             string `xsd:"phone,optional,nillable"`
	State             string `xsd:"state,optional,nillable"`
	County            string `xsd:"county,optional,nillable"`
	PhoneType         string `xsd:"phoneType,optional,nillable"`
	AddressCreateDate string `xsd:"addressCreateDate,optional,nillable"`
	Email             string `xsd:"email,optional,nillable"`
}

// Owner is the cardholder when the cardholder is not the buyer.
type Owner struct {
	LastName       string        `xsd:"lastName,nillable"`
	FirstName      string        `xsd:"firstName,nillable"`
	BillingAddress *AddressOwner `xsd:"billingAddress,nillable"`
	IssueCardDate  string        `xsd:"issueCardDate,nillable"`
}

// AddressOwner is the cardholder's billing address.
type AddressOwner struct {
	Street   string `xsd:"street,nillable"`
	CityName string `xsd:"cityName,nillable"`
	ZipCode  string `xsd:"zipCode,nillable"`
	Country  string `xsd:"country,nillable"`
	Phone    string `xsd:"phone,nillable"`
}

// MerchantAuthentication says how and when the merchant authenticated the
// buyer.
type MerchantAuthentication struct {
	Method string `xsd:"method,nillable"`
	Date   string `xsd:"date,nillable"`
}

// SubMerchant identifies the seller a marketplace or payment facilitator
// calls for.
type SubMerchant struct {
	SubMerchantID           string `xsd:"subMerchantId"`
	SubMerchantName         string `xsd:"subMerchantName,nillable"`
	SubMerchantMCC          string `xsd:"subMerchantMCC"`
	SubMerchantSIRET        string `xsd:"subMerchantSIRET,nillable"`
	SubMerchantTaxCode      string `xsd:"subMerchantTaxCode,nillable"`
	SubMerchantStreet       string `xsd:"subMerchantStreet,nillable"`
	SubMerchantCity         string `xsd:"subMerchantCity,nillable"`
	SubMerchantZipCode      string `xsd:"subMerchantZipCode,nillable"`
	SubMerchantCountry      string `xsd:"subMerchantCountry,nillable"`
	SubMerchantState        string `xsd:"subMerchantState,nillable"`
	SubMerchantEmailAddress string `xsd:"subMerchantEmailAddress,nillable"`
	SubMerchantPhoneNumber  string `xsd:"subMerchantPhoneNumber,nillable"`
}

// BankAccountData identifies a bank account a payment draws on.
type BankAccountData struct {
	CountryCode   string `xsd:"countryCode,nillable"`
	BankCode      string `xsd:"bankCode,nillable"`
	AccountNumber string `xsd:"accountNumber,nillable"`
	Key           string `xsd:"key,nillable"`
}

// Creditor is the beneficiary of a bank transfer.
type Creditor struct {
	BIC  string `xsd:"bic"`
	IBAN string `xsd:"iban"`
	Name string `xsd:"name"`
}

// Media describes the device a transaction was made from.
type Media struct {
	ID              string `xsd:"id"`
	Label           string `xsd:"label"`
	OperatingSystem string `xsd:"operatingSystem"`
	Browser         string `xsd:"browser"`
	UserAgent       string `xsd:"userAgent"`
}
