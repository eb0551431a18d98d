package core

import (
	"context"
	"time"

	"guichet"
)

// Work runs due jobs of every shop until ctx ends: once per tick, and as
// soon as a new job is written. Tests do not use it: they advance clocks,
// which runs due work before returning.
func (s *Service) Work(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	settle := time.NewTicker(settleEvery)
	defer settle.Stop()
	s.settleClaims(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-settle.C:
			s.settleClaims(ctx)
			continue
		case <-t.C:
		case <-s.wake:
		}
		var shops []guichet.Shop
		err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
			shops, err = tx.Shops()
			return err
		})
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("worker: list shops", "err", err)
			}
			continue
		}
		for _, shop := range shops {
			if _, err := s.RunDue(ctx, shop.ID); err != nil && ctx.Err() == nil {
				s.log.Error("worker: due jobs", "shop", shop.ID, "err", err)
			}
		}
	}
}

// poke wakes the worker, without waiting for it.
func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// settleEvery is how often the worker runs the janitor of pending claims.
const settleEvery = 30 * time.Second

// settleClaims runs the janitor, logging what it could not do.
func (s *Service) settleClaims(ctx context.Context) {
	if n, err := s.SettleClaims(ctx); err != nil && ctx.Err() == nil {
		s.log.Error("janitor", "err", err)
	} else if n > 0 {
		s.log.Info("janitor: claims settled", "count", n)
	}
}
