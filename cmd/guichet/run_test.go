package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer collects what the server logs, safely across goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs the whole program in-process, as `guichet serve`, and
// returns its base URL and a function that stops it and waits.
func startServe(t *testing.T, env map[string]string, args ...string) (string, *syncBuffer, *syncBuffer, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	getenv := func(k string) string { return env[k] }
	go func() {
		done <- serve(ctx, append([]string{"-listen", "127.0.0.1:0", "-log-level", "debug"}, args...), getenv, stdout, stderr, ready)
	}()
	select {
	case addr := <-ready:
		return "http://" + addr, stdout, stderr, func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		}
	case err := <-done:
		cancel()
		t.Fatalf("serve ended before listening: %v\n%s", err, stderr)
	}
	return "", nil, nil, nil
}

// ppps posts one Paybox Direct request and returns the answer fields.
func ppps(t *testing.T, base string, v url.Values) map[string]string {
	t.Helper()
	resp, err := http.PostForm(base+"/PPPS.php", v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return parseAnswer(body)
}

// parseAnswer splits a Paybox Direct answer, whose values are not encoded.
func parseAnswer(body []byte) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(string(body), "&") {
		k, v, _ := strings.Cut(kv, "=")
		out[k] = v
	}
	return out
}

func request(typ string, q int, extra ...string) url.Values {
	v := url.Values{"VERSION": {"00104"}, "TYPE": {typ}, "SITE": {"1999888"}, "RANG": {"32"}, "CLE": {"1999888I"},
		"NUMQUESTION": {fmt.Sprint(q)}, "DATEQ": {time.Now().Format("02012006")}, "DEVISE": {"978"}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

const testPAN = "4012001037141112"

// TestServe drives the binary as a newcomer would: start it with the demo
// shops, run a full Paybox Direct cycle, restart it, and find the
// transaction again. Then it checks that the card number is nowhere in
// clear: not in the data directory, not in the logs.
func TestServe(t *testing.T) {
	data := t.TempDir()
	env := map[string]string{}
	base, stdout, stderr, stop := startServe(t, env, "-data", data)

	if !regexp.MustCompile(`SITE 1999888 RANG 32 +CLE 1999888I +IDENTIFIANT 107904482\n`).MatchString(stdout.String()) ||
		!regexp.MustCompile(`SITE 1999888 RANG 100 +CLE 1999888I +IDENTIFIANT 107904482 +HMAC only\n`).MatchString(stdout.String()) {
		t.Errorf("banner lacks the test credentials:\n%s", stdout)
	}
	for path, want := range map[string]string{"/healthz": "ok", "/load.html": `id="server_status">OK<`} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s = %d %q", path, resp.StatusCode, body)
		}
	}

	q := int(time.Now().UnixNano() % 1_000_000_000)
	a := ppps(t, base, request("00001", q, "MONTANT", "10000", "REFERENCE", "cmd-1", "PORTEUR", testPAN, "DATEVAL", "1230", "CVV", "123"))
	if a["CODEREPONSE"] != "00000" {
		t.Fatalf("authorization: %v", a)
	}
	ids := []string{"NUMAPPEL", a["NUMAPPEL"], "NUMTRANS", a["NUMTRANS"], "REFERENCE", "cmd-1"}
	for i, step := range [][]string{{"00002", "10000"}, {"00014", "3000"}, {"00014", "2000"}} {
		r := ppps(t, base, request(step[0], q+1+i, append([]string{"MONTANT", step[1]}, ids...)...))
		if r["CODEREPONSE"] != "00000" {
			t.Fatalf("TYPE %s: %v", step[0], r)
		}
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), `guichet_http_requests_total{route="POST /PPPS.php",status="200"} 4`) {
		t.Errorf("metrics do not count the four PPPS requests:\n%s", grep(string(metrics), "guichet_http"))
	}
	// One authorization approved; four acquirer calls (the authorization,
	// the capture, two refunds).
	for _, want := range []string{`guichet_authorizations_total{front="paybox-direct",result="approved"} 1`,
		`guichet_acquirer_seconds_count{kind="authorize",outcome="ok"} 1`, `guichet_acquirer_seconds_count{kind="refund",outcome="ok"} 2`,
		"\nguichet_exchange_log_bytes ", "\nguichet_jobs_due{"} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("metrics lack %s:\n%s", want, grep(string(metrics), "guichet_a"))
		}
	}
	stop()

	// After a restart the same data directory answers for the same
	// transaction, and the demo shops are not created twice.
	base, _, stderr2, stop := startServe(t, env, "-data", data)
	r := ppps(t, base, request("00017", q+10, "NUMTRANS", a["NUMTRANS"], "NUMAPPEL", a["NUMAPPEL"]))
	if r["CODEREPONSE"] != "00000" || r["STATUS"] != "Rembours\xe9" {
		t.Errorf("inquiry after restart: %v", r)
	}
	// The same NUMQUESTION on the same day is still taken.
	if r := ppps(t, base, request("00017", q, "NUMTRANS", a["NUMTRANS"])); r["CODEREPONSE"] != "00005" {
		t.Errorf("reused NUMQUESTION after restart: %v", r)
	}
	stop()

	if !strings.Contains(stderr.String(), `"msg":"listening"`) {
		t.Errorf("no structured log line: %s", stderr)
	}
	logs := stdout.String() + stderr.String() + stderr2.String()
	for _, secret := range []string{testPAN, "1999888I&", "CVV=123"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
	err = filepath.Walk(data, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(testPAN)) {
			t.Errorf("%s holds the card number in clear", path)
		}
		if strings.HasSuffix(path, ".key") || strings.HasSuffix(path, ".token") {
			if info.Mode().Perm() != 0o600 {
				t.Errorf("%s has mode %v, want 0600", path, info.Mode().Perm())
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
