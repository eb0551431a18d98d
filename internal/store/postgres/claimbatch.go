package postgres

import (
	"cmp"
	"context"
	"slices"

	"guichet"
	"guichet/internal/store/tables"
)

// claimBatch bounds how many claims go to the database in one statement.
const claimBatch = 64

// claimRequest is a pending claim waiting for the claim writer, and where
// its outcome goes.
type claimRequest struct {
	claim guichet.Claim
	done  chan error
}

// BeginClaim takes a pending claim in a commit of its own, shared with
// the claims of the requests that arrive meanwhile: the claim writer puts
// them in one INSERT, one round trip and one commit, where each used to
// take a transaction of its own. A payment's claim is the first of its
// two durable commits, and at many payments a second this one becomes
// cheap. The claim is durable when BeginClaim returns nil; a key used
// before is a conflict with ReasonDuplicate, as from Tx.BeginClaim.
func (s *Store) BeginClaim(ctx context.Context, c *guichet.Claim) error {
	r := claimRequest{claim: *c, done: make(chan error, 1)}
	r.claim.State, r.claim.TransactionID = guichet.ClaimPending, ""
	select {
	case s.claims <- r:
	case <-ctx.Done():
		return cancelled(ctx.Err())
	case <-s.claimsDone:
		return errClosed()
	}
	// Once queued, the claim may be written whatever happens to ctx: the
	// request is then answered by its error, and a claim it did not wait
	// for is one the janitor settles, as any claim left pending.
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return cancelled(ctx.Err())
	case <-s.claimsDone:
		return errClosed()
	}
}

// writeClaims is the goroutine that writes claims, as many at a time as
// have queued up while the previous batch was being written, so that
// waiting for one commit is all a claim costs under load.
func (s *Store) writeClaims() {
	defer close(s.claimsDone)
	batch := make([]claimRequest, 0, claimBatch)
	for {
		select {
		case r := <-s.claims:
			batch = append(batch[:0], r)
		gather:
			for len(batch) < claimBatch {
				select {
				case r := <-s.claims:
					batch = append(batch, r)
				default:
					break gather
				}
			}
			s.insertClaims(batch)
			clear(batch)
		case <-s.stop:
			return
		}
	}
}

// insertClaims writes a batch of claims in one statement and tells each
// request its outcome: written, or a duplicate when its key was claimed
// before, by an earlier batch, another instance, or a request before it in
// this batch. The rows go in key order, so that two instances' batches,
// waiting on each other's uncommitted keys, always wait in one direction
// and never deadlock.
func (s *Store) insertClaims(batch []claimRequest) {
	slices.SortStableFunc(batch, func(a, b claimRequest) int {
		return cmp.Or(cmp.Compare(a.claim.ShopID, b.claim.ShopID), cmp.Compare(a.claim.Key, b.claim.Key))
	})
	var rows []guichet.Claim
	var args []any
	var first []bool // first[i]: batch[i] is the first of its key in the batch
	for i, r := range batch {
		dup := i > 0 && batch[i-1].claim.ShopID == r.claim.ShopID && batch[i-1].claim.Key == r.claim.Key
		first = append(first, !dup)
		if !dup {
			rows = append(rows, r.claim)
			args = tables.Claims.Append(dialect, args, r.claim)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), claimTimeout)
	defer cancel()
	written := map[[2]string]bool{}
	err := func() error {
		res, err := s.pool.Query(ctx, tables.Claims.Insert(dialect, len(rows))+
			" ON CONFLICT (shop_id, key) DO NOTHING RETURNING shop_id, key", args...)
		if err != nil {
			return err
		}
		defer res.Close()
		for res.Next() {
			var k [2]string
			if err := res.Scan(&k[0], &k[1]); err != nil {
				return err
			}
			written[k] = true
		}
		return res.Err()
	}()
	for i, r := range batch {
		switch {
		case err != nil:
			r.done <- convert(err, "claim")
		case first[i] && written[[2]string{r.claim.ShopID, r.claim.Key}]:
			r.done <- nil
		default:
			r.done <- duplicate()
		}
	}
}
