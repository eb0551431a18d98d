package main

import (
	"context"
	"log/slog"
	"time"

	"guichet/internal/core"

	"github.com/prometheus/client_golang/prometheus"
)

// backlogCollector reports the due work at each scrape, from the store: the
// same figures on every instance sharing it.
type backlogCollector struct {
	svc      *core.Service
	log      *slog.Logger
	due, age *prometheus.Desc
}

func newBacklogCollector(svc *core.Service, log *slog.Logger) *backlogCollector {
	return &backlogCollector{svc: svc, log: log,
		due: prometheus.NewDesc("guichet_jobs_due",
			"Jobs due on their shop's clock and waiting to run, by kind (deliver: notifications); those under way are not counted.",
			[]string{"kind"}, nil),
		age: prometheus.NewDesc("guichet_jobs_oldest_due_age_seconds",
			"How long ago the earliest due job of each kind fell due, on its shop's clock (0 when none is due).",
			[]string{"kind"}, nil),
	}
}

func (c *backlogCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.due; ch <- c.age }

func (c *backlogCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	list, err := c.svc.Backlog(ctx)
	if err != nil {
		c.log.Warn("metrics: job backlog", "err", err)
		return
	}
	for _, b := range list {
		ch <- prometheus.MustNewConstMetric(c.due, prometheus.GaugeValue, float64(b.Due), b.Kind)
		ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, b.OldestAge.Seconds(), b.Kind)
	}
}
