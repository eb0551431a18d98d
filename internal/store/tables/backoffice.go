package tables

import (
	"encoding/json"
	"fmt"
	"slices"

	"guichet"
)

// Users maps the back office's users. A user's shops are kept as a JSON
// array, or "" for none (an operator's): the list is read and written
// whole with its user, and never searched, so a table of its own would
// only cost a join.
var Users = Table[guichet.User]{
	Name:    "users",
	Columns: "name, role, shops, password, created_at",
	Append: func(d Dialect, args []any, u guichet.User) []any {
		return append(args, u.Name, string(u.Role), userShops(u.Shops), u.Password, d.Time(u.CreatedAt))
	},
	Scan: func(d Dialect, row Row, u *guichet.User) error {
		var shops string
		if err := row.Scan(&u.Name, (*string)(&u.Role), &shops, &u.Password, d.ScanTime(&u.CreatedAt)); err != nil || shops == "" {
			return err
		}
		if err := json.Unmarshal([]byte(shops), &u.Shops); err != nil {
			return fmt.Errorf("user %s: shops: %w", u.Name, err)
		}
		return nil
	},
}

// userShops is the column value of a user's shops. Each ID is made
// storable first, as every text a store writes is, so that the list holds
// the IDs the shops are stored under.
func userShops(shops []string) string {
	if len(shops) == 0 {
		return ""
	}
	b, _ := json.Marshal(storableList(shops))
	return string(b)
}

// storableList returns list with each string made storable by
// guichet.StorableText, copying it only when one changes.
func storableList(list []string) []string {
	var out []string
	for i, s := range list {
		if clean := guichet.StorableText(s); clean != s {
			if out == nil {
				out = slices.Clone(list)
			}
			out[i] = clean
		}
	}
	if out == nil {
		return list
	}
	return out
}

// Sessions maps the back office's sessions.
var Sessions = Table[guichet.Session]{
	Name:    "sessions",
	Columns: "id, user_name, csrf, created_at, expires_at",
	Append: func(d Dialect, args []any, s guichet.Session) []any {
		return append(args, s.ID, s.User, s.CSRF, d.Time(s.CreatedAt), d.Time(s.ExpiresAt))
	},
	Scan: func(d Dialect, row Row, s *guichet.Session) error {
		return row.Scan(&s.ID, &s.User, &s.CSRF, d.ScanTime(&s.CreatedAt), d.ScanTime(&s.ExpiresAt))
	},
}

// The number of entries ShopAudit lists when asked for none, and at most:
// a page of the back office, and a bound on what one call may read.
const (
	AuditDefaultLimit = 50
	AuditMaxLimit     = 500
)

// AuditLimit returns the number of entries ShopAudit lists when asked for
// limit.
func AuditLimit(limit int) int {
	switch {
	case limit <= 0:
		return AuditDefaultLimit
	case limit > AuditMaxLimit:
		return AuditMaxLimit
	}
	return limit
}

// Audit maps the record of what back-office users did. The column that
// orders the entries made at the same time, seq, belongs to the stores'
// queries.
var Audit = Table[guichet.AuditEntry]{
	Name:    "audit",
	Columns: "id, at, user_name, shop_id, transaction_id, action, detail",
	Append: func(d Dialect, args []any, e guichet.AuditEntry) []any {
		return append(args, e.ID, d.Time(e.At), e.User, e.ShopID, e.TransactionID, e.Action, e.Detail)
	},
	Scan: func(d Dialect, row Row, e *guichet.AuditEntry) error {
		return row.Scan(&e.ID, d.ScanTime(&e.At), &e.User, &e.ShopID, &e.TransactionID, &e.Action, &e.Detail)
	},
}
