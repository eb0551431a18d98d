package core

import (
	"testing"
	"time"
)

func TestRenewalDate(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		name  string
		sj    subscriptionJob
		dates []string // renewals 1, 2, 3…
	}{
		{"manual example: 5 days, then the 28th", subscriptionJob{First: day("2026-11-23"), Months: 1, Day: 28, Delay: 5},
			[]string{"2026-11-28", "2026-12-28", "2027-01-28"}},
		{"no delay: a month after the first payment", subscriptionJob{First: day("2026-11-23"), Months: 1},
			[]string{"2026-12-23", "2027-01-23", "2027-02-23"}},
		{"day 31 clamped to the month's end", subscriptionJob{First: day("2027-01-31"), Months: 1},
			[]string{"2027-02-28", "2027-03-31", "2027-04-30"}},
		{"leap year, quarterly", subscriptionJob{First: day("2027-11-30"), Months: 3},
			[]string{"2028-02-29", "2028-05-30", "2028-08-30"}},
		{"delay across a month", subscriptionJob{First: day("2026-12-20"), Months: 2, Day: 5, Delay: 30},
			[]string{"2027-01-19", "2027-03-05", "2027-05-05"}},
	} {
		for i, want := range c.dates {
			if got := renewalDate(&c.sj, i+1).Format("2006-01-02"); got != want {
				t.Errorf("%s: renewal %d on %s, want %s", c.name, i+1, got, want)
			}
		}
	}
}
