package soap

// This file declares the objects of the merchant's settings, which
// getMerchantSettings and getTransactionDetails return.

// PointOfSell is a point of sale of the merchant, with its contracts and
// payment pages.
type PointOfSell struct {
	ID                        string                     `xsd:"id,optional,nillable"`
	SIRET                     string                     `xsd:"siret,nillable"`
	CodeMCC                   string                     `xsd:"codeMcc,nillable,length=4"`
	Label                     string                     `xsd:"label,nillable"`
	WebmasterEmail            string                     `xsd:"webmasterEmail,nillable"`
	Comments                  string                     `xsd:"comments,optional,nillable"`
	WebstoreURL               string                     `xsd:"webstoreURL,nillable"`
	NotificationURL           string                     `xsd:"notificationURL,nillable"`
	PrivateLifeURL            string                     `xsd:"privateLifeURL,optional,nillable"`
	SaleCondURL               string                     `xsd:"saleCondURL,optional,nillable"`
	BuyerMustAcceptSaleCond   string                     `xsd:"buyerMustAcceptSaleCond,optional,nillable,type=boolean"`
	EndOfPaymentRedirection   string                     `xsd:"endOfPaymentRedirection,optional,nillable,type=boolean"`
	TicketSend                *TicketSend                `xsd:"ticketSend,nillable"`
	Contracts                 *ContractList              `xsd:"contracts"`
	VirtualTerminal           *VirtualTerminal           `xsd:"virtualTerminal,nillable"`
	CustomPaymentPageCodeList *CustomPaymentPageCodeList `xsd:"customPaymentPageCodeList"`
	Reference                 string                     `xsd:"reference,optional,nillable"`
}

// ContractList lists the contracts of a point of sale (an inline type).
type ContractList struct {
	Contract []Contract `xsd:"contract,optional,max=unbounded"`
}

// Contract is one payment method contract of a point of sale.
type Contract struct {
	CardType                string         `xsd:"cardType,nillable"`
	Label                   string         `xsd:"label,optional,nillable"`
	ContractNumber          string         `xsd:"contractNumber,nillable"`
	Currency                string         `xsd:"currency,nillable"`
	SettlementType          string         `xsd:"settlementType,default=Manual,enum=Manual Now 1Day 2Day 3Day 4Day 5Day 6Day 7Day"`
	MaxAmountPerTransaction string         `xsd:"maxAmountPerTransaction,nillable,type=int"`
	TechnicalData           *TechnicalData `xsd:"technicalData,nillable"`
	BankAccount             *BankAccount   `xsd:"bankAccount,nillable"`
	AcquirerInterlocutor    *Interlocutor  `xsd:"acquirerInterlocutor,nillable"`
	Description             string         `xsd:"description,nillable"`
	LogoEnable              string         `xsd:"logoEnable,type=boolean"`
	SmallLogoMIME           string         `xsd:"smallLogoMime,optional"`
	SmallLogo               string         `xsd:"smallLogo,optional,type=base64Binary"`
	NormalLogoMIME          string         `xsd:"normalLogoMime,optional"`
	NormalLogo              string         `xsd:"normalLogo,optional,type=base64Binary"`
	Contribution            *Contribution  `xsd:"contribution,optional"`
	Enrolment3DS            string         `xsd:"enrolment3DS,optional"`
}

// CustomPaymentPageCodeList lists the customised payment pages of a point
// of sale (an inline type).
type CustomPaymentPageCodeList struct {
	CustomPaymentPageCode []CustomPaymentPageCode `xsd:"customPaymentPageCode,optional,max=unbounded"`
}

// CustomPaymentPageCode names one customised payment page.
type CustomPaymentPageCode struct {
	Code  string `xsd:"code,nillable"`
	Label string `xsd:"label,nillable"`
	Type  string `xsd:"type,nillable"`
}

// TicketSend says who receives the e-ticket of a payment.
type TicketSend struct {
	ToBuyer    string `xsd:"toBuyer,nillable,type=boolean"`
	ToMerchant string `xsd:"toMerchant,nillable,type=boolean"`
}

// VirtualTerminal is the virtual terminal of a point of sale.
type VirtualTerminal struct {
	Label           string                       `xsd:"label"`
	InactivityDelay string                       `xsd:"inactivityDelay,default=10,type=int"`
	Logo            string                       `xsd:"logo,optional"`
	Functions       *VirtualTerminalFunctionList `xsd:"functions"`
}

// VirtualTerminalFunctionList lists the functions of a virtual terminal (an
// inline type).
type VirtualTerminalFunctionList struct {
	Function []VirtualTerminalFunction `xsd:"function,max=unbounded"`
}

// VirtualTerminalFunction is one function a virtual terminal offers.
type VirtualTerminalFunction struct {
	Function string `xsd:"function,enum=simplePayment walletCreation nXPayment"`
	Label    string `xsd:"label"`
	// The vendor's WSDL wraps this element in an optional sequence of its
	// own; an optional element accepts the same documents.
	FunctionParameter []FunctionParameter `xsd:"functionParameter,optional,max=unbounded"`
}

// FunctionParameter is one parameter of a virtual terminal function,
// carried by its id attribute (an inline type).
type FunctionParameter struct {
	ID string `xsd:"id,attr"`
}

// TechnicalData holds an acquiring contract's terminal settings.
type TechnicalData struct {
	TerminalNumber string `xsd:"terminalNumber,nillable"`
	GTInstance     string `xsd:"GTInstance,nillable"`
	PaymentProfil  string `xsd:"paymentProfil,nillable"`
}

// BankAccount is the bank account a contract settles to.
type BankAccount struct {
	BankCode   string `xsd:"bankCode,nillable"`
	BankNumber string `xsd:"bankNumber,nillable"`
	IBAN       *IBAN  `xsd:"iban,nillable"`
	RIB        *RIB   `xsd:"rib,nillable"`
}

// IBAN is an international bank account number in its parts.
type IBAN struct {
	CountryCode string `xsd:"CountryCode,nillable"`
	CheckKey    string `xsd:"checkKey,nillable"`
	BBAN        string `xsd:"BBAN,nillable"`
	BIC         string `xsd:"BIC,nillable"`
}

// RIB is a French bank account identifier (relevé d'identité bancaire) in
// its parts.
type RIB struct {
	TellerCode    string `xsd:"tellerCode,nillable"`
	AccountNumber string `xsd:"accountNumber,nillable"`
	Key           string `xsd:"key,nillable"`
}

// Interlocutor is a contact person at the acquirer.
type Interlocutor struct {
	FirstName           string               `xsd:"firstName,nillable"`
	LastName            string               `xsd:"lastName,nillable"`
	Email               string               `xsd:"email,nillable"`
	Phone               string               `xsd:"phone,nillable"`
	Mobile              string               `xsd:"mobile,nillable"`
	Fax                 string               `xsd:"fax,nillable"`
	AddressInterlocutor *AddressInterlocutor `xsd:"addressInterlocutor,nillable"`
}

// AddressInterlocutor is the postal address of an acquirer contact.
type AddressInterlocutor struct {
	Street1 string `xsd:"street1,nillable"`
	Street2 string `xsd:"street2,nillable"`
	City    string `xsd:"city,nillable"`
	ZipCode string `xsd:"zipCode,nillable"`
	State   string `xsd:"state,nillable"`
	Country string `xsd:"country,nillable"`
}

// Contribution holds the fee settings of a contract.
type Contribution struct {
	Enable               string `xsd:"enable,type=boolean"`
	Type                 string `xsd:"type,nillable"`
	Value                string `xsd:"value,nillable"`
	NbFreeTransaction    string `xsd:"nbFreeTransaction,nillable"`
	MinAmountTransaction string `xsd:"minAmountTransaction,nillable"`
	MaxAmountTransaction string `xsd:"maxAmountTransaction,nillable"`
}

// RoutingRule is the routing rule that moved a transaction from one
// contract to another.
type RoutingRule struct {
	ID                   string `xsd:"id,optional,nillable"`
	SourceContractNumber string `xsd:"sourceContractNumber,optional,nillable"`
	TargetContractNumber string `xsd:"targetContractNumber,optional,nillable"`
}
