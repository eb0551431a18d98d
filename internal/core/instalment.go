package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"guichet"
)

// jobInstalment charges one later payment of an order paid in several
// times.
const jobInstalment = "instalment"

// ScheduleLimits are the bounds a provider sets on an order paid in
// several times. They differ from one provider to the next, so each front
// supplies its own; the core applies them.
type ScheduleLimits struct {
	// MaxLater is how many payments may follow the first one.
	MaxLater int
	// MaxDays and MaxMonths bound the date of the last payment after the
	// first one; 0 sets no bound.
	MaxDays, MaxMonths int
	// WithinCardExpiry refuses a plan whose last payment falls after the
	// card's expiry month.
	WithinCardExpiry bool
}

// PayboxLimits are the limits of a Paybox payment in several times (spec
// §2.10): at most four payments, the first one included, the last one at
// most 90 days after the first. A PayRequest without limits of its own
// has these.
var PayboxLimits = ScheduleLimits{MaxLater: 3, MaxDays: 90}

// instalmentTokenPrefix names the token that keeps the card of an order
// paid in several times when the merchant gave no subscriber reference of
// its own: the card is sealed by the vault like any other token's.
const instalmentTokenPrefix = "instalments:"

// codeExpiredCard is the issuer's answer for a card past its expiry date.
const codeExpiredCard = "54"

// Instalment is one later payment of an order paid in several times:
// Amount, in the order's currency, charged on Date. Date is a civil date
// (only its year, month and day count); the charge falls due at 00:00,
// Paris time, that day, on the shop's clock.
type Instalment struct {
	Amount int64
	Date   time.Time
	// Ref, when set, is the front's identifier for the payment (see
	// CardRequest.Ref).
	Ref string
}

// instalmentError refuses the instalment of a plan that breaks a rule:
// index counts from 0, field is "amount" or "date". It is a guichet.Error
// with ReasonSchedule, whose Param InstalmentFault reads back.
func instalmentError(index int, field, message string) *guichet.Error {
	return &guichet.Error{Code: guichet.CodeInvalid, Reason: guichet.ReasonSchedule,
		Param: "instalments." + strconv.Itoa(index) + "." + field, Message: message}
}

// InstalmentFault names the instalment a refusal of CheckInstalments or
// PayOrder is about: its index among the later payments, from 0, and the
// field ("amount" or "date"); false when err is no such refusal.
func InstalmentFault(err error) (index int, field string, ok bool) {
	var ge *guichet.Error
	if !errors.As(err, &ge) || ge.Reason != guichet.ReasonSchedule {
		return 0, "", false
	}
	rest, ok := strings.CutPrefix(ge.Param, "instalments.")
	if !ok {
		return 0, "", false
	}
	i, field, ok := strings.Cut(rest, ".")
	index, err = strconv.Atoi(i)
	return index, field, ok && err == nil
}

// InstalmentEvent is the data of a "transaction.instalment" event, emitted
// with the events of each later payment's transaction: Payment is its rank
// among the order's Payments (the first payment is 1).
type InstalmentEvent struct {
	Transaction string `json:"transaction"`
	Number      int64  `json:"number"`
	Operation   int64  `json:"operation"`
	Status      string `json:"status"`
	Code        string `json:"code"`
	Amount      int64  `json:"amount"`
	Currency    string `json:"currency"`
	Reference   string `json:"reference"`
	Order       string `json:"order"`
	Payment     int    `json:"payment"`
	Payments    int    `json:"payments"`
}

// instalmentJob is what an instalment job carries. The card stays in the
// vault: the job names the token only.
type instalmentJob struct {
	Order    string `json:"order"`
	Token    string `json:"token"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Payment  int    `json:"payment"`
	Payments int    `json:"payments"`
	// Drop deletes the token once the last payment ran: the gateway kept
	// the card for this order only.
	Drop bool `json:"drop,omitempty"`
	// Ref is the front's identifier for the payment.
	Ref string `json:"ref,omitempty"`
}

// instalmentDue is when an instalment falls due: 00:00 in Paris on its
// date.
func (s *Service) instalmentDue(date time.Time) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, s.paris)
}

// civilDays counts the days from one civil date to another.
func civilDays(from, to time.Time) int {
	fy, fm, fd := from.Date()
	ty, tm, td := to.Date()
	a := time.Date(fy, fm, fd, 0, 0, 0, 0, time.UTC)
	b := time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// CheckInstalments checks the later payments of an order against Paybox's
// limits (see CheckSchedule).
func (s *Service) CheckInstalments(shop *guichet.Shop, plan []Instalment) error {
	return s.CheckSchedule(shop, plan, PayboxLimits)
}

// CheckSchedule checks the later payments of an order against a
// provider's limits, on the shop's clock, as if the first payment were
// made now: at most lim.MaxLater of them, positive amounts, dates in the
// future and in increasing order, the last one within lim's range. A
// refusal names its instalment (InstalmentFault).
func (s *Service) CheckSchedule(shop *guichet.Shop, plan []Instalment, lim ScheduleLimits) error {
	if len(plan) > lim.MaxLater {
		return instalmentError(len(plan)-1, "amount", fmt.Sprintf("at most %d payments after the first one", lim.MaxLater))
	}
	today := s.Now(shop).In(s.paris)
	for i, p := range plan {
		if p.Amount <= 0 {
			return instalmentError(i, "amount", "the amount must be positive")
		}
		switch days := civilDays(today, p.Date); {
		case days <= 0:
			return instalmentError(i, "date", "the date must be in the future")
		case i > 0 && civilDays(plan[i-1].Date, p.Date) <= 0:
			return instalmentError(i, "date", "the dates must be in increasing order")
		case lim.MaxDays > 0 && days > lim.MaxDays:
			return instalmentError(i, "date", fmt.Sprintf("at most %d days after the first payment", lim.MaxDays))
		case lim.MaxMonths > 0 && civilDays(today.AddDate(0, lim.MaxMonths, 0), p.Date) > 0:
			return instalmentError(i, "date", fmt.Sprintf("at most %d months after the first payment", lim.MaxMonths))
		}
	}
	return nil
}

// checkScheduleCard refuses a plan whose last payment falls after the
// card's expiry month, when the limits say so: the card could not pay it.
func checkScheduleCard(plan []Instalment, lim ScheduleLimits, card guichet.Card) error {
	if !lim.WithinCardExpiry || len(plan) == 0 || card.PAN == "" {
		return nil
	}
	if last := plan[len(plan)-1]; card.Expired(last.Date) {
		return instalmentError(len(plan)-1, "expiry", "the card expires before the last payment")
	}
	return nil
}

// scheduleInstalments writes a job per later payment of an order whose
// first payment t was accepted, charging the token of reference ref.
func (s *Service) scheduleInstalments(tx guichet.Tx, o *guichet.Order, ref string, plan []Instalment) error {
	for i, p := range plan {
		data, err := json.Marshal(instalmentJob{Order: o.ID, Token: ref, Amount: p.Amount, Currency: o.Amount.Currency,
			Payment: i + 2, Payments: len(plan) + 1, Drop: i == len(plan)-1 && strings.HasPrefix(ref, instalmentTokenPrefix),
			Ref: p.Ref})
		if err != nil {
			return err
		}
		if err := tx.PutJob(&guichet.Job{ID: s.NewID("job_"), ShopID: o.ShopID, Kind: jobInstalment, Ref: o.ID,
			DueAt: s.instalmentDue(p.Date), Data: data}); err != nil {
			return err
		}
	}
	return nil
}

// instalment runs an instalment job: the order's card, kept as a token,
// is charged the instalment (authorized and captured) through the same
// path as any payment, so the acquirer, the vault and the rules are the
// same. The new transaction belongs to the order, and its events, with a
// "transaction.instalment" one, reach the order's notifier in the unit of
// work that records it and removes the job.
//
// A refused instalment is recorded as refused, and the later ones still
// run: the platform ends a subscription on a failed renewal (spec §2.10),
// but instalments are separate debits of an order already agreed, and the
// spec says nothing of stopping them.
func (s *Service) instalment(ctx context.Context, shop *guichet.Shop, j *guichet.Job) error {
	var ij instalmentJob
	if err := json.Unmarshal(j.Data, &ij); err != nil || ij.Order == "" || ij.Token == "" {
		s.log.Error("unreadable instalment job; dropped", "job", j.ID, "err", err)
		return s.dropJob(ctx, j)
	}
	var o *guichet.Order
	var tok *guichet.Token
	method := ""
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		if o, err = tx.Order(ij.Order); err != nil {
			return err
		}
		if o.TransactionID != "" {
			first, err := tx.Transaction(o.TransactionID)
			if err != nil {
				return err
			}
			method = first.Method
		}
		tok, err = tx.Token(shop.ID, ij.Token)
		return err
	})
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		// The merchant deleted the card (or the order is gone): nothing
		// is left to charge.
		s.log.Error("instalment without its card or order; dropped", "job", j.ID, "order", ij.Order, "err", err)
		return s.dropJob(ctx, j)
	}
	if err != nil {
		return err
	}
	r := CardRequest{Shop: shop, Reference: o.Reference, OrderID: o.ID, Front: o.Protocol, Amount: guichet.Money{Amount: ij.Amount, Currency: ij.Currency},
		Token: ij.Token, Handle: tok.Handle, Capture: true, Job: true, RequestKey: "instalment:" + j.ID, Ref: ij.Ref}
	if (guichet.Card{ExpMonth: tok.Card.ExpMonth, ExpYear: tok.Card.ExpYear}).Expired(s.Now(shop)) {
		// The card expired since the first payment: the issuer refuses
		// the debit.
		r.Decline = codeExpiredCard
	}
	_, err = s.authorize(ctx, r, func(tx guichet.Tx, t *guichet.Transaction) ([]guichet.Event, error) {
		t.OrderID, t.Method = o.ID, method
		if err := tx.DeleteJob(j.ID); err != nil {
			return nil, err
		}
		if ij.Drop {
			if err := tx.DeleteToken(shop.ID, ij.Token); err != nil && guichet.ErrorCode(err) != guichet.CodeNotFound {
				return nil, err
			}
		}
		data, err := json.Marshal(InstalmentEvent{Transaction: t.ID, Number: t.Number, Operation: t.First().Number,
			Status: string(t.Status), Code: t.ResponseCode, Amount: t.Amount, Currency: t.Currency,
			Reference: t.Reference, Order: o.ID, Payment: ij.Payment, Payments: ij.Payments})
		if err != nil {
			return nil, err
		}
		return []guichet.Event{{ID: s.NewID("evt_"), ShopID: t.ShopID, TransactionID: t.ID,
			Type: guichet.EventInstalment, At: t.CreatedAt, Data: data}}, nil
	})
	if guichet.ErrorReason(err) == guichet.ReasonDuplicate {
		// Another run of this job charged the instalment already.
		return s.dropJob(ctx, j)
	}
	return err
}
