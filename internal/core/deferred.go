package core

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"guichet"
)

// An authorization is valid a week: a payment expected to be captured
// later is not authorized when the buyer pays, only its card is checked
// (StatusWaiting), and a job asks the authorization the day before the
// capture date. The merchant may cancel it, lower it or validate it
// meanwhile.

// maxAuthorizationWait is how long an authorization may wait for its
// capture: a week for the cards most merchants take.
const maxAuthorizationWait = 7 * 24 * time.Hour

// jobAuthorize asks the authorization of a waiting payment.
const jobAuthorize = "authorize"

// deferredJob is what the job of a waiting payment carries.
type deferredJob struct {
	Transaction string `json:"transaction"`
	// Capture captures the payment once authorized; without it, the
	// merchant's validation does (OpValidate).
	Capture bool `json:"capture,omitempty"`
}

func deferredJobID(transactionID string) string { return "job_auth_" + transactionID }

// scheduleAuthorization writes the job of a waiting payment, due at 00:00
// in Paris the day before its capture date.
func (s *Service) scheduleAuthorization(tx guichet.Tx, t *guichet.Transaction, capture bool) error {
	data, err := json.Marshal(deferredJob{Transaction: t.ID, Capture: capture})
	if err != nil {
		return err
	}
	y, m, d := t.CaptureBy.In(s.paris).Date()
	return tx.PutJob(&guichet.Job{ID: deferredJobID(t.ID), ShopID: t.ShopID, Kind: jobAuthorize, Ref: t.ID,
		DueAt: time.Date(y, m, d-1, 0, 0, 0, 0, s.paris), Data: data})
}

// authorizeDeferred runs the job of a waiting payment: the card is
// authorized for the payment's amount, and captured when the payment
// says so or the merchant validated it. A refusal is recorded as one. A
// payment no longer waiting (cancelled meanwhile) is left as it is.
func (s *Service) authorizeDeferred(ctx context.Context, shop *guichet.Shop, j *guichet.Job) error {
	var dj deferredJob
	if err := json.Unmarshal(j.Data, &dj); err != nil || dj.Transaction == "" {
		s.log.Error("unreadable authorization job; dropped", "job", j.ID, "err", err)
		return s.dropJob(ctx, j)
	}
	var t *guichet.Transaction
	var o *guichet.Order
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		if t, err = tx.Transaction(dj.Transaction); err != nil {
			return err
		}
		if t.OrderID != "" {
			o, err = tx.Order(t.OrderID)
		}
		return err
	})
	if guichet.ErrorCode(err) == guichet.CodeNotFound || (err == nil && t.Status != guichet.StatusWaiting) {
		return s.dropJob(ctx, j)
	}
	if err != nil {
		return err
	}
	card, err := s.vault.Open(t.Card)
	if err != nil {
		return err
	}
	front := ""
	if o != nil {
		front = o.Protocol
	}
	now := s.Now(shop)
	p := &pendingRequest{Kind: guichet.OpAuthorize, Amount: t.Money(), Transaction: t.ID, OrderID: t.OrderID, Job: true}
	key, earlier, err := s.claimJob(ctx, shop, "deferred:"+t.ID, now, p)
	switch {
	case err != nil:
		return err
	case key == "":
		// An earlier run recorded it, and removed the job with it.
		return s.dropJob(ctx, j)
	}
	var res guichet.AcquirerResult
	if earlier != nil {
		res = *earlier
	} else if res, err = s.callAcquirer(ctx, guichet.AcquirerRequest{Shop: shop, Kind: guichet.OpAuthorize, Amount: t.Money(),
		Card: &card, Front: front, Stored: true, Key: key}); err != nil {
		return err
	}
	err = s.store.Update(context.WithoutCancel(ctx), func(tx guichet.Tx) error {
		cur, err := tx.Transaction(t.ID)
		if err != nil {
			return err
		}
		if err := tx.DeleteJob(j.ID); err != nil {
			return err
		}
		if cur.Status != guichet.StatusWaiting {
			// Cancelled while the acquirer was asked: nothing of the
			// authorization is kept.
			return tx.EndClaim(shop.ID, key, guichet.ClaimFailed, "")
		}
		events, err := s.recordAuthorization(tx, shop, cur, res, dj.Capture || cur.Has(guichet.OpValidate), now)
		if err != nil {
			return err
		}
		if err := tx.EndClaim(shop.ID, key, guichet.ClaimDone, cur.ID); err != nil {
			return err
		}
		if err := tx.PutTransaction(cur); err != nil {
			return err
		}
		return s.publish(tx, cur, events...)
	})
	if err != nil {
		s.recordFailed(ctx, shop, key, res, err)
	}
	return err
}

// recordAuthorization adds the authorization of a waiting payment, and
// its capture, to the transaction.
func (s *Service) recordAuthorization(tx guichet.Tx, shop *guichet.Shop, t *guichet.Transaction, res guichet.AcquirerResult,
	capture bool, now time.Time) ([]guichet.Event, error) {
	op := guichet.Operation{ID: s.NewID("op_"), TransactionID: t.ID, Kind: guichet.OpAuthorize, Amount: t.Amount,
		Approved: res.Approved, Code: res.Code, CreatedAt: now}
	var err error
	if op.Number, err = tx.NextNumber(); err != nil {
		return nil, err
	}
	t.Operations = append(t.Operations, op)
	t.ResponseCode, t.UpdatedAt = res.Code, now
	if !res.Approved {
		t.Status, t.AuthCode = guichet.StatusRefused, ""
		return []guichet.Event{s.event(t, &t.Operations[len(t.Operations)-1], guichet.EventRefused, now)}, nil
	}
	t.Status, t.AuthCode = guichet.StatusAuthorized, res.AuthCode
	events := []guichet.Event{s.event(t, &t.Operations[len(t.Operations)-1], guichet.EventAuthorized, now)}
	if capture {
		c := guichet.Operation{ID: s.NewID("op_"), TransactionID: t.ID, Kind: guichet.OpCapture, Amount: t.Amount,
			Approved: true, Code: "00", CreatedAt: now}
		if c.Number, err = tx.NextNumber(); err != nil {
			return nil, err
		}
		apply(t, guichet.OpCapture, t.Amount, remittance(t.CaptureBy, s.paris, 0))
		t.Operations = append(t.Operations, c)
		events = append(events, s.event(t, &t.Operations[len(t.Operations)-1], guichet.EventCaptured, now))
	}
	return events, nil
}

// ValidateWaiting records the merchant's validation of a payment waiting
// for its authorization: it is captured once authorized.
func (s *Service) ValidateWaiting(ctx context.Context, shop *guichet.Shop, front, ref string) (*guichet.Transaction, error) {
	now := s.Now(shop)
	var t *guichet.Transaction
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if t, err = shopTransactionByRef(tx, shop.ID, front, ref); err != nil {
			return err
		}
		if t.Status != guichet.StatusWaiting || t.Has(guichet.OpValidate) {
			return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
				Message: fmt.Sprintf("transaction %s is not waiting for its validation", ref)}
		}
		op := guichet.Operation{ID: s.NewID("op_"), TransactionID: t.ID, Kind: guichet.OpValidate, Approved: true,
			Code: "00", CreatedAt: now}
		if op.Number, err = tx.NextNumber(); err != nil {
			return err
		}
		t.Operations = append(t.Operations, op)
		t.UpdatedAt = now
		if err := tx.PutTransaction(t); err != nil {
			return err
		}
		return s.publish(tx, t, s.event(t, &t.Operations[len(t.Operations)-1], guichet.EventValidated, now))
	})
	return t, err
}
