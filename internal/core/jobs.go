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

// RunDue runs every job of the shop due on its clock, including jobs that
// the ones run make due, and returns how many ran, once they all have.
// Other jobs run one after the other in the order they fall due; each
// delivery is handed, as it comes in that order, to a fanout where it runs
// beside those to other destinations, and after those to its own, so that
// a merchant sees its notifications in order and a slow one holds up none
// but its own. Jobs of the shop that this instance's workers are running
// are waited for, and what they make due is run too.
func (s *Service) RunDue(ctx context.Context, shopID string) (int, error) {
	ran := 0
	for {
		waited := s.running.wait(ctx, shopID)
		if err := ctx.Err(); err != nil {
			return ran, err
		}
		shop, err := s.ShopByID(ctx, shopID)
		if err != nil {
			return ran, err
		}
		n, err := s.runDue(ctx, shop)
		ran += n
		if err != nil || (n == 0 && !waited) {
			return ran, err
		}
	}
}

// runDue takes the shop's due jobs one at a time, in order, runs them or
// hands them to a fanout, and waits for the fanout. A delivery is taken
// only when it can start at once: a job that waited in the fanout behind a
// slow destination would outlive its lease, and another worker would take
// it while it still waits here. What is left when only such deliveries
// remain is taken by RunDue's next round.
func (s *Service) runDue(ctx context.Context, shop *guichet.Shop) (int, error) {
	fan := newFanout(s.work.Deliveries, 1)
	errs := make(chan error, 1)
	report := func(err error) {
		select {
		case errs <- err:
		default:
		}
	}
	ran := 0
	for {
		free, busy := fan.room()
		if free <= 0 {
			select {
			case <-fan.freed:
				continue
			case <-ctx.Done():
				report(ctx.Err())
			}
			break
		}
		jobs, err := s.take(ctx, shop, guichet.JobClaim{Limit: 1, GroupLimit: 1, Running: busy})
		if err != nil {
			report(err)
			break
		}
		if len(jobs) == 0 {
			break
		}
		j := &jobs[0]
		ran++
		if j.Kind == jobDeliver {
			fan.submit(j.Group, func() {
				if err := s.deliver(ctx, shop, j); err != nil {
					report(fmt.Errorf("job %s (%s): %w", j.ID, j.Kind, err))
				}
			})
			continue
		}
		if err := s.runJob(ctx, shop, j); err != nil {
			report(fmt.Errorf("job %s (%s): %w", j.ID, j.Kind, err))
			break
		}
	}
	fan.wait()
	select {
	case err := <-errs:
		return ran, err
	default:
		return ran, nil
	}
}

// take takes due jobs of the shop as c says, leased for the configured
// time. A job whose run ends without deleting or rescheduling it falls due
// again a lease later on the shop's clock: that is how a job whose run
// failed is tried again.
func (s *Service) take(ctx context.Context, shop *guichet.Shop, c guichet.JobClaim) ([]guichet.Job, error) {
	now, real := s.Now(shop), s.clock.Now()
	c.ShopID, c.Due, c.Now = shop.ID, now, real
	c.LeaseUntil, c.RetryAt = real.Add(s.work.Lease), now.Add(s.work.Lease)
	var jobs []guichet.Job
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		jobs, err = tx.TakeJobs(c)
		return err
	})
	return jobs, err
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

// runJob runs a job other than a delivery.
func (s *Service) runJob(ctx context.Context, shop *guichet.Shop, j *guichet.Job) error {
	switch j.Kind {
	case jobDeliver:
		return s.deliver(ctx, shop, j)
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
	case jobRecurring:
		return s.recur(ctx, shop, j)
	case jobAuthorize:
		return s.authorizeDeferred(ctx, shop, j)
	case jobForgetCard:
		return s.forgetCard(ctx, j, s.Now(shop))
	}
	s.log.Error("unknown job kind; dropped", "job", j.ID, "kind", j.Kind)
	return s.dropJob(ctx, j)
}

// dropJob deletes a job in a unit of work of its own: the job is done, or
// cannot be run.
func (s *Service) dropJob(ctx context.Context, j *guichet.Job) error {
	return s.store.Update(ctx, func(tx guichet.Tx) error { return tx.DeleteJob(j.ID) })
}

// AdvanceClock moves a TEST shop's clock forward and runs every job that
// became due, in order, before returning the shop as it now stands and how
// many jobs ran.
func (s *Service) AdvanceClock(ctx context.Context, shopID string, by time.Duration) (*guichet.Shop, int, error) {
	if by < 0 {
		return nil, 0, &guichet.Error{Code: guichet.CodeInvalid, Param: "seconds", Message: "a clock only moves forward"}
	}
	shop, err := s.ShopByID(ctx, shopID)
	if err != nil {
		return nil, 0, err
	}
	if !shop.IsTest() {
		return nil, 0, &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
			Message: fmt.Sprintf("shop %s is in PRODUCTION: its clock is the real one", shopID)}
	}
	// The clock stops at each job due on the way, which runs at its own
	// time: an instalment due in a week is charged, dated and notified a
	// week on, not at the end of a month's jump.
	target := s.Now(shop).Add(by)
	ran := 0
	for {
		var next []guichet.Job
		if err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
			next, err = tx.DueJobs(shopID, target, 1)
			return err
		}); err != nil {
			return nil, ran, err
		}
		if len(next) == 0 {
			break
		}
		moved := false
		if due := next[0].DueAt; due.After(s.Now(shop)) {
			if shop, err = s.moveClock(ctx, shopID, due.Sub(s.Now(shop))); err != nil {
				return nil, ran, err
			}
			moved = true
		}
		n, err := s.RunDue(ctx, shopID)
		ran += n
		if err != nil {
			return shop, ran, err
		}
		if n == 0 && !moved {
			// The job is another instance's to run: the rest of the
			// way is run at its end.
			break
		}
	}
	if shop, err = s.moveClock(ctx, shopID, target.Sub(s.Now(shop))); err != nil {
		return nil, ran, err
	}
	n, err := s.RunDue(ctx, shopID)
	return shop, ran + n, err
}

// moveClock moves a TEST shop's clock forward.
func (s *Service) moveClock(ctx context.Context, shopID string, by time.Duration) (*guichet.Shop, error) {
	var shop *guichet.Shop
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if shop, err = tx.Shop(shopID); err != nil {
			return err
		}
		shop.ClockOffset += max(by, 0)
		return tx.PutShop(shop)
	})
	s.shops.clear()
	return shop, err
}
