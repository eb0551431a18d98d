package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"guichet/internal/store/postgres/pgtest"
)

// TestCrash kills the server with SIGKILL while clients are authorizing,
// restarts it on the same data, and checks that every authorization that
// was answered 00000 is found by an inquiry (00017): an answer is sent only
// after a durable commit.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := filepath.Join(t.TempDir(), "guichet")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("sqlite", func(t *testing.T) { crash(t, bin) })
	t.Run("postgres", func(t *testing.T) { crash(t, bin, "-db", pgtest.URL(t)) })
}

func crash(t *testing.T, bin string, args ...string) {
	data := t.TempDir()
	addr := freeAddr(t)
	base := "http://" + addr
	args = append([]string{"serve", "-listen", addr, "-data", data}, args...)

	srv := startBinary(t, bin, base, args)
	var (
		answered sync.Map // NUMTRANS → NUMAPPEL of every 00000 answer
		ok       atomic.Int64
		q        atomic.Int64
		wg       sync.WaitGroup
	)
	q.Store(time.Now().UnixNano()%1_000_000_000 + 1)
	client := &http.Client{Timeout: 5 * time.Second}
	killed, enough := make(chan struct{}), make(chan struct{})
	for range 16 {
		wg.Go(func() {
			for i := 0; i < 2000; i++ {
				select {
				case <-killed:
					return
				default:
				}
				n := q.Add(1)
				v := request("00003", int(n), "MONTANT", "1000", "REFERENCE", fmt.Sprint("crash-", n),
					"PORTEUR", "1111222233334444", "DATEVAL", "1230", "CVV", "123")
				a, err := post(client, base, v)
				if err != nil {
					continue // the server died under this request: no answer, no promise
				}
				if a["CODEREPONSE"] == "00000" {
					answered.Store(a["NUMTRANS"], a["NUMAPPEL"])
					if ok.Add(1) == 500 {
						close(enough)
					}
				}
			}
		})
	}
	// Kill once a good number of authorizations were acknowledged, while
	// the clients are still sending.
	select {
	case <-enough:
	case <-time.After(2 * time.Minute):
	}
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()
	close(killed)
	wg.Wait()
	if ok.Load() < 500 {
		t.Fatalf("only %d authorizations answered before the kill", ok.Load())
	}

	srv = startBinary(t, bin, base, args)
	defer func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() }()
	var checked, lost int
	answered.Range(func(k, v any) bool {
		checked++
		n := q.Add(1)
		a, err := post(client, base, request("00017", int(n), "NUMTRANS", k.(string), "NUMAPPEL", v.(string)))
		if err != nil || a["CODEREPONSE"] != "00000" || a["STATUS"] != "Captur\xe9" {
			lost++
			if lost < 5 {
				t.Errorf("NUMTRANS %s answered 00000 before the crash, inquiry after: %v %v", k, a, err)
			}
		}
		return true
	})
	t.Logf("%d authorizations acknowledged before SIGKILL, %d found after restart, %d lost", checked, checked-lost, lost)
	if lost > 0 {
		t.Errorf("%d acknowledged authorizations lost", lost)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	// Port 0 would do for one run, but the restarted server must listen
	// where the clients expect it.
	for port := 18000 + os.Getpid()%2000; ; port++ {
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			continue
		}
		return addr
	}
}

func startBinary(t *testing.T, bin, base string, args []string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "GUICHET_MASTER_KEY="+strings.Repeat("ab", 32))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The banner is printed once the server accepts connections.
	banner := bufio.NewScanner(out)
	for banner.Scan() {
		if strings.Contains(banner.Text(), "ready in") {
			go io.Copy(io.Discard, out)
			return cmd
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatal("server did not start")
	return nil
}

func post(client *http.Client, base string, v url.Values) (map[string]string, error) {
	resp, err := client.PostForm(base+"/PPPS.php", v)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return parseAnswer(body), nil
}
