package core_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/notify"
	"guichet/internal/sim"
	"guichet/internal/vault"
)

// watched is a store that signals, after each Update, that one happened, so
// that a test can look at what a worker recorded as soon as it did, without
// polling.
type watched struct {
	guichet.Store
	updates chan struct{}
}

func (w *watched) Update(ctx context.Context, fn func(guichet.Tx) error) error {
	err := w.Store.Update(ctx, fn)
	select {
	case w.updates <- struct{}{}:
	default:
	}
	return err
}

// notifying returns a service over store whose orders of protocol "test"
// notify the URL held in their request, with their reference as the body.
func notifying(t *testing.T, store guichet.Store, clk *clock) *core.Service {
	t.Helper()
	v, _ := vault.New(bytes.Repeat([]byte{1}, 32))
	svc := core.New(store, sim.New(clk.Now), v, clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.RegisterNotifier("test", func(n core.Notice) ([]guichet.Delivery, error) {
		o := n.Order
		return []guichet.Delivery{{Method: "POST", URL: string(o.Request), ContentType: "text/plain", Body: []byte(o.Reference)}}, nil
	})
	svc.SetSender(notify.New(time.Hour))
	return svc
}

// pay makes a paid order whose notification goes to url.
func pay(t *testing.T, svc *core.Service, shop *guichet.Shop, ref, url string) {
	t.Helper()
	o := &guichet.Order{ID: "ord_" + ref, Protocol: "test", Reference: ref, Amount: eur(100), Request: []byte(url)}
	if _, err := svc.OpenOrder(t.Context(), shop, o); err != nil {
		t.Fatal(err)
	}
	// An authorization only: one notification per order.
	if _, _, _, err := svc.PayOrder(t.Context(), core.PayRequest{Shop: shop, OrderID: o.ID, Card: testCard, AuthOnly: true}); err != nil {
		t.Fatal(err)
	}
}

// deliveries maps the shop's deliveries by order reference, with their
// attempts.
func deliveries(t *testing.T, store guichet.Store, shopID string) (map[string]guichet.Delivery, map[string][]guichet.Attempt) {
	t.Helper()
	byRef, attempts := map[string]guichet.Delivery{}, map[string][]guichet.Attempt{}
	err := store.View(context.Background(), func(tx guichet.Tx) error {
		list, err := tx.Deliveries(guichet.DeliveryFilter{ShopID: shopID, Limit: 1000})
		if err != nil {
			return err
		}
		for _, d := range list {
			byRef[d.OrderRef] = d
			if attempts[d.OrderRef], err = tx.Attempts(d.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return byRef, attempts
}

// TestSlowMerchantsDelayOnlyThemselves gives 20 merchants whose endpoints
// never answer and a healthy one a notification each, the healthy one's
// last: it is delivered, on its first attempt, while the 20 others still
// wait for their answers, whether the worker delivers them or a clock
// advance does. Then a clock advance waits for the worker's attempts under
// way, which end once the merchants answer.
func TestSlowMerchantsDelayOnlyThemselves(t *testing.T) {
	for _, path := range []string{"worker", "advance clock"} {
		t.Run(path, func(t *testing.T) {
			stores(t, func(t *testing.T, base *core.Service, shop *guichet.Shop, clk *clock) {
				ctx, stop := context.WithCancel(context.Background())
				defer stop()
				release := make(chan struct{})
				var releaseOnce sync.Once
				answer := func() { releaseOnce.Do(func() { close(release) }) }
				entered := make(chan string, 20)
				store := &watched{Store: base.Store(), updates: make(chan struct{}, 1)}
				svc := notifying(t, store, clk)
				// Attempts end only when the merchants answer, however slow
				// the machine running the test.
				cfg := core.DefaultWorkConfig()
				cfg.AttemptTimeout = 2 * time.Minute
				if err := svc.Configure(cfg); err != nil {
					t.Fatal(err)
				}
				for i := range 20 {
					srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						body, _ := io.ReadAll(r.Body)
						entered <- string(body)
						<-release
					}))
					t.Cleanup(srv.Close)
					pay(t, svc, shop, fmt.Sprintf("hang%02d", i), srv.URL+"/ipn")
				}
				healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
				t.Cleanup(healthy.Close)
				pay(t, svc, shop, "healthy", healthy.URL+"/ipn")
				// Cleanups run last registered first: the merchants
				// answer before their servers close.
				t.Cleanup(answer)

				done := make(chan error, 1)
				switch path {
				case "worker":
					// A tick of an hour: the worker looks when woken by the
					// payments and when attempts end, never by the clock.
					worked := make(chan struct{})
					go func() { svc.Work(ctx, time.Hour); close(worked) }()
					defer func() { stop(); answer(); <-worked }()
				case "advance clock":
					go func() { _, _, err := svc.AdvanceClock(ctx, shop.ID, 0); done <- err }()
				}

				// Wait, without a timer, until the healthy notification
				// is recorded and the 20 others have reached their
				// merchants; the deadline only stops a test that fails.
				deadline := time.After(time.Minute)
				hanging := map[string]bool{}
				for {
					d, attempts := deliveries(t, store, shop.ID)
					if d["healthy"].Status == guichet.DeliveryDelivered && len(hanging) == 20 {
						if a := attempts["healthy"]; d["healthy"].Attempts != 1 || len(a) != 1 || a[0].StatusCode != 200 || a[0].Error != "" {
							t.Errorf("healthy delivery %+v, attempts %+v", d["healthy"], a)
						}
						for ref := range hanging {
							if d[ref].Status != guichet.DeliveryPending || len(attempts[ref]) != 0 {
								t.Errorf("%s, whose merchant has not answered: %+v, attempts %+v", ref, d[ref], attempts[ref])
							}
						}
						break
					}
					select {
					case <-store.updates:
					case ref := <-entered:
						hanging[ref] = true
					case <-deadline:
						t.Fatalf("healthy delivery %+v; %d of 20 slow merchants reached", d["healthy"], len(hanging))
					}
				}

				if path == "worker" {
					// The worker's attempts are under way: advancing the
					// clock waits for them.
					go func() { _, _, err := svc.AdvanceClock(ctx, shop.ID, 0); done <- err }()
				}
				answer()
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				d, attempts := deliveries(t, store, shop.ID)
				if len(d) != 21 {
					t.Errorf("%d deliveries, want 21", len(d))
				}
				for ref, dl := range d {
					if dl.Status != guichet.DeliveryDelivered || dl.Attempts != 1 || len(attempts[ref]) != 1 {
						t.Errorf("%s once the clock advance returned: %+v, attempts %+v", ref, dl, attempts[ref])
					}
				}
			})
		})
	}
}

// TestNotificationDestinations checks where notifications may go: a TEST
// shop's reach a merchant on the loopback interface, as a sandbox's must; a
// PRODUCTION shop's are refused when dialing such an address, whether
// named by address or by a name resolving to it, and so are a TEST shop's
// on an instance told to allow public destinations only. The refusal is
// recorded with a neutral error, and retried as any failure.
func TestNotificationDestinations(t *testing.T) {
	var hits sync.Map
	merchant := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		hits.Store(string(body), true)
	}))
	defer merchant.Close()
	_, port, _ := net.SplitHostPort(merchant.Listener.Addr().String())
	tests := []struct {
		name       string
		mode       guichet.Mode
		publicOnly bool
		url        string
		delivered  bool
	}{
		{"test shop, loopback", guichet.ModeTest, false, merchant.URL + "/ipn", true},
		{"test shop, localhost", guichet.ModeTest, false, "http://localhost:" + port + "/ipn", true},
		{"production shop, loopback", guichet.ModeProduction, false, merchant.URL + "/ipn", false},
		{"production shop, localhost", guichet.ModeProduction, false, "http://localhost:" + port + "/ipn", false},
		{"test shop, public only", guichet.ModeTest, true, merchant.URL + "/ipn", false},
	}
	stores(t, func(t *testing.T, base *core.Service, _ *guichet.Shop, clk *clock) {
		svc := notifying(t, base.Store(), clk)
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				cfg := core.DefaultWorkConfig()
				cfg.PublicOnly = tt.publicOnly
				if err := svc.Configure(cfg); err != nil {
					t.Fatal(err)
				}
				shop := &guichet.Shop{ID: fmt.Sprintf("dest%d", i), Name: "dest", Mode: tt.mode}
				if err := svc.PutShop(t.Context(), shop); err != nil {
					t.Fatal(err)
				}
				ref := fmt.Sprintf("%s-%d", t.Name(), i)
				pay(t, svc, shop, ref, tt.url)
				if _, err := svc.RunDue(t.Context(), shop.ID); err != nil {
					t.Fatal(err)
				}
				d, attempts := deliveries(t, svc.Store(), shop.ID)
				_, reached := hits.Load(ref)
				a := attempts[ref]
				if len(a) != 1 || reached != tt.delivered {
					t.Fatalf("attempts %+v, merchant reached %v, want %v", a, reached, tt.delivered)
				}
				want := guichet.Attempt{StatusCode: 200}
				status := guichet.DeliveryDelivered
				if !tt.delivered {
					want, status = guichet.Attempt{Error: "destination not allowed"}, guichet.DeliveryPending
				}
				if a[0].StatusCode != want.StatusCode || a[0].Error != want.Error || d[ref].Status != status {
					t.Errorf("delivery %s, attempt %+v; want %s, status %d, error %q", d[ref].Status, a[0], status, want.StatusCode, want.Error)
				}
			})
		}
	})
}

// TestStoppingGivesDeliveriesBack stops the worker while a merchant has
// not answered yet: the attempt cut short is not recorded as the
// merchant's failure, and the delivery is due again at once, for the next
// run to send.
func TestStoppingGivesDeliveriesBack(t *testing.T) {
	stores(t, func(t *testing.T, base *core.Service, shop *guichet.Shop, clk *clock) {
		// The first request waits until the gateway gives up on it; the
		// others are answered at once.
		entered := make(chan struct{})
		var first sync.Once
		merchant := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// Once the body is read, the request's context ends when the
			// gateway hangs up.
			io.ReadAll(r.Body)
			first.Do(func() {
				close(entered)
				<-r.Context().Done()
			})
		}))
		defer merchant.Close()
		svc := notifying(t, base.Store(), clk)
		pay(t, svc, shop, "stopped", merchant.URL+"/ipn")

		ctx, stop := context.WithCancel(context.Background())
		worked := make(chan struct{})
		go func() { svc.Work(ctx, time.Hour); close(worked) }()
		<-entered
		stop()
		<-worked
		d, attempts := deliveries(t, svc.Store(), shop.ID)
		if d["stopped"].Status != guichet.DeliveryPending || len(attempts["stopped"]) != 0 {
			t.Fatalf("after the worker stopped: %+v, attempts %+v", d["stopped"], attempts["stopped"])
		}
		// The merchant now answers at once: the next run delivers.
		if ran, err := svc.RunDue(t.Context(), shop.ID); err != nil || ran != 1 {
			t.Fatalf("RunDue: %d jobs, %v", ran, err)
		}
		d, attempts = deliveries(t, svc.Store(), shop.ID)
		if a := attempts["stopped"]; d["stopped"].Status != guichet.DeliveryDelivered || len(a) != 1 || a[0].StatusCode != 200 {
			t.Errorf("after the next run: %+v, attempts %+v", d["stopped"], a)
		}
	})
}

// TestNotificationAnswers checks that an attempt records the beginning of
// what the merchant answered, as the delivery log shows it: a known body
// whole, a long one cut, and a card number masked, on both stores.
func TestNotificationAnswers(t *testing.T) {
	long := strings.Repeat("é", 200) // 400 bytes, two to a character
	answers := map[string]string{
		"/known": "KO: unknown order",
		"/long":  long,
		"/card":  "refused: card 4111111111111111 expired",
		"/empty": "",
	}
	merchant := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		if r.URL.Path != "/known" {
			w.WriteHeader(http.StatusInternalServerError)
		}
		io.WriteString(w, answers[r.URL.Path])
	}))
	defer merchant.Close()
	want := map[string]guichet.Attempt{
		"known": {StatusCode: 200, Answer: "KO: unknown order"},
		"long":  {StatusCode: 500, Answer: long[:guichet.MaxAnswer]},
		"card":  {StatusCode: 500, Answer: "refused: card 411111XXXXXX1111 expired"},
		"empty": {StatusCode: 500},
	}
	stores(t, func(t *testing.T, base *core.Service, shop *guichet.Shop, clk *clock) {
		svc := notifying(t, base.Store(), clk)
		for ref := range want {
			pay(t, svc, shop, ref, merchant.URL+"/"+ref)
		}
		if _, err := svc.RunDue(t.Context(), shop.ID); err != nil {
			t.Fatal(err)
		}
		_, attempts := deliveries(t, svc.Store(), shop.ID)
		for ref, w := range want {
			a := attempts[ref]
			if len(a) != 1 || a[0].StatusCode != w.StatusCode || a[0].Error != "" || a[0].Answer != w.Answer {
				t.Errorf("%s: attempts %+v, want status %d, answer %q", ref, a, w.StatusCode, w.Answer)
			}
		}
	})
}

// rawSender reports an attempt with an answer as a careless sender would:
// whole, unmasked.
type rawSender struct{ answer string }

func (s rawSender) Send(_ context.Context, d *guichet.Delivery, _ bool) guichet.Attempt {
	return guichet.Attempt{DeliveryID: d.ID, StatusCode: 500, Answer: s.answer}
}

// TestNotificationAnswerMaskedByCore checks that the core masks and bounds
// the answer whatever the sender reported, before the store sees it.
func TestNotificationAnswerMaskedByCore(t *testing.T) {
	raw := strings.Repeat("x", guichet.MaxAnswer-12) + "5555555555554444" + strings.Repeat("y", 1000)
	stores(t, func(t *testing.T, base *core.Service, shop *guichet.Shop, clk *clock) {
		svc := notifying(t, base.Store(), clk)
		svc.SetSender(rawSender{raw})
		pay(t, svc, shop, "raw", "http://merchant.invalid/ipn")
		if _, err := svc.RunDue(t.Context(), shop.ID); err != nil {
			t.Fatal(err)
		}
		_, attempts := deliveries(t, svc.Store(), shop.ID)
		want := strings.Repeat("x", guichet.MaxAnswer-12) + "555555XXXXXX"
		if a := attempts["raw"]; len(a) != 1 || a[0].Answer != want {
			t.Errorf("attempts %+v, want answer %q", a, want)
		}
	})
}
