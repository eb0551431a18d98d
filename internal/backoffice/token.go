package backoffice

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// TokenFile is where a generated sandbox-control token is kept.
const TokenFile = "admin.token"

// LoadOrCreateToken returns the bearer token of the sandbox API:
// GUICHET_ADMIN_TOKEN when set, otherwise the one in <dataDir>/admin.token,
// generated on first use and readable by its owner only.
func LoadOrCreateToken(getenv func(string) string, dataDir string) (string, error) {
	if t := strings.TrimSpace(getenv("GUICHET_ADMIN_TOKEN")); t != "" {
		if len(t) < 16 {
			return "", errors.New("GUICHET_ADMIN_TOKEN must have at least 16 characters")
		}
		return t, nil
	}
	path := filepath.Join(dataDir, TokenFile)
	b, err := os.ReadFile(path)
	if err == nil {
		if t := strings.TrimSpace(string(b)); len(t) >= 16 {
			return t, nil
		}
		return "", fmt.Errorf("%s: token too short", path)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	var raw [24]byte
	rand.Read(raw[:])
	t := hex.EncodeToString(raw[:])
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		// Another instance created it first; use theirs.
		return LoadOrCreateToken(getenv, dataDir)
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := f.WriteString(t + "\n"); err != nil {
		return "", err
	}
	return t, f.Sync()
}
