package storetest

import (
	"bytes"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"guichet"
)

// The tests of what instances sharing a store agree on: settings (sealed
// installation secrets, the master key's check value) and the cards waiting
// for a 3-D Secure authentication.

func testSettings(t *testing.T, h *harness) {
	name := randomID("setting")
	h.view(t, func(tx guichet.Tx) error {
		_, err := tx.Setting(name)
		wantCode(t, err, guichet.CodeNotFound, "Setting before any")
		return nil
	})
	tests := []struct {
		name  string
		value []byte
		want  []byte
	}{
		{"first value stored", []byte("first\x00\xff"), []byte("first\x00\xff")},
		{"second value ignored", []byte("second"), []byte("first\x00\xff")},
	}
	for _, tt := range tests {
		var got []byte
		h.update(t, func(tx guichet.Tx) (err error) {
			got, err = tx.InitSetting(name, tt.value)
			return err
		})
		if !bytes.Equal(got, tt.want) {
			t.Errorf("%s: InitSetting = %q, want %q", tt.name, got, tt.want)
		}
		h.view(t, func(tx guichet.Tx) error {
			got, err := tx.Setting(name)
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Errorf("%s: Setting = %q, %v; want %q", tt.name, got, err, tt.want)
			}
			return nil
		})
	}

	// A unit of work that fails keeps nothing: the next one stores its own
	// value.
	other := randomID("setting")
	err := h.store.Update(t.Context(), func(tx guichet.Tx) error {
		if _, err := tx.InitSetting(other, []byte("rolled back")); err != nil {
			return err
		}
		return errDeliberate{}
	})
	if err == nil {
		t.Fatal("the failing Update succeeded")
	}
	h.update(t, func(tx guichet.Tx) error {
		got, err := tx.InitSetting(other, []byte("kept"))
		if err == nil && string(got) != "kept" {
			t.Errorf("after a rollback, InitSetting = %q, want kept", got)
		}
		return err
	})

	err = h.store.View(t.Context(), func(tx guichet.Tx) error {
		_, err := tx.InitSetting(randomID("setting"), []byte("x"))
		return err
	})
	if err == nil {
		t.Error("InitSetting in View succeeded")
	}
	err = h.store.Update(t.Context(), func(tx guichet.Tx) error {
		_, err := tx.InitSetting(randomID("setting"), nil)
		return err
	})
	wantCode(t, err, guichet.CodeInvalid, "InitSetting of an empty value")
}

// testSettingsRace has several instances' worth of Updates initialise one
// setting at once, each with a value of its own: they must all come back
// with the same one, which is then the stored value.
func testSettingsRace(t *testing.T, h *harness) {
	name := randomID("setting")
	const n = 8
	got := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = h.store.Update(t.Context(), func(tx guichet.Tx) (err error) {
				got[i], err = tx.InitSetting(name, fmt.Appendf(nil, "value %d", i))
				return err
			})
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("Update %d: %v", i, errs[i])
		} else if !bytes.Equal(got[i], got[0]) {
			t.Errorf("Update %d got %q, Update 0 got %q", i, got[i], got[0])
		}
	}
	h.view(t, func(tx guichet.Tx) error {
		stored, err := tx.Setting(name)
		if err != nil || !bytes.Equal(stored, got[0]) {
			t.Errorf("stored %q (%v), the Updates got %q", stored, err, got[0])
		}
		return nil
	})
}

func newPendingCard(shop, order string, at time.Time) *guichet.PendingCard {
	return &guichet.PendingCard{OrderID: order, ShopID: shop,
		Card: guichet.StoredCard{Masked: "401200XXXXXX1112", Fingerprint: "fp-" + order, Brand: guichet.BrandVisa,
			Country: "FRA", ExpMonth: 12, ExpYear: 2030, Sealed: []byte{1, 2, 3, 4}},
		CreatedAt: at, ExpiresAt: at.Add(15 * time.Minute)}
}

func samePendingCard(t *testing.T, got, want *guichet.PendingCard, doing string) {
	t.Helper()
	norm := func(p guichet.PendingCard) guichet.PendingCard {
		p.CreatedAt, p.ExpiresAt = instant(p.CreatedAt), instant(p.ExpiresAt)
		return p
	}
	if got == nil || !reflect.DeepEqual(norm(*got), norm(*want)) {
		t.Errorf("%s: got %+v, want %+v", doing, got, want)
	}
}

func testPendingCards(t *testing.T, h *harness) {
	shop := randomID("shop")
	order := randomID("ord")
	at := base()
	first := newPendingCard(shop, order, at)
	h.update(t, func(tx guichet.Tx) error { return tx.PutPendingCard(first) })
	// A card typed again for the same order replaces the first.
	second := newPendingCard(shop, order, at.Add(time.Minute))
	second.Card.Sealed, second.Card.Masked = []byte{9, 8, 7}, "555555XXXXXX4444"
	h.update(t, func(tx guichet.Tx) error { return tx.PutPendingCard(second) })

	// Taking it in a unit of work that fails keeps it.
	err := h.store.Update(t.Context(), func(tx guichet.Tx) error {
		if _, err := tx.TakePendingCard(order); err != nil {
			return err
		}
		return errDeliberate{}
	})
	if err == nil {
		t.Fatal("the failing Update succeeded")
	}
	tests := []struct {
		name string
		want *guichet.PendingCard
	}{
		{"taken", second},
		{"taken twice", nil},
	}
	for _, tt := range tests {
		h.store.Update(t.Context(), func(tx guichet.Tx) error {
			got, err := tx.TakePendingCard(order)
			if tt.want == nil {
				wantCode(t, err, guichet.CodeNotFound, tt.name)
				return nil
			}
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				return err
			}
			samePendingCard(t, got, tt.want, tt.name)
			return nil
		})
	}

	// An expired card is returned all the same, and deleted.
	expired := newPendingCard(shop, randomID("ord"), at.Add(-time.Hour))
	h.update(t, func(tx guichet.Tx) error { return tx.PutPendingCard(expired) })
	h.update(t, func(tx guichet.Tx) error {
		got, err := tx.TakePendingCard(expired.OrderID)
		if err == nil {
			samePendingCard(t, got, expired, "expired")
		}
		return err
	})

	err = h.store.View(t.Context(), func(tx guichet.Tx) error {
		_, err := tx.TakePendingCard(order)
		return err
	})
	if err == nil {
		t.Error("TakePendingCard in View succeeded")
	}
	err = h.store.Update(t.Context(), func(tx guichet.Tx) error {
		return tx.PutPendingCard(&guichet.PendingCard{ShopID: shop})
	})
	wantCode(t, err, guichet.CodeInvalid, "PutPendingCard without an order")
}

// testPendingCardTakenOnce has several Updates take one card at once, as
// two instances answering the same challenge would: exactly one gets it.
func testPendingCardTakenOnce(t *testing.T, h *harness) {
	p := newPendingCard(randomID("shop"), randomID("ord"), base())
	h.update(t, func(tx guichet.Tx) error { return tx.PutPendingCard(p) })
	const n = 8
	var mu sync.Mutex
	var took, missed int
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			err := h.store.Update(t.Context(), func(tx guichet.Tx) error {
				_, err := tx.TakePendingCard(p.OrderID)
				return err
			})
			mu.Lock()
			defer mu.Unlock()
			switch guichet.ErrorCode(err) {
			case "":
				took++
			case guichet.CodeNotFound:
				missed++
			default:
				t.Errorf("TakePendingCard: %v", err)
			}
		})
	}
	wg.Wait()
	if took != 1 || missed != n-1 {
		t.Errorf("%d Updates took the card, %d found none; want 1 and %d", took, missed, n-1)
	}
}
