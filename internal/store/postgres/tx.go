package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/store/columns"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
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

func notFound(what string) error {
	return &guichet.Error{Code: guichet.CodeNotFound, Message: what + " not found"}
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
		b.Queue(st.sql, storableArgs(st.args)...)
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

// shopCols are the columns of a shop, its credentials aggregated in a
// JSON array (columns.Credentials decodes it).
const shopCols = `id, name, mode, capture_delay, clock_offset_ns, three_ds, require_cvv, notify_attempts, kwixo,
	auto_capture_days, brands, created_at,
	(SELECT json_agg(json_build_object('p', protocol, 'k', key, 'd', data) ORDER BY protocol, key)
		FROM credentials WHERE shop_id = shops.id)::text`

func scanShop(row pgx.CollectableRow) (guichet.Shop, error) {
	var s guichet.Shop
	var mode string
	var offset int64
	var kwixo, brands string
	var credentials pgtype.Text
	var created pgtype.Timestamptz
	err := row.Scan(&s.ID, &s.Name, &mode, &s.CaptureDelay, &offset, &s.ThreeDS, &s.RequireCVV, &s.NotifyAttempts,
		&kwixo, &s.AutoCaptureDays, &brands, &created, &credentials)
	if err != nil {
		return s, err
	}
	s.Mode, s.ClockOffset, s.CreatedAt = guichet.Mode(mode), time.Duration(offset), fromTime(created)
	return s, columns.ShopJSON(&s, kwixo, brands, credentials.String)
}

func (t *tx) shops(query string, args ...any) ([]guichet.Shop, error) {
	conn, err := t.sync()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(t.ctx, query, storableArgs(args)...)
	if err != nil {
		return nil, convert(err, "load shop")
	}
	list, err := pgx.CollectRows(rows, scanShop)
	if err != nil {
		return nil, convert(err, "load shop")
	}
	return list, nil
}

func (t *tx) shop(query string, args ...any) (*guichet.Shop, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	list, err := t.shops(query, args...)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("shop")
	}
	return &list[0], nil
}

func (t *tx) Shop(id string) (*guichet.Shop, error) {
	return t.shop("SELECT "+shopCols+" FROM shops WHERE id = $1", id)
}

func (t *tx) ShopByCredential(protocol, key string) (*guichet.Shop, error) {
	return t.shop("SELECT "+shopCols+" FROM shops WHERE id = (SELECT shop_id FROM credentials WHERE protocol = $1 AND key = $2)",
		protocol, key)
}

func (t *tx) Shops() ([]guichet.Shop, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return t.shops("SELECT " + shopCols + " FROM shops ORDER BY id")
}

func (t *tx) PutShop(s *guichet.Shop) error {
	if err := t.check(true); err != nil {
		return err
	}
	if s.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "shop ID missing", Param: "id"}
	}
	kwixo, brands := columns.ShopContract(s)
	datas, err := columns.CredentialsData(s)
	if err != nil {
		return err
	}
	// The shop and its credentials are written whole or not at all: the
	// savepoint undoes the shop's row too when another shop holds one of
	// its credentials, and the unit of work goes on.
	err = t.savepoint(func(conn *pgx.Conn) error {
		_, err := conn.Exec(t.ctx, `INSERT INTO shops (id, name, mode, capture_delay, clock_offset_ns, three_ds, require_cvv,
				notify_attempts, kwixo, auto_capture_days, brands, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, mode = excluded.mode,
				capture_delay = excluded.capture_delay, clock_offset_ns = excluded.clock_offset_ns,
				three_ds = excluded.three_ds, require_cvv = excluded.require_cvv, notify_attempts = excluded.notify_attempts, kwixo = excluded.kwixo,
				auto_capture_days = excluded.auto_capture_days, brands = excluded.brands, created_at = excluded.created_at`,
			storableArgs([]any{s.ID, s.Name, string(s.Mode), s.CaptureDelay, int64(s.ClockOffset),
				s.ThreeDS, s.RequireCVV, s.NotifyAttempts, kwixo, s.AutoCaptureDays, brands, timeArg(s.CreatedAt)})...)
		if err != nil {
			return err
		}
		if _, err := conn.Exec(t.ctx, "DELETE FROM credentials WHERE shop_id = $1", storableArgs([]any{s.ID})...); err != nil {
			return err
		}
		for i, c := range s.Credentials {
			if _, err := conn.Exec(t.ctx, "INSERT INTO credentials (protocol, key, shop_id, data) VALUES ($1, $2, $3, $4)",
				storableArgs([]any{c.Protocol, c.Key, s.ID, datas[i]})...); err != nil {
				return err
			}
		}
		return nil
	})
	return convert(err, "save shop")
}

// Transactions.

const transactionCols = `id, shop_id, number, reference, currency, amount, captured, refunded, status,
	card_masked, card_fingerprint, card_brand, card_country, card_exp_month, card_exp_year, card_sealed,
	token_id, order_id, method, method_option, review, three_ds, auth_code, response_code, remit_at, capture_by,
	created_at, updated_at`

// insertTransaction inserts the transactionCols of one transaction.
var insertTransaction = "INSERT INTO transactions (" + transactionCols + ") VALUES " + placeholders(1, 28)

const operationCols = "id, transaction_id, number, kind, amount, approved, code, front, ref, created_at"

func scanTransaction(row pgx.CollectableRow) (guichet.Transaction, error) {
	var tr guichet.Transaction
	var status, brand string
	var remit, captureBy, created, updated pgtype.Timestamptz
	c := &tr.Card
	err := row.Scan(&tr.ID, &tr.ShopID, &tr.Number, &tr.Reference, &tr.Currency, &tr.Amount, &tr.Captured, &tr.Refunded, &status,
		&c.Masked, &c.Fingerprint, &brand, &c.Country, &c.ExpMonth, &c.ExpYear, &c.Sealed,
		&tr.TokenID, &tr.OrderID, &tr.Method, &tr.Option, &tr.Review, &tr.ThreeDS, &tr.AuthCode, &tr.ResponseCode,
		&remit, &captureBy, &created, &updated)
	tr.Status, c.Brand = guichet.Status(status), guichet.Brand(brand)
	tr.RemitAt, tr.CaptureBy = fromTime(remit), fromTime(captureBy)
	tr.CreatedAt, tr.UpdatedAt = fromTime(created), fromTime(updated)
	return tr, err
}

func scanOperation(row pgx.CollectableRow) (guichet.Operation, error) {
	var op guichet.Operation
	var kind string
	var created pgtype.Timestamptz
	err := row.Scan(&op.ID, &op.TransactionID, &op.Number, &kind, &op.Amount, &op.Approved, &op.Code, &op.Front, &op.Ref, &created)
	op.Kind, op.CreatedAt = guichet.OperationKind(kind), fromTime(created)
	return op, err
}

// transactions runs query, which selects transactionCols, and loads the
// operations of every transaction it returns in one more query.
func (t *tx) transactions(query string, args ...any) ([]guichet.Transaction, error) {
	conn, err := t.sync()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(t.ctx, query, storableArgs(args)...)
	if err != nil {
		return nil, convert(err, "load transaction")
	}
	list, err := pgx.CollectRows(rows, scanTransaction)
	if err != nil {
		return nil, convert(err, "load transaction")
	}
	if len(list) == 0 {
		return nil, nil
	}
	ids := make([]string, len(list))
	index := make(map[string]*guichet.Transaction, len(list))
	for i := range list {
		ids[i] = list[i].ID
		index[list[i].ID] = &list[i]
	}
	rows, err = conn.Query(t.ctx, "SELECT "+operationCols+" FROM operations WHERE transaction_id = ANY($1) ORDER BY number", ids)
	if err != nil {
		return nil, convert(err, "load operations")
	}
	ops, err := pgx.CollectRows(rows, scanOperation)
	if err != nil {
		return nil, convert(err, "load operations")
	}
	for _, op := range ops {
		tr := index[op.TransactionID]
		tr.Operations = append(tr.Operations, op)
	}
	if t.loaded == nil {
		t.loaded = make(map[string]int)
	}
	for _, tr := range list {
		t.loaded[tr.ID] = len(tr.Operations)
	}
	return list, nil
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
	list, err := t.transactions(query, args...)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("transaction")
	}
	return &list[0], nil
}

func (t *tx) Transaction(id string) (*guichet.Transaction, error) {
	return t.transaction("SELECT "+transactionCols+" FROM transactions WHERE id = $1", id)
}

func (t *tx) TransactionByNumber(shopID string, number int64) (*guichet.Transaction, error) {
	return t.transaction("SELECT "+transactionCols+" FROM transactions WHERE number = $1 AND shop_id = $2", number, shopID)
}

func (t *tx) TransactionByOperation(shopID string, number int64) (*guichet.Transaction, error) {
	return t.transaction(`SELECT `+transactionCols+` FROM transactions
		WHERE id = (SELECT transaction_id FROM operations WHERE number = $1) AND shop_id = $2`, number, shopID)
}

func (t *tx) TransactionByRef(front, ref string) (*guichet.Transaction, error) {
	return t.transaction(`SELECT `+transactionCols+` FROM transactions
		WHERE id = (SELECT transaction_id FROM operations WHERE front = $1 AND ref = $2 AND ref <> '')`, front, ref)
}

func (t *tx) FindTransaction(shopID, reference string, amount int64) (*guichet.Transaction, error) {
	return t.transaction(`SELECT `+transactionCols+` FROM transactions
		WHERE shop_id = $1 AND reference = $2 AND amount = $3
		ORDER BY created_at DESC NULLS LAST, number DESC LIMIT 1`, shopID, reference, amount)
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
	return t.transactions(`SELECT `+transactionCols+` FROM transactions
		WHERE ($1 = '' OR shop_id = $1) AND ($2 = '' OR reference = $2)
		ORDER BY created_at DESC NULLS LAST, number DESC LIMIT $3`, f.ShopID, f.Reference, limit)
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
	c := &tr.Card
	if !loaded {
		// A new transaction and its operations are queued: a conflict
		// will fail the whole Update when they are sent.
		t.queue(statement{
			sql: insertTransaction,
			args: []any{tr.ID, tr.ShopID, tr.Number, tr.Reference, tr.Currency, tr.Amount, tr.Captured, tr.Refunded, string(tr.Status),
				c.Masked, c.Fingerprint, string(c.Brand), c.Country, c.ExpMonth, c.ExpYear, blob(c.Sealed),
				tr.TokenID, tr.OrderID, tr.Method, tr.Option, tr.Review, tr.ThreeDS, tr.AuthCode, tr.ResponseCode,
				timeArg(tr.RemitAt), timeArg(tr.CaptureBy), timeArg(tr.CreatedAt), timeArg(tr.UpdatedAt)},
			doing: "insert transaction",
			conflict: func() *guichet.Error {
				return &guichet.Error{Code: guichet.CodeConflict, Message: "transaction already exists"}
			},
		})
		if len(tr.Operations) > 0 {
			// One statement for all the operations: each statement costs
			// the server more than each row.
			args := make([]any, 0, 10*len(tr.Operations))
			for _, op := range tr.Operations {
				args = append(args, op.ID, tr.ID, op.Number, string(op.Kind), op.Amount, op.Approved, op.Code, op.Front, op.Ref,
					timeArg(op.CreatedAt))
			}
			t.queue(statement{
				sql:   `INSERT INTO operations (` + operationCols + `) VALUES ` + placeholders(len(tr.Operations), 10),
				args:  args,
				doing: "save transaction",
				conflict: func() *guichet.Error {
					return &guichet.Error{Code: guichet.CodeConflict, Message: "operation already exists"}
				},
			})
		}
	} else {
		// A loaded transaction is saved at once, with the queued inserts
		// in front, because an update that finds no row must be reported
		// to the caller without aborting the database transaction. The
		// shop, number and creation time never change, so they are not
		// written again, and the update cannot break a unique constraint.
		stmts := []statement{{
			sql: `UPDATE transactions SET reference = $1, currency = $2, amount = $3, captured = $4,
			refunded = $5, status = $6, card_masked = $7, card_fingerprint = $8, card_brand = $9, card_country = $10,
			card_exp_month = $11, card_exp_year = $12, card_sealed = $13, token_id = $14, order_id = $15,
			method = $16, method_option = $17, review = $18, three_ds = $19, auth_code = $20, response_code = $21,
			remit_at = $22, capture_by = $23, updated_at = $24 WHERE id = $25`,
			args: []any{tr.Reference, tr.Currency, tr.Amount, tr.Captured, tr.Refunded, string(tr.Status),
				c.Masked, c.Fingerprint, string(c.Brand), c.Country, c.ExpMonth, c.ExpYear, blob(c.Sealed),
				tr.TokenID, tr.OrderID, tr.Method, tr.Option, tr.Review, tr.ThreeDS, tr.AuthCode, tr.ResponseCode,
				timeArg(tr.RemitAt), timeArg(tr.CaptureBy), timeArg(tr.UpdatedAt), tr.ID},
			doing: "save transaction",
			check: func(tag pgconn.CommandTag) error {
				if tag.RowsAffected() == 0 {
					return notFound("transaction")
				}
				return nil
			},
		}}
		for _, op := range tr.Operations[stored:] {
			// The EXISTS test turns a missing transaction into an insert
			// that writes nothing, where the foreign key would abort the
			// whole database transaction.
			stmts = append(stmts, statement{
				sql: `INSERT INTO operations (` + operationCols + `)
					SELECT $1, $2::text, $3, $4, $5, $6, $7, $8, $9, $10 WHERE EXISTS (SELECT 1 FROM transactions WHERE id = $2::text)
					ON CONFLICT DO NOTHING`,
				args:  []any{op.ID, tr.ID, op.Number, string(op.Kind), op.Amount, op.Approved, op.Code, op.Front, op.Ref, timeArg(op.CreatedAt)},
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

const tokenCols = `id, shop_id, reference, handle, card_masked, card_fingerprint, card_brand, card_country,
	card_exp_month, card_exp_year, card_sealed, order_id, cancelled_at, created_at, updated_at`

func (t *tx) Token(shopID, reference string) (*guichet.Token, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	var tok guichet.Token
	var brand string
	var cancelled, created, updated pgtype.Timestamptz
	c := &tok.Card
	conn, err := t.sync()
	if err != nil {
		return nil, err
	}
	err = conn.QueryRow(t.ctx, "SELECT "+tokenCols+" FROM tokens WHERE shop_id = $1 AND reference = $2", storableArgs([]any{shopID, reference})...).Scan(
		&tok.ID, &tok.ShopID, &tok.Reference, &tok.Handle, &c.Masked, &c.Fingerprint, &brand, &c.Country,
		&c.ExpMonth, &c.ExpYear, &c.Sealed, &tok.OrderID, &cancelled, &created, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("token")
	}
	if err != nil {
		return nil, convert(err, "load token")
	}
	c.Brand = guichet.Brand(brand)
	tok.CancelledAt, tok.CreatedAt, tok.UpdatedAt = fromTime(cancelled), fromTime(created), fromTime(updated)
	return &tok, nil
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
	c := &tok.Card
	var id string
	var created pgtype.Timestamptz
	// The savepoint catches an ID taken by another reference's token.
	err := t.savepoint(func(conn *pgx.Conn) error {
		return conn.QueryRow(t.ctx, `INSERT INTO tokens (`+tokenCols+`) VALUES `+placeholders(1, 15)+`
			ON CONFLICT (shop_id, reference) DO UPDATE SET handle = excluded.handle,
				card_masked = excluded.card_masked, card_fingerprint = excluded.card_fingerprint,
				card_brand = excluded.card_brand, card_country = excluded.card_country,
				card_exp_month = excluded.card_exp_month, card_exp_year = excluded.card_exp_year,
				card_sealed = excluded.card_sealed, order_id = excluded.order_id, cancelled_at = excluded.cancelled_at,
				updated_at = excluded.updated_at
			RETURNING id, created_at`,
			storableArgs([]any{tok.ID, tok.ShopID, tok.Reference, tok.Handle, c.Masked, c.Fingerprint, string(c.Brand), c.Country,
				c.ExpMonth, c.ExpYear, blob(c.Sealed), tok.OrderID, timeArg(tok.CancelledAt), timeArg(tok.CreatedAt), timeArg(tok.UpdatedAt)})...).Scan(&id, &created)
	})
	if err != nil {
		return convert(err, "save token")
	}
	tok.ID, tok.CreatedAt = id, fromTime(created)
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
	tag, err := conn.Exec(t.ctx, "DELETE FROM tokens WHERE shop_id = $1 AND reference = $2", storableArgs([]any{shopID, reference})...)
	if err != nil {
		return convert(err, "delete token")
	}
	if tag.RowsAffected() == 0 {
		return notFound("token")
	}
	return nil
}

// Claims, events, numbers.

// Claim queues the insert of the claim. A key this tx claimed already is
// reported at once; a key claimed by an earlier Update is reported when the
// insert is sent, and then fails the whole Update.
func (t *tx) Claim(shopID, key string, at time.Time) error {
	if err := t.check(true); err != nil {
		return err
	}
	k := [2]string{shopID, key}
	if t.claimed[k] {
		return duplicate()
	}
	if t.claimed == nil {
		t.claimed = make(map[[2]string]bool)
	}
	t.claimed[k] = true
	t.queue(statement{
		sql:      "INSERT INTO claims (shop_id, key, at) VALUES ($1, $2, $3)",
		args:     []any{shopID, key, timeArg(at)},
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
	args := make([]any, 0, 7*len(events))
	for _, e := range events {
		if e.ID == "" {
			e.ID = guichet.NewID("", time.Now())
		}
		args = append(args, e.ID, e.ShopID, e.TransactionID, e.Type, timeArg(e.At), blob(e.Data), timeArg(e.At))
	}
	t.queue(statement{
		sql: `INSERT INTO events (id, shop_id, transaction_id, type, at, data, next_attempt_at)
			VALUES ` + placeholders(len(events), 7),
		args:  args,
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
	conn, err := t.sync()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(t.ctx, `SELECT id, shop_id, transaction_id, type, at, data FROM events
		WHERE transaction_id = $1 ORDER BY at NULLS FIRST, seq`, storableArgs([]any{transactionID})...)
	if err != nil {
		return nil, convert(err, "list events")
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (guichet.Event, error) {
		var e guichet.Event
		var at pgtype.Timestamptz
		err := row.Scan(&e.ID, &e.ShopID, &e.TransactionID, &e.Type, &at, &e.Data)
		e.At = fromTime(at)
		return e, err
	})
	if err != nil {
		return nil, convert(err, "list events")
	}
	return list, nil
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

// placeholders returns the VALUES list of rows rows of cols parameters:
// ($1, $2), ($3, $4) for 2 and 2.
func placeholders(rows, cols int) string {
	var b strings.Builder
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(r*cols + c + 1))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// timeArg stores the zero time as NULL, so that it comes back as the zero
// time rather than as year 1 in some time zone.
func timeArg(t time.Time) pgtype.Timestamptz {
	if t.IsZero() {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: t, Valid: true}
}

func fromTime(t pgtype.Timestamptz) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// blob stores an empty byte slice as NULL, so that it reads back as nil.
func blob(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// newID returns a random identifier for the rows a caller did not name.
