package core_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/sim"
	"guichet/internal/vault"
)

// countingAcquirer is the simulator with hooks: it counts the requests it
// receives, and lets a test act while one is under way.
type countingAcquirer struct {
	*sim.Acquirer
	calls atomic.Int64
	// during, when set, runs inside Process, before the simulator answers.
	during func(ctx context.Context)
}

func (a *countingAcquirer) Process(ctx context.Context, r guichet.AcquirerRequest) (guichet.AcquirerResult, error) {
	a.calls.Add(1)
	if a.during != nil {
		a.during(ctx)
	}
	return a.Acquirer.Process(ctx, r)
}

// faultyStore is a real store whose Update fails, without writing
// anything, while armed: the fault of a store that dies between the
// acquirer's answer and the record.
type faultyStore struct {
	guichet.Store
	armed atomic.Bool
}

var errInjected = &guichet.Error{Code: guichet.CodeInternal, Message: "injected fault"}

func (s *faultyStore) Update(ctx context.Context, fn func(guichet.Tx) error) error {
	if s.armed.Load() {
		return errInjected
	}
	return s.Store.Update(ctx, fn)
}

// withAcquirer builds a service on svc's store and clock with another
// acquirer, as a restart of the instance would.
func withAcquirer(store guichet.Store, acq guichet.Acquirer, clk *clock) *core.Service {
	v, _ := vault.New(bytes.Repeat([]byte{1}, 32))
	return silent(core.New(store, acq, v, clk, slog.New(slog.NewTextHandler(io.Discard, nil))))
}

// TestOneKeyReachesTheAcquirerOnce sends 50 concurrent authorizations with
// one request key: one reaches the acquirer and is approved, the 49 others
// are duplicates that never reach it.
func TestOneKeyReachesTheAcquirerOnce(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		acq := &countingAcquirer{Acquirer: sim.New(clk.Now)}
		svc = withAcquirer(svc.Store(), acq, clk)
		approved, duplicates := authorizeAtOnce(t, svc, shop, "once", "question:1", 50)
		if acq.calls.Load() != 1 || approved != 1 || duplicates != 49 {
			t.Errorf("acquirer called %d times, %d approved, %d duplicates; want 1, 1, 49", acq.calls.Load(), approved, duplicates)
		}
	})
}

// authorizeAtOnce sends n concurrent authorizations with one reference and
// one request key, and counts those approved and those refused as
// duplicates; any other answer fails the test.
func authorizeAtOnce(t *testing.T, svc *core.Service, shop *guichet.Shop, reference, key string, n int) (approved, duplicates int64) {
	var a, d atomic.Int64
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			tr, err := svc.Authorize(context.Background(), core.CardRequest{Shop: shop, Reference: reference, Amount: eur(100),
				Card: testCard, RequestKey: key})
			switch {
			case err == nil && tr.Status == guichet.StatusAuthorized:
				a.Add(1)
			case guichet.ErrorReason(err) == guichet.ReasonDuplicate:
				d.Add(1)
			default:
				t.Errorf("unexpected answer %v, %v", tr, err)
			}
		})
	}
	wg.Wait()
	return a.Load(), d.Load()
}

// TestClientGoneAfterApproval: the client's request is cancelled while the
// acquirer approves (the client disconnected); the approval is recorded
// all the same.
func TestClientGoneAfterApproval(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx, cancel := context.WithCancel(context.Background())
		acq := &countingAcquirer{Acquirer: sim.New(clk.Now), during: func(context.Context) { cancel() }}
		svc = withAcquirer(svc.Store(), acq, clk)
		tr, err := svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "gone", Amount: eur(100), Card: testCard, RequestKey: "k"})
		if err != nil || tr.Status != guichet.StatusAuthorized {
			t.Fatalf("authorization of a client gone: %v, %v", tr, err)
		}
		found, err := svc.Find(context.Background(), shop, "gone", 100, "")
		if err != nil || found.ID != tr.ID {
			t.Errorf("approval lost: %v, %v", found, err)
		}
		// And a capture whose client goes away the same way.
		ctx, cancel = context.WithCancel(context.Background())
		defer cancel()
		acq.during = func(context.Context) { cancel() }
		if _, _, err := svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: guichet.OpCapture, Number: tr.Number, Amount: eur(100)}); err != nil {
			t.Fatalf("capture of a client gone: %v", err)
		}
		if got, _ := svc.Find(context.Background(), shop, "gone", 100, ""); got.Captured != 100 {
			t.Errorf("capture lost: captured %d", got.Captured)
		}
	})
}

// TestSlowAcquirer: an acquirer that does not answer within the timeout
// gets its request abandoned; the answer says the acquirer is unavailable,
// the key stays spent, and the claim waits for the janitor, which records
// nothing since the acquirer never answered.
func TestSlowAcquirer(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		acq := &countingAcquirer{Acquirer: sim.New(clk.Now), during: func(ctx context.Context) { <-ctx.Done() }}
		svc = withAcquirer(svc.Store(), acq, clk)
		svc.SetAcquirerTimeout(time.Millisecond)
		_, err := svc.Authorize(context.Background(), core.CardRequest{Shop: shop, Reference: "slow", Amount: eur(100), Card: testCard, RequestKey: "k"})
		if guichet.ErrorCode(err) != guichet.CodeUnavailable {
			t.Fatalf("slow acquirer: %v, want unavailable", err)
		}
		if _, err := svc.Find(context.Background(), shop, "slow", 100, ""); guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Errorf("a request the acquirer never answered was recorded: %v", err)
		}
		acq.during = nil
		_, err = svc.Authorize(context.Background(), core.CardRequest{Shop: shop, Reference: "slow", Amount: eur(100), Card: testCard, RequestKey: "k"})
		if guichet.ErrorReason(err) != guichet.ReasonDuplicate {
			t.Errorf("the key of an abandoned request: %v, want a duplicate", err)
		}
		// The claim waits for the janitor, which learns that the acquirer
		// never answered: it ends failed, and nothing is recorded.
		clk.t = clk.t.Add(time.Hour)
		if n, err := svc.SettleClaims(context.Background()); err != nil || n != 1 {
			t.Errorf("janitor settled %d (%v), want 1", n, err)
		}
		if _, err := svc.Find(context.Background(), shop, "slow", 100, ""); guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Errorf("the janitor recorded an answer the acquirer never gave: %v", err)
		}
	})
}

// TestFaultBetweenApprovalAndRecord: the store fails right after the
// acquirer approved, so the answer is an error and nothing is recorded;
// after a restart the janitor asks the acquirer, records the approval,
// and the key is never authorized twice.
func TestFaultBetweenApprovalAndRecord(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		store := &faultyStore{Store: svc.Store()}
		acq := &countingAcquirer{Acquirer: sim.New(clk.Now), during: func(context.Context) { store.armed.Store(true) }}
		crashed := withAcquirer(store, acq, clk)
		_, err := crashed.Authorize(context.Background(), core.CardRequest{Shop: shop, Reference: "lost", Amount: eur(700),
			Card: testCard, Capture: true, RequestKey: "k"})
		if !errors.Is(err, errInjected) {
			t.Fatalf("authorization through a failing store: %v", err)
		}
		if acq.calls.Load() != 1 {
			t.Fatalf("acquirer called %d times", acq.calls.Load())
		}

		// The restarted instance: the real store, the same acquirer.
		restarted := withAcquirer(svc.Store(), acq, clk)
		if _, err := restarted.Find(context.Background(), shop, "lost", 700, ""); guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Fatalf("before the janitor: %v", err)
		}
		// Too early: the request could still be running elsewhere.
		if n, err := restarted.SettleClaims(context.Background()); err != nil || n != 0 {
			t.Fatalf("janitor before the acquirer's timeout settled %d (%v)", n, err)
		}
		clk.t = clk.t.Add(2 * time.Minute)
		if n, err := restarted.SettleClaims(context.Background()); err != nil || n != 1 {
			t.Fatalf("janitor settled %d (%v), want 1", n, err)
		}
		tr, err := restarted.Find(context.Background(), shop, "lost", 700, "")
		if err != nil || tr.Status != guichet.StatusCaptured || tr.Captured != 700 || tr.AuthCode != "XXXXXX" || tr.Card.Masked != "111122XXXXXX4444" {
			t.Fatalf("recovered transaction: %+v, %v", tr, err)
		}
		// Settled once; the key stays spent.
		if n, _ := restarted.SettleClaims(context.Background()); n != 0 {
			t.Errorf("settled again: %d", n)
		}
		_, err = restarted.Authorize(context.Background(), core.CardRequest{Shop: shop, Reference: "lost", Amount: eur(700), Card: testCard, RequestKey: "k"})
		if guichet.ErrorReason(err) != guichet.ReasonDuplicate || acq.calls.Load() != 1 {
			t.Errorf("retry of the lost request: %v, acquirer called %d times", err, acq.calls.Load())
		}

		// The same for a capture whose record was lost.
		auth, err := restarted.Authorize(context.Background(), core.CardRequest{Shop: shop, Reference: "cap", Amount: eur(300), Card: testCard})
		if err != nil {
			t.Fatal(err)
		}
		store.armed.Store(false)
		acq.during = func(context.Context) { store.armed.Store(true) }
		if _, _, err := crashed.Operate(context.Background(), core.OperationRequest{Shop: shop, Kind: guichet.OpCapture, Number: auth.Number,
			Amount: eur(200), RequestKey: "cap-key"}); !errors.Is(err, errInjected) {
			t.Fatalf("capture through a failing store: %v", err)
		}
		clk.t = clk.t.Add(2 * time.Minute)
		if n, err := restarted.SettleClaims(context.Background()); err != nil || n != 1 {
			t.Fatalf("janitor settled %d (%v), want 1", n, err)
		}
		if got, _ := restarted.Find(context.Background(), shop, "cap", 300, ""); got.Captured != 200 {
			t.Errorf("recovered capture: captured %d, want 200", got.Captured)
		}
	})
}

// noInquiry hides the simulator's Inquire: an acquirer that cannot tell
// what became of a request.
type noInquiry struct{ acq *countingAcquirer }

func (n noInquiry) Process(ctx context.Context, r guichet.AcquirerRequest) (guichet.AcquirerResult, error) {
	return n.acq.Process(ctx, r)
}

// TestJanitorWithoutInquiry: when the acquirer cannot be asked, a lost
// outcome ends failed rather than pending for ever.
func TestJanitorWithoutInquiry(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		store := &faultyStore{Store: svc.Store()}
		acq := &countingAcquirer{Acquirer: sim.New(clk.Now), during: func(context.Context) { store.armed.Store(true) }}
		crashed := withAcquirer(store, noInquiry{acq}, clk)
		if _, err := crashed.Authorize(context.Background(), core.CardRequest{Shop: shop, Reference: "x", Amount: eur(1), Card: testCard, RequestKey: "k"}); err == nil {
			t.Fatal("no error through a failing store")
		}
		restarted := withAcquirer(svc.Store(), noInquiry{acq}, clk)
		clk.t = clk.t.Add(2 * time.Minute)
		if n, err := restarted.SettleClaims(context.Background()); err != nil || n != 1 {
			t.Fatalf("janitor settled %d (%v), want 1", n, err)
		}
		if _, err := restarted.Find(context.Background(), shop, "x", 1, ""); guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Errorf("an outcome nobody knows was recorded: %v", err)
		}
		if n, _ := restarted.SettleClaims(context.Background()); n != 0 {
			t.Errorf("settled again: %d", n)
		}
	})
}

// TestWorkerSettlesClaims: the worker runs the janitor as soon as it
// starts, beside the due jobs and the notifications.
func TestWorkerSettlesClaims(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		store := &faultyStore{Store: svc.Store()}
		acq := &countingAcquirer{Acquirer: sim.New(clk.Now), during: func(context.Context) { store.armed.Store(true) }}
		crashed := withAcquirer(store, acq, clk)
		_, err := crashed.Authorize(context.Background(), core.CardRequest{Shop: shop, Reference: "lost", Amount: eur(700),
			Card: testCard, Capture: true, RequestKey: "k"})
		if !errors.Is(err, errInjected) {
			t.Fatalf("authorization through a failing store: %v", err)
		}
		clk.t = clk.t.Add(2 * time.Minute)

		watch := &watched{Store: svc.Store(), updates: make(chan struct{}, 1)}
		restarted := withAcquirer(watch, acq, clk)
		ctx, stop := context.WithCancel(context.Background())
		worked := make(chan struct{})
		go func() { restarted.Work(ctx, time.Hour); close(worked) }()
		defer func() { stop(); <-worked }()
		deadline := time.After(time.Minute)
		for {
			tr, err := restarted.Find(context.Background(), shop, "lost", 700, "")
			if err == nil {
				if tr.Status != guichet.StatusCaptured || acq.calls.Load() != 1 {
					t.Errorf("recovered transaction %+v, acquirer called %d times", tr, acq.calls.Load())
				}
				return
			}
			select {
			case <-watch.updates:
			case <-deadline:
				t.Fatalf("the worker did not settle the claim: %v", err)
			}
		}
	})
}

// flakyAcquirer is unavailable while down is set.
type flakyAcquirer struct {
	*sim.Acquirer
	down  atomic.Bool
	calls atomic.Int64
}

func (a *flakyAcquirer) Process(ctx context.Context, r guichet.AcquirerRequest) (guichet.AcquirerResult, error) {
	a.calls.Add(1)
	if a.down.Load() {
		return guichet.AcquirerResult{}, &guichet.Error{Code: guichet.CodeUnavailable, Message: "acquirer down"}
	}
	return a.Acquirer.Process(ctx, r)
}

// TestInstalmentSurvivesAcquirerOutage: an instalment whose acquirer
// call fails is tried again later, once its claim is settled, and charged,
// not dropped.
func TestInstalmentSurvivesAcquirerOutage(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		acq := &flakyAcquirer{Acquirer: sim.New(clk.Now)}
		svc = withAcquirer(svc.Store(), acq, clk)
		o, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ord_1", Protocol: "test", Reference: "two", Amount: eur(1250)})
		if err != nil {
			t.Fatal(err)
		}
		plan := []core.Instalment{{Amount: 1000, Date: civil(2026, 12, 23)}}
		if _, _, _, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, Card: testCard, Method: "CARTE", Instalments: plan}); err != nil {
			t.Fatal(err)
		}
		acq.down.Store(true)
		_, _, err = svc.AdvanceClock(ctx, shop.ID, 31*24*time.Hour)
		t.Logf("during the outage: %v", err)
		acq.down.Store(false)
		clk.t = clk.t.Add(10 * time.Minute) // the lease of the failed run ends
		before := acq.calls.Load()
		_, ran, err := svc.AdvanceClock(ctx, shop.ID, 24*time.Hour)
		t.Logf("after the outage: ran %d, err %v, acquirer calls %d", ran, err, acq.calls.Load()-before)
		var list []guichet.Transaction
		svc.Store().View(ctx, func(tx guichet.Tx) (err error) {
			list, err = tx.Transactions(guichet.TransactionFilter{ShopID: shop.ID})
			return err
		})
		if len(list) != 2 {
			t.Errorf("%d transactions, want 2 (the first payment and the instalment): the instalment was dropped uncharged", len(list))
		}
	})
}

// TestRenewalSurvivesAcquirerOutage: a renewal whose acquirer call
// fails is tried again and charged, and the subscription goes on.
func TestRenewalSurvivesAcquirerOutage(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		acq := &flakyAcquirer{Acquirer: sim.New(clk.Now)}
		svc = withAcquirer(svc.Store(), acq, clk)
		o, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ord_s", Protocol: "test", Reference: "sub", Amount: eur(500)})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, Card: testCard, Method: "CARTE",
			Subscription: &core.Subscription{Reference: "sub", Months: 1}}); err != nil {
			t.Fatal(err)
		}
		acq.down.Store(true)
		_, _, err = svc.AdvanceClock(ctx, shop.ID, 32*24*time.Hour)
		t.Logf("during the outage: %v", err)
		acq.down.Store(false)
		for i := range 3 {
			clk.t = clk.t.Add(10 * time.Minute)
			_, ran, err := svc.AdvanceClock(ctx, shop.ID, 10*time.Minute)
			t.Logf("retry %d: ran %d, err %v", i, ran, err)
		}
		var list []guichet.Transaction
		svc.Store().View(ctx, func(tx guichet.Tx) (err error) {
			list, err = tx.Transactions(guichet.TransactionFilter{ShopID: shop.ID})
			return err
		})
		if len(list) != 2 {
			t.Errorf("%d transactions, want 2: the renewal is never charged, its job runs again and again", len(list))
		}
	})
}

// TestCancelledDuringRenewal: a subscription cancelled while its renewal
// is at the acquirer records nothing of the renewal, not even once the
// janitor has run.
func TestCancelledDuringRenewal(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		acq := &countingAcquirer{Acquirer: sim.New(clk.Now)}
		svc = withAcquirer(svc.Store(), acq, clk)
		o, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ord_c", Protocol: "test", Reference: "subc", Amount: eur(500)})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, Card: testCard, Method: "CARTE",
			Subscription: &core.Subscription{Reference: "subc", Months: 1}}); err != nil {
			t.Fatal(err)
		}
		acq.during = func(context.Context) {
			acq.during = nil
			if _, err := svc.CancelSubscription(context.Background(), shop, 0, "subc"); err != nil {
				t.Errorf("cancel: %v", err)
			}
		}
		_, _, err = svc.AdvanceClock(ctx, shop.ID, 32*24*time.Hour)
		t.Logf("renewal: %v", err)
		clk.t = clk.t.Add(3 * time.Minute)
		n, err := svc.SettleClaims(ctx)
		t.Logf("janitor settled %d, %v", n, err)
		var list []guichet.Transaction
		svc.Store().View(ctx, func(tx guichet.Tx) (err error) {
			list, err = tx.Transactions(guichet.TransactionFilter{ShopID: shop.ID})
			return err
		})
		for _, tr := range list {
			t.Logf("transaction %s %s captured %d", tr.ID, tr.Status, tr.Captured)
		}
		if len(list) != 1 {
			t.Errorf("%d transactions, want 1: the renewal of a cancelled subscription was recorded and captured", len(list))
		}
	})
}

// failingAcquirer answers nothing: the acquirer is unreachable. It still
// offers the simulator's Inquire, as the binary's acquirer does.
type failingAcquirer struct {
	*sim.Acquirer
	before func()
}

func (a *failingAcquirer) Process(ctx context.Context, r guichet.AcquirerRequest) (guichet.AcquirerResult, error) {
	if a.before != nil {
		a.before()
	}
	return guichet.AcquirerResult{}, &guichet.Error{Code: guichet.CodeUnavailable, Message: "acquirer unreachable"}
}

// TestNoApprovalMadeUp: the acquirer never answered and the client was
// told so, while the store failed a moment. The janitor asks the
// simulator, which never answered that request: the claim ends failed,
// and no payment nobody was told of is recorded.
func TestNoApprovalMadeUp(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		store := &faultyStore{Store: svc.Store()}
		acq := &failingAcquirer{Acquirer: sim.New(clk.Now), before: func() { store.armed.Store(true) }}
		crashed := withAcquirer(store, acq, clk)
		_, err := crashed.Authorize(context.Background(), core.CardRequest{Shop: shop, Reference: "phantom", Amount: eur(900),
			Card: testCard, Capture: true, RequestKey: "k"})
		if guichet.ErrorCode(err) != guichet.CodeUnavailable {
			t.Fatalf("answer: %v", err)
		}
		restarted := withAcquirer(svc.Store(), sim.New(clk.Now), clk)
		clk.t = clk.t.Add(2 * time.Minute)
		n, err := restarted.SettleClaims(context.Background())
		t.Logf("janitor settled %d, %v", n, err)
		if tr, err := restarted.Find(context.Background(), shop, "phantom", 900, ""); err == nil {
			t.Errorf("the client was told the acquirer did not answer, yet %s was recorded %s, captured %d", tr.ID, tr.Status, tr.Captured)
		}
	})
}

// TestLeaseOutlastsTheAcquirer: a job that pays holds its lease while the
// acquirer answers; a lease shorter than twice the acquirer's timeout is
// refused.
func TestLeaseOutlastsTheAcquirer(t *testing.T) {
	svc := withAcquirer(nil, sim.New(time.Now), &clock{time.Now()})
	svc.SetAcquirerTimeout(time.Minute)
	c := core.DefaultWorkConfig()
	c.Lease = 90 * time.Second
	if err := svc.Configure(c); err == nil {
		t.Error("a 90 s lease accepted with a one-minute acquirer timeout")
	}
	c.Lease = 2 * time.Minute
	if err := svc.Configure(c); err != nil {
		t.Errorf("a two-minute lease refused: %v", err)
	}
}

// TestClaimRetention: the janitor forgets used request keys once they are
// older than the retention, and never a pending claim; a key forgotten
// may be used again. Without a retention, keys are kept.
func TestClaimRetention(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		pay := func(key string) error {
			_, err := svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "kept", Amount: eur(100), Card: testCard, RequestKey: key})
			return err
		}
		if err := pay("q1"); err != nil {
			t.Fatal(err)
		}
		if n, err := svc.PurgeClaims(ctx); err != nil || n != 0 {
			t.Errorf("without a retention, %d purged (%v)", n, err)
		}
		svc.SetClaimRetention(30 * 24 * time.Hour)
		clk.t = clk.t.Add(29 * 24 * time.Hour)
		if n, err := svc.PurgeClaims(ctx); err != nil || n != 0 {
			t.Errorf("within the retention, %d purged (%v)", n, err)
		}
		if guichet.ErrorReason(pay("q1")) != guichet.ReasonDuplicate {
			t.Errorf("a key within the retention was taken again")
		}
		clk.t = clk.t.Add(2 * 24 * time.Hour)
		if n, err := svc.PurgeClaims(ctx); err != nil || n != 1 {
			t.Errorf("past the retention, %d purged, want 1 (%v)", n, err)
		}
		if err := pay("q1"); err != nil {
			t.Errorf("a key forgotten may be used again: %v", err)
		}
	})
}

// TestLostOrderPaymentRecovered: a hosted payment that keeps the card and
// schedules later payments loses its record to a store fault; the janitor
// writes all of it as the request would have: the transaction, the order
// paid, the card kept as a token, the later payment scheduled, which then
// runs on the clock.
func TestLostOrderPaymentRecovered(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		o, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ord_lost", Protocol: "test", Reference: "lost-order", Amount: eur(1000)})
		if err != nil {
			t.Fatal(err)
		}
		store := &faultyStore{Store: svc.Store()}
		acq := &countingAcquirer{Acquirer: sim.New(clk.Now), during: func(context.Context) { store.armed.Store(true) }}
		crashed := withAcquirer(store, acq, clk)
		later := clk.t.AddDate(0, 0, 10)
		_, _, _, err = crashed.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, Card: testCard, Amount: 600, SaveAs: "saved-card",
			Instalments: []core.Instalment{{Amount: 400, Date: later}}})
		if !errors.Is(err, errInjected) {
			t.Fatalf("payment through a failing store: %v", err)
		}

		restarted := withAcquirer(svc.Store(), acq, clk)
		clk.t = clk.t.Add(2 * time.Minute)
		if n, err := restarted.SettleClaims(ctx); err != nil || n != 1 {
			t.Fatalf("janitor settled %d (%v), want 1", n, err)
		}
		got, err := restarted.Order(ctx, shop, o.ID)
		if err != nil || got.Status != guichet.OrderPaid || got.Attempts != 1 || got.TransactionID == "" {
			t.Fatalf("order after the janitor: %+v, %v", got, err)
		}
		tok, err := restarted.Token(ctx, shop, "saved-card")
		if err != nil || tok.OrderID != o.ID {
			t.Fatalf("the card was not kept: %+v, %v", tok, err)
		}
		clk.t = later.Add(time.Hour)
		if _, err := restarted.RunDue(ctx, shop.ID); err != nil {
			t.Fatal(err)
		}
		list, err := restarted.Transactions(ctx, guichet.TransactionFilter{ShopID: shop.ID, OrderID: o.ID, Limit: 10})
		if err != nil || len(list) != 2 {
			t.Fatalf("%d payments of the order, want the first and the later one (%v)", len(list), err)
		}
	})
}

// TestLostTokenRegistrationRecovered: a card registration (Paybox Direct
// Plus 00056) loses its record to a store fault; the janitor writes the
// token with its proving authorization.
func TestLostTokenRegistrationRecovered(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		store := &faultyStore{Store: svc.Store()}
		acq := &countingAcquirer{Acquirer: sim.New(clk.Now), during: func(context.Context) { store.armed.Store(true) }}
		crashed := withAcquirer(store, acq, clk)
		_, _, err := crashed.RegisterToken(ctx, core.TokenRequest{Shop: shop, Reference: "subscriber-1", Card: testCard, Amount: eur(100),
			RequestKey: "reg"})
		if !errors.Is(err, errInjected) {
			t.Fatalf("registration through a failing store: %v", err)
		}
		restarted := withAcquirer(svc.Store(), acq, clk)
		clk.t = clk.t.Add(2 * time.Minute)
		if n, err := restarted.SettleClaims(ctx); err != nil || n != 1 {
			t.Fatalf("janitor settled %d (%v), want 1", n, err)
		}
		tok, err := restarted.Token(ctx, shop, "subscriber-1")
		if err != nil || tok.Card.Masked != "111122XXXXXX4444" || tok.Handle == "" {
			t.Fatalf("token after the janitor: %+v, %v", tok, err)
		}
	})
}

// countingStore counts the units of work written through it.
type countingStore struct {
	guichet.Store
	updates atomic.Int64
}

func (s *countingStore) Update(ctx context.Context, fn func(guichet.Tx) error) error {
	s.updates.Add(1)
	return s.Store.Update(ctx, fn)
}

// TestLocalAcquirer: with a local acquirer (the simulator), a request
// commits once, its claim taken with its record, where a remote acquirer
// costs two units of work. The key is still used once: of 50 concurrent
// authorizations with one key, one is recorded and 49 are duplicates that
// write nothing. A record that fails leaves nothing behind: no
// transaction, no pending claim for the janitor, and the key free for the
// retry. A capture claims its key the same way.
func TestLocalAcquirer(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		faulty := &faultyStore{Store: svc.Store()}
		counted := &countingStore{Store: faulty}
		acq := &countingAcquirer{Acquirer: sim.New(clk.Now)}
		remote := withAcquirer(counted, acq, clk)
		local := withAcquirer(counted, acq, clk)
		local.SetLocalAcquirer(true)

		for _, c := range []struct {
			svc     *core.Service
			name    string
			updates int64
		}{{remote, "remote", 2}, {local, "local", 1}} {
			before := counted.updates.Load()
			_, err := c.svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "one-" + c.name, Amount: eur(100), Card: testCard,
				RequestKey: "k-" + c.name})
			if err != nil {
				t.Fatal(err)
			}
			if n := counted.updates.Load() - before; n != c.updates {
				t.Errorf("%s acquirer: %d units of work for a payment, want %d", c.name, n, c.updates)
			}
			err = svc.Store().View(ctx, func(tx guichet.Tx) error {
				cl, err := tx.ClaimOf(shop.ID, "k-"+c.name)
				if err == nil && cl.State != guichet.ClaimDone {
					t.Errorf("%s acquirer: claim %s after the payment", c.name, cl.State)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}

		if approved, duplicates := authorizeAtOnce(t, local, shop, "fifty", "fifty", 50); approved != 1 || duplicates != 49 {
			t.Errorf("%d approved, %d duplicates; want 1 and 49", approved, duplicates)
		}
		err := svc.Store().View(ctx, func(tx guichet.Tx) error {
			list, err := tx.Transactions(guichet.TransactionFilter{ShopID: shop.ID, Reference: "fifty"})
			if len(list) != 1 {
				t.Errorf("%d transactions recorded for one key, want 1", len(list))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		acq.during = func(context.Context) { faulty.armed.Store(true) }
		_, err = local.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "lost", Amount: eur(700), Card: testCard, RequestKey: "lost"})
		if !errors.Is(err, errInjected) {
			t.Fatalf("authorization through a failing store: %v", err)
		}
		acq.during = nil
		faulty.armed.Store(false)
		if _, err := svc.Find(ctx, shop, "lost", 700, ""); guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Errorf("a payment whose record failed: %v, want not found", err)
		}
		clk.t = clk.t.Add(2 * time.Minute)
		if n, err := svc.SettleClaims(ctx); err != nil || n != 0 {
			t.Errorf("janitor settled %d (%v), want nothing to settle", n, err)
		}
		tr, err := local.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "lost", Amount: eur(700), Card: testCard, RequestKey: "lost"})
		if err != nil || tr.Status != guichet.StatusAuthorized {
			t.Fatalf("retry of a payment whose record failed: %v, %v", tr, err)
		}

		before := counted.updates.Load()
		capture := core.OperationRequest{Shop: shop, Kind: guichet.OpCapture, Number: tr.Number, Amount: eur(200), RequestKey: "cap"}
		if _, _, err := local.Operate(ctx, capture); err != nil {
			t.Fatal(err)
		}
		if n := counted.updates.Load() - before; n != 1 {
			t.Errorf("%d units of work for a capture, want 1", n)
		}
		if _, _, err := local.Operate(ctx, capture); guichet.ErrorReason(err) != guichet.ReasonDuplicate {
			t.Errorf("capture with a used key: %v, want a duplicate", err)
		}
		if got, _ := svc.Find(ctx, shop, "lost", 700, ""); got.Captured != 200 {
			t.Errorf("captured %d after a duplicate capture, want 200", got.Captured)
		}
	})
}
