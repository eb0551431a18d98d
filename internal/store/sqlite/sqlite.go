// Package sqlite is the guichet.Store kept in one SQLite file, for a single
// process: the whole gateway on one machine, with no database server to run.
//
// SQLite serialises writers, and a durable commit costs an fsync, so a store
// that gave each Update its own transaction would be bound by the disk's
// fsync rate. This store instead owns one writer connection, driven by one
// goroutine that runs every Update queued while the previous commit was
// under way in a single database transaction (group commit): each function
// runs inside its own savepoint, so a failing one is undone alone, and the
// batch pays for one fsync. The functions that only insert rows, such as
// a payment's record, share one savepoint and one statement per table
// (group.go). Reads (View, Exchanges) use a separate pool of
// query-only connections and, thanks to WAL, never wait for the writer.
//
// The file must be used by one Store at a time: numbers are handed out from
// a counter kept in memory.
package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"guichet"
	"guichet/internal/store/tables"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

//go:embed migrations/*.sql
var migrations embed.FS

const (
	// maxBatch bounds how many Update functions share one commit, so that
	// a caller at the end of a long queue still gets its answer quickly and
	// one batch does not hold an unbounded amount of uncommitted data.
	maxBatch = 512
	// maxPendingExchanges bounds the exchanges waiting for the writer, so
	// that a burst of front traffic cannot grow memory without limit:
	// beyond it, RecordExchange waits for a flush.
	maxPendingExchanges = 4096
	// checkpointInterval spaces the background checkpoints, so that a page
	// changed by many batches in a row is copied to the database file once
	// rather than after every batch.
	checkpointInterval = 100 * time.Millisecond
	// walSafetyPages is the WAL size, in pages, past which the writer
	// checkpoints by itself, in case the background checkpoints fall
	// behind.
	walSafetyPages = 65536
	// busyTimeout is how long a connection waits for a lock held by
	// another one (a checkpoint, a reader opening a snapshot) before
	// failing with SQLITE_BUSY.
	busyTimeout = 10 * time.Second
	// firstNumber is the number below every number the store hands out,
	// so that transaction numbers always print with at least seven digits.
	firstNumber = 1000000
	// maxNumber is the largest number that prints in the ten digits Paybox
	// allows for NUMAPPEL and NUMTRANS.
	maxNumber = 9999999999
)

// Store is a guichet.Store backed by a SQLite file. Its methods are safe for
// concurrent use.
type Store struct {
	writeDB *sql.DB
	readDB  *sql.DB
	// checkpointDB holds the connection that copies the WAL back into the
	// database file, off the writer's path.
	checkpointDB *sql.DB
	// writer is the only connection that writes. Only the writer goroutine
	// uses it once Open has returned.
	writer *writer

	// number is the last number handed out by NextNumber.
	number atomic.Int64
	// left holds the inserts the functions of the batch under way left
	// for the writer (group.go). Only the writer goroutine uses it.
	left []left

	requests chan *request
	// nudge wakes the writer when exchanges are waiting and no Update is.
	nudge chan struct{}
	// committed wakes the checkpointer after a commit.
	committed chan struct{}
	// stop tells the writer to flush what is left and return, and the
	// checkpointer to return; stopped and checkpointed are closed when
	// they have.
	stop         chan struct{}
	stopped      chan struct{}
	checkpointed chan struct{}

	// mu guards closed, pending and exchangeErr, and orders Close after
	// every Update that was let in: an Update registers in inflight while
	// holding mu for reading, and Close waits for inflight after setting
	// closed while holding mu for writing.
	mu          sync.RWMutex
	closed      bool
	inflight    sync.WaitGroup
	pending     []guichet.Exchange
	exchangeErr error
}

// request is one Update waiting for the writer.
type request struct {
	ctx  context.Context
	fn   func(guichet.Tx) error
	done chan error
}

var _ guichet.Store = (*Store)(nil)

// Open opens or creates the SQLite database at path, brings its schema up to
// date and starts the writer. The path is a file name, not a URI; the
// database needs a real file because the reader and writer connections share
// it.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || strings.ContainsRune(path, '?') || strings.HasPrefix(path, "file:") || path == ":memory:" {
		return nil, fmt.Errorf("sqlite: %q is not a plain file name", path)
	}
	timeout := strconv.FormatInt(busyTimeout.Milliseconds(), 10)
	// synchronous=FULL makes every commit reach the disk before Update
	// returns, which the Store contract requires; WAL lets readers run
	// while the writer commits. temp_store=MEMORY keeps the savepoint
	// journals in memory: on disk they cost a write for every page each
	// Update function touches. The large page cache keeps the indexes
	// that random IDs scatter writes over in memory.
	writeDB, err := sql.Open("sqlite", dsn(path, "busy_timeout("+timeout+")", "foreign_keys(1)", "journal_mode(WAL)",
		"synchronous(FULL)", "temp_store(MEMORY)", "cache_size(-16384)", "wal_autocheckpoint("+strconv.Itoa(walSafetyPages)+")"))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// A second write connection could only ever wait for the first one.
	writeDB.SetMaxOpenConns(1)
	conn, err := writeDB.Conn(ctx)
	if err != nil {
		writeDB.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w := &writer{conn: conn, stmts: make(map[string]*sql.Stmt)}
	fail := func(err error) (*Store, error) {
		w.close()
		writeDB.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := migrate(ctx, conn); err != nil {
		return fail(err)
	}
	var last sql.NullInt64
	err = conn.QueryRowContext(ctx, `SELECT max(n) FROM (
		SELECT max(number) AS n FROM transactions
		UNION ALL
		SELECT max(number) FROM operations)`).Scan(&last)
	if err != nil {
		return fail(err)
	}

	// query_only turns any write attempted from View into an error instead
	// of a second writer fighting the first for the lock.
	readDB, err := sql.Open("sqlite", dsn(path, "busy_timeout("+timeout+")", "query_only(1)"))
	if err != nil {
		return fail(err)
	}
	readDB.SetMaxOpenConns(max(4, 2*runtime.GOMAXPROCS(0)))
	readDB.SetMaxIdleConns(max(4, 2*runtime.GOMAXPROCS(0)))
	if err := readDB.PingContext(ctx); err != nil {
		readDB.Close()
		return fail(err)
	}
	checkpointDB, err := sql.Open("sqlite", dsn(path, "busy_timeout("+timeout+")", "synchronous(FULL)"))
	if err != nil {
		readDB.Close()
		return fail(err)
	}
	checkpointDB.SetMaxOpenConns(1)

	s := &Store{
		writeDB:      writeDB,
		readDB:       readDB,
		checkpointDB: checkpointDB,
		writer:       w,
		requests:     make(chan *request, maxBatch),
		nudge:        make(chan struct{}, 1),
		committed:    make(chan struct{}, 1),
		stop:         make(chan struct{}),
		stopped:      make(chan struct{}),
		checkpointed: make(chan struct{}),
	}
	s.number.Store(max(firstNumber, last.Int64))
	go s.run()
	go s.checkpoint()
	return s, nil
}

// dsn names the database at path for the modernc driver, with pragmas to
// run on every connection it opens.
func dsn(path string, pragmas ...string) string {
	var b strings.Builder
	b.WriteString(path)
	sep := "?"
	for _, p := range pragmas {
		b.WriteString(sep + "_pragma=" + url.QueryEscape(p))
		sep = "&"
	}
	return b.String()
}

// migrate applies, in name order, the embedded migrations not yet recorded
// in schema_migrations, each in its own transaction with its record, so that
// a failed migration leaves the schema as the previous one left it.
func migrate(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at INTEGER NOT NULL
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
		if err := migrateOne(ctx, conn, version, base, string(script)); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func migrateOne(ctx context.Context, conn *sql.Conn, version int, name, script string) (err error) {
	// IMMEDIATE takes the write lock before reading schema_migrations, so
	// that two processes opening a new file cannot both decide to apply
	// the same migration.
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		_, err := conn.ExecContext(ctx, "COMMIT")
		return err
	}
	if _, err := conn.ExecContext(ctx, script); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", version, name, time.Now().UnixNano()); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

// Update runs fn in the next batch of the writer and returns once the batch
// is durably committed, or fn's error if it failed, in which case nothing
// fn wrote is kept. fn runs on the writer goroutine: it must not block, and
// a panic in it is turned into a CodeInternal error.
//
// Once fn has been queued, Update waits for the outcome even if ctx ends,
// so that a caller is never told of a failure that was in fact committed;
// a function still queued when ctx ends is skipped.
func (s *Store) Update(ctx context.Context, fn func(guichet.Tx) error) error {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return errClosed()
	}
	s.inflight.Add(1)
	s.mu.RUnlock()
	defer s.inflight.Done()

	r := &request{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case s.requests <- r:
	case <-ctx.Done():
		return cancelled(ctx.Err())
	}
	return <-r.done
}

// View runs fn on a read-only connection, in one read transaction so that
// everything fn reads comes from the same snapshot.
func (s *Store) View(ctx context.Context, fn func(guichet.Tx) error) error {
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return errClosed()
	}
	sqlTx, err := s.readDB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return convert(err, "begin read")
	}
	defer sqlTx.Rollback()
	t := &tx{store: s, run: &reader{ctx: ctx, tx: sqlTx}}
	defer t.end()
	return fn(t)
}

// RecordExchange queues e for the writer, which inserts it with its next
// batch. An exchange without an ID gets one.
func (s *Store) RecordExchange(ctx context.Context, e guichet.Exchange) error {
	if e.ID == "" {
		e.ID = guichet.NewID("", time.Now())
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return errClosed()
	}
	s.pending = append(s.pending, e)
	full := len(s.pending) >= maxPendingExchanges
	s.mu.Unlock()
	select {
	case s.nudge <- struct{}{}:
	default:
	}
	if full {
		// An empty Update is a batch like any other: it carries the
		// waiting exchanges to the disk.
		return s.Update(ctx, func(guichet.Tx) error { return nil })
	}
	return nil
}

// Exchanges lists exchanges, newest first. It first has the writer flush the
// queued ones, so that a caller sees the exchanges it recorded.
func (s *Store) Exchanges(ctx context.Context, f guichet.ExchangeFilter) ([]guichet.Exchange, error) {
	if err := s.Update(ctx, func(guichet.Tx) error { return nil }); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	// Only the conditions asked for are written, so that SQLite picks the
	// index that fits: by shop, by reference, or by time alone.
	query := "SELECT " + tables.Exchanges.Columns + " FROM exchanges"
	var where []string
	var args []any
	if f.ShopID != "" {
		where, args = append(where, "shop_id = ?"), append(args, f.ShopID)
	}
	if f.Reference != "" {
		where, args = append(where, "reference = ?"), append(args, f.Reference)
	}
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.readDB.QueryContext(ctx, query+" ORDER BY at DESC, rowid DESC LIMIT ?", tables.StorableArgs(append(args, limit))...)
	if err != nil {
		return nil, convert(err, "list exchanges")
	}
	return collect(rows, "list exchanges", tables.Exchanges.Scan)
}

// Close waits for the Updates already let in, writes the queued exchanges,
// stops the writer and closes the database. It returns the error of any
// exchange that could not be written. Calling it again does nothing.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.inflight.Wait()
	close(s.stop)
	<-s.stopped
	<-s.checkpointed

	s.mu.Lock()
	err := s.exchangeErr
	if n := len(s.pending); n > 0 {
		// The last batch failed to commit and put them back.
		err = errors.Join(err, fmt.Errorf("sqlite: %d exchanges could not be written", n))
	}
	s.mu.Unlock()
	// PRAGMA optimize keeps the query planner's statistics fresh; SQLite
	// recommends running it when a long-lived connection closes.
	s.writer.conn.ExecContext(context.Background(), "PRAGMA optimize")
	return errors.Join(err, s.writer.close(), s.writeDB.Close(), s.readDB.Close(), s.checkpointDB.Close())
}

// checkpoint copies the pages the writer committed to the WAL back into the
// database file, so that the writer itself seldom has to: done by the
// writer, a checkpoint delays every Update of the batch that triggers it.
// PASSIVE never waits for the writer or the readers; what it cannot copy
// now, it copies next time.
func (s *Store) checkpoint() {
	defer close(s.checkpointed)
	for {
		select {
		case <-s.committed:
		case <-s.stop:
			return
		}
		// An error only means the WAL stays longer; the writer's own
		// checkpoint bounds it.
		s.checkpointDB.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		select {
		case <-time.After(checkpointInterval):
		case <-s.stop:
			return
		}
	}
}

// run is the writer goroutine: it gathers what was queued into batches and
// commits each batch once.
func (s *Store) run() {
	defer close(s.stopped)
	batch := make([]*request, 0, maxBatch)
	for {
		select {
		case r := <-s.requests:
			batch = append(batch, r)
		case <-s.nudge:
		case <-s.stop:
			// Close waited for every Update, so the queue is empty;
			// what may remain are exchanges.
			s.runBatch(nil)
			return
		}
	gather:
		for len(batch) < maxBatch {
			select {
			case r := <-s.requests:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		s.runBatch(batch)
		clear(batch)
		batch = batch[:0]
	}
}

// runBatch commits the queued exchanges and the functions of batch, and
// answers every request. When the batch cannot be committed past some
// function, the functions that follow are run again in a new batch.
func (s *Store) runBatch(batch []*request) {
	exchanges := s.takeExchanges()
	if len(batch) == 0 && len(exchanges) == 0 {
		return
	}
	for {
		n, ok := s.commit(batch, exchanges)
		if !ok && len(exchanges) > 0 {
			s.requeueExchanges(exchanges)
		}
		exchanges = nil
		batch = batch[n:]
		if len(batch) == 0 {
			return
		}
	}
}

// commit runs one database transaction holding the exchanges and as many of
// the functions of batch as it can, and answers those. It returns how many
// requests it answered, and whether the transaction committed.
func (s *Store) commit(batch []*request, exchanges []guichet.Exchange) (answered int, committed bool) {
	w := s.writer
	results := make([]error, len(batch))
	answer := func(n int, err error) {
		for i := range n {
			if err != nil && results[i] == nil {
				results[i] = err
			}
			batch[i].done <- results[i]
		}
	}
	if _, err := w.exec("BEGIN IMMEDIATE"); err != nil {
		answer(len(batch), convert(err, "begin"))
		return len(batch), false
	}
	if len(exchanges) > 0 {
		if broken, err := s.insertExchanges(exchanges); err != nil {
			if broken {
				w.exec("ROLLBACK")
				answer(len(batch), &guichet.Error{Code: guichet.CodeUnavailable, Message: "store write failed, retry", Err: err})
				return len(batch), false
			}
			// The exchanges themselves are faulty: drop them rather
			// than fail the payments they describe.
			s.mu.Lock()
			s.exchangeErr = err
			s.mu.Unlock()
		}
	}
	s.left = s.left[:0]
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			results[i] = cancelled(err)
			continue
		}
		broken := s.apply(r.fn, &results[i])
		if broken != nil {
			// A savepoint could not be released or rolled back:
			// SQLite has already rolled the whole transaction back, so
			// every function up to this one lost its writes.
			s.left = nil
			w.exec("ROLLBACK")
			answer(i+1, &guichet.Error{Code: guichet.CodeUnavailable, Message: "store write failed, retry", Err: broken})
			return i + 1, false
		}
	}
	if err := s.runLeft(); err != nil {
		w.exec("ROLLBACK")
		answer(len(batch), &guichet.Error{Code: guichet.CodeUnavailable, Message: "store write failed, retry", Err: err})
		return len(batch), false
	}
	if _, err := w.exec("COMMIT"); err != nil {
		w.exec("ROLLBACK")
		answer(len(batch), &guichet.Error{Code: guichet.CodeUnavailable, Message: "store commit failed, retry", Err: err})
		return len(batch), false
	}
	answer(len(batch), nil)
	select {
	case s.committed <- struct{}{}:
	default:
	}
	return len(batch), true
}

// apply runs fn, inside a savepoint from its first statement that is not
// a deferred insert (see group.go), and keeps its writes only if it
// succeeds. The outcome of its Update goes to *result, at once or, when
// fn left deferred inserts to the writer, once they have run. broken
// reports that the enclosing transaction is gone.
func (s *Store) apply(fn func(guichet.Tx) error, result *error) (broken error) {
	w := s.writer
	u := &unit{s: s}
	t := &tx{store: s, run: u, unit: u, write: true}
	err := s.call(fn, t)
	t.end()
	if u.broken != nil {
		*result = cmp.Or(err, convert(u.broken, "savepoint"))
		return u.broken
	}
	err = cmp.Or(u.failed, err)
	*result = err
	if !u.open {
		// Nothing was written yet: what fn deferred runs with the
		// batch's other inserts, unless fn failed.
		if err == nil && len(u.deferred) > 0 {
			s.left = append(s.left, left{inserts: u.deferred, result: result})
		}
		return nil
	}
	if err == nil {
		if _, rerr := w.exec("RELEASE fn"); rerr != nil {
			*result = convert(rerr, "release savepoint")
			return rerr
		}
		return nil
	}
	if _, rerr := w.exec("ROLLBACK TO fn"); rerr != nil {
		return rerr
	}
	if _, rerr := w.exec("RELEASE fn"); rerr != nil {
		return rerr
	}
	return nil
}

// call runs fn, turning a panic into an error so that one faulty function
// cannot take the writer, and every Update after it, down.
func (s *Store) call(fn func(guichet.Tx) error, t *tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &guichet.Error{Code: guichet.CodeInternal, Message: "internal error", Err: fmt.Errorf("panic in Update: %v\n%s", p, debug.Stack())}
		}
	}()
	return fn(t)
}

// insertExchanges writes list inside a savepoint, so that a faulty exchange
// is dropped without touching the rest of the batch, and adds what it
// inserted to the exchange totals. broken reports that the enclosing
// transaction is gone. The text is made storable first, so that the sizes
// counted are those of what is kept.
func (s *Store) insertExchanges(list []guichet.Exchange) (broken bool, err error) {
	w := s.writer
	if _, err := w.exec("SAVEPOINT exchanges"); err != nil {
		return true, err
	}
	var added guichet.ExchangeTotals
	for _, e := range list {
		e = tables.StorableExchange(e)
		size := guichet.ExchangeSize(e)
		res, err := w.exec(insertExchange, tables.Exchanges.Append(dialect, nil, e)...)
		var n int64
		if err == nil {
			n, err = res.RowsAffected()
		}
		if err == nil && n == 1 {
			added.Count++
			added.Bytes += size
		}
		if err != nil {
			if _, rerr := w.exec("ROLLBACK TO exchanges"); rerr != nil {
				return true, rerr
			}
			if _, rerr := w.exec("RELEASE exchanges"); rerr != nil {
				return true, rerr
			}
			return false, err
		}
	}
	if _, err := w.exec("UPDATE exchange_totals SET count = count + ?, bytes = bytes + ? WHERE id = 1", added.Count, added.Bytes); err != nil {
		if _, rerr := w.exec("ROLLBACK TO exchanges"); rerr != nil {
			return true, rerr
		}
		if _, rerr := w.exec("RELEASE exchanges"); rerr != nil {
			return true, rerr
		}
		return false, err
	}
	if _, err := w.exec("RELEASE exchanges"); err != nil {
		return true, err
	}
	return false, nil
}

// insertExchange inserts an exchange unless one has its ID already.
var insertExchange = tables.Exchanges.Insert(dialect, 1) + " ON CONFLICT DO NOTHING"

func (s *Store) takeExchanges() []guichet.Exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.pending
	s.pending = nil
	return list
}

func (s *Store) requeueExchanges(list []guichet.Exchange) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = append(list, s.pending...)
}

// nextNumber hands out the next number, refusing once numbers would no
// longer fit in ten digits.
func (s *Store) nextNumber() (int64, error) {
	n := s.number.Add(1)
	if n > maxNumber {
		return 0, &guichet.Error{Code: guichet.CodeInternal, Message: "numbers exhausted"}
	}
	return n, nil
}

// writer runs statements on the writer connection, preparing each distinct
// statement once: the hot path then skips SQL parsing entirely.
type writer struct {
	conn  *sql.Conn
	stmts map[string]*sql.Stmt
}

// stmt returns the prepared form of query. Every query the store runs on the
// writer is a constant, so the cache stays small.
func (w *writer) stmt(query string) (*sql.Stmt, error) {
	if st, ok := w.stmts[query]; ok {
		return st, nil
	}
	// The writer's statements never take the caller's context: cancelling
	// one would interrupt a transaction that other callers share.
	st, err := w.conn.PrepareContext(context.Background(), query)
	if err != nil {
		return nil, err
	}
	w.stmts[query] = st
	return st, nil
}

func (w *writer) exec(query string, args ...any) (sql.Result, error) {
	st, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.Exec(tables.StorableArgs(args)...)
}

func (w *writer) query(query string, args ...any) (*sql.Rows, error) {
	st, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.Query(tables.StorableArgs(args)...)
}

func (w *writer) close() error {
	var errs []error
	for _, st := range w.stmts {
		errs = append(errs, st.Close())
	}
	errs = append(errs, w.conn.Close())
	return errors.Join(errs...)
}

// reader runs statements in a read transaction of the reader pool.
type reader struct {
	ctx context.Context
	tx  *sql.Tx
}

func (r *reader) exec(query string, args ...any) (sql.Result, error) {
	return r.tx.ExecContext(r.ctx, query, tables.StorableArgs(args)...)
}

func (r *reader) query(query string, args ...any) (*sql.Rows, error) {
	return r.tx.QueryContext(r.ctx, query, tables.StorableArgs(args)...)
}
