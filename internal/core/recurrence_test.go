package core_test

import (
	"strconv"
	"testing"

	"guichet/internal/core"
)

func TestRecurrence(t *testing.T) {
	for _, c := range []struct {
		name string
		r    core.Recurrence
		want []string // dates and amounts of occurrences 1…
	}{
		{"monthly on the 31st", core.Recurrence{First: civil(2027, 1, 31), Freq: core.Monthly, Interval: 1, Count: 4, Amount: 100},
			[]string{"2027-01-31 100", "2027-02-28 100", "2027-03-31 100", "2027-04-30 100"}},
		{"monthly on the 5th from the 20th", core.Recurrence{First: civil(2026, 11, 20), Freq: core.Monthly, Interval: 1, MonthDay: 5, Count: 3, Amount: 100},
			[]string{"2026-11-20 100", "2026-12-05 100", "2027-01-05 100"}},
		{"every 3 months on the 31st", core.Recurrence{First: civil(2026, 11, 2), Freq: core.Monthly, Interval: 3, MonthDay: 31, Count: 3, Amount: 100},
			[]string{"2026-11-02 100", "2027-02-28 100", "2027-05-31 100"}},
		{"weekly until", core.Recurrence{First: civil(2026, 12, 1), Freq: core.Weekly, Interval: 2, Until: civil(2026, 12, 29), Amount: 50},
			[]string{"2026-12-01 50", "2026-12-15 50", "2026-12-29 50"}},
		{"initial amounts", core.Recurrence{First: civil(2026, 12, 1), Freq: core.Daily, Interval: 1, Count: 3, Amount: 100, Initial: 10, InitialCount: 2},
			[]string{"2026-12-01 10", "2026-12-02 10", "2026-12-03 100"}},
		{"yearly on the 29th of February", core.Recurrence{First: civil(2028, 2, 29), Freq: core.Yearly, Interval: 1, Count: 2, Amount: 1},
			[]string{"2028-02-29 1", "2029-02-28 1"}},
	} {
		if err := c.r.Check(); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		var got []string
		for k := 1; k <= 10; k++ {
			d, a, ok := c.r.Occurrence(k)
			if !ok {
				break
			}
			got = append(got, d.Format("2006-01-02")+" "+strconv.FormatInt(a, 10))
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
}
