package core

import (
	"time"

	"guichet"
)

// Observer is told what an operator watches: the outcome of every
// authorization, by front, and the latency of every acquirer call. Its
// methods are called on the request path, so they must be quick and safe
// for concurrent use; cmd/guichet turns them into Prometheus metrics.
type Observer interface {
	// Authorized reports an authorization's outcome: result is
	// "approved", "refused" or "failed" (no answer from the acquirer, or
	// none recorded).
	Authorized(front, result string)
	// AcquirerCalled reports one acquirer call and how long it took; err
	// is what the call returned.
	AcquirerCalled(kind guichet.OperationKind, took time.Duration, err error)
}

// SetObserver sets who is told of authorizations and acquirer calls.
func (s *Service) SetObserver(o Observer) { s.observer = o }

// The results Observer.Authorized reports.
const (
	resultApproved = "approved"
	resultRefused  = "refused"
	resultFailed   = "failed"
)

// authorized reports an authorization's outcome, when someone listens.
func (s *Service) authorized(front string, t *guichet.Transaction, err error) {
	if s.observer == nil {
		return
	}
	switch {
	case err != nil:
		// A request refused before it reached the acquirer (a reused
		// key, a wrong card) is the client's fault, not an outcome.
		if c := guichet.ErrorCode(err); c != guichet.CodeInternal && c != guichet.CodeUnavailable {
			return
		}
		s.observer.Authorized(front, resultFailed)
	case t.Status == guichet.StatusRefused:
		s.observer.Authorized(front, resultRefused)
	default:
		s.observer.Authorized(front, resultApproved)
	}
}

// ExchangeLogSize is the size of the exchange log as the last purge found
// it, and false before the first purge.
func (s *Service) ExchangeLogSize() (guichet.ExchangeTotals, bool) {
	p := s.exchanges.size.Load()
	if p == nil {
		return guichet.ExchangeTotals{}, false
	}
	return *p, true
}
