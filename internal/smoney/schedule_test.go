package smoney

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func amountsOf(items []scheduleItem) (amounts, fees []int64) {
	for _, it := range items {
		amounts = append(amounts, it.Amount)
		fees = append(fees, it.Fee)
	}
	return amounts, fees
}

// TestPlanRule checks the seed's rule: instalment 1 is FirstAmount, the
// next ones the integer part of (total − first) / (count − 1), the last
// one with the remainder; fees alike.
func TestPlanRule(t *testing.T) {
	loc := paris(t)
	today := time.Date(2024, 1, 10, 15, 4, 5, 0, loc)
	for _, tc := range []struct {
		total, first  int64
		count         int
		fee, firstFee int64
		amounts, fees []int64
	}{
		{10000, 4000, 3, 0, 0, []int64{4000, 3000, 3000}, []int64{0, 0, 0}},
		{10001, 4000, 3, 0, 0, []int64{4000, 3000, 3001}, []int64{0, 0, 0}},
		{10002, 4000, 3, 0, 0, []int64{4000, 3001, 3001}, []int64{0, 0, 0}},
		{100, 10, 4, 0, 0, []int64{10, 30, 30, 30}, []int64{0, 0, 0, 0}},
		{101, 10, 4, 0, 0, []int64{10, 30, 30, 31}, []int64{0, 0, 0, 0}},
		{102, 10, 4, 0, 0, []int64{10, 30, 30, 32}, []int64{0, 0, 0, 0}},
		{3, 1, 3, 0, 0, []int64{1, 1, 1}, []int64{0, 0, 0}},
		{2, 1, 2, 0, 0, []int64{1, 1}, []int64{0, 0}},
		{9600, 5000, 2, 0, 0, []int64{5000, 4600}, []int64{0, 0}},
		{10000, 4000, 3, 300, 100, []int64{4000, 3000, 3000}, []int64{100, 100, 100}},
		{10000, 4000, 3, 301, 100, []int64{4000, 3000, 3000}, []int64{100, 100, 101}},
		{10000, 4000, 4, 100, 0, []int64{4000, 2000, 2000, 2000}, []int64{0, 33, 33, 34}},
		{10000, 4000, 3, 100, 100, []int64{4000, 3000, 3000}, []int64{100, 0, 0}},
	} {
		name := fmt.Sprintf("%d in %d, first %d, fee %d/%d", tc.total, tc.count, tc.first, tc.fee, tc.firstFee)
		s := &scheduleRequest{FirstAmount: tc.first, Count: tc.count, Period: 30, FirstFee: tc.firstFee, Fee: tc.fee}
		items, e := planSchedule(s, tc.total, today)
		if e != nil {
			t.Errorf("%s: %v", name, e)
			continue
		}
		amounts, fees := amountsOf(items)
		if !slices.Equal(amounts, tc.amounts) || !slices.Equal(fees, tc.fees) {
			t.Errorf("%s: amounts %v fees %v, want %v %v", name, amounts, fees, tc.amounts, tc.fees)
		}
		var sum, feeSum int64
		for i, it := range items {
			sum, feeSum = sum+it.Amount, feeSum+it.Fee
			if it.SequenceNumber != i+1 || it.Status != statusWaiting {
				t.Errorf("%s: instalment %d is %+v", name, i, it)
			}
		}
		if sum != tc.total || feeSum != tc.fee {
			t.Errorf("%s: sums %d and %d", name, sum, feeSum)
		}
	}
}

// TestPlanRuleDates: the first instalment is due today, then every Period
// days, at midnight on the shop's clock across daylight-saving changes.
func TestPlanRuleDates(t *testing.T) {
	loc := paris(t)
	today := time.Date(2024, 3, 20, 15, 4, 5, 0, loc)
	items, e := planSchedule(&scheduleRequest{FirstAmount: 4000, Count: 3, Period: 30}, 10000, today)
	if e != nil {
		t.Fatal(e)
	}
	want := []string{
		"2024-03-20T00:00:00.000000+01:00",
		"2024-04-19T00:00:00.000000+02:00",
		"2024-05-19T00:00:00.000000+02:00",
	}
	for i, it := range items {
		if it.Date != want[i] {
			t.Errorf("instalment %d: %s, want %s", i+1, it.Date, want[i])
		}
		if d := isoDate(it.Due, loc); d != it.Date {
			t.Errorf("instalment %d: Due %v does not match Date %s", i+1, it.Due, it.Date)
		}
	}
	items, _ = planSchedule(&scheduleRequest{FirstAmount: 1, Count: 2, Period: 1}, 2, today)
	if items[1].Date != "2024-03-21T00:00:00.000000+01:00" {
		t.Errorf("period 1: %s", items[1].Date)
	}
}

func TestPlanRuleRefusals(t *testing.T) {
	today := time.Date(2024, 1, 10, 0, 0, 0, 0, paris(t))
	ok := scheduleRequest{FirstAmount: 4000, Count: 3, Period: 30, FirstFee: 100, Fee: 300}
	for _, tc := range []struct {
		change func(*scheduleRequest)
		total  int64
		msg    string
	}{
		{func(s *scheduleRequest) { s.Count = 1 }, 10000, "PaymentSchedule.Count: must be at least 2"},
		{func(s *scheduleRequest) { s.Count = 0 }, 10000, "PaymentSchedule.Count: must be at least 2"},
		{func(s *scheduleRequest) { s.Count = -3 }, 10000, "PaymentSchedule.Count: must be at least 2"},
		{func(s *scheduleRequest) { s.Count = 367 }, 1000000, "PaymentSchedule.Count: at most 366"},
		{func(s *scheduleRequest) { s.Period = 0 }, 10000, "PaymentSchedule.Period: must be at least 1 day"},
		{func(s *scheduleRequest) { s.Period = 367 }, 10000, "PaymentSchedule.Period: at most 366 days"},
		{func(s *scheduleRequest) { s.FirstAmount = 0 }, 10000, "PaymentSchedule.FirstAmount: must be greater than 0"},
		{func(s *scheduleRequest) { s.FirstAmount = -1 }, 10000, "PaymentSchedule.FirstAmount: must be greater than 0"},
		{func(s *scheduleRequest) {}, 4000, "PaymentSchedule.FirstAmount: must be less than the payment's Amount"},
		{func(s *scheduleRequest) {}, 3999, "PaymentSchedule.FirstAmount: must be less than the payment's Amount"},
		{func(s *scheduleRequest) { s.FirstFee = -1 }, 10000, "PaymentSchedule.FirstFee: must not be negative"},
		{func(s *scheduleRequest) { s.FirstFee = 301 }, 10000, "PaymentSchedule.FirstFee: must not exceed the payment's Fee"},
		{func(s *scheduleRequest) { s.Count = 8 }, 4006, "PaymentSchedule.Count: too many instalments"},
	} {
		s := ok
		tc.change(&s)
		items, e := planSchedule(&s, tc.total, today)
		if e == nil || e.Status != 400 || e.Code != codeInvalidParameters || !strings.HasPrefix(e.Message, tc.msg) {
			t.Errorf("%+v of %d: got %v %v, want 178 %q", s, tc.total, items, e, tc.msg)
		}
	}
	// The same rules refuse the request itself.
	body := marshal(t, apply(minimalRequest(), edit{"PaymentSchedule", map[string]any{"FirstAmount": 1500, "Count": 3, "Period": 30}}))
	if _, e := readCardPayment(body); e == nil || !strings.HasPrefix(e.Message, "PaymentSchedule.FirstAmount: must be less") {
		t.Errorf("readCardPayment: %v", e)
	}
}

func TestPlanNone(t *testing.T) {
	items, e := planSchedule(nil, 100, time.Now())
	if items != nil || e != nil {
		t.Errorf("got %v %v", items, e)
	}
	r := mustRead(t, marshal(t, apply(minimalRequest(), edit{"PaymentSchedule", []any{}})))
	if r.PaymentSchedule != nil {
		t.Errorf("an empty list is a schedule: %+v", r.PaymentSchedule)
	}
}

func TestReadScheduleForms(t *testing.T) {
	r := mustRead(t, marshal(t, apply(minimalRequest(), edit{"Fee", 30},
		edit{"PaymentSchedule", map[string]any{"firstamount": 500, "COUNT": 3, "period": 7, "firstFee": 10}})))
	want := scheduleRequest{FirstAmount: 500, Count: 3, Period: 7, FirstFee: 10, Fee: 30}
	if r.PaymentSchedule == nil || fmt.Sprint(*r.PaymentSchedule) != fmt.Sprint(want) {
		t.Errorf("rule read as %+v", r.PaymentSchedule)
	}
	r = mustRead(t, marshal(t, apply(minimalRequest(), edit{"PaymentSchedule", []any{
		map[string]any{"sequencenumber": 1, "amount": 500, "date": "2030-01-01T00:00:00", "Status": 0, "Fee": nil},
		map[string]any{"SequenceNumber": 2, "Amount": 1000, "Date": "2030-02-01T00:00:00.000000+01:00", "fee": 0},
	}})))
	if r.PaymentSchedule == nil || len(r.PaymentSchedule.Items) != 2 || r.PaymentSchedule.Items[0].hasFee ||
		!r.PaymentSchedule.Items[1].hasFee || r.PaymentSchedule.Items[1].Amount != 1000 {
		t.Errorf("list read as %+v", r.PaymentSchedule)
	}
}

func TestReadScheduleRefusals(t *testing.T) {
	item := func(seq, amount any, date any) map[string]any {
		return map[string]any{"SequenceNumber": seq, "Amount": amount, "Date": date}
	}
	for _, tc := range []struct {
		schedule any
		code     int
		msg      string
	}{
		{map[string]any{"Count": 3, "Period": 30}, 704, "PaymentSchedule.FirstAmount: missing"},
		{map[string]any{"FirstAmount": 500, "Period": 30}, 704, "PaymentSchedule.Count: missing"},
		{map[string]any{"FirstAmount": 500, "Count": 3}, 704, "PaymentSchedule.Period: missing"},
		{map[string]any{"FirstAmount": "500", "Count": 3, "Period": 30}, 178, "PaymentSchedule.FirstAmount: must be an integer"},
		{map[string]any{"FirstAmount": 500, "Count": 2.5, "Period": 30}, 178, "PaymentSchedule.Count: must be an integer"},
		{map[string]any{"FirstAmount": 500, "Count": 3, "Period": "30"}, 178, "PaymentSchedule.Period: must be an integer"},
		{map[string]any{"FirstAmount": 500, "Count": 3, "Period": 30, "FirstFee": true}, 178, "PaymentSchedule.FirstFee: must be an integer"},
		{map[string]any{"FirstAmount": 500, "Count": 1 << 40, "Period": 30}, 178, "PaymentSchedule.Count: out of range"},
		{[]any{"x"}, 178, "PaymentSchedule[0]: must be an object, not a string"},
		{[]any{item(1, 1500, "2030-01-01"), nil}, 178, "PaymentSchedule[1]: must be an object, not null"},
		{[]any{map[string]any{"Amount": 1500, "Date": "2030-01-01"}}, 704, "PaymentSchedule[0].SequenceNumber: missing"},
		{[]any{map[string]any{"SequenceNumber": 1, "Date": "2030-01-01"}}, 704, "PaymentSchedule[0].Amount: missing"},
		{[]any{map[string]any{"SequenceNumber": 1, "Amount": 1500}}, 704, "PaymentSchedule[0].Date: missing"},
		{[]any{item("1", 1500, "2030-01-01")}, 178, "PaymentSchedule[0].SequenceNumber: must be an integer"},
		{[]any{item(1, "1500", "2030-01-01")}, 178, "PaymentSchedule[0].Amount: must be an integer"},
		{[]any{item(1, 1500, 20300101)}, 178, "PaymentSchedule[0].Date: must be a string"},
		{[]any{item(1, 1500, "01/01/2030")}, 178, "PaymentSchedule[0].Date: must be a date"},
		{[]any{item(1, 1500, "2030-02-30")}, 178, "PaymentSchedule[0].Date: must be a date"},
		{[]any{item(1, 1500, "9999-01-01")}, 178, "PaymentSchedule[0].Date: must be a date"},
		{[]any{map[string]any{"SequenceNumber": 1, "Amount": 1500, "Date": "2030-01-01", "Fee": "0"}}, 178, "PaymentSchedule[0].Fee: must be an integer"},
		{[]any{item(0, 1500, "2030-01-01")}, 178, "PaymentSchedule[0].SequenceNumber: must be from 1 to 1"},
		{[]any{item(1, 500, "2030-01-01"), item(3, 1000, "2030-02-01")}, 178, "PaymentSchedule[1].SequenceNumber: must be from 1 to 2"},
		{[]any{item(1, 500, "2030-01-01"), item(1, 1000, "2030-02-01")}, 178, "PaymentSchedule[1].SequenceNumber: 1 is given twice"},
		{[]any{item(1, 0, "2030-01-01"), item(2, 1500, "2030-02-01")}, 178, "PaymentSchedule[0].Amount: must be greater than 0"},
		{[]any{item(1, -500, "2030-01-01"), item(2, 2000, "2030-02-01")}, 178, "PaymentSchedule[0].Amount: must be greater than 0"},
		{[]any{item(1, 500, "2030-01-01"), item(2, 999, "2030-02-01")}, 178, "PaymentSchedule: the instalments' amounts add up to 1499, not the payment's Amount 1500"},
		{[]any{item(1, 500, "2030-01-01"), item(2, 1001, "2030-02-01")}, 178, "PaymentSchedule: the instalments' amounts add up to more than the payment's Amount"},
		{[]any{item(1, 500, "2030-01-01"), item(2, 1000, "2030-01-01")}, 178, "PaymentSchedule[1].Date: must be after the date of instalment 1"},
		{[]any{item(2, 1000, "2030-01-01"), item(1, 500, "2030-02-01")}, 178, "PaymentSchedule[0].Date: must be after the date of instalment 1"},
		{[]any{item(1, 500, "2030-01-01T10:00:00+02:00"), item(2, 1000, "2030-01-01T08:00:00Z")}, 178, "PaymentSchedule[1].Date: must be after"},
		{[]any{item(1, 500, "2030-01-01"), map[string]any{"SequenceNumber": 2, "Amount": 1000, "Date": "2030-02-01", "Fee": -1}}, 178, "PaymentSchedule[1].Fee: must not be negative"},
		{[]any{item(1, 500, "2030-01-01"), map[string]any{"SequenceNumber": 2, "Amount": 1000, "Date": "2030-02-01", "Fee": 5}}, 178, "PaymentSchedule: the instalments' fees add up to more than the payment's Fee"},
		{slices.Repeat([]any{item(1, 1, "2030-01-01")}, 367), 178, "PaymentSchedule: at most 366 instalments"},
		{"3", 178, "PaymentSchedule: must be a list of instalments or an object, not a string"},
		{3, 178, "PaymentSchedule: must be a list of instalments or an object, not a number"},
	} {
		body := marshal(t, apply(minimalRequest(), edit{"PaymentSchedule", tc.schedule}))
		_, e := readCardPayment(body)
		if e == nil || e.Status != 400 || e.Code != tc.code || !strings.HasPrefix(e.Message, tc.msg) {
			t.Errorf("%s: got %v, want %d %q", body, e, tc.code, tc.msg)
		}
	}
}

func TestPlanList(t *testing.T) {
	loc := paris(t)
	today := time.Date(2024, 3, 20, 15, 4, 5, 0, loc)
	entry := func(seq int, amount int64, date string) scheduleEntry {
		return scheduleEntry{SequenceNumber: seq, Amount: amount, Date: date}
	}
	withFee := func(e scheduleEntry, fee int64) scheduleEntry {
		e.Fee, e.hasFee = fee, true
		return e
	}
	for _, tc := range []struct {
		name    string
		s       scheduleRequest
		total   int64
		amounts []int64
		fees    []int64
		dates   []string
	}{
		{
			"in order, dates of all forms",
			scheduleRequest{Items: []scheduleEntry{
				entry(1, 150, "2024-03-20"),
				entry(2, 150, "2024-04-20T00:00:00"),
				entry(3, 200, "2024-05-20T08:30:00Z"),
			}},
			500, []int64{150, 150, 200}, []int64{0, 0, 0},
			[]string{"2024-03-20T00:00:00.000000+01:00", "2024-04-20T00:00:00.000000+02:00", "2024-05-20T10:30:00.000000+02:00"},
		},
		{
			"out of order, fee on the first when none is given",
			scheduleRequest{Fee: 50, Items: []scheduleEntry{
				entry(3, 200, "2024-06-01"),
				entry(1, 100, "2024-04-01"),
				entry(2, 200, "2024-05-01"),
			}},
			500, []int64{100, 200, 200}, []int64{50, 0, 0},
			[]string{"2024-04-01T00:00:00.000000+02:00", "2024-05-01T00:00:00.000000+02:00", "2024-06-01T00:00:00.000000+02:00"},
		},
		{
			"fees given",
			scheduleRequest{Fee: 50, Items: []scheduleEntry{
				withFee(entry(1, 100, "2024-03-20T23:59:59.1234567+01:00"), 20),
				withFee(entry(2, 400, "2024-04-01"), 30),
			}},
			500, []int64{100, 400}, []int64{20, 30},
			[]string{"2024-03-20T23:59:59.123456+01:00", "2024-04-01T00:00:00.000000+02:00"},
		},
		{
			"one instalment",
			scheduleRequest{Items: []scheduleEntry{entry(1, 500, "2024-03-21")}},
			500, []int64{500}, []int64{0}, []string{"2024-03-21T00:00:00.000000+01:00"},
		},
	} {
		items, e := planSchedule(&tc.s, tc.total, today)
		if e != nil {
			t.Errorf("%s: %v", tc.name, e)
			continue
		}
		amounts, fees := amountsOf(items)
		var dates []string
		for i, it := range items {
			dates = append(dates, it.Date)
			if it.SequenceNumber != i+1 || it.Status != statusWaiting || isoDate(it.Due, loc) != it.Date {
				t.Errorf("%s: instalment %d is %+v", tc.name, i, it)
			}
		}
		if !slices.Equal(amounts, tc.amounts) || !slices.Equal(fees, tc.fees) || !slices.Equal(dates, tc.dates) {
			t.Errorf("%s:\n got %v %v %v\nwant %v %v %v", tc.name, amounts, fees, dates, tc.amounts, tc.fees, tc.dates)
		}
	}
}

func TestPlanListRefusals(t *testing.T) {
	loc := paris(t)
	today := time.Date(2024, 3, 20, 15, 4, 5, 0, loc)
	for _, tc := range []struct {
		s   scheduleRequest
		msg string
	}{
		{scheduleRequest{Items: []scheduleEntry{{SequenceNumber: 1, Amount: 100, Date: "2024-03-19"}}},
			"PaymentSchedule[0].Date: before today"},
		{scheduleRequest{Items: []scheduleEntry{{SequenceNumber: 1, Amount: 100, Date: "2024-03-19T23:30:00Z"}}},
			""}, // 00:30 on the 20th in Paris: today, accepted
		{scheduleRequest{Items: []scheduleEntry{
			{SequenceNumber: 2, Amount: 50, Date: "2024-04-01"},
			{SequenceNumber: 1, Amount: 50, Date: "2024-03-01"},
		}}, "PaymentSchedule[1].Date: before today"},
		{scheduleRequest{Fee: 10, Items: []scheduleEntry{
			{SequenceNumber: 1, Amount: 50, Date: "2024-04-01", Fee: 4, hasFee: true},
			{SequenceNumber: 2, Amount: 50, Date: "2024-05-01"},
		}}, "PaymentSchedule: the instalments' fees add up to 4, not the payment's Fee 10"},
		{scheduleRequest{Items: []scheduleEntry{}}, "PaymentSchedule: no instalment"},
	} {
		_, e := planSchedule(&tc.s, 100, today)
		switch {
		case tc.msg == "" && e != nil:
			t.Errorf("%+v: %v", tc.s, e)
		case tc.msg != "" && (e == nil || e.Code != codeInvalidParameters || !strings.HasPrefix(e.Message, tc.msg)):
			t.Errorf("%+v: got %v, want %q", tc.s, e, tc.msg)
		}
	}
}
