// Package vault seals card numbers before guichet stores them.
//
// A PAN is encrypted with AES-256-GCM under a key derived from the master
// key, and fingerprinted with HMAC-SHA256 under a second derived key. The
// two keys are distinct so that the fingerprint, which is stored in clear
// and compared freely, reveals nothing about the encryption key, and so
// that rotating one use never silently weakens the other.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"

	"guichet"
)

// KeySize is the length in bytes of the master key.
const KeySize = 32

// version is the first byte of every sealed PAN. It names the format
// (derived keys, AES-256-GCM, 12-byte nonce) so that a later format can be
// introduced while old records still open.
const version byte = 1

// nonceSize is the GCM standard nonce length; random 96-bit nonces are safe
// for far more seals than one master key will ever see.
const nonceSize = 12

// The labels that derive the sub-keys. They include the format version so
// that a future format gets unrelated keys from the same master key.
const (
	labelEncryption  = "guichet/vault/v1/encryption"
	labelFingerprint = "guichet/vault/v1/fingerprint"
)

// Vault implements guichet.Vault. It is safe for concurrent use: the AEAD
// is stateless once built, and a fresh HMAC is made for every fingerprint.
type Vault struct {
	aead   cipher.AEAD
	fpKey  []byte
	prefix []byte // version byte, also the additional data of every seal
	// secrets seals installation secrets, and check is the master key's
	// check value (see secret.go).
	secrets secrets
	check   string
}

var _ guichet.Vault = (*Vault)(nil)

// New returns a vault keyed by masterKey, which must be KeySize bytes. The
// master key itself is never used directly: only the two keys derived from
// it are kept.
func New(masterKey []byte) (*Vault, error) {
	if len(masterKey) != KeySize {
		return nil, fmt.Errorf("vault: master key is %d bytes, want %d", len(masterKey), KeySize)
	}
	block, err := aes.NewCipher(derive(masterKey, labelEncryption))
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	sec, err := newSecrets(masterKey)
	if err != nil {
		return nil, err
	}
	return &Vault{aead: aead, fpKey: derive(masterKey, labelFingerprint), prefix: []byte{version},
		secrets: sec, check: keyCheck(masterKey)}, nil
}

// derive returns HMAC-SHA256(master, label): a pseudo-random key for one
// purpose, independent of the keys for other labels.
func derive(master []byte, label string) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// Seal encrypts the PAN and computes its masked form and fingerprint. The
// CVV and the holder's name are dropped: the first must never be stored,
// and the second is not needed to charge the card again. Brand and Country
// are left empty for the caller to fill from the acquirer's answer.
func (v *Vault) Seal(c guichet.Card) (guichet.StoredCard, error) {
	if c.PAN == "" {
		return guichet.StoredCard{}, &guichet.Error{Code: guichet.CodeInvalid, Reason: guichet.ReasonCard,
			Param: "pan", Message: "card number missing"}
	}
	nonce := make([]byte, nonceSize)
	// crypto/rand.Read never returns an error since Go 1.24; the check
	// stays in case the platform's source ever reports one.
	if _, err := rand.Read(nonce); err != nil {
		return guichet.StoredCard{}, &guichet.Error{Code: guichet.CodeInternal, Message: "cannot seal card", Err: err}
	}
	sealed := make([]byte, 0, 1+nonceSize+len(c.PAN)+v.aead.Overhead())
	sealed = append(sealed, version)
	sealed = append(sealed, nonce...)
	// The version byte is authenticated as additional data so that a
	// record cannot be relabelled to another format.
	sealed = v.aead.Seal(sealed, nonce, []byte(c.PAN), v.prefix)
	return guichet.StoredCard{
		Masked:      guichet.MaskPAN(c.PAN),
		Fingerprint: v.Fingerprint(c.PAN),
		ExpMonth:    c.ExpMonth,
		ExpYear:     c.ExpYear,
		Sealed:      sealed,
	}, nil
}

// errOpen is what every failure to open reports. It is deliberately vague:
// the details (truncated record, wrong key, tampering) would help an
// attacker more than an operator, and are the same fix either way.
func errOpen(cause error) error {
	return &guichet.Error{Code: guichet.CodeInternal, Message: "cannot open stored card", Err: cause}
}

// Open decrypts a stored card. The result has the PAN in clear and no CVV.
// When the stored card carries a fingerprint, it must match the decrypted
// PAN, which catches a sealed value copied from another record.
func (v *Vault) Open(s guichet.StoredCard) (guichet.Card, error) {
	if len(s.Sealed) < 1+nonceSize+v.aead.Overhead() {
		return guichet.Card{}, errOpen(errors.New("sealed card too short"))
	}
	if s.Sealed[0] != version {
		return guichet.Card{}, errOpen(fmt.Errorf("unknown sealed card version %d", s.Sealed[0]))
	}
	nonce := s.Sealed[1 : 1+nonceSize]
	pan, err := v.aead.Open(nil, nonce, s.Sealed[1+nonceSize:], v.prefix)
	if err != nil {
		return guichet.Card{}, errOpen(errors.New("sealed card failed authentication"))
	}
	if s.Fingerprint != "" && subtle.ConstantTimeCompare([]byte(s.Fingerprint), []byte(v.Fingerprint(string(pan)))) != 1 {
		return guichet.Card{}, errOpen(errors.New("sealed card does not match its fingerprint"))
	}
	return guichet.Card{PAN: string(pan), ExpMonth: s.ExpMonth, ExpYear: s.ExpYear}, nil
}

// Fingerprint returns the hex HMAC-SHA256 of pan under the fingerprint key.
// It is keyed because an unkeyed hash would be no protection: the masked
// form leaves only about 10^5 Luhn-valid candidates to hash one by one, and it is deterministic so that
// the same card can be found again without decrypting anything.
func (v *Vault) Fingerprint(pan string) string {
	m := hmac.New(sha256.New, v.fpKey)
	m.Write([]byte(pan))
	return hex.EncodeToString(m.Sum(nil))
}
