package main

import (
	"io"
	"testing"
	"time"

	"guichet/internal/core"
)

func TestRetentionConfig(t *testing.T) {
	const day = 24 * time.Hour
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
		want core.ExchangeRetention
		err  bool
	}{
		{"defaults", nil, nil, core.ExchangeRetention{MaxAge: 30 * day, MaxBytes: 256 << 20}, false},
		{"flags", []string{"-exchange-max-age", "7d", "-exchange-max-bytes", "1GiB"}, nil, core.ExchangeRetention{MaxAge: 7 * day, MaxBytes: 1 << 30}, false},
		{"environment", nil, map[string]string{"GUICHET_EXCHANGE_MAX_AGE": "36h", "GUICHET_EXCHANGE_MAX_BYTES": "500MB"},
			core.ExchangeRetention{MaxAge: 36 * time.Hour, MaxBytes: 500e6}, false},
		{"flags over environment", []string{"-exchange-max-bytes", "1048576"}, map[string]string{"GUICHET_EXCHANGE_MAX_BYTES": "5MiB"},
			core.ExchangeRetention{MaxAge: 30 * day, MaxBytes: 1 << 20}, false},
		{"no limits", []string{"-exchange-max-age", "0", "-exchange-max-bytes", "0"}, nil, core.ExchangeRetention{}, false},
		{"bad age", []string{"-exchange-max-age", "a month"}, nil, core.ExchangeRetention{}, true},
		{"negative age", []string{"-exchange-max-age", "-1h"}, nil, core.ExchangeRetention{}, true},
		{"longest age", []string{"-exchange-max-age", "106751d"}, nil, core.ExchangeRetention{MaxAge: 106751 * day, MaxBytes: 256 << 20}, false},
		// Beyond what a duration holds, the age would wrap around to 25
		// minutes, or to a negative one.
		{"age too long", []string{"-exchange-max-age", "213504d"}, nil, core.ExchangeRetention{}, true},
		{"age far too long", []string{"-exchange-max-age", "200000d"}, nil, core.ExchangeRetention{}, true},
		{"bad size", []string{"-exchange-max-bytes", "lots"}, nil, core.ExchangeRetention{}, true},
		{"bad environment", nil, map[string]string{"GUICHET_EXCHANGE_MAX_BYTES": "-1"}, core.ExchangeRetention{}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			if (err != nil) != tt.err {
				t.Fatalf("parseConfig: %v, want an error: %v", err, tt.err)
			}
			if err == nil && c.retention != tt.want {
				t.Errorf("retention %+v, want %+v", c.retention, tt.want)
			}
		})
	}
}

// TestClaimAgeConfig: how long used request keys are kept, from the flag
// or the environment; 30 days by default.
func TestClaimAgeConfig(t *testing.T) {
	day := 24 * time.Hour
	for _, tt := range []struct {
		args []string
		env  map[string]string
		want time.Duration
		err  bool
	}{
		{nil, nil, 30 * day, false},
		{[]string{"-claim-max-age", "7d"}, nil, 7 * day, false},
		{nil, map[string]string{"GUICHET_CLAIM_MAX_AGE": "48h"}, 48 * time.Hour, false},
		{[]string{"-claim-max-age", "0"}, nil, 0, false},
		{[]string{"-claim-max-age", "soon"}, nil, 0, true},
	} {
		c, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
		if (err != nil) != tt.err || err == nil && c.claimAge != tt.want {
			t.Errorf("%v %v: claim age %v, %v; want %v (error %v)", tt.args, tt.env, c.claimAge, err, tt.want, tt.err)
		}
	}
}
