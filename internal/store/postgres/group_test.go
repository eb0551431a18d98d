package postgres

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/store/postgres/pgtest"
	"guichet/internal/store/storetest"
)

// queued returns what fn queues on a write tx that never talks to the
// database: the statements of a write-only unit of work.
func queued(t *testing.T, s *Store, fn func(*tx) error) []statement {
	t.Helper()
	u := &tx{ctx: t.Context(), s: s, write: true, begin: beginUpdate}
	if err := fn(u); err != nil {
		t.Fatal(err)
	}
	if u.conn != nil || len(u.pending) == 0 {
		t.Fatal("the unit talked to the database, or wrote nothing")
	}
	return u.pending
}

// payment queues what a payment's record writes (storetest.WritePayment).
func payment(id, key string, number int64, at time.Time) func(*tx) error {
	return func(u *tx) error { return storetest.WritePayment(u, "shop", id, key, number, at) }
}

// TestGroupCommit writes payments' records as one group: their inserts go
// in one statement per table and one database transaction. A group that
// PostgreSQL refuses (here, two payments with one key) is written unit by
// unit, each with the outcome it would have had alone.
func TestGroupCommit(t *testing.T) {
	s, err := Open(t.Context(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Now().UTC().Truncate(time.Microsecond)
	unit := func(id, key string, number int64) unitRequest {
		return unitRequest{stmts: queued(t, s, payment(id, key, number, at)), done: make(chan error, 1)}
	}

	batch := []unitRequest{unit("t1", "k1", 10), unit("t2", "k2", 20), unit("t3", "k3", 30)}
	merged := merge(batch)
	if len(merged) != 4 {
		t.Errorf("3 payments merged into %d statements, want 4 (claims, transactions, operations, events)", len(merged))
	}
	want := map[string]int{"claims": 3, "transactions": 3, "operations": 6, "events": 6}
	for _, st := range merged {
		switch {
		case st.into == nil:
			t.Errorf("merged statement %.40q inserts no rows", st.sql)
		case st.rows != want[st.into.table]:
			t.Errorf("merged statement %.40q: %d rows, want %d", st.sql, st.rows, want[st.into.table])
		}
	}
	s.writeGroup(batch)
	for i, r := range batch {
		if err := <-r.done; err != nil {
			t.Errorf("unit %d of a group: %v", i, err)
		}
	}
	// Rows inserted by one transaction carry its ID in xmin.
	var txids int
	err = s.pool.QueryRow(t.Context(), `SELECT count(DISTINCT xmin::text) FROM
		(SELECT xmin FROM transactions WHERE id IN ('t1', 't2', 't3') UNION ALL
		 SELECT xmin FROM claims WHERE key IN ('k1', 'k2', 'k3') UNION ALL
		 SELECT xmin FROM events WHERE transaction_id IN ('t1', 't2', 't3')) AS x`).Scan(&txids)
	if err != nil || txids != 1 {
		t.Errorf("the group's rows were written by %d transactions (%v), want 1", txids, err)
	}

	// t5 takes the key of t4, before it in the group: the group fails,
	// and then t5 alone. t6 does not depend on either.
	batch = []unitRequest{unit("t4", "k4", 40), unit("t5", "k4", 50), unit("t6", "k6", 60)}
	s.writeGroup(batch)
	errs := []error{<-batch[0].done, <-batch[1].done, <-batch[2].done}
	if errs[0] != nil || guichet.ErrorReason(errs[1]) != guichet.ReasonDuplicate || errs[2] != nil {
		t.Errorf("group with a duplicate key: %v, want nil, a duplicate, nil", errs)
	}
	err = s.View(t.Context(), func(tx guichet.Tx) error {
		storetest.CheckPayments(t, tx, map[string]bool{"t1": true, "t4": true, "t5": false, "t6": true})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGroupedUpdates runs many write-only Updates at once, some reusing a
// key: each answers as it would alone, and the store holds exactly the
// payments that were answered nil. Those queued while the store closes
// are answered too.
func TestGroupedUpdates(t *testing.T) {
	url := pgtest.URL(t)
	s, err := Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Now().UTC()
	const n = 200
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			// One payment in ten reuses the key of the one before it.
			key := fmt.Sprintf("k%d", i)
			if i%10 == 5 {
				key = fmt.Sprintf("k%d", i-1)
			}
			errs[i] = s.Update(t.Context(), func(t guichet.Tx) error {
				return storetest.WritePayment(t, "shop", fmt.Sprintf("p%d", i), key, int64(1000+10*i), at)
			})
		})
	}
	wg.Wait()
	written := map[string]bool{}
	for i, err := range errs {
		switch {
		case err == nil:
			written[fmt.Sprintf("p%d", i)] = true
		case guichet.ErrorReason(err) != guichet.ReasonDuplicate:
			t.Errorf("payment %d: %v", i, err)
		}
	}
	var stored int
	if err := s.pool.QueryRow(t.Context(), "SELECT count(*) FROM transactions WHERE id LIKE 'p%'").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	var keys int
	if err := s.pool.QueryRow(t.Context(), "SELECT count(*) FROM claims WHERE key LIKE 'k%'").Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if stored != len(written) || keys != len(written) {
		t.Errorf("%d payments answered nil, %d stored, %d keys claimed", len(written), stored, keys)
	}
	if len(written) != n-n/10 {
		t.Errorf("%d payments written, want %d: one of each pair sharing a key", len(written), n-n/10)
	}

	closing, err := Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 100)
	for i := range 100 {
		go func() {
			done <- closing.Update(context.Background(), func(t guichet.Tx) error {
				return t.Claim("shop", fmt.Sprintf("late-%d", i), at)
			})
		}()
	}
	closing.Close()
	for range 100 {
		<-done
	}
}
