package paybox_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"guichet"
	"guichet/internal/sim"
)

// hookedAcquirer is the simulator, counting the requests it receives and
// running during inside each, before it answers.
type hookedAcquirer struct {
	*sim.Acquirer
	calls  atomic.Int64
	during func()
}

func (a *hookedAcquirer) Process(ctx context.Context, r guichet.AcquirerRequest) (guichet.AcquirerResult, error) {
	a.calls.Add(1)
	if a.during != nil {
		a.during()
	}
	return a.Acquirer.Process(ctx, r)
}

// TestDirectOneQuestionOnce posts one frame 50 times at once: one answer
// is the payment, 49 are 00005 (the question number is spent), and the
// acquirer hears of it once.
func TestDirectOneQuestionOnce(t *testing.T) {
	acq := &hookedAcquirer{Acquirer: sim.New(func() time.Time { return testNow })}
	g := newGatewayWith(t, acq)
	body := join(g.base("00003"), money("1000"), fields{{"REFERENCE", "once"}}, card("1111222233334444")).encode()
	var mu sync.Mutex
	codes := map[string]int{}
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			resp, err := http.Post(g.url+"/PPPS.php", "application/x-www-form-urlencoded", strings.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			a := parseAnswer(raw)
			mu.Lock()
			codes[a.get("CODEREPONSE")]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if codes["00000"] != 1 || codes["00005"] != 49 || acq.calls.Load() != 1 {
		t.Errorf("answers %v, acquirer called %d times; want one 00000, 49 00005, one call", codes, acq.calls.Load())
	}
}

// TestDirectClientDisconnects: the client closes its connection while the
// acquirer is approving its payment. The approval is recorded: the same
// merchant finds it afterwards with 00011.
func TestDirectClientDisconnects(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	acq := &hookedAcquirer{Acquirer: sim.New(func() time.Time { return testNow })}
	acq.during = func() { close(entered); <-release }
	g := newGatewayWith(t, acq)

	// A server of its own, to learn when the handler is done with the
	// connection: the server closes it only then.
	reqCtx := make(chan context.Context, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqCtx <- r.Context()
		g.mux.ServeHTTP(w, r)
	}))
	closed := make(chan struct{})
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			close(closed)
		}
	}
	srv.Start()
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	body := join(g.base("00001"), money("4200"), fields{{"REFERENCE", "gone"}}, card("1111222233334444")).encode()
	fmt.Fprintf(conn, "POST /PPPS.php HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	<-entered
	conn.Close()
	// The server cancels the request's context once it notices the
	// client is gone; the acquirer answers only then.
	<-(<-reqCtx).Done()
	close(release)
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the handler never finished")
	}
	g.must("00000", join(g.base("00011"), money("4200"), fields{{"REFERENCE", "gone"}}))
}
