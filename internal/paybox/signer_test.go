package paybox

import (
	"crypto/rsa"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// payboxPublicKeyPEM is the key Paybox, E-transactions and Up2pay sign
// returns with (spec §2.8.3), a public fact shipped in every merchant
// module. It is embedded so that the real vectors run without the shared
// folder.
const payboxPublicKeyPEM = `-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDe+hkicNP7ROHUssGNtHwiT2Ew
HFrSk/qwrcq8v5metRtTTFPE/nmzSkRnTs3GMpi57rBdxBBJW5W9cpNyGUh0jNXc
VrOSClpD5Ri2hER/GcNrxVRP7RlWOqB1C03q4QYmwjHZ+zlM4OUhCCAtSWflB4wC
Ka1g88CjFwRw/PB9kwIDAQAB
-----END PUBLIC KEY-----
`

// realReturns are the six browser or IPN returns of spec §6.2 signed by
// the real platform: the bytes it signed, the signature name and the
// base64 signature.
var realReturns = []struct {
	name, signed, sigName, sig string
}{
	{"lexik accepted", "Mt=1000&Ref=CMD1349338388&Auto=XXXXXX&Erreur=00000", "Sign",
		"QnhlnuOpcbfUruOU7kKG/ZmDPsDzM31VrpMIObQomYwEE/afhJiDPkWVN9+r3JVFXBsFnqo3VlOVzxQVVahXpF7eWiJoAe5LcIoqSvms96SFFv9LfndS/3zAO5fF/tR4Us3rOSUwT1Hs2AS17R3B9ATwBMhKt1l3DPw9hClpFw0="},
	{"lexik refused", "Mt=8160&Ref=COM000000117T1402932051&Erreur=00004", "Sign",
		"j2OZPEE0gKc+D34u2QkpBUR3VQyd9zYhpewHS6IZ1vjdiuGvC01irSBb2taQblYQ3RXI0DkmgIgdFY8ywW6NOdWx1vH+1c3GSZX2MhMqlonpfElUAN/lzYNH/tw+ntQLvzO2HBPobCLNUERqKrFqU9dSAvAYagXNdjpU+XPzPgI="},
	{"omnipay accepted", "Mt=100&Id=47&Ref=601957&Erreur=00000", "Signature",
		"jRk0xXxO6wGwyL9G0K5oj5Xihxbr0s0gxhBkXT7D0k0KAFKywaqy1xd+orpeU1hM2Dq5KvDP42byaRzEIx3ymVvAP/CtM7jzTXO58tbvsXojPvLGEqz4q9QhrCH+OmQL6AfXt6lXImzjTgrKDIvIu6EX+Npp5sbcot+afOrTVkQ="},
	{"omnipay refused, no A", "Mt=100&Id=45&Erreur=00114", "Signature",
		"opPlzAadVvCor99yZ8oj2NHmE0eAxXkmCZ80C+YW8htpF7Wf6krYYFjc1pQnvYHcW7vp3ta3p8Gfh7gAaR6WDOnhe1Xzm39whk11+ShieXbQCnEKXot4aGkpodxi1cHutXBhh1IBQOLgq1IVM+aV9PUeTI/GFruSDnA1TExDHZE="},
	{"codeur, escaped space", "reference=id%204f3c497294b3026bfa000001&error=00001", "signature",
		"NuHxwhK+ENWuXSXeqtGLa2Zezc7ttXvDvCuJa8h4iWXfDSkHCRAYgPazS1Fo/n+k8/ksD5C6jP0/gf9xQR0JndC0MPKvA6eDeDknEdAsQAriS/k7vjazARAAY1h+t4zROoMVWI8Ph5u+cf6nKuShUOOBuoqyomVphJLKxVMfGtM="},
	{"up2pay redirect, @ / : kept", "amount=900&paymentId=Paiement%20pour%20ronan@lesailesdumontblanc.cf%2014/12/2022%2013:13:45&transactionId=71622616&cardType=3DSECURE&cardNumber=&error=00001&payboxRef=0", "signature",
		"HxPfoUEfCY+Peji87VMoym50i9lNKsWj20oU3QiRQLiiqJaKlEMtJnltn4xfJWHjwUVFLC/BFLMdoNBnmEYjck5nJbIJdvtfzBzlFODHVZXfEVf94xrFsA4PGaTqT8VPmJSJx2eoi93LztSV7ihXJL5fYA6RXFLo4KwNUQvYwAI="},
}

// payboxKeyFromFile reads the real platform key from the shared vectors folder,
// skipping the test when the folder is not there.
func payboxKeyFromFile(t *testing.T) *rsa.PublicKey {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "vectors", "paybox", "paybox-pubkey.pem"))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("shared vectors folder absent; the embedded copy of the key is tested")
	}
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ParsePublicKey(data)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

// escapedSig encodes a base64 signature the way the platform transmits it.
func escapedSig(b64 string) string {
	return strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(b64)
}

func TestVerifyReturnRealPaybox(t *testing.T) {
	keys := map[string]func(*testing.T) *rsa.PublicKey{
		"embedded": func(t *testing.T) *rsa.PublicKey {
			pub, err := ParsePublicKey([]byte(payboxPublicKeyPEM))
			if err != nil {
				t.Fatal(err)
			}
			return pub
		},
		"shared file": payboxKeyFromFile,
	}
	for keyName, load := range keys {
		t.Run(keyName, func(t *testing.T) {
			pub := load(t)
			for _, v := range realReturns {
				t.Run(v.name, func(t *testing.T) {
					query := v.signed + "&" + v.sigName + "=" + escapedSig(v.sig)
					if err := VerifyReturn(pub, query, v.sigName); err != nil {
						t.Errorf("escaped signature: %v", err)
					}
					// Some merchants' frameworks hand over the signature
					// already decoded; that must verify too.
					if err := VerifyReturn(pub, v.signed+"&"+v.sigName+"="+v.sig, v.sigName); err != nil {
						t.Errorf("raw signature: %v", err)
					}
					tampered := []byte(query)
					tampered[1] ^= 1
					if VerifyReturn(pub, string(tampered), v.sigName) == nil {
						t.Error("tampered return verifies")
					}
					if VerifyReturn(pub, v.signed, v.sigName) == nil {
						t.Error("return without signature verifies")
					}
				})
			}
		})
	}
}

// TestVerifyReturnRawBytes proves the platform signs the encoded query, as
// transmitted: for the two real returns with escaped spaces, decoding the
// values (BenMorel) or decoding then re-encoding them like PHP's urlencode
// (Lexik) yields bytes whose signature does not verify.
func TestVerifyReturnRawBytes(t *testing.T) {
	pub, err := ParsePublicKey([]byte(payboxPublicKeyPEM))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range realReturns[4:6] {
		f, err := ParseForm(v.signed)
		if err != nil {
			t.Fatal(err)
		}
		var decoded, reencoded []string
		for _, p := range f {
			decoded = append(decoded, p.Name+"="+p.Value)
			reencoded = append(reencoded, p.Name+"="+url.QueryEscape(p.Value))
		}
		for how, signed := range map[string]string{"decoded": strings.Join(decoded, "&"), "re-encoded": strings.Join(reencoded, "&")} {
			if signed == v.signed {
				t.Fatalf("%s: %s bytes equal the raw ones, the test proves nothing", v.name, how)
			}
			if VerifyReturn(pub, signed+"&"+v.sigName+"="+escapedSig(v.sig), v.sigName) == nil {
				t.Errorf("%s: the %s string verifies", v.name, how)
			}
		}
	}
}

func TestVerifyReturnShapes(t *testing.T) {
	s := newTestSigner(t)
	pub, err := ParsePublicKey(s.PublicKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	sig := func(data string) string {
		b64, err := s.Sign([]byte(data))
		if err != nil {
			t.Fatal(err)
		}
		return escapedSig(b64)
	}
	tests := []struct {
		name, query string
		ok          bool
	}{
		{"simple", "a=1&K=" + sig("a=1"), true},
		{"signature first signs nothing", "K=" + sig(""), true},
		{"unsigned variable after K", "a=1&K=" + sig("a=1") + "&b=2", true},
		{"last K wins", "K=1&a=1&K=" + sig("K=1&a=1"), true},
		{"name is a suffix of another", "aK=1&K=" + sig("aK=1"), true},
		{"no signature", "a=1", false},
		{"empty signature", "a=1&K=", false},
		{"bad escape", "a=1&K=%ZZ", false},
		{"not base64", "a=1&K=!!!!", false},
		{"signature of other bytes", "a=2&K=" + sig("a=1"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifyReturn(pub, tt.query, "K")
			if (err == nil) != tt.ok {
				t.Errorf("VerifyReturn(%q) = %v, want ok=%v", tt.query, err, tt.ok)
			}
		})
	}
}

func newTestSigner(t *testing.T) *Signer {
	t.Helper()
	key, err := GenerateSignerKey()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignerRoundTrip(t *testing.T) {
	s := newTestSigner(t)
	pub, err := ParsePublicKey(s.PublicKeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	if pub.N.BitLen() != 1024 {
		t.Errorf("key of %d bits, want 1024", pub.N.BitLen())
	}
	if !strings.HasPrefix(string(s.PublicKeyPEM()), "-----BEGIN PUBLIC KEY-----\n") {
		t.Errorf("public key PEM starts %q", s.PublicKeyPEM()[:30])
	}
	sig, err := s.Sign([]byte("Mt=1000&Ref=x"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sig) != 172 {
		t.Errorf("signature of %d base64 characters, want 172 (Lexik checks)", len(sig))
	}

	vars, err := ParseRetour("Mt:M;Ref:R;Auto:A;Erreur:E;Carte:U;Sign:K")
	if err != nil {
		t.Fatal(err)
	}
	values := map[byte]string{'M': "1000", 'R': "commande n°1 & co", 'A': "XXXXXX", 'E': "00000", 'U': "SLDLrcsLMPC++2504++---"}
	for _, prefix := range []string{"", "fc=module&module=up2pay&a=1"} {
		ret, err := BuildReturn(vars, values, prefix, s.Sign)
		if err != nil {
			t.Fatal(err)
		}
		query := ret
		if prefix != "" {
			query = prefix + "&" + ret
			if VerifyReturn(pub, ret, "Sign") == nil {
				t.Error("a redirect signature verifies without the merchant's own query")
			}
		}
		if err := VerifyReturn(pub, query, "Sign"); err != nil {
			t.Errorf("prefix %q: %v (query %s)", prefix, err, query)
		}
		// What the merchant reads once the query is decoded.
		f, err := ParseForm(query)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Value("Ref"); got != values['R'] {
			t.Errorf("Ref decodes to %q, want %q", got, values['R'])
		}
		// The wallet data's "+" travel unescaped, as on the platform: a
		// form decoder turns them into the spaces modules split on.
		if want := strings.ReplaceAll(values['U'], "+", " "); f.Value("Carte") != want {
			t.Errorf("Carte decodes to %q, want %q", f.Value("Carte"), want)
		}
	}
}

func TestParsePublicKey(t *testing.T) {
	tests := []struct {
		name, pem string
		ok        bool
	}{
		{"paybox", payboxPublicKeyPEM, true},
		{"pkcs1", "-----BEGIN RSA PUBLIC KEY-----\nMIGJAoGBAN76GSJw0/tE4dSywY20fCJPYTAcWtKT+rCtyry/mZ61G1NMU8T+ebNKRGdOzcYymLnusF3EEElblb1yk3IZSHSM1dxWs5IKWkPlGLaERH8Zw2vFVE/tGVY6oHULTerhBibCMdn7OUzg5SEIIC1JZ+UHjAIprWDzwKMXBHD88H2TAgMBAAE=\n-----END RSA PUBLIC KEY-----\n", true},
		{"no pem", "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDe", false},
		{"private key block", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", false},
		{"bad der", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := ParsePublicKey([]byte(tt.pem))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && pub.N.BitLen() != 1024 {
				t.Errorf("%d bits", pub.N.BitLen())
			}
		})
	}
}
