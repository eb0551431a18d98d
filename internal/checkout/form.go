package checkout

import (
	"net/http"
	"strconv"
	"strings"

	"guichet"
)

// ReadCard reads the card form the buyer posted (Pages.Card's fields),
// with a message per wrong field, keyed as CardData.Errors is, in the
// page's language. cvvOptional tells the cards a protocol takes without a
// security code (store cards); nil requires one of every card.
func ReadCard(r *http.Request, lang string, cvvOptional func(pan string) bool) (guichet.Card, map[string]string) {
	msg := func(key string) string { return cardError(normLang(lang), key) }
	errs := map[string]string{}
	number := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, r.PostForm.Get("number"))
	if !guichet.LuhnValid(number) {
		errs["number"] = msg("errNumber")
	}
	c := guichet.Card{PAN: number, CVV: strings.TrimSpace(r.PostForm.Get("cvv")), Holder: strings.TrimSpace(r.PostForm.Get("holder"))}
	exp := strings.ReplaceAll(strings.TrimSpace(r.PostForm.Get("expiry")), " ", "")
	m, y, ok := strings.Cut(exp, "/")
	if !ok && len(exp) == 4 {
		m, y, ok = exp[:2], exp[2:], true
	}
	mm, err1 := strconv.Atoi(m)
	yy, err2 := strconv.Atoi(y)
	if !ok || err1 != nil || err2 != nil || mm < 1 || mm > 12 || (len(y) != 2 && len(y) != 4) {
		errs["expiry"] = msg("errExpiry")
	} else {
		if len(y) == 2 {
			yy += 2000
		}
		c.ExpMonth, c.ExpYear = mm, yy
	}
	switch {
	case c.CVV != "" && !cvvDigits(c.CVV):
		errs["cvv"] = msg("errCVV")
	case c.CVV == "" && (cvvOptional == nil || !cvvOptional(number)):
		errs["cvv"] = msg("errCVVMissing")
	}
	return c, errs
}

// cvvDigits reports whether a security code is three or four digits.
func cvvDigits(s string) bool {
	if len(s) < 3 || len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// cardError is the message of a wrong field of the card form.
func cardError(lang, key string) string {
	switch key {
	case "errNumber":
		return Text(lang, "Numéro de carte invalide.", "Invalid card number.")
	case "errExpiry":
		return Text(lang, "Date d'expiration invalide (MM/AA).", "Invalid expiry date (MM/YY).")
	case "errCVV":
		return Text(lang, "Cryptogramme invalide.", "Invalid security code.")
	}
	return Text(lang, "Saisissez le cryptogramme visuel.", "Enter the security code.")
}

// ChallengeCode is the code the buyer answered the 3-D Secure page
// (Pages.Challenge) with: the page's buttons stand for a buyer who typed
// the code right (right, the code the issuer expects) and one who gave
// up (""); a form posted without them is judged on the code typed.
func ChallengeCode(r *http.Request, right string) string {
	switch r.PostForm.Get("outcome") {
	case "ok":
		return right
	case "fail":
		return ""
	}
	return r.PostForm.Get("otp")
}
