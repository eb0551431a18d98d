package smoney

import (
	"guichet"
)

// The card payment statuses (seed 004, Status).
const (
	statusUnknown    = -1
	statusWaiting    = 0
	statusCompleted  = 1
	statusRefunded   = 2
	statusRefused    = 3
	statusValidation = 4
	statusCancelled  = 5
	statusToBeSent   = 6
)

// The payment types (seed 004, Type).
const (
	typePayment = 0
	typeRefund  = 1
)

// execCodes pair each refusal's ExecCode (the card engine's four-digit
// result, spec §6) with the issuer's two-digit answer the simulated
// acquirer gives for it. Each issuer code stands for one ExecCode, so that
// a code forced in TEST comes back as itself.
var execCodes = []struct{ exec, issuer string }{
	{"0000", "00"},
	{"4001", "62"}, // declined by the network
	{"4002", "51"}, // insufficient funds
	{"4003", "05"}, // do not honour
	{"4004", "17"}, // abandoned by the holder
	{"4005", "59"}, // suspected fraud
	{"4009", "68"}, // 3-D Secure abandoned or expired
	{"4010", "12"}, // invalid transaction
	{"4011", "94"}, // duplicated
	{"4012", "14"}, // invalid card data
	{"4013", "57"}, // not allowed for this holder
	{"4014", "70"}, // card not enrolled in 3-D Secure
	{"4015", "33"}, // expired transaction
	{"4016", "58"}, // declined by the terminal
	{"4017", "71"}, // form expired
	{"4018", "72"}, // recurring payments revoked
	{"4019", "75"}, // the bank will decline further transactions
	{"4020", "65"}, // strong authentication required by the issuer
	{"4021", "40"}, // operation not allowed
	{"5001", "30"}, // protocol failure
	{"5002", "91"}, // network error
	{"5003", "92"}, // maintenance
	{"5004", "98"}, // time-out
	{"5005", "73"}, // 3-D Secure error
	{"5006", "96"}, // unexpected bank response
	{"6001", "81"}, // declined by the merchant
	{"6002", "83"}, // declined
	{"6003", "84"}, // the holder disputed before
	{"6004", "85"}, // declined by the merchant's or the platform's rules
	{"6005", "86"}, // not enrolled, or 3-D Secure unavailable
	{"6006", "87"}, // payment method blocked
	{"6007", "88"}, // prohibited by the networks
	{"6008", "34"}, // the holder declared fraud
}

// moreIssuerCodes are issuer answers execCodes does not pair, with the
// ExecCode of the same meaning: what other providers' test cards answer.
var moreIssuerCodes = map[string]string{
	"54": "4012", // expired card
	"41": "6008", // lost card
	"43": "6008", // stolen card
	"82": "4012", // wrong security code
	"61": "4002", // over the withdrawal limit
	"89": "4009", // 3-D Secure authentication failed
}

// execOf is the ExecCode of an issuer's answer; an answer nobody maps is a
// plain refusal.
func execOf(issuer string) string {
	for _, c := range execCodes {
		if c.issuer == issuer {
			return c.exec
		}
	}
	if e, ok := moreIssuerCodes[issuer]; ok {
		return e
	}
	return "4003"
}

// issuerOf is the issuer answer that makes the acquirer give an ExecCode,
// and false for one it cannot be made to give.
func issuerOf(exec string) (string, bool) {
	for _, c := range execCodes {
		if c.exec == exec {
			return c.issuer, true
		}
	}
	return "", false
}

// forcedCode is the issuer answer a TEST payment asks of the simulated
// acquirer: an amount whose cents spell a refusal's ExecCode (40.02 EUR is
// 4002, insufficient funds) gets it. Any other amount lets the acquirer
// decide.
func forcedCode(shop *guichet.Shop, amount int64) string {
	if !shop.IsTest() || amount < 4000 || amount > 6999 {
		return ""
	}
	issuer, _ := issuerOf(fourDigits(amount))
	return issuer
}

func fourDigits(n int64) string {
	b := []byte("0000")
	for i := 3; i >= 0 && n > 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}
