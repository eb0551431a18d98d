package sim

import (
	"fmt"
	"time"

	"guichet"
)

// PartnerPayconiq is Payconiq, a wallet app the buyer pays with from a
// phone, offered through Payline.
const PartnerPayconiq = "PAYCONIQ"

// The answers of a partner's payment that is not approved. A partner's
// refusal is answered like an issuer's do-not-honour; its failure like a
// system malfunction; and PartnerCodeUnmatched is an answer the gateway
// does not recognise, as a partner may send.
const (
	PartnerCodeRefused   = "05"
	PartnerCodeError     = "96"
	PartnerCodeUnmatched = "12"
	// PartnerCodeFunds is a refusal of the payer's bank (insufficient
	// funds), and PartnerCodeFraud the partner's fraud screening's.
	PartnerCodeFunds = "51"
	PartnerCodeFraud = "59"
)

// PayconiqAmounts are the test amounts (minor units) that make a Payconiq
// payment of a TEST shop fail, named after the Payline code each leads
// to: 20.20 is refused by the partner (02020), 21.06 meets a partner error
// (02106), 20.12 gets an answer the gateway cannot match (02012), 20.51 is
// refused by the payer's bank (01116) and 20.59 by fraud screening
// (04002). Any other amount is paid, as on Monext's Payconiq simulator,
// where every account pays.
var PayconiqAmounts = map[int64]string{
	2020: PartnerCodeRefused,
	2106: PartnerCodeError,
	2012: PartnerCodeUnmatched,
	2051: PartnerCodeFunds,
	2059: PartnerCodeFraud,
}

// payconiqMaskedPan and the other details are what the simulated
// Payconiq tells of an approved payment: the buyer's Bancontact card and
// bank account, as Payline's documentation shows them.
const (
	payconiqMaskedPan = "670999XXXXXX9999"
	payconiqBankCode  = "GKCCBEBB"
	payconiqAccount   = "BE12XXXXXXXXXX92"
)

// partner answers a payment made with a partner's means of payment: the
// buyer has paid on the partner's page, and the partner tells the
// outcome.
func (a *Acquirer) partner(r guichet.AcquirerRequest, test bool, force string, now time.Time) (guichet.AcquirerResult, error) {
	if r.Partner != PartnerPayconiq {
		return guichet.AcquirerResult{}, &guichet.Error{Code: guichet.CodeInvalid, Param: "partner",
			Message: fmt.Sprintf("no partner %q", r.Partner)}
	}
	res := guichet.AcquirerResult{Code: CodeApproved}
	switch {
	case force != "":
		res.Code = force
	case test:
		if code, ok := PayconiqAmounts[r.Amount.Amount]; ok {
			res.Code = code
		}
	}
	if res.Approved = res.Code == CodeApproved; !res.Approved {
		return res, nil
	}
	res.AuthCode = TestAuthCode
	if !test {
		res.AuthCode = authCode(r)
	}
	// The card's expiry is three years ahead, at the end of a year, so
	// that it stays valid however far a test moves the shop's clock.
	res.Details = map[string]string{
		"cardMaskedPan":   payconiqMaskedPan,
		"cardExpiry":      fmt.Sprintf("12/%02d", (now.Year()+3)%100),
		"transactionFlow": "ecommerce",
		"bankCode":        payconiqBankCode,
		"accountNumber":   payconiqAccount,
	}
	return res, nil
}
