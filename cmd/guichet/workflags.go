package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"guichet/internal/core"
)

// workFlags declares the flags that say how due work runs, each defaulting
// to its GUICHET_* variable, then to core.DefaultWorkConfig; the function
// returned reads them once the flags are parsed.
func workFlags(fs *flag.FlagSet, getenv func(string) string) func() (core.WorkConfig, error) {
	def := core.DefaultWorkConfig()
	retries := make([]string, len(def.Retries))
	for i, d := range def.Retries {
		retries[i] = shortDuration(d)
	}
	workers := fs.String("notify-workers", envOr(getenv, "GUICHET_NOTIFY_WORKERS", strconv.Itoa(def.Deliveries)),
		"notification attempts this instance makes at once")
	perDest := fs.String("notify-per-destination", envOr(getenv, "GUICHET_NOTIFY_PER_DESTINATION", strconv.Itoa(def.PerDestination)),
		"notification attempts at once to one destination (scheme, host and port)")
	timeout := fs.String("notify-timeout", envOr(getenv, "GUICHET_NOTIFY_TIMEOUT", shortDuration(def.AttemptTimeout)),
		"time a notification attempt may take")
	retry := fs.String("notify-retries", envOr(getenv, "GUICHET_NOTIFY_RETRIES", strings.Join(retries, ",")),
		"delays before each new attempt after a failed one, comma-separated; the last one repeats")
	publicOnly := fs.String("notify-public-only", envOr(getenv, "GUICHET_NOTIFY_PUBLIC_ONLY", "false"),
		"refuse TEST shops' notifications to loopback, private and other special addresses too, as PRODUCTION shops' always are")
	lease := fs.String("job-lease", envOr(getenv, "GUICHET_JOB_LEASE", shortDuration(def.Lease)),
		"how long a job an instance took stays hidden from the others (at least twice -notify-timeout)")
	return func() (core.WorkConfig, error) {
		c := def
		var err error
		fail := func(name string, e error) (core.WorkConfig, error) {
			return core.WorkConfig{}, fmt.Errorf("-%s: %w", name, e)
		}
		if c.Deliveries, err = strconv.Atoi(*workers); err != nil {
			return fail("notify-workers", err)
		}
		if c.PerDestination, err = strconv.Atoi(*perDest); err != nil {
			return fail("notify-per-destination", err)
		}
		if c.AttemptTimeout, err = time.ParseDuration(*timeout); err != nil {
			return fail("notify-timeout", err)
		}
		c.Retries = nil
		for _, s := range strings.Split(*retry, ",") {
			d, err := time.ParseDuration(strings.TrimSpace(s))
			if err != nil {
				return fail("notify-retries", err)
			}
			c.Retries = append(c.Retries, d)
		}
		if c.PublicOnly, err = strconv.ParseBool(*publicOnly); err != nil {
			return fail("notify-public-only", err)
		}
		if c.Lease, err = time.ParseDuration(*lease); err != nil {
			return fail("job-lease", err)
		}
		if err := c.Check(); err != nil {
			return core.WorkConfig{}, err
		}
		return c, nil
	}
}

// shortDuration writes a duration as one would type it: 1m, 2h, 10s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
