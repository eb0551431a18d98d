package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
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

// inOneBatch runs fns as one batch of the writer of s, in order, by
// holding the writer with a first function until the others are queued,
// and returns their outcomes.
func inOneBatch(t *testing.T, s *Store, fns ...func(guichet.Tx) error) []error {
	ctx := context.Background()
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

	batch := func(fns ...func(guichet.Tx) error) []error { return inOneBatch(t, s, fns...) }

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
		storetest.CheckPayments(t, tx, map[string]bool{"t1": true, "t2": false, "t3": true, "t5": true, "t6": false, "t7": true, "t8": true})
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

// TestDeferredInsertsModel runs random batches of payments, some reusing a
// key, some reading first, some failing after writing, and readers, and
// checks every outcome and the stored rows against running the same
// functions one after the other.
func TestDeferredInsertsModel(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "guichet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Now().UTC().Truncate(time.Microsecond)
	rng := rand.New(rand.NewPCG(8, 2026))
	const keys = 16
	taken := map[string]bool{} // keys claimed, in the model
	written := []string{}      // transactions written, in the model
	var ids []string
	for round := range 60 {
		var fns []func(guichet.Tx) error
		var want []string     // "ok", "duplicate" or "invalid"
		first := len(written) // written[first:] are this batch's
		for u := range 1 + rng.IntN(12) {
			id := fmt.Sprintf("r%d-%d", round, u)
			key := fmt.Sprintf("k%d", rng.IntN(keys))
			kind := rng.IntN(4)
			if kind == 3 && len(written) == 0 {
				kind = 0
			}
			ids = append(ids, id)
			switch kind {
			case 0, 1: // a payment, reading first or not
				readFirst := kind == 1
				fns = append(fns, func(tx guichet.Tx) error {
					if readFirst {
						if _, err := tx.Transaction(id); guichet.ErrorCode(err) != guichet.CodeNotFound {
							return fmt.Errorf("read of %s before it is written: %v", id, err)
						}
					}
					return payment(tx, id, key, at)
				})
				if taken[key] {
					want = append(want, "duplicate")
				} else {
					taken[key] = true
					written = append(written, id)
					want = append(want, "ok")
				}
			case 2: // a payment that fails after writing
				fns = append(fns, func(tx guichet.Tx) error {
					if err := payment(tx, id, key, at); err != nil {
						return err
					}
					return guichet.Errorf(guichet.CodeInvalid, "refused")
				})
				// With its key taken, the function may learn it
				// from Claim or not (the insert is deferred): either
				// way its Update fails and keeps nothing.
				want = append(want, "invalid")
				if taken[key] {
					want[len(want)-1] = "invalid or duplicate"
				}
			case 3: // a reader of a payment written before it
				// Half the time, one written earlier in this batch.
				from := 0
				if first < len(written) && rng.IntN(2) == 0 {
					from = first
				}
				other := written[from+rng.IntN(len(written)-from)]
				fns = append(fns, func(tx guichet.Tx) error {
					tr, err := tx.Transaction(other)
					if err == nil && len(tr.Operations) != 2 {
						return fmt.Errorf("%s read with %d operations", other, len(tr.Operations))
					}
					return err
				})
				want = append(want, "ok")
			}
		}
		for i, err := range inOneBatch(t, s, fns...) {
			got := "ok"
			switch {
			case guichet.ErrorReason(err) == guichet.ReasonDuplicate:
				got = "duplicate"
			case guichet.ErrorCode(err) == guichet.CodeInvalid:
				got = "invalid"
			case err != nil:
				got = err.Error()
			}
			if got != want[i] && !(want[i] == "invalid or duplicate" && (got == "invalid" || got == "duplicate")) {
				t.Fatalf("round %d, function %d of %d: %s, want %s", round, i, len(fns), got, want[i])
			}
		}
	}
	present := map[string]bool{}
	for _, id := range written {
		present[id] = true
	}
	err = s.View(t.Context(), func(tx guichet.Tx) error {
		all := map[string]bool{}
		for _, id := range ids {
			all[id] = present[id]
		}
		storetest.CheckPayments(t, tx, all)
		for i := range keys {
			key := fmt.Sprintf("k%d", i)
			if _, err := tx.ClaimOf("shop", key); (err == nil) != taken[key] {
				t.Errorf("claim %s: %v, want present %v", key, err, taken[key])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
