package paybox

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // Paybox signs returns with RSA-SHA1; merchants' code checks exactly that.
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"

	"guichet/internal/core"
	"guichet/internal/secretfile"
)

// signerFile is the name of the return-signing key in the data directory
// of installations from before the key was kept in the database.
const signerFile = "paybox-return.pem"

// signerSecret names the key among the installation's shared secrets.
const signerSecret = "paybox.return-key"

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

// SharedSigner returns the installation's signer, the same for every
// instance sharing the store: merchants install its public half by hand,
// so every instance must sign with the key they installed, and keep it
// across restarts. The key is kept among the core's shared secrets, sealed
// by the vault, since the database is shared and backed up.
//
// The first instance stores the key of <dataDir>/paybox-return.pem when
// there is one, so that merchants who installed its public half before the
// key moved to the database keep working; otherwise it generates one. An
// instance whose data directory holds another key than the stored one
// refuses to start rather than pick one: merchants may have installed
// either.
func SharedSigner(ctx context.Context, svc *core.Service, dataDir string) (*Signer, error) {
	path := filepath.Join(dataDir, signerFile)
	local, err := secretfile.Read(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("paybox signer: %w", err)
	}
	var own *Signer
	if local != nil {
		if own, err = NewSigner(local); err != nil {
			return nil, fmt.Errorf("paybox signer: %s: %w", path, err)
		}
	}
	shared, err := svc.SharedSecret(ctx, signerSecret, func() ([]byte, error) {
		if local != nil {
			return local, nil
		}
		return GenerateSignerKey()
	})
	if err != nil {
		return nil, fmt.Errorf("paybox signer: %w", err)
	}
	s, err := NewSigner(shared)
	if err != nil {
		return nil, fmt.Errorf("paybox signer: the key in the database: %w", err)
	}
	if own != nil && !own.key.Equal(s.key) {
		return nil, fmt.Errorf("paybox signer: %s is not the key the other instances sign Paybox returns with, kept in the database; "+
			"merchants may have installed either public key: move the file away to use the database's key, whose public half /pubkey.pem serves", path)
	}
	return s, nil
}

// GenerateSignerKey makes a new return-signing key, as a PKCS#8 PEM block.
func GenerateSignerKey() ([]byte, error) {
	key, err := rsa.GenerateKey(rand.Reader, signerBits)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// NewSigner returns the signer of a PKCS#8 PEM RSA private key.
func NewSigner(pemKey []byte) (*Signer, error) {
	block, _ := pem.Decode(pemKey)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New("no PKCS#8 PRIVATE KEY block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	key, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("not an RSA key")
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
