package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/store/postgres"
	"guichet/internal/store/postgres/pgtest"
	"guichet/internal/store/storetest"

	"github.com/jackc/pgx/v5"
)

func TestStore(t *testing.T) {
	url := pgtest.URL(t)
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
	url := pgtest.URL(t)
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
	s, err := postgres.Open(t.Context(), pgtest.URL(t))
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

// TestDueJobsSkipLocked has two Updates, as two instances would, each take
// one due job while the other still holds its own: they must get different
// jobs, without waiting for each other. Once the first ends without
// deleting its job, that job is due again.
func TestDueJobsSkipLocked(t *testing.T) {
	s, err := postgres.Open(t.Context(), pgtest.URL(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	ctx := t.Context()
	at := time.Now().UTC().Truncate(time.Microsecond)
	const shop = "shop"
	err = s.Update(ctx, func(tx guichet.Tx) error {
		for _, id := range []string{"job_1", "job_2"} {
			if err := tx.PutJob(&guichet.Job{ID: id, ShopID: shop, Kind: "deliver", DueAt: at.Add(-time.Minute)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}

	take := func(tx guichet.Tx) (string, error) {
		jobs, err := tx.DueJobs(shop, at, 1)
		if err != nil || len(jobs) == 0 {
			return "", err
		}
		return jobs[0].ID, nil
	}
	taken := make(chan string, 1)
	release := make(chan struct{})
	var first string
	var firstErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		firstErr = s.Update(ctx, func(tx guichet.Tx) error {
			id, err := take(tx)
			taken <- id
			if err != nil {
				return err
			}
			first = id
			// Hold the job until the other Update has looked.
			select {
			case <-release:
			case <-time.After(30 * time.Second):
			}
			return nil
		})
	}()
	var held string
	select {
	case held = <-taken:
	case <-time.After(30 * time.Second):
		t.Fatal("first Update did not take a job")
	}
	var second string
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	err = s.Update(tctx, func(tx guichet.Tx) (err error) {
		second, err = take(tx)
		return err
	})
	cancel()
	close(release)
	<-done
	if err != nil {
		t.Fatalf("second Update: %v", err)
	}
	if firstErr != nil {
		t.Fatalf("first Update: %v", firstErr)
	}
	if first == "" || second == "" || first == second || held != first {
		t.Errorf("two concurrent Updates took %q and %q, want the two jobs", first, second)
	}
	// Neither deleted its job: both are due again.
	err = s.Update(ctx, func(tx guichet.Tx) error {
		jobs, err := tx.DueJobs(shop, at, 0)
		if len(jobs) != 2 {
			t.Errorf("after both Updates: %d due jobs, want 2", len(jobs))
		}
		return err
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// TestUpgrade opens a database that the first two migrations made and that
// holds data: the later migrations must keep that data, with the columns
// they add at their defaults.
func TestUpgrade(t *testing.T) {
	url := pgtest.URL(t)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	var queries []string
	for _, name := range []string{"0001_init.sql", "0002_number_blocks.sql"} {
		script, err := os.ReadFile("migrations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		queries = append(queries, string(script))
	}
	queries = append(queries,
		`CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
		`INSERT INTO schema_migrations (version, name) VALUES (1, '0001_init.sql'), (2, '0002_number_blocks.sql')`,
		`INSERT INTO shops (id, name, mode, capture_delay, created_at) VALUES ('shop_old', 'Old', 'TEST', 2, now())`,
		`INSERT INTO shops (id, name, mode, paybox_site, paybox_rang, paybox_identifiant, paybox_key, paybox_hmac_key, created_at)
			VALUES ('shop_pbx', 'Paybox', 'TEST', '1999888', '32', '107904482,2', '1999888I', '0123', now())`,
		`INSERT INTO transactions (id, shop_id, number, reference, currency, amount, status)
			VALUES ('tx_old', 'shop_old', 1000001, 'ref', 'EUR', 100, 'authorized')`,
		`INSERT INTO exchanges (id, shop_id, protocol, operation, code, request, response, at, duration_ns)
			VALUES ('ex_old', 'shop_old', 'ppps', '00001', '00000', 'VERSION=00104', 'CODEREPONSE=00000', now(), 5)`,
	)
	for _, q := range queries {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	conn.Close(ctx)
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	err = s.View(ctx, func(tx guichet.Tx) error {
		shop, err := tx.Shop("shop_old")
		if err != nil {
			return err
		}
		if shop.Name != "Old" || shop.CaptureDelay != 2 || shop.ThreeDS || shop.NotifyAttempts != 0 {
			t.Errorf("migrated shop: %+v", shop)
		}
		// The Paybox columns became the shop's Paybox credential.
		pbx, err := tx.ShopByCredential("paybox", "1999888/32")
		if err != nil || pbx.ID != "shop_pbx" || len(pbx.Credentials) != 1 {
			t.Fatalf("migrated Paybox shop: %+v, %v", pbx, err)
		}
		var got map[string]any
		if err := json.Unmarshal(pbx.Credentials[0].Data, &got); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"site": "1999888", "rang": "32", "identifiants": []any{"107904482", "2"},
			"cle": "1999888I", "hmac_key": "0123", "hmac_only": false}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("migrated Paybox credential: %s", pbx.Credentials[0].Data)
		}
		tr, err := tx.Transaction("tx_old")
		if err != nil {
			return err
		}
		if tr.Amount != 100 || tr.OrderID != "" || tr.Method != "" || tr.Review != "" || tr.ThreeDS != "" {
			t.Errorf("migrated transaction: %+v", tr)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	// The exchange log's totals count the exchanges recorded before.
	old := guichet.Exchange{ID: "ex_old", ShopID: "shop_old", Protocol: "ppps", Operation: "00001", Code: "00000",
		Request: "VERSION=00104", Response: "CODEREPONSE=00000"}
	if _, left, err := s.PurgeExchanges(ctx, guichet.ExchangePurge{}); err != nil || left != (guichet.ExchangeTotals{Count: 1, Bytes: guichet.ExchangeSize(old)}) {
		t.Errorf("exchange totals after the upgrade: %+v, %v", left, err)
	}
}

// TestConcurrentSizePurges: four instances purging the exchange log to one
// size limit at once delete what brings it within the limit, and no more:
// each reads the totals the other left.
func TestConcurrentSizePurges(t *testing.T) {
	url := pgtest.URL(t)
	var stores [4]*postgres.Store
	for i := range stores {
		s, err := postgres.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	old := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	e := guichet.Exchange{ID: "exc_0000", Protocol: "ppps", Operation: "00001", Request: strings.Repeat("x", 936)}
	size := guichet.ExchangeSize(e)
	for i := range 3000 {
		e.ID, e.At = fmt.Sprintf("exc_%04d", i), old.Add(time.Duration(i)*time.Second)
		if err := stores[0].RecordExchange(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	max := 100 * size
	var wg sync.WaitGroup
	for _, s := range stores {
		wg.Go(func() {
			if _, _, err := s.PurgeExchanges(t.Context(), guichet.ExchangePurge{MaxBytes: max}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	_, left, err := stores[1].PurgeExchanges(t.Context(), guichet.ExchangePurge{})
	if err != nil || left.Bytes != max || left.Count != 100 {
		t.Errorf("left %+v (%v), want 100 exchanges of %d bytes", left, err, max)
	}
}

// BenchmarkJournal measures the back office's journal on a million
// transactions (ten thousand with -short), loaded once, in batches of
// plain SQL, as storetest.BenchJournal says. The tables are vacuumed and
// analyzed after the load, as autovacuum would have done by the time a
// database held that many.
func BenchmarkJournal(b *testing.B) {
	n := storetest.JournalBenchSize()
	url := pgtest.URL(b)
	ctx := b.Context()
	// The store creates the schema; the load goes around it.
	s, err := postgres.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	began := time.Now()
	const batch = 250000
	for lo := 1; lo <= n; lo += batch {
		hi := min(lo+batch-1, n)
		_, err := conn.Exec(ctx, `INSERT INTO transactions (id, shop_id, number, reference, front, currency, amount, status,
				card_masked, card_fingerprint, card_brand, card_country, card_exp_month, card_exp_year, method, review, created_at, updated_at)
			SELECT 'btx' || i, 'bshop' || (i % 20), 2000000000 + i, 'bref' || i,
				CASE i % 3 WHEN 0 THEN 'ppps' WHEN 1 THEN 'paybox-system' ELSE 'lyra' END, 'EUR', 100 + i % 10000,
				CASE WHEN (i / 20) % 20 < 2 THEN 'refused' WHEN (i / 20) % 20 = 2 THEN 'cancelled'
					WHEN (i / 20) % 20 = 3 THEN 'refunded' WHEN (i / 20) % 20 < 7 THEN 'authorized' ELSE 'captured' END,
				'497010XXXXXX' || lpad((i % 10000)::text, 4, '0'), 'fp' || (i % 50000), 'VISA', 'FRA', 12, 2031, 'CARTE', CASE WHEN i % 1000 = 0 THEN '603' ELSE '' END,
				$3::timestamptz + (i / 2) * interval '1 second', $3::timestamptz + (i / 2) * interval '1 second'
			FROM generate_series($1::bigint, $2::bigint) AS i`, lo, hi, storetest.JournalBenchStart)
		if err != nil {
			b.Fatal(err)
		}
		_, err = conn.Exec(ctx, `INSERT INTO operations (id, transaction_id, number, kind, amount, approved, code, front, created_at)
			SELECT 'bop' || i, 'btx' || i, 3000000000 + i, 'authorize', 100 + i % 10000, true, '00',
				CASE i % 3 WHEN 0 THEN 'ppps' WHEN 1 THEN 'paybox-system' ELSE 'lyra' END,
				$3::timestamptz + (i / 2) * interval '1 second'
			FROM generate_series($1::bigint, $2::bigint) AS i`, lo, hi, storetest.JournalBenchStart)
		if err != nil {
			b.Fatal(err)
		}
	}
	loaded := time.Since(began)
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE transactions, operations"); err != nil {
		b.Fatal(err)
	}
	conn.Close(ctx)
	b.Logf("loaded %d transactions in %v, vacuumed and analyzed in %v", n, loaded.Round(time.Millisecond),
		(time.Since(began) - loaded).Round(time.Millisecond))
	if s, err = postgres.Open(ctx, url); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchJournal(b, s, n)
}

// TestFrontBackfill opens a database that the migrations before the back
// office's made and that holds transactions: the migration must give each
// the front of its first operation, or else its order's protocol.
func TestFrontBackfill(t *testing.T) {
	url := pgtest.URL(t)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{`CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`}
	for _, m := range storetest.MigrationsBefore(t, 20) {
		queries = append(queries, m.Script,
			fmt.Sprintf("INSERT INTO schema_migrations (version, name) VALUES (%d, '%s')", m.Version, m.Name))
	}
	queries = append(queries,
		`INSERT INTO orders (id, shop_id, protocol, reference, amount, currency, status) VALUES
			('o1', 's', 'paybox-system', 'r1', 100, 'EUR', 'paid'),
			('o2', 's', 'paybox-system', 'r2', 100, 'EUR', 'paid'),
			('o4', 's', 'lyra', 'r4', 100, 'EUR', 'paid')`,
		`INSERT INTO transactions (id, shop_id, number, reference, currency, amount, status, order_id) VALUES
			('t1', 's', 1000001, 'r1', 'EUR', 100, 'captured', 'o1'),
			('t2', 's', 1000002, 'r2', 'EUR', 100, 'captured', 'o2'),
			('t3', 's', 1000003, 'r3', 'EUR', 100, 'captured', ''),
			('t4', 's', 1000004, 'r4', 'EUR', 100, 'captured', 'o4'),
			('t5', 's', 1000005, 'r5', 'EUR', 100, 'captured', 'gone'),
			('t6', 's', 1000006, 'r6', 'EUR', 100, 'captured', '')`,
		// t6's first operation, by number, is the one inserted last.
		`INSERT INTO operations (id, transaction_id, number, kind, amount, approved, front) VALUES
			('p11', 't1', 2000011, 'authorize', 100, true, 'lyra'),
			('p12', 't1', 2000012, 'capture', 100, true, 'ppps'),
			('p21', 't2', 2000021, 'authorize', 100, true, ''),
			('p22', 't2', 2000022, 'capture', 100, true, 'lyra'),
			('p31', 't3', 2000031, 'authorize', 100, true, ''),
			('p32', 't3', 2000032, 'capture', 100, true, 'lyra'),
			('p62', 't6', 2000062, 'capture', 100, true, 'ppps'),
			('p61', 't6', 2000061, 'authorize', 100, true, 'lyra')`,
	)
	for _, q := range queries {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	conn.Close(ctx)
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	want := map[string]string{
		"t1": "lyra",          // its first operation's front, before its order's protocol
		"t2": "paybox-system", // its first operation has none: its order's protocol
		"t3": "",              // neither: a later operation's front does not count
		"t4": "lyra",          // no operation: its order's protocol
		"t5": "",              // an order that is not there
		"t6": "lyra",          // the first operation is the lowest numbered
	}
	err = s.View(ctx, func(tx guichet.Tx) error {
		for id, front := range want {
			tr, err := tx.Transaction(id)
			if err != nil {
				return err
			}
			if tr.Front != front {
				t.Errorf("transaction %s: front %q, want %q", id, tr.Front, front)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
}

// TestBatchedClaims sends many claims at once through BeginClaim, as
// concurrent payments do, from two stores standing for two instances:
// each key is taken exactly once, whatever batch or instance it falls in;
// the others are duplicates; every claim taken is durable and pending; a
// key taken through a unit of work is a duplicate for the batcher too; and
// a store closed with claims queued answers them instead of hanging.
func TestBatchedClaims(t *testing.T) {
	url := pgtest.URL(t)
	ctx := t.Context()
	var stores []*postgres.Store
	for range 2 {
		s, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	at := time.Now().UTC()
	if err := stores[0].Update(ctx, func(tx guichet.Tx) error {
		return tx.BeginClaim(&guichet.Claim{ShopID: "shop", Key: "k-taken", At: at, Request: []byte("{}")})
	}); err != nil {
		t.Fatal(err)
	}
	const keys, tries = 40, 5 // every key asked 5 times, 200 claims at once
	var mu sync.Mutex
	won := map[string]int{}
	var wg sync.WaitGroup
	for i := range keys * tries {
		key := fmt.Sprintf("k-%d", i%keys)
		if i%keys == 0 {
			key = "k-taken"
		}
		wg.Go(func() {
			err := stores[i%2].BeginClaim(ctx, &guichet.Claim{ShopID: "shop", Key: key, At: at, Request: []byte(`{"n":1}`),
				SettleAfter: at.Add(time.Minute)})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won[key]++
			case guichet.ErrorReason(err) != guichet.ReasonDuplicate:
				t.Errorf("claim %s: %v", key, err)
			}
		})
	}
	wg.Wait()
	for i := range keys {
		key := fmt.Sprintf("k-%d", i)
		want := 1
		if i == 0 {
			key, want = "k-taken", 0
		}
		if won[key] != want {
			t.Errorf("key %s taken %d times, want %d", key, won[key], want)
		}
	}
	err := stores[1].View(ctx, func(tx guichet.Tx) error {
		c, err := tx.ClaimOf("shop", "k-7")
		if err == nil && (c.State != guichet.ClaimPending || string(c.Request) != `{"n":1}` || c.SettleAfter.IsZero()) {
			t.Errorf("claim as stored: %+v", c)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A key taken by the batcher is a duplicate for a unit of work.
	err = stores[0].Update(ctx, func(tx guichet.Tx) error { return tx.BeginClaim(&guichet.Claim{ShopID: "shop", Key: "k-3", At: at}) })
	if guichet.ErrorReason(err) != guichet.ReasonDuplicate {
		t.Errorf("unit of work claiming a batched key: %v", err)
	}

	// Claims sent while the store closes are answered, one way or the
	// other, and nothing waits forever.
	closing, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 100)
	for i := range 100 {
		go func() {
			errs <- closing.BeginClaim(ctx, &guichet.Claim{ShopID: "shop", Key: fmt.Sprintf("late-%d", i), At: at})
		}()
	}
	closing.Close()
	for range 100 {
		<-errs
	}
}
