package main

import (
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"guichet/internal/core"
)

func TestWorkFlags(t *testing.T) {
	def := core.DefaultWorkConfig()
	with := func(f func(*core.WorkConfig)) core.WorkConfig {
		c := def
		f(&c)
		return c
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want core.WorkConfig
		err  string
	}{
		{name: "defaults", want: def},
		{name: "environment", env: map[string]string{"GUICHET_NOTIFY_WORKERS": "8", "GUICHET_NOTIFY_PER_DESTINATION": "2",
			"GUICHET_NOTIFY_TIMEOUT": "3s", "GUICHET_NOTIFY_RETRIES": "10s, 1m", "GUICHET_NOTIFY_PUBLIC_ONLY": "1", "GUICHET_JOB_LEASE": "1m"},
			want: core.WorkConfig{Deliveries: 8, PerDestination: 2, AttemptTimeout: 3 * time.Second,
				Retries: []time.Duration{10 * time.Second, time.Minute}, PublicOnly: true, Lease: time.Minute}},
		{name: "flags before environment", args: []string{"-notify-workers", "16", "-notify-public-only=false"},
			env:  map[string]string{"GUICHET_NOTIFY_WORKERS": "8", "GUICHET_NOTIFY_PUBLIC_ONLY": "true"},
			want: with(func(c *core.WorkConfig) { c.Deliveries = 16 })},
		{name: "bad number", args: []string{"-notify-workers", "many"}, err: "-notify-workers"},
		{name: "no worker", args: []string{"-notify-workers", "0"}, err: "at least 1"},
		{name: "bad retry", args: []string{"-notify-retries", "1m,soon"}, err: "-notify-retries"},
		{name: "negative retry", args: []string{"-notify-retries", "1m,-1m"}, err: "positive"},
		{name: "lease too short", args: []string{"-notify-timeout", "1m", "-job-lease", "90s"}, err: "at least twice"},
		{name: "bad boolean", env: map[string]string{"GUICHET_NOTIFY_PUBLIC_ONLY": "maybe"}, err: "-notify-public-only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.work, tt.want) {
				t.Errorf("config %+v, want %+v", c.work, tt.want)
			}
		})
	}
}
