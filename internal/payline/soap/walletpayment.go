package soap

// This file declares the messages of the wallet and payment record
// operations of the direct payment service (DirectPaymentAPI).

// CreateWalletRequest asks to store a card in a wallet.
type CreateWalletRequest struct {
	Version                  string                    `xsd:"version"`
	ContractNumber           string                    `xsd:"contractNumber"`
	Wallet                   *Wallet                   `xsd:"wallet"`
	Buyer                    *Buyer                    `xsd:"buyer,nillable"`
	Owner                    *Owner                    `xsd:"owner,nillable"`
	PrivateDataList          *PrivateDataList          `xsd:"privateDataList,nillable"`
	Authentication3DSecure   *Authentication3DSecure   `xsd:"authentication3DSecure,nillable"`
	Media                    string                    `xsd:"media,nillable"`
	ContractNumberWalletList *ContractNumberWalletList `xsd:"contractNumberWalletList,nillable"`
	TransactionID            string                    `xsd:"transactionID,nillable"`
}

// Operation returns "createWallet".
func (*CreateWalletRequest) Operation() string { return "createWallet" }

// CreateWalletResponse carries the outcome of a wallet creation.
type CreateWalletResponse struct {
	Result                   *Result                   `xsd:"result"`
	Card                     *CardOut                  `xsd:"card"`
	ExtendedCard             *ExtendedCardType         `xsd:"extendedCard"`
	ContractNumberWalletList *ContractNumberWalletList `xsd:"contractNumberWalletList,optional,nillable"`
	FraudResultDetails       *FraudResultDetails       `xsd:"fraudResultDetails,nillable"`
}

// Operation returns "createWallet".
func (*CreateWalletResponse) Operation() string { return "createWallet" }

// UpdateWalletRequest asks to change a wallet.
type UpdateWalletRequest struct {
	Version                  string                    `xsd:"version"`
	ContractNumber           string                    `xsd:"contractNumber"`
	CardInd                  string                    `xsd:"cardInd,nillable"`
	Wallet                   *Wallet                   `xsd:"wallet"`
	Buyer                    *Buyer                    `xsd:"buyer,nillable"`
	Owner                    *Owner                    `xsd:"owner,nillable"`
	PrivateDataList          *PrivateDataList          `xsd:"privateDataList,nillable"`
	Authentication3DSecure   *Authentication3DSecure   `xsd:"authentication3DSecure,nillable"`
	Media                    string                    `xsd:"media,nillable"`
	ContractNumberWalletList *ContractNumberWalletList `xsd:"contractNumberWalletList,nillable"`
	TransactionID            string                    `xsd:"transactionID,nillable"`
}

// Operation returns "updateWallet".
func (*UpdateWalletRequest) Operation() string { return "updateWallet" }

// UpdateWalletResponse carries the outcome of a wallet update.
type UpdateWalletResponse struct {
	Result                   *Result                   `xsd:"result"`
	Card                     *CardOut                  `xsd:"card"`
	ExtendedCard             *ExtendedCardType         `xsd:"extendedCard"`
	ContractNumberWalletList *ContractNumberWalletList `xsd:"contractNumberWalletList,optional,nillable"`
}

// Operation returns "updateWallet".
func (*UpdateWalletResponse) Operation() string { return "updateWallet" }

// GetWalletRequest asks for a wallet.
type GetWalletRequest struct {
	Version        string `xsd:"version"`
	ContractNumber string `xsd:"contractNumber"`
	WalletID       string `xsd:"walletId"`
	CardInd        string `xsd:"cardInd,nillable"`
	Media          string `xsd:"media,nillable"`
}

// Operation returns "getWallet".
func (*GetWalletRequest) Operation() string { return "getWallet" }

// GetWalletResponse carries a wallet.
type GetWalletResponse struct {
	Result                   *Result                   `xsd:"result"`
	Wallet                   *Wallet                   `xsd:"wallet,nillable"`
	Owner                    *Owner                    `xsd:"owner,nillable"`
	IsDisabled               string                    `xsd:"isDisabled,nillable"`
	DisableDate              string                    `xsd:"disableDate,nillable"`
	PrivateDataList          *PrivateDataList          `xsd:"privateDataList,nillable"`
	ExtendedCard             *ExtendedCardType         `xsd:"extendedCard,nillable"`
	ContractNumberWalletList *ContractNumberWalletList `xsd:"contractNumberWalletList,optional,nillable"`
	Media                    string                    `xsd:"media,nillable"`
}

// Operation returns "getWallet".
func (*GetWalletResponse) Operation() string { return "getWallet" }

// GetCardsRequest asks for the cards of a wallet.
type GetCardsRequest struct {
	Version        string `xsd:"version"`
	ContractNumber string `xsd:"contractNumber"`
	WalletID       string `xsd:"walletId"`
	CardInd        string `xsd:"cardInd,nillable"`
}

// Operation returns "getCards".
func (*GetCardsRequest) Operation() string { return "getCards" }

// GetCardsResponse carries the cards of a wallet.
type GetCardsResponse struct {
	Result          *Result          `xsd:"result"`
	CardsList       *CardsList       `xsd:"cardsList,nillable"`
	Owner           *Owner           `xsd:"owner,nillable"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList,nillable"`
}

// Operation returns "getCards".
func (*GetCardsResponse) Operation() string { return "getCards" }

// DisableWalletRequest asks to disable wallets.
type DisableWalletRequest struct {
	ContractNumber string        `xsd:"contractNumber"`
	CardInd        string        `xsd:"cardInd,nillable"`
	WalletIDList   *WalletIDList `xsd:"walletIdList"`
}

// Operation returns "disableWallet".
func (*DisableWalletRequest) Operation() string { return "disableWallet" }

// DisableWalletResponse lists the wallets disabled.
type DisableWalletResponse struct {
	Result       *Result       `xsd:"result"`
	WalletIDList *WalletIDList `xsd:"walletIdList"`
}

// Operation returns "disableWallet".
func (*DisableWalletResponse) Operation() string { return "disableWallet" }

// EnableWalletRequest asks to enable a wallet again.
type EnableWalletRequest struct {
	ContractNumber string `xsd:"contractNumber"`
	CardInd        string `xsd:"cardInd,nillable"`
	WalletID       string `xsd:"walletId"`
}

// Operation returns "enableWallet".
func (*EnableWalletRequest) Operation() string { return "enableWallet" }

// EnableWalletResponse carries the outcome of enabling a wallet.
type EnableWalletResponse struct {
	Result *Result `xsd:"result"`
}

// Operation returns "enableWallet".
func (*EnableWalletResponse) Operation() string { return "enableWallet" }

// DoImmediateWalletPaymentRequest asks to pay now with a wallet card.
type DoImmediateWalletPaymentRequest struct {
	Version                string                  `xsd:"version"`
	Payment                *Payment                `xsd:"payment"`
	Order                  *Order                  `xsd:"order"`
	Buyer                  *Buyer                  `xsd:"buyer,nillable"`
	WalletID               string                  `xsd:"walletId"`
	CardInd                string                  `xsd:"cardInd,nillable"`
	CVX                    string                  `xsd:"cvx,nillable"`
	Recurring              *Recurring              `xsd:"recurring,optional,nillable"`
	PrivateDataList        *PrivateDataList        `xsd:"privateDataList,nillable"`
	Media                  string                  `xsd:"media,nillable"`
	Authentication3DSecure *Authentication3DSecure `xsd:"authentication3DSecure,nillable"`
	SubMerchant            *SubMerchant            `xsd:"subMerchant,nillable"`
	LinkedTransactionID    string                  `xsd:"linkedTransactionId,nillable"`
	ThreeDSInfo            *ThreeDSInfo            `xsd:"threeDSInfo,nillable"`
	TravelFileNumber       string                  `xsd:"travelFileNumber,optional,nillable"`
}

// Operation returns "doImmediateWalletPayment".
func (*DoImmediateWalletPaymentRequest) Operation() string { return "doImmediateWalletPayment" }

// DoImmediateWalletPaymentResponse carries the outcome of a wallet payment.
type DoImmediateWalletPaymentResponse struct {
	Result                 *Result                 `xsd:"result"`
	Transaction            *Transaction            `xsd:"transaction,nillable"`
	Authorization          *Authorization          `xsd:"authorization,nillable"`
	Authentication3DSecure *Authentication3DSecure `xsd:"authentication3DSecure,nillable"`
	LinkedTransactionID    string                  `xsd:"linkedTransactionId,nillable"`
}

// Operation returns "doImmediateWalletPayment".
func (*DoImmediateWalletPaymentResponse) Operation() string { return "doImmediateWalletPayment" }

// DoScheduledWalletPaymentRequest asks to pay later, on a given date, with
// a wallet card.
type DoScheduledWalletPaymentRequest struct {
	Version                string                  `xsd:"version"`
	Payment                *Payment                `xsd:"payment"`
	OrderRef               string                  `xsd:"orderRef,nillable"`
	OrderDate              string                  `xsd:"orderDate,nillable"`
	ScheduledDate          string                  `xsd:"scheduledDate"`
	WalletID               string                  `xsd:"walletId"`
	CardInd                string                  `xsd:"cardInd,nillable"`
	Order                  *Order                  `xsd:"order,nillable"`
	Recurring              *Recurring              `xsd:"recurring,optional,nillable"`
	Authentication3DSecure *Authentication3DSecure `xsd:"authentication3DSecure,optional,nillable"`
	PrivateDataList        *PrivateDataList        `xsd:"privateDataList,nillable"`
	Media                  string                  `xsd:"media,nillable"`
	SubMerchant            *SubMerchant            `xsd:"subMerchant,nillable"`
	LinkedTransactionID    string                  `xsd:"linkedTransactionId,nillable"`
}

// Operation returns "doScheduledWalletPayment".
func (*DoScheduledWalletPaymentRequest) Operation() string { return "doScheduledWalletPayment" }

// DoScheduledWalletPaymentResponse carries the payment record of a
// scheduled wallet payment.
type DoScheduledWalletPaymentResponse struct {
	Result          *Result `xsd:"result"`
	PaymentRecordID string  `xsd:"paymentRecordId"`
}

// Operation returns "doScheduledWalletPayment".
func (*DoScheduledWalletPaymentResponse) Operation() string { return "doScheduledWalletPayment" }

// DoRecurrentWalletPaymentRequest asks to pay in instalments or by
// subscription with a wallet card.
type DoRecurrentWalletPaymentRequest struct {
	Version                string                  `xsd:"version"`
	Payment                *Payment                `xsd:"payment"`
	OrderRef               string                  `xsd:"orderRef"`
	OrderDate              string                  `xsd:"orderDate"`
	ScheduledDate          string                  `xsd:"scheduledDate"`
	WalletID               string                  `xsd:"walletId"`
	CardInd                string                  `xsd:"cardInd,nillable"`
	CVX                    string                  `xsd:"cvx,nillable"`
	Recurring              *Recurring              `xsd:"recurring"`
	PrivateDataList        *PrivateDataList        `xsd:"privateDataList,nillable"`
	Order                  *Order                  `xsd:"order,nillable"`
	Media                  string                  `xsd:"media,nillable"`
	Authentication3DSecure *Authentication3DSecure `xsd:"authentication3DSecure,optional,nillable"`
	LinkedTransactionID    string                  `xsd:"linkedTransactionId,nillable"`
}

// Operation returns "doRecurrentWalletPayment".
func (*DoRecurrentWalletPaymentRequest) Operation() string { return "doRecurrentWalletPayment" }

// DoRecurrentWalletPaymentResponse carries the payment record and the
// instalments of a recurring wallet payment.
type DoRecurrentWalletPaymentResponse struct {
	Result            *Result            `xsd:"result"`
	PaymentRecordID   string             `xsd:"paymentRecordId"`
	BillingRecordList *BillingRecordList `xsd:"billingRecordList"`
}

// Operation returns "doRecurrentWalletPayment".
func (*DoRecurrentWalletPaymentResponse) Operation() string { return "doRecurrentWalletPayment" }

// GetPaymentRecordRequest asks for a payment record, the schedule of a
// recurring payment.
type GetPaymentRecordRequest struct {
	Version         string `xsd:"version"`
	ContractNumber  string `xsd:"contractNumber"`
	PaymentRecordID string `xsd:"paymentRecordId"`
}

// Operation returns "getPaymentRecord".
func (*GetPaymentRecordRequest) Operation() string { return "getPaymentRecord" }

// GetPaymentRecordResponse carries a payment record and its instalments.
type GetPaymentRecordResponse struct {
	Result            *Result            `xsd:"result"`
	Recurring         *Recurring         `xsd:"recurring"`
	IsDisabled        string             `xsd:"isDisabled,nillable"`
	DisableDate       string             `xsd:"disableDate,nillable"`
	BillingRecordList *BillingRecordList `xsd:"billingRecordList"`
	PrivateDataList   *PrivateDataList   `xsd:"privateDataList,nillable"`
	Order             *Order             `xsd:"order,nillable"`
	WalletID          string             `xsd:"walletId"`
}

// Operation returns "getPaymentRecord".
func (*GetPaymentRecordResponse) Operation() string { return "getPaymentRecord" }

// DisablePaymentRecordRequest asks to stop a payment record.
type DisablePaymentRecordRequest struct {
	ContractNumber  string `xsd:"contractNumber"`
	PaymentRecordID string `xsd:"paymentRecordId"`
}

// Operation returns "disablePaymentRecord".
func (*DisablePaymentRecordRequest) Operation() string { return "disablePaymentRecord" }

// DisablePaymentRecordResponse carries the outcome of stopping a payment
// record.
type DisablePaymentRecordResponse struct {
	Result *Result `xsd:"result"`
}

// Operation returns "disablePaymentRecord".
func (*DisablePaymentRecordResponse) Operation() string { return "disablePaymentRecord" }

// UpdatePaymentRecordRequest asks to change the schedule of a payment
// record.
type UpdatePaymentRecordRequest struct {
	Version         string              `xsd:"version,nillable"`
	ContractNumber  string              `xsd:"contractNumber"`
	PaymentRecordID string              `xsd:"paymentRecordId"`
	Recurring       *RecurringForUpdate `xsd:"recurring"`
}

// Operation returns "updatePaymentRecord".
func (*UpdatePaymentRecordRequest) Operation() string { return "updatePaymentRecord" }

// UpdatePaymentRecordResponse carries the payment record as changed.
type UpdatePaymentRecordResponse struct {
	Result          *Result          `xsd:"result"`
	Recurring       *Recurring       `xsd:"recurring"`
	IsDisabled      string           `xsd:"isDisabled"`
	DisableDate     string           `xsd:"disableDate"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList"`
	Order           *Order           `xsd:"order"`
	WalletID        string           `xsd:"walletId"`
}

// Operation returns "updatePaymentRecord".
func (*UpdatePaymentRecordResponse) Operation() string { return "updatePaymentRecord" }

// GetBillingRecordRequest asks for one instalment of a payment record.
type GetBillingRecordRequest struct {
	ContractNumber  string `xsd:"contractNumber"`
	PaymentRecordID string `xsd:"paymentRecordId"`
	BillingRecordID string `xsd:"billingRecordId"`
}

// Operation returns "getBillingRecord".
func (*GetBillingRecordRequest) Operation() string { return "getBillingRecord" }

// GetBillingRecordResponse carries one instalment of a payment record.
type GetBillingRecordResponse struct {
	Result          *Result          `xsd:"result"`
	Recurring       *Recurring       `xsd:"recurring"`
	IsDisabled      string           `xsd:"isDisabled,nillable"`
	DisableDate     string           `xsd:"disableDate,nillable"`
	BillingRecord   *BillingRecord   `xsd:"billingRecord"`
	Order           *Order           `xsd:"order,nillable"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList,nillable"`
	WalletID        string           `xsd:"walletId"`
}

// Operation returns "getBillingRecord".
func (*GetBillingRecordResponse) Operation() string { return "getBillingRecord" }

// UpdateBillingRecordRequest asks to change one instalment of a payment
// record.
type UpdateBillingRecordRequest struct {
	ContractNumber         string                  `xsd:"contractNumber"`
	PaymentRecordID        string                  `xsd:"paymentRecordId"`
	BillingRecordID        string                  `xsd:"billingRecordId"`
	BillingRecordForUpdate *BillingRecordForUpdate `xsd:"billingRecordForUpdate"`
}

// Operation returns "updateBillingRecord".
func (*UpdateBillingRecordRequest) Operation() string { return "updateBillingRecord" }

// UpdateBillingRecordResponse carries the instalment as changed.
type UpdateBillingRecordResponse struct {
	Result          *Result          `xsd:"result"`
	Recurring       *Recurring       `xsd:"recurring"`
	IsDisabled      string           `xsd:"isDisabled,nillable"`
	DisableDate     string           `xsd:"disableDate,nillable"`
	BillingRecord   *BillingRecord   `xsd:"billingRecord"`
	Order           *Order           `xsd:"order,nillable"`
	PrivateDataList *PrivateDataList `xsd:"privateDataList,nillable"`
	WalletID        string           `xsd:"walletId"`
}

// Operation returns "updateBillingRecord".
func (*UpdateBillingRecordResponse) Operation() string { return "updateBillingRecord" }
