package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"guichet"
	"guichet/internal/backoffice"
	"guichet/internal/checkout"
	"guichet/internal/core"
	"guichet/internal/front"
	"guichet/internal/notify"
	"guichet/internal/sim"
	"guichet/internal/store/postgres"
	"guichet/internal/store/sqlite"
	"guichet/internal/vault"
	"guichet/internal/web"
)

// config is what serve is told by flags and the environment.
type config struct {
	listen   string
	data     string
	db       string
	noDemo   bool
	logLevel string
	pprof    bool
	drain    time.Duration
	// acquirerTimeout bounds each call to the acquirer.
	acquirerTimeout time.Duration
	// claimFirst has every request claim its key before the simulator is
	// asked, as a remote acquirer needs (core.SetLocalAcquirer).
	claimFirst bool
	// retention bounds the exchange log, which takes requests from
	// anyone, authenticated or not.
	retention core.ExchangeRetention
	// claimAge is how long ended claims (used request keys) are kept.
	claimAge time.Duration
	// work is how due work runs: notifications and other jobs.
	work core.WorkConfig
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.listen, "listen", envOr(getenv, "GUICHET_LISTEN", "127.0.0.1:8080"), "address to listen on")
	fs.StringVar(&c.data, "data", envOr(getenv, "GUICHET_DATA", "./guichet-data"), "data directory (keys, SQLite database)")
	fs.StringVar(&c.db, "db", getenv("GUICHET_DB"), "database: empty for SQLite in the data directory, or postgres://…")
	fs.BoolVar(&c.noDemo, "no-demo", false, "do not create the demo shops on first start")
	fs.StringVar(&c.logLevel, "log-level", envOr(getenv, "GUICHET_LOG_LEVEL", "info"), "debug, info, warn or error")
	fs.BoolVar(&c.pprof, "pprof", false, "serve Go profiles under /debug/pprof/ (for operators measuring guichet)")
	fs.BoolVar(&c.claimFirst, "claim-first", false, "claim each request's key in a commit of its own before asking the simulated acquirer, as a remote acquirer needs (to measure that path)")
	for _, d := range []struct {
		v          *time.Duration
		flag, env  string
		def, usage string
	}{
		{&c.drain, "drain", "GUICHET_DRAIN", "0s", "on SIGTERM, how long /readyz says 503 while requests are still served, before shutting down"},
		{&c.acquirerTimeout, "acquirer-timeout", "GUICHET_ACQUIRER_TIMEOUT", "30s", "longest wait for the acquirer's answer to one request"},
	} {
		def, err := time.ParseDuration(envOr(getenv, d.env, d.def))
		if err != nil {
			return c, fmt.Errorf("%s: %w", d.env, err)
		}
		fs.DurationVar(d.v, d.flag, def, d.usage)
	}
	c.retention = core.ExchangeRetention{MaxAge: 30 * 24 * time.Hour, MaxBytes: 256 << 20}
	age, size := (*ageValue)(&c.retention.MaxAge), (*sizeValue)(&c.retention.MaxBytes)
	fs.Var(age, "exchange-max-age", "delete recorded exchanges older than `age` (30d, 720h; 0: keep them)")
	fs.Var(size, "exchange-max-bytes", "delete the oldest recorded exchanges beyond `size` in all (256MiB; 0: no limit)")
	c.claimAge = 30 * 24 * time.Hour
	claimAge := (*ageValue)(&c.claimAge)
	fs.Var(claimAge, "claim-max-age", "forget used request keys (NUMQUESTION…) older than `age`, which may then be used again (30d; 0: keep them)")
	for _, env := range []struct {
		name  string
		value flag.Value
	}{{"GUICHET_EXCHANGE_MAX_AGE", age}, {"GUICHET_EXCHANGE_MAX_BYTES", size}, {"GUICHET_CLAIM_MAX_AGE", claimAge}} {
		if v := getenv(env.name); v != "" {
			if err := env.value.Set(v); err != nil {
				return c, fmt.Errorf("%s=%q: %w", env.name, v, err)
			}
		}
	}
	work := workFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	var err error
	c.work, err = work()
	return c, err
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// serve runs the gateway until ctx ends. ready, when not nil, receives the
// address it listens on once it accepts connections.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready chan<- string) error {
	start := time.Now()
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	log := slog.New(web.MaskCards(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level})))

	if err := os.MkdirAll(cfg.data, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	key, err := vault.LoadOrCreateKey(getenv, cfg.data)
	if err != nil {
		return err
	}
	v, err := vault.New(key)
	if err != nil {
		return err
	}
	store, dbName, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()

	clock := realClock{}
	svc := core.New(store, sim.New(clock.Now), v, clock, log)
	svc.SetAcquirerTimeout(cfg.acquirerTimeout)
	// The simulator answers in process and holds no money: its requests
	// claim their key with their record (see core.SetLocalAcquirer).
	svc.SetLocalAcquirer(!cfg.claimFirst)
	// Instances sharing the database must share the master key too;
	// one with another key refuses to start before it seals anything.
	if err := svc.CheckMasterKey(ctx); err != nil {
		return err
	}
	token, err := backoffice.SharedToken(ctx, svc, log, getenv, cfg.data)
	if err != nil {
		return err
	}
	pages, err := checkout.New()
	if err != nil {
		return err
	}
	if err := svc.Configure(cfg.work); err != nil {
		return err
	}
	sender := notify.New(cfg.work.AttemptTimeout)
	sender.SetLog(log)
	svc.SetSender(sender)
	svc.SetReviewer(sim.FIANET{})
	svc.SetExchangeRetention(cfg.retention)
	svc.SetClaimRetention(cfg.claimAge)
	var serving []front.Front
	for _, build := range fronts {
		f, err := build(ctx, front.Deps{Service: svc, Log: log, Pages: pages, Data: cfg.data})
		if err != nil {
			return err
		}
		front.Plug(svc, f)
		serving = append(serving, f)
	}
	if err := svc.CheckNotifiers(ctx); err != nil {
		return err
	}
	var demo map[string][]guichet.Shop
	if !cfg.noDemo {
		if demo, err = seedDemo(ctx, store, serving, clock.Now()); err != nil {
			return fmt.Errorf("demo shops: %w", err)
		}
	}

	var password string
	if !cfg.noDemo {
		if password, err = backoffice.EnsureOperator(ctx, svc, cfg.data); err != nil {
			return fmt.Errorf("back office operator: %w", err)
		}
	}
	office, err := backoffice.NewOffice(svc, log)
	if err != nil {
		return err
	}

	metrics := web.NewMetrics()
	metrics.Registry().MustRegister(sender.Collectors()...)
	metrics.Registry().MustRegister(newBacklogCollector(svc, log), newExchangeLogCollector(svc))
	obs := newObserver()
	metrics.Registry().MustRegister(obs.collectors()...)
	svc.SetObserver(obs)
	mux := http.NewServeMux()
	for _, f := range serving {
		f.Register(mux)
	}
	backoffice.Register(mux, svc, log, token)
	office.Register(mux)
	storeUp := func(r *http.Request) bool {
		return store.View(r.Context(), func(tx guichet.Tx) error { _, err := tx.Shops(); return err }) == nil
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if !storeUp(r) {
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	// /readyz tells a load balancer whether to send requests here: not
	// once the instance is draining before it stops, so that the balancer
	// moves the traffic to the others while this one still answers.
	var draining atomic.Bool
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case draining.Load():
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
		case !storeUp(r):
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		default:
			fmt.Fprintln(w, "ready")
		}
	})
	mux.Handle("GET /metrics", metrics.Handler())
	if cfg.pprof {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	}

	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           web.Wrap(mux, log, metrics),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	banner(stdout, "http://"+ln.Addr().String(), cfg.data, dbName, token, password, serving, demo, time.Since(start))
	log.Info("listening", "addr", ln.Addr().String(), "db", dbName)
	if ready != nil {
		ready <- ln.Addr().String()
	}

	// The workers deliver notifications and run other due work; they stop
	// with the server, and what they had not done waits in the store.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	worked, purged := make(chan struct{}), make(chan struct{})
	go func() { svc.Work(workCtx, time.Second); close(worked) }()
	// The exchange log is purged every minute, and sooner after a burst.
	go func() { svc.KeepExchanges(workCtx, time.Minute); close(purged) }()
	defer func() { stopWork(); <-worked; <-purged }()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	if cfg.drain > 0 {
		draining.Store(true)
		log.Info("draining", "for", cfg.drain.String())
		select {
		case err := <-errc:
			return err
		case <-time.After(cfg.drain):
		}
	}
	// Requests in flight finish and their answers are sent; the deferred
	// store.Close then flushes what is queued.
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func openStore(ctx context.Context, cfg config) (guichet.Store, string, error) {
	if strings.HasPrefix(cfg.db, "postgres://") || strings.HasPrefix(cfg.db, "postgresql://") {
		s, err := postgres.Open(ctx, cfg.db)
		return s, "PostgreSQL", err
	}
	if cfg.db != "" {
		return nil, "", fmt.Errorf("-db %q: want empty (SQLite) or a postgres:// URL", cfg.db)
	}
	path := filepath.Join(cfg.data, "guichet.db")
	s, err := sqlite.Open(ctx, path)
	return s, "SQLite " + path, err
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func banner(w io.Writer, url, data, db, token, password string, fronts []front.Front, demo map[string][]guichet.Shop, took time.Duration) {
	fmt.Fprintf(w, "guichet %s — payment gateway sandbox, ready in %s\n\n", version, took.Round(time.Millisecond))
	for _, f := range fronts {
		for _, line := range f.Banner(url, demo[f.Name()]) {
			fmt.Fprintln(w, "  "+line)
		}
		fmt.Fprintln(w)
	}
	if password != "" {
		fmt.Fprintf(w, "  back office            %s/backoffice/  user %s  password %s\n", url, backoffice.DemoOperator, password)
	}
	fmt.Fprintf(w, "  health, metrics        %s/healthz  %s/readyz  %s/metrics\n", url, url, url)
	fmt.Fprintf(w, "  sandbox API            %s/_guichet/v1/  (Authorization: Bearer %s)\n", url, token)
	fmt.Fprintf(w, "  data directory         %s\n", data)
	fmt.Fprintf(w, "  database               %s\n", db)
	fmt.Fprintln(w)
}
