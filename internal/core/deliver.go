package core

import (
	"context"
	"net"
	"net/url"
	"strings"

	"guichet"
)

// Sender sends a notification over the network and reports the attempt.
// internal/notify implements it.
type Sender interface {
	// Send makes one attempt, bounded by ctx. With publicOnly, it must
	// refuse to connect to loopback, private, link-local and other
	// special-purpose addresses, checking the address it actually
	// connects to, not the name it was given. Attempt.Error, recorded
	// for the merchant to read, must be a neutral phrase, never the
	// text of an internal error. Attempt.Answer is the beginning of
	// the merchant's answer, as guichet.AnswerExcerpt makes it.
	Send(ctx context.Context, d *guichet.Delivery, publicOnly bool) guichet.Attempt
}

// SetSender sets what delivers notifications; without one, deliveries are
// dropped when they fall due.
func (s *Service) SetSender(snd Sender) { s.sender = snd }

// destination is the group a delivery's job belongs to, for the limit on
// attempts at once: the scheme, host and port of its URL. A URL that does
// not parse is its own group.
func destination(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// deliveryJob is the job that sends d at due.
func (s *Service) deliveryJob(d *guichet.Delivery) *guichet.Job {
	return &guichet.Job{ID: s.NewID("job_"), ShopID: d.ShopID, Kind: jobDeliver, Ref: d.ID, DueAt: d.UpdatedAt,
		Group: destination(d.URL)}
}

// publicOnly tells whether the shop's notifications may only reach public
// addresses: a PRODUCTION shop's always, a TEST shop's when the instance
// says so. TEST shops may otherwise notify a merchant's local machine, as
// a sandbox must let them.
func (s *Service) publicOnly(shop *guichet.Shop) bool {
	return !shop.IsTest() || s.work.PublicOnly
}

// deliver makes one attempt at a delivery and records it; on failure the
// job is rescheduled along the retry schedule. The attempt is bounded by
// the configured timeout; the record is written whatever becomes of ctx,
// for an attempt the merchant may have seen must not be forgotten.
func (s *Service) deliver(ctx context.Context, shop *guichet.Shop, j *guichet.Job) error {
	record := context.WithoutCancel(ctx)
	// When the instance stops before or during the attempt, which is then
	// no failure of the merchant's, the job is given back as it was, for
	// whoever runs next to try again at once rather than a lease later.
	giveBack := func() error { return s.store.Update(record, func(tx guichet.Tx) error { return tx.PutJob(j) }) }
	var d *guichet.Delivery
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		d, err = tx.Delivery(j.Ref)
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return giveBack()
		}
		return err
	}
	if d.Status != guichet.DeliveryPending || s.sender == nil {
		return s.dropJob(ctx, j)
	}
	now := s.Now(shop)
	attempt, cancel := context.WithTimeout(ctx, s.work.AttemptTimeout)
	sent := *d
	if d.Attempts > 0 && len(d.RetryBody) > 0 {
		// A retry says so, where the protocol writes it in the body.
		sent.Body = d.RetryBody
	}
	a := s.sender.Send(attempt, &sent, s.publicOnly(shop))
	cancel()
	if a.StatusCode == 0 && ctx.Err() != nil {
		return giveBack()
	}
	a.DeliveryID, a.At = d.ID, now
	// The answer is the merchant's text, which may quote the card number
	// of the payment notified: it is masked and bounded here whatever the
	// sender did, for no card number may be stored. A sender must mask it
	// before cutting it too, which only it can do (guichet.AnswerExcerpt).
	a.Answer = guichet.AnswerExcerpt(a.Answer)
	return s.store.Update(record, func(tx guichet.Tx) error {
		cur, err := tx.Delivery(d.ID)
		if err != nil {
			return err
		}
		if err := tx.AddAttempt(a); err != nil {
			return err
		}
		cur.Attempts++
		cur.UpdatedAt = now
		delay, again := s.nextRetry(cur.Attempts, shop.NotifyAttempts)
		if cur.MaxAttempts > 0 {
			again = cur.Attempts < cur.MaxAttempts
		}
		if cur.RetryMarks > 0 {
			// The next mark of the clock (the next quarter-hour, say),
			// in the shop's time.
			delay = now.Truncate(cur.RetryMarks).Add(cur.RetryMarks).Sub(now)
		}
		// A delivery another job settled meanwhile (an operator's resend)
		// keeps its status: this attempt only adds to its log.
		if cur.Status == guichet.DeliveryPending {
			switch {
			case cur.Acknowledged(a.StatusCode):
				cur.Status = guichet.DeliveryDelivered
			case !again:
				cur.Status = guichet.DeliveryFailed
			}
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
		if len(d.ResendBody) > 0 {
			// The resend, and its retries, say that an operator sent
			// it, where the protocol writes it in the body.
			d.Body, d.RetryBody = d.ResendBody, nil
		}
		if err := tx.PutDelivery(d); err != nil {
			return err
		}
		return tx.PutJob(s.deliveryJob(d))
	})
	if err == nil {
		s.poke()
	}
	return d, err
}
