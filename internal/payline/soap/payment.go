package soap

// This file declares the objects of payments and of their outcome.

// Result is the outcome of a call: a five-digit code (00000 for an accepted
// payment, 02500 for a completed non-payment operation, XXXXX for a
// technical failure) and its messages.
type Result struct {
	Code             string `xsd:"code"`
	ShortMessage     string `xsd:"shortMessage,optional,nillable"`
	LongMessage      string `xsd:"longMessage,optional,nillable"`
	PartnerCode      string `xsd:"partnerCode,optional,nillable"`
	PartnerCodeLabel string `xsd:"partnerCodeLabel,optional,nillable"`
}

// Payment is what a call asks to be done: amount in minor units, ISO 4217
// numeric currency, action code (100, 101, 201, 421…), mode (CPT, DIF, NX,
// REC) and contract number.
type Payment struct {
	Amount             string `xsd:"amount,nillable"`
	Currency           string `xsd:"currency"`
	Action             string `xsd:"action"`
	Mode               string `xsd:"mode"`
	ContractNumber     string `xsd:"contractNumber,optional,nillable"`
	DifferedActionDate string `xsd:"differedActionDate,optional,nillable"`
	Method             string `xsd:"method,optional,nillable"`
	SoftDescriptor     string `xsd:"softDescriptor,optional,nillable"`
	CardBrand          string `xsd:"cardBrand,optional,nillable"`
	RegistrationToken  string `xsd:"registrationToken,optional,nillable"`
	CumulatedAmount    string `xsd:"cumulatedAmount,optional,nillable"`
}

// Order is the merchant's order: reference, amount and currency, date
// (dd/mm/yyyy HH:mm), cart and delivery details.
type Order struct {
	Ref                   string   `xsd:"ref"`
	Origin                string   `xsd:"origin,optional,nillable"`
	Country               string   `xsd:"country,optional,nillable"`
	Taxes                 string   `xsd:"taxes,optional,nillable"`
	Amount                string   `xsd:"amount"`
	Currency              string   `xsd:"currency"`
	Date                  string   `xsd:"date"`
	Details               *Details `xsd:"details,optional,nillable"`
	DeliveryTime          string   `xsd:"deliveryTime,optional,nillable"`
	DeliveryMode          string   `xsd:"deliveryMode,optional,nillable"`
	DeliveryExpectedDate  string   `xsd:"deliveryExpectedDate,optional,nillable"`
	DeliveryExpectedDelay string   `xsd:"deliveryExpectedDelay,optional,nillable"`
	DeliveryCharge        string   `xsd:"deliveryCharge,optional,nillable"`
	DiscountAmount        string   `xsd:"discountAmount,optional,nillable"`
	OTAPackageType        string   `xsd:"otaPackageType,optional,nillable"`
	OTADestinationCountry string   `xsd:"otaDestinationCountry,optional,nillable"`
	BookingReference      string   `xsd:"bookingReference,optional,nillable"`
	OrderDetail           string   `xsd:"orderDetail,optional,nillable"`
	OrderExtended         string   `xsd:"orderExtended,optional,nillable"`
	OrderOTA              string   `xsd:"orderOTA,optional,nillable"`
}

// Details wraps the lines of an order; each line is a repeated element also
// named details, so the wire reads order/details/details.
type Details struct {
	Details []OrderDetail `xsd:"details,optional,max=100"`
}

// OrderDetail is one line of an order's cart.
type OrderDetail struct {
	Ref            string `xsd:"ref,optional,nillable"`
	Price          string `xsd:"price,optional,nillable"`
	Quantity       string `xsd:"quantity,optional,nillable"`
	Comment        string `xsd:"comment,optional,nillable"`
	Category       string `xsd:"category,optional,nillable"`
	Brand          string `xsd:"brand,optional,nillable"`
	Subcategory1   string `xsd:"subcategory1,optional,nillable"`
	Subcategory2   string `xsd:"subcategory2,optional,nillable"`
	AdditionalData string `xsd:"additionalData,optional,nillable"`
	TaxRate        string `xsd:"taxRate,optional,nillable"`
	Seller         string `xsd:"seller,optional,nillable"`
	SellerType     string `xsd:"sellerType,optional,nillable"`
}

// Authorization is the acquirer's authorization: its number, its date and
// the amount it covers.
type Authorization struct {
	Number             string     `xsd:"number"`
	Date               string     `xsd:"date"`
	AuthorizedAmount   string     `xsd:"authorizedAmount,nillable"`
	AuthorizedCurrency string     `xsd:"authorizedCurrency,nillable"`
	Reattempt          *Reattempt `xsd:"reattempt,optional,nillable"`
}

// Reattempt says whether and when a refused authorization may be attempted
// again.
type Reattempt struct {
	Indicator       string `xsd:"indicator,nillable"`
	FrozenPeriod    string `xsd:"frozenPeriod,nillable"`
	AllowedDuration string `xsd:"allowedDuration,nillable"`
	MaxAllowed      string `xsd:"maxAllowed,nillable"`
}

// Transaction is a payment transaction as answers describe it: identifier,
// date, fraud verdict, 3-D Secure flag and, in searches, its payment and
// card.
type Transaction struct {
	ID                           string              `xsd:"id"`
	Date                         string              `xsd:"date"`
	IsDuplicated                 string              `xsd:"isDuplicated,optional,nillable"`
	IsPossibleFraud              string              `xsd:"isPossibleFraud,nillable"`
	FraudResult                  string              `xsd:"fraudResult,optional,nillable"`
	FraudResultDetails           *FraudResultDetails `xsd:"fraudResultDetails,optional,nillable"`
	Explanation                  string              `xsd:"explanation,optional,nillable"`
	ThreeDSecure                 string              `xsd:"threeDSecure,optional,nillable"`
	SoftDescriptor               string              `xsd:"softDescriptor,optional,nillable"`
	Score                        string              `xsd:"score,optional,nillable"`
	Scoring                      *Scoring            `xsd:"scoring,optional,nillable"`
	ExternalWalletType           string              `xsd:"externalWalletType,optional,nillable"`
	ExternalWalletContractNumber string              `xsd:"externalWalletContractNumber,optional,nillable"`
	PartnerAdditionalData        string              `xsd:"partnerAdditionalData,optional,nillable"`
	AVS                          *AVS                `xsd:"avs,optional,nillable"`
	CustomerID                   string              `xsd:"customerId,optional,nillable"`
	Type                         string              `xsd:"type,optional"`
	OrderReference               string              `xsd:"orderReference,optional,nillable"`
	Payment                      *Payment            `xsd:"payment,optional,nillable"`
	PointOfSell                  *PointOfSell        `xsd:"pointOfSell,optional,nillable"`
	Card                         *CardOut            `xsd:"card,optional,nillable"`
	ExtendedCard                 *ExtendedCardType   `xsd:"extendedCard,optional,nillable"`
}

// Scoring is the verdict of a fraud scoring partner.
type Scoring struct {
	PartnerID    string `xsd:"partnerId,optional,nillable"`
	OrderID      string `xsd:"orderId,optional,nillable"`
	Value        string `xsd:"value,optional,nillable"`
	Response     string `xsd:"response,optional,nillable"`
	ErrorMessage string `xsd:"errorMessage,optional,nillable"`
}

// FraudResultDetails explains the fraud module's verdict.
type FraudResultDetails struct {
	Code         string `xsd:"code"`
	ShortMessage string `xsd:"shortMessage"`
	LongMessage  string `xsd:"longMessage"`
}

// AVS is the outcome of an address verification.
type AVS struct {
	Result             string `xsd:"result"`
	ResultFromAcquirer string `xsd:"resultFromAcquirer"`
}

// PrivateDataList wraps the private data of a call, at most 100 pairs.
type PrivateDataList struct {
	PrivateData []PrivateData `xsd:"privateData,optional,max=100"`
}

// PrivateData is one key and value the merchant attaches to a call and
// finds again in later answers.
type PrivateData struct {
	Key   string `xsd:"key"`
	Value string `xsd:"value"`
}

// MiscData wraps the key and value pairs of a refund answer's miscellaneous
// data.
type MiscData struct {
	MiscDataPair []MiscDataPair `xsd:"miscDataPair,optional,max=100"`
}

// MiscDataPair is one key and value of the structured miscellaneous data of
// a refund answer.
type MiscDataPair struct {
	Key   string `xsd:"key"`
	Value string `xsd:"value,nillable"`
}

// SelectedContractList lists, in the order the payment page shows them, the
// contract numbers a buyer may pay with.
type SelectedContractList struct {
	SelectedContract []string `xsd:"selectedContract,max=25"`
}

// ContractNumberWalletList lists the contract numbers a wallet card may be
// used with.
type ContractNumberWalletList struct {
	ContractNumberWallet []string `xsd:"contractNumberWallet,optional,max=99"`
}

// PaymentAdditionalList lists the further payments of an order paid in
// several payments.
type PaymentAdditionalList struct {
	PaymentAdditional []PaymentAdditional `xsd:"paymentAdditional,optional,max=100"`
}

// PaymentAdditional is one more payment of an order paid in several
// payments.
type PaymentAdditional struct {
	Transaction            *Transaction            `xsd:"transaction"`
	Payment                *Payment                `xsd:"payment"`
	Authorization          *Authorization          `xsd:"authorization"`
	Authentication3DSecure *Authentication3DSecure `xsd:"authentication3DSecure,optional,nillable"`
	Card                   *CardOut                `xsd:"card,optional,nillable"`
	ExtendedCard           *ExtendedCardType       `xsd:"extendedCard,optional,nillable"`
}

// Recurring is the schedule of a payment in instalments (NX) or of a
// subscription (REC): first and next amounts, billing cycle code, number of
// instalments left, billing day and dates.
type Recurring struct {
	FirstAmount            string `xsd:"firstAmount,nillable"`
	Amount                 string `xsd:"amount"`
	BillingCycle           string `xsd:"billingCycle"`
	BillingLeft            string `xsd:"billingLeft"`
	BillingDay             string `xsd:"billingDay,nillable"`
	StartDate              string `xsd:"startDate,nillable"`
	EndDate                string `xsd:"endDate,nillable"`
	NewAmount              string `xsd:"newAmount,nillable"`
	AmountModificationDate string `xsd:"amountModificationDate,nillable"`
	BillingRank            string `xsd:"billingRank,nillable"`
}

// RecurringForUpdate holds the schedule fields updatePaymentRecord may
// change.
type RecurringForUpdate struct {
	BillingLeft            string `xsd:"billingLeft,nillable"`
	BillingDay             string `xsd:"billingDay,nillable"`
	EndDate                string `xsd:"endDate,nillable"`
	NewAmount              string `xsd:"newAmount,nillable"`
	AmountModificationDate string `xsd:"amountModificationDate,nillable"`
}

// BillingRecordList lists the instalments of a payment record.
type BillingRecordList struct {
	BillingRecord []BillingRecord `xsd:"billingRecord,optional,max=100"`
}

// BillingRecord is one instalment of a payment record: its date, amount and
// status (0 to come, 1 paid, 2 refused, 3 retry planned, 4 disabled) and,
// once attempted, its outcome.
type BillingRecord struct {
	Date          string         `xsd:"date"`
	Amount        string         `xsd:"amount"`
	Status        string         `xsd:"status"`
	Result        *Result        `xsd:"result,optional,nillable"`
	Transaction   *Transaction   `xsd:"transaction,optional,nillable"`
	Authorization *Authorization `xsd:"authorization,optional,nillable"`
	NbTry         string         `xsd:"nbTry,optional,nillable"`
	Rank          string         `xsd:"rank,optional,nillable"`
}

// BillingRecordForUpdate holds the instalment fields updateBillingRecord
// may change.
type BillingRecordForUpdate struct {
	Date          string `xsd:"date,nillable"`
	Amount        string `xsd:"amount,nillable"`
	Status        string `xsd:"status,nillable"`
	ExecutionDate string `xsd:"executionDate,nillable"`
}
