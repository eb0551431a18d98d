package lyra

import (
	"fmt"
	"time"

	"guichet/internal/core"
)

// maxPayments is the most payments a schedule may have: a buyer choosing
// more gets CLIENT_515 in the form.
const maxPayments = 4

// limits are Lyra's bounds on a schedule: two to four payments, the last
// within twelve months and before the card expires.
var limits = core.ScheduleLimits{MaxLater: maxPayments - 1, MaxMonths: 12, WithinCardExpiry: true}

// schedule is one way of paying an order in several times, as the merchant
// offered it: its payments with their amounts and dates, the first one
// included. Dates are civil dates on the shop's clock.
type schedule struct {
	// Count and Period are the simple schedule's rule; zero for an
	// advanced one, which lists its dates.
	Count    int       `json:"count,omitempty"`
	Period   int       `json:"period,omitempty"`
	Payments []payment `json:"payments"`
}

type payment struct {
	Amount int64  `json:"amount"`
	Date   string `json:"date"` // 2006-01-02
}

const civilDate = "2006-01-02"

// parseSchedule reads one installmentOptions element: a simple schedule
// (firstAmount, count and period: the first payment at once, the next ones
// every period days), or an advanced one (schedules, each with its date
// and amount, which must add up to the order's amount). Mixing both is
// INT_945.
func parseSchedule(o object, amount int64, today time.Time) (schedule, error) {
	simple := o.has("firstAmount") || o.has("count") || o.has("period")
	if simple && o.has("schedules") {
		return schedule{}, fail("INT_945")
	}
	if !simple {
		return parseAdvanced(o, amount, today)
	}
	count, ok, err := o.integer("count", "INT_929")
	switch {
	case err != nil:
		return schedule{}, err
	case !ok || count < 2:
		return schedule{}, fail("INT_929", "installmentOptions.count must be 2 or more")
	case count > 366:
		return schedule{}, fail("INT_929", "installmentOptions.count is too large")
	}
	period, ok, err := o.integer("period", "INT_930")
	switch {
	case err != nil:
		return schedule{}, err
	case !ok || period < 1 || period > 366:
		return schedule{}, fail("INT_930", "installmentOptions.period must be a number of days from 1 to 366")
	}
	first, hasFirst, err := o.integer("firstAmount", "INT_928")
	if err != nil {
		return schedule{}, err
	}
	s := schedule{Count: int(count), Period: int(period)}
	n := int64(count)
	var later, rest int64
	if hasFirst {
		if first <= 0 || first > amount-(n-1) {
			return schedule{}, fail("INT_928", "installmentOptions.firstAmount must leave at least one unit for each later payment")
		}
		// The later payments share what is left; the last one takes
		// what does not divide.
		later = (amount - first) / (n - 1)
		rest = (amount - first) - later*(n-1)
	} else {
		// Equal payments; the first one takes what does not divide, so
		// that the buyer pays the most at once.
		later = amount / n
		first = amount - later*(n-1)
		if later <= 0 {
			return schedule{}, fail("INT_929", "installmentOptions.count exceeds the amount")
		}
	}
	for i := range int(n) {
		p := payment{Amount: later, Date: today.AddDate(0, 0, i*int(period)).Format(civilDate)}
		switch {
		case i == 0:
			p.Amount = first
		case i == int(n)-1:
			p.Amount += rest
		}
		s.Payments = append(s.Payments, p)
	}
	return s, nil
}

func parseAdvanced(o object, amount int64, today time.Time) (schedule, error) {
	list, err := o.objects("schedules", "INT_931")
	if err != nil {
		return schedule{}, err
	}
	if len(list) < 2 {
		return schedule{}, fail("INT_931", "installmentOptions.schedules needs two payments or more")
	}
	var s schedule
	var sum int64
	var last time.Time
	for i, e := range list {
		a, ok, err := e.integer("amount", "INT_933")
		switch {
		case err != nil:
			return schedule{}, err
		case !ok || a <= 0:
			return schedule{}, fail("INT_933", fmt.Sprintf("installmentOptions.schedules[%d].amount must be positive", i))
		}
		date, ok, err := parseTime(e, "date", "INT_932")
		switch {
		case err != nil:
			return schedule{}, err
		case !ok:
			return schedule{}, fail("INT_932", fmt.Sprintf("installmentOptions.schedules[%d].date is required", i))
		}
		// The date is the day it names where it is written.
		day := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC)
		if day.Before(dayOf(today)) || (i > 0 && !day.After(last)) {
			return schedule{}, fail("INT_932", fmt.Sprintf("installmentOptions.schedules[%d].date must be after the one before it, and not in the past", i))
		}
		last = day
		sum += a
		s.Payments = append(s.Payments, payment{Amount: a, Date: day.Format(civilDate)})
	}
	if sum != amount {
		return schedule{}, fail("INT_931", fmt.Sprintf("the schedules add up to %d, not the amount %d", sum, amount))
	}
	// The last payment at most twelve months away: the platform finds no
	// contract for a longer schedule.
	if last.After(dayOf(today).AddDate(0, limits.MaxMonths, 0)) {
		return schedule{}, fail("PSP_610", "the last payment is more than 12 months away")
	}
	return s, nil
}

func dayOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// plan returns the later payments of a schedule for the core, each with
// the uuid its transaction will have, and the days from today to the
// first payment's date, which delay its capture.
func (s schedule) plan(today time.Time, newUUID func() string) (later []core.Instalment, firstDelay int, err error) {
	if len(s.Payments) > maxPayments {
		return nil, 0, fail("CLIENT_515")
	}
	for i, p := range s.Payments {
		d, err := time.Parse(civilDate, p.Date)
		if err != nil {
			return nil, 0, err
		}
		if i == 0 {
			firstDelay = int(d.Sub(dayOf(today)).Hours() / 24)
			if firstDelay < 0 {
				firstDelay = 0
			}
			continue
		}
		later = append(later, core.Instalment{Amount: p.Amount, Date: d, Ref: newUUID()})
	}
	return later, firstDelay, nil
}
