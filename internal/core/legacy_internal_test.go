package core

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"guichet"
	"guichet/internal/sim"
	"guichet/internal/store/sqlite"
	"guichet/internal/vault"
)

// movingClock is a clock tests move forward.
type movingClock struct{ t time.Time }

func (c *movingClock) Now() time.Time { return c.t }

// TestLegacyJobs: jobs written before instalments and subscriptions ran as
// recurring payments (one job per instalment; a subscription's job in
// Paybox's terms) still charge their payments, announced as before.
func TestLegacyJobs(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	clk := &movingClock{time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	v, _ := vault.New(bytes.Repeat([]byte{1}, 32))
	svc := New(store, sim.New(clk.Now), v, clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.RegisterNotifier("test", Silent)
	shop := &guichet.Shop{ID: "s1", Name: "s1", Mode: guichet.ModeTest}
	if err := svc.PutShop(ctx, shop); err != nil {
		t.Fatal(err)
	}
	card := guichet.Card{PAN: "1111222233334444", ExpMonth: 12, ExpYear: 2030}
	eur := func(a int64) guichet.Money { return guichet.Money{Amount: a, Currency: "EUR"} }

	// An order paid in two times, its second payment in an old job.
	o, _ := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ord_inst", Protocol: "test", Reference: "inst", Amount: eur(500)})
	if _, _, _, err := svc.PayOrder(ctx, PayRequest{Shop: shop, OrderID: o.ID, Card: card, SaveAs: "kept"}); err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(instalmentJob{Order: o.ID, Token: "kept", Amount: 700, Currency: "EUR", Payment: 2, Payments: 2})
	// A subscription started on another order, its job rewritten as jobs
	// were before.
	sub, _ := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ord_sub", Protocol: "test", Reference: "sub", Amount: eur(900)})
	_, first, _, err := svc.PayOrder(ctx, PayRequest{Shop: shop, OrderID: sub.ID, Card: card,
		Subscription: &Subscription{Reference: "abo", Months: 1}})
	if err != nil {
		t.Fatal(err)
	}
	sj, _ := json.Marshal(subscriptionJob{Order: sub.ID, Number: first.Number, Reference: "abo", TokenID: subscriptionTokenID(first.Number),
		Amount: 900, Currency: "EUR", Count: 1, Months: 1, First: civil(clk.t)})
	err = store.Update(ctx, func(tx guichet.Tx) error {
		if err := tx.PutJob(&guichet.Job{ID: "job_old_inst", ShopID: shop.ID, Kind: jobInstalment, Ref: o.ID,
			DueAt: dueOn(svc, civil(clk.t).AddDate(0, 0, 10)), Data: data}); err != nil {
			return err
		}
		return tx.PutJob(&guichet.Job{ID: subscriptionJobID(first.Number), ShopID: shop.ID, Kind: jobSubscription, Ref: sub.ID,
			DueAt: dueOn(svc, civil(clk.t).AddDate(0, 1, 0)), Data: sj})
	})
	if err != nil {
		t.Fatal(err)
	}
	clk.t = clk.t.AddDate(0, 1, 1)
	if _, err := svc.RunDue(ctx, shop.ID); err != nil {
		t.Fatal(err)
	}
	events := map[guichet.EventType]string{}
	for _, order := range []string{o.ID, sub.ID} {
		list, err := svc.Transactions(ctx, guichet.TransactionFilter{ShopID: shop.ID, OrderID: order})
		if err != nil || len(list) != 2 {
			t.Fatalf("order %s: %d transactions, %v", order, len(list), err)
		}
		store.View(ctx, func(tx guichet.Tx) error {
			evs, _ := tx.Events(list[0].ID)
			for _, e := range evs {
				events[e.Type] = string(e.Data)
			}
			return nil
		})
	}
	var ie InstalmentEvent
	var se SubscriptionEvent
	if json.Unmarshal([]byte(events[guichet.EventInstalment]), &ie) != nil || ie.Payment != 2 || ie.Payments != 2 || ie.Amount != 700 {
		t.Errorf("old instalment job: %s", events[guichet.EventInstalment])
	}
	if json.Unmarshal([]byte(events[guichet.EventRenewal]), &se) != nil || se.Renewal != 1 || !se.Ended || se.Amount != 900 {
		t.Errorf("old subscription job: %s", events[guichet.EventRenewal])
	}
	// The subscription ended with its last renewal: its card is forgotten.
	if _, err := svc.Token(ctx, shop, subscriptionTokenPrefix+"abo"); guichet.ErrorCode(err) != guichet.CodeNotFound {
		t.Errorf("the ended subscription's card: %v", err)
	}
}

// dueOn is when a payment of a civil date falls due.
func dueOn(svc *Service, date time.Time) time.Time { return svc.instalmentDue(date) }
