package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"guichet"
)

// The SQLSTATEs end_claim (migration 0006) raises.
const (
	sqlstateClaimNotPending = "GC001"
	sqlstateClaimMissing    = "GC002"
)

// BeginClaim queues the insert of a pending claim, reported as a
// duplicate like Claim's.
func (t *tx) BeginClaim(c *guichet.Claim) error {
	if err := t.check(true); err != nil {
		return err
	}
	k := [2]string{c.ShopID, c.Key}
	if t.claimed[k] {
		return duplicate()
	}
	if t.claimed == nil {
		t.claimed = make(map[[2]string]bool)
	}
	t.claimed[k] = true
	t.queue(statement{
		sql: `INSERT INTO claims (shop_id, key, at, state, request, settle_after)
			VALUES ($1, $2, $3, 'pending', $4, $5)`,
		args:     []any{c.ShopID, c.Key, timeArg(c.At), blob(c.Request), timeArg(c.SettleAfter)},
		doing:    "claim",
		conflict: duplicate,
	})
	return nil
}

// EndClaim queues the end of a pending claim. end_claim raises an error
// when the claim is not pending, which aborts the unit of work when the
// batch is sent: a claim is ended once, with the one record of its
// outcome.
func (t *tx) EndClaim(shopID, key string, state guichet.ClaimState, transactionID string) error {
	if err := t.check(true); err != nil {
		return err
	}
	t.queue(statement{
		sql:   "SELECT end_claim($1, $2, $3, $4)",
		args:  []any{shopID, key, string(state), transactionID},
		doing: "end claim",
	})
	return nil
}

// LeaseClaims takes the pending claims due for settling and leases them in
// one statement; SKIP LOCKED leaves those another instance is leasing.
func (t *tx) LeaseClaims(now, until time.Time, limit int) ([]guichet.Claim, error) {
	if err := t.check(true); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	return list(t, "lease claims", scanClaim, `UPDATE claims SET settle_after = $2 WHERE (shop_id, key) IN (
			SELECT shop_id, key FROM claims WHERE state = 'pending' AND settle_after <= $1
			ORDER BY settle_after, at LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING shop_id, key, at, state, request, transaction_id, settle_after`,
		timeArg(now), timeArg(until), limit)
}

// ClaimOf returns the claim of a key.
func (t *tx) ClaimOf(shopID, key string) (*guichet.Claim, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load claim", scanClaim, `SELECT shop_id, key, at, state, request, transaction_id, settle_after
		FROM claims WHERE shop_id = $1 AND key = $2`, shopID, key)
	if err != nil {
		return nil, err
	}
	if len(l) == 0 {
		return nil, notFound("claim")
	}
	return &l[0], nil
}

func scanClaim(row pgx.CollectableRow) (guichet.Claim, error) {
	var c guichet.Claim
	var at, settle pgtype.Timestamptz
	var state string
	err := row.Scan(&c.ShopID, &c.Key, &at, &state, &c.Request, &c.TransactionID, &settle)
	c.At, c.State, c.SettleAfter = fromTime(at), guichet.ClaimState(state), fromTime(settle)
	return c, err
}
