package main

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// ageValue is a flag holding the maximum age of the exchange log: a Go
// duration ("720h") or a number of days ("30d"); 0 keeps exchanges
// whatever their age.
type ageValue time.Duration

func (v *ageValue) String() string {
	d := time.Duration(*v)
	if d > 0 && d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	return d.String()
}

func (v *ageValue) Set(s string) error {
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseInt(days, 10, 32)
		// A time.Duration holds about 106,751 days; more would wrap
		// around to a short or a negative age.
		if err != nil || n < 0 || n > int64(math.MaxInt64/(24*time.Hour)) {
			return errors.New("want a number of days such as 30d (at most 106751d), or a duration such as 720h")
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil || d < 0 {
			return errors.New("want a number of days such as 30d, or a duration such as 720h")
		}
	}
	*v = ageValue(d)
	return nil
}

// sizeValue is a flag holding the maximum size of the exchange log: bytes,
// or a number with a unit (KiB, MiB, GiB; KB, MB, GB); 0 sets no limit.
type sizeValue int64

var sizeUnits = []struct {
	suffix string
	bytes  int64
}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}

func (v *sizeValue) String() string {
	n := int64(*v)
	for _, u := range sizeUnits[:3] {
		if n >= u.bytes && n%u.bytes == 0 && (n/u.bytes < 1024 || u.suffix == "GiB") {
			return strconv.FormatInt(n/u.bytes, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

func (v *sizeValue) Set(s string) error {
	unit := int64(1)
	for _, u := range sizeUnits {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, unit = strings.TrimSpace(rest), u.bytes
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/unit {
		return errors.New("want a size such as 256MiB, or a number of bytes")
	}
	*v = sizeValue(n * unit)
	return nil
}
