package sqlite

import (
	"database/sql"
	"time"

	"guichet"
)

// BeginClaim inserts a pending claim; a key claimed before is a duplicate,
// whatever became of it.
func (t *tx) BeginClaim(c *guichet.Claim) error {
	if err := t.check(true); err != nil {
		return err
	}
	res, err := t.run.exec(`INSERT INTO claims (shop_id, key, at, state, request, settle_after)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		c.ShopID, c.Key, nanos(c.At), string(guichet.ClaimPending), blob(c.Request), nanos(c.SettleAfter))
	if err != nil {
		return convert(err, "claim")
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err != nil {
			return convert(err, "claim")
		}
		return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonDuplicate, Message: "request already processed"}
	}
	return nil
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
		return notFound("claim")
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
	rows, err := t.run.query(`SELECT shop_id, key, at, state, request, transaction_id, settle_after FROM claims
		WHERE state = 'pending' AND settle_after <= ? ORDER BY settle_after, at LIMIT ?`, nanos(now), limit)
	if err != nil {
		return nil, convert(err, "list claims")
	}
	list, err := collect(rows, "list claims", scanClaim)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if _, err := t.run.exec("UPDATE claims SET settle_after = ? WHERE shop_id = ? AND key = ?",
			nanos(until), list[i].ShopID, list[i].Key); err != nil {
			return nil, convert(err, "lease claim")
		}
		list[i].SettleAfter = until
	}
	return list, nil
}

// ClaimOf returns the claim of a key.
func (t *tx) ClaimOf(shopID, key string) (*guichet.Claim, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	rows, err := t.run.query(`SELECT shop_id, key, at, state, request, transaction_id, settle_after FROM claims
		WHERE shop_id = ? AND key = ?`, shopID, key)
	if err != nil {
		return nil, convert(err, "load claim")
	}
	list, err := collect(rows, "load claim", scanClaim)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("claim")
	}
	return &list[0], nil
}

func scanClaim(rows *sql.Rows) (guichet.Claim, error) {
	var c guichet.Claim
	var at, settle sql.NullInt64
	var state string
	err := rows.Scan(&c.ShopID, &c.Key, &at, &state, &c.Request, &c.TransactionID, &settle)
	c.At, c.State, c.SettleAfter = fromNanos(at), guichet.ClaimState(state), fromNanos(settle)
	return c, err
}
