package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"guichet"
)

// Installation secrets (the key that signs Paybox returns, the sandbox API
// token) are kept in the database, which every instance shares and which is
// backed up with everything else: they are sealed like card numbers, under
// a key of their own derived from the master key, so that a copy of the
// database without the master key reveals none of them.
const (
	labelSecret   = "guichet/vault/v1/secret"
	labelKeyCheck = "guichet/vault/v1/key-check"
)

// secrets seals installation secrets. It is built with the vault.
type secrets struct {
	aead cipher.AEAD
}

func newSecrets(masterKey []byte) (secrets, error) {
	block, err := aes.NewCipher(derive(masterKey, labelSecret))
	if err != nil {
		return secrets{}, fmt.Errorf("vault: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return secrets{}, fmt.Errorf("vault: %w", err)
	}
	return secrets{aead: aead}, nil
}

// keyCheck is the key check value of a master key: an HMAC of a constant
// label under it. It tells whether two instances hold the same master key
// without revealing anything of the key, and it is stored in clear.
func keyCheck(masterKey []byte) string {
	return hex.EncodeToString(derive(masterKey, labelKeyCheck))
}

// KeyCheck returns the key check value of the vault's master key.
func (v *Vault) KeyCheck() string { return v.check }

// secretData is the additional data of a sealed secret: the format version
// and the secret's name, so that a sealed value moved under another name
// (the token's in place of the signing key's) does not open.
func secretData(name string) []byte {
	return append([]byte{version}, name...)
}

// SealSecret encrypts an installation secret kept under name.
func (v *Vault) SealSecret(name string, secret []byte) ([]byte, error) {
	nonce := make([]byte, nonceSize)
	if _, err := rand.Read(nonce); err != nil {
		return nil, &guichet.Error{Code: guichet.CodeInternal, Message: "cannot seal secret", Err: err}
	}
	sealed := make([]byte, 0, 1+nonceSize+len(secret)+v.secrets.aead.Overhead())
	sealed = append(sealed, version)
	sealed = append(sealed, nonce...)
	return v.secrets.aead.Seal(sealed, nonce, secret, secretData(name)), nil
}

// OpenSecret decrypts what SealSecret sealed under the same name and
// master key. As for cards, the error does not say what was wrong.
func (v *Vault) OpenSecret(name string, sealed []byte) ([]byte, error) {
	fail := func(cause string) error {
		return &guichet.Error{Code: guichet.CodeInternal, Message: "cannot open secret " + name, Err: errors.New(cause)}
	}
	if len(sealed) < 1+nonceSize+v.secrets.aead.Overhead() {
		return nil, fail("sealed secret too short")
	}
	if sealed[0] != version {
		return nil, fail(fmt.Sprintf("unknown sealed secret version %d", sealed[0]))
	}
	secret, err := v.secrets.aead.Open(nil, sealed[1:1+nonceSize], sealed[1+nonceSize:], secretData(name))
	if err != nil {
		return nil, fail("sealed secret failed authentication")
	}
	return secret, nil
}
