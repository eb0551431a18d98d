package sqlite

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"guichet"
	"guichet/internal/store/storetest"
)

// payment writes what a payment's record writes (storetest.WritePayment),
// numbered by the store.
func payment(tx guichet.Tx, id, key string, at time.Time) error {
	n, err := tx.NextNumber()
	if err != nil {
		return err
	}
	return storetest.WritePayment(tx, "shop", id, key, n*10, at)
}

// TestDeferredInserts puts functions in one batch, in a known order, by
// holding the writer with a first function until the others are queued.
// The payments' inserts are deferred, and run together; a duplicate key
// among them has each run alone, with the outcome it would have had
// alone; a function that reads sees what the functions before it wrote.
func TestDeferredInserts(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "guichet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Now().UTC().Truncate(time.Microsecond)
	ctx := context.Background()

	// batch runs fns as one batch, in order, and returns their outcomes.
	batch := func(fns ...func(guichet.Tx) error) []error {
		holding, release := make(chan struct{}), make(chan struct{})
		held := make(chan error, 1)
		go func() {
			held <- s.Update(ctx, func(guichet.Tx) error {
				close(holding)
				<-release
				return nil
			})
		}()
		<-holding
		outcomes := make([]chan error, len(fns))
		for i, fn := range fns {
			outcomes[i] = make(chan error, 1)
			go func() { outcomes[i] <- s.Update(ctx, fn) }()
			for len(s.requests) < i+1 {
				runtime.Gosched() // until it is queued, behind those before it
			}
		}
		close(release)
		if err := <-held; err != nil {
			t.Fatal(err)
		}
		errs := make([]error, len(fns))
		for i := range fns {
			errs[i] = <-outcomes[i]
		}
		return errs
	}

	errs := batch(
		func(tx guichet.Tx) error { return payment(tx, "t1", "k1", at) },
		func(tx guichet.Tx) error { return payment(tx, "t2", "k1", at) }, // t1's key
		func(tx guichet.Tx) error { return payment(tx, "t3", "k3", at) },
		func(tx guichet.Tx) error {
			// A read: the payments before it are written first.
			tr, err := tx.Transaction("t1")
			if err == nil && len(tr.Operations) != 2 {
				t.Errorf("t1 as read by the next function: %d operations", len(tr.Operations))
			}
			return err
		},
		func(tx guichet.Tx) error {
			// A payment that reads first writes at once, in its
			// savepoint, and sees its own writes.
			if _, err := tx.Transaction("t5"); guichet.ErrorCode(err) != guichet.CodeNotFound {
				t.Errorf("t5 before it is written: %v", err)
			}
			if err := payment(tx, "t5", "k5", at); err != nil {
				return err
			}
			_, err := tx.ClaimOf("shop", "k5")
			return err
		},
		func(tx guichet.Tx) error {
			// A function that fails keeps nothing it deferred.
			if err := payment(tx, "t6", "k6", at); err != nil {
				return err
			}
			return guichet.Errorf(guichet.CodeInvalid, "refused after writing")
		},
	)
	if errs[0] != nil || guichet.ErrorReason(errs[1]) != guichet.ReasonDuplicate || errs[2] != nil || errs[3] != nil ||
		errs[4] != nil || guichet.ErrorCode(errs[5]) != guichet.CodeInvalid {
		t.Errorf("outcomes %v; want nil, a duplicate, nil, nil, nil, invalid", errs)
	}
	// The three payments were first tried together, in one statement per
	// table, which the writer keeps prepared.
	if _, ok := s.writer.stmts[claimRows.texts[2]]; !ok {
		t.Error("the three claims were not inserted by one statement")
	}

	errs = batch(
		func(tx guichet.Tx) error { return payment(tx, "t7", "k7", at) },
		func(tx guichet.Tx) error { return payment(tx, "t8", "k8", at) },
	)
	if errs[0] != nil || errs[1] != nil {
		t.Errorf("outcomes %v; want nil, nil", errs)
	}

	err = s.View(ctx, func(tx guichet.Tx) error {
		for id, present := range map[string]bool{"t1": true, "t2": false, "t3": true, "t5": true, "t6": false, "t7": true, "t8": true} {
			tr, err := tx.Transaction(id)
			switch {
			case present && (err != nil || len(tr.Operations) != 2):
				t.Errorf("transaction %s: %v, %v", id, tr, err)
			case !present && guichet.ErrorCode(err) != guichet.CodeNotFound:
				t.Errorf("transaction %s, whose function failed: %v, want not found", id, err)
			}
			events, err := tx.Events(id)
			if err != nil {
				return err
			}
			if n := map[bool]int{true: 2}[present]; len(events) != n {
				t.Errorf("transaction %s: %d events, want %d", id, len(events), n)
			}
		}
		for key, present := range map[string]bool{"k1": true, "k3": true, "k5": true, "k6": false, "k7": true} {
			if _, err := tx.ClaimOf("shop", key); (err == nil) != present {
				t.Errorf("claim %s: %v, want present %v", key, err, present)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
