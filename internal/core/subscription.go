package core

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"guichet"
)

// jobSubscription charges the next renewal of a subscription.
const jobSubscription = "subscription"

// subscriptionTokenPrefix names the token that keeps the card of a
// subscription, followed by the merchant's reference: a cancellation may
// name the subscription by that reference alone, so one reference has at
// most one running subscription.
const subscriptionTokenPrefix = "subscription:"

// Subscription is a subscription managed by the gateway: after the first
// payment of its order, the card is debited Amount again and again, until
// Count renewals ran, a renewal is refused, or the merchant cancels it.
//
// The first renewal falls Delay days after the first payment, and the next
// ones every Months months on day Day of the month (the last day of a
// shorter month). Without a delay the first payment is the subscription's
// first debit, and the first renewal comes Months months later.
type Subscription struct {
	// Reference is the merchant's name for the subscription, for
	// cancellations; it may differ from the order's reference.
	Reference string
	Amount    int64 // each renewal, in the order's currency; 0 means the order's amount
	Count     int   // renewals; 0 means until cancelled
	Months    int   // at least 1
	Day       int   // 1 to 31; 0 means the day of the first payment
	Delay     int   // days
}

// SubscriptionEvent is the data of a "subscription.created" event, on the
// first payment's transaction, and of a "transaction.renewal" event, on
// each renewal's. Number identifies the subscription: it is the first
// payment's transaction number. Renewal counts from 1; Renewals is 0 for a
// subscription that runs until cancelled.
type SubscriptionEvent struct {
	Number      int64  `json:"number"`
	Reference   string `json:"reference"`
	Order       string `json:"order"`
	Renewal     int    `json:"renewal,omitempty"`
	Renewals    int    `json:"renewals"`
	Transaction string `json:"transaction,omitempty"`
	Status      string `json:"status,omitempty"`
	Code        string `json:"code,omitempty"`
	Amount      int64  `json:"amount"`
	Currency    string `json:"currency"`
	// Ended says that no renewal follows this one.
	Ended bool `json:"ended,omitempty"`
}

// subscriptionJob describes a subscription in Paybox's terms (its number,
// reference, months, day and delay), which recurring turns into the
// recurring payments it runs as. Jobs written before subscriptions ran as
// recurring payments carry it too. The card stays in the vault: the job
// names the token only, and TokenID tells this subscription's token from
// one a later subscription made under the same reference.
type subscriptionJob struct {
	Order     string    `json:"order"`
	Number    int64     `json:"number"`
	Reference string    `json:"reference"`
	TokenID   string    `json:"token_id"`
	Amount    int64     `json:"amount"`
	Currency  string    `json:"currency"`
	Count     int       `json:"count"`
	Months    int       `json:"months"`
	Day       int       `json:"day"`
	Delay     int       `json:"delay"`
	First     time.Time `json:"first"` // civil date of the first payment, in Paris
	Done      int       `json:"done"`  // renewals charged so far
}

// ErrNoSubscription is returned by CancelSubscription when no running
// subscription has the number or reference given.
var ErrNoSubscription = &guichet.Error{Code: guichet.CodeNotFound, Message: "no running subscription"}

// errSubscriptionGone stops a renewal whose subscription was cancelled
// while the card was being charged: nothing of it is recorded. It is a
// refusal by a rule, not a failure of the store, so that the renewal's
// claim ends failed rather than waiting for the janitor to record it.
var errSubscriptionGone = &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
	Message: "subscription cancelled during its renewal"}

// A subscription's job and token have IDs made from its number, so that a
// cancellation finds both from either its number or its reference.
func subscriptionJobID(number int64) string   { return "job_sub_" + strconv.FormatInt(number, 10) }
func subscriptionTokenID(number int64) string { return "tok_sub_" + strconv.FormatInt(number, 10) }

// subscriptionNumber reads the number back from a subscription token's ID.
func subscriptionNumber(tokenID string) (int64, bool) {
	rest, ok := strings.CutPrefix(tokenID, "tok_sub_")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	return n, err == nil && n > 0
}

// renewalDate is the civil date of renewal k (from 1) of a subscription.
func renewalDate(sj *subscriptionJob, k int) time.Time {
	y, m, d := sj.First.Date()
	start := time.Date(y, m, d+sj.Delay, 0, 0, 0, 0, time.UTC)
	months := k * sj.Months
	if sj.Delay > 0 {
		// The start itself is the first renewal.
		if k == 1 {
			return start
		}
		months = (k - 1) * sj.Months
	}
	day := sj.Day
	if day == 0 {
		day = d
	}
	// Day 0 of the month after is the last day of the month wanted.
	first := time.Date(start.Year(), start.Month()+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(first.Year(), first.Month(), min(day, last), 0, 0, 0, 0, time.UTC)
}

// checkSubscription refuses a subscription whose reference already names a
// running one: a cancellation by reference could not tell them apart.
func checkSubscription(tx guichet.Tx, shopID string, sub *Subscription) error {
	_, err := tx.Token(shopID, subscriptionTokenPrefix+sub.Reference)
	switch {
	case err == nil:
		return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonTokenExists, Param: "subscription",
			Message: fmt.Sprintf("subscription %q is running already", sub.Reference)}
	case guichet.ErrorCode(err) == guichet.CodeNotFound:
		return nil
	}
	return err
}

// startSubscription records the subscription of an order whose first
// payment t was just accepted, in the unit of work that records t: the
// card is kept as a token, sealed like every stored card, and the first
// renewal is scheduled.
func (s *Service) startSubscription(tx guichet.Tx, o *guichet.Order, t *guichet.Transaction, sub *Subscription) ([]guichet.Event, error) {
	if err := checkSubscription(tx, o.ShopID, sub); err != nil {
		return nil, err
	}
	tok := &guichet.Token{ID: subscriptionTokenID(t.Number), ShopID: o.ShopID, Reference: subscriptionTokenPrefix + sub.Reference,
		Handle: newHandle(), Card: t.Card, CreatedAt: t.CreatedAt, UpdatedAt: t.CreatedAt}
	if err := tx.PutToken(tok); err != nil {
		return nil, err
	}
	amount := sub.Amount
	if amount == 0 {
		amount = o.Amount.Amount
	}
	first := t.CreatedAt.In(s.paris)
	sj := subscriptionJob{Order: o.ID, Number: t.Number, Reference: sub.Reference, TokenID: tok.ID,
		Amount: amount, Currency: o.Amount.Currency, Count: sub.Count, Months: sub.Months, Day: sub.Day, Delay: sub.Delay,
		First: time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, time.UTC)}
	if err := s.scheduleOccurrence(tx, o.ShopID, sj.recurring(), time.Time{}); err != nil {
		return nil, err
	}
	data, err := json.Marshal(SubscriptionEvent{Number: t.Number, Reference: sub.Reference, Order: o.ID,
		Renewals: sub.Count, Amount: amount, Currency: o.Amount.Currency})
	if err != nil {
		return nil, err
	}
	return []guichet.Event{{ID: s.NewID("evt_"), ShopID: o.ShopID, TransactionID: t.ID,
		Type: guichet.EventSubscriptionCreated, At: t.CreatedAt, Data: data}}, nil
}

// recurring is the recurring payments a subscription is: renewals at the
// dates of its rule, each on its card, ending at the first refusal (as on
// the platform, spec §2.10) or at its last renewal, when the card is
// forgotten. The first renewal falls Delay days after the first payment,
// or Months months after it without a delay; the next ones every Months
// months on day Day (the first payment's day without one).
func (sj *subscriptionJob) recurring() *recurringJob {
	day := sj.Day
	if day == 0 {
		day = sj.First.Day()
	}
	return &recurringJob{Order: sj.Order, Token: subscriptionTokenPrefix + sj.Reference, TokenID: sj.TokenID,
		JobID: subscriptionJobID(sj.Number), Done: sj.Done, StopOnRefusal: true, Forget: true,
		Subscription: &subscriptionName{Number: sj.Number, Reference: sj.Reference},
		Recurrence: Recurrence{First: renewalDate(sj, 1), Freq: Monthly, Interval: sj.Months, MonthDay: day,
			Count: sj.Count, Amount: sj.Amount}}
}

// renew runs a subscription job written before subscriptions ran as
// recurring payments: its renewals go on as those, under the same job.
func (s *Service) renew(ctx context.Context, shop *guichet.Shop, j *guichet.Job) error {
	var sj subscriptionJob
	if err := json.Unmarshal(j.Data, &sj); err != nil || sj.Order == "" || sj.TokenID == "" {
		s.log.Error("unreadable subscription job; dropped", "job", j.ID, "err", err)
		return s.dropJob(ctx, j)
	}
	return s.runRecurring(ctx, shop, j, sj.recurring())
}

// CancelSubscription stops a running subscription of the shop, named by its
// number or, when number is 0, by its reference. Its pending renewal and
// its card are removed in one unit of work. It returns the subscription's
// number, or ErrNoSubscription when none is running under that name:
// unknown, cancelled already, or ended.
func (s *Service) CancelSubscription(ctx context.Context, shop *guichet.Shop, number int64, reference string) (int64, error) {
	now := s.Now(shop)
	err := s.store.Update(ctx, func(tx guichet.Tx) error {
		if number != 0 {
			created, err := subscriptionCreated(tx, shop.ID, number)
			if err != nil {
				return err
			}
			reference = created.Reference
		}
		ref := subscriptionTokenPrefix + reference
		tok, err := tx.Token(shop.ID, ref)
		if guichet.ErrorCode(err) == guichet.CodeNotFound {
			return ErrNoSubscription
		}
		if err != nil {
			return err
		}
		// The token's ID carries the number of the subscription it
		// belongs to. A subscription that ended, its reference then taken
		// by a new one, must not cancel the new one.
		found, ok := subscriptionNumber(tok.ID)
		if !ok || (number != 0 && found != number) {
			return ErrNoSubscription
		}
		number = found
		if err := tx.DeleteJob(subscriptionJobID(number)); err != nil {
			return err
		}
		if err := tx.DeleteToken(shop.ID, ref); err != nil {
			return err
		}
		data, err := json.Marshal(SubscriptionEvent{Number: number, Reference: reference})
		if err != nil {
			return err
		}
		return tx.Emit(guichet.Event{ID: s.NewID("evt_"), ShopID: shop.ID, Type: guichet.EventSubscriptionCancelled, At: now, Data: data})
	})
	if err != nil {
		return 0, err
	}
	return number, nil
}

// subscriptionCreated finds the creation event of subscription number, on
// the first payment's transaction.
func subscriptionCreated(tx guichet.Tx, shopID string, number int64) (*SubscriptionEvent, error) {
	t, err := tx.TransactionByNumber(shopID, number)
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return nil, ErrNoSubscription
	}
	if err != nil {
		return nil, err
	}
	events, err := tx.Events(t.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		if e.Type != guichet.EventSubscriptionCreated {
			continue
		}
		var d SubscriptionEvent
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return nil, err
		}
		return &d, nil
	}
	return nil, ErrNoSubscription
}
