package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"guichet"
)

// Recurring payments charge a stored card at the dates of a Recurrence,
// each occurrence a payment of an order the front opened for them (the
// subscription), recorded and notified like any payment of the order. The
// front names the order; the core keeps its next occurrence in a job.

// jobRecurring charges the next occurrence of recurring payments.
const jobRecurring = "recurring"

// recurringJob is what a recurring payments' job carries. The card stays
// in the vault: the job names the token only.
type recurringJob struct {
	Order      string     `json:"order"`
	Token      string     `json:"token"`
	Recurrence Recurrence `json:"recurrence"`
	// Done counts the occurrences charged so far.
	Done int `json:"done"`
	// JobID is the job's ID, which a cancellation finds it by:
	// recurringJobID(Order) unless the payments name it otherwise (a
	// Paybox subscription's, by its number).
	JobID string `json:"job_id,omitempty"`
	// TokenID, when set, is the token's ID: should the reference name
	// another token (a new subscription under it), these payments end.
	TokenID string `json:"token_id,omitempty"`
	// StopOnRefusal ends the payments at the first refused occurrence;
	// Forget deletes the token when they end, the card having been kept
	// for them only.
	StopOnRefusal bool `json:"stop_on_refusal,omitempty"`
	Forget        bool `json:"forget,omitempty"`
	// Subscription, when set, announces each occurrence as a renewal of
	// a numbered subscription (EventRenewal), as Paybox's are known.
	Subscription *subscriptionName `json:"subscription,omitempty"`
	// Instalments, when set, announces each occurrence as a later payment
	// of an order paid in several times (EventInstalment).
	Instalments *instalmentRank `json:"instalments,omitempty"`
	// Key, when set, is the request key of the (single) occurrence: a job
	// written before instalments ran as recurring payments keeps its own.
	Key string `json:"key,omitempty"`
}

// instalmentRank numbers an order's later payments among all its
// payments: occurrence k is payment Rank+k of Of (the first payment is 1).
type instalmentRank struct {
	Rank int `json:"rank"`
	Of   int `json:"of"`
}

// subscriptionName is how a Paybox subscription is known: the number of
// its first payment and the merchant's reference.
type subscriptionName struct {
	Number    int64  `json:"number"`
	Reference string `json:"reference"`
}

func recurringJobID(orderID string) string { return "job_rec_" + orderID }

// jobID is the ID of the payments' job.
func (rj *recurringJob) jobID() string {
	if rj.JobID != "" {
		return rj.JobID
	}
	return recurringJobID(rj.Order)
}

// requestKey is the key occurrence k is claimed under: a renewal keeps the
// key Paybox subscriptions always had.
func (rj *recurringJob) requestKey(k int) string {
	if rj.Key != "" {
		return rj.Key
	}
	if rj.Subscription != nil {
		return "renewal:" + strconv.FormatInt(rj.Subscription.Number, 10) + ":" + strconv.Itoa(k)
	}
	return "recurring:" + rj.Order + ":" + strconv.Itoa(k)
}

// RecurringEvent is the data of a "transaction.recurring" event, emitted
// with the events of each occurrence's transaction.
type RecurringEvent struct {
	Order       string `json:"order"`
	Occurrence  int    `json:"occurrence"`
	Transaction string `json:"transaction"`
	Status      string `json:"status"`
	Amount      int64  `json:"amount"`
	Currency    string `json:"currency"`
	// Ended says that no occurrence follows this one.
	Ended bool `json:"ended,omitempty"`
}

// errNotRecurring refuses to change recurring payments that do not run
// (any more) under the order named.
func errNotRecurring(orderID string) error {
	return &guichet.Error{Code: guichet.CodeNotFound, Reason: guichet.ReasonState,
		Message: fmt.Sprintf("no recurring payments under order %s", orderID)}
}

// StartRecurring opens the order o (the subscription) and starts charging
// the token of reference token at the dates of r, as payments of o, in one
// unit of work: either both are written or neither is. The first
// occurrence may not be before today on the shop's clock.
func (s *Service) StartRecurring(ctx context.Context, shop *guichet.Shop, o *guichet.Order, token string, r Recurrence) error {
	if err := checkCurrency(o.Amount); err != nil {
		return err
	}
	now := s.Now(shop)
	o.ShopID, o.Status, o.CreatedAt, o.UpdatedAt = shop.ID, guichet.OrderOpen, now, now
	return s.setRecurring(ctx, shop, o.ID, o, token, r, nil)
}

// StartRecurringDue starts recurring payments as StartRecurring does and,
// when the first occurrence falls due today on the shop's clock, charges it
// before returning rather than leaving it to the worker: a protocol whose
// answer tells the outcome of the first payment. A charge that could not
// run (the acquirer did not answer) does not undo the start: the job
// stays due, and the worker charges the occurrence as it charges any
// other. Should the worker take the job meanwhile, the occurrence's request
// key lets only one of them charge it.
func (s *Service) StartRecurringDue(ctx context.Context, shop *guichet.Shop, o *guichet.Order, token string, r Recurrence) error {
	if err := s.StartRecurring(ctx, shop, o, token, r); err != nil {
		return err
	}
	date, _, ok := r.Occurrence(1)
	if !ok || s.instalmentDue(date).After(s.Now(shop)) {
		return nil
	}
	rj := &recurringJob{Order: o.ID, Token: token, Recurrence: r}
	j := &guichet.Job{ID: rj.jobID(), ShopID: shop.ID, Kind: jobRecurring, Ref: o.ID}
	if err := s.runRecurring(ctx, shop, j, rj); err != nil {
		s.log.Warn("first recurring payment left to the worker", "order", o.ID, "err", err)
	}
	return nil
}

// UpdateRecurring replaces the token and recurrence of running recurring
// payments, and the content of their order when content is not nil; the
// occurrences already charged count against the new recurrence's Count.
// The order's amount becomes the recurrence's.
func (s *Service) UpdateRecurring(ctx context.Context, shop *guichet.Shop, orderID, token string, r Recurrence, content *guichet.OrderContent) error {
	return s.setRecurring(ctx, shop, orderID, nil, token, r, content)
}

// setRecurring starts recurring payments on a new order (opened), or
// changes those of an existing one.
func (s *Service) setRecurring(ctx context.Context, shop *guichet.Shop, orderID string, opened *guichet.Order, token string, r Recurrence,
	content *guichet.OrderContent) error {
	start := opened != nil
	if err := r.Check(); err != nil {
		return err
	}
	now := s.Now(shop)
	today := s.DateOf(now)
	if start && r.First.Before(today) {
		return recurrenceError("first", "the first occurrence may not be in the past")
	}
	return s.store.Update(ctx, func(tx guichet.Tx) error {
		o := opened
		if start {
			if err := tx.PutOrder(o); err != nil {
				return err
			}
		} else {
			var err error
			if o, err = shopOrder(tx, shop, orderID); err != nil {
				return err
			}
		}
		if o.Status != guichet.OrderOpen {
			return errNotRecurring(orderID)
		}
		tok, err := tx.Token(shop.ID, token)
		if guichet.ErrorCode(err) == guichet.CodeNotFound {
			return tokenMissing(token)
		}
		if err != nil {
			return err
		}
		if !tok.CancelledAt.IsZero() {
			return tokenCancelled(token)
		}
		done := 0
		if !start {
			if content != nil {
				o.Content = *content
			}
			o.Amount.Amount, o.UpdatedAt = r.Amount, now
			if err := tx.PutOrder(o); err != nil {
				return err
			}
			charged, err := tx.Transactions(guichet.TransactionFilter{ShopID: shop.ID, OrderID: orderID, Limit: 10000})
			if err != nil {
				return err
			}
			done = len(charged)
		}
		rj := &recurringJob{Order: orderID, Token: token, Recurrence: r, Done: done}
		typ := guichet.EventRecurringStarted
		if !start {
			typ = guichet.EventRecurringUpdated
		}
		if err := tx.Emit(guichet.Event{ID: s.NewID("evt_"), ShopID: shop.ID, Type: typ, At: now,
			Data: []byte(fmt.Sprintf(`{"order":%q}`, orderID))}); err != nil {
			return err
		}
		return s.scheduleOccurrence(tx, shop.ID, rj, today)
	})
}

// scheduleOccurrence writes the job of the next occurrence, or removes the
// job when the recurrence has ended. With a non-zero skipBefore, the
// occurrences before that date are skipped: an update that moved the
// dates does not charge the ones already past. Otherwise an occurrence
// already due (the work ran late) is charged at once, as each is owed.
//
// Cancelled occurrences of a plan are skipped too, without being charged:
// Done then counts them among those past.
func (s *Service) scheduleOccurrence(tx guichet.Tx, shopID string, rj *recurringJob, skipBefore time.Time) error {
	date, _, ok := rj.Recurrence.Occurrence(rj.Done + 1)
	for ok && (date.Before(skipBefore) || rj.Recurrence.cancelled(rj.Done+1)) {
		rj.Done++
		date, _, ok = rj.Recurrence.Occurrence(rj.Done + 1)
	}
	if !ok {
		return tx.DeleteJob(rj.jobID())
	}
	data, err := json.Marshal(rj)
	if err != nil {
		return err
	}
	return tx.PutJob(&guichet.Job{ID: rj.jobID(), ShopID: shopID, Kind: jobRecurring, Ref: rj.Order,
		DueAt: s.instalmentDue(date), Data: data})
}

// CancelRecurring stops recurring payments: the order is closed as
// cancelled and its next occurrence removed, in one unit of work.
func (s *Service) CancelRecurring(ctx context.Context, shop *guichet.Shop, orderID string) error {
	now := s.Now(shop)
	return s.store.Update(ctx, func(tx guichet.Tx) error {
		o, err := shopOrder(tx, shop, orderID)
		if err != nil {
			return err
		}
		if o.Status != guichet.OrderOpen {
			return errNotRecurring(orderID)
		}
		o.Status, o.UpdatedAt = guichet.OrderCancelled, now
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		if err := tx.DeleteJob(recurringJobID(orderID)); err != nil {
			return err
		}
		return tx.Emit(guichet.Event{ID: s.NewID("evt_"), ShopID: shop.ID, Type: guichet.EventRecurringCancelled, At: now,
			Data: []byte(fmt.Sprintf(`{"order":%q}`, orderID))})
	})
}

// recur runs a recurring payments' job.
func (s *Service) recur(ctx context.Context, shop *guichet.Shop, j *guichet.Job) error {
	var rj recurringJob
	if err := json.Unmarshal(j.Data, &rj); err != nil || rj.Order == "" || rj.Token == "" {
		s.log.Error("unreadable recurring job; dropped", "job", j.ID, "err", err)
		return s.dropJob(ctx, j)
	}
	return s.runRecurring(ctx, shop, j, &rj)
}

// runRecurring charges the next occurrence: the card kept as a token is
// charged (authorized and captured) through the same path as any payment,
// and the next occurrence is scheduled in the same unit of work. A token
// the merchant cancelled, deleted or replaced ends the payments; so does a
// refused occurrence, when the payments say so.
func (s *Service) runRecurring(ctx context.Context, shop *guichet.Shop, j *guichet.Job, rj *recurringJob) error {
	var o *guichet.Order
	var tok *guichet.Token
	method := ""
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		if o, err = tx.Order(rj.Order); err != nil {
			return err
		}
		if o.TransactionID != "" {
			// A renewal is paid as the subscription's first payment was.
			first, err := tx.Transaction(o.TransactionID)
			if err != nil {
				return err
			}
			method = first.Method
		}
		tok, err = tx.Token(shop.ID, rj.Token)
		return err
	})
	gone := func(tok *guichet.Token) bool {
		return !tok.CancelledAt.IsZero() || (rj.TokenID != "" && tok.ID != rj.TokenID)
	}
	if guichet.ErrorCode(err) == guichet.CodeNotFound || (err == nil && gone(tok)) {
		s.log.Info("recurring payments without their card or order; dropped", "job", j.ID, "order", rj.Order)
		return s.dropJob(ctx, j)
	}
	if err != nil {
		return err
	}
	k := rj.Done + 1
	_, amount, ok := rj.Recurrence.Occurrence(k)
	if !ok {
		return s.dropJob(ctx, j)
	}
	r := CardRequest{Shop: shop, Reference: o.Reference, OrderID: o.ID, Front: o.Protocol,
		Amount: guichet.Money{Amount: amount, Currency: o.Amount.Currency}, Token: rj.Token, Handle: tok.Handle,
		Capture: true, Job: true, RequestKey: rj.requestKey(k), Ref: rj.ref(k)}
	if (guichet.Card{ExpMonth: tok.Card.ExpMonth, ExpYear: tok.Card.ExpYear}).Expired(s.Now(shop)) {
		// The card expired since it was kept: the issuer refuses the
		// debit.
		r.Decline = codeExpiredCard
	}
	_, err = s.authorize(ctx, r, func(tx guichet.Tx, t *guichet.Transaction) ([]guichet.Event, error) {
		// A cancellation may have committed since the token was read;
		// it wins, and this debit is not recorded.
		cur, err := tx.Token(shop.ID, rj.Token)
		if guichet.ErrorCode(err) == guichet.CodeNotFound || (err == nil && gone(cur)) {
			return nil, errSubscriptionGone
		}
		if err != nil {
			return nil, err
		}
		if err := s.checkStillOwed(tx, rj, k); err != nil {
			return nil, err
		}
		t.OrderID, t.Method = o.ID, method
		rj.Done = k
		_, more := rj.Recurrence.next(k + 1)
		ended := !more || (rj.StopOnRefusal && t.Status == guichet.StatusRefused)
		if ended {
			if err := tx.DeleteJob(rj.jobID()); err != nil {
				return nil, err
			}
			if rj.Forget {
				if err := tx.DeleteToken(shop.ID, rj.Token); err != nil {
					return nil, err
				}
			}
		} else if err := s.scheduleOccurrence(tx, shop.ID, rj, time.Time{}); err != nil {
			return nil, err
		}
		return []guichet.Event{s.occurrenceEvent(rj, o, t, k, ended)}, nil
	})
	switch {
	case errors.Is(err, errSubscriptionGone):
		return s.dropJob(ctx, j)
	case errors.Is(err, errInstalmentChanged):
		// The change rewrote the job, or removed it, in its own unit of
		// work: the job as stored is already right.
		return nil
	case guichet.ErrorReason(err) == guichet.ReasonDuplicate:
		// Another run charged this occurrence and scheduled the next one
		// in the same unit of work: the job as stored is already right.
		return nil
	}
	return err
}

// ref is the identifier the front gave occurrence k in a plan, if any;
// otherwise the core names the payment as the front names its operations
// (see RegisterRefs).
func (rj *recurringJob) ref(k int) string {
	if plan := rj.Recurrence.Plan; k >= 1 && k <= len(plan) {
		return plan[k-1].Ref
	}
	return ""
}

// occurrenceEvent announces occurrence k of recurring payments: a renewal
// of a Paybox subscription, a later payment of an order paid in several
// times, or a recurring payment.
func (s *Service) occurrenceEvent(rj *recurringJob, o *guichet.Order, t *guichet.Transaction, k int, ended bool) guichet.Event {
	e := guichet.Event{ID: s.NewID("evt_"), ShopID: t.ShopID, TransactionID: t.ID, Type: guichet.EventRecurring, At: t.CreatedAt}
	if in := rj.Instalments; in != nil {
		e.Type = guichet.EventInstalment
		e.Data, _ = json.Marshal(InstalmentEvent{Transaction: t.ID, Number: t.Number, Operation: t.First().Number,
			Status: string(t.Status), Code: t.ResponseCode, Amount: t.Amount, Currency: t.Currency,
			Reference: t.Reference, Order: o.ID, Payment: in.Rank + k, Payments: in.Of})
		return e
	}
	if sub := rj.Subscription; sub != nil {
		e.Type = guichet.EventRenewal
		e.Data, _ = json.Marshal(SubscriptionEvent{Number: sub.Number, Reference: sub.Reference, Order: o.ID,
			Renewal: k, Renewals: rj.Recurrence.Count, Transaction: t.ID, Status: string(t.Status), Code: t.ResponseCode,
			Amount: t.Amount, Currency: t.Currency, Ended: ended})
		return e
	}
	e.Data, _ = json.Marshal(RecurringEvent{Order: o.ID, Occurrence: k, Transaction: t.ID, Status: string(t.Status),
		Amount: t.Amount, Currency: t.Currency, Ended: ended})
	return e
}

// Today is the date on the shop's clock in Paris, at midnight UTC, as
// recurrences and schedules count dates.
func (s *Service) Today(shop *guichet.Shop) time.Time { return s.DateOf(s.Now(shop)) }

// DateOf is the date of a time in Paris, at midnight UTC, as recurrences
// and schedules count dates.
func (s *Service) DateOf(t time.Time) time.Time { return civil(t.In(s.paris)) }

// civil is the civil date of a time, as recurrences count them.
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
