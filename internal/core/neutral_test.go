package core_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/sim"
)

// TestOrderAttempts: a refused payment leaves the order open while
// attempts remain, and an order past its expiry takes no payment.
func TestOrderAttempts(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		now := svc.Now(shop)
		o, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ordA", Protocol: "lyra", Reference: "myOrderId-1",
			Amount: eur(990), MaxAttempts: 2, ExpiresAt: now.Add(15 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []guichet.OrderStatus{guichet.OrderOpen, guichet.OrderRefused} {
			o, tr, _, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, Card: testCard, ForceCode: "51"})
			if err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
			if tr.Status != guichet.StatusRefused || o.Status != want || o.Attempts != i+1 {
				t.Errorf("attempt %d: transaction %s, order %s after %d attempts, want refused and %s", i+1, tr.Status, o.Status, o.Attempts, want)
			}
		}
		_, _, _, err = svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, Card: testCard})
		wantReason(t, err, guichet.ReasonState, "a third attempt")

		late, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ordB", Protocol: "lyra", Reference: "myOrderId-2",
			Amount: eur(990), ExpiresAt: now.Add(15 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		clk.t = clk.t.Add(16 * time.Minute)
		_, _, _, err = svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: late.ID, Card: testCard})
		wantReason(t, err, guichet.ReasonExpired, "paying an expired order")
	})
}

// TestReferences: a front finds its transactions and operations by the
// identifiers it gave them, within the shop only, and an authorization
// left to the merchant's validation expires at its CaptureBy date.
func TestReferences(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		now := svc.Now(shop)
		tr, err := svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "ref", Amount: eur(1000), Card: testCard,
			Front: "lyra", Ref: "uuid-pay", CaptureBy: now.Add(24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if op := tr.First(); op.Front != "lyra" || op.Ref != "uuid-pay" || !tr.CaptureBy.Equal(now.Add(24*time.Hour)) {
			t.Fatalf("authorization: %+v, capture by %v", op, tr.CaptureBy)
		}
		got, op, err := svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: guichet.OpCapture, Amount: eur(1000),
			Front: "lyra", TransactionRef: "uuid-pay"})
		if err != nil || got.ID != tr.ID || op.Ref != "" {
			t.Fatalf("capture by reference: %v, %+v", err, op)
		}
		clk.t = clk.t.Add(48 * time.Hour)
		_, op, err = svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: guichet.OpRefund, Amount: eur(400),
			Front: "lyra", TransactionRef: "uuid-pay", Ref: "uuid-refund"})
		if err != nil || op.Front != "lyra" || op.Ref != "uuid-refund" {
			t.Fatalf("refund with a reference: %v, %+v", err, op)
		}
		// The refund's reference finds the transaction too.
		got, _, err = svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: guichet.OpRefund, Amount: eur(100),
			Front: "lyra", TransactionRef: "uuid-refund"})
		if err != nil || got.ID != tr.ID || got.Refunded != 500 {
			t.Fatalf("refund found by the first refund's reference: %v, %+v", err, got)
		}
		other := &guichet.Shop{ID: "s2", Name: "s2", Mode: guichet.ModeTest}
		_, _, err = svc.Operate(ctx, core.OperationRequest{Shop: other, Kind: guichet.OpRefund, Amount: eur(100),
			Front: "lyra", TransactionRef: "uuid-pay"})
		if guichet.ErrorCode(err) != guichet.CodeNotFound {
			t.Errorf("another shop's reference: %v, want not found", err)
		}

		// An authorization not captured by its date expires.
		now = svc.Now(shop)
		auth, err := svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "ref2", Amount: eur(1000), Card: testCard,
			Front: "lyra", Ref: "uuid-auth", CaptureBy: now.Add(24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		clk.t = clk.t.Add(25 * time.Hour)
		if !auth.Expired(svc.Now(shop)) {
			t.Error("authorization past its capture date not expired")
		}
		for _, kind := range []guichet.OperationKind{guichet.OpCapture, guichet.OpCancel, guichet.OpUpdateAmount} {
			_, _, err = svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: kind, Amount: eur(500),
				Front: "lyra", TransactionRef: "uuid-auth"})
			wantReason(t, err, guichet.ReasonExpired, string(kind)+" of an expired authorization")
		}
	})
}

// TestTokenCancellation: a cancelled token cannot be charged until it is
// reactivated.
func TestTokenCancellation(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, _ *clock) {
		ctx := context.Background()
		o, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ordT", Protocol: "lyra", Reference: "r", Amount: eur(100)})
		if err != nil {
			t.Fatal(err)
		}
		_, _, tok, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, Card: testCard, SaveAs: "tokref"})
		if err != nil || tok == nil || tok.OrderID != o.ID {
			t.Fatalf("saving the card: %v, %+v", err, tok)
		}
		charge := func() error {
			_, err := svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "again", Amount: eur(100),
				Token: tok.Reference, Handle: tok.Handle})
			return err
		}
		if _, err := svc.ReactivateToken(ctx, shop, "tokref"); guichet.ErrorReason(err) != guichet.ReasonTokenActive {
			t.Errorf("reactivating an active token: %v", err)
		}
		if _, err := svc.CancelToken(ctx, shop, "tokref"); err != nil {
			t.Fatal(err)
		}
		wantReason(t, charge(), guichet.ReasonTokenCancelled, "charging a cancelled token")
		_, err = svc.CancelToken(ctx, shop, "tokref")
		wantReason(t, err, guichet.ReasonTokenCancelled, "cancelling twice")
		if _, err := svc.ReactivateToken(ctx, shop, "tokref"); err != nil {
			t.Fatal(err)
		}
		if err := charge(); err != nil {
			t.Errorf("charging a reactivated token: %v", err)
		}
		_, err = svc.CancelToken(ctx, shop, "nosuch")
		wantReason(t, err, guichet.ReasonTokenMissing, "cancelling an unknown token")
	})
}

func wantReason(t *testing.T, err error, want guichet.Reason, doing string) {
	t.Helper()
	if got := guichet.ErrorReason(err); got != want {
		t.Errorf("%s: %v (reason %q), want reason %q", doing, err, got, want)
	}
}

// TestNotifierRequired: a payment of an order whose protocol no front
// notifies fails rather than dropping its notification, and start-up
// refuses a store holding such orders.
func TestNotifierRequired(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, _ *clock) {
		ctx := context.Background()
		if err := svc.CheckNotifiers(ctx); err != nil {
			t.Fatalf("no order yet: %v", err)
		}
		o, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ordGone", Protocol: "gone", Reference: "r", Amount: eur(100)})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.CheckNotifiers(ctx); err == nil || !strings.Contains(err.Error(), `"gone"`) {
			t.Errorf("CheckNotifiers with an order no front notifies: %v", err)
		}
		_, _, _, err = svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, Card: testCard})
		if guichet.ErrorCode(err) != guichet.CodeInternal {
			t.Fatalf("paying it: %v", err)
		}
		got, err := svc.Order(ctx, shop, o.ID)
		if err != nil || got.Status != guichet.OrderOpen || got.Attempts != 0 {
			t.Errorf("the order after the failed payment: %+v, %v", got, err)
		}
	})
}

// TestDeferredAuthorization: a payment expected to be captured beyond a
// week is checked at once, authorized by its job the day before its
// capture date, and captured then; cancelled meanwhile, it stays so.
func TestDeferredAuthorization(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		now := svc.Now(shop)
		pay := func(ref string) *guichet.Transaction {
			tr, err := svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: ref, Amount: eur(700), Card: testCard,
				Capture: true, Front: "lyra", Ref: "uuid-" + ref, CaptureBy: now.Add(10 * 24 * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			return tr
		}
		kept := pay("kept")
		pay("dropped")
		if kept.Status != guichet.StatusWaiting || kept.First().Kind != guichet.OpVerify || kept.Captured != 0 {
			t.Fatalf("waiting payment: %+v", kept)
		}
		if _, _, err := svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: guichet.OpCapture, Amount: eur(700),
			Front: "lyra", TransactionRef: "uuid-kept"}); guichet.ErrorReason(err) != guichet.ReasonState {
			t.Errorf("capturing a waiting payment: %v", err)
		}
		if _, _, err := svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: guichet.OpCancel, Amount: eur(700),
			Front: "lyra", TransactionRef: "uuid-dropped"}); err != nil {
			t.Fatal(err)
		}
		for range 9 {
			clk.t = clk.t.Add(24 * time.Hour)
			if _, err := svc.RunDue(ctx, shop.ID); err != nil {
				t.Fatal(err)
			}
		}
		got, _, _, err := svc.TransactionByRef(ctx, shop, "lyra", "uuid-kept")
		if err != nil || got.Status != guichet.StatusCaptured || got.Captured != 700 || !got.Has(guichet.OpAuthorize) {
			t.Errorf("the day before its capture date: %+v, %v", got, err)
		}
		if got, _, _, _ := svc.TransactionByRef(ctx, shop, "lyra", "uuid-dropped"); got.Status != guichet.StatusCancelled || got.Has(guichet.OpAuthorize) {
			t.Errorf("cancelled while waiting: %+v", got)
		}
	})
}

// TestRegisteredRefs: a front that names its operations gets a name for
// every operation it sends without one, and for the payments the core
// makes on its own; a name it gives is kept.
func TestRegisteredRefs(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		svc.RegisterRefs("acme", func(n int64) string { return fmt.Sprintf("acme-%d", n) })
		svc.RegisterNotifier("acme", core.Silent)
		named := func(op *guichet.Operation) bool { return op.Ref == fmt.Sprintf("acme-%d", op.Number) }

		tr, err := svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "r", Amount: eur(1000), Card: testCard, Front: "acme"})
		if err != nil {
			t.Fatal(err)
		}
		if op := tr.First(); !named(op) {
			t.Errorf("authorization named %q, want acme-%d", op.Ref, op.Number)
		}
		got, op, err := svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: guichet.OpCapture, Amount: eur(600),
			Front: "acme", TransactionRef: tr.First().Ref})
		if err != nil || got.ID != tr.ID || !named(op) {
			t.Fatalf("capture found by the authorization's name: %v, %+v", err, op)
		}
		_, op, err = svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: guichet.OpCapture, Amount: eur(100),
			Front: "acme", TransactionRef: op.Ref, Ref: "given"})
		if err != nil || op.Ref != "given" {
			t.Fatalf("a name the front gives: %v, %+v", err, op)
		}
		// A front without names leaves operations unnamed.
		tr, err = svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "r2", Amount: eur(1000), Card: testCard, Front: "other"})
		if err != nil || tr.First().Ref != "" {
			t.Fatalf("unnamed front: %v, %q", err, tr.First().Ref)
		}

		// A recurring payment the core makes is named too.
		if _, _, err := svc.RegisterToken(ctx, core.TokenRequest{Shop: shop, Reference: "w1", Order: "w1", Card: testCard, Amount: eur(100)}); err != nil {
			t.Fatal(err)
		}
		o := &guichet.Order{ID: "sub1", Protocol: "acme", Reference: "sub", Amount: eur(500)}
		rec := core.Recurrence{First: svc.Now(shop).Add(24 * time.Hour), Freq: core.Monthly, Interval: 1, Count: 2, Amount: 500}
		if err := svc.StartRecurring(ctx, shop, o, "w1", rec); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.AdvanceClock(ctx, shop.ID, 2*24*time.Hour); err != nil {
			t.Fatal(err)
		}
		list, err := svc.Transactions(ctx, guichet.TransactionFilter{ShopID: shop.ID, OrderID: "sub1"})
		if err != nil || len(list) != 1 {
			t.Fatalf("recurring payments: %v, %d", err, len(list))
		}
		if op := list[0].First(); op.Front != "acme" || !named(op) {
			t.Errorf("recurring payment's operation %+v, want named by the front", op)
		}
	})
}

// TestPartnerPayment: an order paid with a partner's means of payment
// records the partner's details and no card; its refunds end at its
// RefundBy date; and the first view of the order's page is kept.
func TestPartnerPayment(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		o, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ordP", Protocol: "lyra", Reference: "pq", Amount: eur(1000),
			ExpiresAt: svc.Now(shop).Add(15 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		seen, err := svc.SeeOrder(ctx, shop, o.ID, "")
		if err != nil || !seen.SeenAt.Equal(svc.Now(shop)) || seen.Method != "" {
			t.Fatalf("first view: %v, seen at %v", err, seen.SeenAt)
		}
		first := seen.SeenAt
		clk.t = clk.t.Add(time.Minute)
		if again, err := svc.SeeOrder(ctx, shop, o.ID, "PAYCONIQ"); err != nil || !again.SeenAt.Equal(first) || again.Method != "PAYCONIQ" {
			t.Errorf("second view: %v, seen at %v with %q, want the first view's %v and the method chosen", err, again.SeenAt, again.Method, first)
		}

		refundBy := svc.Now(shop).Add(365 * 24 * time.Hour)
		o, tr, _, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, Partner: sim.PartnerPayconiq, RefundBy: refundBy})
		if err != nil {
			t.Fatal(err)
		}
		if o.Status != guichet.OrderPaid || tr.Status != guichet.StatusCaptured || tr.Method != sim.PartnerPayconiq ||
			tr.Card.Masked != "" || len(tr.Card.Sealed) != 0 || tr.Details["bankCode"] != "GKCCBEBB" || !tr.RefundBy.Equal(refundBy) {
			t.Fatalf("partner payment: order %s, transaction %+v", o.Status, tr)
		}
		clk.t = clk.t.Add(48 * time.Hour)
		if _, _, err := svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: guichet.OpRefund, Amount: eur(400), Number: tr.Number}); err != nil {
			t.Fatalf("refund within the window: %v", err)
		}
		clk.t = clk.t.Add(365 * 24 * time.Hour)
		_, _, err = svc.Operate(ctx, core.OperationRequest{Shop: shop, Kind: guichet.OpRefund, Amount: eur(100), Number: tr.Number})
		wantReason(t, err, guichet.ReasonExpired, "a refund past the payment's refund date")

		// A refused partner payment leaves the order refused, with the
		// partner's code.
		o2, err := svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ordP2", Protocol: "lyra", Reference: "pq2", Amount: eur(2020)})
		if err != nil {
			t.Fatal(err)
		}
		o2, tr, _, err = svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o2.ID, Partner: sim.PartnerPayconiq})
		if err != nil || o2.Status != guichet.OrderRefused || tr.Status != guichet.StatusRefused || tr.ResponseCode != sim.PartnerCodeRefused {
			t.Fatalf("refused partner payment: %v, %+v", err, tr)
		}
	})
}
