package core

import (
	"context"
	"fmt"
	"time"

	"guichet"
)

// Job kinds.
const (
	jobDeliver = "deliver"
)

// jobLease is how far a job taken for running is pushed back, in case the
// instance running it dies: another one picks it up after the lease.
const jobLease = 5 * time.Minute

// Sender sends a notification over the network and reports the attempt.
// internal/notify implements it.
type Sender interface {
	Send(ctx context.Context, d *guichet.Delivery) guichet.Attempt
}

// SetSender sets what delivers notifications; without one they wait.
func (s *Service) SetSender(snd Sender) { s.sender = snd }

// RunDue runs, one after the other in the order they fall due, every job
// of the shop due on its clock, including jobs that the ones run make due.
// It returns how many ran.
func (s *Service) RunDue(ctx context.Context, shopID string) (int, error) {
	ran := 0
	for {
		shop, err := s.ShopByID(ctx, shopID)
		if err != nil {
			return ran, err
		}
		now := s.Now(shop)
		var job *guichet.Job
		err = s.store.Update(ctx, func(tx guichet.Tx) error {
			jobs, err := tx.DueJobs(shopID, now, 1)
			if err != nil || len(jobs) == 0 {
				return err
			}
			j := jobs[0]
			job = &j
			// Taking the job pushes it back: if this instance dies while
			// running it, it runs again later, elsewhere.
			leased := j
			leased.DueAt = now.Add(jobLease)
			return tx.PutJob(&leased)
		})
		if err != nil || job == nil {
			return ran, err
		}
		if err := s.runJob(ctx, shop, job, now); err != nil {
			return ran, fmt.Errorf("job %s (%s): %w", job.ID, job.Kind, err)
		}
		ran++
	}
}

// ShopByID reads a shop afresh, bypassing the cache: clocks move.
func (s *Service) ShopByID(ctx context.Context, id string) (*guichet.Shop, error) {
	var shop *guichet.Shop
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		shop, err = tx.Shop(id)
		return err
	})
	return shop, err
}

func (s *Service) runJob(ctx context.Context, shop *guichet.Shop, j *guichet.Job, now time.Time) error {
	switch j.Kind {
	case jobDeliver:
		return s.deliver(ctx, shop, j, now)
	case jobReview:
		return s.review(ctx, shop, j)
	case jobCapture:
		return s.autoCapture(ctx, shop, j)
	case jobKwixo:
		return s.kwixo(ctx, j)
	case jobInstalment:
		return s.instalment(ctx, shop, j)
	case jobSubscription:
		return s.renew(ctx, shop, j)
	case jobForgetCard:
		return s.forgetCard(ctx, j, now)
	}
	s.log.Error("unknown job kind; dropped", "job", j.ID, "kind", j.Kind)
	return s.dropJob(ctx, j)
}

// dropJob deletes a job in a unit of work of its own: the job is done, or
// cannot be run.
func (s *Service) dropJob(ctx context.Context, j *guichet.Job) error {
	return s.store.Update(ctx, func(tx guichet.Tx) error { return tx.DeleteJob(j.ID) })
}

// retryDelays is the schedule of notification retries after a failed
// attempt, on the shop's clock. A merchant endpoint that is down for a
// day still gets every notification once it is back.
var retryDelays = []time.Duration{
	time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour,
	2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// NextRetry returns the delay before the next attempt after a number of
// failed attempts, and false when the shop allows no more.
func NextRetry(attempts, max int) (time.Duration, bool) {
	if max <= 0 {
		max = len(retryDelays) + 1
	}
	if attempts >= max {
		return 0, false
	}
	return retryDelays[min(attempts-1, len(retryDelays)-1)], true
}

// deliver makes one attempt at a delivery and records it; on failure the
// job is rescheduled along the retry schedule.
func (s *Service) deliver(ctx context.Context, shop *guichet.Shop, j *guichet.Job, now time.Time) error {
	var d *guichet.Delivery
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		d, err = tx.Delivery(j.Ref)
		return err
	})
	if err != nil {
		return err
	}
	if d.Status != guichet.DeliveryPending || s.sender == nil {
		return s.dropJob(ctx, j)
	}
	a := s.sender.Send(ctx, d)
	a.DeliveryID, a.At = d.ID, now
	return s.store.Update(ctx, func(tx guichet.Tx) error {
		cur, err := tx.Delivery(d.ID)
		if err != nil {
			return err
		}
		if err := tx.AddAttempt(a); err != nil {
			return err
		}
		cur.Attempts++
		cur.UpdatedAt = now
		ok := a.StatusCode >= 200 && a.StatusCode < 300
		delay, again := NextRetry(cur.Attempts, shop.NotifyAttempts)
		switch {
		case ok:
			cur.Status = guichet.DeliveryDelivered
		case !again:
			cur.Status = guichet.DeliveryFailed
		}
		if err := tx.PutDelivery(cur); err != nil {
			return err
		}
		if cur.Status != guichet.DeliveryPending {
			return tx.DeleteJob(j.ID)
		}
		next := *j
		next.DueAt = now.Add(delay)
		return tx.PutJob(&next)
	})
}

// Resend queues a delivery again, whatever became of it, for an operator
// whose merchant fixed its endpoint.
func (s *Service) Resend(ctx context.Context, shop *guichet.Shop, deliveryID string) (*guichet.Delivery, error) {
	now := s.Now(shop)
	var d *guichet.Delivery
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if d, err = tx.Delivery(deliveryID); err != nil {
			return err
		}
		if d.ShopID != shop.ID {
			return guichet.Errorf(guichet.CodeNotFound, "no delivery %s", deliveryID)
		}
		d.Status, d.UpdatedAt = guichet.DeliveryPending, now
		if err := tx.PutDelivery(d); err != nil {
			return err
		}
		return tx.PutJob(&guichet.Job{ID: s.NewID("job_"), ShopID: shop.ID, Kind: jobDeliver, Ref: d.ID, DueAt: now})
	})
	return d, err
}

// AdvanceClock moves a TEST shop's clock forward and runs every job that
// became due, in order, before returning the shop as it now stands and how
// many jobs ran.
func (s *Service) AdvanceClock(ctx context.Context, shopID string, by time.Duration) (*guichet.Shop, int, error) {
	if by < 0 {
		return nil, 0, &guichet.Error{Code: guichet.CodeInvalid, Param: "seconds", Message: "a clock only moves forward"}
	}
	var shop *guichet.Shop
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if shop, err = tx.Shop(shopID); err != nil {
			return err
		}
		if !shop.IsTest() {
			return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
				Message: fmt.Sprintf("shop %s is in PRODUCTION: its clock is the real one", shopID)}
		}
		shop.ClockOffset += by
		return tx.PutShop(shop)
	})
	s.shops.clear()
	if err != nil {
		return nil, 0, err
	}
	ran, err := s.RunDue(ctx, shopID)
	return shop, ran, err
}
