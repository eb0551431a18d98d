package postgres

import (
	"slices"
	"time"

	"guichet"
	"guichet/internal/store/tables"
)

// The back office: its users, their sessions, the audit of what they did,
// and the journal of transactions. Its writes are queued, as those of
// orders.go are, but for DeleteSessions, which must count what it deleted.

// Users and sessions.

var (
	userByName = "SELECT " + tables.Users.Columns + " FROM users WHERE name = $1"
	allUsers   = "SELECT " + tables.Users.Columns + " FROM users ORDER BY name"
	upsertUser = tables.Users.Insert(dialect, 1) + " ON CONFLICT (name) DO UPDATE SET " + tables.Users.Excluded("name")

	sessionByID   = "SELECT " + tables.Sessions.Columns + " FROM sessions WHERE id = $1"
	insertSession = tables.Sessions.Insert(dialect, 1)

	insertAudit = tables.Audit.Insert(dialect, 1)
	auditOf     = "SELECT " + tables.Audit.Columns + " FROM audit WHERE transaction_id = $1 ORDER BY at NULLS FIRST, seq"
	// The index audit_shop (shop_id, at NULLS FIRST, seq) gives this order
	// read backwards, without a sort.
	auditOfShop = "SELECT " + tables.Audit.Columns + " FROM audit WHERE shop_id = $1 ORDER BY at DESC NULLS LAST, seq DESC LIMIT $2"
)

func (t *tx) User(name string) (*guichet.User, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load user", tables.Users.Scan, userByName, name)
	return tables.First(l, err, "user")
}

// PutUser queues the insert of the user, or the replacement of every field
// of the one with its name: an upsert on the primary key, which no other
// constraint can refuse.
func (t *tx) PutUser(u *guichet.User) error {
	if err := t.check(true); err != nil {
		return err
	}
	if u.Name == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "user name missing", Param: "name"}
	}
	t.queue(statement{sql: upsertUser, args: tables.Users.Append(dialect, nil, *u), doing: "save user"})
	return nil
}

func (t *tx) Users() ([]guichet.User, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return list(t, "list users", tables.Users.Scan, allUsers)
}

func (t *tx) Session(id string) (*guichet.Session, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load session", tables.Sessions.Scan, sessionByID, id)
	return tables.First(l, err, "session")
}

// PutSession queues the insert of the session. An ID in use, which only a
// broken random source could give, is a conflict that fails the whole
// Update when the insert is sent.
func (t *tx) PutSession(s *guichet.Session) error {
	if err := t.check(true); err != nil {
		return err
	}
	if s.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "session ID missing", Param: "id"}
	}
	t.queue(statement{
		sql:   insertSession,
		args:  tables.Sessions.Append(dialect, nil, *s),
		doing: "save session",
		conflict: func() *guichet.Error {
			return &guichet.Error{Code: guichet.CodeConflict, Message: "session already exists"}
		},
	})
	return nil
}

// DeleteSession queues the delete of the session; deleting one that is not
// there is no error.
func (t *tx) DeleteSession(id string) error {
	if err := t.check(true); err != nil {
		return err
	}
	t.queue(statement{sql: "DELETE FROM sessions WHERE id = $1", args: []any{id}, doing: "delete session"})
	return nil
}

// DeleteSessions deletes the sessions that expired before before, found by
// the index on their expiry, at once, to count them. A session without an
// expiry time (NULL) never expires, and stays.
func (t *tx) DeleteSessions(before time.Time) (int, error) {
	if err := t.check(true); err != nil {
		return 0, err
	}
	conn, err := t.sync()
	if err != nil {
		return 0, err
	}
	tag, err := conn.Exec(t.ctx, "DELETE FROM sessions WHERE expires_at < $1", timeArg(before))
	if err != nil {
		return 0, convert(err, "delete sessions")
	}
	return int(tag.RowsAffected()), nil
}

// Audit.

// AddAudit queues the insert of the entry; one without an ID gets one. An
// ID in use is a conflict that fails the whole Update.
func (t *tx) AddAudit(e guichet.AuditEntry) error {
	if err := t.check(true); err != nil {
		return err
	}
	if e.ID == "" {
		e.ID = guichet.NewID("", time.Now())
	}
	t.queue(statement{
		sql:   insertAudit,
		args:  tables.Audit.Append(dialect, nil, e),
		doing: "add audit entry",
		conflict: func() *guichet.Error {
			return &guichet.Error{Code: guichet.CodeConflict, Message: "audit entry already exists"}
		},
	})
	return nil
}

func (t *tx) Audit(transactionID string) ([]guichet.AuditEntry, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return list(t, "list audit", tables.Audit.Scan, auditOf, transactionID)
}

// ShopAudit lists the shop's entries newest first; an entry without a
// time (NULL) sorts as the oldest, as it does first in Audit.
func (t *tx) ShopAudit(shopID string, limit int) ([]guichet.AuditEntry, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return list(t, "list shop audit", tables.Audit.Scan, auditOfShop, shopID, tables.AuditLimit(limit))
}

// Journal.

// journalSyntax writes the journal's query in PostgreSQL's SQL. A list of
// shops is passed as one text array.
var journalSyntax = &tables.JournalSyntax{
	Dialect:  dialect,
	Newest:   " ORDER BY created_at DESC NULLS LAST, number DESC",
	AnyShop:  func(p string) string { return "shop_id = ANY(" + p + ")" },
	ShopList: func(shops []string) any { return slices.Clone(shops) },
	// strpos, unlike LIKE, takes no character for a wildcard.
	Contains: func(column, p string) string { return "strpos(" + column + ", " + p + ") > 0" },
	// The expression of the index transactions_last_four.
	LastFour: "right(card_masked, 4)",
}

// Journal lists a page of transactions with their operations, without
// locking them: it serves listings, not changes. Its query is written from
// the fields of the filter that are set (see tables.JournalQuery), so that
// each combination gets a plan of its own that uses the index that fits,
// where one statement that tested each field for emptiness in SQL would get
// one generic plan for all.
func (t *tx) Journal(f guichet.JournalFilter) ([]guichet.Transaction, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	f, ok := tables.PlanJournal(f)
	if !ok {
		return nil, nil
	}
	query, args := tables.JournalQuery(journalSyntax, f, f.Limit, false)
	l, err := t.transactions(query, args...)
	if err != nil {
		return nil, err
	}
	if len(l) < f.Limit && tables.JournalNulls(f) {
		query, args = tables.JournalQuery(journalSyntax, f, f.Limit-len(l), true)
		more, err := t.transactions(query, args...)
		if err != nil {
			return nil, err
		}
		l = append(l, more...)
	}
	return l, nil
}
