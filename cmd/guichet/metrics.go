package main

import (
	"context"
	"log/slog"
	"time"

	"guichet"
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

// observer turns what the core reports into the metrics an operator
// alerts on: authorizations by front and outcome, and the latency of the
// acquirer.
type observer struct {
	authorizations *prometheus.CounterVec
	acquirer       *prometheus.HistogramVec
}

func newObserver() *observer {
	return &observer{
		authorizations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_authorizations_total",
			Help: "Authorizations by front and result: approved, refused (by the issuer), failed (no answer from the acquirer, or none recorded).",
		}, []string{"front", "result"}),
		acquirer: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "guichet_acquirer_seconds",
			Help:    "Latency of acquirer calls, by operation and outcome (ok, or error when the acquirer did not answer).",
			Buckets: []float64{.001, .005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"kind", "outcome"}),
	}
}

func (o *observer) Authorized(front, result string) {
	o.authorizations.WithLabelValues(front, result).Inc()
}

func (o *observer) AcquirerCalled(kind guichet.OperationKind, took time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	o.acquirer.WithLabelValues(string(kind), outcome).Observe(took.Seconds())
}

func (o *observer) collectors() []prometheus.Collector {
	return []prometheus.Collector{o.authorizations, o.acquirer}
}

// exchangeLogCollector reports the size of the exchange log as the last
// purge (every minute) found it.
type exchangeLogCollector struct {
	svc          *core.Service
	bytes, count *prometheus.Desc
}

func newExchangeLogCollector(svc *core.Service) *exchangeLogCollector {
	return &exchangeLogCollector{svc: svc,
		bytes: prometheus.NewDesc("guichet_exchange_log_bytes",
			"Size of the exchange log, as its retention counts it (text plus 64 bytes each), at the last purge.", nil, nil),
		count: prometheus.NewDesc("guichet_exchange_log_exchanges", "Exchanges in the exchange log at the last purge.", nil, nil),
	}
}

func (c *exchangeLogCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.bytes; ch <- c.count }

func (c *exchangeLogCollector) Collect(ch chan<- prometheus.Metric) {
	size, ok := c.svc.ExchangeLogSize()
	if !ok {
		return
	}
	ch <- prometheus.MustNewConstMetric(c.bytes, prometheus.GaugeValue, float64(size.Bytes))
	ch <- prometheus.MustNewConstMetric(c.count, prometheus.GaugeValue, float64(size.Count))
}
