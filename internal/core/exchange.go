package core

import (
	"context"
	"strconv"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"guichet"
)

// The bounds of one exchange in the exchange log, in bytes.
const (
	// maxAnonymousText bounds the request and the answer of an exchange
	// that named no shop it could prove it was from (Exchange.ShopID is
	// empty): enough to show an integrator what was sent and why it was
	// refused, while anyone at all can send such requests, as many as
	// they like.
	maxAnonymousText = 2 << 10
	// maxExchangeText bounds them for an authenticated exchange: what the
	// largest front takes (Paybox System's forms), so that nothing a
	// merchant sent is cut.
	maxExchangeText = 64 << 10
	// maxExchangeReference bounds the reference, indexed for look-ups:
	// twice the 250 bytes the protocols allow, for text decoded from a
	// one-byte charset.
	maxExchangeReference = 512
	// maxExchangeLabel bounds the protocol, the operation and the code,
	// which some fronts copy from the request.
	maxExchangeLabel = 64
)

// ExchangeRetention is how long, and how much of, the exchange log is kept.
// A zero field sets no limit.
type ExchangeRetention struct {
	MaxAge   time.Duration
	MaxBytes int64 // as guichet.ExchangeSize counts them
}

// exchangeLog is the Service's state for the exchange log's retention.
type exchangeLog struct {
	retention ExchangeRetention
	// recorded counts the bytes recorded since the last purge; wake asks
	// KeepExchanges for a purge before its next tick once they are a
	// sixteenth of MaxBytes, so that a burst of requests overshoots the
	// limit by that much at most.
	recorded atomic.Int64
	wake     chan struct{}
	// size is what the last purge left, for the metrics.
	size atomic.Pointer[guichet.ExchangeTotals]
}

// SetExchangeRetention sets the retention KeepExchanges and
// PurgeExchanges enforce. It must be called before the Service is used.
func (s *Service) SetExchangeRetention(r ExchangeRetention) {
	s.exchanges.retention = r
}

// RecordExchange writes a request of a front and its answer to the
// exchange log, as every front must: card numbers masked wherever they
// are (guichet.MaskCards), and each field cut to its bound, which is
// smaller when the request was not authenticated. The fronts leave out
// what they know to be secret (CVV, passwords, signatures) before.
func (s *Service) RecordExchange(ctx context.Context, e guichet.Exchange) error {
	e = boundExchange(e)
	if err := s.store.RecordExchange(ctx, e); err != nil {
		return err
	}
	if limit := s.exchanges.retention.MaxBytes; limit > 0 && s.exchanges.recorded.Add(guichet.ExchangeSize(e)) >= limit/16 {
		select {
		case s.exchanges.wake <- struct{}{}:
		default:
		}
	}
	return nil
}

// Exchanges lists recorded exchanges, newest first. The reference asked
// for is masked and cut as recorded ones are, so that it finds them.
func (s *Service) Exchanges(ctx context.Context, f guichet.ExchangeFilter) ([]guichet.Exchange, error) {
	f.Reference = cut(guichet.MaskCards(f.Reference), maxExchangeReference)
	return s.store.Exchanges(ctx, f)
}

// boundExchange masks card numbers in e and cuts its fields to their
// bounds. The card numbers are masked first, so that a cut never leaves
// part of one whole enough to be missed.
func boundExchange(e guichet.Exchange) guichet.Exchange {
	limit := maxExchangeText
	if e.ShopID == "" {
		limit = maxAnonymousText
	}
	e.Protocol = clip(guichet.MaskCards(e.Protocol), maxExchangeLabel)
	e.Operation = clip(guichet.MaskCards(e.Operation), maxExchangeLabel)
	e.Code = clip(guichet.MaskCards(e.Code), maxExchangeLabel)
	e.Reference = cut(guichet.MaskCards(e.Reference), maxExchangeReference)
	e.Request = clip(guichet.MaskCards(e.Request), limit)
	e.Response = clip(guichet.MaskCards(e.Response), limit)
	return e
}

// clip cuts s to at most limit bytes and says how much it left out.
func clip(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	kept := cut(s, limit)
	return kept + "…[" + strconv.Itoa(len(s)-len(kept)) + " more bytes]"
}

// cut cuts s to at most limit bytes, between two characters when s is
// UTF-8.
func cut(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	n := limit
	for n > limit-utf8.UTFMax && n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// PurgeExchanges deletes the exchanges past the retention: recorded longer
// ago than MaxAge by the Service's clock, then the oldest until the log
// takes at most MaxBytes.
func (s *Service) PurgeExchanges(ctx context.Context) (deleted, left guichet.ExchangeTotals, err error) {
	r := s.exchanges.retention
	p := guichet.ExchangePurge{MaxBytes: r.MaxBytes}
	if r.MaxAge > 0 {
		p.Before = s.clock.Now().Add(-r.MaxAge)
	}
	s.exchanges.recorded.Store(0)
	deleted, left, err = s.store.PurgeExchanges(ctx, p)
	if err == nil {
		s.exchanges.size.Store(&left)
	}
	return deleted, left, err
}

// KeepExchanges purges the exchange log every interval, and sooner when
// much was recorded since the last purge, until ctx ends.
func (s *Service) KeepExchanges(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if deleted, left, err := s.PurgeExchanges(ctx); err != nil {
			if ctx.Err() == nil {
				s.log.Error("exchange log: purge", "err", err)
			}
		} else if deleted.Count > 0 {
			s.log.Info("exchange log: purged", "deleted", deleted.Count, "deleted_bytes", deleted.Bytes,
				"left", left.Count, "left_bytes", left.Bytes)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.exchanges.wake:
		}
	}
}
