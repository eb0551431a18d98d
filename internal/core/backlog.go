package core

import (
	"context"
	"sort"
	"time"

	"guichet"
)

// Backlog is the due work of one kind across every shop: how many jobs are
// due and waiting, and how long ago the earliest fell due on its shop's
// clock. Jobs under way are not counted: taking a job moves its due time a
// lease ahead.
type Backlog struct {
	Kind      string
	Due       int
	OldestAge time.Duration
}

// Backlog reports the due work by job kind ("deliver" for notifications),
// for metrics.
func (s *Service) Backlog(ctx context.Context) ([]Backlog, error) {
	// Every kind is reported, idle ones at zero, so that a dashboard
	// shows them all.
	byKind := map[string]*Backlog{}
	for _, k := range []string{jobDeliver, jobReview, jobCapture, jobKwixo, jobInstalment, jobSubscription, jobRecurring, jobAuthorize} {
		byKind[k] = &Backlog{Kind: k}
	}
	err := s.store.View(ctx, func(tx guichet.Tx) error {
		shops, err := tx.Shops()
		if err != nil {
			return err
		}
		for i := range shops {
			now := s.Now(&shops[i])
			list, err := tx.JobBacklog(shops[i].ID, now)
			if err != nil {
				return err
			}
			for _, b := range list {
				k := byKind[b.Kind]
				if k == nil {
					k = &Backlog{Kind: b.Kind}
					byKind[b.Kind] = k
				}
				k.Due += b.Due
				if !b.Oldest.IsZero() {
					k.OldestAge = max(k.OldestAge, now.Sub(b.Oldest))
				}
			}
		}
		return nil
	})
	out := make([]Backlog, 0, len(byKind))
	for _, b := range byKind {
		out = append(out, *b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out, err
}
