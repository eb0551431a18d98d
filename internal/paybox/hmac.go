package paybox

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/hex"
	"hash"
	"strings"

	//lint:ignore SA1019 Paybox still offers RIPEMD-160 to its merchants.
	"golang.org/x/crypto/ripemd160"
)

// hashes are the algorithms a merchant may name in PBX_HASH or HASH. MDC2,
// also listed by the platform, has no Go implementation; a form naming it
// is refused like a wrong signature.
var hashes = map[string]func() hash.Hash{
	"SHA512":    sha512.New,
	"SHA384":    sha512.New384,
	"SHA256":    sha256.New,
	"SHA224":    sha256.New224,
	"RIPEMD160": ripemd160.New,
}

// SignedString rebuilds the string a client signed: every field but the
// signature itself, in the order received, joined as name=value with "&",
// with the values as decoded bytes.
func SignedString(f Form, signature string) string {
	var b strings.Builder
	for _, p := range f {
		if p.Name == signature {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.Name)
		b.WriteByte('=')
		b.WriteString(p.Value)
	}
	return b.String()
}

// Sign computes the upper-case hexadecimal HMAC of msg with the merchant's
// hexadecimal key and the named algorithm ("" means SHA512). It reports
// false when the key or the algorithm is unusable.
func Sign(keyHex, algorithm, msg string) (string, bool) {
	if algorithm == "" {
		algorithm = "SHA512"
	}
	newHash, ok := hashes[strings.ToUpper(algorithm)]
	if !ok {
		return "", false
	}
	key, err := hex.DecodeString(keyHex)
	if err != nil || len(key) == 0 {
		return "", false
	}
	m := hmac.New(newHash, key)
	m.Write([]byte(msg))
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil))), true
}

// VerifyHMAC checks the signature field of a form, computed over the other
// fields with the algorithm named by the hash field. Hex case is ignored,
// as clients send both; the comparison takes constant time.
func VerifyHMAC(f Form, keyHex, hashField, signatureField string) bool {
	got, ok := f.Get(signatureField)
	if !ok {
		return false
	}
	want, ok := Sign(keyHex, f.Value(hashField), SignedString(f, signatureField))
	if !ok {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToUpper(got))) == 1
}
