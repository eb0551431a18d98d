package postgres

import (
	"context"
	"errors"
	"time"

	"guichet"
	"guichet/internal/store/tables"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// tx is the guichet.Tx of one Update or View function.
//
// A round trip to the database costs more than the work most statements
// ask of it, so tx talks to it as late and as seldom as it can. It takes a
// connection from the pool only when it first needs one, and opens the
// database transaction with the first batch it sends. The inserts of Claim,
// Emit and PutTransaction (of a new transaction), and the writes of orders,
// jobs, deliveries and attempts (see orders.go) are not sent at once: they
// queue up until a read needs to see them or the commit comes, and then go
// in one pipelined batch, the commit included. An Update that only writes,
// such as a payment, thus costs one round trip.
//
// A queued insert can only fail when its batch is sent, after the call that
// queued it has returned. So queued inserts have no ON CONFLICT clause: a
// conflict raises an error, which aborts the database transaction (and the
// COMMIT queued behind it), and the Update fails with that error, whatever
// its function returns; every later call on the tx returns it too. Claim
// still reports at once a key claimed twice within one Update.
//
// A statement that fails inside a PostgreSQL transaction aborts it, so the
// statements sent at once count the rows they wrote where a conflict must
// not end the unit of work, and the rarer upserts that can hit a second
// unique constraint run inside a savepoint: a conflict they report to fn
// never spoils the rest of its work.
type tx struct {
	ctx   context.Context
	s     *Store
	write bool
	ended bool
	// begin is the statement that opens the database transaction.
	begin string
	// conn is nil until the first statement is sent.
	conn *pgxpool.Conn
	// begun tells that the database transaction is open.
	begun bool
	// pending are the queued inserts.
	pending []statement
	// claimed holds the keys this tx claimed, as shop ID and key.
	claimed map[[2]string]bool
	// failed is the error of a statement sent in a batch, after which
	// the database transaction is aborted and the tx unusable.
	failed error
	// loaded maps each transaction this tx read or wrote to the number of
	// its operations already stored, so that PutTransaction knows whether
	// to insert or update it and which operations are new.
	loaded map[string]int
}

var _ guichet.Tx = (*tx)(nil)

// statement is an SQL statement sent in a batch.
type statement struct {
	sql  string
	args []any
	// doing names the statement in the errors convert makes.
	doing string
	// conflict, when set, is the error a unique violation stands for.
	conflict func() *guichet.Error
	// check, when set, judges the statement by its command tag; its error
	// does not abort the database transaction.
	check func(pgconn.CommandTag) error
	// into, when set, tells that the statement inserts rows rows into a
	// table, which a group commit may join to other inserts into that
	// table (see group.go).
	into *tableInsert
	rows int
}

// failure turns the error the statement raised into the error to report.
func (st *statement) failure(err error) error {
	var pe *pgconn.PgError
	if st.conflict != nil && errors.As(err, &pe) && pe.Code == "23505" {
		e := st.conflict()
		e.Err = err
		return e
	}
	if errors.As(err, &pe) {
		switch pe.Code {
		case sqlstateClaimNotPending:
			return &guichet.Error{Code: guichet.CodeConflict, Message: "claim no longer pending", Err: err}
		case sqlstateClaimMissing:
			return &guichet.Error{Code: guichet.CodeNotFound, Message: "claim not found", Err: err}
		}
	}
	return convert(err, st.doing)
}

// end makes t unusable once its function has returned.
func (t *tx) end() { t.ended = true }

func (t *tx) check(write bool) error {
	if t.ended {
		return &guichet.Error{Code: guichet.CodeInternal, Message: "internal error", Err: errors.New("store Tx used after its function returned")}
	}
	if write && !t.write {
		return &guichet.Error{Code: guichet.CodeInternal, Message: "internal error", Err: errors.New("store write attempted in View")}
	}
	return t.failed
}

// acquire takes the connection of t from the pool, the first time only.
func (t *tx) acquire() (*pgx.Conn, error) {
	if t.conn == nil {
		c, err := t.s.pool.Acquire(t.ctx)
		if err != nil {
			return nil, convert(err, "connect")
		}
		t.conn = c
	}
	return t.conn.Conn(), nil
}

// queue adds an insert to those sent with the next batch.
func (t *tx) queue(st statement) {
	t.pending = append(t.pending, st)
}

// sync sends what t owes the database, the BEGIN and the queued inserts,
// and returns the connection, ready for a statement that must see them.
func (t *tx) sync() (*pgx.Conn, error) {
	if err := t.send(t.ctx); err != nil {
		return nil, err
	}
	return t.conn.Conn(), nil
}

// send runs, in one round trip, the BEGIN the database transaction still
// lacks, the queued inserts, then tail. A statement that raises an error
// aborts the database transaction: t keeps that error as failed.
func (t *tx) send(ctx context.Context, tail ...statement) error {
	if t.failed != nil {
		return t.failed
	}
	conn, err := t.acquire()
	if err != nil {
		return err
	}
	stmts := make([]statement, 0, 1+len(t.pending)+len(tail))
	if !t.begun {
		stmts = append(stmts, statement{sql: t.begin, doing: "begin"})
	}
	stmts = append(append(stmts, t.pending...), tail...)
	t.pending = t.pending[:0]
	b := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, len(stmts))}
	for _, st := range stmts {
		b.Queue(st.sql, tables.StorableArgs(st.args)...)
	}
	results := conn.SendBatch(ctx, b)
	var failed, checked error
	for i := range stmts {
		tag, err := results.Exec()
		if err != nil {
			failed = stmts[i].failure(err)
			break
		}
		if stmts[i].check != nil && checked == nil {
			checked = stmts[i].check(tag)
		}
	}
	if err := results.Close(); err != nil && failed == nil {
		failed = convert(err, "send batch")
	}
	// The BEGIN may have run even when the batch failed: the server tells
	// whether a transaction is open, idle ('I') meaning none is.
	t.begun = conn.PgConn().TxStatus() != 'I'
	if failed != nil {
		t.failed = failed
		return failed
	}
	return checked
}

// finish commits the database transaction of t, if it has one or has
// something to write, in the same round trip as the queued inserts. COMMIT
// answers only once the commit record is flushed (synchronous_commit is
// left on), so a nil error means a durable commit.
func (t *tx) finish(ctx context.Context) error {
	if t.failed != nil {
		return t.failed
	}
	if !t.begun && len(t.pending) == 0 {
		// Nothing was read or written: there is nothing to commit.
		return nil
	}
	return t.send(ctx, statement{sql: "COMMIT", doing: "commit", check: func(tag pgconn.CommandTag) error {
		// COMMIT of an aborted transaction rolls back and says so.
		if tag.String() != "COMMIT" {
			return &guichet.Error{Code: guichet.CodeInternal, Message: "internal error", Err: errors.New("commit: transaction rolled back")}
		}
		return nil
	}})
}

// release rolls back whatever database transaction t left open and puts
// its connection back in the pool, which discards it if the rollback
// failed. The rollback must not depend on the caller's context, which may
// be cancelled already.
func (t *tx) release() {
	if t.conn == nil {
		return
	}
	if pg := t.conn.Conn().PgConn(); !pg.IsClosed() && pg.TxStatus() != 'I' {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(t.ctx), rollbackTimeout)
		t.conn.Exec(ctx, "ROLLBACK")
		cancel()
	}
	t.conn.Release()
	t.conn = nil
}

// savepoint runs fn inside a savepoint, so that an error in it undoes only
// what fn did instead of aborting the whole transaction.
func (t *tx) savepoint(fn func(*pgx.Conn) error) error {
	conn, err := t.sync()
	if err != nil {
		return err
	}
	if _, err := conn.Exec(t.ctx, "SAVEPOINT guichet"); err != nil {
		return err
	}
	if err := fn(conn); err != nil {
		if _, rerr := conn.Exec(t.ctx, "ROLLBACK TO SAVEPOINT guichet"); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	_, err = conn.Exec(t.ctx, "RELEASE SAVEPOINT guichet")
	return err
}

// Shops.

var (
	// selectShops selects shops with their credentials, aggregated as
	// tables.Shops reads them: json_agg gives NULL for none, hence "[]".
	selectShops = "SELECT " + tables.Shops.Columns + `,
		coalesce((SELECT json_agg(json_build_object('p', protocol, 'k', key, 'd', data) ORDER BY protocol, key)
			FROM credentials WHERE shop_id = shops.id)::text, '[]')
		FROM shops`
	shopByID         = selectShops + " WHERE id = $1"
	shopByCredential = selectShops + " WHERE id = (SELECT shop_id FROM credentials WHERE protocol = $1 AND key = $2)"
	allShops         = selectShops + " ORDER BY id"
	upsertShop       = tables.Shops.Insert(dialect, 1) + " ON CONFLICT (id) DO UPDATE SET " + tables.Shops.Excluded("id")
	insertCredential = tables.Credentials.Insert(dialect, 1)
)

func (t *tx) Shop(id string) (*guichet.Shop, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load shop", tables.Shops.Scan, shopByID, id)
	return tables.First(l, err, "shop")
}

func (t *tx) ShopByCredential(protocol, key string) (*guichet.Shop, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load shop", tables.Shops.Scan, shopByCredential, protocol, key)
	return tables.First(l, err, "shop")
}

func (t *tx) Shops() ([]guichet.Shop, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return list(t, "load shop", tables.Shops.Scan, allShops)
}

func (t *tx) PutShop(s *guichet.Shop) error {
	if err := t.check(true); err != nil {
		return err
	}
	if s.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "shop ID missing", Param: "id"}
	}
	credentials, err := tables.ShopCredentials(s)
	if err != nil {
		return err
	}
	// The shop and its credentials are written whole or not at all: the
	// savepoint undoes the shop's row too when another shop holds one of
	// its credentials, and the unit of work goes on.
	err = t.savepoint(func(conn *pgx.Conn) error {
		if _, err := conn.Exec(t.ctx, upsertShop, tables.StorableArgs(tables.Shops.Append(dialect, nil, *s))...); err != nil {
			return err
		}
		if _, err := conn.Exec(t.ctx, "DELETE FROM credentials WHERE shop_id = $1", tables.StorableArgs([]any{s.ID})...); err != nil {
			return err
		}
		for _, c := range credentials {
			if _, err := conn.Exec(t.ctx, insertCredential, tables.StorableArgs(tables.Credentials.Append(dialect, nil, c))...); err != nil {
				return err
			}
		}
		return nil
	})
	return convert(err, "save shop")
}

// Transactions.

var (
	selectTransactions = "SELECT " + tables.Transactions.Columns + " FROM transactions"
	transactionByID    = selectTransactions + " WHERE id = $1"
	// transactionByNumber, transactionByOperation, transactionByRef and
	// transactionByAmount each find one transaction, as their getters say.
	transactionByNumber    = selectTransactions + " WHERE number = $1 AND shop_id = $2"
	transactionByOperation = selectTransactions + `
		WHERE id = (SELECT transaction_id FROM operations WHERE number = $1) AND shop_id = $2`
	transactionByRef = selectTransactions + `
		WHERE id = (SELECT transaction_id FROM operations WHERE front = $1 AND ref = $2 AND ref <> '')`
	transactionByAmount = selectTransactions + `
		WHERE shop_id = $1 AND reference = $2 AND amount = $3
		ORDER BY created_at DESC NULLS LAST, number DESC LIMIT 1`
	filteredTransactions = selectTransactions + `
		WHERE ($1 = '' OR shop_id = $1) AND ($2 = '' OR reference = $2)
		ORDER BY created_at DESC NULLS LAST, number DESC LIMIT $3`
	transactionsByCard = selectTransactions + `
		WHERE shop_id = $1 AND card_fingerprint = $2
		ORDER BY created_at DESC NULLS LAST, number DESC LIMIT $3`
	transactionsByOrder = selectTransactions + `
		WHERE shop_id = $1 AND order_id = $2
		ORDER BY created_at DESC NULLS LAST, number DESC LIMIT $3`

	insertTransaction = tables.Transactions.Insert(dialect, 1)
	// updateTransaction saves a transaction loaded before. The shop,
	// number and creation time never change, so they are not written
	// again, and the update cannot break a unique constraint.
	updateTransaction = tables.Transactions.Update(dialect, "id", "shop_id", "number", "created_at")

	operationsOf = "SELECT " + tables.Operations.Columns + " FROM operations WHERE transaction_id = ANY($1) ORDER BY number"
	// insertOperationOf inserts an operation of a transaction saved
	// before: the transaction's ID is $1, the operation's columns follow.
	// The EXISTS test turns a missing transaction into an insert that
	// writes nothing, where the foreign key would abort the whole database
	// transaction.
	insertOperationOf = "INSERT INTO operations (" + tables.Operations.Columns + ")" +
		" SELECT " + tables.Params(dialect, 2, tables.Operations.Len()) +
		" WHERE EXISTS (SELECT 1 FROM transactions WHERE id = $1) ON CONFLICT DO NOTHING"
)

// transactions runs query, which selects the columns of transactions, and
// loads the operations of every transaction it returns in one more query.
func (t *tx) transactions(query string, args ...any) ([]guichet.Transaction, error) {
	l, err := list(t, "load transaction", tables.Transactions.Scan, query, args...)
	if err != nil || len(l) == 0 {
		return nil, err
	}
	ids := make([]string, len(l))
	index := make(map[string]*guichet.Transaction, len(l))
	for i := range l {
		ids[i] = l[i].ID
		index[l[i].ID] = &l[i]
	}
	ops, err := list(t, "load operations", tables.Operations.Scan, operationsOf, ids)
	if err != nil {
		return nil, err
	}
	for _, op := range ops {
		tr := index[op.TransactionID]
		tr.Operations = append(tr.Operations, op)
	}
	if t.loaded == nil {
		t.loaded = make(map[string]int)
	}
	for _, tr := range l {
		t.loaded[tr.ID] = len(tr.Operations)
	}
	return l, nil
}

// transaction loads the one transaction query selects. Inside Update it
// locks the row until commit, so that the read-modify-write of concurrent
// Updates on one transaction take turns; the operations are read after the
// lock is granted, so they are the latest.
func (t *tx) transaction(query string, args ...any) (*guichet.Transaction, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	if t.write {
		query += " FOR UPDATE"
	}
	l, err := t.transactions(query, args...)
	return tables.First(l, err, "transaction")
}

func (t *tx) Transaction(id string) (*guichet.Transaction, error) {
	return t.transaction(transactionByID, id)
}

func (t *tx) TransactionByNumber(shopID string, number int64) (*guichet.Transaction, error) {
	return t.transaction(transactionByNumber, number, shopID)
}

func (t *tx) TransactionByOperation(shopID string, number int64) (*guichet.Transaction, error) {
	return t.transaction(transactionByOperation, number, shopID)
}

func (t *tx) TransactionByRef(front, ref string) (*guichet.Transaction, error) {
	return t.transaction(transactionByRef, front, ref)
}

func (t *tx) FindTransaction(shopID, reference string, amount int64) (*guichet.Transaction, error) {
	return t.transaction(transactionByAmount, shopID, reference, amount)
}

// Transactions lists transactions without locking them: it serves listings,
// not changes.
func (t *tx) Transactions(f guichet.TransactionFilter) ([]guichet.Transaction, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	if f.OrderID != "" {
		return t.transactions(transactionsByOrder, f.ShopID, f.OrderID, limit)
	}
	if f.Fingerprint != "" {
		return t.transactions(transactionsByCard, f.ShopID, f.Fingerprint, limit)
	}
	return t.transactions(filteredTransactions, f.ShopID, f.Reference, limit)
}

func (t *tx) PutTransaction(tr *guichet.Transaction) error {
	if err := t.check(true); err != nil {
		return err
	}
	if tr.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "transaction ID missing", Param: "id"}
	}
	stored, loaded := t.loaded[tr.ID]
	if loaded && len(tr.Operations) < stored {
		return &guichet.Error{Code: guichet.CodeInternal, Message: "internal error", Err: errors.New("operations are append-only")}
	}
	for _, op := range tr.Operations[stored:] {
		if op.ID == "" {
			return &guichet.Error{Code: guichet.CodeInvalid, Message: "operation ID missing", Param: "id"}
		}
	}
	if !loaded {
		// A new transaction and its operations are queued: a conflict
		// will fail the whole Update when they are sent.
		t.queue(statement{
			sql:  insertTransaction,
			args: tables.Transactions.Append(dialect, nil, *tr),
			into: transactionInsert, rows: 1,
			doing: "insert transaction",
			conflict: func() *guichet.Error {
				return &guichet.Error{Code: guichet.CodeConflict, Message: "transaction already exists"}
			},
		})
		if len(tr.Operations) > 0 {
			// One statement for all the operations: each statement costs
			// the server more than each row.
			args := make([]any, 0, tables.Operations.Len()*len(tr.Operations))
			for _, op := range tr.Operations {
				op.TransactionID = tr.ID
				args = tables.Operations.Append(dialect, args, op)
			}
			t.queue(statement{
				sql:  tables.Operations.Insert(dialect, len(tr.Operations)),
				args: args,
				into: operationInsert, rows: len(tr.Operations),
				doing: "save transaction",
				conflict: func() *guichet.Error {
					return &guichet.Error{Code: guichet.CodeConflict, Message: "operation already exists"}
				},
			})
		}
	} else {
		// A loaded transaction is saved at once, with the queued inserts
		// in front, because an update that finds no row must be reported
		// to the caller without aborting the database transaction.
		stmts := []statement{{
			sql:   updateTransaction.SQL,
			args:  updateTransaction.Args(tables.Transactions.Append(dialect, nil, *tr)),
			doing: "save transaction",
			check: func(tag pgconn.CommandTag) error {
				if tag.RowsAffected() == 0 {
					return tables.NotFound("transaction")
				}
				return nil
			},
		}}
		for _, op := range tr.Operations[stored:] {
			op.TransactionID = tr.ID
			args := append(make([]any, 0, 1+tables.Operations.Len()), tr.ID)
			stmts = append(stmts, statement{
				sql:   insertOperationOf,
				args:  tables.Operations.Append(dialect, args, op),
				doing: "save transaction",
				check: func(tag pgconn.CommandTag) error {
					if tag.RowsAffected() == 0 {
						return &guichet.Error{Code: guichet.CodeConflict, Message: "operation already exists"}
					}
					return nil
				},
			})
		}
		if err := t.send(t.ctx, stmts...); err != nil {
			return err
		}
	}
	if t.loaded == nil {
		t.loaded = make(map[string]int)
	}
	t.loaded[tr.ID] = len(tr.Operations)
	return nil
}

// Tokens.

var (
	tokenByID        = "SELECT " + tables.Tokens.Columns + " FROM tokens WHERE id = $1"
	tokenByReference = "SELECT " + tables.Tokens.Columns + " FROM tokens WHERE shop_id = $1 AND reference = $2"
	// upsertToken inserts a token, or gives the token the shop registered
	// under that reference the new handle and card; that token keeps its
	// ID and creation time, which the statement returns.
	upsertToken = tables.Tokens.Insert(dialect, 1) + `
		ON CONFLICT (shop_id, reference) DO UPDATE SET ` + tables.Tokens.Excluded("id", "shop_id", "reference", "created_at") + `
		RETURNING id, created_at`
)

func (t *tx) Token(shopID, reference string) (*guichet.Token, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load token", tables.Tokens.Scan, tokenByReference, shopID, reference)
	return tables.First(l, err, "token")
}

// TokenByID finds a token by its ID, whatever its shop.
func (t *tx) TokenByID(id string) (*guichet.Token, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load token", tables.Tokens.Scan, tokenByID, id)
	return tables.First(l, err, "token")
}

// PutToken inserts the token, or replaces the handle and card of the token
// the shop already registered under that reference. That token keeps its ID
// and creation time, which PutToken copies into tok.
func (t *tx) PutToken(tok *guichet.Token) error {
	if err := t.check(true); err != nil {
		return err
	}
	if tok.ID == "" {
		tok.ID = guichet.NewID("", time.Now())
	}
	var id string
	var created time.Time
	// The savepoint catches an ID taken by another reference's token.
	err := t.savepoint(func(conn *pgx.Conn) error {
		return conn.QueryRow(t.ctx, upsertToken, tables.StorableArgs(tables.Tokens.Append(dialect, nil, *tok))...).
			Scan(&id, dialect.ScanTime(&created))
	})
	if err != nil {
		return convert(err, "save token")
	}
	tok.ID, tok.CreatedAt = id, created
	return nil
}

func (t *tx) DeleteToken(shopID, reference string) error {
	if err := t.check(true); err != nil {
		return err
	}
	conn, err := t.sync()
	if err != nil {
		return err
	}
	tag, err := conn.Exec(t.ctx, "DELETE FROM tokens WHERE shop_id = $1 AND reference = $2", tables.StorableArgs([]any{shopID, reference})...)
	if err != nil {
		return convert(err, "delete token")
	}
	if tag.RowsAffected() == 0 {
		return tables.NotFound("token")
	}
	return nil
}

// Claims, events, numbers.

var (
	insertClaim = tables.Claims.Insert(dialect, 1)
	eventsOf    = "SELECT " + tables.Events.Columns + " FROM events WHERE transaction_id = $1 ORDER BY at NULLS FIRST, seq"
)

// Claim queues the insert of the claim, in its final state, done. A key
// this tx claimed already is reported at once; a key claimed by an earlier
// Update is reported when the insert is sent, and then fails the whole
// Update.
func (t *tx) Claim(shopID, key string, at time.Time) error {
	if err := t.check(true); err != nil {
		return err
	}
	return t.queueClaim(guichet.Claim{ShopID: shopID, Key: key, At: at, State: guichet.ClaimDone})
}

// queueClaim queues the insert of c, as Claim says.
func (t *tx) queueClaim(c guichet.Claim) error {
	k := [2]string{c.ShopID, c.Key}
	if t.claimed[k] {
		return duplicate()
	}
	if t.claimed == nil {
		t.claimed = make(map[[2]string]bool)
	}
	t.claimed[k] = true
	t.queue(statement{
		sql:  insertClaim,
		args: tables.Claims.Append(dialect, nil, c),
		into: claimInsert, rows: 1,
		doing:    "claim",
		conflict: duplicate,
	})
	return nil
}

func duplicate() *guichet.Error {
	return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonDuplicate, Message: "request already processed"}
}

// Emit queues the events for the outbox, due for delivery at once. An event
// without an ID gets one.
func (t *tx) Emit(events ...guichet.Event) error {
	if err := t.check(true); err != nil {
		return err
	}
	if len(events) == 0 {
		return nil
	}
	// One statement for all the events; the rows of a VALUES list are
	// inserted in order, so seq keeps the order of events.
	args := make([]any, 0, tables.Events.Len()*len(events))
	for _, e := range events {
		if e.ID == "" {
			e.ID = guichet.NewID("", time.Now())
		}
		args = tables.Events.Append(dialect, args, e)
	}
	t.queue(statement{
		sql:  tables.Events.Insert(dialect, len(events)),
		args: args,
		into: eventInsert, rows: len(events),
		doing: "emit event",
		conflict: func() *guichet.Error {
			return &guichet.Error{Code: guichet.CodeConflict, Message: "event already exists"}
		},
	})
	return nil
}

func (t *tx) Events(transactionID string) ([]guichet.Event, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return list(t, "list events", tables.Events.Scan, eventsOf, transactionID)
}

// NextNumber hands out the next number of the block this store instance
// took from the numbers sequence (see numbers). It is refused in View, as
// PostgreSQL would refuse nextval there.
func (t *tx) NextNumber() (int64, error) {
	if err := t.check(true); err != nil {
		return 0, err
	}
	if n, ok := t.s.numbers.take(); ok {
		return n, nil
	}
	// The block is used up. The connection is taken before the block's
	// lock, so that nobody waits for a connection while holding it.
	conn, err := t.acquire()
	if err != nil {
		return 0, err
	}
	return t.s.numbers.refill(t.ctx, conn)
}
