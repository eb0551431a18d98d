package v4

import (
	"encoding/json"
	"fmt"
	"time"
)

// timeLayout is Lyra's date-time layout. "-07:00" prints a zero offset as
// "+00:00", where time.RFC3339's "Z07:00" would print "Z", which Lyra never
// sends.
const timeLayout = "2006-01-02T15:04:05-07:00"

// FormatTime formats t as Lyra writes every date: in UTC, to the second,
// with an explicit "+00:00" offset, as in "2024-04-11T08:31:08+00:00".
// Fractions of a second are dropped, not rounded.
func FormatTime(t time.Time) string {
	return t.UTC().Format(timeLayout)
}

// ParseTime parses a date-time as Lyra accepts it in requests (effectDate,
// expirationDate, installmentOptions.schedules[].date, …): ISO-8601 with a
// numeric offset or "Z", seconds and their fraction optional, as in
// "2025-04-01T00:00:00+02:00". The result keeps the offset it was given,
// because a date such as an effectDate means a day in the merchant's time
// zone.
func ParseTime(s string) (time.Time, error) {
	// time.RFC3339 also accepts a fraction of a second after the seconds.
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00"} {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		// FormatTime writes four-digit UTC years only.
		if y := t.UTC().Year(); y < 0 || y > 9999 {
			return time.Time{}, fmt.Errorf("v4: %q is out of range", s)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("v4: %q is not an ISO-8601 date-time with an offset", s)
}

// Time is a date-time field of a Lyra object. It encodes with FormatTime
// and decodes with ParseTime; a nullable date is a *Time.
type Time struct{ time.Time }

// MarshalJSON encodes t as Lyra does.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(`"` + FormatTime(t.Time) + `"`), nil
}

// UnmarshalJSON decodes a date-time string; null leaves t unchanged, as
// encoding/json does for other types.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	parsed, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.Time = parsed
	return nil
}
