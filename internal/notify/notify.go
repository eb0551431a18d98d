// Package notify sends merchants the notifications the core prepared: one
// HTTP request per attempt, with a timeout, without following redirects
// (a redirect is not an acknowledgement), and reports what happened.
package notify

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"time"

	"guichet"
)

// Sender sends deliveries over HTTP.
type Sender struct {
	client  *http.Client
	timeout time.Duration
}

// New returns a Sender whose every attempt is bounded by timeout.
func New(timeout time.Duration) *Sender {
	return &Sender{
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
		timeout: timeout,
	}
}

// Send makes one attempt. The status code is 0 when no answer came.
func (s *Sender) Send(ctx context.Context, d *guichet.Delivery) guichet.Attempt {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	a := guichet.Attempt{DeliveryID: d.ID}
	var body io.Reader
	if len(d.Body) > 0 {
		body = bytes.NewReader(d.Body)
	}
	req, err := http.NewRequestWithContext(ctx, d.Method, d.URL, body)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	if d.ContentType != "" {
		req.Header.Set("Content-Type", d.ContentType)
	}
	req.Header.Set("User-Agent", "guichet-notify/1")
	resp, err := s.client.Do(req)
	a.Duration = time.Since(start)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	// Read a little of the answer so the connection can be reused; what
	// merchants answer is of no interest beyond its status.
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	a.StatusCode = resp.StatusCode
	return a
}
