package payline

import (
	"crypto/subtle"
	"fmt"
	"slices"

	"guichet"
	"guichet/internal/front"
)

// protocol names Payline's credentials (guichet.Credential.Protocol) and
// the orders and operations the front records.
const protocol = "payline"

// cardCodePayconiq is the card code (card_code) of a Payconiq contract.
const cardCodePayconiq = "PAYCONIQ_MNXT"

// payconiqPaymentDelay is the payment delay a point of sale must have for
// its Payconiq contracts to work: the only value Monext allows.
const payconiqPaymentDelay = 61

// Account is a Payline merchant account as the administration centre
// shows it: what a shop's Payline credential holds.
type Account struct {
	// MerchantID is the merchant's identifier, the Basic user of every
	// call (14 digits on the platform).
	MerchantID string `json:"merchant_id"`
	// AccessKey is the key generated in the administration centre, the
	// Basic password.
	AccessKey string `json:"access_key"`
	// CompanyName and TradeName are the account's legal and trade names;
	// the trade name is the last resort of a Payconiq ticket's label.
	CompanyName string `json:"company_name,omitempty"`
	TradeName   string `json:"trade_name,omitempty"`
	// PointsOfSale are the account's points of sale.
	PointsOfSale []PointOfSale `json:"points_of_sale,omitempty"`
	// Contracts are the means of payment the account may take, each bound
	// to a point of sale.
	Contracts []Contract `json:"contracts,omitempty"`
	// NotificationURL, when set, is where web payment notifications go
	// when a payment names none.
	NotificationURL string `json:"notification_url,omitempty"`
}

// PointOfSale is a point of sale of the account.
type PointOfSale struct {
	Label string `json:"label"`
	// PaymentDelay is the delay setting of the point of sale, which
	// Payconiq requires to be 61.
	PaymentDelay int `json:"payment_delay"`
}

// Contract is a means of payment of the account: a card acquiring
// contract or an alternative means such as Payconiq.
type Contract struct {
	// Number is the contract number merchants send as
	// payment.contractNumber.
	Number string `json:"number"`
	Label  string `json:"label,omitempty"`
	// CardCode is the means of payment: "CB" for a card contract,
	// PAYCONIQ_MNXT for Payconiq.
	CardCode string `json:"card_code"`
	// Brands are the card brands a card contract takes.
	Brands []guichet.Brand `json:"brands,omitempty"`
	// Currency is the contract's ISO 4217 numeric currency ("978").
	Currency string `json:"currency,omitempty"`
	// PointOfSale is the label of the contract's point of sale.
	PointOfSale string `json:"point_of_sale,omitempty"`
	// PartnerContractID is the contract's identifier at the partner
	// (Payconiq's "ID contrat").
	PartnerContractID string `json:"partner_contract_id,omitempty"`
	// TradeName is the trade name of the means of payment, the label of a
	// Payconiq ticket when the payment names none.
	TradeName string `json:"trade_name,omitempty"`
}

// Payconiq reports whether the contract is a Payconiq one.
func (c *Contract) Payconiq() bool { return c.CardCode == cardCodePayconiq }

// Credential returns the shop credential of the account, for a shop to
// hold.
func (a Account) Credential() guichet.Credential {
	return guichet.NewCredential(protocol, a.MerchantID, a)
}

// AccountOf returns the Payline account of a shop, and false when the shop
// speaks no Payline.
func AccountOf(shop *guichet.Shop) (*Account, bool, error) {
	return guichet.AccountOf[Account](shop, protocol)
}

// Check refuses an account the platform's administration centre would not
// save: a contract without a number or bound to an unknown point of sale,
// two contracts with one number, a Payconiq contract whose point of
// sale's payment delay is not 61, and a notification URL that is not http
// or https.
func (a *Account) Check() error {
	if a.MerchantID == "" || a.AccessKey == "" {
		return fmt.Errorf("a Payline account needs a merchant id and an access key")
	}
	if err := front.CheckURL("notification_url", a.NotificationURL); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, c := range a.Contracts {
		if c.Number == "" || c.CardCode == "" {
			return fmt.Errorf("contract %q: a contract needs a number and a card code", c.Number)
		}
		if seen[c.Number] {
			return fmt.Errorf("contract %q is configured twice", c.Number)
		}
		seen[c.Number] = true
		pos := a.pointOfSale(c.PointOfSale)
		if c.PointOfSale != "" && pos == nil {
			return fmt.Errorf("contract %q: no point of sale %q", c.Number, c.PointOfSale)
		}
		if c.Payconiq() {
			if pos == nil || pos.PaymentDelay != payconiqPaymentDelay {
				return fmt.Errorf("contract %q: a Payconiq contract's point of sale must have a payment delay of %d", c.Number, payconiqPaymentDelay)
			}
			if c.PartnerContractID == "" {
				return fmt.Errorf("contract %q: a Payconiq contract needs its contract ID", c.Number)
			}
		}
	}
	return nil
}

// pointOfSale returns the point of sale of a label, or nil.
func (a *Account) pointOfSale(label string) *PointOfSale {
	for i := range a.PointsOfSale {
		if a.PointsOfSale[i].Label == label {
			return &a.PointsOfSale[i]
		}
	}
	return nil
}

// contract returns the contract of a number, or nil.
func (a *Account) contract(number string) *Contract {
	for i := range a.Contracts {
		if a.Contracts[i].Number == number {
			return &a.Contracts[i]
		}
	}
	return nil
}

// cardContracts are the account's card contracts, those a card page
// offers.
func (a *Account) cardContracts() []Contract {
	var out []Contract
	for _, c := range a.Contracts {
		if !c.Payconiq() {
			out = append(out, c)
		}
	}
	return out
}

// takes reports whether a card contract takes a brand.
func (c *Contract) takes(b guichet.Brand) bool { return slices.Contains(c.Brands, b) }

// accessKeyIs compares an access key in constant time.
func (a *Account) accessKeyIs(key string) bool {
	return subtle.ConstantTimeCompare([]byte(a.AccessKey), []byte(key)) == 1
}

// ReadCredential reads a merchant account as a user edited it (Check).
func (f *Front) ReadCredential(data []byte) (guichet.Credential, error) {
	return front.ReadCredential[Account](data)
}
