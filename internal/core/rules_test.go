package core

import (
	"math/rand/v2"
	"testing"
	"time"

	"guichet"
)

func TestRules(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	eur := func(a int64) guichet.Money { return guichet.Money{Amount: a, Currency: "EUR"} }
	tx := func(status guichet.Status, amount, captured, refunded int64, remit time.Time) *guichet.Transaction {
		return &guichet.Transaction{Status: status, Currency: "EUR", Amount: amount, Captured: captured, Refunded: refunded, RemitAt: remit}
	}
	later, earlier := now.Add(time.Hour), now.Add(-time.Hour)
	tests := []struct {
		name   string
		t      *guichet.Transaction
		kind   guichet.OperationKind
		amount guichet.Money
		reason guichet.Reason // ReasonNone with ok
		ok     bool
	}{
		{"capture all", tx(guichet.StatusAuthorized, 1000, 0, 0, time.Time{}), guichet.OpCapture, eur(1000), "", true},
		{"capture part", tx(guichet.StatusAuthorized, 1000, 0, 0, time.Time{}), guichet.OpCapture, eur(400), "", true},
		{"capture rest", tx(guichet.StatusCaptured, 1000, 400, 0, later), guichet.OpCapture, eur(600), "", true},
		{"capture too much", tx(guichet.StatusCaptured, 1000, 400, 0, later), guichet.OpCapture, eur(601), guichet.ReasonAmount, false},
		{"capture cancelled", tx(guichet.StatusCancelled, 1000, 0, 0, time.Time{}), guichet.OpCapture, eur(1), guichet.ReasonState, false},
		{"capture refused", tx(guichet.StatusRefused, 1000, 0, 0, time.Time{}), guichet.OpCapture, eur(1), guichet.ReasonState, false},
		{"capture after refund", tx(guichet.StatusCaptured, 1000, 400, 100, earlier), guichet.OpCapture, eur(1), guichet.ReasonState, false},
		{"capture zero", tx(guichet.StatusAuthorized, 1000, 0, 0, time.Time{}), guichet.OpCapture, eur(0), guichet.ReasonAmount, false},
		{"capture other currency", tx(guichet.StatusAuthorized, 1000, 0, 0, time.Time{}), guichet.OpCapture, guichet.Money{Amount: 1, Currency: "USD"}, guichet.ReasonCurrency, false},
		{"cancel authorized", tx(guichet.StatusAuthorized, 1000, 0, 0, time.Time{}), guichet.OpCancel, eur(1000), "", true},
		{"cancel before remittance", tx(guichet.StatusCaptured, 1000, 1000, 0, later), guichet.OpCancel, eur(1000), "", true},
		{"cancel after remittance", tx(guichet.StatusCaptured, 1000, 1000, 0, earlier), guichet.OpCancel, eur(1000), guichet.ReasonState, false},
		{"cancel too much", tx(guichet.StatusAuthorized, 1000, 0, 0, time.Time{}), guichet.OpCancel, eur(1001), guichet.ReasonAmount, false},
		{"cancel twice", tx(guichet.StatusCancelled, 1000, 0, 0, time.Time{}), guichet.OpCancel, eur(1000), guichet.ReasonState, false},
		{"refund part", tx(guichet.StatusCaptured, 1000, 1000, 0, earlier), guichet.OpRefund, eur(300), "", true},
		{"refund rest", tx(guichet.StatusCaptured, 1000, 1000, 300, earlier), guichet.OpRefund, eur(700), "", true},
		{"refund beyond captured", tx(guichet.StatusCaptured, 1000, 600, 300, earlier), guichet.OpRefund, eur(301), guichet.ReasonAmount, false},
		{"refund authorization", tx(guichet.StatusAuthorized, 1000, 0, 0, time.Time{}), guichet.OpRefund, eur(1), guichet.ReasonState, false},
		{"refund refunded", tx(guichet.StatusRefunded, 1000, 1000, 1000, earlier), guichet.OpRefund, eur(1), guichet.ReasonAmount, false},
		{"update down", tx(guichet.StatusAuthorized, 1000, 0, 0, time.Time{}), guichet.OpUpdateAmount, eur(800), "", true},
		{"update up", tx(guichet.StatusAuthorized, 1000, 0, 0, time.Time{}), guichet.OpUpdateAmount, eur(1200), guichet.ReasonAmount, false},
		// Captured in full but not remitted yet, a payment may still be
		// lowered; once the bank has the funds, or when captured in part,
		// it may not.
		{"update captured before remittance", tx(guichet.StatusCaptured, 1000, 1000, 0, later), guichet.OpUpdateAmount, eur(800), "", true},
		{"update remitted", tx(guichet.StatusCaptured, 1000, 1000, 0, earlier), guichet.OpUpdateAmount, eur(800), guichet.ReasonState, false},
		{"update captured in part", tx(guichet.StatusCaptured, 1000, 500, 0, later), guichet.OpUpdateAmount, eur(800), guichet.ReasonState, false},
		{"credit is not a follow-up", tx(guichet.StatusAuthorized, 1000, 0, 0, time.Time{}), guichet.OpCredit, eur(1), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := check(tt.t, tt.kind, tt.amount, now)
			if (err == nil) != tt.ok {
				t.Fatalf("check() = %v, want ok=%v", err, tt.ok)
			}
			if !tt.ok && tt.reason != "" && guichet.ErrorReason(err) != tt.reason {
				t.Errorf("reason = %q, want %q (%v)", guichet.ErrorReason(err), tt.reason, err)
			}
		})
	}
}

// TestRulesKeepInvariants applies random operations, kept only when the
// rules allow them, and checks the invariants after each one.
func TestRulesKeepInvariants(t *testing.T) {
	kinds := []guichet.OperationKind{guichet.OpCapture, guichet.OpCancel, guichet.OpRefund, guichet.OpUpdateAmount}
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	paris, _ := time.LoadLocation("Europe/Paris")
	for run := range 2000 {
		tr := &guichet.Transaction{Status: guichet.StatusAuthorized, Currency: "EUR", Amount: 1 + rng.Int64N(5000)}
		authorized := tr.Amount
		now := start
		for range 30 {
			now = now.Add(time.Duration(rng.IntN(12)) * time.Hour)
			kind := kinds[rng.IntN(len(kinds))]
			m := guichet.Money{Amount: rng.Int64N(3000) - 10, Currency: "EUR"}
			before := *tr
			if err := check(tr, kind, m, now); err != nil {
				continue
			}
			apply(tr, kind, m.Amount, remittance(now, paris, 0))
			if tr.Amount > authorized {
				t.Fatalf("run %d: amount grew from %d to %d", run, authorized, tr.Amount)
			}
			if tr.Captured > tr.Amount || tr.Refunded > tr.Captured || tr.Captured < 0 || tr.Refunded < 0 {
				t.Fatalf("run %d: %s %d on %+v gave %+v", run, kind, m.Amount, before, *tr)
			}
			if before.Status.Final() {
				t.Fatalf("run %d: %s allowed on final status %s", run, kind, before.Status)
			}
		}
	}
}

func TestRemittance(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	// 23:30 UTC on 23 November is already the 24th in Paris.
	got := remittance(time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC), paris, 2)
	want := time.Date(2026, 11, 27, 0, 0, 0, 0, paris)
	if !got.Equal(want) {
		t.Errorf("remittance = %v, want %v", got, want)
	}
}

// TestReauthorize: a re-authorization takes the card of any payment the
// issuer approved, live, captured or expired, where a duplicate
// (canPayAgain) waits for the source to be settled.
func TestReauthorize(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	card := guichet.StoredCard{Sealed: []byte("sealed")}
	for _, c := range []struct {
		status      guichet.Status
		sealed      bool
		reauthorize bool
		again       bool
	}{
		{guichet.StatusAuthorized, true, true, false},
		{guichet.StatusCaptured, true, true, false},
		{guichet.StatusRefused, true, false, true},
		{guichet.StatusCancelled, true, false, true},
		{guichet.StatusAuthorized, false, false, false},
	} {
		tr := &guichet.Transaction{Status: c.status, Amount: 100, Currency: "EUR", RemitAt: now.Add(time.Hour)}
		if c.sealed {
			tr.Card = card
		}
		if got := canReauthorize(tr) == nil; got != c.reauthorize {
			t.Errorf("%s (sealed %v): re-authorize %v, want %v", c.status, c.sealed, got, c.reauthorize)
		}
		if got := canPayAgain(tr, now) == nil; got != c.again {
			t.Errorf("%s (sealed %v): pay again %v, want %v", c.status, c.sealed, got, c.again)
		}
	}
}
