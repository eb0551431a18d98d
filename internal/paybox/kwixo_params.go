package paybox

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"guichet"
)

// kwixoField is one field of the order analysis data KWIXO requires
// (integration guide §4.2), with its rule: 'O' mandatory, 'N' optional,
// 'C' conditional (checked by validateKwixo after the formats), and the
// check of its format (§9.4), which returns what is wrong or "".
type kwixoField struct {
	name   string
	rule   byte
	format func(string) string
}

// kwixoFields lists the fields in the guide's order, so that the first
// error reported is the one a merchant reading the guide meets first.
var kwixoFields = []kwixoField{
	{"PBX_BILLTO_CIVILITY", 'O', formatCivility},
	{"PBX_BILLTO_NAME_FIRST", 'O', formatName},
	{"PBX_BILLTO_NAME_LAST", 'O', formatName},
	{"PBX_BILLTO_OFFICE", 'N', formatName},
	{"PBX_BILLTO_MOBILE", 'C', formatPhone},
	{"PBX_BILLTO_PHONE_HOME", 'C', formatPhone},
	{"PBX_BILLTO_FAX", 'N', formatPhone},
	{"PBX_BILLTO_EMAIL", 'O', formatEMail},
	{"PBX_BILLTO_NB_PAYMENTS", 'N', formatDigits(4)},
	{"PBX_BILLTO_SUM_AMOUNTS", 'N', formatDigits(20)},
	{"PBX_BILLTO_DATE_FIRST", 'N', formatDate},
	{"PBX_BILLTO_DATE_LAST", 'N', formatDate},
	{"PBX_BILLTO_STREET_LINE_1", 'O', formatStreet},
	{"PBX_BILLTO_STREET_LINE_2", 'N', formatStreet},
	{"PBX_BILLTO_POSTALCODE", 'O', formatPostalCode},
	{"PBX_BILLTO_CITY", 'O', formatCity},
	{"PBX_BILLTO_COUNTRY", 'O', formatCountry},
	{"PBX_SHIPTO_CIVILITY", 'C', formatCivility},
	{"PBX_SHIPTO_NAME_FIRST", 'C', formatName},
	{"PBX_SHIPTO_NAME_LAST", 'C', formatName},
	{"PBX_SHIPTO_OFFICE", 'N', formatName},
	{"PBX_SHIPTO_MOBILE", 'C', formatPhone},
	{"PBX_SHIPTO_PHONE_HOME", 'C', formatPhone},
	{"PBX_SHIPTO_FAX", 'N', formatPhone},
	{"PBX_SHIPTO_EMAIL", 'C', formatEMail},
	{"PBX_SHIPTO_STREET_LINE_1", 'C', formatStreet},
	{"PBX_SHIPTO_STREET_LINE_2", 'N', formatStreet},
	{"PBX_SHIPTO_POSTALCODE", 'C', formatPostalCode},
	{"PBX_SHIPTO_CITY", 'C', formatCity},
	{"PBX_SHIPTO_COUNTRY", 'C', formatCountry},
	{"PBX_SHIPTO_APARTMENT_CODE_1", 'N', formatMaxLen(10)},
	{"PBX_SHIPTO_APARTMENT_CODE_2", 'N', formatMaxLen(10)},
	{"PBX_SHIPTO_APARTMENT_STAIR_NB", 'N', formatDigits(4)},
	{"PBX_SHIPTO_APARTMENT_FLOOR_NB", 'N', formatDigits(4)},
	{"PBX_SHIPTO_APARTMENT_DOOR_NB", 'N', formatDigits(4)},
	{"PBX_SHIPTO_APARTMENT_BUILDING", 'N', formatDigits(4)},
	{"PBX_SHIPTO_SHIPPER_NAME", 'O', formatName},
	{"PBX_SHIPTO_DELIVERY_TYPE", 'O', formatList("1", "2", "3", "4", "5")},
	{"PBX_SHIPTO_DELIVERY_SPEED", 'O', formatList("1", "2")},
	{"PBX_SHIPTO_SHIPPER_ID", 'O', formatMaxLen(10)},
	{"PBX_SHIPTO_SHIPPER_SIGN", 'O', formatName},
	{"PBX_PRODUCT_DETAILS", 'O', formatProductList},
	{"PBX_ORDER_DATE", 'O', formatDate},
	{"PBX_DELIVERY_DATE", 'O', formatDate},
	{"PBX_RECEIVE_AND_PAY", 'O', formatList("0", "1")},
}

// shipToAddress are the C(4) fields: the shipping address, all given as
// soon as one is. The carrier fields (PBX_SHIPTO_SHIPPER_…, _DELIVERY_…)
// are mandatory on their own and do not call for an address; otherwise
// C(4) would make the address mandatory for every order.
var shipToAddress = []string{
	"PBX_SHIPTO_CIVILITY", "PBX_SHIPTO_NAME_FIRST", "PBX_SHIPTO_NAME_LAST", "PBX_SHIPTO_EMAIL",
	"PBX_SHIPTO_STREET_LINE_1", "PBX_SHIPTO_POSTALCODE", "PBX_SHIPTO_CITY", "PBX_SHIPTO_COUNTRY",
}

// shipToTrigger are the fields whose presence means the order has a
// shipping address: the C(4) ones and their optional companions.
var shipToTrigger = append([]string{"PBX_SHIPTO_OFFICE", "PBX_SHIPTO_MOBILE", "PBX_SHIPTO_PHONE_HOME",
	"PBX_SHIPTO_FAX", "PBX_SHIPTO_STREET_LINE_2"}, shipToAddress...)

// kwixoForbidden tells why a form cannot be paid with KWIXO at all,
// whatever its data (guide §2.7): KWIXO registers no subscriber, splits no
// payment, and never debits at once. A payment is debited at once unless
// the form asks for an authorization only (PBX_AUTOSEULE=O) or the shop's
// contract has the platform capture it later (the guide's first
// integration mode). The choice page leaves KWIXO out for such a form.
func kwixoForbidden(shop *guichet.Shop, r *SystemRequest) *ParamError {
	switch {
	case r.Subscriber != "":
		return &ParamError{Param: "PBX_REFABONNE", Message: "KWIXO cannot register a subscriber (guide §2.7)", Code: "00009"}
	case len(r.Instalments) > 0:
		// KWIXO has its own credit option; the platform's instalments
		// are debits of a card KWIXO never shows the platform.
		return &ParamError{Param: "PBX_2MONT1", Message: "KWIXO payments cannot be split into instalments; use the CREDIT option"}
	case !r.AuthOnly && !(shop.Kwixo != nil && shop.Kwixo.AutoCapture):
		return &ParamError{Param: "PBX_AUTOSEULE", Message: "KWIXO takes an authorization only (PBX_AUTOSEULE=O), captured later by PPPS, " +
			"unless the shop's contract captures automatically (guide §2.3, §2.7)"}
	}
	return nil
}

// validateKwixo checks a KWIXO payment form beyond what ParseSystem does:
// what KWIXO cannot do (guide §2.7), then the order analysis data of
// §4.2: each value's format (§9.4), the mandatory fields, and the
// conditional rules C(3) to C(5). C(1), naming the option whenever a
// payment type is forced, is ParseSystem's (PBX_TYPECARTE or
// PBX_CODEFAMILLE); C(2), PBX_SOURCE for mobile pages, cannot be checked
// since nothing in the form tells a mobile page from another.
//
// An optional field sent empty is taken as absent, as elsewhere in the
// form. The error names the field and the rule.
func validateKwixo(f Form) *ParamError {
	for _, k := range kwixoFields {
		v := f.Value(k.name)
		switch {
		case v != "":
			if msg := k.format(v); msg != "" {
				return &ParamError{Param: k.name, Message: msg + " (guide §9.4)"}
			}
		case k.rule == 'O':
			return &ParamError{Param: k.name, Message: "missing, mandatory for KWIXO (guide §4.2)"}
		}
	}
	if f.Value("PBX_BILLTO_MOBILE") == "" && f.Value("PBX_BILLTO_PHONE_HOME") == "" {
		return &ParamError{Param: "PBX_BILLTO_MOBILE", Message: "missing: rule C(3) wants PBX_BILLTO_MOBILE or PBX_BILLTO_PHONE_HOME (guide §4.2.1)"}
	}
	shipping := false
	for _, name := range shipToTrigger {
		shipping = shipping || f.Value(name) != ""
	}
	if !shipping {
		return nil
	}
	for _, name := range shipToAddress {
		if f.Value(name) == "" {
			return &ParamError{Param: name, Message: "missing: rule C(4) wants the whole shipping address once part of it is given (guide §4.2.2)"}
		}
	}
	// The guide's C(5) names the billing numbers, a copy of C(3); read
	// in its table, it asks the same of the shipping address.
	if f.Value("PBX_SHIPTO_MOBILE") == "" && f.Value("PBX_SHIPTO_PHONE_HOME") == "" {
		return &ParamError{Param: "PBX_SHIPTO_MOBILE", Message: "missing: rule C(5) wants PBX_SHIPTO_MOBILE or PBX_SHIPTO_PHONE_HOME with a shipping address (guide §4.2.2)"}
	}
	return nil
}

// kwixoProductTypes returns the FIA-NET product types of the cart of a
// form validateKwixo accepted.
func kwixoProductTypes(f Form) []int {
	products, _ := productList(f.Value("PBX_PRODUCT_DETAILS"))
	types := make([]int, 0, len(products))
	for _, p := range products {
		n, _ := strconv.Atoi(p["type"])
		types = append(types, n)
	}
	return types
}

var civilities = []string{"m.", "mr", "m", "mme", "mde", "mrs", "mlle", "mle", "melle", "miss", "monsieur", "madame", "mademoiselle"}

func formatCivility(v string) string {
	for _, c := range civilities {
		if strings.EqualFold(v, c) {
			return ""
		}
	}
	return "not a civility: " + strings.Join(civilities, ", ")
}

// formatName allows letters, hyphens, apostrophes and spaces, up to 40.
func formatName(v string) string {
	if charLen(v) > 40 {
		return "longer than 40 characters"
	}
	if !lettersAnd(v, "-'’ ") {
		return "letters, hyphen, apostrophe and space only"
	}
	return ""
}

// formatCity is formatName's alphabet with digits too: real addresses
// carry them ("Paris Cedex 08"), though the guide says alphabetic.
func formatCity(v string) string {
	if charLen(v) > 40 {
		return "longer than 40 characters"
	}
	if !lettersAnd(v, "-'’ 0123456789") {
		return "letters, digits, hyphen, apostrophe and space only"
	}
	return ""
}

func formatCountry(v string) string {
	if charLen(v) > 40 {
		return "longer than 40 characters"
	}
	if !lettersAnd(v, "-'’ ") {
		return "a country name, in letters"
	}
	return ""
}

func formatEMail(v string) string {
	if charLen(v) > 256 {
		return "longer than 256 characters"
	}
	if !strings.Contains(v, "@") || !strings.Contains(v, ".") {
		return "an e-mail address needs '@' and '.'"
	}
	return ""
}

// formatPhone takes a French number of ten digits, written 0XXXXXXXXX,
// +33XXXXXXXXX, 0033XXXXXXXXX or +33 (0) X XX XX XX XX as the guide
// shows it; spaces and dots are ignored.
func formatPhone(v string) string {
	n := strings.NewReplacer(" ", "", ".", "", "(0)", "").Replace(v)
	for _, prefix := range []string{"+33", "0033"} {
		if rest, ok := strings.CutPrefix(n, prefix); ok {
			n = "0" + rest
		}
	}
	if !allDigits(n, 10, 10) || n[0] != '0' {
		return "a French phone number of 10 digits"
	}
	return ""
}

// formatDate takes the guide's AAAA-MM-JJThh:mm:ss and the forms modules
// send: a space for the T, or the date alone.
func formatDate(v string) string {
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if _, err := time.Parse(layout, v); err == nil {
			return ""
		}
	}
	return "a date AAAA-MM-JJThh:mm:ss"
}

func formatStreet(v string) string { return formatMaxLen(255)(v) }

func formatPostalCode(v string) string {
	if !allDigits(v, 5, 5) {
		return "a postal code of 5 digits"
	}
	return ""
}

func formatDigits(max int) func(string) string {
	return func(v string) string {
		if !allDigits(v, 1, max) {
			return "1 to " + strconv.Itoa(max) + " digits"
		}
		return ""
	}
}

func formatMaxLen(max int) func(string) string {
	return func(v string) string {
		if charLen(v) > max {
			return "longer than " + strconv.Itoa(max) + " characters"
		}
		return ""
	}
}

func formatList(values ...string) func(string) string {
	return func(v string) string {
		for _, ok := range values {
			if v == ok {
				return ""
			}
		}
		return "one of " + strings.Join(values, ", ")
	}
}

func formatProductList(v string) string {
	products, msg := productList(v)
	if msg != "" {
		return msg
	}
	for i, p := range products {
		at := "product " + strconv.Itoa(i+1) + ": "
		switch {
		case p["reference"] == "" || charLen(p["reference"]) > 60:
			return at + "reference of 1 to 60 characters"
		case !allDigits(p["type"], 1, 2) || atoi(p["type"]) < 1 || atoi(p["type"]) > 19:
			return at + "type, a FIA-NET product type 1 to 19"
		case p["label"] == "" || charLen(p["label"]) > 250:
			return at + "label of 1 to 250 characters"
		case !allDigits(p["quantity"], 1, 4) || atoi(p["quantity"]) < 1:
			return at + "quantity of 1 to 4 digits"
		case !allDigits(p["unitprice"], 1, 20):
			return at + "unitprice of 1 to 20 digits, in minor units"
		}
	}
	return ""
}

// productList reads PBX_PRODUCT_DETAILS, a JSON array of objects whose
// values are strings in the guide's example and numbers in some modules;
// both are read as their text.
func productList(v string) ([]map[string]string, string) {
	var raw []map[string]json.RawMessage
	dec := json.NewDecoder(strings.NewReader(v))
	if err := dec.Decode(&raw); err != nil {
		return nil, "a JSON array of products"
	}
	if len(raw) == 0 {
		return nil, "an empty product list"
	}
	products := make([]map[string]string, len(raw))
	for i, obj := range raw {
		products[i] = map[string]string{}
		for k, val := range obj {
			var s string
			if err := json.Unmarshal(val, &s); err != nil {
				s = string(bytes.TrimSpace(val))
			}
			products[i][strings.ToLower(k)] = s
		}
	}
	return products, ""
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// lettersAnd tells whether v holds only letters and the given extra
// characters. A value that is not UTF-8 is Latin-1, whose letters are
// ASCII's and 0xC0 to 0xFF but for × and ÷.
func lettersAnd(v, extra string) bool {
	if utf8.ValidString(v) {
		for _, r := range v {
			if !unicode.IsLetter(r) && !strings.ContainsRune(extra, r) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= 0xC0 && c != 0xD7 && c != 0xF7:
		case c < utf8.RuneSelf && strings.IndexByte(extra, c) >= 0:
		default:
			return false
		}
	}
	return true
}
