package vault

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"guichet/internal/secretfile"
)

// EnvMasterKey is the environment variable that, when set, holds the master
// key. It lets a deployment keep the key out of the data directory (in a
// secret manager, for instance), so that a copy of the data is not also a
// copy of the key.
const EnvMasterKey = "GUICHET_MASTER_KEY"

// KeyFile is the name of the master key file inside the data directory.
const KeyFile = "master.key"

// LoadOrCreateKey returns the master key. The environment wins: when
// GUICHET_MASTER_KEY is set it must hold 32 bytes, as 64 hex digits or in
// base64, and an unusable value is an error rather than a silent fallback to
// the file, which would encrypt new cards under a key the operator did not
// mean. Otherwise the key is read from <dataDir>/master.key, which is
// created with 32 random bytes on first use so that a fresh install works
// without setup.
//
// getenv is passed in, rather than os.Getenv called, so that tests and
// callers decide where configuration comes from.
func LoadOrCreateKey(getenv func(string) string, dataDir string) ([]byte, error) {
	if v := strings.TrimSpace(getenv(EnvMasterKey)); v != "" {
		key, err := parseKey(v)
		if err != nil {
			return nil, fmt.Errorf("vault: %s: %w", EnvMasterKey, err)
		}
		return key, nil
	}
	path := filepath.Join(dataDir, KeyFile)
	key, err := readKeyFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	return createKeyFile(dataDir, path)
}

// parseKey accepts 64 hex digits or the base64 (standard or URL alphabet,
// padded or not) of 32 bytes. Hex is tried first because a 64-digit hex
// string is also valid base64, of 48 bytes.
func parseKey(s string) ([]byte, error) {
	if len(s) == 2*KeySize {
		if key, err := hex.DecodeString(s); err == nil {
			return key, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(s); err == nil && len(key) == KeySize {
			return key, nil
		}
	}
	return nil, fmt.Errorf("want %d bytes as %d hex digits or base64", KeySize, 2*KeySize)
}

// readKeyFile reads a hex key file. secretfile.Read refuses a file that
// group or others may read or write: the key protects every stored card.
func readKeyFile(path string) ([]byte, error) {
	b, err := secretfile.Read(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("vault: %w", err)
	}
	s := strings.TrimSpace(string(b))
	key, err := hex.DecodeString(s)
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("vault: %s must hold %d hex digits", path, 2*KeySize)
	}
	return key, nil
}

// createKeyFile writes a new random key. secretfile.Create has it on disk,
// synced, before any card is sealed with it (or a crash would leave sealed
// cards that nothing can open), and never replaces a key file: when two
// processes start together, the loser reads the winner's key instead of
// each using its own.
func createKeyFile(dataDir, path string) ([]byte, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	err := secretfile.Create(path, []byte(hex.EncodeToString(key)+"\n"))
	if errors.Is(err, fs.ErrExist) {
		return readKeyFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	return key, nil
}
