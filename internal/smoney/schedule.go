package smoney

import (
	"slices"
	"strconv"
	"time"
)

// A payment in several instalments ("paiement en N fois", seed 004
// "Payment Schedule"). The merchant sends PaymentSchedule either as the
// list of instalments or as a rule that S-money turns into one:
//
//	[{"SequenceNumber": 1, "Amount": 4000, "Date": "…", "Fee": 0}, …]
//	{"FirstAmount": 4000, "Count": 3, "Period": 30, "FirstFee": 0}
//
// The first instalment is paid on the hosted page; the later ones are
// charged on their dates.

// Our own bounds on a schedule, which S-money does not document: the same
// as the Lyra front's, and enough for any real instalment plan.
const (
	maxInstalments = 366
	maxPeriodDays  = 366
)

// scheduleRequest is a PaymentSchedule as the merchant sent it: a rule
// (Items nil) or a list (Items not nil).
type scheduleRequest struct {
	// The rule: instalment 1 is FirstAmount (with FirstFee), then one every
	// Period days, Count in all.
	FirstAmount int64
	FirstFee    int64
	Count       int
	Period      int
	// Items is the list as sent, in the merchant's order.
	Items []scheduleEntry
	// Fee is the payment's Fee, which the instalments share as they share
	// the Amount; readCardPayment sets it.
	Fee int64
}

// scheduleEntry is one instalment of a list.
type scheduleEntry struct {
	SequenceNumber int
	Amount         int64
	// Date is as sent; one without an offset is on the shop's clock.
	Date string
	Fee  int64
	// hasFee is false when Fee was absent.
	hasFee bool
}

// scheduleItem is one instalment of the resource's PaymentSchedule.
type scheduleItem struct {
	SequenceNumber int   `json:"SequenceNumber"`
	Amount         int64 `json:"Amount"`
	// Date is Due written by isoDate.
	Date   string `json:"Date"`
	Status int    `json:"Status"`
	Fee    int64  `json:"Fee"`
	// Due is when the instalment is charged.
	Due time.Time `json:"-"`
}

// readSchedule reads PaymentSchedule; fee is the payment's Fee. An absent
// or empty schedule is nil.
func readSchedule(o object, fee int64) (*scheduleRequest, *apiError) {
	const name = "PaymentSchedule"
	v, ok := o.value(name)
	if !ok {
		return nil, nil
	}
	switch v := v.(type) {
	case []any:
		if len(v) == 0 {
			return nil, nil
		}
		if len(v) > maxInstalments {
			return nil, invalid(name, "at most %d instalments", maxInstalments)
		}
		s := &scheduleRequest{Items: make([]scheduleEntry, len(v)), Fee: fee}
		for i, raw := range v {
			e := readEntry(raw, &s.Items[i], name+"["+strconv.Itoa(i)+"]")
			if e != nil {
				return nil, e
			}
		}
		return s, nil
	case map[string]any:
		return readRule(object{m: v, path: name}, fee)
	}
	return nil, invalid(name, "must be a list of instalments or an object, not %s", jsonType(v))
}

// readEntry reads one instalment of a list.
func readEntry(raw any, out *scheduleEntry, path string) *apiError {
	m, ok := raw.(map[string]any)
	if !ok {
		return invalid(path, "must be an object, not %s", jsonType(raw))
	}
	o := object{m: m, path: path}
	seq, has, e := o.integer("SequenceNumber", 32)
	if e != nil {
		return e
	}
	if !has {
		return missing(o.name("SequenceNumber"))
	}
	out.SequenceNumber = int(seq)
	if out.Amount, has, e = o.integer("Amount", 64); e != nil {
		return e
	}
	if !has {
		return missing(o.name("Amount"))
	}
	if out.Date, e = o.mandatoryStr("Date"); e != nil {
		return e
	}
	if _, ok := parseDate(out.Date, time.UTC); !ok {
		return invalid(o.name("Date"), "must be a date, yyyy-MM-dd or ISO 8601")
	}
	out.Fee, out.hasFee, e = o.integer("Fee", 64)
	return e
}

// readRule reads the automatic form.
func readRule(o object, fee int64) (*scheduleRequest, *apiError) {
	s := &scheduleRequest{Fee: fee}
	first, has, e := o.integer("FirstAmount", 64)
	if e != nil {
		return nil, e
	}
	if !has {
		return nil, missing(o.name("FirstAmount"))
	}
	s.FirstAmount = first
	for _, f := range []struct {
		name string
		dst  *int
	}{{"Count", &s.Count}, {"Period", &s.Period}} {
		n, has, e := o.integer(f.name, 32)
		if e != nil {
			return nil, e
		}
		if !has {
			return nil, missing(o.name(f.name))
		}
		*f.dst = int(n)
	}
	if s.FirstFee, _, e = o.integer("FirstFee", 64); e != nil {
		return nil, e
	}
	return s, nil
}

// planSchedule turns a schedule into its instalments for a payment of
// total created today (on the shop's clock, whose zone dates are written
// in). A nil schedule has none.
//
// With the rule, instalment 1 is FirstAmount; instalments 2 to Count are
// the integer part of (total − FirstAmount) / (Count − 1), the last one
// adding the remainder; fees are shared the same way, FirstFee first.
// Dates are today at midnight, then every Period days.
//
// A list must number its instalments 1 to n, with dates increasing from
// today on and amounts above 0 that add up to total. Its fees, when given,
// must add up to the payment's Fee; when none is given the Fee is charged
// with the first instalment.
func planSchedule(s *scheduleRequest, total int64, today time.Time) ([]scheduleItem, *apiError) {
	if s == nil {
		return nil, nil
	}
	return s.plan(total, today, true)
}

// plan computes the instalments; checkToday is false when there is no
// today yet (readCardPayment), which skips the rule that the first date
// is not in the past.
func (s *scheduleRequest) plan(total int64, today time.Time, checkToday bool) ([]scheduleItem, *apiError) {
	if s.Items != nil {
		return s.planList(total, today, checkToday)
	}
	return s.planRule(total, today)
}

func (s *scheduleRequest) planRule(total int64, today time.Time) ([]scheduleItem, *apiError) {
	const name = "PaymentSchedule"
	switch {
	case s.Count < 2:
		return nil, invalid(name+".Count", "must be at least 2")
	case s.Count > maxInstalments:
		return nil, invalid(name+".Count", "at most %d instalments", maxInstalments)
	case s.Period < 1:
		return nil, invalid(name+".Period", "must be at least 1 day")
	case s.Period > maxPeriodDays:
		return nil, invalid(name+".Period", "at most %d days", maxPeriodDays)
	case s.FirstAmount <= 0:
		return nil, invalid(name+".FirstAmount", "must be greater than 0")
	case s.FirstAmount >= total:
		return nil, invalid(name+".FirstAmount", "must be less than the payment's Amount")
	case s.FirstFee < 0:
		return nil, invalid(name+".FirstFee", "must not be negative")
	case s.FirstFee > s.Fee:
		return nil, invalid(name+".FirstFee", "must not exceed the payment's Fee")
	}
	later := int64(s.Count - 1)
	each, rest := (total-s.FirstAmount)/later, (total-s.FirstAmount)%later
	if each < 1 {
		return nil, invalid(name+".Count", "too many instalments: the later ones would be 0")
	}
	feeEach, feeRest := (s.Fee-s.FirstFee)/later, (s.Fee-s.FirstFee)%later

	loc := today.Location()
	y, m, d := today.Date()
	items := make([]scheduleItem, s.Count)
	for i := range items {
		item := scheduleItem{SequenceNumber: i + 1, Amount: each, Fee: feeEach, Status: statusWaiting}
		switch i {
		case 0:
			item.Amount, item.Fee = s.FirstAmount, s.FirstFee
		case s.Count - 1:
			item.Amount, item.Fee = each+rest, feeEach+feeRest
		}
		// time.Date normalises the day, and keeps midnight across
		// daylight-saving changes.
		item.Due = time.Date(y, m, d+i*s.Period, 0, 0, 0, 0, loc)
		item.Date = isoDate(item.Due, loc)
		items[i] = item
	}
	return items, nil
}

func (s *scheduleRequest) planList(total int64, today time.Time, checkToday bool) ([]scheduleItem, *apiError) {
	const name = "PaymentSchedule"
	n := len(s.Items)
	switch {
	case n == 0:
		return nil, invalid(name, "no instalment")
	case n > maxInstalments:
		return nil, invalid(name, "at most %d instalments", maxInstalments)
	}
	loc := today.Location()
	items := make([]scheduleItem, n)
	// index[k] is the position in the merchant's list of instalment k+1.
	index := make([]int, n)
	for i := range index {
		index[i] = -1
	}
	anyFee := slices.ContainsFunc(s.Items, func(e scheduleEntry) bool { return e.hasFee })
	var amounts, fees int64
	for i, e := range s.Items {
		path := name + "[" + strconv.Itoa(i) + "]"
		switch {
		case e.SequenceNumber < 1 || e.SequenceNumber > n:
			return nil, invalid(path+".SequenceNumber", "must be from 1 to %d, the number of instalments", n)
		case index[e.SequenceNumber-1] >= 0:
			return nil, invalid(path+".SequenceNumber", "%d is given twice", e.SequenceNumber)
		case e.Amount <= 0:
			return nil, invalid(path+".Amount", "must be greater than 0")
		case e.Amount > total-amounts:
			return nil, invalid(name, "the instalments' amounts add up to more than the payment's Amount")
		case e.Fee < 0:
			return nil, invalid(path+".Fee", "must not be negative")
		case e.Fee > s.Fee-fees:
			return nil, invalid(name, "the instalments' fees add up to more than the payment's Fee")
		}
		index[e.SequenceNumber-1] = i
		amounts += e.Amount
		fees += e.Fee
		due, ok := parseDate(e.Date, loc)
		if !ok {
			return nil, invalid(path+".Date", "must be a date, yyyy-MM-dd or ISO 8601")
		}
		// Dates are written to the microsecond; keeping more would make
		// the answer name another instant than the one planned.
		due = due.Truncate(time.Microsecond)
		items[e.SequenceNumber-1] = scheduleItem{
			SequenceNumber: e.SequenceNumber, Amount: e.Amount, Fee: e.Fee,
			Status: statusWaiting, Due: due, Date: isoDate(due, loc),
		}
	}
	switch {
	case amounts != total:
		return nil, invalid(name, "the instalments' amounts add up to %d, not the payment's Amount %d", amounts, total)
	case anyFee && fees != s.Fee:
		return nil, invalid(name, "the instalments' fees add up to %d, not the payment's Fee %d", fees, s.Fee)
	case !anyFee:
		items[0].Fee = s.Fee
	}
	for k := 1; k < n; k++ {
		if !items[k].Due.After(items[k-1].Due) {
			return nil, invalid(name+"["+strconv.Itoa(index[k])+"].Date", "must be after the date of instalment %d", k)
		}
	}
	if checkToday {
		y, m, d := today.Date()
		if items[0].Due.Before(time.Date(y, m, d, 0, 0, 0, 0, loc)) {
			return nil, invalid(name+"["+strconv.Itoa(index[0])+"].Date", "before today")
		}
	}
	return items, nil
}
