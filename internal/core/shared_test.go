package core_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/sim"
	"guichet/internal/vault"
)

// instance is another Service on the same store, as a second gateway
// process behind the load balancer would be, with a master key made of
// the byte fill.
func instance(t *testing.T, svc *core.Service, fill byte, clk *clock) *core.Service {
	t.Helper()
	v, err := vault.New(bytes.Repeat([]byte{fill}, vault.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return core.New(svc.Store(), sim.New(clk.Now), v, clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// TestCheckMasterKey starts instances with various master keys on one
// store: the first records its key's check value, one with another key
// refuses to start, one with the same key starts.
func TestCheckMasterKey(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		// The service of stores has the key of bytes 1.
		steps := []struct {
			name string
			key  byte
			ok   bool
		}{
			{"first instance records its key", 1, true},
			{"other key refused", 2, false},
			{"same key again", 1, true},
			{"other key still refused", 3, false},
		}
		for _, st := range steps {
			err := instance(t, svc, st.key, clk).CheckMasterKey(ctx)
			if st.ok && err != nil {
				t.Errorf("%s: %v", st.name, err)
			}
			if !st.ok && !errors.Is(err, core.ErrMasterKey) {
				t.Errorf("%s: err = %v, want ErrMasterKey", st.name, err)
			}
		}
	})
}

// TestCheckMasterKeyOfOldStore checks a store that holds cards from before
// the check value was recorded: a wrong key cannot open them and is
// refused, without recording anything; the right one is then recorded.
func TestCheckMasterKeyOfOldStore(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		if _, err := svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "old", Amount: eur(100), Card: testCard}); err != nil {
			t.Fatal(err)
		}
		if err := instance(t, svc, 2, clk).CheckMasterKey(ctx); !errors.Is(err, core.ErrMasterKey) {
			t.Errorf("a key that opens no card: err = %v, want ErrMasterKey", err)
		}
		if err := svc.CheckMasterKey(ctx); err != nil {
			t.Errorf("the key the cards were sealed with: %v", err)
		}
		if err := instance(t, svc, 2, clk).CheckMasterKey(ctx); !errors.Is(err, core.ErrMasterKey) {
			t.Errorf("other key after the check value was recorded: err = %v", err)
		}
	})
}

func TestSharedSecret(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		calls := 0
		create := func(v string) func() ([]byte, error) {
			return func() ([]byte, error) { calls++; return []byte(v), nil }
		}
		first, err := svc.SharedSecret(ctx, "token", create("created by the first"))
		if err != nil || string(first) != "created by the first" {
			t.Fatalf("first instance: %q, %v", first, err)
		}
		// Another instance with the same key gets the same secret without
		// creating one.
		again, err := instance(t, svc, 1, clk).SharedSecret(ctx, "token", create("created by the second"))
		if err != nil || string(again) != "created by the first" || calls != 1 {
			t.Errorf("second instance: %q, %v, %d calls to create", again, err, calls)
		}
		// The secret is sealed in the store.
		svc.Store().View(ctx, func(tx guichet.Tx) error {
			v, err := tx.Setting("secret.token")
			if err != nil || bytes.Contains(v, first) {
				t.Errorf("stored secret: %q, %v", v, err)
			}
			return nil
		})
		// An instance with another key cannot open it.
		if got, err := instance(t, svc, 2, clk).SharedSecret(ctx, "token", create("x")); err == nil {
			t.Errorf("another master key opened the secret: %q", got)
		}
		// A secret that cannot be created is an error, and nothing is
		// stored.
		_, err = svc.SharedSecret(ctx, "broken", func() ([]byte, error) { return nil, errors.New("no entropy") })
		if err == nil {
			t.Error("a failed creation gave a secret")
		}
	})
}

// TestSharedSecretRace has instances starting at once each create the
// secret: all of them end with one value.
func TestSharedSecretRace(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		const n = 6
		got := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			other := instance(t, svc, 1, clk)
			wg.Go(func() {
				v, err := other.SharedSecret(context.Background(), "signer", func() ([]byte, error) {
					return fmt.Appendf(nil, "key of instance %d", i), nil
				})
				if err != nil {
					t.Errorf("instance %d: %v", i, err)
				}
				got[i] = string(v)
			})
		}
		wg.Wait()
		for i := range n {
			if got[i] != got[0] {
				t.Errorf("instance %d got %q, instance 0 %q", i, got[i], got[0])
			}
		}
	})
}

// TestHeldCard holds a card on one instance and takes it on another, once;
// an expired card cannot be taken, and one nobody came back for is
// deleted when the shop's clock passes its expiry.
func TestHeldCard(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		other := instance(t, svc, 1, clk)
		order := func(id string) string {
			if _, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: id, Protocol: "test", Reference: id, Amount: eur(1250)}); err != nil {
				t.Fatal(err)
			}
			return id
		}
		// stored tells whether the store still holds a card for the order,
		// taking it if so.
		stored := func(id string) bool {
			err := svc.Store().Update(ctx, func(tx guichet.Tx) error {
				p, err := tx.TakePendingCard(id)
				if err == nil && (bytes.Contains(p.Card.Sealed, []byte(testCard.PAN)) || p.Card.Masked != "111122XXXXXX4444") {
					t.Errorf("held card %+v", p.Card)
				}
				return err
			})
			return err == nil
		}

		o1 := order("ord_held")
		if err := svc.HoldCard(ctx, shop, o1, testCard); err != nil {
			t.Fatal(err)
		}
		c, err := other.TakeHeldCard(ctx, shop, o1)
		if err != nil || c.PAN != testCard.PAN || c.ExpMonth != 12 || c.ExpYear != 2030 || c.CVV != "" {
			t.Errorf("taken on the other instance: %+v, %v", c, err)
		}
		if _, err := svc.TakeHeldCard(ctx, shop, o1); guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Errorf("taken twice: %v", err)
		}
		if ran, err := svc.RunDue(ctx, shop.ID); err != nil || ran != 0 {
			t.Errorf("a taken card left %d jobs (%v)", ran, err)
		}

		tests := []struct {
			name string
			// typedAgain is when a second card is typed, if one is.
			typedAgain time.Duration
			advance    time.Duration
			kept       bool
		}{
			{"before expiry", 0, 14 * time.Minute, true},
			{"after expiry", 0, 16 * time.Minute, false},
			{"typed again, first expiry passed", 10 * time.Minute, 16 * time.Minute, true},
			{"typed again, its expiry passed", 10 * time.Minute, 26 * time.Minute, false},
		}
		for i, tt := range tests {
			id := order(fmt.Sprintf("ord_expiry_%d", i))
			if err := svc.HoldCard(ctx, shop, id, testCard); err != nil {
				t.Fatal(err)
			}
			if tt.typedAgain > 0 {
				if _, _, err := svc.AdvanceClock(ctx, shop.ID, tt.typedAgain); err != nil {
					t.Fatal(err)
				}
				shop, _ = svc.ShopByID(ctx, shop.ID)
				if err := svc.HoldCard(ctx, shop, id, testCard); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := other.AdvanceClock(ctx, shop.ID, tt.advance-tt.typedAgain); err != nil {
				t.Fatal(err)
			}
			if got := stored(id); got != tt.kept {
				t.Errorf("%s: card still stored = %v, want %v", tt.name, got, tt.kept)
			}
			shop, _ = svc.ShopByID(ctx, shop.ID)
		}

		// A card whose expiry passed on the shop's clock, but that the
		// worker did not delete yet, cannot be used.
		o3 := order("ord_late")
		if err := svc.HoldCard(ctx, shop, o3, testCard); err != nil {
			t.Fatal(err)
		}
		clk.t = clk.t.Add(16 * time.Minute)
		if _, err := other.TakeHeldCard(ctx, shop, o3); guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Errorf("expired card taken: %v", err)
		}
		// Another shop's card is not this shop's to take.
		clk.t = clk.t.Add(-16 * time.Minute)
		if err := svc.HoldCard(ctx, shop, o3, testCard); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.TakeHeldCard(ctx, &guichet.Shop{ID: "s2", Mode: guichet.ModeTest}, o3); guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Errorf("another shop took the card: %v", err)
		}
		if c, err := other.TakeHeldCard(ctx, shop, o3); err != nil || c.PAN != testCard.PAN {
			t.Errorf("the card another shop asked for is gone: %v", err)
		}
		if err := svc.HoldCard(ctx, &guichet.Shop{ID: "s2", Mode: guichet.ModeTest}, o3, testCard); guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Errorf("another shop held a card for the order: %v", err)
		}
		// No card waits for an order that is paid already.
		if _, err := svc.CloseOrder(ctx, shop, o3, guichet.OrderCancelled); err != nil {
			t.Fatal(err)
		}
		if err := svc.HoldCard(ctx, shop, o3, testCard); guichet.ErrorReason(err) != guichet.ReasonState {
			t.Errorf("card held for a closed order: %v", err)
		}
	})
}
