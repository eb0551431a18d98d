package lyra

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"guichet"
)

// TestSeedSchedules computes the schedules of the use-case page's
// examples: their amounts and dates exactly as the page states them (the
// advanced ones moved to the future of the test's clock, same days).
func TestSeedSchedules(t *testing.T) {
	today := time.Date(2026, 3, 20, 11, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		amount int64
		option string
		want   string
	}{
		{"2 times", 10000, `{"firstAmount":5000,"count":2,"period":7}`, "5000@2026-03-20 5000@2026-03-27"},
		{"3 times", 10000, `{"firstAmount":5000,"count":3,"period":7}`, "5000@2026-03-20 2500@2026-03-27 2500@2026-04-03"},
		{"4 times", 20000, `{"firstAmount":5000,"count":4,"period":7}`, "5000@2026-03-20 5000@2026-03-27 5000@2026-04-03 5000@2026-04-10"},
		{"3 times every 10 days", 10000, `{"firstAmount":5000,"count":3,"period":10}`, "5000@2026-03-20 2500@2026-03-30 2500@2026-04-09"},
		{"without a first amount", 10000, `{"count":3,"period":7}`, "3334@2026-03-20 3333@2026-03-27 3333@2026-04-03"},
		{"advanced 2 times", 10000, `{"schedules":[{"date":"2026-04-01T00:00:00+00:00","amount":5000},{"date":"2026-05-01T00:00:00+00:00","amount":5000}]}`,
			"5000@2026-04-01 5000@2026-05-01"},
		{"advanced 3 times", 10000, `{"schedules":[{"date":"2026-04-16T00:00:00+00:00","amount":5000},{"date":"2026-05-20T00:00:00+00:00","amount":3000},{"date":"2026-06-01T00:00:00+00:00","amount":2000}]}`,
			"5000@2026-04-16 3000@2026-05-20 2000@2026-06-01"},
		{"advanced 4 times", 12000, `{"schedules":[{"date":"2026-04-01T00:00:00+00:00","amount":5000},{"date":"2026-05-01T00:00:00+00:00","amount":3000},{"date":"2026-06-01T00:00:00+00:00","amount":2000},{"date":"2026-07-01T00:00:00+00:00","amount":2000}]}`,
			"5000@2026-04-01 3000@2026-05-01 2000@2026-06-01 2000@2026-07-01"},
	} {
		o, err := parseObject([]byte(c.option))
		if err != nil {
			t.Fatal(err)
		}
		s, err := parseSchedule(o, c.amount, today)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got []string
		for _, p := range s.Payments {
			got = append(got, fmt.Sprintf("%d@%s", p.Amount, p.Date))
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s: %s, want %s", c.name, strings.Join(got, " "), c.want)
		}
		// The later payments go to the core with their dates and a uuid
		// each; the first one's capture waits for its date.
		n := 0
		later, delay, err := s.plan(today, func() string { n++; return fmt.Sprint(n) })
		if err != nil || len(later) != len(s.Payments)-1 || n != len(later) {
			t.Errorf("%s: plan %v, %v", c.name, later, err)
		}
		if first, _ := time.Parse(civilDate, s.Payments[0].Date); delay != int(first.Sub(dayOf(today)).Hours()/24) {
			t.Errorf("%s: first capture delayed %d days", c.name, delay)
		}
		// What the order keeps reads back the same.
		b, _ := json.Marshal(s)
		var back schedule
		if json.Unmarshal(b, &back) != nil || fmt.Sprint(back) != fmt.Sprint(s) {
			t.Errorf("%s: kept as %s", c.name, b)
		}
	}
}

// TestSafeR: the Safe'R by CB programme exempts its shops' payments under
// 100 EUR, and those from 100 to 250 EUR of the shops in its experiment;
// above, or outside the programme, the low-value rule applies (not
// reached here: every amount is 30 EUR or more).
func TestSafeR(t *testing.T) {
	a := &API{}
	for _, c := range []struct {
		acct   Account
		amount int64
		want   bool
	}{
		{Account{SafeR: true}, 99_99, true},
		{Account{SafeR: true}, 100_00, false},
		{Account{SafeR: true, SafeRExperiment: true}, 250_00, true},
		{Account{SafeR: true, SafeRExperiment: true}, 250_01, false},
		{Account{}, 50_00, false},
	} {
		got := a.exempted(t.Context(), nil, &c.acct, cardOf("4970110000001003"), eurOf(c.amount))
		if got != c.want {
			t.Errorf("%+v, %d: exempted %v, want %v", c.acct, c.amount, got, c.want)
		}
	}
}

func cardOf(pan string) guichet.Card { return guichet.Card{PAN: pan, ExpMonth: 12, ExpYear: 2030} }

func eurOf(amount int64) guichet.Money { return guichet.Money{Amount: amount, Currency: "EUR"} }
