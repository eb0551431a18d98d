package backoffice

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"guichet/internal/core"
	"guichet/internal/secretfile"
)

// TokenFile is where each instance keeps a copy of the sandbox API token,
// for the operator to read.
const TokenFile = "admin.token"

// EnvToken is the environment variable that sets the token.
const EnvToken = "GUICHET_ADMIN_TOKEN"

// tokenSecret names the token among the installation's shared secrets.
const tokenSecret = "backoffice.admin-token"

// minTokenLen is the shortest token accepted.
const minTokenLen = 16

// SharedToken returns the bearer token of the sandbox API. GUICHET_ADMIN_TOKEN
// wins when set; every instance behind a load balancer must then be given
// the same. Otherwise the token is shared by every instance through the
// store, and each keeps a copy in <dataDir>/admin.token.
//
// The token is kept sealed by the vault, not hashed: every instance must be
// able to print it in its banner and write it to its own data directory,
// which a hash would not allow, and a sealed value is as unreadable without
// the master key as the cards are. It is also safer against someone who can
// write to the database: a hash could be replaced by the hash of a token of
// their own, while a sealed value cannot be forged without the master key.
//
// The first instance stores the token of its admin.token file when it has
// one, so that the token existing users know keeps working; otherwise it
// generates one. An instance whose file holds another token replaces it with
// the shared one, since every instance must accept the same token.
func SharedToken(ctx context.Context, svc *core.Service, log *slog.Logger, getenv func(string) string, dataDir string) (string, error) {
	if t := strings.TrimSpace(getenv(EnvToken)); t != "" {
		if len(t) < minTokenLen {
			return "", fmt.Errorf("%s must have at least %d characters", EnvToken, minTokenLen)
		}
		return t, nil
	}
	path := filepath.Join(dataDir, TokenFile)
	local, err := readToken(path)
	if err != nil {
		return "", err
	}
	shared, err := svc.SharedSecret(ctx, tokenSecret, func() ([]byte, error) {
		if local != "" {
			return []byte(local), nil
		}
		var raw [24]byte
		rand.Read(raw[:])
		return []byte(hex.EncodeToString(raw[:])), nil
	})
	if err != nil {
		return "", err
	}
	token := string(shared)
	if token == local {
		return token, nil
	}
	if local != "" {
		// The token itself is not logged: the log is no place for it.
		log.Warn("admin token file replaced by the token every instance shares", "path", path)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", err
	}
	if err := secretfile.Write(path, []byte(token+"\n")); err != nil {
		return "", err
	}
	return token, nil
}

// readToken reads a token file; an absent one is the empty token.
func readToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	t := strings.TrimSpace(string(b))
	if len(t) < minTokenLen {
		return "", fmt.Errorf("%s: token too short", path)
	}
	return t, nil
}
