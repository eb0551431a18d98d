package core

import (
	"fmt"
	"time"

	"guichet"
)

// Freq is the unit of a recurrence's period.
type Freq string

// The units of a period.
const (
	Daily   Freq = "DAILY"
	Weekly  Freq = "WEEKLY"
	Monthly Freq = "MONTHLY"
	Yearly  Freq = "YEARLY"
)

// Recurrence is when and how much recurring payments of a stored card
// charge: the first occurrence on First, the next ones every Interval
// units of Freq counted from First, until Count occurrences ran or the
// date passes Until. As in a calendar's rule, First is an occurrence
// whatever the rule says of its day; the day of the month of the others
// is MonthDay. Dates are civil dates (only their year, month and day
// count); an occurrence falls due at 00:00, Paris time, on the shop's
// clock.
type Recurrence struct {
	First    time.Time `json:"first"`
	Freq     Freq      `json:"freq"`
	Interval int       `json:"interval"`
	// MonthDay is the day of the month of monthly and yearly occurrences,
	// the month's last day when it is shorter; 0 keeps First's day.
	MonthDay int       `json:"month_day,omitempty"`
	Count    int       `json:"count,omitempty"`
	Until    time.Time `json:"until,omitzero"`
	Amount   int64     `json:"amount"`
	// Initial, when not zero, is the amount of the first InitialCount
	// occurrences.
	Initial      int64 `json:"initial,omitempty"`
	InitialCount int   `json:"initial_count,omitempty"`
	// Plan, when set, lists the occurrences themselves, each with its
	// date and amount (an order paid in several times): the rule's
	// fields are then unused.
	Plan []Instalment `json:"plan,omitempty"`
}

// Check refuses a recurrence that cannot run.
func (r *Recurrence) Check() error {
	if len(r.Plan) > 0 {
		return nil
	}
	switch {
	case r.Freq != Daily && r.Freq != Weekly && r.Freq != Monthly && r.Freq != Yearly:
		return recurrenceError("freq", fmt.Sprintf("unknown frequency %q", r.Freq))
	case r.Interval < 1:
		return recurrenceError("interval", "the interval must be 1 or more")
	case r.MonthDay < 0 || r.MonthDay > 31:
		return recurrenceError("month_day", "the day of the month must be from 1 to 31")
	case r.Count < 0:
		return recurrenceError("count", "the count may not be negative")
	case r.Amount <= 0:
		return recurrenceError("amount", "the amount must be positive")
	case r.Initial < 0 || r.InitialCount < 0 || (r.Initial > 0) != (r.InitialCount > 0):
		return recurrenceError("initial", "an initial amount goes with its number of occurrences")
	case r.First.IsZero():
		return recurrenceError("first", "the first date is required")
	}
	return nil
}

func recurrenceError(field, message string) error {
	return &guichet.Error{Code: guichet.CodeInvalid, Reason: guichet.ReasonSchedule, Param: "recurrence." + field, Message: message}
}

// cancelled reports whether occurrence k of a plan was dropped.
func (r *Recurrence) cancelled(k int) bool {
	return k >= 1 && k <= len(r.Plan) && r.Plan[k-1].Cancelled
}

// next returns the first occurrence from k on that is not cancelled, and
// false when none is left.
func (r *Recurrence) next(k int) (int, bool) {
	for ; ; k++ {
		if _, _, ok := r.Occurrence(k); !ok {
			return 0, false
		}
		if !r.cancelled(k) {
			return k, true
		}
	}
}

// Occurrence returns the civil date and amount of occurrence k, from 1,
// and false when the recurrence has ended before it.
func (r *Recurrence) Occurrence(k int) (time.Time, int64, bool) {
	if len(r.Plan) > 0 {
		if k < 1 || k > len(r.Plan) {
			return time.Time{}, 0, false
		}
		p := r.Plan[k-1]
		return civil(p.Date), p.Amount, true
	}
	if k < 1 || (r.Count > 0 && k > r.Count) {
		return time.Time{}, 0, false
	}
	y, m, d := r.First.Date()
	n := (k - 1) * r.Interval
	var date time.Time
	switch r.Freq {
	case Daily:
		date = time.Date(y, m, d+n, 0, 0, 0, 0, time.UTC)
	case Weekly:
		date = time.Date(y, m, d+7*n, 0, 0, 0, 0, time.UTC)
	default:
		months := n
		if r.Freq == Yearly {
			months = 12 * n
		}
		day := r.MonthDay
		if day == 0 || k == 1 {
			day = d
		}
		start := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
		last := time.Date(start.Year(), start.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
		date = time.Date(start.Year(), start.Month(), min(day, last), 0, 0, 0, 0, time.UTC)
	}
	if !r.Until.IsZero() && date.After(r.Until) {
		return time.Time{}, 0, false
	}
	amount := r.Amount
	if k <= r.InitialCount {
		amount = r.Initial
	}
	return date, amount, true
}
