package postgres

import (
	"time"

	"guichet"
	"guichet/internal/store/tables"
)

// The SQLSTATEs end_claim (migration 0006) raises.
const (
	sqlstateClaimNotPending = "GC001"
	sqlstateClaimMissing    = "GC002"
)

var (
	// leaseClaims takes the pending claims due for settling, oldest first,
	// and leases them; SKIP LOCKED leaves those another instance is
	// leasing.
	leaseClaims = `UPDATE claims SET settle_after = $2 WHERE (shop_id, key) IN (
			SELECT shop_id, key FROM claims WHERE state = 'pending' AND settle_after <= $1
			ORDER BY settle_after, at LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING ` + tables.Claims.Columns
	claimByKey = "SELECT " + tables.Claims.Columns + " FROM claims WHERE shop_id = $1 AND key = $2"
)

// BeginClaim queues the insert of a pending claim, reported as a
// duplicate like Claim's. A pending claim names no transaction yet.
func (t *tx) BeginClaim(c *guichet.Claim) error {
	if err := t.check(true); err != nil {
		return err
	}
	pending := *c
	pending.State, pending.TransactionID = guichet.ClaimPending, ""
	return t.queueClaim(pending)
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
// one statement.
func (t *tx) LeaseClaims(now, until time.Time, limit int) ([]guichet.Claim, error) {
	if err := t.check(true); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	return list(t, "lease claims", tables.Claims.Scan, leaseClaims, timeArg(now), timeArg(until), limit)
}

// ClaimOf returns the claim of a key.
func (t *tx) ClaimOf(shopID, key string) (*guichet.Claim, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load claim", tables.Claims.Scan, claimByKey, shopID, key)
	return tables.First(l, err, "claim")
}
