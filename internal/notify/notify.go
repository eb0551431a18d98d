// Package notify sends merchants the notifications the core prepared: one
// HTTP request per attempt, with a timeout, without following redirects
// (a redirect is not an acknowledgement), and reports what happened.
//
// What it reports is read by merchants in the delivery log, so a failed
// attempt says only what kind of failure it was ("timeout", "connection
// failed", "destination not allowed"), never the text of the error, which
// may tell about the network guichet runs in. The details go to the log,
// at debug level.
package notify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet"

	"github.com/prometheus/client_golang/prometheus"
)

// The errors an attempt reports.
const (
	ErrNotAllowed = "destination not allowed"
	ErrTimeout    = "timeout"
	ErrConnection = "connection failed"
	ErrInvalidURL = "invalid URL"
	ErrCancelled  = "cancelled"
)

// maxDrain bounds what is read of an answer, the excerpt included: a
// connection is reused after an answer read to its end, and an answer longer
// than this is cut off by closing the connection rather than read whole.
const maxDrain = 64 << 10

// outcomes are the values of the outcome label of the attempts counter.
var outcomes = []string{"delivered", "http_error", "timeout", "connection_failed", "not_allowed", "invalid_url", "cancelled"}

// Sender sends deliveries over HTTP.
type Sender struct {
	// open may connect anywhere; public only to public addresses. Each
	// has its own transport, so that a connection one of them opened is
	// never reused by the other.
	open, public *http.Client
	timeout      time.Duration
	log          *slog.Logger
	attempts     *prometheus.CounterVec
}

// New returns a Sender whose every attempt is bounded by timeout (the
// context of Send may bound it further).
func New(timeout time.Duration) *Sender {
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	s := &Sender{
		open:    &http.Client{CheckRedirect: noRedirect, Transport: transport(nil)},
		public:  &http.Client{CheckRedirect: noRedirect, Transport: transport(checkDial)},
		timeout: timeout,
		log:     slog.New(slog.DiscardHandler),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_notification_attempts_total",
			Help: "Notification attempts made by this instance, by outcome: delivered (2xx), http_error (another status), timeout, connection_failed, not_allowed (a non-public address refused), invalid_url, cancelled (the instance stopping).",
		}, []string{"outcome"}),
	}
	for _, o := range outcomes {
		s.attempts.WithLabelValues(o)
	}
	return s
}

// SetLog sets where the details of failed attempts go, at debug level.
func (s *Sender) SetLog(log *slog.Logger) { s.log = log }

// Collectors are the Sender's metrics, for a registry.
func (s *Sender) Collectors() []prometheus.Collector { return []prometheus.Collector{s.attempts} }

// transport is a transport of its own, without a proxy: a proxy would make
// the dial-time check see the proxy's address instead of the merchant's.
func transport(control func(network, address string, c rawConn) error) *http.Transport {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	if control != nil {
		d.ControlContext = func(_ context.Context, network, address string, c rawConn) error {
			return control(network, address, c)
		}
	}
	return &http.Transport{
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// Send makes one attempt. The status code is 0 when no answer came. With
// publicOnly, the connection is refused unless the address dialed, once
// the name is resolved, is a public one.
func (s *Sender) Send(ctx context.Context, d *guichet.Delivery, publicOnly bool) guichet.Attempt {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	a := guichet.Attempt{DeliveryID: d.ID}
	fail := func(msg, outcome string, err error) guichet.Attempt {
		a.Duration, a.Error = time.Since(start), msg
		s.attempts.WithLabelValues(outcome).Inc()
		s.log.Debug("notification attempt failed", "delivery", d.ID, "destination", host(d.URL), "outcome", outcome, "err", err)
		return a
	}
	u, err := url.Parse(d.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fail(ErrInvalidURL, "invalid_url", err)
	}
	var body io.Reader
	if len(d.Body) > 0 {
		body = bytes.NewReader(d.Body)
	}
	req, err := http.NewRequestWithContext(ctx, d.Method, d.URL, body)
	if err != nil {
		return fail(ErrInvalidURL, "invalid_url", err)
	}
	if d.ContentType != "" {
		req.Header.Set("Content-Type", d.ContentType)
	}
	req.Header.Set("User-Agent", "guichet-notify/1")
	client := s.open
	if publicOnly {
		client = s.public
	}
	resp, err := client.Do(req)
	if err != nil {
		msg, outcome := classify(ctx, err)
		return fail(msg, outcome, err)
	}
	// The beginning of the answer is kept for the merchant to read in the
	// delivery log, which tells why a notification was refused better
	// than a status does. Reading a little past what is kept lets a card
	// number the cut goes through be masked whole (guichet.AnswerExcerpt).
	// A failed read keeps what came before it: the status came anyway.
	head := make([]byte, guichet.MaxAnswer+guichet.AnswerLookahead)
	n, _ := io.ReadFull(resp.Body, head)
	// The rest is read up to a bound, so that the connection can be
	// reused after a short answer without a long one holding the attempt.
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain-int64(n)))
	resp.Body.Close()
	a.Duration, a.StatusCode = time.Since(start), resp.StatusCode
	a.Answer = guichet.AnswerExcerpt(string(head[:n]))
	outcome := "http_error"
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		outcome = "delivered"
	}
	s.attempts.WithLabelValues(outcome).Inc()
	return a
}

// classify turns the error of a request into what the delivery log says.
func classify(ctx context.Context, err error) (msg, outcome string) {
	var ne net.Error
	switch {
	case errors.Is(err, errNotAllowed):
		return ErrNotAllowed, "not_allowed"
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return ErrTimeout, "timeout"
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return ErrCancelled, "cancelled"
	}
	return ErrConnection, "connection_failed"
}

// host is the host and port of a URL, for the log: the rest may hold the
// notification's signed data.
func host(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if p := u.Port(); p != "" {
		return strings.ToLower(u.Hostname()) + ":" + p
	}
	return strings.ToLower(u.Hostname()) + ":" + strconv.Itoa(map[string]int{"http": 80, "https": 443}[u.Scheme])
}
