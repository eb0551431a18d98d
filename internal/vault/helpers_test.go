package vault_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// plainHMAC is the fingerprint a vault would compute if it keyed the HMAC
// with the master key directly.
func plainHMAC(key []byte, s string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))
}
