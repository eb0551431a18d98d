package core

import (
	"context"
	"sync"
	"time"

	"guichet"
)

// Work runs the due work of every shop until ctx ends, on paths that never
// wait for each other: notifications, delivered concurrently within the
// configured limits; the other jobs (reviews, captures, instalments,
// renewals), one after the other; and the janitor of pending claims, at
// start and every settleEvery. The job paths look once per tick, as soon
// as a new job is written, and the delivery path also when an attempt
// ends. Several instances may work on one store: each job is taken with a
// lease, by one of them at a time. When ctx ends, Work returns once the
// attempts under way have ended; what is left waits in the store. Tests
// mostly advance clocks instead, which runs due work before returning.
func (s *Service) Work(ctx context.Context, tick time.Duration) {
	var wg sync.WaitGroup
	wg.Go(func() { s.workJobs(ctx, tick) })
	wg.Go(func() { s.workDeliveries(ctx, tick) })
	wg.Go(func() { s.workClaims(ctx) })
	wg.Wait()
}

// workClaims runs the janitor at start, then every settleEvery.
func (s *Service) workClaims(ctx context.Context) {
	t := time.NewTicker(settleEvery)
	defer t.Stop()
	for {
		s.settleClaims(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// workJobs runs the due jobs other than deliveries, shop after shop.
func (s *Service) workJobs(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	except := []string{jobDeliver}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.wakeJobs:
		}
		shops, err := s.shopList(ctx)
		if err != nil {
			continue
		}
		for i := range shops {
			shop := &shops[i]
			for ctx.Err() == nil {
				jobs, err := s.take(ctx, shop, guichet.JobClaim{ExceptKinds: except, Limit: 1})
				if err != nil {
					s.logWorkError(ctx, "worker: take jobs", shop.ID, err)
					break
				}
				if len(jobs) == 0 {
					break
				}
				j := &jobs[0]
				s.running.add(shop.ID)
				err = s.runJob(ctx, shop, j)
				s.running.done(shop.ID)
				if err != nil {
					// The job keeps its lease, and runs again when it ends.
					s.logWorkError(ctx, "worker: job failed", shop.ID, err, "job", j.ID, "kind", j.Kind)
				}
			}
		}
	}
}

// workDeliveries starts due deliveries as the limits allow: at most
// Deliveries at once, PerDestination to one destination. It only takes
// from the store the deliveries it can start at once, so that a delivery
// never waits in memory, holding its lease, behind a slow destination.
// Once per tick, and when woken by a new job, it looks at every shop; when
// an attempt ends, only at the shops that had deliveries to start last time
// or have some under way, so that a busy shop does not make the worker
// query every idle one after each attempt.
func (s *Service) workDeliveries(ctx context.Context, tick time.Duration) {
	fan := newFanout(s.work.Deliveries, s.work.PerDestination)
	defer fan.wait()
	t := time.NewTicker(tick)
	defer t.Stop()
	var shops []guichet.Shop
	active := map[string]bool{}
	for {
		every := true
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.wakeDeliveries:
		case <-fan.freed:
			every = false
		}
		if every || shops == nil {
			list, err := s.shopList(ctx)
			if err != nil {
				continue
			}
			shops = list
		}
		active = s.dispatch(ctx, fan, shops, func(id string) bool { return every || active[id] || s.running.busy(id) })
	}
}

// dispatch takes the due deliveries of the shops that look says to look
// at, as many as the fanout has room for, and starts them; it returns the
// shops that had some. Each shop first gets its share of the room, then
// whatever is left, so that one shop's backlog does not hold up another's
// notifications.
func (s *Service) dispatch(ctx context.Context, fan *fanout, shops []guichet.Shop, look func(shopID string) bool) map[string]bool {
	had := map[string]bool{}
	if len(shops) == 0 {
		return had
	}
	kinds := []string{jobDeliver}
	share := max(1, s.work.Deliveries/len(shops))
	for pass := range 2 {
		for i := range shops {
			shop := &shops[i]
			if !look(shop.ID) {
				continue
			}
			free, busy := fan.room()
			if free <= 0 || ctx.Err() != nil {
				return had
			}
			if pass == 0 {
				free = min(free, share)
			}
			jobs, err := s.take(ctx, shop, guichet.JobClaim{Kinds: kinds, GroupLimit: s.work.PerDestination, Running: busy, Limit: free})
			if err != nil {
				s.logWorkError(ctx, "worker: take deliveries", shop.ID, err)
				continue
			}
			if len(jobs) > 0 {
				had[shop.ID] = true
			}
			for k := range jobs {
				j := &jobs[k]
				s.running.add(shop.ID)
				fan.submit(j.Group, func() {
					defer s.running.done(shop.ID)
					if err := s.deliver(ctx, shop, j); err != nil {
						// The job keeps its lease, and runs again when it
						// ends.
						s.logWorkError(ctx, "worker: delivery failed", shop.ID, err, "job", j.ID)
					}
				})
			}
		}
	}
	return had
}

func (s *Service) shopList(ctx context.Context) ([]guichet.Shop, error) {
	var shops []guichet.Shop
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		shops, err = tx.Shops()
		return err
	})
	if err != nil {
		s.logWorkError(ctx, "worker: list shops", "", err)
	}
	return shops, err
}

// logWorkError logs what failed, unless the worker is stopping, which
// makes everything fail.
func (s *Service) logWorkError(ctx context.Context, msg, shopID string, err error, args ...any) {
	if ctx.Err() != nil {
		return
	}
	s.log.Error(msg, append([]any{"shop", shopID, "err", err}, args...)...)
}

// poke wakes the workers, without waiting for them.
func (s *Service) poke() {
	for _, c := range []chan struct{}{s.wakeJobs, s.wakeDeliveries} {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// settleEvery is how often the worker runs the janitor of pending claims.
const settleEvery = 30 * time.Second

// settleClaims runs the janitor, logging what it could not do: it
// settles the pending claims, purges the ended ones past their retention,
// and forgets the back office's ended sessions.
func (s *Service) settleClaims(ctx context.Context) {
	if n, err := s.SettleClaims(ctx); err != nil && ctx.Err() == nil {
		s.log.Error("janitor", "err", err)
	} else if n > 0 {
		s.log.Info("janitor: claims settled", "count", n)
	}
	if n, err := s.PurgeClaims(ctx); err != nil && ctx.Err() == nil {
		s.log.Error("janitor: purge", "err", err)
	} else if n > 0 {
		s.log.Info("janitor: ended claims purged", "count", n)
	}
	if _, err := s.PurgeSessions(ctx); err != nil && ctx.Err() == nil {
		s.log.Error("janitor: sessions", "err", err)
	}
}
