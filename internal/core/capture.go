package core

import (
	"context"
	"time"

	"guichet"
)

// jobCapture captures an authorization the merchant left to capture, for
// a shop whose contract captures them automatically.
const jobCapture = "capture"

// scheduleCapture schedules the automatic capture of an authorization,
// the shop's AutoCaptureDays after it.
func (s *Service) scheduleCapture(tx guichet.Tx, shop *guichet.Shop, t *guichet.Transaction) error {
	due := t.CreatedAt.Add(time.Duration(shop.AutoCaptureDays) * 24 * time.Hour)
	return tx.PutJob(&guichet.Job{ID: s.NewID("job_"), ShopID: t.ShopID, Kind: jobCapture, Ref: t.ID, DueAt: due})
}

// autoCapture captures what is left of an authorization through the
// acquirer, as the merchant would with a capture request. An
// authorization the merchant captured, cancelled or let expire meanwhile
// is left alone: the job only ends. The capture and the end of the job are
// two units of work; should the second be lost, the job runs again and
// finds the transaction captured.
func (s *Service) autoCapture(ctx context.Context, shop *guichet.Shop, j *guichet.Job) error {
	var t *guichet.Transaction
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		t, err = tx.Transaction(j.Ref)
		return err
	})
	if err != nil && guichet.ErrorCode(err) != guichet.CodeNotFound {
		return err
	}
	if err == nil && t.Status == guichet.StatusAuthorized && t.Captured == 0 {
		_, _, err := s.Operate(ctx, OperationRequest{Shop: shop, Kind: guichet.OpCapture, Number: t.Number, Amount: t.Money()})
		switch guichet.ErrorCode(err) {
		case "", guichet.CodeConflict, guichet.CodeInvalid, guichet.CodeNotFound:
			// Captured, or no longer capturable: nothing more to do.
		default:
			// The acquirer or the store failed: the job keeps its lease
			// and is tried again when the lease ends.
			s.log.Warn("automatic capture failed; will retry", "transaction", t.ID, "err", err)
			return nil
		}
	}
	return s.dropJob(ctx, j)
}

// authorizationValidity is how long an authorization may wait for its
// capture: seven days for most cards, thirty for Maestro.
func authorizationValidity(t *guichet.Transaction) time.Duration {
	if t.Card.Brand == guichet.BrandMaestro {
		return 30 * 24 * time.Hour
	}
	return 7 * 24 * time.Hour
}

// RescheduleCapture moves the date a payment not remitted yet is expected
// to be captured on, within its authorization's validity: the capture, or
// the merchant's validation deadline, moves with it.
func (s *Service) RescheduleCapture(ctx context.Context, shop *guichet.Shop, front, ref string, date time.Time) (*guichet.Transaction, error) {
	now := s.Now(shop)
	var t *guichet.Transaction
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if t, err = shopTransactionByRef(tx, shop.ID, front, ref); err != nil {
			return err
		}
		switch {
		case t.Expired(now):
			return expiredError(t)
		case t.Status == guichet.StatusAuthorized:
		case t.Status == guichet.StatusCaptured && t.Refunded == 0 && !t.Remitted(now):
		default:
			return stateError(t, "reschedule the capture of")
		}
		if date.Before(now) || date.After(t.CreatedAt.Add(authorizationValidity(t))) {
			return &guichet.Error{Code: guichet.CodeInvalid, Reason: guichet.ReasonExpired, Param: "capture_date",
				Message: "the capture date must be within the authorization's validity, from now"}
		}
		t.CaptureBy, t.UpdatedAt = date, now
		if t.Status == guichet.StatusCaptured {
			t.RemitAt = remittance(date, s.paris, 0)
		}
		return tx.PutTransaction(t)
	})
	return t, err
}
