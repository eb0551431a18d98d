package paybox

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Forms of spec §6.1, as the clients signed them (raw values).
const (
	// eopayment vector 2, with the site number of the public test account:
	// eopayment's made-up "12345678" has eight digits.
	systemEopayment = "PBX_SITE=1999888&PBX_RANG=001&PBX_IDENTIFIANT=12345678&PBX_TOTAL=1999&PBX_DEVISE=978&PBX_CMD=1234!20160216&PBX_PORTEUR=bdauvergne@entrouvert.com&PBX_RETOUR=montant:M;reference:R;code_autorisation:A;erreur:E;numero_appel:T;numero_transaction:S;date_transaction:W;heure_transaction:Q;signature:K&PBX_HASH=SHA512&PBX_TIME=2015-07-15T18:26:32+02:00&PBX_ARCHIVAGE=20160216&PBX_AUTOSEULE=N&PBX_REPONDRE_A=http://example.com/callback"
	// highcanfly up2pay, vector 4: four return URLs, POST IPN.
	systemUp2pay = "PBX_SITE=1753161&PBX_RANG=01&PBX_IDENTIFIANT=720212226&PBX_TOTAL=0000000001&PBX_DEVISE=978&PBX_CMD=test&PBX_PORTEUR=ronan@lesailesdumontblanc.cf&PBX_RETOUR=amount:M;paymentId:R;transactionId:T;authorizationId:A;cardType:P;cardNumber:N;cardExpiration:D;error:E;payboxRef:S;signature:K;&PBX_RUF1=POST&PBX_TIME=2022-12-13T14:37:08.447Z&PBX_HASH=SHA512&PBX_EFFECTUE=https://localhost:8788/up2pay/success&PBX_REFUSE=https://localhost:8788/up2pay/error&PBX_ANNULE=https://localhost:8788/up2pay/cancelled&PBX_ATTENTE=https://localhost:8788/up2pay/waiting&PBX_REPONDRE_A=https://localhost:8788/up2pay/process"
	// Hounddd/omnipay 3DS v2, vector 5: no PBX_HASH, XML values.
	systemOmnipay3DS = `PBX_SITE=1999888&PBX_RANG=43&PBX_IDENTIFIANT=107975626&PBX_TOTAL=1000&PBX_DEVISE=978&PBX_CMD=3&PBX_PORTEUR=test@paybox.com&PBX_RETOUR=Mt:M;Id:R;Ref:S;Erreur:E;sign:K&PBX_TIME=2023-12-10T12:00:00+00:00&PBX_SHOPPINGCART=<?xml version="1.0" encoding="utf-8"?><shoppingcart><total><totalQuantity>5</totalQuantity></total></shoppingcart>&PBX_BILLING=<?xml version="1.0" encoding="utf-8"?><Billing><Address><FirstName>Test</FirstName><LastName>PAYBOX</LastName><Address1>Paybox street</Address1><Address2></Address2><ZipCode>00000</ZipCode><City>PAYBOX</City><CountryCode>250</CountryCode></Address></Billing>&PBX_SOUHAITAUTHENT=02`
	systemHMAC       = "A9F561A6EA79390F1741A6B72872470BC1A1688E4581F097EC80B99D2038413AB350F2F5429FFA4F8D426D99B72E038164642F6F9BA10D46837EE486EEB944A2"
)

// rawForm splits a signed string into a form without decoding, and adds
// the HMAC last as clients do.
func rawForm(signed string) Form {
	var f Form
	for seg := range strings.SplitSeq(signed, "&") {
		name, value, _ := strings.Cut(seg, "=")
		f = append(f, Pair{name, value})
	}
	return append(f, Pair{"PBX_HMAC", systemHMAC})
}

// edit returns a copy of f with name set to value (appended when absent),
// or removed when value is nil.
func edit(f Form, name string, value *string) Form {
	out := make(Form, 0, len(f)+1)
	found := false
	for _, p := range f {
		if p.Name == name {
			found = true
			if value == nil {
				continue
			}
			p.Value = *value
		}
		out = append(out, p)
	}
	if !found && value != nil {
		out = append(out, Pair{name, *value})
	}
	return out
}

func TestParseSystemValid(t *testing.T) {
	r, err := ParseSystem(rawForm(systemEopayment))
	if err != nil {
		t.Fatal(err)
	}
	retour, _ := ParseRetour("montant:M;reference:R;code_autorisation:A;erreur:E;numero_appel:T;numero_transaction:S;date_transaction:W;heure_transaction:Q;signature:K")
	want := &SystemRequest{
		Form: r.Form, Site: "1999888", Rang: "01", Identifiant: "12345678", Amount: 1999,
		Currency: r.Currency, Reference: "1234!20160216", Email: "bdauvergne@entrouvert.com",
		Retour: retour, Hash: "SHA512", RepondreA: "http://example.com/callback",
		Diff: -1, Lang: "FRA", Source: "HTML", Display: 900, Archivage: "20160216",
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("ParseSystem =\n%+v\nwant\n%+v", r, want)
	}
	if r.Currency.Code != "EUR" {
		t.Errorf("currency %+v", r.Currency)
	}

	r, err = ParseSystem(rawForm(systemUp2pay))
	if err != nil {
		t.Fatal(err)
	}
	if r.Amount != 1 || r.Rang != "01" || !r.IPNPost || len(r.Retour) != 10 ||
		r.Effectue != "https://localhost:8788/up2pay/success" || r.Refuse != "https://localhost:8788/up2pay/error" ||
		r.Annule != "https://localhost:8788/up2pay/cancelled" || r.Attente != "https://localhost:8788/up2pay/waiting" ||
		r.RepondreA != "https://localhost:8788/up2pay/process" {
		t.Errorf("up2pay form: %+v", r)
	}

	r, err = ParseSystem(rawForm(systemOmnipay3DS))
	if err != nil {
		t.Fatal(err)
	}
	if r.Hash != "SHA512" || r.ChallengeWish != "02" || r.Rang != "43" {
		t.Errorf("omnipay form: %+v", r)
	}
}

func TestParseSystemOptions(t *testing.T) {
	f := rawForm(systemEopayment)
	for _, p := range []Pair{
		{"PBX_HASH", "sha256"}, {"PBX_AUTOSEULE", "O"}, {"PBX_DIFF", "07"}, {"PBX_LANGUE", "GBR"},
		{"PBX_SOURCE", "RWD"}, {"PBX_TYPEPAIEMENT", "CARTE"}, {"PBX_TYPECARTE", "EUROCARD_MASTERCARD"},
		{"PBX_DISPLAY", "0000000600"}, {"PBX_DATEVALMAX", "2612"}, {"PBX_3DS", "N"},
		{"PBX_SOUHAITAUTHENT", "4"}, {"PBX_REFABONNE", "client-42"}, {"PBX_ERRORCODETEST", "00105"},
		{"PBX_2MONT1", "500"}, {"PBX_DATE1", "29/02/2028"}, {"PBX_2MONT2", "0000000501"}, {"PBX_DATE2", "31/03/2028"},
		{"PBX_RUF1", "GET"}, {"PBX_VERSION", "PrestaShop_1.7-epayment_3.2"}, {"PBX_UNKNOWN", "anything"},
		{"PBX_ATTENTE", ""},
	} {
		f = edit(f, p.Name, &p.Value)
	}
	r, err := ParseSystem(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []Instalment{
		{500, time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)},
		{501, time.Date(2028, 3, 31, 0, 0, 0, 0, time.UTC)},
	}
	if !reflect.DeepEqual(r.Instalments, want) {
		t.Errorf("instalments %v, want %v", r.Instalments, want)
	}
	if r.Hash != "SHA256" || !r.AuthOnly || r.Diff != 7 || r.Lang != "GBR" || r.Source != "RWD" ||
		r.PaymentType != "CARTE" || r.CardType != "EUROCARD_MASTERCARD" || r.Display != 600 ||
		r.DateValMax != "2612" || !r.No3DS || r.ChallengeWish != "04" || r.Subscriber != "client-42" ||
		r.ErrorCodeTest != "00105" || r.IPNPost || r.Attente != "" {
		t.Errorf("options: %+v", r)
	}

	for _, tt := range []struct{ typeCarte, codeFamille, want string }{
		{"STANDARD", "", "STANDARD"},
		{"", "1XRNP", "1XRNP"},
		{"CREDIT", "CREDIT", "CREDIT"},
	} {
		g := edit(rawForm(systemEopayment), "PBX_TYPEPAIEMENT", ptr("KWIXO"))
		g = edit(g, "PBX_TYPECARTE", &tt.typeCarte)
		g = edit(g, "PBX_CODEFAMILLE", &tt.codeFamille)
		r, err := ParseSystem(g)
		if err != nil {
			t.Errorf("KWIXO %q/%q: %v", tt.typeCarte, tt.codeFamille, err)
			continue
		}
		if r.PaymentType != "KWIXO" || r.CardType != tt.want {
			t.Errorf("KWIXO %q/%q: %s/%s", tt.typeCarte, tt.codeFamille, r.PaymentType, r.CardType)
		}
	}
}

func ptr(s string) *string { return &s }

func TestParseSystemErrors(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	type change struct {
		name  string
		value *string // nil removes the parameter
	}
	tests := []struct {
		name      string
		base      string // "" means systemEopayment
		changes   []change
		param     string
		code      string
		wantValid bool
	}{
		{name: "eopayment site has 8 digits", base: strings.Replace(systemEopayment, "PBX_SITE=1999888", "PBX_SITE=12345678", 1), param: "PBX_SITE", code: "00006"},
		{name: "site 6 digits", changes: []change{{"PBX_SITE", ptr("199988")}}, param: "PBX_SITE", code: "00006"},
		{name: "site letters", changes: []change{{"PBX_SITE", ptr("199988A")}}, param: "PBX_SITE", code: "00006"},
		{name: "site missing", changes: []change{{"PBX_SITE", nil}}, param: "PBX_SITE", code: "00006"},
		{name: "rang 4 digits", changes: []change{{"PBX_RANG", ptr("0032")}}, param: "PBX_RANG", code: "00006"},
		{name: "rang empty", changes: []change{{"PBX_RANG", ptr("")}}, param: "PBX_RANG", code: "00006"},
		{name: "rang 1 digit", changes: []change{{"PBX_RANG", ptr("2")}}, wantValid: true},
		{name: "identifiant 10 digits", changes: []change{{"PBX_IDENTIFIANT", ptr("1234567890")}}, param: "PBX_IDENTIFIANT", code: "00006"},
		{name: "identifiant missing", changes: []change{{"PBX_IDENTIFIANT", nil}}, param: "PBX_IDENTIFIANT", code: "00006"},
		{name: "total with a dot", changes: []change{{"PBX_TOTAL", ptr("150.0")}}, param: "PBX_TOTAL", code: "00011"},
		{name: "total 2 digits", changes: []change{{"PBX_TOTAL", ptr("99")}}, param: "PBX_TOTAL", code: "00011"},
		{name: "total 11 digits", changes: []change{{"PBX_TOTAL", ptr("00000000100")}}, param: "PBX_TOTAL", code: "00011"},
		{name: "total negative", changes: []change{{"PBX_TOTAL", ptr("-100")}}, param: "PBX_TOTAL", code: "00011"},
		{name: "total zero", changes: []change{{"PBX_TOTAL", ptr("000")}}, wantValid: true},
		{name: "total missing", changes: []change{{"PBX_TOTAL", nil}}, param: "PBX_TOTAL", code: "00011"},
		{name: "currency unknown", changes: []change{{"PBX_DEVISE", ptr("999")}}, param: "PBX_DEVISE", code: "00010"},
		{name: "currency alphabetic", changes: []change{{"PBX_DEVISE", ptr("EUR")}}, param: "PBX_DEVISE", code: "00010"},
		{name: "currency missing", changes: []change{{"PBX_DEVISE", nil}}, param: "PBX_DEVISE", code: "00010"},
		{name: "cmd empty", changes: []change{{"PBX_CMD", ptr("")}}, param: "PBX_CMD"},
		{name: "cmd 251 bytes", changes: []change{{"PBX_CMD", ptr(long(251))}}, param: "PBX_CMD"},
		{name: "cmd 250 bytes", changes: []change{{"PBX_CMD", ptr(long(250))}}, wantValid: true},
		{name: "cmd latin-1 bytes", changes: []change{{"PBX_CMD", ptr("appel \xe0 Paybox")}}, wantValid: true},
		{name: "porteur no @", changes: []change{{"PBX_PORTEUR", ptr("test.paybox.com")}}, param: "PBX_PORTEUR"},
		{name: "porteur no dot", changes: []change{{"PBX_PORTEUR", ptr("test@paybox")}}, param: "PBX_PORTEUR"},
		{name: "porteur too short", changes: []change{{"PBX_PORTEUR", ptr("a@b.c")}}, param: "PBX_PORTEUR"},
		{name: "porteur too long", changes: []change{{"PBX_PORTEUR", ptr(long(112) + "@test.com")}}, param: "PBX_PORTEUR"},
		{name: "porteur 120 characters of utf-8", changes: []change{{"PBX_PORTEUR", ptr(strings.Repeat("é", 111) + "@test.com")}}, wantValid: true},
		{name: "porteur missing", changes: []change{{"PBX_PORTEUR", nil}}, param: "PBX_PORTEUR"},
		{name: "retour K not last", changes: []change{{"PBX_RETOUR", ptr("Mt:M;Sign:K;Ref:R")}}, param: "PBX_RETOUR"},
		{name: "retour unknown letter", changes: []change{{"PBX_RETOUR", ptr("Mt:X")}}, param: "PBX_RETOUR"},
		{name: "retour missing", changes: []change{{"PBX_RETOUR", nil}}, param: "PBX_RETOUR"},
		{name: "hash lower case", changes: []change{{"PBX_HASH", ptr("sha384")}}, wantValid: true},
		{name: "hash ripemd160", changes: []change{{"PBX_HASH", ptr("RIPEMD160")}}, wantValid: true},
		{name: "hash MDC2", changes: []change{{"PBX_HASH", ptr("MDC2")}}, param: "PBX_HASH", code: "00006"},
		{name: "hash MD5", changes: []change{{"PBX_HASH", ptr("MD5")}}, param: "PBX_HASH", code: "00006"},
		{name: "hash absent", changes: []change{{"PBX_HASH", nil}}, wantValid: true},
		{name: "time absent", changes: []change{{"PBX_TIME", nil}}, wantValid: true},
		{name: "time not ISO", changes: []change{{"PBX_TIME", ptr("2014-09-29 10:26:17.542412")}}, wantValid: true},
		{name: "hmac missing", changes: []change{{"PBX_HMAC", nil}}, param: "PBX_HMAC", code: "00006"},
		{name: "hmac empty", changes: []change{{"PBX_HMAC", ptr("")}}, param: "PBX_HMAC", code: "00006"},
		{name: "hmac not hex", changes: []change{{"PBX_HMAC", ptr("A9F561G6")}}, param: "PBX_HMAC", code: "00006"},
		{name: "url relative", changes: []change{{"PBX_EFFECTUE", ptr("/ok")}}, param: "PBX_EFFECTUE"},
		{name: "url ftp", changes: []change{{"PBX_REFUSE", ptr("ftp://shop.example/ko")}}, param: "PBX_REFUSE"},
		{name: "url no host", changes: []change{{"PBX_ANNULE", ptr("https:///cancel")}}, param: "PBX_ANNULE"},
		{name: "url unparsable", changes: []change{{"PBX_ATTENTE", ptr("http://[::1/wait")}}, param: "PBX_ATTENTE"},
		{name: "url javascript", changes: []change{{"PBX_REPONDRE_A", ptr("javascript:alert(1)")}}, param: "PBX_REPONDRE_A"},
		{name: "url 2049 bytes", changes: []change{{"PBX_EFFECTUE", ptr("https://shop.example/" + long(2028))}}, param: "PBX_EFFECTUE"},
		{name: "url 2048 bytes", changes: []change{{"PBX_EFFECTUE", ptr("https://shop.example/" + long(2027))}}, wantValid: true},
		{name: "url upper-case scheme, query", changes: []change{{"PBX_EFFECTUE", ptr("HTTPS://shop.example/index.php?fc=module&a=1")}}, wantValid: true},
		{name: "ruf1 lower case", changes: []change{{"PBX_RUF1", ptr("post")}}, param: "PBX_RUF1"},
		{name: "autoseule Y", changes: []change{{"PBX_AUTOSEULE", ptr("Y")}}, param: "PBX_AUTOSEULE"},
		{name: "diff 3 digits", changes: []change{{"PBX_DIFF", ptr("100")}}, param: "PBX_DIFF"},
		{name: "diff 0", changes: []change{{"PBX_DIFF", ptr("0")}}, wantValid: true},
		{name: "display 2 digits", changes: []change{{"PBX_DISPLAY", ptr("60")}}, param: "PBX_DISPLAY"},
		{name: "datevalmax month 13", changes: []change{{"PBX_DATEVALMAX", ptr("2613")}}, param: "PBX_DATEVALMAX"},
		{name: "datevalmax month 00", changes: []change{{"PBX_DATEVALMAX", ptr("2600")}}, param: "PBX_DATEVALMAX"},
		{name: "datevalmax MMYY length", changes: []change{{"PBX_DATEVALMAX", ptr("122026")}}, param: "PBX_DATEVALMAX"},
		{name: "3ds O", changes: []change{{"PBX_3DS", ptr("O")}}, param: "PBX_3DS"},
		{name: "souhaitauthent 05", changes: []change{{"PBX_SOUHAITAUTHENT", ptr("05")}}, param: "PBX_SOUHAITAUTHENT"},
		{name: "souhaitauthent 0", changes: []change{{"PBX_SOUHAITAUTHENT", ptr("0")}}, param: "PBX_SOUHAITAUTHENT"},
		{name: "souhaitauthent 004", changes: []change{{"PBX_SOUHAITAUTHENT", ptr("004")}}, param: "PBX_SOUHAITAUTHENT"},
		{name: "refabonne 251", changes: []change{{"PBX_REFABONNE", ptr(long(251))}}, param: "PBX_REFABONNE"},
		{name: "errorcodetest 4 digits", changes: []change{{"PBX_ERRORCODETEST", ptr("0010")}}, param: "PBX_ERRORCODETEST"},
		{name: "langue lower case", changes: []change{{"PBX_LANGUE", ptr("fra")}}, param: "PBX_LANGUE"},
		{name: "langue unknown", changes: []change{{"PBX_LANGUE", ptr("JPN")}}, param: "PBX_LANGUE"},
		{name: "source unknown", changes: []change{{"PBX_SOURCE", ptr("MOBILE")}}, param: "PBX_SOURCE"},
		{name: "typepaiement alone", changes: []change{{"PBX_TYPEPAIEMENT", ptr("CARTE")}}, param: "PBX_TYPECARTE"},
		{name: "typecarte alone", changes: []change{{"PBX_TYPECARTE", ptr("CB")}}, param: "PBX_TYPEPAIEMENT"},
		{name: "typepaiement unknown", changes: []change{{"PBX_TYPEPAIEMENT", ptr("CASH")}, {"PBX_TYPECARTE", ptr("CB")}}, param: "PBX_TYPEPAIEMENT"},
		{name: "typecarte of another row", changes: []change{{"PBX_TYPEPAIEMENT", ptr("PAYPAL")}, {"PBX_TYPECARTE", ptr("CB")}}, param: "PBX_TYPECARTE"},
		{name: "typecarte before typepaiement", changes: []change{{"PBX_TYPECARTE", ptr("ANCV")}, {"PBX_TYPEPAIEMENT", ptr("LIMONETIK")}}, wantValid: true},
		{name: "kwixo option in codefamille", changes: []change{{"PBX_TYPEPAIEMENT", ptr("KWIXO")}, {"PBX_CODEFAMILLE", ptr("1XRNP")}}, wantValid: true},
		{name: "kwixo bad codefamille", changes: []change{{"PBX_TYPEPAIEMENT", ptr("KWIXO")}, {"PBX_CODEFAMILLE", ptr("001")}}, param: "PBX_CODEFAMILLE"},
		{name: "kwixo options differ", changes: []change{{"PBX_TYPEPAIEMENT", ptr("KWIXO")}, {"PBX_TYPECARTE", ptr("STANDARD")}, {"PBX_CODEFAMILLE", ptr("CREDIT")}}, param: "PBX_TYPECARTE/PBX_CODEFAMILLE"},
		{name: "kwixo nothing", changes: []change{{"PBX_TYPEPAIEMENT", ptr("KWIXO")}}, param: "PBX_TYPECARTE"},
		{name: "codefamille for cofinoga", changes: []change{{"PBX_TYPEPAIEMENT", ptr("CARTE")}, {"PBX_TYPECARTE", ptr("COFINOGA")}, {"PBX_CODEFAMILLE", ptr("001")}}, wantValid: true},
		{name: "instalment without date", changes: []change{{"PBX_2MONT1", ptr("500")}}, param: "PBX_DATE1"},
		{name: "instalment date without amount", changes: []change{{"PBX_DATE1", ptr("01/01/2030")}}, param: "PBX_2MONT1", code: "00011"},
		{name: "instalment 2 without 1", changes: []change{{"PBX_2MONT2", ptr("500")}, {"PBX_DATE2", ptr("01/01/2030")}}, param: "PBX_2MONT2", code: "00011"},
		{name: "instalment 3 without 2", changes: []change{{"PBX_2MONT1", ptr("500")}, {"PBX_DATE1", ptr("01/01/2030")}, {"PBX_2MONT3", ptr("500")}, {"PBX_DATE3", ptr("01/03/2030")}}, param: "PBX_2MONT3", code: "00011"},
		{name: "instalment amount with dot", changes: []change{{"PBX_2MONT1", ptr("5.00")}, {"PBX_DATE1", ptr("01/01/2030")}}, param: "PBX_2MONT1", code: "00011"},
		{name: "instalment 30 February", changes: []change{{"PBX_2MONT1", ptr("500")}, {"PBX_DATE1", ptr("30/02/2030")}}, param: "PBX_DATE1"},
		{name: "instalment ISO date", changes: []change{{"PBX_2MONT1", ptr("500")}, {"PBX_DATE1", ptr("2030-01-01")}}, param: "PBX_DATE1"},
		{name: "instalment short day", changes: []change{{"PBX_2MONT1", ptr("500")}, {"PBX_DATE1", ptr("1/01/2030")}}, param: "PBX_DATE1"},
		{name: "instalment three", changes: []change{{"PBX_2MONT1", ptr("500")}, {"PBX_DATE1", ptr("01/01/2030")}, {"PBX_2MONT2", ptr("500")}, {"PBX_DATE2", ptr("01/02/2030")}, {"PBX_2MONT3", ptr("500")}, {"PBX_DATE3", ptr("01/03/2030")}}, wantValid: true},
		{name: "oversize unknown value", changes: []change{{"PBX_SHOPPINGCART", ptr(long(8<<10 + 1))}}, param: "PBX_SHOPPINGCART"},
		{name: "8 KiB value", changes: []change{{"PBX_SHOPPINGCART", ptr(long(8 << 10))}}, wantValid: true},
		{name: "optional sent empty", changes: []change{{"PBX_DIFF", ptr("")}, {"PBX_EFFECTUE", ptr("")}, {"PBX_TYPECARTE", ptr("")}}, wantValid: true},
		{name: "first bad in form order", changes: []change{{"PBX_TOTAL", ptr("1.00")}, {"PBX_LANGUE", ptr("XXX")}}, param: "PBX_TOTAL", code: "00011"},
		{name: "bad value before a missing mandatory", changes: []change{{"PBX_SITE", nil}, {"PBX_LANGUE", ptr("XXX")}}, param: "PBX_LANGUE"},
		{name: "missing in manual order", changes: []change{{"PBX_PORTEUR", nil}, {"PBX_RANG", nil}}, param: "PBX_RANG", code: "00006"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.base
			if base == "" {
				base = systemEopayment
			}
			f := rawForm(base)
			for _, c := range tt.changes {
				f = edit(f, c.name, c.value)
			}
			r, err := ParseSystem(f)
			if tt.wantValid {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseSystem = %+v, %v; want a *ParamError for %s", r, err, tt.param)
			}
			if pe.Param != tt.param || pe.Code != tt.code {
				t.Errorf("error %q (param %s, code %q), want param %s, code %q", pe, pe.Param, pe.Code, tt.param, tt.code)
			}
		})
	}
}

func TestParamErrorMessage(t *testing.T) {
	e := &ParamError{Param: "PBX_TOTAL", Message: "must be 3 to 10 digits", Code: "00011"}
	if got, want := e.Error(), "paybox: PBX_TOTAL: must be 3 to 10 digits (00011)"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	e.Code = ""
	if got, want := e.Error(), "paybox: PBX_TOTAL: must be 3 to 10 digits"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}

func FuzzParseSystem(f *testing.F) {
	for _, s := range []string{systemEopayment, systemUp2pay, systemOmnipay3DS,
		systemEopayment + "&PBX_TYPEPAIEMENT=KWIXO&PBX_CODEFAMILLE=CREDIT&PBX_2MONT1=100&PBX_DATE1=31/12/2030",
		"PBX_2MONT3=1&PBX_DATE2=00/00/0000&PBX_SOUHAITAUTHENT=4",
		strings.Replace(systemEopayment, "PBX_CMD=1234!20160216", "PBX_CMD=ma_ref123PBX_2MONT0000000500PBX_NBPAIE00PBX_FREQ01PBX_QUAND28PBX_DELAIS005", 1),
		strings.Replace(systemEopayment, "PBX_CMD=1234!20160216", "PBX_CMD=rPBX_DELAIS999PBX_2MONT9999999999PBX_QUAND31PBX_FREQ99PBX_NBPAIE99", 1)} {
		f.Add(s + "&PBX_HMAC=" + systemHMAC)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := ParseForm(raw)
		if err != nil {
			return
		}
		r, err := ParseSystem(form)
		if err != nil {
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Param == "" {
				t.Fatalf("error %v is not a named *ParamError", err)
			}
			return
		}
		if len(r.Site) != 7 || r.Amount < 0 || r.Currency.Code == "" || len(r.Retour) == 0 ||
			(r.PaymentType == "") != (r.CardType == "") || len(r.Instalments) > 3 {
			t.Fatalf("accepted an inconsistent request: %+v", r)
		}
		if sub := r.Subscription; sub != nil {
			// The reference sent back is PBX_CMD whole; the
			// subscription's is what comes before its sub-variables.
			if r.Reference != form.Value("PBX_CMD") || sub.Reference == "" || !strings.HasPrefix(r.Reference, sub.Reference) ||
				sub.Months < 1 || sub.Day > 31 || sub.Amount < 0 || sub.Count < 0 || sub.Delay < 0 ||
				r.PaymentType == "KWIXO" || len(r.Instalments) > 0 || (sub.Amount == 0 && r.Amount == 0) {
				t.Fatalf("accepted an inconsistent subscription: %+v in %q", sub, r.Reference)
			}
		}
	})
}
