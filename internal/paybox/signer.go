package paybox

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // Paybox signs returns with RSA-SHA1; merchants' code checks exactly that.
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// signerFile is the name of the installation's return-signing key in the
// data directory.
const signerFile = "paybox-return.pem"

// signerBits is the size of the key we generate. 1024 bits on purpose:
// the real platform's key is 1024 bits and merchant code checks the
// length of what it receives (Lexik wants a 128-byte signature, 172 base64
// characters), so a larger key would break clients that work with Paybox.
const signerBits = 1024

// Signer holds the installation's RSA key that signs the K variable of
// Paybox System returns. Merchants verify K with the public half, which
// replaces Paybox's pubkey.pem in their module.
type Signer struct {
	key *rsa.PrivateKey
}

// LoadOrCreateSigner reads <dataDir>/paybox-return.pem, a PKCS#8 PEM RSA
// key, or generates and stores one the first time. The key must stay the
// same across restarts, since merchants install its public half by hand.
// A key file readable by group or others is refused rather than used: the
// key forges payment confirmations for every merchant of the installation.
func LoadOrCreateSigner(dataDir string) (*Signer, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("paybox signer: %w", err)
	}
	path := filepath.Join(dataDir, signerFile)
	s, err := loadSigner(path)
	if !errors.Is(err, os.ErrNotExist) {
		return s, err
	}
	key, err := rsa.GenerateKey(rand.Reader, signerBits)
	if err != nil {
		return nil, fmt.Errorf("paybox signer: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("paybox signer: %w", err)
	}
	if err := writeNew(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})); err != nil {
		if errors.Is(err, os.ErrExist) {
			// Another process created the key meanwhile: use theirs, so
			// that both sign with the key merchants will install.
			return loadSigner(path)
		}
		return nil, fmt.Errorf("paybox signer: %w", err)
	}
	return &Signer{key: key}, nil
}

// writeNew stores data at path with mode 0600, only if path does not
// exist yet. The file is written completely under a temporary name, then
// linked into place, so that a crash never leaves a truncated key behind
// and two processes starting together cannot overwrite each other's key.
func writeNew(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".paybox-return-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Link(tmp.Name(), path)
}

// loadSigner reads an existing key file, refusing one that others can
// read.
func loadSigner(path string) (*Signer, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("paybox signer: %s is readable by group or others (mode %v); chmod 600 it", path, fi.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("paybox signer: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("paybox signer: %s: no PKCS#8 PRIVATE KEY block", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("paybox signer: %s: %w", path, err)
	}
	key, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("paybox signer: %s: not an RSA key", path)
	}
	return &Signer{key: key}, nil
}

// Sign returns the base64 (standard alphabet, padded) RSA PKCS#1 v1.5
// signature of the SHA-1 digest of data: what "openssl dgst -sha1 -sign"
// produces on the platform, and what every merchant module verifies.
func (s *Signer) Sign(data []byte) (string, error) {
	digest := sha1.Sum(data)
	sig, err := rsa.SignPKCS1v15(nil, s.key, crypto.SHA1, digest[:])
	if err != nil {
		return "", fmt.Errorf("paybox signer: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// PublicKeyPEM returns the public key as a PKIX "PUBLIC KEY" PEM block,
// the format of the pubkey.pem file merchant modules ship.
func (s *Signer) PublicKeyPEM() []byte {
	der, err := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
	if err != nil {
		// An RSA public key always marshals; failing here is a bug.
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// ParsePublicKey reads an RSA public key from PEM: a PKIX "PUBLIC KEY"
// block, as Paybox publishes its key, or a PKCS#1 "RSA PUBLIC KEY" block,
// which some merchants convert theirs to.
func ParsePublicKey(pemBytes []byte) (*rsa.PublicKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("paybox: no PEM block")
	}
	switch block.Type {
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("paybox: %w", err)
		}
		pub, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, errors.New("paybox: not an RSA public key")
		}
		return pub, nil
	case "RSA PUBLIC KEY":
		pub, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("paybox: %w", err)
		}
		return pub, nil
	}
	return nil, fmt.Errorf("paybox: unexpected PEM block %q", block.Type)
}

// VerifyReturn checks a Paybox return as a merchant does: query is the raw
// query string or IPN body, still percent-encoded, and sigName the name
// given to K in PBX_RETOUR. The signed bytes are everything before the
// last "&<sigName>=", as transmitted: the platform signs the encoded
// string, so decoding it first (or re-encoding decoded values) fails on
// any value with a space. The signature value runs to the next "&" and is
// percent-decoded once with path semantics, so that a "+" of raw base64
// stays a "+" and a value sent encoded (%2B, %2F, %3D) decodes alike.
func VerifyReturn(pub *rsa.PublicKey, query, sigName string) error {
	var signed, rest string
	if i := strings.LastIndex(query, "&"+sigName+"="); i >= 0 {
		signed, rest = query[:i], query[i+len(sigName)+2:]
	} else if strings.HasPrefix(query, sigName+"=") {
		rest = query[len(sigName)+1:]
	} else {
		return fmt.Errorf("paybox: no %s variable in the return", sigName)
	}
	if i := strings.IndexByte(rest, '&'); i >= 0 {
		rest = rest[:i]
	}
	b64, err := url.PathUnescape(rest)
	if err != nil {
		return fmt.Errorf("paybox: signature: %w", err)
	}
	sig, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return fmt.Errorf("paybox: signature: %w", err)
	}
	digest := sha1.Sum([]byte(signed))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA1, digest[:], sig); err != nil {
		return fmt.Errorf("paybox: bad signature: %w", err)
	}
	return nil
}
