package core_test

import (
	"context"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
)

// TestStartRecurringDue: recurring payments whose first occurrence falls
// due today have it charged before the start returns; those that start
// later leave every occurrence to the clock.
func TestStartRecurringDue(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, _ *clock) {
		ctx := context.Background()
		o, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ord_card", Protocol: "test", Reference: "card", Amount: eur(0)})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, Card: testCard, SaveAs: "w1"}); err != nil {
			t.Fatal(err)
		}
		charged := func(order string) []guichet.Transaction {
			t.Helper()
			list, err := svc.Transactions(ctx, guichet.TransactionFilter{ShopID: shop.ID, OrderID: order, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			return list
		}

		// The shop's clock reads 2026-11-23 11:00 in Paris.
		plan := []core.Instalment{{Amount: 400, Date: civil(2026, 11, 23)}, {Amount: 300, Date: civil(2026, 12, 23)}}
		now := &guichet.Order{ID: "rec_now", Protocol: "test", Reference: "now", Amount: eur(700)}
		if err := svc.StartRecurringDue(ctx, shop, now, "w1", core.Recurrence{First: plan[0].Date, Plan: plan, Amount: 700}); err != nil {
			t.Fatal(err)
		}
		list := charged("rec_now")
		if len(list) != 1 || list[0].Amount != 400 || list[0].Status != guichet.StatusCaptured {
			t.Fatalf("first occurrence due today: %+v", list)
		}

		later := &guichet.Order{ID: "rec_later", Protocol: "test", Reference: "later", Amount: eur(500)}
		r := core.Recurrence{First: civil(2026, 11, 24), Freq: core.Monthly, Interval: 1, Count: 2, Amount: 500}
		if err := svc.StartRecurringDue(ctx, shop, later, "w1", r); err != nil {
			t.Fatal(err)
		}
		if n := len(charged("rec_later")); n != 0 {
			t.Fatalf("an occurrence due tomorrow was charged today: %d", n)
		}
		if _, _, err := svc.AdvanceClock(ctx, shop.ID, 24*time.Hour); err != nil {
			t.Fatal(err)
		}
		if n := len(charged("rec_later")); n != 1 {
			t.Errorf("tomorrow: %d payments, want 1", n)
		}
		if _, _, err := svc.AdvanceClock(ctx, shop.ID, 31*24*time.Hour); err != nil {
			t.Fatal(err)
		}
		if a, b := len(charged("rec_now")), len(charged("rec_later")); a != 2 || b != 2 {
			t.Errorf("a month on: %d and %d payments, want 2 each", a, b)
		}

		// The start is refused as StartRecurring refuses it, and charges
		// nothing.
		gone := &guichet.Order{ID: "rec_gone", Protocol: "test", Reference: "gone", Amount: eur(100)}
		err = svc.StartRecurringDue(ctx, shop, gone, "nosuch", core.Recurrence{First: civil(2026, 12, 24), Plan: []core.Instalment{{Amount: 100, Date: civil(2026, 12, 24)}}, Amount: 100})
		wantReason(t, err, guichet.ReasonTokenMissing, "starting on an unknown token")
	})
}

// TestSaveAsNew: a card kept under a reference already taken is refused
// when the payment says the reference must be new, and leaves the token
// as it was; otherwise it replaces the token's card, and the transaction
// names the token it kept, whose ID does not change.
func TestSaveAsNew(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, _ *clock) {
		ctx := context.Background()
		open := func(id string) string {
			t.Helper()
			o, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: id, Protocol: "test", Reference: id, Amount: eur(0)})
			if err != nil {
				t.Fatal(err)
			}
			return o.ID
		}
		_, _, first, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: open("o1"), Card: testCard, SaveAs: "w1", SaveAsNew: true})
		if err != nil || first == nil {
			t.Fatalf("a new reference: %v", err)
		}
		other := guichet.Card{PAN: "4970101122334471", ExpMonth: 12, ExpYear: 2030}
		_, _, _, err = svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: open("o2"), Card: other, SaveAs: "w1", SaveAsNew: true})
		wantReason(t, err, guichet.ReasonTokenExists, "a reference taken")
		tok, err := svc.Token(ctx, shop, "w1")
		if err != nil || tok.Handle != first.Handle || tok.OrderID != "o1" {
			t.Fatalf("the refusal changed the token: %+v, %v", tok, err)
		}

		_, tr, replaced, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: open("o3"), Card: other, SaveAs: "w1"})
		if err != nil || replaced.ID != first.ID || tr.TokenID != first.ID {
			t.Fatalf("replacing: token %+v, transaction's token %q, %v", replaced, tr.TokenID, err)
		}
		tok, err = svc.Token(ctx, shop, "w1")
		if err != nil || tok.OrderID != "o3" || tok.Card.Masked == first.Card.Masked {
			t.Errorf("replaced token: %+v, %v", tok, err)
		}
	})
}
