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
	// Cancelled marks an instalment the merchant dropped after the plan
	// started (ChangeInstalment): it is never charged, and the ones after
	// it still are.
	Cancelled bool `json:",omitempty"`
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

// scheduleInstalments starts charging the later payments of an order
// whose first payment was accepted, on the token of reference ref, as
// recurring payments whose occurrences are the plan's. A refused
// instalment is recorded as refused, and the later ones still run: the
// platform ends a subscription on a failed renewal (spec §2.10), but
// instalments are separate debits of an order already agreed, and the spec
// says nothing of stopping them. A token guichet kept for the order only
// is forgotten after the last.
func (s *Service) scheduleInstalments(tx guichet.Tx, o *guichet.Order, ref string, plan []Instalment) error {
	if len(plan) == 0 {
		return nil
	}
	rj := &recurringJob{Order: o.ID, Token: ref, JobID: instalmentsJobID(o.ID), Recurrence: Recurrence{Plan: plan},
		Forget: strings.HasPrefix(ref, instalmentTokenPrefix), Instalments: &instalmentRank{Rank: 1, Of: len(plan) + 1}}
	return s.scheduleOccurrence(tx, o.ShopID, rj, time.Time{})
}

// instalmentsJobID names the job that charges the later payments of an
// order: ChangeInstalment finds them by it.
func instalmentsJobID(orderID string) string { return "job_inst_" + orderID }

// instalment runs a job written before instalments ran as recurring
// payments, one per later payment: it goes on as recurring payments of
// that one payment, under its own request key.
func (s *Service) instalment(ctx context.Context, shop *guichet.Shop, j *guichet.Job) error {
	var ij instalmentJob
	if err := json.Unmarshal(j.Data, &ij); err != nil || ij.Order == "" || ij.Token == "" {
		s.log.Error("unreadable instalment job; dropped", "job", j.ID, "err", err)
		return s.dropJob(ctx, j)
	}
	rj := &recurringJob{Order: ij.Order, Token: ij.Token, JobID: j.ID, Key: "instalment:" + j.ID, Forget: ij.Drop,
		Recurrence:  Recurrence{Plan: []Instalment{{Amount: ij.Amount, Date: j.DueAt.In(s.paris), Ref: ij.Ref}}},
		Instalments: &instalmentRank{Rank: ij.Payment - 1, Of: ij.Payments}}
	return s.runRecurring(ctx, shop, j, rj)
}
