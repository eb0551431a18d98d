package core_test

import (
	"context"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
)

func civil(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestCheckInstalments(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, _ *clock) {
		// The shop's clock reads 2026-11-23 11:00 in Paris.
		for _, c := range []struct {
			name  string
			plan  []core.Instalment
			index int
			field string
		}{
			{"ok", []core.Instalment{{Amount: 100, Date: civil(2026, 11, 24)}, {Amount: 100, Date: civil(2027, 2, 21)}}, -1, ""},
			{"today", []core.Instalment{{Amount: 100, Date: civil(2026, 11, 23)}}, 0, "date"},
			{"91 days", []core.Instalment{{Amount: 100, Date: civil(2026, 12, 1)}, {Amount: 100, Date: civil(2027, 2, 22)}}, 1, "date"},
			{"same day", []core.Instalment{{Amount: 100, Date: civil(2026, 12, 1)}, {Amount: 100, Date: civil(2026, 12, 1)}}, 1, "date"},
			{"zero", []core.Instalment{{Amount: 0, Date: civil(2026, 12, 1)}}, 0, "amount"},
			{"five payments", []core.Instalment{{Amount: 1, Date: civil(2026, 12, 1)}, {Amount: 1, Date: civil(2026, 12, 2)}, {Amount: 1, Date: civil(2026, 12, 3)}, {Amount: 1, Date: civil(2026, 12, 4)}}, 3, "amount"},
		} {
			err := svc.CheckInstalments(shop, c.plan)
			index, field, ok := core.InstalmentFault(err)
			switch {
			case c.index < 0 && err != nil:
				t.Errorf("%s: %v", c.name, err)
			case c.index >= 0 && (!ok || index != c.index || field != c.field || guichet.ErrorCode(err) != guichet.CodeInvalid):
				t.Errorf("%s: %v, want instalment %d %s", c.name, err, c.index+1, c.field)
			}
		}
	})
}

// TestScheduleLimits checks a provider's own limits: twelve months rather
// than 90 days, and a card that must outlive the plan.
func TestScheduleLimits(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, _ *clock) {
		lim := core.ScheduleLimits{MaxLater: 3, MaxMonths: 12, WithinCardExpiry: true}
		ok := []core.Instalment{{Amount: 100, Date: civil(2027, 2, 21)}, {Amount: 100, Date: civil(2027, 11, 23)}}
		if err := svc.CheckSchedule(shop, ok, lim); err != nil {
			t.Errorf("twelve months: %v", err)
		}
		late := []core.Instalment{{Amount: 100, Date: civil(2027, 11, 24)}}
		if i, field, _ := core.InstalmentFault(svc.CheckSchedule(shop, late, lim)); i != 0 || field != "date" {
			t.Errorf("twelve months and a day: instalment %d %s", i+1, field)
		}
		// A card expiring in October 2027 cannot pay in November.
		ctx := context.Background()
		o, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ord_exp", Protocol: "test", Reference: "exp", Amount: eur(300)})
		if err != nil {
			t.Fatal(err)
		}
		card := testCard
		card.ExpMonth, card.ExpYear = 10, 2027
		_, _, _, err = svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, Card: card, Instalments: ok, Limits: lim})
		if i, field, _ := core.InstalmentFault(err); i != 1 || field != "expiry" {
			t.Errorf("card expiring before the last payment: %v", err)
		}
	})
}

// TestInstalmentsCharge pays an order in three times: each instalment is a
// captured transaction of the order, charged on the card the vault keeps
// under an internal reference until the last one.
func TestInstalmentsCharge(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, _ *clock) {
		ctx := context.Background()
		o, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ord_1", Protocol: "test", Reference: "three", Amount: eur(1250)})
		if err != nil {
			t.Fatal(err)
		}
		plan := []core.Instalment{{Amount: 1000, Date: civil(2026, 12, 23)}, {Amount: 750, Date: civil(2027, 1, 22)}}
		_, first, tok, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, Card: testCard, Method: "CARTE", Instalments: plan})
		if err != nil || first.Status != guichet.StatusCaptured || tok == nil || tok.Reference != "instalments:ord_1" {
			t.Fatalf("first payment %+v, token %+v: %v", first, tok, err)
		}
		count := func() []guichet.Transaction {
			var list []guichet.Transaction
			svc.Store().View(ctx, func(tx guichet.Tx) (err error) {
				list, err = tx.Transactions(guichet.TransactionFilter{ShopID: shop.ID})
				return err
			})
			return list
		}
		if _, ran, err := svc.AdvanceClock(ctx, shop.ID, 29*24*time.Hour+12*time.Hour); err != nil || ran != 0 || len(count()) != 1 {
			t.Fatalf("before the first date: %d jobs ran, %d transactions, %v", ran, len(count()), err)
		}
		if _, _, err := svc.AdvanceClock(ctx, shop.ID, 31*24*time.Hour); err != nil {
			t.Fatal(err)
		}
		list := count()
		if len(list) != 3 {
			t.Fatalf("%d transactions", len(list))
		}
		amounts := map[int64]bool{}
		for _, tr := range list {
			if tr.OrderID != o.ID || tr.Status != guichet.StatusCaptured || tr.Reference != "three" || tr.Method != "CARTE" {
				t.Errorf("transaction %+v", tr)
			}
			amounts[tr.Amount] = true
		}
		if !amounts[1250] || !amounts[1000] || !amounts[750] {
			t.Errorf("amounts %v", amounts)
		}
		err = svc.Store().View(ctx, func(tx guichet.Tx) error {
			_, err := tx.Token(shop.ID, tok.Reference)
			return err
		})
		if guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Errorf("the internal token outlived the last instalment: %v", err)
		}

		// A refused first payment schedules nothing.
		o2, _ := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ord_2", Protocol: "test", Reference: "refused", Amount: eur(1250)})
		_, tr, _, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o2.ID, Card: testCard, ForceCode: "05",
			Instalments: []core.Instalment{{Amount: 1000, Date: civil(2027, 2, 1)}}})
		if err != nil || tr.Status != guichet.StatusRefused {
			t.Fatalf("refused first payment %+v: %v", tr, err)
		}
		if _, ran, err := svc.AdvanceClock(ctx, shop.ID, 30*24*time.Hour); err != nil || ran != 0 {
			t.Errorf("after a refused first payment, %d jobs ran: %v", ran, err)
		}
	})
}
