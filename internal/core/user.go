package core

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"guichet"

	"golang.org/x/crypto/argon2"
)

// SessionLife is how long a back-office session lasts after sign-in.
const SessionLife = 12 * time.Hour

// The argon2id parameters of new password hashes: 19 MiB, two passes, one
// thread, the smallest OWASP recommends, which keeps a sign-in near 30 ms
// on a small machine. Hashes carry their parameters, so raising them later
// leaves old hashes readable.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

var userName = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{0,63}$`)

// HashPassword hashes a password with argon2id under a fresh salt, in the
// PHC string format.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword reports whether password matches a hash HashPassword made.
// A hash it cannot read matches nothing.
func checkPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil || threads == 0 || passes == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when a user is unknown, so that signing in
// as nobody takes as long as with a wrong password and does not tell
// which names exist.
var dummyHash = HashPassword("guichet")

// AddUser creates a back-office user. A merchant user sees the shops
// named, which must exist; an operator sees them all.
func (s *Service) AddUser(ctx context.Context, name string, role guichet.Role, shops []string, password string) (*guichet.User, error) {
	if !userName.MatchString(name) {
		return nil, &guichet.Error{Code: guichet.CodeInvalid, Param: "name",
			Message: "a user name is 1 to 64 lower-case letters, digits, '.', '_', '@' or '-'"}
	}
	if role != guichet.RoleOperator && role != guichet.RoleMerchant {
		return nil, &guichet.Error{Code: guichet.CodeInvalid, Param: "role", Message: "the role is operator or merchant"}
	}
	if len(password) < 12 {
		return nil, &guichet.Error{Code: guichet.CodeInvalid, Param: "password", Message: "a password has at least 12 characters"}
	}
	if role == guichet.RoleOperator {
		shops = nil
	}
	u := &guichet.User{Name: name, Role: role, Shops: shops, Password: HashPassword(password), CreatedAt: s.clock.Now()}
	err := s.store.Update(ctx, func(tx guichet.Tx) error {
		if _, err := tx.User(name); err == nil {
			return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonDuplicate, Param: "name",
				Message: fmt.Sprintf("user %q exists already", name)}
		} else if guichet.ErrorCode(err) != guichet.CodeNotFound {
			return err
		}
		for _, id := range shops {
			if _, err := tx.Shop(id); err != nil {
				return err
			}
		}
		return tx.PutUser(u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// UserExists reports whether a back-office user of that name exists.
func (s *Service) UserExists(ctx context.Context, name string) (bool, error) {
	err := s.store.View(ctx, func(tx guichet.Tx) error {
		_, err := tx.User(name)
		return err
	})
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return false, nil
	}
	return err == nil, err
}

// SignIn checks a user's password and opens a session. It returns the
// session and the secret the browser keeps; the store keeps only the
// secret's hash. Wrong names and wrong passwords get the same error.
func (s *Service) SignIn(ctx context.Context, name, password string) (*guichet.Session, string, error) {
	var u *guichet.User
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		u, err = tx.User(name)
		return err
	})
	if err != nil && guichet.ErrorCode(err) != guichet.CodeNotFound {
		return nil, "", err
	}
	hash := dummyHash
	if u != nil {
		hash = u.Password
	}
	if !checkPassword(hash, password) || u == nil {
		return nil, "", guichet.Errorf(guichet.CodeUnauthorized, "wrong user name or password")
	}
	secret, csrf := randomText(), randomText()
	now := s.clock.Now()
	ses := &guichet.Session{ID: sessionID(secret), User: u.Name, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(SessionLife)}
	if err := s.store.Update(ctx, func(tx guichet.Tx) error { return tx.PutSession(ses) }); err != nil {
		return nil, "", err
	}
	return ses, secret, nil
}

// Session finds the session a browser's secret opens, and its user. An
// expired session, or one whose user is gone, is CodeUnauthorized.
func (s *Service) Session(ctx context.Context, secret string) (*guichet.Session, *guichet.User, error) {
	var ses *guichet.Session
	var u *guichet.User
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		if ses, err = tx.Session(sessionID(secret)); err != nil {
			return err
		}
		u, err = tx.User(ses.User)
		return err
	})
	if guichet.ErrorCode(err) == guichet.CodeNotFound || err == nil && !s.clock.Now().Before(ses.ExpiresAt) {
		return nil, nil, guichet.Errorf(guichet.CodeUnauthorized, "the session ended")
	}
	if err != nil {
		return nil, nil, err
	}
	return ses, u, nil
}

// SignOut ends the session a browser's secret opens.
func (s *Service) SignOut(ctx context.Context, secret string) error {
	return s.store.Update(ctx, func(tx guichet.Tx) error { return tx.DeleteSession(sessionID(secret)) })
}

// PurgeSessions forgets the sessions that ended.
func (s *Service) PurgeSessions(ctx context.Context) (n int, err error) {
	err = s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		n, err = tx.DeleteSessions(s.clock.Now())
		return err
	})
	return n, err
}

// Journal lists the transactions a user may see, newest first, as the
// filter says.
func (s *Service) Journal(ctx context.Context, u *guichet.User, f guichet.JournalFilter) (list []guichet.Transaction, err error) {
	f.Shops = nil
	if u.Role != guichet.RoleOperator {
		f.Shops = append([]string{}, u.Shops...)
	}
	err = s.store.View(ctx, func(tx guichet.Tx) (err error) {
		list, err = tx.Journal(f)
		return err
	})
	return list, err
}

// Record writes what a back-office user did to the audit trail.
func (s *Service) Record(ctx context.Context, e guichet.AuditEntry) error {
	e.ID, e.At = s.NewID("au_"), s.clock.Now()
	return s.store.Update(context.WithoutCancel(ctx), func(tx guichet.Tx) error { return tx.AddAudit(e) })
}

// Audit lists what back-office users did to a transaction, oldest first.
func (s *Service) Audit(ctx context.Context, transactionID string) (list []guichet.AuditEntry, err error) {
	err = s.store.View(ctx, func(tx guichet.Tx) (err error) {
		list, err = tx.Audit(transactionID)
		return err
	})
	return list, err
}

func randomText() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func sessionID(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
