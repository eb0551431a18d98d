package core_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/sim"
	"guichet/internal/store/postgres"
	"guichet/internal/store/postgres/pgtest"
	"guichet/internal/store/sqlite"
	"guichet/internal/vault"
)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

// stores runs a test against each real store: SQLite always, PostgreSQL
// when GUICHET_TEST_POSTGRES names a server.
func stores(t *testing.T, test func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock)) {
	open := map[string]func(t *testing.T) guichet.Store{
		"sqlite": func(t *testing.T) guichet.Store {
			s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "g.db"))
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		"postgres": func(t *testing.T) guichet.Store {
			s, err := postgres.Open(context.Background(), pgtest.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			store := open[name](t)
			t.Cleanup(func() { store.Close() })
			clk := &clock{time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
			v, _ := vault.New(bytes.Repeat([]byte{1}, 32))
			svc := silent(core.New(store, sim.New(clk.Now), v, clk, slog.New(slog.NewTextHandler(io.Discard, nil))))
			shop := &guichet.Shop{ID: "s1", Name: "s1", Mode: guichet.ModeTest}
			if err := store.Update(context.Background(), func(tx guichet.Tx) error { return tx.PutShop(shop) }); err != nil {
				t.Fatal(err)
			}
			test(t, svc, shop, clk)
		})
	}
}

// silent registers the notifier of the orders the tests open, which
// notify nothing.
func silent(svc *core.Service) *core.Service {
	for _, p := range []string{"test", "lyra"} {
		svc.RegisterNotifier(p, core.Silent)
	}
	return svc
}

var testCard = guichet.Card{PAN: "1111222233334444", ExpMonth: 12, ExpYear: 2030, CVV: "123"}

func eur(a int64) guichet.Money { return guichet.Money{Amount: a, Currency: "EUR"} }

// TestConcurrentOperations races 100 captures, then 100 refunds, on one
// transaction: whatever the interleaving, the sums never exceed what the
// rules allow, and every approved operation is accounted for.
func TestConcurrentOperations(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, _ *clock) {
		ctx := context.Background()
		tr, err := svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "race", Amount: eur(1000), Card: testCard})
		if err != nil {
			t.Fatal(err)
		}
		race := func(kind guichet.OperationKind, amount int64) (okSum int64) {
			var mu sync.Mutex
			var wg sync.WaitGroup
			for range 100 {
				wg.Go(func() {
					_, op, err := svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: kind, Number: tr.Number, Amount: eur(amount)})
					if err != nil {
						if c := guichet.ErrorCode(err); c != guichet.CodeInvalid && c != guichet.CodeConflict {
							t.Errorf("%s: unexpected error %v", kind, err)
						}
						return
					}
					mu.Lock()
					okSum += op.Amount
					mu.Unlock()
				})
			}
			wg.Wait()
			return okSum
		}
		// 100 captures of 30 on 1000 authorized: at most 33 succeed.
		captured := race(guichet.OpCapture, 30)
		// 100 refunds of 13 on the 990 captured: at most 76 succeed.
		refunded := race(guichet.OpRefund, 13)

		got, err := svc.Inquire(ctx, shop, tr.First().Number, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		if got.Captured != captured || got.Captured != 990 {
			t.Errorf("captured %d, sum of approved captures %d, want 990", got.Captured, captured)
		}
		if got.Refunded != refunded || got.Refunded > got.Captured || got.Refunded != 988 {
			t.Errorf("refunded %d, sum of approved refunds %d, captured %d", got.Refunded, refunded, got.Captured)
		}
		if want := 1 + 33 + 76; len(got.Operations) != want {
			t.Errorf("%d operations, want %d", len(got.Operations), want)
		}
	})
}

// TestLifecycle walks one transaction through the operations a merchant
// uses, and checks the events written with each change.
func TestLifecycle(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		tr, err := svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "o1", Amount: eur(5000), Card: testCard, RequestKey: "q1"})
		if err != nil || tr.Status != guichet.StatusAuthorized || tr.AuthCode != "XXXXXX" {
			t.Fatalf("authorize: %+v, %v", tr, err)
		}
		if tr.Card.Masked != "111122XXXXXX4444" || len(tr.Card.Sealed) == 0 || bytes.Contains(tr.Card.Sealed, []byte(testCard.PAN)) {
			t.Errorf("stored card %+v", tr.Card)
		}
		// The same request key cannot be used twice.
		_, err = svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "o1", Amount: eur(5000), Card: testCard, RequestKey: "q1"})
		if guichet.ErrorReason(err) != guichet.ReasonDuplicate {
			t.Errorf("reused key: %v", err)
		}
		op := func(kind guichet.OperationKind, amount int64) error {
			_, _, err := svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: kind, Number: tr.Number, Amount: eur(amount)})
			return err
		}
		steps := []struct {
			kind   guichet.OperationKind
			amount int64
			reason guichet.Reason
		}{
			{guichet.OpUpdateAmount, 4000, ""},
			{guichet.OpCapture, 2500, ""},
			{guichet.OpCapture, 1500, ""},
			{guichet.OpCapture, 1, guichet.ReasonAmount},
			{guichet.OpRefund, 1000, ""},
			{guichet.OpCancel, 4000, guichet.ReasonState}, // refunds started: no cancellation
			{guichet.OpRefund, 3001, guichet.ReasonAmount},
			{guichet.OpRefund, 3000, ""},
			{guichet.OpRefund, 1, guichet.ReasonAmount},
		}
		for _, s := range steps {
			err := op(s.kind, s.amount)
			if (err == nil) != (s.reason == "") || guichet.ErrorReason(err) != s.reason {
				t.Fatalf("%s %d: %v, want reason %q", s.kind, s.amount, err, s.reason)
			}
		}
		got, _ := svc.Inquire(ctx, shop, tr.First().Number, tr.Number, "")
		if got.Status != guichet.StatusRefunded || got.Amount != 4000 || got.Captured != 4000 || got.Refunded != 4000 {
			t.Errorf("final %+v", got)
		}
		var events []guichet.Event
		svc.Store().View(ctx, func(tx guichet.Tx) (err error) { events, err = tx.Events(tr.ID); return err })
		var types []string
		for _, e := range events {
			types = append(types, string(e.Type))
		}
		want := "transaction.authorized transaction.amount_updated transaction.captured transaction.captured transaction.refunded transaction.refunded"
		if got := strings.Join(types, " "); got != want {
			t.Errorf("events %s\nwant   %s", got, want)
		}

		// A capture is cancellable until the evening remittance, not after.
		t2, _ := svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "o2", Amount: eur(100), Card: testCard, Capture: true})
		t3, _ := svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "o3", Amount: eur(100), Card: testCard, Capture: true})
		if _, _, err := svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: guichet.OpCancel, Number: t2.Number, Amount: eur(100)}); err != nil {
			t.Errorf("cancel before remittance: %v", err)
		}
		clk.t = clk.t.Add(24 * time.Hour)
		if _, _, err := svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: guichet.OpCancel, Number: t3.Number, Amount: eur(100)}); guichet.ErrorReason(err) != guichet.ReasonState {
			t.Errorf("cancel after remittance: %v", err)
		}
		// The shop's clock, not the host's, decides: advancing it remits.
		shop.ClockOffset = 48 * time.Hour
		clk.t = clk.t.Add(-24 * time.Hour)
		if !t2.Remitted(svc.Now(shop)) {
			t.Errorf("shop clock %v not past remittance %v", svc.Now(shop), t2.RemitAt)
		}
	})
}

// TestRefusalsChangeNothing checks that invalid requests leave the store
// untouched and that an issuer refusal is a result, not an error.
func TestRefusalsChangeNothing(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, _ *clock) {
		ctx := context.Background()
		bad := []core.CardRequest{
			{Shop: shop, Amount: eur(0), Card: testCard},
			{Shop: shop, Amount: guichet.Money{Amount: 1, Currency: "XXX"}, Card: testCard},
			{Shop: shop, Amount: eur(1), Card: guichet.Card{PAN: "1111222233335555", ExpMonth: 1, ExpYear: 2030}},
			{Shop: shop, Amount: eur(1), Card: guichet.Card{PAN: testCard.PAN, ExpMonth: 1, ExpYear: 2020}},
			{Shop: shop, Amount: eur(1), Token: "nobody"},
		}
		for _, r := range bad {
			if _, err := svc.Authorize(ctx, r); err == nil {
				t.Errorf("%+v accepted", r.Amount)
			}
		}
		var list []guichet.Transaction
		svc.Store().View(ctx, func(tx guichet.Tx) (err error) {
			list, err = tx.Transactions(guichet.TransactionFilter{ShopID: shop.ID})
			return err
		})
		if len(list) != 0 {
			t.Errorf("refused requests left %d transactions", len(list))
		}
		tr, err := svc.Authorize(ctx, core.CardRequest{Shop: shop, Amount: eur(1), Card: testCard, ForceCode: "51"})
		if err != nil || tr.Status != guichet.StatusRefused || tr.ResponseCode != "51" || tr.AuthCode != "" {
			t.Errorf("forced refusal: %+v, %v", tr, err)
		}
	})
}
