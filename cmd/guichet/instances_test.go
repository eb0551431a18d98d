package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/sim"
	"guichet/internal/store/postgres"
	"guichet/internal/store/postgres/pgtest"
	"guichet/internal/vault"
)

// aheadClock is real time an hour ahead.
type aheadClock struct{}

func (aheadClock) Now() time.Time { return time.Now().Add(time.Hour) }

// countingMerchant counts the notifications it receives by reference (one
// notification per order, so the reference names the notification). Its
// first requests wait at a gate until the test opens it, so that the test
// sees both instances sending at once before anything is delivered.
type countingMerchant struct {
	*httptest.Server
	gateSize int
	arrived  chan struct{}
	gate     chan struct{}
	opened   sync.Once

	mu       sync.Mutex
	total    int
	bodies   map[string][]string
	early    []string // references received twice before the kill
	killed   bool
	reached  map[int]chan struct{}
	distinct int
	all      chan struct{}
	want     int
}

func newCountingMerchant(t *testing.T, want, gateSize int, thresholds ...int) *countingMerchant {
	m := &countingMerchant{gateSize: gateSize, arrived: make(chan struct{}, gateSize), gate: make(chan struct{}),
		bodies: map[string][]string{}, reached: map[int]chan struct{}{}, all: make(chan struct{}), want: want}
	for _, n := range thresholds {
		m.reached[n] = make(chan struct{})
	}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ref := r.URL.Query().Get("ref")
		m.mu.Lock()
		gated := m.total < m.gateSize
		m.total++
		if c, ok := m.reached[m.total]; ok {
			close(c)
		}
		if len(m.bodies[ref]) > 0 && !m.killed {
			m.early = append(m.early, ref)
		}
		if len(m.bodies[ref]) == 0 {
			if m.distinct++; m.distinct == m.want {
				close(m.all)
			}
		}
		m.bodies[ref] = append(m.bodies[ref], string(body))
		m.mu.Unlock()
		if gated {
			m.arrived <- struct{}{}
			<-m.gate
		}
	}))
	t.Cleanup(m.Close)
	// Cleanups run last registered first: a test that fails with requests
	// at the gate lets them go before the server waits for them.
	t.Cleanup(m.open)
	return m
}

func (m *countingMerchant) open() { m.opened.Do(func() { close(m.gate) }) }

// TestInstancesShareNotifications runs two instances on one PostgreSQL
// database with 1,000 notifications due to one merchant: both deliver at
// once without ever taking the same one, and when one is killed (SIGKILL)
// midway, the other delivers the rest, including those the dead one had
// taken, once their leases end. Only the attempts under way at the kill
// (at most the per-destination limit of the dead instance) may reach the
// merchant twice, with the same content.
func TestInstancesShareNotifications(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	url := pgtest.URL(t)
	bin := filepath.Join(t.TempDir(), "guichet")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const n, perDest, killAt = 1000, 4, 300
	// Each instance sends at most perDest at once to the merchant, so a
	// gate holding 2*perDest requests opens only once both send.
	m := newCountingMerchant(t, n, 2*perDest, killAt)

	// The notifications are written through the core, as payments write
	// them, dated an hour ahead: not due for the instances until the
	// shop's clock is moved.
	ctx := t.Context()
	store, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	v, _ := vault.New(bytes.Repeat([]byte{0xab}, 32)) // the instances' GUICHET_MASTER_KEY
	svc := core.New(store, sim.New(aheadClock{}.Now), v, aheadClock{}, slog.New(slog.DiscardHandler))
	// The orders are Paybox System's, a protocol the instances serve, so that they
	// start; their notifications are written here, the instances send them.
	svc.RegisterNotifier("paybox-system", func(n core.Notice) ([]guichet.Delivery, error) {
		o := n.Order
		return []guichet.Delivery{{Method: "POST", URL: m.URL + "/ipn?ref=" + o.Reference, ContentType: "text/plain",
			Body: fmt.Appendf(nil, "ref=%s&event=%s&transaction=%d", o.Reference, n.Event.ID, n.Transaction.Number)}}, nil
	})
	shop := &guichet.Shop{ID: "multi", Name: "multi", Mode: guichet.ModeTest}
	if err := svc.PutShop(ctx, shop); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				ref := fmt.Sprintf("n%04d", i)
				o := &guichet.Order{ID: "ord_" + ref, Protocol: "paybox-system", Reference: ref, Amount: guichet.Money{Amount: 100, Currency: "EUR"}}
				if _, err := svc.OpenOrder(ctx, shop, o); err != nil {
					t.Error(err)
					return
				}
				_, _, _, err := svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: o.ID, AuthOnly: true,
					Card: guichet.Card{PAN: testPAN, ExpMonth: 12, ExpYear: 2030, CVV: "123"}})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("%d notifications written in %s", n, time.Since(began).Round(time.Millisecond))

	args := []string{"-data", "", "-db", url, "-no-demo", "-log-level", "debug",
		"-notify-workers", "8", "-notify-per-destination", strconv.Itoa(perDest), "-notify-timeout", "5s", "-job-lease", "10s", "-acquirer-timeout", "5s"}
	env := []string{"GUICHET_MASTER_KEY=" + strings.Repeat("ab", 32)}
	start := func() *instanceProc {
		args[1] = t.TempDir()
		p, err := startInstance(t, bin, env, args...)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b := start(), start()
	defer func() {
		if t.Failed() {
			t.Logf("instance A log:\n%s\ninstance B log:\n%s", a.stderr, b.stderr)
		}
	}()
	defer func() { b.cmd.Process.Signal(syscall.SIGTERM); b.cmd.Wait() }()

	// Go: the shop's clock moves an hour ahead, and every notification is
	// due for both instances.
	shop.ClockOffset = time.Hour
	if err := svc.PutShop(ctx, shop); err != nil {
		t.Fatal(err)
	}
	began = time.Now()
	guard := time.After(45 * time.Second)
	for range 2 * perDest {
		select {
		case <-m.arrived:
		case <-guard:
			t.Fatal("the two instances did not both send")
		}
	}
	// Both instances are sending, perDest each: the others are due and
	// waiting, which both instances report, the store being shared.
	for _, p := range []*instanceProc{a, b} {
		if due := metric(t, p.base, `guichet_jobs_due{kind="deliver"}`); due != n-2*perDest {
			t.Errorf("instance %s reports %v notifications due, want %d", p.base, due, n-2*perDest)
		}
		if age := metric(t, p.base, `guichet_jobs_oldest_due_age_seconds{kind="deliver"}`); age <= 0 {
			t.Errorf("instance %s reports the oldest due notification %vs old", p.base, age)
		}
	}
	m.open()

	select {
	case <-m.reached[killAt]:
	case <-guard:
		t.Fatal("no notification delivered")
	}
	beforeKill := [2]float64{metric(t, a.base, `guichet_notification_attempts_total{outcome="delivered"}`),
		metric(t, b.base, `guichet_notification_attempts_total{outcome="delivered"}`)}
	a.cmd.Process.Signal(syscall.SIGKILL)
	a.cmd.Wait()
	m.mu.Lock()
	m.killed = true
	atKill := m.total
	m.mu.Unlock()

	select {
	case <-m.all:
	case <-guard:
		m.mu.Lock()
		t.Fatalf("%d of %d notifications received", m.distinct, n)
	}
	took := time.Since(began)
	// The survivor records its last attempts just after the merchant
	// answers: wait for the store to show them all, a process apart.
	var pending int
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		err := store.View(ctx, func(tx guichet.Tx) error {
			list, err := tx.Deliveries(guichet.DeliveryFilter{ShopID: shop.ID, Limit: 1000})
			pending = 0
			for _, d := range list {
				if d.Status != guichet.DeliveryDelivered {
					pending++
				}
			}
			if len(list) != n {
				return fmt.Errorf("%d deliveries in the store, want %d", len(list), n)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if pending == 0 || time.Now().After(deadline) {
			break
		}
	}
	if pending > 0 {
		t.Errorf("%d deliveries not recorded as delivered", pending)
	}
	survivor := metric(t, b.base, `guichet_notification_attempts_total{outcome="delivered"}`)

	m.mu.Lock()
	defer m.mu.Unlock()
	dups := 0
	for ref, bodies := range m.bodies {
		dups += len(bodies) - 1
		for _, b := range bodies[1:] {
			if b != bodies[0] {
				t.Errorf("%s received twice with different content: %q, %q", ref, bodies[0], b)
			}
		}
	}
	if len(m.early) > 0 {
		t.Errorf("received twice while both instances ran: %v", m.early)
	}
	if dups > perDest {
		t.Errorf("%d notifications received twice, more than the %d the killed instance could have under way", dups, perDest)
	}
	t.Logf("%d notifications, %d requests received in %s: %d before the kill (instance A had delivered %v, B %v by then), "+
		"B delivered %v in all; %d received twice (under way at the kill)", m.distinct, m.total, took.Round(time.Millisecond),
		atKill, beforeKill[0], beforeKill[1], survivor, dups)
}

// metric reads one sample of an instance's /metrics.
func metric(t *testing.T, base, series string) float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatalf("no %s in the metrics of %s", series, base)
	return 0
}
