package core

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"guichet"
)

// A merchant may change one later payment of an order paid in several
// times until it is charged: move it to another date, charge another
// amount, or cancel it. The plan lives in the job that charges the
// payments (scheduleInstalments), so the change rewrites that job.

// InstalmentChange asks to move, re-price or cancel one later payment of
// an order paid in several times.
type InstalmentChange struct {
	OrderID string
	// Payment is the instalment's rank among the order's payments, the
	// first payment (the buyer's, on the page) being 1.
	Payment int
	// Cancel drops the instalment: it is never charged. Otherwise Amount,
	// when not zero, and Date, when not zero, replace the instalment's;
	// Date is a civil date, as Instalment's.
	Cancel bool
	Amount int64
	Date   time.Time
	// Limits bound the new date as they bound the plan when the order was
	// paid: counted from the first payment, and within the card's
	// validity when they say so. MaxLater is unused.
	Limits ScheduleLimits
	// Content, when not nil, replaces the order's content in the same
	// unit of work: a front keeping its own record of the plan changes it
	// with the plan, or not at all. Seen, when not zero, is the UpdatedAt
	// of the order the front read: should the order have changed since,
	// the change is refused, so that two changes never undo each other.
	Content *guichet.OrderContent
	Seen    time.Time
}

// InstalmentChangeEvent is the data of an "order.instalment_changed"
// event: the instalment as it now stands.
type InstalmentChangeEvent struct {
	Order     string    `json:"order"`
	Payment   int       `json:"payment"`
	Payments  int       `json:"payments"`
	Amount    int64     `json:"amount"`
	Date      time.Time `json:"date"`
	Cancelled bool      `json:"cancelled,omitempty"`
}

// errInstalmentChanged refuses to record the charge of an instalment the
// merchant changed while the worker was charging it: the change wins, as
// a cancellation of recurring payments does (errSubscriptionGone).
var errInstalmentChanged = &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
	Message: "instalment changed during its charge"}

// instalmentState refuses a change the instalment's state forbids.
func instalmentState(format string, args ...any) error {
	return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState, Message: fmt.Sprintf(format, args...)}
}

// ChangeInstalment moves, re-prices or cancels one later payment of an
// order paid in several times, and returns the order. Only a payment not
// charged yet, and not falling due already, may change: a new amount must
// be positive, and a new date in the future on the shop's clock, after
// the payments before it and before those after it (cancelled ones
// aside), and within c.Limits. The order's amount is left alone: what it
// means for an order paid in several times is the front's (the whole
// price, or the first payment).
//
// A cancellation that leaves no payment to charge ends the plan, and
// forgets the card when it was kept for the order only. Every change
// emits EventInstalmentChanged, for the order's notifier.
//
// Refusals: CodeNotFound for an unknown order or payment;
// ReasonState when the order has no payment left to charge, the payment
// was charged (or is the first one), falls due now, is cancelled, or the
// order changed since c.Seen; ReasonAlreadyCancelled for a cancellation
// of a cancelled payment; ReasonSchedule (InstalmentFault) for an amount
// or a date that breaks a rule.
func (s *Service) ChangeInstalment(ctx context.Context, shop *guichet.Shop, c InstalmentChange) (*guichet.Order, error) {
	// InstalmentFault counts the later payments from 0.
	index := c.Payment - 2
	if c.Amount < 0 {
		return nil, instalmentError(index, "amount", "the amount must be positive")
	}
	now := s.Now(shop)
	var o *guichet.Order
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if o, err = shopOrder(tx, shop, c.OrderID); err != nil {
			return err
		}
		if !c.Seen.IsZero() && !o.UpdatedAt.Equal(c.Seen) {
			return instalmentState("order %s changed meanwhile; read it again", o.ID)
		}
		j, rj, err := instalmentsOf(tx, o.ID)
		if err != nil {
			return err
		}
		k := c.Payment - rj.Instalments.Rank
		switch {
		case c.Payment < 1 || k > len(rj.Recurrence.Plan):
			return guichet.Errorf(guichet.CodeNotFound, "order %s has no payment %d", o.ID, c.Payment)
		case k < 1:
			return instalmentState("payment %d of order %s was charged already", c.Payment, o.ID)
		}
		p := &rj.Recurrence.Plan[k-1]
		switch {
		case p.Cancelled && c.Cancel:
			return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonAlreadyCancelled,
				Message: fmt.Sprintf("payment %d of order %s is cancelled already", c.Payment, o.ID)}
		case p.Cancelled:
			return instalmentState("payment %d of order %s is cancelled", c.Payment, o.ID)
		case k <= rj.Done:
			return instalmentState("payment %d of order %s was charged already", c.Payment, o.ID)
		case !s.instalmentDue(p.Date).After(now):
			// The worker may be charging it this very moment.
			return instalmentState("payment %d of order %s falls due now", c.Payment, o.ID)
		}
		if c.Cancel {
			p.Cancelled = true
		} else {
			if !c.Date.IsZero() {
				if err := s.checkInstalmentDate(tx, shop, o, rj, k, civil(c.Date), c.Limits); err != nil {
					return err
				}
				p.Date = civil(c.Date)
			}
			if c.Amount > 0 {
				p.Amount = c.Amount
			}
		}
		if c.Content != nil {
			o.Content = *c.Content
		}
		o.UpdatedAt = now
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		if err := s.rescheduleInstalments(tx, shop, j, rj); err != nil {
			return err
		}
		data, err := json.Marshal(InstalmentChangeEvent{Order: o.ID, Payment: c.Payment, Payments: rj.Instalments.Of,
			Amount: p.Amount, Date: p.Date, Cancelled: p.Cancelled})
		if err != nil {
			return err
		}
		e := guichet.Event{ID: s.NewID("evt_"), ShopID: shop.ID, Type: guichet.EventInstalmentChanged, At: now, Data: data}
		return s.publishOrder(tx, shop, o, nil, nil, e)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// instalmentsOf loads the job charging an order's later payments, which
// exists from the first payment to the last later one.
func instalmentsOf(tx guichet.Tx, orderID string) (*guichet.Job, *recurringJob, error) {
	j, err := tx.Job(instalmentsJobID(orderID))
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return nil, nil, instalmentState("order %s has no payment left to charge", orderID)
	}
	if err != nil {
		return nil, nil, err
	}
	var rj recurringJob
	if err := json.Unmarshal(j.Data, &rj); err != nil || j.Kind != jobRecurring || rj.Instalments == nil || len(rj.Recurrence.Plan) == 0 {
		return nil, nil, instalmentState("order %s has no payment left to charge", orderID)
	}
	return j, &rj, nil
}

// checkInstalmentDate checks the new date of occurrence k of an order's
// plan: in the future, between its live neighbours, and within the
// limits, counted from the order's first payment.
func (s *Service) checkInstalmentDate(tx guichet.Tx, shop *guichet.Shop, o *guichet.Order, rj *recurringJob, k int, date time.Time, lim ScheduleLimits) error {
	index := rj.Instalments.Rank + k - 2
	if civilDays(s.Now(shop).In(s.paris), date) <= 0 {
		return instalmentError(index, "date", "the date must be in the future")
	}
	plan := rj.Recurrence.Plan
	for i := k - 2; i >= 0; i-- {
		if !plan[i].Cancelled {
			if civilDays(plan[i].Date, date) <= 0 {
				return instalmentError(index, "date", fmt.Sprintf("the date must be after that of payment %d", rj.Instalments.Rank+i+1))
			}
			break
		}
	}
	for i := k; i < len(plan); i++ {
		if !plan[i].Cancelled {
			if civilDays(date, plan[i].Date) <= 0 {
				return instalmentError(index, "date", fmt.Sprintf("the date must be before that of payment %d", rj.Instalments.Rank+i+1))
			}
			break
		}
	}
	first, err := tx.Transaction(o.TransactionID)
	if err != nil {
		return err
	}
	start := first.CreatedAt.In(s.paris)
	switch {
	case lim.MaxDays > 0 && civilDays(start, date) > lim.MaxDays:
		return instalmentError(index, "date", fmt.Sprintf("at most %d days after the first payment", lim.MaxDays))
	case lim.MaxMonths > 0 && civilDays(start.AddDate(0, lim.MaxMonths, 0), date) > 0:
		return instalmentError(index, "date", fmt.Sprintf("at most %d months after the first payment", lim.MaxMonths))
	}
	if lim.WithinCardExpiry {
		tok, err := tx.Token(shop.ID, rj.Token)
		if err != nil {
			return err
		}
		if (guichet.Card{ExpMonth: tok.Card.ExpMonth, ExpYear: tok.Card.ExpYear}).Expired(date) {
			return instalmentError(index, "expiry", "the card expires before that date")
		}
	}
	return nil
}

// rescheduleInstalments writes the changed plan back to its job, due on
// the next payment not cancelled; without one, the plan has ended: the job
// is removed, and the card with it when it was kept for the order only.
func (s *Service) rescheduleInstalments(tx guichet.Tx, shop *guichet.Shop, j *guichet.Job, rj *recurringJob) error {
	if _, ok := rj.Recurrence.next(rj.Done + 1); ok {
		return s.scheduleOccurrence(tx, shop.ID, rj, time.Time{})
	}
	if err := tx.DeleteJob(j.ID); err != nil {
		return err
	}
	if rj.Forget {
		return tx.DeleteToken(shop.ID, rj.Token)
	}
	return nil
}

// checkStillOwed, in the unit of work recording the charge of occurrence
// k of a plan, refuses it when the stored plan no longer owes it as
// charged: the merchant cancelled, moved or re-priced it, or ended the
// plan, after the worker read the job. The stored plan becomes rj's, so
// that scheduling the next occurrence keeps the merchant's changes.
func (s *Service) checkStillOwed(tx guichet.Tx, rj *recurringJob, k int) error {
	if len(rj.Recurrence.Plan) == 0 || rj.Instalments == nil || rj.JobID != instalmentsJobID(rj.Order) {
		return nil
	}
	j, err := tx.Job(rj.jobID())
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return errInstalmentChanged
	}
	if err != nil {
		return err
	}
	var stored recurringJob
	if err := json.Unmarshal(j.Data, &stored); err != nil || len(stored.Recurrence.Plan) != len(rj.Recurrence.Plan) {
		return errInstalmentChanged
	}
	was, cur := rj.Recurrence.Plan[k-1], stored.Recurrence.Plan[k-1]
	if cur.Cancelled || cur.Amount != was.Amount || !civil(cur.Date).Equal(civil(was.Date)) {
		return errInstalmentChanged
	}
	rj.Recurrence.Plan = stored.Recurrence.Plan
	return nil
}
