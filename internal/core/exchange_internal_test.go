package core

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"guichet"
)

// purgeStore is a store that takes exchanges without keeping them and
// reports each purge on a channel.
type purgeStore struct {
	guichet.Store
	purged chan guichet.ExchangePurge
}

func (purgeStore) RecordExchange(context.Context, guichet.Exchange) error { return nil }

func (s purgeStore) PurgeExchanges(_ context.Context, p guichet.ExchangePurge) (deleted, left guichet.ExchangeTotals, err error) {
	s.purged <- p
	return deleted, left, nil
}

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

// TestKeepExchanges checks when the purge runs: at once, then on its tick,
// or sooner once a sixteenth of the size limit was recorded since the last
// one, so that a burst of requests cannot outrun the limit for a whole tick.
func TestKeepExchanges(t *testing.T) {
	store := purgeStore{purged: make(chan guichet.ExchangePurge)}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	svc := New(store, nil, nil, fixedClock(now), slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.SetExchangeRetention(ExchangeRetention{MaxAge: 24 * time.Hour, MaxBytes: 16 << 10})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { svc.KeepExchanges(ctx, time.Hour); close(done) }()

	if p := <-store.purged; !p.Before.Equal(now.Add(-24*time.Hour)) || p.MaxBytes != 16<<10 {
		t.Errorf("first purge: %+v", p)
	}
	e := guichet.Exchange{Request: strings.Repeat("x", 300-64)}
	for i := range 3 {
		if err := svc.RecordExchange(ctx, e); err != nil {
			t.Fatal(err)
		}
		select {
		case p := <-store.purged:
			t.Fatalf("purge after %d exchanges of 300 bytes, under 1 KiB: %+v", i+1, p)
		default:
		}
	}
	// The fourth brings what was recorded to 1200 bytes, over a sixteenth
	// of the limit: the purge runs without waiting an hour.
	svc.RecordExchange(ctx, e)
	<-store.purged
	cancel()
	<-done
}
