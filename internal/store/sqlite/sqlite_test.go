package sqlite_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
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
