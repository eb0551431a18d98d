package sqlite_test

import (
	"crypto/rand"
	"encoding/hex"
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
