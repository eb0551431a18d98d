// Package payline serves Monext Payline's SOAP API: its web payment,
// direct payment and extended services as merchants' SOAP stacks call
// them, the hosted payment page with its Payconiq simulator, and the
// notifications that tell merchants a payment ended.
package payline

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/front"
)

// The demo merchant: a test account with a card contract and the Payconiq
// contract of Payline's Payconiq guide, configured as the guide shows.
const (
	demoMerchantID = "12345678912345"
	demoAccessKey  = "DEMOACCESSKEY1234567"
	demoCardNumber = "1234567"
	demoPayconiq   = "PAYCONIQFP"
	demoPOS        = "DemoShop"
)

// Front is the Payline front.
type Front struct {
	api *API
}

var _ front.Front = (*Front)(nil)

// New returns the Payline front.
func New(_ context.Context, d front.Deps) (front.Front, error) {
	return &Front{api: &API{svc: d.Service, log: d.Log, pages: d.Pages, newToken: newToken}}, nil
}

// Name is the protocol of the front's credentials.
func (f *Front) Name() string { return protocol }

// Register mounts the three SOAP services and the payment pages.
func (f *Front) Register(mux *http.ServeMux) {
	mux.Handle("/V4/services/{service}", f.api)
	f.api.registerPages(mux)
}

// Notifiers are the notifications of the front's orders.
func (f *Front) Notifiers() map[string]core.Notifier {
	return map[string]core.Notifier{protocol: notifier}
}

// Refs name Payline's transactions (see transactionID).
func (f *Front) Refs() map[string]core.RefFunc {
	return map[string]core.RefFunc{protocol: transactionID}
}

// Errors maps the core's refusals to the front's codes.
func (f *Front) Errors() map[guichet.Reason]string { return reasonCodes[opAny] }

// Demo returns the demo merchant.
func (f *Front) Demo(now time.Time) []guichet.Shop {
	return []guichet.Shop{{ID: "payline-" + demoMerchantID, Name: "Payline demo merchant", Mode: guichet.ModeTest,
		ThreeDS: true, Credentials: []guichet.Credential{demoAccount().Credential()}, CreatedAt: now}}
}

// demoAccount is the demo merchant's account.
func demoAccount() Account {
	return Account{MerchantID: demoMerchantID, AccessKey: demoAccessKey, CompanyName: "DEMO", TradeName: "Enseigne Mon compte",
		PointsOfSale: []PointOfSale{{Label: demoPOS, PaymentDelay: payconiqPaymentDelay}},
		Contracts: []Contract{
			{Number: demoCardNumber, Label: "CB Visa Mastercard", CardCode: "CB", Currency: "978", PointOfSale: demoPOS,
				Brands: []guichet.Brand{guichet.BrandCB, guichet.BrandVisa, guichet.BrandMastercard}},
			{Number: demoPayconiq, Label: demoPayconiq, CardCode: cardCodePayconiq, Currency: "978", PointOfSale: demoPOS,
				PartnerContractID: "MONEXTTESTCONTRACT", TradeName: "Monext Demo"},
		}}
}

// Banner describes the services and the demo merchant's credentials.
func (f *Front) Banner(base string, demo []guichet.Shop) []string {
	lines := []string{fmt.Sprintf("Payline SOAP           %s/V4/services/  (WebPaymentAPI, DirectPaymentAPI, ExtendedAPI; ?wsdl)", base)}
	for i := range demo {
		acct, ok, _ := AccountOf(&demo[i])
		if !ok {
			continue
		}
		lines = append(lines, fmt.Sprintf("  Payline merchant %s  access key %s", acct.MerchantID, acct.AccessKey))
		for _, c := range acct.Contracts {
			lines = append(lines, fmt.Sprintf("    contract %-10s %s", c.Number, c.CardCode))
		}
	}
	return lines
}

// transactionID is the identifier of operation number n, as Payline
// names transactions: fourteen digits. The last one is chosen so that
// the number fails the Luhn check, which keeps the exchange log's card
// masker from taking it for a card number.
func transactionID(n int64) string {
	body := strconv.FormatInt(2_000_000_000_000+n%1_000_000_000_000, 10)
	return body + strconv.Itoa((luhnDigit(body)+1)%10)
}

// luhnDigit is the check digit that makes body followed by it pass the
// Luhn check.
func luhnDigit(body string) int {
	sum := 0
	for i := len(body) - 1; i >= 0; i -= 2 {
		d := int(body[i]-'0') * 2
		if d > 9 {
			d -= 9
		}
		sum += d
		if i > 0 {
			sum += int(body[i-1] - '0')
		}
	}
	return (10 - sum%10) % 10
}
