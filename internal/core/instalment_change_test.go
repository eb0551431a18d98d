package core_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/sim"
	"guichet/internal/vault"
)

// instalmentJob reads the job charging an order's later payments: its due
// time and its data, to tell whether a refused change left it alone.
func instalmentJob(t *testing.T, svc *core.Service, orderID string) (time.Time, string) {
	t.Helper()
	var j *guichet.Job
	err := svc.Store().View(context.Background(), func(tx guichet.Tx) (err error) {
		j, err = tx.Job("job_inst_" + orderID)
		return err
	})
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return time.Time{}, ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return j.DueAt, string(j.Data)
}

// payInFour pays an order of 3500 in four times: 1250 today (2026-11-23),
// then 1000, 750 and 500 a month apart.
func payInFour(t *testing.T, svc *core.Service, shop *guichet.Shop, id string, lim core.ScheduleLimits) *guichet.Order {
	t.Helper()
	ctx := context.Background()
	o, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: id, Protocol: "test", Reference: id, Amount: eur(3500)})
	if err != nil {
		t.Fatal(err)
	}
	plan := []core.Instalment{{Amount: 1000, Date: civil(2026, 12, 23)}, {Amount: 750, Date: civil(2027, 1, 22)},
		{Amount: 500, Date: civil(2027, 2, 21)}}
	o, first, _, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, Card: testCard, Amount: 1250, Instalments: plan, Limits: lim})
	if err != nil || first.Status != guichet.StatusCaptured {
		t.Fatalf("first payment %+v: %v", first, err)
	}
	return o
}

// TestChangeInstalmentRefusals: every change a rule forbids is refused
// with its reason, and leaves the plan as it was.
func TestChangeInstalmentRefusals(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, _ *clock) {
		ctx := context.Background()
		lim := core.ScheduleLimits{MaxLater: 3, MaxMonths: 12, WithinCardExpiry: true}
		o := payInFour(t, svc, shop, "ord_ref", lim)
		due, data := instalmentJob(t, svc, o.ID)
		if data == "" {
			t.Fatal("no job charges the later payments")
		}
		for _, c := range []struct {
			name   string
			change core.InstalmentChange
			code   guichet.Code
			reason guichet.Reason
			field  string // the InstalmentFault field, for ReasonSchedule
		}{
			{"unknown order", core.InstalmentChange{OrderID: "ord_none", Payment: 2, Cancel: true}, guichet.CodeNotFound, "", ""},
			{"payment 0", core.InstalmentChange{Payment: 0, Cancel: true}, guichet.CodeNotFound, "", ""},
			{"payment 5 of 4", core.InstalmentChange{Payment: 5, Cancel: true}, guichet.CodeNotFound, "", ""},
			{"the first payment", core.InstalmentChange{Payment: 1, Cancel: true}, guichet.CodeConflict, guichet.ReasonState, ""},
			{"negative amount", core.InstalmentChange{Payment: 2, Amount: -1}, guichet.CodeInvalid, guichet.ReasonSchedule, "amount"},
			{"today", core.InstalmentChange{Payment: 2, Date: civil(2026, 11, 23)}, guichet.CodeInvalid, guichet.ReasonSchedule, "date"},
			{"in the past", core.InstalmentChange{Payment: 2, Date: civil(2026, 10, 1)}, guichet.CodeInvalid, guichet.ReasonSchedule, "date"},
			{"before the payment before it", core.InstalmentChange{Payment: 3, Date: civil(2026, 12, 22)}, guichet.CodeInvalid, guichet.ReasonSchedule, "date"},
			{"on the day of the payment after it", core.InstalmentChange{Payment: 2, Date: civil(2027, 1, 22)}, guichet.CodeInvalid, guichet.ReasonSchedule, "date"},
			{"after the payment after it", core.InstalmentChange{Payment: 3, Date: civil(2027, 3, 1)}, guichet.CodeInvalid, guichet.ReasonSchedule, "date"},
			{"beyond twelve months", core.InstalmentChange{Payment: 4, Date: civil(2027, 11, 24)}, guichet.CodeInvalid, guichet.ReasonSchedule, "date"},
			{"the order changed since", core.InstalmentChange{Payment: 2, Cancel: true, Seen: o.UpdatedAt.Add(-time.Second)}, guichet.CodeConflict, guichet.ReasonState, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				if c.change.OrderID == "" {
					c.change.OrderID = o.ID
				}
				c.change.Limits = lim
				_, err := svc.ChangeInstalment(ctx, shop, c.change)
				if guichet.ErrorCode(err) != c.code || guichet.ErrorReason(err) != c.reason {
					t.Fatalf("got %v (%s, %s), want %s, %s", err, guichet.ErrorCode(err), guichet.ErrorReason(err), c.code, c.reason)
				}
				if _, field, _ := core.InstalmentFault(err); field != c.field {
					t.Errorf("fault on %q, want %q", field, c.field)
				}
				if d, j := instalmentJob(t, svc, o.ID); !d.Equal(due) || j != data {
					t.Errorf("the refusal changed the job: due %v, %s", d, j)
				}
			})
		}

		// A card expiring in March 2027 cannot pay in April.
		card := testCard
		card.ExpMonth, card.ExpYear = 3, 2027
		o2, _ := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ord_exp", Protocol: "test", Reference: "exp", Amount: eur(2000)})
		_, _, _, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o2.ID, Card: card, Amount: 1000,
			Instalments: []core.Instalment{{Amount: 1000, Date: civil(2027, 1, 5)}}, Limits: lim})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.ChangeInstalment(ctx, shop, core.InstalmentChange{OrderID: o2.ID, Payment: 2, Date: civil(2027, 4, 1), Limits: lim})
		if _, field, _ := core.InstalmentFault(err); field != "expiry" {
			t.Errorf("a date after the card's expiry: %v", err)
		}
	})
}

// TestChangeInstalment moves and re-prices one later payment and cancels
// another: the clock charges the moved one on its new date, never the
// cancelled one, and the others as planned; once charged, a payment may
// not change any more.
func TestChangeInstalment(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		o := payInFour(t, svc, shop, "ord_chg", core.ScheduleLimits{MaxLater: 3, MaxMonths: 12})
		// Payment 2 moves from 23 December to 5 January, for 1100.
		if _, err := svc.ChangeInstalment(ctx, shop, core.InstalmentChange{OrderID: o.ID, Payment: 2, Amount: 1100,
			Date: civil(2027, 1, 5), Seen: o.UpdatedAt}); err != nil {
			t.Fatal(err)
		}
		due, _ := instalmentJob(t, svc, o.ID)
		if want := time.Date(2027, 1, 5, 0, 0, 0, 0, svc.Paris()); !due.Equal(want) {
			t.Errorf("the job is due %v, want %v", due, want)
		}
		got, err := svc.ChangeInstalment(ctx, shop, core.InstalmentChange{OrderID: o.ID, Payment: 3, Cancel: true})
		if err != nil {
			t.Fatal(err)
		}
		if got.Amount.Amount != 3500 {
			t.Errorf("the order's amount changed to %d", got.Amount.Amount)
		}
		_, err = svc.ChangeInstalment(ctx, shop, core.InstalmentChange{OrderID: o.ID, Payment: 3, Cancel: true})
		if guichet.ErrorReason(err) != guichet.ReasonAlreadyCancelled {
			t.Errorf("cancelled twice: %v", err)
		}
		_, err = svc.ChangeInstalment(ctx, shop, core.InstalmentChange{OrderID: o.ID, Payment: 3, Amount: 10})
		if guichet.ErrorReason(err) != guichet.ReasonState {
			t.Errorf("a cancelled payment re-priced: %v", err)
		}
		var events []guichet.Event
		svc.Store().View(ctx, func(tx guichet.Tx) (err error) {
			events, err = tx.Events("")
			return err
		})
		changes := 0
		for _, e := range events {
			if e.Type == guichet.EventInstalmentChanged {
				var d core.InstalmentChangeEvent
				json.Unmarshal(e.Data, &d)
				if d.Order != o.ID || d.Payments != 4 || (d.Payment == 3) != d.Cancelled {
					t.Errorf("event %+v", d)
				}
				changes++
			}
		}
		if changes != 2 {
			t.Errorf("%d change events, want 2", changes)
		}

		charged := func() map[int64]bool {
			var list []guichet.Transaction
			svc.Store().View(ctx, func(tx guichet.Tx) (err error) {
				list, err = tx.Transactions(guichet.TransactionFilter{ShopID: shop.ID, OrderID: o.ID})
				return err
			})
			amounts := map[int64]bool{}
			for _, tr := range list {
				amounts[tr.Amount] = tr.Status == guichet.StatusCaptured
			}
			return amounts
		}
		// The shop's clock moves with its offset: the shop is read again
		// after each move, as every request reads it.
		advance := func(d time.Duration) {
			t.Helper()
			var err error
			if shop, _, err = svc.AdvanceClock(ctx, shop.ID, d); err != nil {
				t.Fatal(err)
			}
		}
		// 4 January, 23:00 in Paris: not yet.
		advance(42*24*time.Hour + 12*time.Hour)
		if c := charged(); len(c) != 1 {
			t.Fatalf("before the new date: %v", c)
		}
		advance(time.Hour)
		if c := charged(); len(c) != 2 || !c[1100] {
			t.Fatalf("on the new date: %v", c)
		}
		_, err = svc.ChangeInstalment(ctx, shop, core.InstalmentChange{OrderID: o.ID, Payment: 2, Amount: 10})
		if guichet.ErrorReason(err) != guichet.ReasonState {
			t.Errorf("a charged payment re-priced: %v", err)
		}
		// Past 22 January, whose payment is cancelled, and 21 February.
		advance(20 * 24 * time.Hour)
		if c := charged(); len(c) != 2 {
			t.Fatalf("the cancelled payment was charged: %v", c)
		}
		// Payment 4 falls due at midnight: until the worker runs, it may
		// not change any more.
		clk.t = clk.t.Add(30 * 24 * time.Hour)
		_, err = svc.ChangeInstalment(ctx, shop, core.InstalmentChange{OrderID: o.ID, Payment: 4, Amount: 10})
		if guichet.ErrorReason(err) != guichet.ReasonState {
			t.Errorf("a payment falling due re-priced: %v", err)
		}
		if _, err := svc.RunDue(ctx, shop.ID); err != nil {
			t.Fatal(err)
		}
		if c := charged(); len(c) != 3 || !c[500] {
			t.Fatalf("after 21 February: %v", c)
		}
		_, err = svc.ChangeInstalment(ctx, shop, core.InstalmentChange{OrderID: o.ID, Payment: 4, Amount: 10})
		if guichet.ErrorReason(err) != guichet.ReasonState {
			t.Errorf("a plan that ended changed: %v", err)
		}
	})
}

// TestCancelLastInstalments: cancelling every payment left ends the plan:
// its job is removed, and the card kept for the order only is forgotten.
func TestCancelLastInstalments(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, _ *clock) {
		ctx := context.Background()
		o := payInFour(t, svc, shop, "ord_end", core.ScheduleLimits{MaxLater: 3, MaxMonths: 12})
		for _, p := range []int{4, 2, 3} {
			if _, err := svc.ChangeInstalment(ctx, shop, core.InstalmentChange{OrderID: o.ID, Payment: p, Cancel: true}); err != nil {
				t.Fatalf("payment %d: %v", p, err)
			}
			_, data := instalmentJob(t, svc, o.ID)
			if (data == "") != (p == 3) {
				t.Errorf("after cancelling payment %d, job %q", p, data)
			}
		}
		err := svc.Store().View(ctx, func(tx guichet.Tx) error {
			_, err := tx.Token(shop.ID, "instalments:"+o.ID)
			return err
		})
		if guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Errorf("the card kept for the plan outlived it: %v", err)
		}
		if _, ran, err := svc.AdvanceClock(ctx, shop.ID, 120*24*time.Hour); err != nil || ran != 0 {
			t.Errorf("%d jobs ran after the plan ended: %v", ran, err)
		}
	})
}

// meddler is an acquirer that runs a change of the test's while it is
// asked for a payment: a merchant's call arriving while the worker charges
// an instalment.
type meddler struct {
	guichet.Acquirer
	during func()
}

func (m *meddler) Process(ctx context.Context, r guichet.AcquirerRequest) (guichet.AcquirerResult, error) {
	if m.during != nil && r.Kind == guichet.OpAuthorize {
		during := m.during
		m.during = nil
		during()
	}
	return m.Acquirer.Process(ctx, r)
}

// TestChangeDuringCharge: a change committed while the worker charges an
// earlier instalment survives the worker's rescheduling of the plan, and
// a change of the very instalment being charged (made through the store,
// since the service refuses it once due) wins over the charge.
func TestChangeDuringCharge(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		acq := &meddler{Acquirer: sim.New(clk.Now)}
		v, _ := vault.New(bytes.Repeat([]byte{1}, 32))
		svc = silent(core.New(svc.Store(), acq, v, clk, slog.New(slog.NewTextHandler(io.Discard, nil))))
		o := payInFour(t, svc, shop, "ord_race", core.ScheduleLimits{MaxLater: 3, MaxMonths: 12})
		acq.during = func() {
			if _, err := svc.ChangeInstalment(ctx, shop, core.InstalmentChange{OrderID: o.ID, Payment: 4, Cancel: true}); err != nil {
				t.Errorf("cancelling payment 4 during the charge of payment 2: %v", err)
			}
		}
		clk.t = time.Date(2026, 12, 23, 12, 0, 0, 0, time.UTC)
		if _, err := svc.RunDue(ctx, shop.ID); err != nil {
			t.Fatal(err)
		}
		_, data := instalmentJob(t, svc, o.ID)
		var job struct {
			Done       int `json:"done"`
			Recurrence struct {
				Plan []core.Instalment `json:"plan"`
			} `json:"recurrence"`
		}
		if err := json.Unmarshal([]byte(data), &job); err != nil || job.Done != 1 || len(job.Recurrence.Plan) != 3 ||
			!job.Recurrence.Plan[2].Cancelled {
			t.Fatalf("after the charge of payment 2, the plan is %s (%v)", data, err)
		}

		// Payment 3 is re-priced behind the service's back while the
		// worker charges it: the charge is not recorded.
		acq.during = func() {
			err := svc.Store().Update(ctx, func(tx guichet.Tx) error {
				j, err := tx.Job("job_inst_" + o.ID)
				if err != nil {
					return err
				}
				var raw map[string]any
				json.Unmarshal(j.Data, &raw)
				plan := raw["recurrence"].(map[string]any)["plan"].([]any)
				plan[1].(map[string]any)["Amount"] = 1
				j.Data, _ = json.Marshal(raw)
				return tx.PutJob(j)
			})
			if err != nil {
				t.Error(err)
			}
		}
		clk.t = time.Date(2027, 1, 22, 12, 0, 0, 0, time.UTC)
		if _, err := svc.RunDue(ctx, shop.ID); err != nil {
			t.Fatal(err)
		}
		var list []guichet.Transaction
		svc.Store().View(ctx, func(tx guichet.Tx) (err error) {
			list, err = tx.Transactions(guichet.TransactionFilter{ShopID: shop.ID, OrderID: o.ID})
			return err
		})
		if len(list) != 2 {
			t.Errorf("%d transactions, want the first payment and payment 2", len(list))
		}
	})
}
