package sqlite

import (
	"time"

	"guichet"
	"guichet/internal/store/tables"
)

var (
	// dueClaims lists the pending claims due for settling, oldest first.
	dueClaims = "SELECT " + tables.Claims.Columns + ` FROM claims
		WHERE state = 'pending' AND settle_after <= ? ORDER BY settle_after, at LIMIT ?`
	claimByKey = "SELECT " + tables.Claims.Columns + " FROM claims WHERE shop_id = ? AND key = ?"
)

// BeginClaim inserts a pending claim; a key claimed before is a duplicate,
// whatever became of it. A pending claim names no transaction yet.
func (t *tx) BeginClaim(c *guichet.Claim) error {
	if err := t.check(true); err != nil {
		return err
	}
	pending := *c
	pending.State, pending.TransactionID = guichet.ClaimPending, ""
	return t.insertClaim(pending)
}

// EndClaim moves a pending claim to its final state. The request
// description is dropped: it held the sealed card, which the claim no
// longer needs.
func (t *tx) EndClaim(shopID, key string, state guichet.ClaimState, transactionID string) error {
	if err := t.check(true); err != nil {
		return err
	}
	res, err := t.run.exec(`UPDATE claims SET state = ?, transaction_id = ?, request = NULL
		WHERE shop_id = ? AND key = ? AND state = 'pending'`, string(state), transactionID, shopID, key)
	if err != nil {
		return convert(err, "end claim")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return convert(err, "end claim")
	}
	if n == 1 {
		return nil
	}
	rows, err := t.run.query("SELECT 1 FROM claims WHERE shop_id = ? AND key = ?", shopID, key)
	if err != nil {
		return convert(err, "end claim")
	}
	found := rows.Next()
	rows.Close()
	if !found {
		return tables.NotFound("claim")
	}
	return guichet.Errorf(guichet.CodeConflict, "claim %s is no longer pending", key)
}

// LeaseClaims takes the pending claims due for settling. SQLite has one
// writer at a time, so the unit of work that reads them holds them.
func (t *tx) LeaseClaims(now, until time.Time, limit int) ([]guichet.Claim, error) {
	if err := t.check(true); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	l, err := list(t, "list claims", tables.Claims.Scan, dueClaims, nanos(now), limit)
	if err != nil {
		return nil, err
	}
	for i := range l {
		if _, err := t.run.exec("UPDATE claims SET settle_after = ? WHERE shop_id = ? AND key = ?",
			nanos(until), l[i].ShopID, l[i].Key); err != nil {
			return nil, convert(err, "lease claim")
		}
		l[i].SettleAfter = until
	}
	return l, nil
}

// ClaimOf returns the claim of a key.
func (t *tx) ClaimOf(shopID, key string) (*guichet.Claim, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load claim", tables.Claims.Scan, claimByKey, shopID, key)
	return tables.First(l, err, "claim")
}
