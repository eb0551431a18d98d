package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// bench measures a running gateway. It is a benchmark, not a test: it
// prints figures and asserts nothing about them.
func bench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "ppps" {
		return errors.New("usage: guichet bench ppps [flags]")
	}
	fs := flag.NewFlagSet("bench ppps", flag.ContinueOnError)
	fs.SetOutput(stderr)
	target := fs.String("url", "http://127.0.0.1:8080", "base URL of the gateway; several, comma-separated, share the requests in turn (instances on one database)")
	clients := fs.Int("c", 50, "concurrent clients")
	total := fs.Int("n", 20000, "authorizations to send")
	site := fs.String("site", "1999888", "SITE")
	rang := fs.String("rang", "32", "RANG")
	cle := fs.String("cle", "1999888I", "CLE")
	baseline := fs.Bool("baseline", true, "also measure a plain Go handler answering a fixed PPPS body")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}

	client := &http.Client{Transport: &http.Transport{MaxIdleConns: *clients, MaxIdleConnsPerHost: *clients}, Timeout: 30 * time.Second}
	// NUMQUESTION must be unique for the day; a random start keeps runs
	// on the same day apart.
	first := rand.Int64N(2_000_000_000-int64(*total)) + 1
	body := func(i int64) []byte {
		v := url.Values{}
		v.Set("VERSION", "00104")
		v.Set("TYPE", "00003")
		v.Set("SITE", *site)
		v.Set("RANG", *rang)
		v.Set("CLE", *cle)
		v.Set("NUMQUESTION", strconv.FormatInt(first+i, 10))
		v.Set("DATEQ", time.Now().Format("02012006150405"))
		v.Set("MONTANT", "1000")
		v.Set("DEVISE", "978")
		v.Set("REFERENCE", "bench-"+strconv.FormatInt(first+i, 10))
		v.Set("PORTEUR", "1111222233334444")
		v.Set("DATEVAL", "1230")
		v.Set("CVV", "123")
		v.Set("ACTIVITE", "024")
		return []byte(v.Encode())
	}

	fmt.Fprintf(stdout, "guichet bench ppps: %d authorizations (TYPE 00003), %d clients, %s\n\n", *total, *clients, *target)
	var targets []string
	for _, t := range strings.Split(*target, ",") {
		targets = append(targets, strings.TrimSpace(t)+"/PPPS.php")
	}
	ours, err := drive(ctx, client, targets, *clients, *total, body)
	if err != nil {
		return err
	}
	ours.print(stdout, "guichet")
	if !*baseline {
		return nil
	}
	url, stop, err := fixedServer()
	if err != nil {
		return err
	}
	defer stop()
	base, err := drive(ctx, client, []string{url}, *clients, *total, body)
	if err != nil {
		return err
	}
	base.print(stdout, "plain handler")
	fmt.Fprintf(stdout, "\nguichet throughput = %.1f%% of the plain handler's\n", 100*ours.rate()/base.rate())
	return nil
}

type benchResult struct {
	n         int
	failed    int64
	firstFail string
	elapsed   time.Duration
	latencies []time.Duration
}

func (r *benchResult) rate() float64 { return float64(r.n) / r.elapsed.Seconds() }

func (r *benchResult) print(w io.Writer, name string) {
	slices.Sort(r.latencies)
	pct := func(p float64) time.Duration { return r.latencies[int(p*float64(len(r.latencies)-1))] }
	fmt.Fprintf(w, "%-14s %8.0f req/s   p50 %-9s p90 %-9s p99 %-9s max %-9s failed %d\n", name, r.rate(),
		pct(.50).Round(10*time.Microsecond), pct(.90).Round(10*time.Microsecond),
		pct(.99).Round(10*time.Microsecond), r.latencies[len(r.latencies)-1].Round(10*time.Microsecond), r.failed)
	if r.firstFail != "" {
		fmt.Fprintf(w, "%-14s first failure: %s\n", "", r.firstFail)
	}
}

// drive sends total requests from the given number of clients, request i
// to urls[i%len(urls)], and times each one. An answer without
// CODEREPONSE=00000 counts as failed.
func drive(ctx context.Context, client *http.Client, urls []string, clients, total int, body func(int64) []byte) (*benchResult, error) {
	var next atomic.Int64
	res := &benchResult{n: total, latencies: make([]time.Duration, 0, total)}
	var mu sync.Mutex
	var wg sync.WaitGroup
	ok := []byte("CODEREPONSE=00000")
	start := time.Now()
	for range clients {
		wg.Go(func() {
			lat := make([]time.Duration, 0, total/clients+1)
			for {
				i := next.Add(1) - 1
				if i >= int64(total) || ctx.Err() != nil {
					break
				}
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, "POST", urls[i%int64(len(urls))], bytes.NewReader(body(i)))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := client.Do(req)
				var answer []byte
				if err == nil {
					answer, err = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				lat = append(lat, time.Since(t0))
				if err != nil || !bytes.Contains(answer, ok) {
					if res.failed == 0 || atomic.AddInt64(&res.failed, 0) == 0 {
						mu.Lock()
						if res.firstFail == "" {
							res.firstFail = fmt.Sprint(err, " ", string(answer))
						}
						mu.Unlock()
					}
					atomic.AddInt64(&res.failed, 1)
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	if len(res.latencies) == 0 {
		return nil, ctx.Err()
	}
	res.n = len(res.latencies)
	return res, nil
}

// fixedServer is the yardstick: a plain net/http handler that reads the
// form and answers a fixed PPPS-shaped body, doing no work at all.
func fixedServer() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	answer := []byte("NUMTRANS=0000000001&NUMAPPEL=0000000001&NUMQUESTION=0000000001&SITE=1999888&RANG=32&AUTORISATION=XXXXXX&CODEREPONSE=00000&COMMENTAIRE=Demande trait\xe9e avec succ\xe8s&REFABONNE=&PORTEUR=")
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/html; charset=ISO-8859-1")
		w.Write(answer)
	})}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}
