package paybox

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"guichet"
)

// SystemRequest is a Paybox System payment form once its parameters have
// been checked (spec §2.2–2.4, §2.10). The form itself is kept, as
// received, because the HMAC and any later re-reading work on it.
type SystemRequest struct {
	Form Form // As received.

	Site, Rang, Identifiant string // Rang normalised: "032" and "32" are the same rang.
	Amount                  int64  // PBX_TOTAL, in minor units.
	Currency                guichet.Currency
	Reference               string // PBX_CMD.
	Email                   string // PBX_PORTEUR.
	Retour                  []RetourVar
	Hash                    string // PBX_HASH upper-cased; SHA512 when absent.

	// Return URLs; "" when absent, the merchant profile's default then.
	Effectue, Refuse, Annule, Attente, RepondreA string

	IPNPost  bool   // PBX_RUF1=POST.
	AuthOnly bool   // PBX_AUTOSEULE=O.
	Diff     int    // PBX_DIFF days; -1 when absent.
	Lang     string // PBX_LANGUE; FRA when absent.
	Source   string // PBX_SOURCE; HTML when absent.

	// PaymentType and CardType force a means of payment; both are set or
	// neither. For KWIXO, CardType holds the option even when the merchant
	// named it in PBX_CODEFAMILLE.
	PaymentType, CardType string

	Display       int    // PBX_DISPLAY seconds; 900 when absent.
	DateValMax    string // YYMM or "".
	No3DS         bool   // PBX_3DS=N.
	ChallengeWish string // PBX_SOUHAITAUTHENT on two digits, or "".
	Subscriber    string // PBX_REFABONNE.
	Instalments   []Instalment
	ErrorCodeTest string // PBX_ERRORCODETEST or "".
	Archivage     string

	// Subscription holds the sub-variables appended to PBX_CMD; nil when
	// there are none. Reference stays the whole PBX_CMD all the same: the
	// platform returns it as sent in R.
	Subscription *Subscription
}

// Subscription is a platform-managed subscription, asked for with
// sub-variables appended to PBX_CMD without separators (spec §2.10).
type Subscription struct {
	Reference string // PBX_CMD without its sub-variables.
	Amount    int64  // PBX_2MONT: each renewal; 0 means PBX_TOTAL.
	Count     int    // PBX_NBPAIE: renewals; 0 means until cancelled.
	Months    int    // PBX_FREQ: months between renewals, at least 1.
	Day       int    // PBX_QUAND: day of the month; 0 means the first payment's.
	Delay     int    // PBX_DELAIS: days before the subscription starts.
}

// Instalment is one later payment of a payment in several times: PBX_2MONTn
// due on PBX_DATEn. Date is a civil date, at midnight UTC.
type Instalment struct {
	Amount int64
	Date   time.Time
}

// ParamError names a parameter of a Paybox System form that the platform
// refuses. Code is the §2.9 response code that fits when there is one
// (00006 site, rang, identifier or access; 00010 currency; 00011 amount);
// "" means the platform only shows an error page.
type ParamError struct {
	Param, Message string
	Code           string
}

func (e *ParamError) Error() string {
	if e.Code != "" {
		return "paybox: " + e.Param + ": " + e.Message + " (" + e.Code + ")"
	}
	return "paybox: " + e.Param + ": " + e.Message
}

const (
	// maxValue bounds every value of a form. The largest legitimate ones
	// are the 3-D Secure XML fields and KWIXO's product list, well under
	// this; more is abuse, and is refused before any parsing.
	maxValue = 8 << 10
	// maxURL bounds return URLs. The manual says 150 bytes, but real
	// modules send longer ones (PrestaShop's carry several parameters) and
	// the platform takes them.
	maxURL = 2048
)

// systemMandatory lists the mandatory parameters in the order of the
// manual (§2.2), with the response code that fits their absence.
var systemMandatory = [...]struct{ name, code string }{
	{"PBX_SITE", "00006"},
	{"PBX_RANG", "00006"},
	{"PBX_IDENTIFIANT", "00006"},
	{"PBX_TOTAL", "00011"},
	{"PBX_DEVISE", "00010"},
	{"PBX_CMD", ""},
	{"PBX_PORTEUR", ""},
	{"PBX_RETOUR", ""},
	{"PBX_HMAC", "00006"},
}

// cardTypes is the table of §2.4: the PBX_TYPECARTE values each
// PBX_TYPEPAIEMENT accepts.
var cardTypes = map[string][]string{
	"CARTE": {"CB", "VISA", "EUROCARD_MASTERCARD", "E_CARD", "MAESTRO", "AMEX", "DINERS", "JCB",
		"COFINOGA", "AURORE", "BCMC", "SOFINCO", "CDGP", "24H00", "RIVEGAUCHE", "KANGOUROU", "FNAC",
		"CYRILLUS", "PRINTEMPS", "CONFORAMA", "LASER", "SVS", "KADEOS", "NETCDGP"},
	"PAYPAL":     {"PAYPAL"},
	"CREDIT":     {"UNEURO", "34ONEY"},
	"PREPAYEE":   {"PSC", "IDEAL", "ONEYKDO", "MAXICHEQUE", "ILLICADO", "CSHTKT", "EMONEO"},
	"LEETCHI":    {"LEETCHI"},
	"WALLET":     {"PAYLIB", "MASTERPASS"},
	"PAYBUTTONS": {"PAYBUTTING"},
	"LIMONETIK":  {"ANCV"},
	"KWIXO":      {"STANDARD", "1XRNP", "CREDIT"},
}

// systemParser carries, while a form is read, the parameters that are only
// meaningful together and are checked once the whole form is known.
type systemParser struct {
	r           *SystemRequest
	codeFamille string
	amounts     [3]string // PBX_2MONT1..3 as sent, "" when absent.
	dates       [3]string // PBX_DATE1..3 as sent.
	instalments [3]Instalment
}

// ParseSystem checks a Paybox System form and returns its parameters. The
// error, a *ParamError, names the first bad parameter: values are checked
// in the order they were sent, then missing mandatory parameters in the
// order of the manual, then the rules that tie parameters together
// (instalment amounts and dates, payment type and card type).
//
// The HMAC is not checked here: that needs the merchant's key, found from
// the site, rang and identifier. Unknown PBX_ parameters are accepted and
// ignored, as the platform does, and an optional parameter sent empty is
// taken as absent, since modules post their unset options that way. Values
// are never transcoded: the form's bytes are the merchant's bytes.
func ParseSystem(f Form) (*SystemRequest, error) {
	r := &SystemRequest{Form: f, Hash: "SHA512", Diff: -1, Lang: "FRA", Source: "HTML", Display: 900}
	p := &systemParser{r: r}
	seen := make(map[string]bool, len(f))
	for _, pair := range f {
		if len(pair.Value) > maxValue {
			return nil, &ParamError{Param: pair.Name, Message: "value longer than 8 KiB"}
		}
		// The first occurrence is the one read everywhere else (Form.Get).
		if seen[pair.Name] {
			continue
		}
		seen[pair.Name] = true
		if err := p.set(pair.Name, pair.Value); err != nil {
			return nil, err
		}
	}
	for _, m := range systemMandatory {
		if !seen[m.name] {
			return nil, &ParamError{Param: m.name, Message: "missing", Code: m.code}
		}
	}
	if err := p.instalmentsDone(); err != nil {
		return nil, err
	}
	if err := p.paymentTypeDone(); err != nil {
		return nil, err
	}
	if err := p.subscriptionDone(); err != nil {
		return nil, err
	}
	return r, nil
}

func isMandatory(name string) bool {
	for _, m := range systemMandatory {
		if m.name == name {
			return true
		}
	}
	return false
}

// set checks and stores one parameter.
func (p *systemParser) set(name, v string) *ParamError {
	if v == "" && !isMandatory(name) {
		return nil
	}
	bad := func(msg, code string) *ParamError { return &ParamError{Param: name, Message: msg, Code: code} }
	r := p.r
	switch name {
	case "PBX_SITE":
		if !allDigits(v, 7, 7) {
			return bad("must be 7 digits", "00006")
		}
		r.Site = v
	case "PBX_RANG":
		if !allDigits(v, 1, 3) {
			return bad("must be 1 to 3 digits", "00006")
		}
		r.Rang = normRang(v)
	case "PBX_IDENTIFIANT":
		if !allDigits(v, 1, 9) {
			return bad("must be 1 to 9 digits", "00006")
		}
		r.Identifiant = v
	case "PBX_TOTAL":
		n, ok := amount(v)
		if !ok {
			return bad("must be 3 to 10 digits, in minor units", "00011")
		}
		r.Amount = n
	case "PBX_DEVISE":
		c, ok := guichet.CurrencyByNumeric(v)
		if !ok {
			return bad("unknown currency", "00010")
		}
		r.Currency = c
	case "PBX_CMD":
		if len(v) < 1 || len(v) > 250 {
			return bad("must be 1 to 250 bytes", "")
		}
		sub, pe := parseSubscription(v)
		if pe != nil {
			return pe
		}
		r.Reference, r.Subscription = v, sub
	case "PBX_PORTEUR":
		if n := charLen(v); n < 6 || n > 120 || !strings.Contains(v, "@") || !strings.Contains(v, ".") {
			return bad("must be an e-mail address of 6 to 120 characters", "")
		}
		r.Email = v
	case "PBX_RETOUR":
		vars, err := ParseRetour(v)
		if err != nil {
			return bad(err.Error(), "")
		}
		r.Retour = vars
	case "PBX_HASH":
		// The algorithms are those VerifyHMAC knows; MDC2, which the
		// manual lists, has no implementation and is refused as the
		// platform refuses access.
		h := strings.ToUpper(v)
		if _, ok := hashes[h]; !ok {
			return bad("unsupported algorithm", "00006")
		}
		r.Hash = h
	case "PBX_HMAC":
		// Without a signature the request comes from the pre-2013 CGI
		// mode, which the platform no longer serves: access refused.
		if v == "" {
			return bad("empty", "00006")
		}
		for i := 0; i < len(v); i++ {
			if !isHex(v[i]) {
				return bad("must be hexadecimal", "00006")
			}
		}
	case "PBX_EFFECTUE", "PBX_REFUSE", "PBX_ANNULE", "PBX_ATTENTE", "PBX_REPONDRE_A":
		if msg := checkURL(v); msg != "" {
			return bad(msg, "")
		}
		switch name {
		case "PBX_EFFECTUE":
			r.Effectue = v
		case "PBX_REFUSE":
			r.Refuse = v
		case "PBX_ANNULE":
			r.Annule = v
		case "PBX_ATTENTE":
			r.Attente = v
		default:
			r.RepondreA = v
		}
	case "PBX_RUF1":
		if v != "GET" && v != "POST" {
			return bad("must be GET or POST", "")
		}
		r.IPNPost = v == "POST"
	case "PBX_AUTOSEULE":
		if v != "O" && v != "N" {
			return bad("must be O or N", "")
		}
		r.AuthOnly = v == "O"
	case "PBX_DIFF":
		if !allDigits(v, 1, 2) {
			return bad("must be 1 or 2 digits", "")
		}
		r.Diff, _ = strconv.Atoi(v)
	case "PBX_DISPLAY":
		if !allDigits(v, 3, 10) {
			return bad("must be 3 to 10 digits", "")
		}
		r.Display, _ = strconv.Atoi(v)
	case "PBX_DATEVALMAX":
		if !allDigits(v, 4, 4) || v[2:] < "01" || v[2:] > "12" {
			return bad("must be YYMM", "")
		}
		r.DateValMax = v
	case "PBX_3DS":
		if v != "N" {
			return bad("must be N", "")
		}
		r.No3DS = true
	case "PBX_SOUHAITAUTHENT":
		if len(v) == 1 {
			v = "0" + v
		}
		if len(v) != 2 || v < "01" || v > "04" {
			return bad("must be 01 to 04", "")
		}
		r.ChallengeWish = v
	case "PBX_REFABONNE":
		if charLen(v) > 250 {
			return bad("longer than 250 characters", "")
		}
		r.Subscriber = v
	case "PBX_ERRORCODETEST":
		if !allDigits(v, 5, 5) {
			return bad("must be 5 digits", "")
		}
		r.ErrorCodeTest = v
	case "PBX_LANGUE":
		if !slices.Contains([]string{"FRA", "GBR", "ESP", "ITA", "DEU", "NLD", "SWE", "PRT"}, v) {
			return bad("unknown language", "")
		}
		r.Lang = v
	case "PBX_SOURCE":
		if !slices.Contains([]string{"HTML", "WAP", "IMODE", "XHTML", "RWD"}, v) {
			return bad("unknown page flavour", "")
		}
		r.Source = v
	case "PBX_TYPEPAIEMENT":
		if _, ok := cardTypes[v]; !ok {
			return bad("unknown payment type", "")
		}
		r.PaymentType = v
	case "PBX_TYPECARTE":
		// Checked against the payment type once the form is read: the
		// two may come in any order.
		r.CardType = v
	case "PBX_CODEFAMILLE":
		p.codeFamille = v
	case "PBX_ARCHIVAGE":
		// The manual says at most 12 alphanumerics, but the value only
		// travels to the acquirer, which we do not emulate; clients are
		// not refused over it.
		r.Archivage = v
	case "PBX_2MONT1", "PBX_2MONT2", "PBX_2MONT3":
		i := name[len(name)-1] - '1'
		n, ok := amount(v)
		if !ok {
			return bad("must be 3 to 10 digits, in minor units", "00011")
		}
		p.amounts[i], p.instalments[i].Amount = v, n
	case "PBX_DATE1", "PBX_DATE2", "PBX_DATE3":
		i := name[len(name)-1] - '1'
		d, ok := civilDate(v)
		if !ok {
			return bad("must be a date DD/MM/YYYY", "")
		}
		p.dates[i], p.instalments[i].Date = v, d
	}
	return nil
}

// instalmentsDone pairs instalment amounts with their dates. An amount
// without a date (or the reverse) cannot be scheduled, and a gap (a second
// instalment without a first) is a merchant bug the platform refuses.
func (p *systemParser) instalmentsDone() *ParamError {
	for i := range 3 {
		n := strconv.Itoa(i + 1)
		hasAmount, hasDate := p.amounts[i] != "", p.dates[i] != ""
		switch {
		case hasAmount && !hasDate:
			return &ParamError{Param: "PBX_DATE" + n, Message: "missing, PBX_2MONT" + n + " needs it"}
		case hasDate && !hasAmount:
			return &ParamError{Param: "PBX_2MONT" + n, Message: "missing, PBX_DATE" + n + " needs it", Code: "00011"}
		case !hasAmount:
			continue
		case i > 0 && p.amounts[i-1] == "":
			return &ParamError{Param: "PBX_2MONT" + n, Message: "given without PBX_2MONT" + strconv.Itoa(i), Code: "00011"}
		}
		p.r.Instalments = append(p.r.Instalments, p.instalments[i])
	}
	return nil
}

// paymentTypeDone checks the forced means of payment against the table of
// §2.4. The two parameters go together; KWIXO's option may also be named
// in PBX_CODEFAMILLE, as one official module does, and must then agree
// with PBX_TYPECARTE if both are given.
func (p *systemParser) paymentTypeDone() *ParamError {
	r := p.r
	if r.PaymentType == "" {
		if r.CardType != "" {
			return &ParamError{Param: "PBX_TYPEPAIEMENT", Message: "missing, PBX_TYPECARTE needs it"}
		}
		return nil
	}
	param := "PBX_TYPECARTE"
	if r.PaymentType == "KWIXO" && p.codeFamille != "" {
		switch r.CardType {
		case "":
			r.CardType, param = p.codeFamille, "PBX_CODEFAMILLE"
		case p.codeFamille:
		default:
			return &ParamError{Param: "PBX_TYPECARTE/PBX_CODEFAMILLE", Message: "name different KWIXO options"}
		}
	}
	if r.CardType == "" {
		return &ParamError{Param: "PBX_TYPECARTE", Message: "missing, PBX_TYPEPAIEMENT needs it"}
	}
	if !slices.Contains(cardTypes[r.PaymentType], r.CardType) {
		return &ParamError{Param: param, Message: "not a card type of " + r.PaymentType}
	}
	return nil
}

// subscriptionVars are the sub-variables of a subscription, with their
// widths in digits, in the order of the manual.
var subscriptionVars = [...]struct {
	name  string
	width int
}{{"PBX_2MONT", 10}, {"PBX_NBPAIE", 2}, {"PBX_FREQ", 2}, {"PBX_QUAND", 2}, {"PBX_DELAIS", 3}}

// parseSubscription reads the subscription sub-variables at the end of a
// PBX_CMD value, or returns nil when it has none. They start at the first
// "PBX_" followed by one of their names, since a merchant's own reference
// may hold other text; from there to the end the value must be nothing but
// the five sub-variables, each once, with exactly its width: a variable
// one digit short would otherwise shift every later one, and a renewal
// would debit an amount nobody asked for. Their order is not checked, as
// each name says which it is.
func parseSubscription(cmd string) (*Subscription, *ParamError) {
	start := -1
	for _, sv := range subscriptionVars {
		if i := strings.Index(cmd, sv.name); i >= 0 && (start < 0 || i < start) {
			start = i
		}
	}
	if start < 0 {
		return nil, nil
	}
	if start == 0 {
		return nil, &ParamError{Param: "PBX_CMD", Message: "no reference before the subscription sub-variables"}
	}
	var values [len(subscriptionVars)]int64
	var seen [len(subscriptionVars)]bool
	rest := cmd[start:]
	for rest != "" {
		k := -1
		for i, sv := range subscriptionVars {
			if strings.HasPrefix(rest, sv.name) {
				k = i
				break
			}
		}
		if k < 0 {
			return nil, &ParamError{Param: "PBX_CMD", Message: "unexpected text after the subscription sub-variables"}
		}
		sv := subscriptionVars[k]
		if seen[k] {
			return nil, &ParamError{Param: sv.name, Message: "given twice in PBX_CMD"}
		}
		digits := rest[len(sv.name):]
		if len(digits) > sv.width {
			digits = digits[:sv.width]
		}
		if !allDigits(digits, sv.width, sv.width) {
			return nil, &ParamError{Param: sv.name, Message: "must be " + strconv.Itoa(sv.width) + " digits in PBX_CMD"}
		}
		values[k], _ = strconv.ParseInt(digits, 10, 64)
		seen[k] = true
		rest = rest[len(sv.name)+sv.width:]
	}
	for i, sv := range subscriptionVars {
		if !seen[i] {
			return nil, &ParamError{Param: sv.name, Message: "missing in PBX_CMD"}
		}
	}
	sub := &Subscription{Reference: cmd[:start], Amount: values[0], Count: int(values[1]),
		Months: int(values[2]), Day: int(values[3]), Delay: int(values[4])}
	switch {
	case sub.Months == 0:
		return nil, &ParamError{Param: "PBX_FREQ", Message: "must be at least 01 month"}
	case sub.Day > 31:
		return nil, &ParamError{Param: "PBX_QUAND", Message: "must be a day of the month, 00 to 31"}
	}
	return sub, nil
}

// subscriptionDone checks a subscription against the rest of the form.
// Renewals are card debits, so KWIXO, whose guide forbids creating a
// subscriber, is refused, and so is a payment in several times, whose
// later debits would compete with the renewals for the same card. A
// renewal of nothing is a mistake: PBX_2MONT 0 takes PBX_TOTAL's amount,
// which must then not be 0 either.
func (p *systemParser) subscriptionDone() *ParamError {
	r := p.r
	switch {
	case r.Subscription == nil:
		return nil
	case r.PaymentType == "KWIXO":
		return &ParamError{Param: "PBX_TYPEPAIEMENT", Message: "KWIXO does not take subscriptions (PBX_CMD)"}
	case len(r.Instalments) > 0:
		return &ParamError{Param: "PBX_2MONT1", Message: "not with a subscription in PBX_CMD"}
	case r.Subscription.Amount == 0 && r.Amount == 0:
		return &ParamError{Param: "PBX_2MONT", Message: "renewal amount 0 and PBX_TOTAL 0", Code: "00011"}
	}
	return nil
}

// allDigits tells whether s is made of lo to hi ASCII digits.
func allDigits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// amount reads an amount in minor units, 3 to 10 digits as clients pad
// them; "000" is legal (card registration without payment). "150.0", sent
// by a buggy client, is not.
func amount(s string) (int64, bool) {
	if !allDigits(s, 3, 10) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// civilDate reads DD/MM/YYYY, a date that must exist.
func civilDate(s string) (time.Time, bool) {
	if len(s) != 10 || s[2] != '/' || s[5] != '/' ||
		!allDigits(s[:2], 2, 2) || !allDigits(s[3:5], 2, 2) || !allDigits(s[6:], 4, 4) {
		return time.Time{}, false
	}
	d, err := time.Parse("02/01/2006", s)
	return d, err == nil
}

// checkURL returns why v is not a usable return URL, or "". The platform
// sends the buyer or its notification there, so it must be absolute and
// web.
func checkURL(v string) string {
	if len(v) > maxURL {
		return "longer than 2048 bytes"
	}
	u, err := url.Parse(v)
	switch {
	case err != nil:
		return "not a URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "not an http or https URL"
	case u.Host == "":
		return "URL without host"
	}
	return ""
}

// charLen counts characters: runes in UTF-8, bytes otherwise (Latin-1,
// one byte a character), since the form's charset is not declared.
func charLen(s string) int {
	if utf8.ValidString(s) {
		return utf8.RuneCountInString(s)
	}
	return len(s)
}
