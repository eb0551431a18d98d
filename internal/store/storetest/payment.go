package storetest

import (
	"testing"
	"time"

	"guichet"
)

// WritePayment writes in tx what the record of a captured payment writes:
// its claim of key, its transaction id of shop, numbered number, with an
// authorization and a capture numbered after it, and their two events.
// The stores' tests of their group commits write payments with it.
func WritePayment(tx guichet.Tx, shop, id, key string, number int64, at time.Time) error {
	if err := tx.Claim(shop, key, at); err != nil {
		return err
	}
	tr := &guichet.Transaction{ID: id, ShopID: shop, Number: number, Reference: id, Currency: "EUR", Amount: 100,
		Status: guichet.StatusCaptured, CreatedAt: at, Operations: []guichet.Operation{
			{ID: id + "-a", Number: number + 1, Kind: guichet.OpAuthorize, Amount: 100, Approved: true, CreatedAt: at},
			{ID: id + "-c", Number: number + 2, Kind: guichet.OpCapture, Amount: 100, Approved: true, CreatedAt: at},
		}}
	if err := tx.PutTransaction(tr); err != nil {
		return err
	}
	return tx.Emit(guichet.Event{ShopID: shop, TransactionID: id, Type: "transaction.authorized", At: at},
		guichet.Event{ShopID: shop, TransactionID: id, Type: "transaction.captured", At: at})
}

// CheckPayments checks, in tx, that each payment WritePayment wrote whose
// ID maps to true is stored whole, with its two operations and two events,
// and that each whose ID maps to false left nothing.
func CheckPayments(t testing.TB, tx guichet.Tx, present map[string]bool) {
	t.Helper()
	for id, want := range present {
		tr, err := tx.Transaction(id)
		switch {
		case want && (err != nil || len(tr.Operations) != 2):
			t.Errorf("transaction %s: %v, %v; want it with its 2 operations", id, tr, err)
		case !want && guichet.ErrorCode(err) != guichet.CodeNotFound:
			t.Errorf("transaction %s: %v, want not found", id, err)
		}
		events, err := tx.Events(id)
		if n := map[bool]int{true: 2}[want]; err != nil || len(events) != n {
			t.Errorf("transaction %s: %d events (%v), want %d", id, len(events), err, n)
		}
	}
}
