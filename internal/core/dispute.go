package core

import (
	"context"
	"time"

	"guichet"
)

// DisputeAction is a step of a KWIXO dispute that the back office drives
// in the sandbox: the buyer's complaint, the merchant's answer, the
// network's close.
type DisputeAction string

// The dispute actions and the KWIXO states they lead to (guide §9.2):
// opening makes the complaint (600), which needs the merchant's action
// (601) a day later on the shop clock; the merchant's answer hands it to
// the network (602); closing ends it (603), after which the payment may be
// refunded again.
const (
	DisputeOpen   DisputeAction = "open"
	DisputeAnswer DisputeAction = "answer"
	DisputeClose  DisputeAction = "close"
)

// disputeMerchantDelay is when, after a complaint, KWIXO asks the
// merchant to act, as the simulated reviewer's own dispute path does.
const disputeMerchantDelay = 24 * time.Hour

// disputeJob names the one job of a transaction's dispute, so that
// closing the dispute can cancel the step still to come.
func disputeJob(t *guichet.Transaction) string { return "dispute_" + t.ID }

// Disputes lists the actions the dispute of t allows now: none for a
// payment that is not KWIXO's or not captured.
func Disputes(t *guichet.Transaction) []DisputeAction {
	if t.Method != "KWIXO" || t.Captured == 0 {
		return nil
	}
	switch t.Review {
	case "600", "602":
		return []DisputeAction{DisputeClose}
	case "601":
		return []DisputeAction{DisputeAnswer, DisputeClose}
	}
	if reviewWaiting[t.Review] || t.Status != guichet.StatusCaptured {
		return nil
	}
	return []DisputeAction{DisputeOpen}
}

// Dispute moves the dispute of a KWIXO payment one step, as Disputes
// allows, and announces the new state as every review state is announced,
// so that the merchant's notification URL hears it.
func (s *Service) Dispute(ctx context.Context, shop *guichet.Shop, transactionID string, action DisputeAction) (*guichet.Transaction, error) {
	now := s.Now(shop)
	var t *guichet.Transaction
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if t, err = tx.Transaction(transactionID); err != nil {
			return err
		}
		if t.ShopID != shop.ID {
			return guichet.Errorf(guichet.CodeNotFound, "no transaction %s", transactionID)
		}
		allowed := false
		for _, a := range Disputes(t) {
			allowed = allowed || a == action
		}
		if !allowed {
			return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
				Message: "the dispute of this payment cannot " + string(action) + " in KWIXO state " + t.Review}
		}
		var next reviewJob
		switch action {
		case DisputeOpen:
			t.Review = "600"
			next.Steps = []ReviewStep{{After: disputeMerchantDelay, Code: "601"}}
		case DisputeAnswer:
			t.Review = "602"
		case DisputeClose:
			t.Review = "603"
		}
		t.UpdatedAt = now
		if err := tx.PutTransaction(t); err != nil {
			return err
		}
		if len(next.Steps) > 0 {
			if err := s.scheduleReview(tx, t, next, now, disputeJob(t)); err != nil {
				return err
			}
		} else if err := tx.DeleteJob(disputeJob(t)); err != nil {
			return err
		}
		return s.publish(tx, t, s.reviewEvent(t, guichet.EventReview, now))
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}
