package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/store/postgres"
	"guichet/internal/store/storetest"
)

func TestStore(t *testing.T) {
	url := postgres.TestURL(t)
	storetest.Run(t, func(t *testing.T) guichet.Store {
		s, err := postgres.Open(t.Context(), url)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}

// TestConcurrentOpen starts several stores on a new database at once: the
// advisory lock must let exactly one of them create the schema.
func TestConcurrentOpen(t *testing.T) {
	url := postgres.TestURL(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	stores := make([]*postgres.Store, n)
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(context.Background(), url) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
			continue
		}
		if err := stores[i].Close(); err != nil {
			t.Errorf("Close %d: %v", i, err)
		}
	}
}

// TestDeferredClaimConflict checks what queuing inserts until the commit
// implies: Claim of a key claimed by an earlier Update returns nil, and the
// conflict then fails the whole Update, which keeps nothing, even when its
// function ignored the error a read reported.
func TestDeferredClaimConflict(t *testing.T) {
	s, err := postgres.Open(t.Context(), postgres.TestURL(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	ctx := t.Context()
	at := time.Now().UTC()
	if err := s.Update(ctx, func(tx guichet.Tx) error { return tx.Claim("shop", "key", at) }); err != nil {
		t.Fatalf("first Claim: %v", err)
	}
	for _, read := range []bool{false, true} {
		id := fmt.Sprintf("tx_%v", read)
		err := s.Update(ctx, func(tx guichet.Tx) error {
			if err := tx.Claim("shop", "key", at); err != nil {
				return err
			}
			n, err := tx.NextNumber()
			if err != nil {
				return err
			}
			tr := &guichet.Transaction{ID: id, ShopID: "shop", Number: n, Reference: "r", Currency: "EUR",
				Amount: 100, Status: guichet.StatusAuthorized, CreatedAt: at}
			if err := tx.PutTransaction(tr); err != nil {
				return err
			}
			if err := tx.Emit(guichet.Event{ShopID: "shop", TransactionID: id, Type: "transaction.authorized", At: at}); err != nil {
				return err
			}
			if read {
				// The read sends the queued inserts and reports the
				// conflict; the function ignores it.
				if _, err := tx.Transaction(id); guichet.ErrorReason(err) != guichet.ReasonDuplicate {
					t.Errorf("read after a duplicate claim: %v", err)
				}
			}
			return nil
		})
		if guichet.ErrorCode(err) != guichet.CodeConflict || guichet.ErrorReason(err) != guichet.ReasonDuplicate {
			t.Errorf("Update with a duplicate claim (read %v): %v, want a duplicate conflict", read, err)
		}
		err = s.View(ctx, func(tx guichet.Tx) error {
			if _, err := tx.Transaction(id); guichet.ErrorCode(err) != guichet.CodeNotFound {
				t.Errorf("transaction of the failed Update: %v, want not found", err)
			}
			events, err := tx.Events(id)
			if len(events) != 0 {
				t.Errorf("the failed Update left %d events", len(events))
			}
			return err
		})
		if err != nil {
			t.Fatalf("View: %v", err)
		}
	}
}
