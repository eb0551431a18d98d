package sqlite

import (
	"encoding/json"
	"time"

	"guichet"
	"guichet/internal/store/tables"
)

// The back office: its users, their sessions, the audit of what they did,
// and the journal of transactions.

// Users and sessions.

var (
	userByName = "SELECT " + tables.Users.Columns + " FROM users WHERE name = ?"
	allUsers   = "SELECT " + tables.Users.Columns + " FROM users ORDER BY name"
	upsertUser = tables.Users.Insert(dialect, 1) + " ON CONFLICT (name) DO UPDATE SET " + tables.Users.Excluded("name")

	sessionByID   = "SELECT " + tables.Sessions.Columns + " FROM sessions WHERE id = ?"
	insertSession = tables.Sessions.Insert(dialect, 1)

	insertAudit = tables.Audit.Insert(dialect, 1)
	auditOf     = "SELECT " + tables.Audit.Columns + " FROM audit WHERE transaction_id = ? ORDER BY at, rowid"
	// The index audit_shop (shop_id, at), which ends with the rowid, gives
	// this order read backwards, without a sort.
	auditOfShop = "SELECT " + tables.Audit.Columns + " FROM audit WHERE shop_id = ? ORDER BY at DESC, rowid DESC LIMIT ?"
)

func (t *tx) User(name string) (*guichet.User, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load user", tables.Users.Scan, userByName, name)
	return tables.First(l, err, "user")
}

// PutUser inserts the user, or replaces every field of the one with its
// name.
func (t *tx) PutUser(u *guichet.User) error {
	if err := t.check(true); err != nil {
		return err
	}
	if u.Name == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "user name missing", Param: "name"}
	}
	_, err := t.run.exec(upsertUser, tables.Users.Append(dialect, nil, *u)...)
	return convert(err, "save user")
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

// PutSession inserts the session; an ID in use is a conflict.
func (t *tx) PutSession(s *guichet.Session) error {
	if err := t.check(true); err != nil {
		return err
	}
	if s.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "session ID missing", Param: "id"}
	}
	_, err := t.run.exec(insertSession, tables.Sessions.Append(dialect, nil, *s)...)
	return convert(err, "save session")
}

func (t *tx) DeleteSession(id string) error {
	if err := t.check(true); err != nil {
		return err
	}
	_, err := t.run.exec("DELETE FROM sessions WHERE id = ?", id)
	return convert(err, "delete session")
}

// DeleteSessions deletes the sessions that expired before before, found by
// the index on their expiry. A session without an expiry time (NULL)
// never expires, and stays.
func (t *tx) DeleteSessions(before time.Time) (int, error) {
	if err := t.check(true); err != nil {
		return 0, err
	}
	res, err := t.run.exec("DELETE FROM sessions WHERE expires_at < ?", nanos(before))
	if err != nil {
		return 0, convert(err, "delete sessions")
	}
	n, err := res.RowsAffected()
	return int(n), convert(err, "delete sessions")
}

// Audit.

// AddAudit records the entry; one without an ID gets one.
func (t *tx) AddAudit(e guichet.AuditEntry) error {
	if err := t.check(true); err != nil {
		return err
	}
	if e.ID == "" {
		e.ID = guichet.NewID("", time.Now())
	}
	_, err := t.run.exec(insertAudit, tables.Audit.Append(dialect, nil, e)...)
	return convert(err, "add audit entry")
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

// journalSyntax writes the journal's query in SQLite's SQL. A list of shops
// is passed as one JSON array, which json_each reads back.
var journalSyntax = &tables.JournalSyntax{
	Dialect: dialect,
	Newest:  " ORDER BY created_at DESC, number DESC",
	AnyShop: func(p string) string { return "shop_id IN (SELECT value FROM json_each(" + p + "))" },
	ShopList: func(shops []string) any {
		clean := make([]string, len(shops))
		for i, s := range shops {
			clean[i] = guichet.StorableText(s)
		}
		b, _ := json.Marshal(clean)
		return string(b)
	},
	// instr, unlike LIKE, takes no character for a wildcard and tells
	// upper from lower case, as PostgreSQL's strpos does.
	Contains: func(column, p string) string { return "instr(" + column + ", " + p + ") > 0" },
	// The expression of the index transactions_last_four, written the
	// same, as SQLite uses an index on an expression only then.
	LastFour: "substr(card_masked, -4)",
}

// Journal lists a page of transactions with their operations. Its query
// is written from the fields of the filter that are set (see
// tables.JournalQuery), so it is not one constant statement, as the other
// queries of this store are: inside Update, the writer prepares and keeps
// each distinct statement it runs. What keeps that cache bounded is that
// the text depends only on which fields are set, never on their values nor
// on the number of shops listed; the combinations are finite (a few
// thousand at worst, a handful in use).
func (t *tx) Journal(f guichet.JournalFilter) ([]guichet.Transaction, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	f, ok := tables.PlanJournal(f)
	if !ok {
		return nil, nil
	}
	query, args := tables.JournalQuery(journalSyntax, f, f.Limit, false)
	l, err := list(t, "list journal", tables.Transactions.Scan, query, args...)
	if err != nil {
		return nil, err
	}
	if len(l) < f.Limit && tables.JournalNulls(f) {
		query, args = tables.JournalQuery(journalSyntax, f, f.Limit-len(l), true)
		more, err := list(t, "list journal", tables.Transactions.Scan, query, args...)
		if err != nil {
			return nil, err
		}
		l = append(l, more...)
	}
	if err := t.pageOperations(l); err != nil {
		return nil, err
	}
	return l, nil
}

// operationsOfPage reads the operations of a page of transactions, whose
// IDs are a JSON array, in one statement of constant text.
var operationsOfPage = "SELECT " + tables.Operations.Columns +
	" FROM operations WHERE transaction_id IN (SELECT value FROM json_each(?)) ORDER BY transaction_id, number"

// pageOperations loads the operations of the transactions of a page in one
// query, where loading each transaction's would cost a statement apiece:
// on a page of 50, those cost more than everything else together.
func (t *tx) pageOperations(l []guichet.Transaction) error {
	if len(l) == 0 {
		return nil
	}
	ids := make([]string, len(l))
	index := make(map[string]*guichet.Transaction, len(l))
	for i := range l {
		ids[i] = guichet.StorableText(l[i].ID)
		index[ids[i]] = &l[i]
	}
	b, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	ops, err := list(t, "load operations", tables.Operations.Scan, operationsOfPage, string(b))
	if err != nil {
		return err
	}
	for _, op := range ops {
		if tr := index[op.TransactionID]; tr != nil {
			tr.Operations = append(tr.Operations, op)
		}
	}
	if t.loaded == nil {
		t.loaded = make(map[string]int)
	}
	for i := range l {
		t.loaded[l[i].ID] = len(l[i].Operations)
	}
	return nil
}
