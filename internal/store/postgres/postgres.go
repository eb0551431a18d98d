// Package postgres is the guichet.Store kept in PostgreSQL, for gateways
// that run several processes against one database.
//
// An Update that reads is one database transaction, at READ COMMITTED: the
// transaction, order and delivery getters lock the row they return
// (SELECT … FOR UPDATE), so concurrent Updates of one of them take turns,
// while Updates of different ones run in parallel; DueJobs locks the jobs
// it returns and skips those locked (SKIP LOCKED), so that two instances
// never take the same job. What costs is the statements and round trips,
// which the tx type keeps few (see tx), and an Update that only writes,
// such as a payment's record, shares its database transaction with those
// of other requests (see group.go).
package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"guichet"
	"guichet/internal/store/tables"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrations embed.FS

const (
	// defaultMaxConns bounds the pool unless the URL sets pool_max_conns.
	// A unit of work holds a connection only while it talks to the
	// database, mostly for one round trip, so a few connections serve
	// many fronts; more would only have backends compete for the CPU.
	// When a payment took two units of work of its own, 16 did better
	// than 8 on 2 cores (2,000 against 1,770 authorizations a second),
	// and 32 no better than 16; now that payments' records commit in
	// groups, 4 and 16 do alike. It also stays well under PostgreSQL's
	// default limit of 100 connections shared by every instance.
	defaultMaxConns = 16
	// migrationLock is the advisory lock key that serialises migrations
	// between instances starting together ("guichet" in ASCII).
	migrationLock int64 = 0x67756963686574
	// exchangeBatch bounds how many exchanges go to the database in one
	// round trip.
	exchangeBatch = 512
	// exchangeTimeout bounds the writing of one batch of exchanges, which
	// no caller waits for with a context of its own.
	exchangeTimeout = 30 * time.Second
	// claimTimeout bounds the writing of one batch of claims, which the
	// requests waiting for it bound by their own contexts as well.
	claimTimeout = 10 * time.Second
	// rollbackTimeout bounds the rollback of a unit of work that failed.
	rollbackTimeout = 10 * time.Second
	// beginUpdate opens the database transaction of an Update.
	beginUpdate = "BEGIN ISOLATION LEVEL READ COMMITTED"
)

// Store is a guichet.Store backed by PostgreSQL. Its methods are safe for
// concurrent use.
type Store struct {
	pool *pgxpool.Pool
	// numbers hands out transaction and operation numbers.
	numbers numbers

	// exchanges queues recorded exchanges for the goroutine that writes
	// them in batches, off the fronts' request path.
	exchanges chan guichet.Exchange
	// flushes asks that goroutine to write everything queued, and to close
	// the given channel once it has.
	flushes chan chan struct{}
	stop    chan struct{}
	stopped chan struct{}
	// claims queues the pending claims of requests for the goroutine
	// that writes them in batches (BeginClaim), which closes claimsDone
	// when it stops.
	claims     chan claimRequest
	claimsDone chan struct{}
	// units queues the write-only units of work for the group writers
	// (group.go), which close unitsDone once they have all stopped. They
	// stop at unitsStop, after the exchange writer, whose last exchanges
	// go through them.
	units     chan unitRequest
	unitsStop chan struct{}
	unitsDone chan struct{}

	// mu guards closed and exchangeErr. RecordExchange and Exchanges hold
	// it for reading while they talk to the exchange writer, so that Close
	// stops the writer only once nobody can still be talking to it.
	mu          sync.RWMutex
	closed      bool
	exchangeErr error
}

var _ guichet.Store = (*Store)(nil)

// Open connects to the database at url (a postgres:// URL or keyword/value
// string, as pgx accepts), brings its schema up to date and returns the
// store.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns
	}
	if err := migrate(ctx, cfg.ConnConfig.Copy()); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	// The block of numbers is what the sequence's increment says, so that
	// the code cannot disagree with the migration that set it.
	var block int64
	err = pool.QueryRow(ctx, "SELECT increment_by FROM pg_sequences WHERE schemaname = current_schema() AND sequencename = 'numbers'").Scan(&block)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: numbers sequence: %w", err)
	}
	s := &Store{
		pool:       pool,
		numbers:    numbers{block: max(block, 1)},
		exchanges:  make(chan guichet.Exchange, 4*exchangeBatch),
		flushes:    make(chan chan struct{}),
		stop:       make(chan struct{}),
		stopped:    make(chan struct{}),
		claims:     make(chan claimRequest, 4*claimBatch),
		claimsDone: make(chan struct{}),
		units:      make(chan unitRequest, 4*groupUnits),
		unitsStop:  make(chan struct{}),
		unitsDone:  make(chan struct{}),
	}
	go s.writeExchanges()
	go s.writeClaims()
	var writers sync.WaitGroup
	for range groupWriters {
		writers.Go(s.writeUnits)
	}
	go func() {
		writers.Wait()
		close(s.unitsDone)
	}()
	return s, nil
}

// migrate applies, in name order, the embedded migrations not yet recorded
// in schema_migrations, each in one transaction with its record. It holds
// an advisory lock throughout, so that instances starting together apply
// each migration once; the lock belongs to a connection of its own, which
// closing releases whatever happens.
func migrate(ctx context.Context, cfg *pgx.ConnConfig) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    BIGINT PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
	)`)
	if err != nil {
		return err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a version number", base)
		}
		script, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			var applied bool
			if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)", version).Scan(&applied); err != nil {
				return err
			}
			if applied {
				return nil
			}
			if _, err := tx.Exec(ctx, string(script)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", version, base)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	_, err = conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", migrationLock)
	return err
}

// Update runs fn in one database transaction and commits it, durably, when
// fn succeeds. A panic in fn is turned into a CodeInternal error, as the
// SQLite store must, so that both behave alike.
func (s *Store) Update(ctx context.Context, fn func(guichet.Tx) error) error {
	return s.run(ctx, beginUpdate, true, fn)
}

// View runs fn in a read-only transaction. REPEATABLE READ gives fn one
// snapshot for all its reads, as a SQLite read transaction does.
func (s *Store) View(ctx context.Context, fn func(guichet.Tx) error) error {
	return s.run(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", false, fn)
}

// run runs fn with a tx that opens its database transaction with begin
// when it first talks to the database, and commits it afterwards if fn
// succeeds. The error of a queued statement fails the unit of work even
// when fn ignored it.
func (s *Store) run(ctx context.Context, begin string, write bool, fn func(guichet.Tx) error) (err error) {
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return errClosed()
	}
	if err := ctx.Err(); err != nil {
		return cancelled(err)
	}
	t := &tx{ctx: ctx, s: s, write: write, begin: begin}
	defer t.release()
	err = call(fn, t)
	t.end()
	if err != nil {
		return err
	}
	if write && !t.begun && t.failed == nil && len(t.pending) > 0 {
		// fn only queued writes: they commit with those of others.
		t.release()
		return s.commitGrouped(ctx, t.pending)
	}
	// Ending the transaction must not depend on a context the caller may
	// have cancelled meanwhile: an abandoned commit leaves the caller
	// unsure whether it happened.
	return t.finish(context.WithoutCancel(ctx))
}

// call runs fn, turning a panic into an error.
func call(fn func(guichet.Tx) error, t *tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &guichet.Error{Code: guichet.CodeInternal, Message: "internal error", Err: fmt.Errorf("panic in Update: %v\n%s", p, debug.Stack())}
		}
	}()
	return fn(t)
}

// RecordExchange queues e for the exchange writer. It waits only when the
// queue is full. An exchange without an ID gets one.
func (s *Store) RecordExchange(ctx context.Context, e guichet.Exchange) error {
	if e.ID == "" {
		e.ID = guichet.NewID("", time.Now())
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed()
	}
	select {
	case s.exchanges <- e:
		return nil
	case <-ctx.Done():
		return cancelled(ctx.Err())
	}
}

// Exchanges lists exchanges, newest first. It first has the queued ones
// written, so that a caller sees the exchanges it recorded.
func (s *Store) Exchanges(ctx context.Context, f guichet.ExchangeFilter) ([]guichet.Exchange, error) {
	if err := s.flush(ctx); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.pool.Query(ctx, listExchanges, tables.StorableArgs([]any{f.ShopID, limit, f.Reference})...)
	if err != nil {
		return nil, convert(err, "list exchanges")
	}
	return collect(rows, "list exchanges", tables.Exchanges.Scan)
}

// listExchanges lists exchanges, newest first; an empty filter keeps them
// all.
var listExchanges = "SELECT " + tables.Exchanges.Columns + ` FROM exchanges
	WHERE ($1 = '' OR shop_id = $1) AND ($3 = '' OR reference = $3)
	ORDER BY at DESC NULLS LAST, seq DESC LIMIT $2`

func (s *Store) flush(ctx context.Context) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed()
	}
	done := make(chan struct{})
	select {
	case s.flushes <- done:
	case <-ctx.Done():
		return cancelled(ctx.Err())
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return cancelled(ctx.Err())
	}
}

// Close writes the queued exchanges and closes the pool, once the Updates
// and Views under way have finished. It returns the error of any exchange
// that could not be written. Calling it again does nothing.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	close(s.stop)
	<-s.stopped
	<-s.claimsDone
	close(s.unitsStop)
	<-s.unitsDone
	s.pool.Close()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.exchangeErr
}

// writeExchanges is the goroutine that writes exchanges, as many at a time
// as have queued up while the previous batch was being written.
func (s *Store) writeExchanges() {
	defer close(s.stopped)
	buf := make([]guichet.Exchange, 0, exchangeBatch)
	for {
		select {
		case e := <-s.exchanges:
			buf = append(buf[:0], e)
			buf = s.writeQueued(buf)
		case done := <-s.flushes:
			buf = s.writeQueued(buf[:0])
			close(done)
		case <-s.stop:
			s.writeQueued(buf[:0])
			return
		}
	}
}

// writeQueued writes buf and whatever is queued, until the queue is empty.
func (s *Store) writeQueued(buf []guichet.Exchange) []guichet.Exchange {
	for {
	gather:
		for len(buf) < exchangeBatch {
			select {
			case e := <-s.exchanges:
				buf = append(buf, e)
			default:
				break gather
			}
		}
		if len(buf) == 0 {
			return buf
		}
		if err := s.insertExchanges(buf); err != nil {
			s.mu.Lock()
			s.exchangeErr = err
			s.mu.Unlock()
		}
		clear(buf)
		buf = buf[:0]
	}
}

// insertExchanges writes list in one statement, which adds what it
// inserted to the exchange totals, and which commits with the payments'
// next group (group.go) rather than on its own: a commit, and the WAL
// flush it waits for, fewer. The text is made storable first, so that the
// sizes counted are those of what is kept.
func (s *Store) insertExchanges(list []guichet.Exchange) error {
	ctx, cancel := context.WithTimeout(context.Background(), exchangeTimeout)
	defer cancel()
	n := len(list)
	ids, shops, protocols, operations := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	references, codes, requests, responses := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	ats, durations, sizes := make([]pgtype.Timestamptz, n), make([]int64, n), make([]int64, n)
	for i, e := range list {
		e = tables.StorableExchange(e)
		ids[i], shops[i], protocols[i], operations[i] = e.ID, e.ShopID, e.Protocol, e.Operation
		references[i], codes[i], requests[i], responses[i] = e.Reference, e.Code, e.Request, e.Response
		ats[i], durations[i], sizes[i] = timeArg(e.At), int64(e.Duration), guichet.ExchangeSize(e)
	}
	return s.commitGrouped(ctx, []statement{{sql: insertExchanges, doing: "record exchanges",
		args: []any{ids, shops, protocols, operations, references, codes, requests, responses, ats, durations, sizes}}})
}

// insertExchanges inserts exchanges from one array per column, the arrays
// in the order of the columns, and adds those it inserted to the totals.
// Arrays keep the statement the same whatever the number of exchanges;
// being typed, they are the one place the columns of exchanges are listed
// again, by their types.
var insertExchanges = `WITH inserted AS (
		INSERT INTO exchanges (` + tables.Exchanges.Columns + `)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			$9::timestamptz[], $10::bigint[], $11::bigint[])
		ON CONFLICT DO NOTHING
		RETURNING size)
	UPDATE exchange_totals SET count = count + (SELECT count(*) FROM inserted),
		bytes = bytes + (SELECT coalesce(sum(size), 0) FROM inserted) WHERE id = 1`

// errClosed answers calls made after Close.
func errClosed() error {
	return &guichet.Error{Code: guichet.CodeUnavailable, Message: "store closed"}
}
