package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"guichet"
)

// resetFixture is what a shop did, one row or more in every table a reset
// empties, so that a reset that forgets a table leaves a row a check finds.
type resetFixture struct {
	shop         *guichet.Shop
	transactions []*guichet.Transaction
	order        *guichet.Order
	token        *guichet.Token
	card         *guichet.PendingCard
	job          *guichet.Job
	delivery     *guichet.Delivery
	event        guichet.Event
	claimKey     string
	audit        guichet.AuditEntry
	exchange     guichet.Exchange
}

// newResetFixture stores a shop with credentials and n transactions (n ≥
// 1), each with its authorization, and the rest of the fixture, hung on the
// first transaction and its order.
func newResetFixture(t *testing.T, h *harness, n int) *resetFixture {
	t.Helper()
	f := &resetFixture{shop: newShop(randomSite()), claimKey: randomID("key")}
	shop := f.shop.ID
	at := base()
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.PutShop(f.shop); err != nil {
			return err
		}
		for i := range n {
			tr, err := newTransaction(tx, shop, fmt.Sprintf("reset-%d", i), 1000+int64(i), at.Add(time.Duration(i)*time.Second))
			if err != nil {
				return err
			}
			if err := tx.PutTransaction(tr); err != nil {
				return err
			}
			f.transactions = append(f.transactions, tr)
		}
		first := f.transactions[0]
		f.order = newOrder(shop, at)
		f.order.ID, f.order.TransactionID = first.OrderID, first.ID
		f.token = &guichet.Token{ID: randomID("tok"), ShopID: shop, Reference: "subscriber", Handle: randomID("handle"),
			OrderID: f.order.ID, CreatedAt: at, UpdatedAt: at}
		f.card = newPendingCard(shop, f.order.ID, at)
		f.job = &guichet.Job{ID: randomID("job"), ShopID: shop, Kind: "capture", Ref: first.ID, DueAt: at.Add(time.Hour)}
		f.delivery = newDelivery("dlv", shop, f.order.Reference, at)
		f.delivery.TransactionID = first.ID
		f.event = guichet.Event{ID: randomID("ev"), ShopID: shop, TransactionID: first.ID, Type: "transaction.authorized", At: at}
		f.audit = guichet.AuditEntry{ID: randomID("aud"), At: at, User: "alice", ShopID: shop, TransactionID: first.ID, Action: "capture"}
		for _, err := range []error{
			tx.PutOrder(f.order),
			tx.PutToken(f.token),
			tx.PutPendingCard(f.card),
			tx.PutJob(f.job),
			tx.PutDelivery(f.delivery),
			tx.AddAttempt(guichet.Attempt{DeliveryID: f.delivery.ID, At: at, StatusCode: 500, Duration: time.Millisecond}),
			tx.Emit(f.event),
			tx.Claim(shop, f.claimKey, at),
			tx.AddAudit(f.audit),
			// An entry written without its shop still goes with its
			// transaction.
			tx.AddAudit(guichet.AuditEntry{At: at, User: "alice", TransactionID: first.ID, Action: "inquire"}),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	f.exchange = guichet.Exchange{ID: randomID("exc"), ShopID: shop, Protocol: "lyra", Operation: "charge", Code: "00",
		Reference: f.order.Reference, Request: "{}", Response: "{}", At: at}
	if err := h.store.RecordExchange(t.Context(), f.exchange); err != nil {
		t.Fatalf("RecordExchange: %v", err)
	}
	return f
}

// resetCheck looks for one kind of row of a fixture through the Tx, and
// returns how many it found.
type resetCheck struct {
	name string
	find func(tx guichet.Tx, f *resetFixture) (int, error)
	// present is how many a fixture not reset has.
	present func(f *resetFixture) int
}

// one counts a getter's answer: 1 when it found its row, 0 when it
// reported CodeNotFound.
func one[T any](_ *T, err error) (int, error) {
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return 1, nil
}

func single(*resetFixture) int { return 1 }

var resetChecks = []resetCheck{
	{"Transaction", func(tx guichet.Tx, f *resetFixture) (int, error) {
		found := 0
		for _, tr := range f.transactions {
			n, err := one(tx.Transaction(tr.ID))
			if err != nil {
				return 0, err
			}
			found += n
		}
		return found, nil
	}, func(f *resetFixture) int { return len(f.transactions) }},
	{"TransactionByOperation", func(tx guichet.Tx, f *resetFixture) (int, error) {
		return one(tx.TransactionByOperation(f.shop.ID, f.transactions[0].Operations[0].Number))
	}, single},
	{"Transactions", func(tx guichet.Tx, f *resetFixture) (int, error) {
		l, err := tx.Transactions(guichet.TransactionFilter{ShopID: f.shop.ID})
		return len(l), err
	}, func(f *resetFixture) int { return len(f.transactions) }},
	{"Journal operations", func(tx guichet.Tx, f *resetFixture) (int, error) {
		l, err := tx.Journal(guichet.JournalFilter{ShopID: f.shop.ID, Limit: 10})
		ops := 0
		for _, tr := range l {
			ops += len(tr.Operations)
		}
		return ops, err
	}, func(f *resetFixture) int { return len(f.transactions) }},
	{"Order", func(tx guichet.Tx, f *resetFixture) (int, error) { return one(tx.Order(f.order.ID)) }, single},
	{"Orders", func(tx guichet.Tx, f *resetFixture) (int, error) {
		_, total, err := tx.Orders(guichet.OrderFilter{ShopID: f.shop.ID, Protocol: f.order.Protocol})
		return total, err
	}, single},
	{"Token", func(tx guichet.Tx, f *resetFixture) (int, error) { return one(tx.Token(f.shop.ID, f.token.Reference)) }, single},
	{"TokenByID", func(tx guichet.Tx, f *resetFixture) (int, error) { return one(tx.TokenByID(f.token.ID)) }, single},
	{"PendingCard", func(tx guichet.Tx, f *resetFixture) (int, error) { return one(tx.PendingCard(f.card.OrderID)) }, single},
	{"Job", func(tx guichet.Tx, f *resetFixture) (int, error) { return one(tx.Job(f.job.ID)) }, single},
	{"Jobs", func(tx guichet.Tx, f *resetFixture) (int, error) {
		l, err := tx.Jobs(f.shop.ID, time.Time{}, nil, 0)
		return len(l), err
	}, single},
	{"Delivery", func(tx guichet.Tx, f *resetFixture) (int, error) { return one(tx.Delivery(f.delivery.ID)) }, single},
	{"Deliveries", func(tx guichet.Tx, f *resetFixture) (int, error) {
		l, err := tx.Deliveries(guichet.DeliveryFilter{ShopID: f.shop.ID})
		return len(l), err
	}, single},
	{"Attempts", func(tx guichet.Tx, f *resetFixture) (int, error) {
		l, err := tx.Attempts(f.delivery.ID)
		return len(l), err
	}, single},
	{"Events", func(tx guichet.Tx, f *resetFixture) (int, error) {
		l, err := tx.Events(f.event.TransactionID)
		return len(l), err
	}, single},
	{"ClaimOf", func(tx guichet.Tx, f *resetFixture) (int, error) { return one(tx.ClaimOf(f.shop.ID, f.claimKey)) }, single},
	{"Audit", func(tx guichet.Tx, f *resetFixture) (int, error) {
		l, err := tx.Audit(f.audit.TransactionID)
		return len(l), err
	}, func(*resetFixture) int { return 2 }},
}

// checkReset runs every check on the fixture; kept tells whether its rows
// must all be there, or none of them.
func checkReset(t *testing.T, h *harness, f *resetFixture, kept bool, doing string) {
	t.Helper()
	h.view(t, func(tx guichet.Tx) error {
		for _, c := range resetChecks {
			got, err := c.find(tx, f)
			want := 0
			if kept {
				want = c.present(f)
			}
			if err != nil || got != want {
				t.Errorf("%s: %s found %d, %v; want %d", doing, c.name, got, err, want)
			}
		}
		return nil
	})
	// The pending card is also checked the way a payment uses it, which
	// deletes it: in an Update that fails, so that it stays if it was
	// there.
	err := h.store.Update(t.Context(), func(tx guichet.Tx) error {
		got, err := one(tx.TakePendingCard(f.card.OrderID))
		if want := map[bool]int{true: 1}[kept]; err != nil || got != want {
			t.Errorf("%s: TakePendingCard found %d, %v; want %d", doing, got, err, want)
		}
		return errDeliberate{}
	})
	if err == nil {
		t.Fatal("the failing Update succeeded")
	}
}

// testResetShop resets one of two shops, and checks that all it did is
// gone but the shop itself, and that the other shop lost nothing.
func testResetShop(t *testing.T, h *harness) {
	a, b := newResetFixture(t, h, 2), newResetFixture(t, h, 1)
	checkReset(t, h, a, true, "shop A before the reset")
	checkReset(t, h, b, true, "shop B before the reset")

	// A reset is a write: View refuses it, and it deletes nothing.
	err := h.store.View(t.Context(), func(tx guichet.Tx) error {
		_, err := tx.ResetShop(a.shop.ID)
		return err
	})
	wantCode(t, err, guichet.CodeInternal, "ResetShop in View")
	checkReset(t, h, a, true, "shop A after a reset in View")

	var n int
	h.update(t, func(tx guichet.Tx) (err error) {
		n, err = tx.ResetShop(a.shop.ID)
		return err
	})
	if n != len(a.transactions) {
		t.Errorf("ResetShop deleted %d transactions, want %d", n, len(a.transactions))
	}
	checkReset(t, h, a, false, "shop A after its reset")
	checkReset(t, h, b, true, "shop B after A's reset")

	// The shop, its settings, its clock and its credentials stay; so do
	// its exchanges, left to their own retention.
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Shop(a.shop.ID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(normalizeShop(*got), normalizeShop(*a.shop)) {
			t.Errorf("Shop after its reset: got %+v, want %+v", got, a.shop)
		}
		for _, c := range a.shop.Credentials {
			if got, err := tx.ShopByCredential(c.Protocol, c.Key); err != nil || got.ID != a.shop.ID {
				t.Errorf("ShopByCredential(%s, %s) after the reset: %+v, %v", c.Protocol, c.Key, got, err)
			}
		}
		return nil
	})
	if l, err := h.store.Exchanges(t.Context(), guichet.ExchangeFilter{ShopID: a.shop.ID}); err != nil || len(l) != 1 || l[0].ID != a.exchange.ID {
		t.Errorf("Exchanges of shop A after its reset: %+v, %v; want its one exchange", l, err)
	}

	// The operations went with their transactions: the same transaction,
	// operation numbers included, can be stored again.
	h.update(t, func(tx guichet.Tx) error { return tx.PutTransaction(a.transactions[0]) })
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Transaction(a.transactions[0].ID)
		if err != nil {
			return err
		}
		sameTransaction(t, got, a.transactions[0])
		return nil
	})

	// A shop with nothing left to delete, and one that does not exist,
	// have nothing to reset.
	tests := []struct {
		name string
		shop string
	}{
		{"empty shop", b.shop.ID},
		{"unknown shop", randomID("shop")},
	}
	h.update(t, func(tx guichet.Tx) error { _, err := tx.ResetShop(b.shop.ID); return err })
	for _, tt := range tests {
		h.update(t, func(tx guichet.Tx) error {
			n, err := tx.ResetShop(tt.shop)
			if err == nil && n != 0 {
				t.Errorf("ResetShop of an %s deleted %d transactions, want 0", tt.name, n)
			}
			return err
		})
	}
}

// testResetShopInUnitOfWork resets a shop in the unit of work that has
// just loaded one of its transactions and written rows for it: what the
// unit of work wrote before the reset goes with the rest, and what it knew
// of the shop's rows does not outlive them.
func testResetShopInUnitOfWork(t *testing.T, h *harness) {
	f := newResetFixture(t, h, 1)
	tr := f.transactions[0]
	key := randomID("key")
	order := newOrder(f.shop.ID, base())
	h.update(t, func(tx guichet.Tx) error {
		loaded, err := tx.Transaction(tr.ID)
		if err != nil {
			return err
		}
		if err := tx.Claim(f.shop.ID, key, base()); err != nil {
			return err
		}
		if err := tx.PutOrder(order); err != nil {
			return err
		}
		n, err := tx.ResetShop(f.shop.ID)
		if err != nil {
			return err
		}
		if n != 1 {
			t.Errorf("ResetShop deleted %d transactions, want 1", n)
		}
		// The order written before the reset is gone with the shop's.
		if _, err := tx.Order(order.ID); guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Errorf("Order written before the reset: %v, want it gone", err)
		}
		// The transaction loaded before the reset is a new one now:
		// saving it inserts it again, operations included.
		if err := tx.PutTransaction(loaded); err != nil {
			t.Errorf("PutTransaction of a transaction loaded before the reset: %v", err)
			return err
		}
		// The key claimed before the reset may be claimed again.
		if err := tx.Claim(f.shop.ID, key, base()); err != nil {
			t.Errorf("Claim of a key claimed before the reset: %v", err)
			return err
		}
		return nil
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Transaction(tr.ID)
		if err != nil {
			return err
		}
		sameTransaction(t, got, tr)
		if _, err := tx.ClaimOf(f.shop.ID, key); err != nil {
			t.Errorf("ClaimOf the key claimed again: %v", err)
		}
		if _, err := tx.Order(f.order.ID); guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Errorf("Order of the fixture after the reset: %v, want it gone", err)
		}
		return nil
	})
}
