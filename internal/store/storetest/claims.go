package storetest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"guichet"
)

// testPendingClaims covers the claims a payment takes before it reaches
// the acquirer: pending, then done or failed exactly once, and found
// again by the janitor when nothing ended them.
func testPendingClaims(t *testing.T, h *harness) {
	shop := randomID("shop")
	at := base()
	req := []byte(`{"kind":"authorize","card":"sealed bytes"}`)
	begin := func(key string, settle time.Time) error {
		return h.store.Update(t.Context(), func(tx guichet.Tx) error {
			return tx.BeginClaim(&guichet.Claim{ShopID: shop, Key: key, At: at, Request: req, SettleAfter: settle})
		})
	}
	if err := begin("k1", at.Add(time.Minute)); err != nil {
		t.Fatalf("BeginClaim: %v", err)
	}
	// A key is claimed once, whether the claim is pending or done.
	err := begin("k1", at.Add(time.Minute))
	wantCode(t, err, guichet.CodeConflict, "BeginClaim twice")
	if r := guichet.ErrorReason(err); r != guichet.ReasonDuplicate {
		t.Errorf("BeginClaim twice: reason %q, want %q", r, guichet.ReasonDuplicate)
	}
	h.update(t, func(tx guichet.Tx) error { return tx.Claim(shop, "done", at) })
	wantCode(t, begin("done", at), guichet.CodeConflict, "BeginClaim of a done key")

	// Not due yet: not leased.
	if got := leased(t, h, shop, at, at.Add(time.Minute)); len(got) != 0 {
		t.Errorf("leased before SettleAfter: %v", got)
	}
	// Due: leased once, with its request, and pushed to the lease's end.
	due := at.Add(2 * time.Minute)
	got := leased(t, h, shop, due, due.Add(time.Minute))
	if len(got) != 1 || got[0].Key != "k1" || got[0].State != guichet.ClaimPending || !bytes.Equal(got[0].Request, req) ||
		!got[0].At.Equal(at) || !got[0].SettleAfter.Equal(due.Add(time.Minute)) {
		t.Fatalf("leased %+v", got)
	}
	if again := leased(t, h, shop, due, due.Add(time.Minute)); len(again) != 0 {
		t.Errorf("leased twice within the lease: %+v", again)
	}

	// Ended once: a second end, in another state or the same, is a
	// conflict that undoes the unit of work it is part of.
	h.update(t, func(tx guichet.Tx) error { return tx.EndClaim(shop, "k1", guichet.ClaimDone, "tx_1") })
	err = h.store.Update(t.Context(), func(tx guichet.Tx) error {
		if err := tx.Claim(shop, "beside", at); err != nil {
			return err
		}
		return tx.EndClaim(shop, "k1", guichet.ClaimFailed, "")
	})
	wantCode(t, err, guichet.CodeConflict, "EndClaim of an ended claim")
	if err := h.store.Update(t.Context(), func(tx guichet.Tx) error { return tx.Claim(shop, "beside", at) }); err != nil {
		t.Errorf("the unit of work of a refused EndClaim kept its other writes: %v", err)
	}
	err = h.store.Update(t.Context(), func(tx guichet.Tx) error { return tx.EndClaim(shop, "nobody", guichet.ClaimDone, "") })
	wantCode(t, err, guichet.CodeNotFound, "EndClaim of no claim")
	if later := leased(t, h, shop, due.Add(time.Hour), due.Add(2*time.Hour)); len(later) != 0 {
		t.Errorf("an ended claim was leased: %+v", later)
	}

	// Concurrent claims of one key: one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if begin("race", at) == nil {
				mu.Lock()
				won++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("%d concurrent BeginClaim of one key won, want 1", won)
	}
}

// leased leases the due claims and returns those of shop.
func leased(t *testing.T, h *harness, shop string, now, until time.Time) []guichet.Claim {
	t.Helper()
	var mine []guichet.Claim
	h.update(t, func(tx guichet.Tx) error {
		list, err := tx.LeaseClaims(now, until, 100)
		for _, c := range list {
			if c.ShopID == shop {
				mine = append(mine, c)
			}
		}
		return err
	})
	return mine
}

// testPurgeClaims: the ended claims made before a time go, in as many
// batches as it takes; pending claims and later ones stay, and a key
// purged may be claimed again.
func testPurgeClaims(t *testing.T, h *harness) {
	shop := randomID("shop")
	// Long before any other test's claims, which this purge must not
	// reach.
	old := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	h.update(t, func(tx guichet.Tx) error {
		for i := range 1005 {
			if err := tx.Claim(shop, fmt.Sprintf("old-%d", i), old.Add(time.Duration(i)*time.Second)); err != nil {
				return err
			}
		}
		if err := tx.BeginClaim(&guichet.Claim{ShopID: shop, Key: "pending", At: old, SettleAfter: old}); err != nil {
			return err
		}
		if err := tx.BeginClaim(&guichet.Claim{ShopID: shop, Key: "failed", At: old, SettleAfter: old}); err != nil {
			return err
		}
		if err := tx.EndClaim(shop, "failed", guichet.ClaimFailed, ""); err != nil {
			return err
		}
		return tx.Claim(shop, "recent", old.AddDate(0, 6, 0))
	})
	n, err := h.store.PurgeClaims(t.Context(), old.AddDate(0, 1, 0))
	if err != nil || n != 1006 {
		t.Fatalf("PurgeClaims = %d, %v; want 1006", n, err)
	}
	h.view(t, func(tx guichet.Tx) error {
		for key, kept := range map[string]bool{"old-0": false, "old-1004": false, "failed": false, "pending": true, "recent": true} {
			_, err := tx.ClaimOf(shop, key)
			if got := err == nil; got != kept {
				t.Errorf("claim %s kept %v, want %v (%v)", key, got, kept, err)
			}
		}
		return nil
	})
	h.update(t, func(tx guichet.Tx) error { return tx.Claim(shop, "old-0", old.AddDate(1, 0, 0)) })
	if n, err := h.store.PurgeClaims(t.Context(), old.AddDate(0, 1, 0)); err != nil || n != 0 {
		t.Errorf("a second purge deleted %d (%v)", n, err)
	}
}
