package notify_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"guichet"
	"guichet/internal/notify"

	"github.com/prometheus/client_golang/prometheus"
)

func TestSend(t *testing.T) {
	release := make(chan struct{})
	var gotBody, gotType string
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/ok":
			b, _ := io.ReadAll(r.Body)
			gotBody, gotType = string(b), r.Header.Get("Content-Type")
		case "/fail":
			w.WriteHeader(http.StatusInternalServerError)
		case "/moved":
			http.Redirect(w, r, "/ok", http.StatusFound)
		case "/slow":
			<-release
		}
	}))
	defer srv.Close()
	defer close(release)
	// A port nothing listens on: a listener opened and closed.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	s := notify.New(200 * time.Millisecond)
	tests := []struct {
		name       string
		url        string
		publicOnly bool
		status     int
		err        string
		reached    bool
	}{
		{"delivered", srv.URL + "/ok", false, 200, "", true},
		{"merchant error", srv.URL + "/fail", false, 500, "", true},
		// A redirect is not an acknowledgement: it is not followed.
		{"redirect", srv.URL + "/moved", false, 302, "", true},
		// No answer within the timeout: no status, a neutral error.
		{"timeout", srv.URL + "/slow", false, 0, notify.ErrTimeout, true},
		{"connection refused", closed + "/ipn", false, 0, notify.ErrConnection, false},
		{"invalid URL", "ftp://example.com/ipn", false, 0, notify.ErrInvalidURL, false},
		{"no host", "http:///ipn", false, 0, notify.ErrInvalidURL, false},
		// Public only: loopback is refused when dialing, whether named by
		// address or by a name that resolves to it.
		{"loopback refused", srv.URL + "/ok", true, 0, notify.ErrNotAllowed, false},
		{"localhost refused", "http://localhost:" + port + "/ok", true, 0, notify.ErrNotAllowed, false},
		{"IPv4-mapped loopback refused", "http://[::ffff:127.0.0.1]:" + port + "/ok", true, 0, notify.ErrNotAllowed, false},
		{"unspecified refused", "http://0.0.0.0:" + port + "/ok", true, 0, notify.ErrNotAllowed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := hits.Load()
			d := &guichet.Delivery{ID: "d1", Method: "POST", URL: tt.url, ContentType: "application/x-www-form-urlencoded", Body: []byte("Mt=100&Sign=x")}
			a := s.Send(context.Background(), d, tt.publicOnly)
			if a.StatusCode != tt.status || a.Error != tt.err || a.DeliveryID != "d1" {
				t.Errorf("attempt %+v, want status %d, error %q", a, tt.status, tt.err)
			}
			if a.StatusCode == 0 && a.Answer != "" {
				t.Errorf("attempt without an answer has answer %q", a.Answer)
			}
			if reached := hits.Load() > before; reached != tt.reached {
				t.Errorf("merchant reached: %v, want %v", reached, tt.reached)
			}
		})
	}
	if gotBody != "Mt=100&Sign=x" || gotType != "application/x-www-form-urlencoded" {
		t.Errorf("merchant received %q (%s)", gotBody, gotType)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(s.Collectors()...)
	// Every attempt is counted by its outcome.
	for outcome, want := range map[string]float64{"delivered": 1, "http_error": 2, "timeout": 1, "connection_failed": 1,
		"invalid_url": 2, "not_allowed": 4, "cancelled": 0} {
		if v := counterValue(t, reg, outcome); v != want {
			t.Errorf("attempts with outcome %s: %v, want %v", outcome, v, want)
		}
	}
}

// TestSendAnswer checks the excerpt of the merchant's answer an attempt
// keeps: the beginning of the body, cut between two characters, valid
// UTF-8, card numbers masked even where the cut goes through one.
func TestSendAnswer(t *testing.T) {
	pad := func(n int) string { return strings.Repeat("a", n) }
	bodies := map[string]string{
		"/known": "ERROR: unknown order ref-42",
		"/empty": "",
		"/exact": pad(guichet.MaxAnswer),
		"/long":  pad(guichet.MaxAnswer-10) + "0123456789" + strings.Repeat("b", 10000),
		// "é" takes the bytes 255 and 256: it is left out whole.
		"/utf8":    pad(guichet.MaxAnswer-1) + "é" + "tail",
		"/invalid": "bad \xff\xfe byte \x00 nul",
		"/card":    `{"error":"card 4111111111111111 refused"}`,
		// Card numbers that the cut goes through: the digits kept must be
		// masked as they would be were the number whole. Cut first, the
		// twelve digits left would not be found.
		"/card-cut":       pad(guichet.MaxAnswer-12) + "5555555555554444 more",
		"/card-cut-space": pad(guichet.MaxAnswer-10) + "4111 1111 1111 1111 more",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, bodies[r.URL.Path])
	}))
	defer srv.Close()
	s := notify.New(5 * time.Second)
	tests := []struct{ path, want string }{
		{"/known", "ERROR: unknown order ref-42"},
		{"/empty", ""},
		{"/exact", pad(guichet.MaxAnswer)},
		{"/long", pad(guichet.MaxAnswer-10) + "0123456789"},
		{"/utf8", pad(guichet.MaxAnswer - 1)},
		{"/invalid", "bad \uFFFD byte \uFFFD nul"},
		{"/card", `{"error":"card 411111XXXXXX1111 refused"}`},
		{"/card-cut", pad(guichet.MaxAnswer-12) + "555555XXXXXX"},
		{"/card-cut-space", pad(guichet.MaxAnswer-10) + "4111 11XX "},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			a := s.Send(t.Context(), &guichet.Delivery{ID: "d1", Method: "POST", URL: srv.URL + tt.path}, false)
			if a.StatusCode != http.StatusBadRequest || a.Error != "" {
				t.Fatalf("attempt %+v, want status 400 without error", a)
			}
			if a.Answer != tt.want {
				t.Errorf("answer %q (%d bytes),\nwant %q (%d bytes)", a.Answer, len(a.Answer), tt.want, len(tt.want))
			}
			if len(a.Answer) > guichet.MaxAnswer {
				t.Errorf("answer of %d bytes, more than %d", len(a.Answer), guichet.MaxAnswer)
			}
			// The core applies AnswerExcerpt again: it must change nothing.
			if again := guichet.AnswerExcerpt(a.Answer); again != a.Answer {
				t.Errorf("AnswerExcerpt of the answer changed it to %q", again)
			}
		})
	}
}

// TestSendAnswerBounded checks that an answer is read up to a bound: an
// endless body does not hold the attempt until its timeout, and a body that
// stalls keeps what came before.
func TestSendAnswerBounded(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/endless":
			chunk := []byte(strings.Repeat("x", 4096))
			for {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case "/stall":
			io.WriteString(w, "partial")
			w.(http.Flusher).Flush()
			<-release
		}
	}))
	defer srv.Close()
	defer close(release)
	const timeout = 3 * time.Second
	s := notify.New(timeout)

	start := time.Now()
	a := s.Send(t.Context(), &guichet.Delivery{ID: "d1", Method: "GET", URL: srv.URL + "/endless"}, false)
	if elapsed := time.Since(start); elapsed > timeout/2 {
		t.Errorf("an endless answer held the attempt %v", elapsed)
	}
	if a.StatusCode != 200 || a.Error != "" || a.Answer != strings.Repeat("x", guichet.MaxAnswer) {
		t.Errorf("endless answer: attempt %+v", a)
	}

	s = notify.New(200 * time.Millisecond)
	a = s.Send(t.Context(), &guichet.Delivery{ID: "d1", Method: "GET", URL: srv.URL + "/stall"}, false)
	if a.StatusCode != 200 || a.Answer != "partial" {
		t.Errorf("stalled answer: attempt %+v", a)
	}
}

func counterValue(t *testing.T, reg *prometheus.Registry, outcome string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "outcome" && l.GetValue() == outcome {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Errorf("no series for outcome %s", outcome)
	return -1
}

func TestPublic(t *testing.T) {
	tests := []struct {
		addr   string
		public bool
	}{
		{"93.184.215.14", true},
		{"8.8.8.8", true},
		{"2606:4700::6810:84e5", true},
		{"127.0.0.1", false},
		{"127.1.2.3", false},
		{"::1", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"172.32.0.1", true},
		{"192.168.1.1", false},
		{"169.254.169.254", false}, // cloud metadata services
		{"fe80::1", false},
		{"fe80::1%eth0", false},
		{"fc00::1", false},
		{"fd12:3456::1", false},
		{"0.0.0.0", false},
		{"::", false},
		{"0.1.2.3", false},
		{"100.64.0.1", false},
		{"100.127.255.255", false},
		{"100.128.0.1", true},
		{"192.0.0.8", false},
		{"192.0.2.1", false},
		{"198.18.0.1", false},
		{"198.51.100.1", false},
		{"203.0.113.1", false},
		{"224.0.0.1", false},
		{"239.255.255.250", false},
		{"240.0.0.1", false},
		{"255.255.255.255", false},
		{"ff02::1", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:8.8.8.8", true},
		{"::127.0.0.1", false}, // IPv4-compatible, deprecated
		{"64:ff9b::7f00:1", false},
		{"64:ff9b::808:808", true},
		{"2002:7f00:1::1", false},
		{"2002:808:808::1", true},
		{"2001:db8::1", false},
		{"2001::1", false}, // Teredo
		{"3fff::1", false},
		{"100::1", false},
	}
	for _, tt := range tests {
		if got := notify.Public(netip.MustParseAddr(tt.addr)); got != tt.public {
			t.Errorf("Public(%s) = %v, want %v", tt.addr, got, tt.public)
		}
	}
}

// TestNeutralErrors checks that the attempt never carries the text of the
// error behind it, which names addresses and system calls.
func TestNeutralErrors(t *testing.T) {
	s := notify.New(time.Second)
	for _, u := range []string{"http://127.0.0.1:1/ipn", "http://no-such-host.invalid/ipn"} {
		for _, publicOnly := range []bool{false, true} {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			a := s.Send(ctx, &guichet.Delivery{Method: "GET", URL: u}, publicOnly)
			cancel()
			switch a.Error {
			case notify.ErrConnection, notify.ErrNotAllowed, notify.ErrTimeout:
			default:
				t.Errorf("%s (public only %v): error %q", u, publicOnly, a.Error)
			}
			if strings.Contains(a.Error, "127.0.0.1") || strings.Contains(a.Error, "dial") {
				t.Errorf("%s: internal error text leaked: %q", u, a.Error)
			}
		}
	}
}
