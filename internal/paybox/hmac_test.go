package paybox

import (
	"strings"
	"testing"
)

var testKey = strings.Repeat("0123456789ABCDEF", 8)

// The vectors of the Paybox wire reference, §6.1: strings signed by
// published clients with the shared test key.
var hmacVectors = []struct {
	name, signed, key, want string
}{
	{"utf-8 value", "PBX_SITE=12345678&PBX_RANG=32&PBX_IDENTIFIANT=12345678&PBX_TOTAL=999&PBX_DEVISE=978&PBX_CMD=appel à Paybox&PBX_PORTEUR=test@paybox.com&PBX_RETOUR=Mt:M;Ref:R;Auto:A;Erreur:E&PBX_HASH=SHA512&PBX_TIME=2015-06-08T16:21:16+02:00", testKey,
		"7E74D8E9A0DBB65AAE51C5C50C2668FD98FC99AEDF18244BB1935F602B6C2E953B61FD84364F34FDB88B049901C0A07F6040AF446BBF5589113F48A733D551D4"},
	{"callback url", "PBX_SITE=12345678&PBX_RANG=001&PBX_IDENTIFIANT=12345678&PBX_TOTAL=1999&PBX_DEVISE=978&PBX_CMD=1234!20160216&PBX_PORTEUR=bdauvergne@entrouvert.com&PBX_RETOUR=montant:M;reference:R;code_autorisation:A;erreur:E;numero_appel:T;numero_transaction:S;date_transaction:W;heure_transaction:Q;signature:K&PBX_HASH=SHA512&PBX_TIME=2015-07-15T18:26:32+02:00&PBX_ARCHIVAGE=20160216&PBX_AUTOSEULE=N&PBX_REPONDRE_A=http://example.com/callback", testKey,
		"A9F561A6EA79390F1741A6B72872470BC1A1688E4581F097EC80B99D2038413AB350F2F5429FFA4F8D426D99B72E038164642F6F9BA10D46837EE486EEB944A2"},
	{"hash third, odd time", "PBX_SITE=1999888&PBX_RANG=32&PBX_HASH=SHA512&PBX_CMD=SAJ/2014/8503&PBX_IDENTIFIANT=110647233&PBX_TOTAL=150.0&PBX_DEVISE=978&PBX_PORTEUR=test@paybox.com&PBX_RETOUR=Mt:M;Ref:R;Auto:A;Erreur:E&PBX_TIME=2014-09-29 10:26:17.542412", testKey,
		"77C0800DF057BC78AA59879DE918168F59759A5F876B00447ABF5C7555A30BF1AFE0ACAD7D33B33415225AA4B5749005F89A05F130CF6D8D7677B77D1DB35A80"},
	{"lower-case key", "PBX_SITE=1753161&PBX_RANG=01&PBX_IDENTIFIANT=720212226&PBX_TOTAL=0000000001&PBX_DEVISE=978&PBX_CMD=test&PBX_PORTEUR=ronan@lesailesdumontblanc.cf&PBX_RETOUR=amount:M;paymentId:R;transactionId:T;authorizationId:A;cardType:P;cardNumber:N;cardExpiration:D;error:E;payboxRef:S;signature:K;&PBX_RUF1=POST&PBX_TIME=2022-12-13T14:37:08.447Z&PBX_HASH=SHA512&PBX_EFFECTUE=https://localhost:8788/up2pay/success&PBX_REFUSE=https://localhost:8788/up2pay/error&PBX_ANNULE=https://localhost:8788/up2pay/cancelled&PBX_ATTENTE=https://localhost:8788/up2pay/waiting&PBX_REPONDRE_A=https://localhost:8788/up2pay/process", strings.ToLower(testKey),
		"6E5105BB8585E4412C68F1E9E018F4227103CB64E9F1DBB22537CA17D300DC67BA053D1DFFFA8942DCB05B3DD91258EEBB420EE5781BD75618705F24C4C94507"},
	{"no PBX_HASH, xml values", `PBX_SITE=1999888&PBX_RANG=43&PBX_IDENTIFIANT=107975626&PBX_TOTAL=1000&PBX_DEVISE=978&PBX_CMD=3&PBX_PORTEUR=test@paybox.com&PBX_RETOUR=Mt:M;Id:R;Ref:S;Erreur:E;sign:K&PBX_TIME=2023-12-10T12:00:00+00:00&PBX_SHOPPINGCART=<?xml version="1.0" encoding="utf-8"?><shoppingcart><total><totalQuantity>5</totalQuantity></total></shoppingcart>&PBX_BILLING=<?xml version="1.0" encoding="utf-8"?><Billing><Address><FirstName>Test</FirstName><LastName>PAYBOX</LastName><Address1>Paybox street</Address1><Address2></Address2><ZipCode>00000</ZipCode><City>PAYBOX</City><CountryCode>250</CountryCode></Address></Billing>&PBX_SOUHAITAUTHENT=02`, testKey,
		"75E84EABB8398898DBE1150FDD68F82CB532CD44900F5ADAE1117CB9265E59DECA341DF2D548BDCFE587C3038468AF5FC58EC3CAAB5CB91F69A0DD407FF1482D"},
}

func TestSignVectors(t *testing.T) {
	for _, v := range hmacVectors {
		t.Run(v.name, func(t *testing.T) {
			// The vectors' hash field, when present, is SHA512.
			got, ok := Sign(v.key, "", v.signed)
			if !ok || got != v.want {
				t.Errorf("Sign() = %s, %v\nwant %s", got, ok, v.want)
			}
		})
	}
}

// TestVerifyHMACFromWire posts each vector as a client would (form-encoded,
// signature last, lower-case hex from some clients) and verifies it.
func TestVerifyHMACFromWire(t *testing.T) {
	for _, v := range hmacVectors {
		t.Run(v.name, func(t *testing.T) {
			body := encodeSigned(v.signed) + "&PBX_HMAC=" + strings.ToLower(v.want)
			f, err := ParseForm(body)
			if err != nil {
				t.Fatal(err)
			}
			if !VerifyHMAC(f, v.key, "PBX_HASH", "PBX_HMAC") {
				t.Fatalf("VerifyHMAC refused %s", body)
			}
			tampered := strings.Replace(body, "PBX_TOTAL=", "PBX_TOTAL=1", 1)
			if f, _ := ParseForm(tampered); VerifyHMAC(f, v.key, "PBX_HASH", "PBX_HMAC") {
				t.Error("VerifyHMAC accepted a tampered amount")
			}
		})
	}
}

// encodeSigned form-encodes a name=value&… string as a client posts it.
func encodeSigned(s string) string {
	var parts []string
	for _, seg := range strings.Split(s, "&PBX_") {
		seg = strings.TrimPrefix(seg, "PBX_")
		name, value, _ := strings.Cut(seg, "=")
		parts = append(parts, "PBX_"+name+"="+formEscape(value))
	}
	return strings.Join(parts, "&")
}

func formEscape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '*':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

func TestVerifyHMACRefuses(t *testing.T) {
	f, _ := ParseForm("A=1&HASH=MDC2&HMAC=00")
	if VerifyHMAC(f, testKey, "HASH", "HMAC") {
		t.Error("accepted an algorithm without implementation")
	}
	f, _ = ParseForm("A=1")
	if VerifyHMAC(f, testKey, "HASH", "HMAC") {
		t.Error("accepted a form without signature")
	}
	if _, ok := Sign("not hex", "", "A=1"); ok {
		t.Error("Sign accepted a key that is not hexadecimal")
	}
	for _, alg := range []string{"SHA256", "sha384", "SHA224", "RIPEMD160"} {
		sig, ok := Sign(testKey, alg, "A=1&HASH="+alg)
		f, _ := ParseForm("A=1&HASH=" + alg + "&HMAC=" + sig)
		if !ok || !VerifyHMAC(f, testKey, "HASH", "HMAC") {
			t.Errorf("%s: signature not verified", alg)
		}
	}
}

func FuzzVerifyHMAC(f *testing.F) {
	for _, v := range hmacVectors {
		f.Add(encodeSigned(v.signed) + "&PBX_HMAC=" + v.want)
	}
	f.Add("PBX_HMAC=&PBX_HASH=SHA999")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := ParseForm(body)
		if err != nil {
			return
		}
		VerifyHMAC(form, testKey, "PBX_HASH", "PBX_HMAC")
	})
}
