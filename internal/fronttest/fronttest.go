// Package fronttest starts a front for its tests as guichet serve does: on
// a real store (SQLite, and PostgreSQL when GUICHET_TEST_POSTGRES names a
// server), the core with the simulated acquirer and a real notification
// sender, the checkout pages, the front's demo shops, and an HTTP server,
// under a clock the test moves. Only tests import it.
package fronttest

import (
	"bytes"
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/checkout"
	"guichet/internal/core"
	"guichet/internal/front"
	"guichet/internal/notify"
	"guichet/internal/sim"
	"guichet/internal/store/postgres"
	"guichet/internal/store/postgres/pgtest"
	"guichet/internal/store/sqlite"
	"guichet/internal/vault"
)

// Start is when the tests' clocks start: a Monday morning.
var Start = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// Clock is a clock the test sets. With Tick, each reading moves it on, as
// a real clock moves between two readings.
type Clock struct {
	mu   sync.Mutex
	t    time.Time
	Tick time.Duration
}

// NewClock returns a clock set at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.Tick)
	return c.t
}

// Add moves the clock.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Gateway is a front served for a test.
type Gateway struct {
	URL   string
	Svc   *core.Service
	Clock *Clock
	Front front.Front
}

// SQLite opens a fresh SQLite store for t.
func SQLite(t testing.TB) guichet.Store {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "guichet.db"))
	if err != nil {
		t.Fatal(err)
	}
	return store
}

// Stores runs a test on SQLite, and on PostgreSQL when
// GUICHET_TEST_POSTGRES names a server (a database of its own).
func Stores(t *testing.T, test func(t *testing.T, store guichet.Store)) {
	t.Run("sqlite", func(t *testing.T) { test(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		store, err := postgres.Open(context.Background(), pgtest.URL(t))
		if err != nil {
			t.Fatal(err)
		}
		test(t, store)
	})
}

// Serve starts the front build makes on store, with its demo shops, and
// returns it served over HTTP. The store is closed when the test ends.
func Serve(t testing.TB, store guichet.Store, build front.New, clk *Clock) *Gateway {
	t.Helper()
	ctx := context.Background()
	t.Cleanup(func() { store.Close() })
	v, err := vault.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := core.New(store, sim.New(clk.Now), v, clk, log)
	svc.SetSender(notify.New(5 * time.Second))
	pages, err := checkout.New()
	if err != nil {
		t.Fatal(err)
	}
	f, err := build(ctx, front.Deps{Service: svc, Log: log, Pages: pages, Data: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	front.Plug(svc, f)
	err = store.Update(ctx, func(tx guichet.Tx) error {
		for _, s := range f.Demo(clk.Now()) {
			if err := tx.PutShop(&s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	f.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &Gateway{URL: srv.URL, Svc: svc, Clock: clk, Front: f}
}

// NoRedirects is a client that follows no redirect: a test checks where
// a page sends the browser rather than going there.
func NoRedirects() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Merchant is a merchant's web server for a test: it keeps the requests
// it receives, notifications and returns alike, and answers them 200
// "OK", or 500 to as many as Fail says first.
type Merchant struct {
	*httptest.Server
	mu   sync.Mutex
	got  []received
	fail int
}

// received is what a test reads of a request: its method, its path, and
// its values (the query of a GET, the form of a POST).
type received struct {
	method, path string
	values       url.Values
}

// NewMerchant starts a merchant's server, closed when the test ends.
func NewMerchant(t testing.TB) *Merchant {
	m := &Merchant{}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values := r.URL.Query()
		if r.Method == http.MethodPost {
			r.ParseForm()
			values = r.PostForm
		}
		m.mu.Lock()
		m.got = append(m.got, received{r.Method, r.URL.Path, values})
		failing := m.fail > 0
		m.fail--
		m.mu.Unlock()
		if failing {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		// A body, as most merchants' servers answer one, which the
		// delivery log keeps the beginning of.
		io.WriteString(w, "OK")
	}))
	t.Cleanup(m.Close)
	return m
}

// Fail has the server answer 500 to the next n requests.
func (m *Merchant) Fail(n int) {
	m.mu.Lock()
	m.fail = n
	m.mu.Unlock()
}

// Received returns the values of the requests received with method, on
// path or, with "", on any path, in the order they came.
func (m *Merchant) Received(method, path string) []url.Values {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []url.Values
	for _, r := range m.got {
		if r.method == method && (path == "" || r.path == path) {
			out = append(out, r.values)
		}
	}
	return out
}

// Page is what a test's browser got: the status, the body and the headers
// of an answer.
type Page struct {
	Status int
	Body   string
	Header http.Header
}

// hiddenInput finds a page's hidden inputs, whatever the order of their
// other attributes before the name and the value.
var hiddenInput = regexp.MustCompile(`<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"`)

// Hidden returns the values of the page's hidden inputs, unescaped: what
// the page's forms send back.
func (p Page) Hidden() url.Values {
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(p.Body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}

// Get fetches a page with client, which a test usually makes with
// NoRedirects.
func Get(t testing.TB, client *http.Client, u string) Page {
	t.Helper()
	resp, err := client.Get(u)
	return readPage(t, resp, err)
}

// Post posts a form to a page with client.
func Post(t testing.TB, client *http.Client, u string, form url.Values) Page {
	t.Helper()
	resp, err := client.PostForm(u, form)
	return readPage(t, resp, err)
}

func readPage(t testing.TB, resp *http.Response, err error) Page {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Page{resp.StatusCode, string(b), resp.Header}
}
