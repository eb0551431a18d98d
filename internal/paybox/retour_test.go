package paybox

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// retourString renders variables back to PBX_RETOUR syntax, to compare
// parse results compactly.
func retourString(vars []RetourVar) string {
	var parts []string
	for _, v := range vars {
		parts = append(parts, v.Name+":"+string(v.Letter))
	}
	return strings.Join(parts, ";")
}

func TestParseRetour(t *testing.T) {
	const (
		prestashop = "M:M;R:R;T:T;A:A;B:B;C:C;D:D;E:E;F:F;G:G;I:I;J:J;N:N;O:O;P:P;Q:Q;S:S;W:W;Y:Y;Z:Z;v:v;K:K"
		magento    = "M:M;R:R;T:T;A:A;B:B;C:C;D:D;E:E;F:F;G:G;H:H;I:I;J:J;N:N;O:O;P:P;Q:Q;S:S;W:W;Y:Y;K:K"
		up2pay     = "amount:M;paymentId:R;transactionId:T;authorizationId:A;cardType:P;cardNumber:N;cardExpiration:D;error:E;payboxRef:S;signature:K;"
	)
	tests := []struct {
		name, in string
		want     string // canonical form; "" when an error is expected
	}{
		{"prestashop 3.2", prestashop, prestashop},
		{"magento 2", magento, magento},
		{"woocommerce one-click", "U:U;" + prestashop, "U:U;" + prestashop},
		{"trailing semicolon", up2pay, strings.TrimSuffix(up2pay, ";")},
		{"no signature", "Mt:M;Ref:R;Auto:A;Erreur:E", "Mt:M;Ref:R;Auto:A;Erreur:E"},
		{"lower-case letters o and v", "opt:o;ver:v", "opt:o;ver:v"},
		{"same letter twice", "a:M;b:M", "a:M;b:M"},
		{"signature alone", "Sign:K", "Sign:K"},
		{"empty", "", ""},
		{"only a semicolon", ";", ""},
		{"two trailing semicolons", "a:M;;", ""},
		{"empty item", "a:M;;b:R", ""},
		{"K not last", "Mt:M;Sign:K;Ref:R", ""},
		{"K twice", "S1:K;S2:K", ""},
		{"unknown letter", "Mt:M;x:X", ""},
		{"lower-case m unknown", "Mt:m", ""},
		{"two letters", "Mt:MM", ""},
		{"no letter", "Mt:", ""},
		{"no colon", "Mt", ""},
		{"empty name", ":M", ""},
		{"name with &", "a&b:M", ""},
		{"name with =", "a=b:M", ""},
		{"name with colon", "a:b:M", ""},
		{"duplicate name", "a:M;a:R", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars, err := ParseRetour(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("ParseRetour(%q) = %v, want an error", tt.in, vars)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRetour(%q): %v", tt.in, err)
			}
			if got := retourString(vars); got != tt.want {
				t.Errorf("ParseRetour(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseRetour(f *testing.F) {
	for _, s := range []string{"M:M;R:R;K:K", "a:M;", "a:M;;b", "x:K;y:M", ":", "é:v;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vars, err := ParseRetour(s)
		if err != nil {
			return
		}
		// Whatever is accepted reads back the same, with K last.
		again, err := ParseRetour(retourString(vars))
		if err != nil || !slices.Equal(again, vars) {
			t.Fatalf("%q parsed to %v, which reparses to %v, %v", s, vars, again, err)
		}
		for i, v := range vars {
			if v.Letter == 'K' && i != len(vars)-1 {
				t.Fatalf("%q: K not last in %v", s, vars)
			}
		}
	})
}

func TestEscapeValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"CMD1349338388", "CMD1349338388"},
		{"id 4f3c", "id%204f3c"},
		// The real Up2pay redirect of spec §6.2 row 6.
		{"Paiement pour ronan@lesailesdumontblanc.cf 14/12/2022 13:13:45", "Paiement%20pour%20ronan@lesailesdumontblanc.cf%2014/12/2022%2013:13:45"},
		{"-_.~@/:,;!*()'", "-_.~@/:,;!*()'"},
		{"a+b&c=d%e#f?g", "a%2Bb%26c%3Dd%25e%23f%3Fg"},
		{"SLDLrcsLMPC++2504++---", "SLDLrcsLMPC%2B%2B2504%2B%2B---"},
		{"é utf-8", "%C3%A9%20utf-8"},
		{"\xe9 latin-1", "%E9%20latin-1"},
		{"\x00\n\x7f\xff", "%00%0A%7F%FF"},
		{`"<>[]{}|\^` + "`", "%22%3C%3E%5B%5D%7B%7D%7C%5C%5E%60"},
	}
	for _, tt := range tests {
		if got := EscapeValue(tt.in); got != tt.want {
			t.Errorf("EscapeValue(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzEscapeValue(f *testing.F) {
	for _, s := range []string{"", "a b", "%", "é", "\xe9", "a+b&c=d", "~/:@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		e := EscapeValue(v)
		got, err := url.PathUnescape(e)
		if err != nil || got != v {
			t.Fatalf("PathUnescape(EscapeValue(%q) = %q) = %q, %v", v, e, got, err)
		}
		// Only kept bytes and upper-case %XX sequences come out, so
		// nothing can split or end the query string.
		const upperHex = "0123456789ABCDEF"
		for i := 0; i < len(e); i++ {
			switch {
			case e[i] == '%' && i+2 < len(e) && strings.IndexByte(upperHex, e[i+1]) >= 0 && strings.IndexByte(upperHex, e[i+2]) >= 0:
				i += 2
			case e[i] == '%' || !keptByte(e[i]):
				t.Fatalf("EscapeValue(%q) = %q: byte %d unescaped", v, e, i)
			}
		}
	})
}

// fakeSign records what it is asked to sign and returns a base64-looking
// signature using every character that needs escaping.
type fakeSign struct{ got []string }

func (f *fakeSign) sign(data []byte) (string, error) {
	f.got = append(f.got, string(data))
	return "ab+/c=", nil
}

func TestBuildReturn(t *testing.T) {
	values := map[byte]string{'M': "1000", 'R': "ref 1", 'A': "XXXXXX", 'E': "00000", 'U': "h++2504++---"}
	refused := map[byte]string{'M': "1000", 'R': "ref 1", 'E': "00105"}
	tests := []struct {
		name, retour string
		values       map[byte]string
		prefix       string
		want, signed string // signed is "" when nothing is signed
	}{
		{"accepted", "Mt:M;Ref:R;Auto:A;Erreur:E;Sign:K", values, "",
			"Mt=1000&Ref=ref%201&Auto=XXXXXX&Erreur=00000&Sign=ab%2B%2Fc%3D", "Mt=1000&Ref=ref%201&Auto=XXXXXX&Erreur=00000"},
		{"refused: no A", "Mt:M;Ref:R;Auto:A;Erreur:E;Sign:K", refused, "",
			"Mt=1000&Ref=ref%201&Erreur=00105&Sign=ab%2B%2Fc%3D", "Mt=1000&Ref=ref%201&Erreur=00105"},
		{"missing letters empty", "Mt:M;Carte:C;Bin:N;Erreur:E", refused, "",
			"Mt=1000&Carte=&Bin=&Erreur=00105", ""},
		// The real Up2pay cancellation of spec §6.2 row 6 (highcanfly-club/up2pay,
		// test/signature.ts), asked with
		// amount:M;paymentId:R;transactionId:T;authorizationId:A;cardType:P;cardNumber:N;cardExpiration:D;error:E;payboxRef:S;signature:K
		// came back without A and D, and with N empty.
		{"cancellation: no A nor D, N empty",
			"amount:M;paymentId:R;transactionId:T;authorizationId:A;cardType:P;cardNumber:N;cardExpiration:D;error:E;payboxRef:S;signature:K",
			map[byte]string{'M': "900", 'R': "Paiement pour ronan@lesailesdumontblanc.cf 14/12/2022 13:13:45", 'T': "71622616", 'P': "3DSECURE", 'E': "00001", 'S': "0"}, "",
			"amount=900&paymentId=Paiement%20pour%20ronan@lesailesdumontblanc.cf%2014/12/2022%2013:13:45&transactionId=71622616&cardType=3DSECURE&cardNumber=&error=00001&payboxRef=0&signature=ab%2B%2Fc%3D",
			"amount=900&paymentId=Paiement%20pour%20ronan@lesailesdumontblanc.cf%2014/12/2022%2013:13:45&transactionId=71622616&cardType=3DSECURE&cardNumber=&error=00001&payboxRef=0"},
		// A real E-transactions IPN (pre-production, 2019), logged byte for
		// byte by the official PrestaShop module after its signature check
		// passed (PrestaShop/PrestaShop issue #14834): R's spaces are %20, Q
		// is HH:MM:SS with its colons encoded, W is DDMMYYYY.
		{"recorded IPN", "M:M;R:R;T:T;A:A;B:B;C:C;D:D;E:E;I:I;J:J;N:N;P:P;Q:Q;S:S;W:W;Y:Y;K:K",
			map[byte]string{'M': "5900", 'R': "1102 - Kevin TEST IMPACT WEB", 'T': "51636600", 'A': "XXXXXX", 'B': "0", 'C': "Maestro",
				'D': "2012", 'E': "00000", 'I': "FRA", 'J': "44", 'N': "111122", 'P': "CARTE", 'Q': "18:07:30", 'S': "30446761", 'W': "22072019", 'Y': "FRA"}, "",
			"M=5900&R=1102%20-%20Kevin%20TEST%20IMPACT%20WEB&T=51636600&A=XXXXXX&B=0&C=Maestro&D=2012&E=00000&I=FRA&J=44&N=111122&P=CARTE&Q=18%3A07%3A30&S=30446761&W=22072019&Y=FRA&K=ab%2B%2Fc%3D",
			"M=5900&R=1102%20-%20Kevin%20TEST%20IMPACT%20WEB&T=51636600&A=XXXXXX&B=0&C=Maestro&D=2012&E=00000&I=FRA&J=44&N=111122&P=CARTE&Q=18%3A07%3A30&S=30446761&W=22072019&Y=FRA"},
		{"redirect signs the merchant query", "Mt:M;Sign:K", values, "fc=module&a=1",
			"Mt=1000&Sign=ab%2B%2Fc%3D", "fc=module&a=1&Mt=1000"},
		{"signature alone", "Sign:K", values, "",
			"Sign=ab%2B%2Fc%3D", ""},
		{"signature alone on a redirect", "Sign:K", values, "id=7",
			"Sign=ab%2B%2Fc%3D", "id=7"},
		{"only A, refused", "Auto:A", refused, "", "", ""},
		{"wallet handle", "U:U;K:K", values, "",
			"U=h++2504++---&K=ab%2B%2Fc%3D", "U=h++2504++---"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars, err := ParseRetour(tt.retour)
			if err != nil {
				t.Fatal(err)
			}
			var fs fakeSign
			got, err := BuildReturn(vars, tt.values, tt.prefix, fs.sign)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("BuildReturn = %q, want %q", got, tt.want)
			}
			if strings.Contains(tt.retour, ":K") {
				if len(fs.got) != 1 || fs.got[0] != tt.signed {
					t.Errorf("signed %q, want [%q]", fs.got, tt.signed)
				}
			} else if len(fs.got) != 0 {
				t.Errorf("signed %q without K", fs.got)
			}
		})
	}
}

func TestBuildReturnAfterK(t *testing.T) {
	// ParseRetour refuses this, but a hand-built list shows the rule:
	// variables after K are sent, unsigned.
	vars := []RetourVar{{"Mt", 'M'}, {"Sign", 'K'}, {"Erreur", 'E'}}
	var fs fakeSign
	got, err := BuildReturn(vars, map[byte]string{'M': "1", 'E': "00000"}, "", fs.sign)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Mt=1&Sign=ab%2B%2Fc%3D&Erreur=00000"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(fs.got) != 1 || fs.got[0] != "Mt=1" {
		t.Errorf("signed %q", fs.got)
	}
}

func TestBuildReturnErrors(t *testing.T) {
	vars := []RetourVar{{"Mt", 'M'}, {"Sign", 'K'}}
	if _, err := BuildReturn(vars, nil, "", nil); err == nil {
		t.Error("no signer: no error")
	}
	boom := errors.New("boom")
	_, err := BuildReturn(vars, nil, "", func([]byte) (string, error) { return "", boom })
	if !errors.Is(err, boom) {
		t.Errorf("signer error lost: %v", err)
	}
	if got, err := BuildReturn(vars[:1], nil, "", nil); err != nil || got != "Mt=" {
		t.Errorf("no K, no signer: %q, %v", got, err)
	}
}

func TestAppendQuery(t *testing.T) {
	tests := []struct {
		name, target string
		prefix, want string
	}{
		{"no query", "https://shop.example/ok", "", "https://shop.example/ok?RET"},
		{"query", "https://shop.example/index.php?fc=module&a=1", "fc=module&a=1", "https://shop.example/index.php?fc=module&a=1&RET"},
		{"empty query", "https://shop.example/ok?", "", "https://shop.example/ok?RET"},
		{"fragment", "https://shop.example/ok?x=1#top", "x=1", "https://shop.example/ok?x=1&RET#top"},
		{"fragment, no query", "https://shop.example/ok#top", "", "https://shop.example/ok?RET#top"},
		{"escaped query kept as is", "http://s/r?ref=a%20b", "ref=a%20b", "http://s/r?ref=a%20b&RET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotPrefix string
			got, err := AppendQuery(tt.target, func(p string) (string, error) { gotPrefix = p; return "RET", nil })
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || gotPrefix != tt.prefix {
				t.Errorf("AppendQuery(%q) = %q with prefix %q, want %q with %q", tt.target, got, gotPrefix, tt.want, tt.prefix)
			}
		})
	}
	boom := errors.New("boom")
	if _, err := AppendQuery("http://s/", func(string) (string, error) { return "", boom }); !errors.Is(err, boom) {
		t.Errorf("build error lost: %v", err)
	}
}

func TestAppendQuerySigned(t *testing.T) {
	s := newTestSigner(t)
	pub, err := ParsePublicKey(s.PublicKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	vars, err := ParseRetour("Mt:M;Ref:R;Erreur:E;Sign:K")
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"https://shop.example/ok", "https://shop.example/index.php?fc=module&module=paybox&controller=validation&a=id%201"} {
		got, err := AppendQuery(target, func(prefix string) (string, error) {
			return BuildReturn(vars, map[byte]string{'M': "100", 'R': "n° 7", 'E': "00000"}, prefix, s.Sign)
		})
		if err != nil {
			t.Fatal(err)
		}
		_, query, _ := strings.Cut(got, "?")
		if err := VerifyReturn(pub, query, "Sign"); err != nil {
			t.Errorf("%s: %v", got, err)
		}
	}
}
