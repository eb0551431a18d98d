package core

import (
	"errors"
	"fmt"
	"time"
)

// WorkConfig is how an instance runs due work: how many notification
// attempts it makes at once and to one destination, how long each may take,
// when a failed one is tried again, how long a job it took stays its own,
// and where notifications may go.
type WorkConfig struct {
	// Deliveries is how many notification attempts the instance makes at
	// once, across every shop and destination.
	Deliveries int
	// PerDestination is how many of them may go to one destination (the
	// scheme, host and port of the URL) at once, so that a slow or dead
	// merchant endpoint holds up only its own notifications.
	PerDestination int
	// AttemptTimeout bounds each attempt, from the connection to the
	// merchant's answer.
	AttemptTimeout time.Duration
	// Retries are the delays, on the shop's clock, before each new attempt
	// after a failed one; the last one repeats while the shop allows more
	// attempts (Shop.NotifyAttempts, by default one more than the delays).
	Retries []time.Duration
	// Lease is how long a job an instance took is hidden from the others
	// (and from its own other runners): should the instance die, another
	// one takes the job once the lease ends. It must outlast an attempt
	// by a margin, hence at least twice AttemptTimeout.
	Lease time.Duration
	// PublicOnly forbids the notifications of TEST shops, too, to reach
	// loopback, private, link-local and other special-purpose addresses;
	// those of PRODUCTION shops never may. An instance open to the internet
	// sets it, so that nobody can use a TEST shop to probe its network.
	PublicOnly bool
}

// DefaultWorkConfig is what an instance does unless told otherwise: the
// attempt timeout and retry schedule guichet always had (ten seconds; then
// 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, 12 h and 24 h, eleven
// attempts over two days), 64 attempts at once, 4 per destination, and
// five-minute leases.
func DefaultWorkConfig() WorkConfig {
	return WorkConfig{
		Deliveries:     64,
		PerDestination: 4,
		AttemptTimeout: 10 * time.Second,
		Retries: []time.Duration{
			time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour,
			2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 12 * time.Hour, 24 * time.Hour,
		},
		Lease: 5 * time.Minute,
	}
}

// Check tells what is wrong with c, if anything.
func (c WorkConfig) Check() error {
	var errs []error
	if c.Deliveries < 1 {
		errs = append(errs, fmt.Errorf("deliveries at once must be at least 1, not %d", c.Deliveries))
	}
	if c.PerDestination < 1 {
		errs = append(errs, fmt.Errorf("deliveries per destination must be at least 1, not %d", c.PerDestination))
	}
	if c.AttemptTimeout <= 0 {
		errs = append(errs, fmt.Errorf("the attempt timeout must be positive, not %s", c.AttemptTimeout))
	}
	if len(c.Retries) == 0 {
		errs = append(errs, errors.New("the retry schedule needs at least one delay"))
	}
	for _, d := range c.Retries {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("retry delays must be positive, not %s", d))
			break
		}
	}
	if c.Lease < 2*c.AttemptTimeout {
		errs = append(errs, fmt.Errorf("the lease (%s) must be at least twice the attempt timeout (%s)", c.Lease, c.AttemptTimeout))
	}
	return errors.Join(errs...)
}

// Configure sets how the instance runs due work. Call it before Work,
// after SetAcquirerTimeout: a job that pays (an instalment, a renewal)
// holds its lease while the acquirer answers, so the lease must outlast
// the acquirer's timeout.
func (s *Service) Configure(c WorkConfig) error {
	if err := c.Check(); err != nil {
		return err
	}
	if c.Lease < 2*s.acquirerTimeout {
		return fmt.Errorf("the lease (%s) must be at least twice the acquirer timeout (%s)", c.Lease, s.acquirerTimeout)
	}
	c.Retries = append([]time.Duration(nil), c.Retries...)
	s.work = c
	return nil
}

// nextRetry returns the delay before the next attempt after a number of
// failed attempts, and false when the shop allows no more.
func (s *Service) nextRetry(attempts, max int) (time.Duration, bool) {
	delays := s.work.Retries
	if max <= 0 {
		max = len(delays) + 1
	}
	if attempts >= max {
		return 0, false
	}
	return delays[min(attempts-1, len(delays)-1)], true
}
