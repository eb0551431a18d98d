package sqlite_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"guichet"
	"guichet/internal/store/sqlite"
	"guichet/internal/store/storetest"
)

func TestStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "guichet.db")
	storetest.Run(t, func(t *testing.T) guichet.Store {
		s, err := sqlite.Open(t.Context(), path)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}

// TestReopenMigrated checks that opening a database whose schema is up to
// date applies nothing again.
func TestReopenMigrated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "guichet.db")
	for range 3 {
		s, err := sqlite.Open(t.Context(), path)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
}

// BenchmarkUpdate measures the Updates of an authorization: a claim, a
// transaction, its first operation and an event, from many goroutines at
// once, which is what group commit is for.
func BenchmarkUpdate(b *testing.B) {
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "guichet.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.SetParallelism(64)
	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var buf [8]byte
		for pb.Next() {
			rand.Read(buf[:])
			id := hex.EncodeToString(buf[:])
			now := time.Now()
			err := s.Update(b.Context(), func(tx guichet.Tx) error {
				if err := tx.Claim("shop", id, now); err != nil {
					return err
				}
				number, err := tx.NextNumber()
				if err != nil {
					return err
				}
				opNumber, err := tx.NextNumber()
				if err != nil {
					return err
				}
				tr := &guichet.Transaction{
					ID: "tx" + id, ShopID: "shop", Number: number, Reference: "order-" + id, Currency: "EUR",
					Amount: 1000, Status: guichet.StatusAuthorized, CreatedAt: now, UpdatedAt: now,
					Card: guichet.StoredCard{Masked: "497010XXXXXX0014", Fingerprint: "fp", Brand: guichet.BrandVisa, ExpMonth: 12, ExpYear: 2031, Sealed: make([]byte, 48)},
					Operations: []guichet.Operation{{
						ID: "op" + id, Number: opNumber, Kind: guichet.OpAuthorize, Amount: 1000, Approved: true, Code: "00", CreatedAt: now,
					}},
				}
				if err := tx.PutTransaction(tr); err != nil {
					return err
				}
				return tx.Emit(guichet.Event{ID: "ev" + id, ShopID: "shop", TransactionID: tr.ID, Type: "transaction.authorized", At: now, Data: []byte(`{"amount":1000}`)})
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "updates/s")
}

// TestUpgrade opens a database that the first migration made and that
// holds data: the later migrations must keep that data, with the columns
// they add at their defaults.
func TestUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "guichet.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		string(script),
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`,
		`INSERT INTO schema_migrations VALUES (1, '0001_init.sql', 1)`,
		`INSERT INTO shops (id, name, mode, capture_delay, created_at) VALUES ('shop_old', 'Old', 'TEST', 2, 1000)`,
		`INSERT INTO shops (id, name, mode, paybox_site, paybox_rang, paybox_identifiant, paybox_key, paybox_hmac_key, created_at)
			VALUES ('shop_pbx', 'Paybox', 'TEST', '1999888', '32', '107904482,2', '1999888I', '0123', 1000)`,
		`INSERT INTO transactions (id, shop_id, number, reference, currency, amount, status)
			VALUES ('tx_old', 'shop_old', 1000001, 'ref', 'EUR', 100, 'authorized')`,
		`INSERT INTO exchanges (id, shop_id, protocol, operation, code, request, response, at, duration_ns)
			VALUES ('ex_old', 'shop_old', 'ppps', '00001', '00000', 'VERSION=00104', 'CODEREPONSE=00000', 1000, 5)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	err = s.View(t.Context(), func(tx guichet.Tx) error {
		shop, err := tx.Shop("shop_old")
		if err != nil {
			return err
		}
		if shop.Name != "Old" || shop.CaptureDelay != 2 || shop.ThreeDS || shop.NotifyAttempts != 0 {
			t.Errorf("migrated shop: %+v", shop)
		}
		// The Paybox columns became the shop's Paybox credential.
		pbx, err := tx.ShopByCredential("paybox", "1999888/32")
		want := `{"site":"1999888","rang":"32","identifiants":["107904482","2"],"cle":"1999888I","hmac_key":"0123","hmac_only":false}`
		if err != nil || pbx.ID != "shop_pbx" || len(pbx.Credentials) != 1 || string(pbx.Credentials[0].Data) != want {
			t.Errorf("migrated Paybox shop: %+v, %v", pbx, err)
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
	if _, left, err := s.PurgeExchanges(t.Context(), guichet.ExchangePurge{}); err != nil || left != (guichet.ExchangeTotals{Count: 1, Bytes: guichet.ExchangeSize(old)}) {
		t.Errorf("exchange totals after the upgrade: %+v, %v", left, err)
	}
}

// BenchmarkJournal measures the back office's journal on a million
// transactions (ten thousand with -short), loaded once, in batches of
// plain SQL, as storetest.BenchJournal says.
func BenchmarkJournal(b *testing.B) {
	n := storetest.JournalBenchSize()
	path := filepath.Join(b.TempDir(), "guichet.db")
	// The store creates the schema; the load goes around it.
	s, err := sqlite.Open(b.Context(), path)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	start, err := time.Parse(time.RFC3339, storetest.JournalBenchStart)
	if err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	began := time.Now()
	const batch = 100000
	for lo := 1; lo <= n; lo += batch {
		hi := min(lo+batch-1, n)
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		_, err = tx.Exec(`INSERT INTO transactions (id, shop_id, number, reference, front, currency, amount, status,
			card_masked, card_fingerprint, card_brand, card_country, card_exp_month, card_exp_year, method, review, created_at, updated_at)
			WITH RECURSIVE s(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM s WHERE i < ?)
			SELECT 'btx' || i, 'bshop' || (i % 20), 2000000000 + i, 'bref' || i,
				CASE i % 3 WHEN 0 THEN 'ppps' WHEN 1 THEN 'paybox-system' ELSE 'lyra' END, 'EUR', 100 + i % 10000,
				CASE WHEN (i / 20) % 20 < 2 THEN 'refused' WHEN (i / 20) % 20 = 2 THEN 'cancelled'
					WHEN (i / 20) % 20 = 3 THEN 'refunded' WHEN (i / 20) % 20 < 7 THEN 'authorized' ELSE 'captured' END,
				'497010XXXXXX' || substr('000' || (i % 10000), -4), 'fp' || (i % 50000), 'VISA', 'FRA', 12, 2031, 'CARTE', CASE WHEN i % 1000 = 0 THEN '603' ELSE '' END,
				? + (i / 2) * 1000000000, ? + (i / 2) * 1000000000
			FROM s`, lo, hi, start.UnixNano(), start.UnixNano())
		if err != nil {
			b.Fatal(err)
		}
		_, err = tx.Exec(`INSERT INTO operations (id, transaction_id, number, kind, amount, approved, code, front, created_at)
			WITH RECURSIVE s(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM s WHERE i < ?)
			SELECT 'bop' || i, 'btx' || i, 3000000000 + i, 'authorize', 100 + i % 10000, 1, '00',
				CASE i % 3 WHEN 0 THEN 'ppps' WHEN 1 THEN 'paybox-system' ELSE 'lyra' END, ? + (i / 2) * 1000000000
			FROM s`, lo, hi, start.UnixNano())
		if err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d transactions in %v", n, time.Since(began).Round(time.Millisecond))
	if s, err = sqlite.Open(b.Context(), path); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchJournal(b, s, n)
}

// TestFrontBackfill opens a database that the migrations before the back
// office's made and that holds transactions: the migration must give each
// the front of its first operation, or else its order's protocol.
func TestFrontBackfill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "guichet.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`}
	for _, m := range storetest.MigrationsBefore(t, 19) {
		queries = append(queries, m.Script, fmt.Sprintf("INSERT INTO schema_migrations VALUES (%d, '%s', 1)", m.Version, m.Name))
	}
	queries = append(queries, frontBackfillRows...)
	for _, q := range queries {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	err = s.View(t.Context(), func(tx guichet.Tx) error {
		for id, want := range frontBackfillWant {
			tr, err := tx.Transaction(id)
			if err != nil {
				return err
			}
			if tr.Front != want {
				t.Errorf("transaction %s: front %q, want %q", id, tr.Front, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
}

// frontBackfillRows are the rows TestFrontBackfill migrates, and
// frontBackfillWant the front each transaction must get.
var (
	frontBackfillRows = []string{
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
			('p11', 't1', 2000011, 'authorize', 100, 1, 'lyra'),
			('p12', 't1', 2000012, 'capture', 100, 1, 'ppps'),
			('p21', 't2', 2000021, 'authorize', 100, 1, ''),
			('p22', 't2', 2000022, 'capture', 100, 1, 'lyra'),
			('p31', 't3', 2000031, 'authorize', 100, 1, ''),
			('p32', 't3', 2000032, 'capture', 100, 1, 'lyra'),
			('p62', 't6', 2000062, 'capture', 100, 1, 'ppps'),
			('p61', 't6', 2000061, 'authorize', 100, 1, 'lyra')`,
	}
	frontBackfillWant = map[string]string{
		"t1": "lyra",          // its first operation's front, before its order's protocol
		"t2": "paybox-system", // its first operation has none: its order's protocol
		"t3": "",              // neither: a later operation's front does not count
		"t4": "lyra",          // no operation: its order's protocol
		"t5": "",              // an order that is not there
		"t6": "lyra",          // the first operation is the lowest numbered
	}
)
