package payline

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"guichet"
	"guichet/internal/payline/soap"
	"guichet/internal/sim"
)

// The layouts of dates in answers, which differ by operation as the
// recorded answers show (payline.md §2.3): a two-digit year for the
// direct operations on a card, four digits in the details of a web
// payment or a transaction, and no seconds for doDebit and doCredit.
const (
	layoutDirect  = "02/01/06 15:04:05"
	layoutDetails = "02/01/2006 15:04:05"
	layoutMinutes = "02/01/2006 15:04"
)

// presenter writes the objects of answers for one shop: dates in Paris
// time, as the platform gives them.
type presenter struct {
	paris *time.Location
}

func (p presenter) date(t time.Time, layout string) string { return t.In(p.paris).Format(layout) }

// transaction is the transaction object of an answer about operation op
// of t (its first one when op is nil).
func (p presenter) transaction(t *guichet.Transaction, op *guichet.Operation, layout string) *soap.Transaction {
	if op == nil {
		op = t.First()
	}
	out := &soap.Transaction{ID: op.Ref, Date: p.date(op.CreatedAt, layout), IsDuplicated: "0", IsPossibleFraud: "0",
		ThreeDSecure: threeDSecure(t.ThreeDS)}
	if data := partnerData(t); data != "" {
		out.PartnerAdditionalData = data
	}
	return out
}

// threeDSecure is the transaction's threeDSecure flag: Y when the buyer
// was authenticated, N otherwise.
func threeDSecure(status string) string {
	switch status {
	case "Y", "A", "F":
		return "Y"
	}
	return "N"
}

// authorization is the authorization object of a payment: its number and
// date, and the amount it covers. A refused payment has an empty number.
func (p presenter) authorization(t *guichet.Transaction, layout string) *soap.Authorization {
	a := &soap.Authorization{Date: p.date(t.CreatedAt, layout)}
	if t.Status != guichet.StatusRefused {
		a.Number = t.AuthCode
		a.AuthorizedAmount = fmt.Sprint(t.Amount)
		if c, ok := guichet.CurrencyByCode(t.Currency); ok {
			a.AuthorizedCurrency = c.Numeric
		}
	}
	return a
}

// card is the card object of a payment: the number with its first six
// and last two digits, as the platform masks it, the brand, the expiry
// (MMYY), and a token shaped like the number. A payment without a card
// (a partner's) has none.
func card(s guichet.StoredCard, holder string) *soap.CardOut {
	if s.Masked == "" {
		return nil
	}
	return &soap.CardOut{Number: maskNumber(s.Masked), Type: cardType(s.Brand),
		ExpirationDate: fmt.Sprintf("%02d%02d", s.ExpMonth, s.ExpYear%100), Cardholder: holder, Token: cardToken(s)}
}

// maskNumber keeps the first six and last two digits of a masked number.
func maskNumber(masked string) string {
	n := len(masked)
	if n < 8 {
		return masked
	}
	return masked[:6] + strings.Repeat("X", n-8) + masked[n-2:]
}

// cardToken is the token the platform gives a card in answers: the first
// six and last four digits around letters drawn from the card's
// fingerprint, so that the same card has the same token and no log
// masker takes it for a number.
func cardToken(s guichet.StoredCard) string {
	n := len(s.Masked)
	if n < 10 {
		return ""
	}
	sum := sha256.Sum256([]byte(s.Fingerprint))
	return s.Masked[:6] + guichet.Letters(sum[:])[:n-10] + s.Masked[n-4:]
}

// cardType is a brand as Payline's card.type names it.
func cardType(b guichet.Brand) string {
	if b == guichet.BrandUnknown {
		return "CB"
	}
	return string(b)
}

// extendedCard describes the card of a payment: its country, its brand
// and network.
func extendedCard(s guichet.StoredCard) *soap.ExtendedCardType {
	if s.Masked == "" {
		return nil
	}
	return &soap.ExtendedCardType{Country: s.Country, Type: cardType(s.Brand), Network: cardType(s.Brand)}
}

// paymentResult is the result of a payment: accepted, or the Payline code
// of the issuer's refusal.
func paymentResult(t *guichet.Transaction) Result {
	if t.Status != guichet.StatusRefused {
		return result("00000")
	}
	if t.Method == "PAYCONIQ" {
		return result(payconiqCode(t.ResponseCode))
	}
	return result(paylineCode(t.ResponseCode))
}

// payconiqCode is the Payline code of a refused Payconiq payment, by the
// simulator's answer: a refusal by the partner (02020), its error (02106)
// or an answer Payline does not know (02012), the codes of the seed's
// table; and, as its return-code section says, a bank's reason (01xxx)
// or fraud screening's (04xxx).
func payconiqCode(code string) string {
	switch code {
	case sim.PartnerCodeRefused:
		return "02020"
	case sim.PartnerCodeError:
		return "02106"
	case sim.PartnerCodeFraud:
		return "04002"
	case sim.PartnerCodeFunds:
		return paylineCode(code)
	}
	return "02012"
}

// partnerData is the partnerAdditionalData of a partner's payment: the
// JSON object of what the partner told, as the platform gives it.
func partnerData(t *guichet.Transaction) string {
	keys := []string{"cardMaskedPan", "cardExpiry", "transactionFlow"}
	var parts []string
	for _, k := range keys {
		if v, ok := t.Details[k]; ok {
			parts = append(parts, fmt.Sprintf("%q:%q", k, v))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// bankAccount is the bank account data of a partner's payment, nil for a
// card payment.
func bankAccount(t *guichet.Transaction) *soap.BankAccountData {
	if t == nil || (t.Details["bankCode"] == "" && t.Details["accountNumber"] == "") {
		return nil
	}
	return &soap.BankAccountData{BankCode: t.Details["bankCode"], AccountNumber: t.Details["accountNumber"]}
}

// numericCurrency is the ISO 4217 numeric code of a currency.
func numericCurrency(code string) string {
	if c, ok := guichet.CurrencyByCode(code); ok {
		return c.Numeric
	}
	return ""
}

// echoOrder is a request's order as answers give it back: the platform
// writes its date with seconds (dd/MM/yyyy HH:mm:ss).
func echoOrder(o *soap.Order) *soap.Order {
	if o == nil {
		return nil
	}
	out := *o
	if d, err := time.Parse("02/01/2006 15:04", strings.TrimSpace(o.Date)); err == nil {
		out.Date = d.Format(layoutDetails)
	}
	return &out
}
