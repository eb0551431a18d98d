package main

import (
	"bufio"
	"bytes"
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"guichet/internal/paybox"
	"guichet/internal/store/postgres/pgtest"
)

// TestMasterKeyMismatch starts a second instance on a database with
// another master key than the first one's: it must refuse to start, and
// say which setting to fix, rather than seal cards the others cannot open.
func TestMasterKeyMismatch(t *testing.T) {
	keyA, keyB := strings.Repeat("ab", 32), strings.Repeat("cd", 32)
	tests := []struct {
		name string
		// db gives the -db flag; empty for SQLite in the data directory,
		// which the two instances then share, one after the other.
		db         func(t *testing.T) string
		firstKey   string // "" for a master.key file in the data directory
		secondKey  string
		sharedData bool
	}{
		{"sqlite, key file then another key", func(*testing.T) string { return "" }, "", keyB, true},
		{"sqlite, two keys", func(*testing.T) string { return "" }, keyA, keyB, true},
		{"postgres, two keys", func(t *testing.T) string { return pgtest.URL(t) }, keyA, keyB, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := tt.db(t)
			dataA, dataB := t.TempDir(), t.TempDir()
			if tt.sharedData {
				dataB = dataA
			}
			args := func(data string) []string {
				a := []string{"-data", data}
				if db != "" {
					a = append(a, "-db", db)
				}
				return a
			}
			_, _, _, stop := startServe(t, map[string]string{"GUICHET_MASTER_KEY": tt.firstKey}, args(dataA)...)
			stop()

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ready, done := make(chan string, 1), make(chan error, 1)
			env := map[string]string{"GUICHET_MASTER_KEY": tt.secondKey}
			go func() {
				done <- serve(ctx, append([]string{"-listen", "127.0.0.1:0"}, args(dataB)...), func(k string) string { return env[k] },
					io.Discard, io.Discard, ready)
			}()
			select {
			case <-ready:
				cancel()
				<-done
				t.Fatal("an instance with another master key started")
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), "GUICHET_MASTER_KEY") {
					t.Errorf("err = %v, want one naming GUICHET_MASTER_KEY", err)
				}
			}
		})
	}
}

// instanceProc is a `guichet serve` process started by a test.
type instanceProc struct {
	cmd    *exec.Cmd
	base   string
	token  string
	stderr *syncBuffer
}

var bannerURL = regexp.MustCompile(`Paybox Direct \(PPPS\) +(http://[^/\s]+)/PPPS\.php`)
var bannerToken = regexp.MustCompile(`Authorization: Bearer ([0-9a-f]+)\)`)

// startInstance starts the binary with args and only the environment
// given (plus PATH), and reads its banner for its address and token.
func startInstance(t *testing.T, bin string, env []string, args ...string) (*instanceProc, error) {
	cmd := exec.Command(bin, append([]string{"serve", "-listen", "127.0.0.1:0"}, args...)...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	p := &instanceProc{cmd: cmd, stderr: &syncBuffer{}}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var banner strings.Builder
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		banner.WriteString(lines.Text() + "\n")
		if strings.Contains(lines.Text(), "database  ") {
			break
		}
	}
	go io.Copy(io.Discard, out)
	if m := bannerURL.FindStringSubmatch(banner.String()); m != nil {
		p.base = m[1]
	}
	if m := bannerToken.FindStringSubmatch(banner.String()); m != nil {
		p.token = m[1]
	}
	if p.base == "" || p.token == "" {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, &startError{banner.String() + p.stderr.String()}
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return p, nil
}

type startError struct{ out string }

func (e *startError) Error() string { return "the instance did not start:\n" + e.out }

// TestTwoInstances runs two `guichet serve` processes on one PostgreSQL
// database, each with its own data directory and the same master key, as
// behind a load balancer: they start at once, serve the same public key
// and accept the same sandbox token, and a hosted payment through 3-D
// Secure begun on one is finished on the other. Then the first drains: its
// /readyz says 503 while the other stays ready, and it exits cleanly.
func TestTwoInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	db := pgtest.URL(t)
	bin := filepath.Join(t.TempDir(), "guichet")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	env := []string{"GUICHET_MASTER_KEY=" + strings.Repeat("ab", 32)}
	dataA, dataB := t.TempDir(), t.TempDir()
	// Both start together on the new database: migrations, the key check
	// value, the signing key and the token are each created once.
	type started struct {
		p   *instanceProc
		err error
	}
	starts := make(chan started, 2)
	for _, a := range [][]string{{"-data", dataA, "-db", db, "-drain", "3s"}, {"-data", dataB, "-db", db}} {
		go func() {
			p, err := startInstance(t, bin, env, a...)
			starts <- started{p, err}
		}()
	}
	var procs []*instanceProc
	for range 2 {
		s := <-starts
		if s.err != nil {
			t.Fatal(s.err)
		}
		procs = append(procs, s.p)
	}
	// A is the one with the data directory dataA.
	a, b := procs[0], procs[1]
	if !strings.Contains(strings.Join(a.cmd.Args, " "), dataA) {
		a, b = b, a
	}

	get := func(p *instanceProc, path, token string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", p.base+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	_, pemA := get(a, "/pubkey.pem", "")
	_, pemB := get(b, "/pubkey.pem", "")
	if pemA != pemB || !strings.HasPrefix(pemA, "-----BEGIN PUBLIC KEY-----") {
		t.Fatalf("the instances serve different public keys:\n%s\n%s", pemA, pemB)
	}
	pub, err := paybox.ParsePublicKey([]byte(pemA))
	if err != nil {
		t.Fatal(err)
	}
	if code, body := get(b, "/_guichet/v1/transactions?limit=1", a.token); code != 200 {
		t.Errorf("A's token on B: %d %s", code, body)
	}
	if a.token != b.token {
		t.Errorf("A's banner shows token %s, B's %s", a.token, b.token)
	}
	for _, dir := range []string{dataA, dataB} {
		if tok, err := os.ReadFile(filepath.Join(dir, "admin.token")); err != nil || strings.TrimSpace(string(tok)) != a.token {
			t.Errorf("%s/admin.token holds %q (%v)", dir, tok, err)
		}
	}

	// A Paybox System payment on rang 43: the form and the card on A, the
	// 3-D Secure challenge answered on B.
	const merchant = "https://shop.example/back"
	fields := [][2]string{
		{"PBX_SITE", "1999888"}, {"PBX_RANG", "43"}, {"PBX_IDENTIFIANT", "107975626"},
		{"PBX_TOTAL", "1250"}, {"PBX_DEVISE", "978"}, {"PBX_CMD", "two-instances"}, {"PBX_PORTEUR", "buyer@example.com"},
		{"PBX_RETOUR", "Mt:M;Ref:R;Auto:A;Erreur:E;Sign:K"},
		{"PBX_EFFECTUE", merchant + "/ok"}, {"PBX_REFUSE", merchant + "/refused"}, {"PBX_ANNULE", merchant + "/cancelled"},
		{"PBX_TYPEPAIEMENT", "CARTE"}, {"PBX_TYPECARTE", "CB"},
		{"PBX_HASH", "SHA512"}, {"PBX_TIME", time.Now().Format(time.RFC3339)},
	}
	var signed, posted []string
	for _, f := range fields {
		signed = append(signed, f[0]+"="+f[1])
		posted = append(posted, f[0]+"="+url.QueryEscape(f[1]))
	}
	mac, _ := paybox.Sign(paybox.DemoHMACKey, "SHA512", strings.Join(signed, "&"))
	post := func(p *instanceProc, path, body string) string {
		t.Helper()
		resp, err := http.Post(p.base+path, "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("POST %s: %d\n%s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	cardPage := post(a, "/cgi/MYchoix_pagepaiement.cgi", strings.Join(posted, "&")+"&PBX_HMAC="+mac)
	m := regexp.MustCompile(`action="(/paybox/order/[^"/]+)/card"`).FindStringSubmatch(cardPage)
	if m == nil {
		t.Fatalf("no card form on A:\n%s", cardPage)
	}
	order := m[1]
	challenge := post(a, order+"/card", "card_type=CB&number=4012001037141112&expiry=12%2F30&cvv=123")
	if !strings.Contains(challenge, `autocomplete="one-time-code"`) {
		t.Fatalf("no 3-D Secure challenge on A:\n%s", challenge)
	}
	ticket := post(b, order+"/3ds", "otp=1234")
	var back string
	for _, l := range regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(ticket, -1) {
		if u := html.UnescapeString(l[1]); strings.HasPrefix(u, merchant+"/ok?") {
			back = u
		}
	}
	if back == "" {
		t.Fatalf("no accepted return on B's ticket:\n%s", ticket)
	}
	query := back[strings.IndexByte(back, '?')+1:]
	if err := paybox.VerifyReturn(pub, query, "Sign"); err != nil {
		t.Errorf("the return does not verify with the shared public key: %v (%s)", err, query)
	}
	if !strings.Contains(query, "Erreur=00000") || !strings.Contains(query, "Ref=two-instances") {
		t.Errorf("return %s", query)
	}
	// The card was held once: answering the challenge again, on A, finds
	// the order paid.
	if again := post(a, order+"/3ds", "otp=1234"); strings.Contains(again, "Erreur=00000") {
		t.Errorf("the challenge was answered twice:\n%s", again)
	}

	// A drains: the balancer is told to stop sending requests there,
	// while B stays ready. A is a process of its own, hence the polling.
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		code, _ := get(a, "/readyz", "")
		if code == http.StatusServiceUnavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("A's /readyz still says %d after SIGTERM", code)
		}
	}
	if code, body := get(b, "/readyz", ""); code != 200 {
		t.Errorf("B's /readyz: %d %s", code, body)
	}
	if err := a.cmd.Wait(); err != nil {
		t.Errorf("A did not exit cleanly: %v\n%s", err, a.stderr)
	}
	b.cmd.Process.Signal(syscall.SIGTERM)
	if err := b.cmd.Wait(); err != nil {
		t.Errorf("B did not exit cleanly: %v\n%s", err, b.stderr)
	}
	logs := a.stderr.String() + b.stderr.String()
	for _, secret := range []string{"4012001037141112", "cvv=123", a.token} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs hold %q", secret)
		}
	}
	if bytes.Contains([]byte(logs), []byte(`"level":"ERROR"`)) {
		t.Errorf("errors logged:\n%s", grep(logs, `"level":"ERROR"`))
	}
}
