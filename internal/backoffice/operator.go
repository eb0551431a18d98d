package backoffice

import (
	"context"
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/secretfile"
)

// DemoOperator is the user the first start creates, so that a newcomer
// signs in to the back office with what the banner prints.
const DemoOperator = "operator"

// PasswordFile keeps the demo operator's password in the data directory,
// readable by its owner only.
const PasswordFile = "backoffice.password"

// EnsureOperator creates the demo operator on the first start and returns
// its password, read back from the data directory on later starts. An
// instance whose data directory lacks the file, the operator having been
// created by another instance sharing the database, returns "".
func EnsureOperator(ctx context.Context, svc *core.Service, dataDir string) (string, error) {
	path := filepath.Join(dataDir, PasswordFile)
	exists, err := svc.UserExists(ctx, DemoOperator)
	if err != nil {
		return "", err
	}
	if exists {
		b, err := secretfile.Read(path)
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil
		}
		return strings.TrimSpace(string(b)), err
	}
	// rand.Text is 26 letters and digits of base32, 130 bits.
	password := rand.Text()
	// The password is on disk before the user exists, so that a crash in
	// between never leaves a user whose password nobody knows.
	if err := secretfile.Write(path, []byte(password+"\n")); err != nil {
		return "", err
	}
	_, err = svc.AddUser(ctx, DemoOperator, guichet.RoleOperator, nil, password)
	if guichet.ErrorReason(err) == guichet.ReasonDuplicate {
		// Another instance created it at the same moment, with its own
		// password: this one's file would mislead.
		return "", os.Remove(path)
	}
	return password, err
}
