package sqlite

import (
	"database/sql"
	"errors"
	"time"

	"guichet"
	"guichet/internal/store/columns"
)

// runner is where a tx sends its statements: the writer connection inside
// Update, a read transaction inside View.
type runner interface {
	exec(query string, args ...any) (sql.Result, error)
	query(query string, args ...any) (*sql.Rows, error)
}

// tx is the guichet.Tx of one Update or View function.
type tx struct {
	store *Store
	run   runner
	write bool
	ended bool
	// loaded maps each transaction this tx read or wrote to the number of
	// its operations already stored, so that PutTransaction knows whether
	// to insert or update it and which operations are new.
	loaded map[string]int
}

var _ guichet.Tx = (*tx)(nil)

// end makes t unusable: its function has returned, and in Update the writer
// connection has moved on to another function's savepoint.
func (t *tx) end() { t.ended = true }

func (t *tx) check(write bool) error {
	if t.ended {
		return &guichet.Error{Code: guichet.CodeInternal, Message: "internal error", Err: errors.New("store Tx used after its function returned")}
	}
	if write && !t.write {
		return &guichet.Error{Code: guichet.CodeInternal, Message: "internal error", Err: errors.New("store write attempted in View")}
	}
	return nil
}

func notFound(what string) error {
	return &guichet.Error{Code: guichet.CodeNotFound, Message: what + " not found"}
}

// Shops.

// shopCols are the columns of a shop, its credentials aggregated in a
// JSON array (columns.Credentials decodes it).
const shopCols = `id, name, mode, capture_delay, clock_offset_ns, three_ds, require_cvv, notify_attempts, kwixo,
	auto_capture_days, brands, created_at,
	(SELECT json_group_array(json_object('p', protocol, 'k', key, 'd', data))
		FROM (SELECT protocol, key, data FROM credentials WHERE shop_id = shops.id ORDER BY protocol, key))`

func scanShop(rows *sql.Rows) (guichet.Shop, error) {
	var s guichet.Shop
	var offset int64
	var kwixo, brands, credentials string
	var created sql.NullInt64
	err := rows.Scan(&s.ID, &s.Name, &s.Mode, &s.CaptureDelay, &offset, &s.ThreeDS, &s.RequireCVV, &s.NotifyAttempts,
		&kwixo, &s.AutoCaptureDays, &brands, &created, &credentials)
	if err != nil {
		return s, err
	}
	s.ClockOffset, s.CreatedAt = time.Duration(offset), fromNanos(created)
	return s, columns.ShopJSON(&s, kwixo, brands, credentials)
}

func (t *tx) shops(what, query string, args ...any) ([]guichet.Shop, error) {
	rows, err := t.run.query(query, args...)
	if err != nil {
		return nil, convert(err, "load "+what)
	}
	defer rows.Close()
	var list []guichet.Shop
	for rows.Next() {
		s, err := scanShop(rows)
		if err != nil {
			return nil, convert(err, "load "+what)
		}
		list = append(list, s)
	}
	if err := rows.Err(); err != nil {
		return nil, convert(err, "load "+what)
	}
	return list, nil
}

func (t *tx) shop(query string, args ...any) (*guichet.Shop, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	list, err := t.shops("shop", query, args...)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("shop")
	}
	return &list[0], nil
}

func (t *tx) Shop(id string) (*guichet.Shop, error) {
	return t.shop("SELECT "+shopCols+" FROM shops WHERE id = ?", id)
}

func (t *tx) ShopByCredential(protocol, key string) (*guichet.Shop, error) {
	return t.shop("SELECT "+shopCols+" FROM shops WHERE id = (SELECT shop_id FROM credentials WHERE protocol = ? AND key = ?)",
		protocol, key)
}

func (t *tx) Shops() ([]guichet.Shop, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return t.shops("shops", "SELECT "+shopCols+" FROM shops ORDER BY id")
}

func (t *tx) PutShop(s *guichet.Shop) error {
	if err := t.check(true); err != nil {
		return err
	}
	if s.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "shop ID missing", Param: "id"}
	}
	datas, err := columns.CredentialsData(s)
	if err != nil {
		return err
	}
	// The shop and its credentials are written whole or not at all: a
	// credential another shop holds undoes the shop's row too, and the
	// unit of work goes on.
	if _, err := t.run.exec("SAVEPOINT put_shop"); err != nil {
		return convert(err, "save shop")
	}
	if err := t.putShop(s, datas); err != nil {
		if _, rerr := t.run.exec("ROLLBACK TO put_shop"); rerr != nil {
			return convert(rerr, "save shop")
		}
		t.run.exec("RELEASE put_shop")
		return err
	}
	_, err = t.run.exec("RELEASE put_shop")
	return convert(err, "save shop")
}

// putShop writes a shop and the column values of its credentials' data.
func (t *tx) putShop(s *guichet.Shop, datas []string) error {
	kwixo, brands := columns.ShopContract(s)
	_, err := t.run.exec(`INSERT INTO shops (id, name, mode, capture_delay, clock_offset_ns, three_ds, require_cvv,
			notify_attempts, kwixo, auto_capture_days, brands, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, mode = excluded.mode,
			capture_delay = excluded.capture_delay, clock_offset_ns = excluded.clock_offset_ns,
			three_ds = excluded.three_ds, require_cvv = excluded.require_cvv, notify_attempts = excluded.notify_attempts, kwixo = excluded.kwixo,
			auto_capture_days = excluded.auto_capture_days, brands = excluded.brands, created_at = excluded.created_at`,
		s.ID, s.Name, string(s.Mode), s.CaptureDelay, int64(s.ClockOffset),
		s.ThreeDS, s.RequireCVV, s.NotifyAttempts, kwixo, s.AutoCaptureDays, brands, nanos(s.CreatedAt))
	if err != nil {
		return convert(err, "save shop")
	}
	// The shop's credentials are replaced by those it holds now; a key
	// another shop holds is a conflict, which undoes the whole change.
	if _, err := t.run.exec("DELETE FROM credentials WHERE shop_id = ?", s.ID); err != nil {
		return convert(err, "save shop")
	}
	for i, c := range s.Credentials {
		if _, err := t.run.exec("INSERT INTO credentials (protocol, key, shop_id, data) VALUES (?, ?, ?, ?)",
			c.Protocol, c.Key, s.ID, datas[i]); err != nil {
			return convert(err, "save shop")
		}
	}
	return nil
}

// Transactions.

const transactionCols = `id, shop_id, number, reference, currency, amount, captured, refunded, status,
	card_masked, card_fingerprint, card_brand, card_country, card_exp_month, card_exp_year, card_sealed,
	token_id, order_id, method, method_option, review, three_ds, auth_code, response_code, remit_at, capture_by, created_at, updated_at`

const operationCols = "id, transaction_id, number, kind, amount, approved, code, front, ref, created_at"

func (t *tx) transactions(query string, args ...any) ([]guichet.Transaction, error) {
	rows, err := t.run.query(query, args...)
	if err != nil {
		return nil, convert(err, "load transaction")
	}
	defer rows.Close()
	var list []guichet.Transaction
	for rows.Next() {
		var tr guichet.Transaction
		var remit, captureBy, created, updated sql.NullInt64
		c := &tr.Card
		err := rows.Scan(&tr.ID, &tr.ShopID, &tr.Number, &tr.Reference, &tr.Currency, &tr.Amount, &tr.Captured, &tr.Refunded, &tr.Status,
			&c.Masked, &c.Fingerprint, &c.Brand, &c.Country, &c.ExpMonth, &c.ExpYear, &c.Sealed,
			&tr.TokenID, &tr.OrderID, &tr.Method, &tr.Option, &tr.Review, &tr.ThreeDS, &tr.AuthCode, &tr.ResponseCode, &remit, &captureBy, &created, &updated)
		if err != nil {
			return nil, convert(err, "load transaction")
		}
		tr.RemitAt, tr.CaptureBy = fromNanos(remit), fromNanos(captureBy)
		tr.CreatedAt, tr.UpdatedAt = fromNanos(created), fromNanos(updated)
		list = append(list, tr)
	}
	if err := rows.Err(); err != nil {
		return nil, convert(err, "load transaction")
	}
	// The operations are read once the transaction rows are closed, so
	// that the writer connection never has two statements interleaved.
	for i := range list {
		if err := t.loadOperations(&list[i]); err != nil {
			return nil, err
		}
	}
	return list, nil
}

func (t *tx) loadOperations(tr *guichet.Transaction) error {
	rows, err := t.run.query("SELECT "+operationCols+" FROM operations WHERE transaction_id = ? ORDER BY number", tr.ID)
	if err != nil {
		return convert(err, "load operations")
	}
	defer rows.Close()
	for rows.Next() {
		var op guichet.Operation
		var created sql.NullInt64
		if err := rows.Scan(&op.ID, &op.TransactionID, &op.Number, &op.Kind, &op.Amount, &op.Approved, &op.Code, &op.Front, &op.Ref, &created); err != nil {
			return convert(err, "load operations")
		}
		op.CreatedAt = fromNanos(created)
		tr.Operations = append(tr.Operations, op)
	}
	if err := rows.Err(); err != nil {
		return convert(err, "load operations")
	}
	if t.loaded == nil {
		t.loaded = make(map[string]int)
	}
	t.loaded[tr.ID] = len(tr.Operations)
	return nil
}

func (t *tx) transaction(query string, args ...any) (*guichet.Transaction, error) {
	if err := t.check(false); err != nil {
		return nil, err
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

// Inside Update, the writer runs one function at a time within a write
// transaction, so no lock is needed for a function to see and change a
// transaction without interference.

func (t *tx) Transaction(id string) (*guichet.Transaction, error) {
	return t.transaction("SELECT "+transactionCols+" FROM transactions WHERE id = ?", id)
}

func (t *tx) TransactionByNumber(shopID string, number int64) (*guichet.Transaction, error) {
	return t.transaction("SELECT "+transactionCols+" FROM transactions WHERE number = ? AND shop_id = ?", number, shopID)
}

func (t *tx) TransactionByOperation(shopID string, number int64) (*guichet.Transaction, error) {
	return t.transaction(`SELECT `+transactionCols+` FROM transactions
		WHERE id = (SELECT transaction_id FROM operations WHERE number = ?) AND shop_id = ?`, number, shopID)
}

func (t *tx) TransactionByRef(front, ref string) (*guichet.Transaction, error) {
	return t.transaction(`SELECT `+transactionCols+` FROM transactions
		WHERE id = (SELECT transaction_id FROM operations WHERE front = ? AND ref = ? AND ref <> '')`, front, ref)
}

func (t *tx) FindTransaction(shopID, reference string, amount int64) (*guichet.Transaction, error) {
	return t.transaction(`SELECT `+transactionCols+` FROM transactions
		WHERE shop_id = ? AND reference = ? AND amount = ?
		ORDER BY created_at DESC, number DESC LIMIT 1`, shopID, reference, amount)
}

func (t *tx) Transactions(f guichet.TransactionFilter) ([]guichet.Transaction, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	// One constant query per combination of filters keeps the writer's
	// statement cache bounded.
	const order = " ORDER BY created_at DESC, number DESC LIMIT ?"
	switch {
	case f.ShopID != "" && f.Reference != "":
		return t.transactions("SELECT "+transactionCols+" FROM transactions WHERE shop_id = ? AND reference = ?"+order, f.ShopID, f.Reference, limit)
	case f.ShopID != "":
		return t.transactions("SELECT "+transactionCols+" FROM transactions WHERE shop_id = ?"+order, f.ShopID, limit)
	case f.Reference != "":
		return t.transactions("SELECT "+transactionCols+" FROM transactions WHERE reference = ?"+order, f.Reference, limit)
	default:
		return t.transactions("SELECT "+transactionCols+" FROM transactions"+order, limit)
	}
}

func (t *tx) PutTransaction(tr *guichet.Transaction) error {
	if err := t.check(true); err != nil {
		return err
	}
	if tr.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "transaction ID missing", Param: "id"}
	}
	c := &tr.Card
	stored, loaded := t.loaded[tr.ID]
	if !loaded {
		_, err := t.run.exec(`INSERT INTO transactions (`+transactionCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tr.ID, tr.ShopID, tr.Number, tr.Reference, tr.Currency, tr.Amount, tr.Captured, tr.Refunded, string(tr.Status),
			c.Masked, c.Fingerprint, string(c.Brand), c.Country, c.ExpMonth, c.ExpYear, blob(c.Sealed),
			tr.TokenID, tr.OrderID, tr.Method, tr.Option, tr.Review, tr.ThreeDS, tr.AuthCode, tr.ResponseCode,
			nanos(tr.RemitAt), nanos(tr.CaptureBy), nanos(tr.CreatedAt), nanos(tr.UpdatedAt))
		if err != nil {
			return convert(err, "insert transaction")
		}
	} else {
		if len(tr.Operations) < stored {
			return &guichet.Error{Code: guichet.CodeInternal, Message: "internal error", Err: errors.New("operations are append-only")}
		}
		// The shop, number and creation time never change, so they are
		// not written again.
		res, err := t.run.exec(`UPDATE transactions SET reference = ?, currency = ?, amount = ?, captured = ?,
			refunded = ?, status = ?, card_masked = ?, card_fingerprint = ?, card_brand = ?, card_country = ?,
			card_exp_month = ?, card_exp_year = ?, card_sealed = ?, token_id = ?, order_id = ?, method = ?,
			method_option = ?, review = ?, three_ds = ?, auth_code = ?, response_code = ?, remit_at = ?, capture_by = ?,
			updated_at = ? WHERE id = ?`,
			tr.Reference, tr.Currency, tr.Amount, tr.Captured, tr.Refunded, string(tr.Status),
			c.Masked, c.Fingerprint, string(c.Brand), c.Country, c.ExpMonth, c.ExpYear, blob(c.Sealed),
			tr.TokenID, tr.OrderID, tr.Method, tr.Option, tr.Review, tr.ThreeDS, tr.AuthCode, tr.ResponseCode,
			nanos(tr.RemitAt), nanos(tr.CaptureBy), nanos(tr.UpdatedAt), tr.ID)
		if err != nil {
			return convert(err, "update transaction")
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return notFound("transaction")
		}
	}
	for _, op := range tr.Operations[stored:] {
		if op.ID == "" {
			return &guichet.Error{Code: guichet.CodeInvalid, Message: "operation ID missing", Param: "id"}
		}
		_, err := t.run.exec(`INSERT INTO operations (`+operationCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			op.ID, tr.ID, op.Number, string(op.Kind), op.Amount, op.Approved, op.Code, op.Front, op.Ref, nanos(op.CreatedAt))
		if err != nil {
			return convert(err, "insert operation")
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
	rows, err := t.run.query("SELECT "+tokenCols+" FROM tokens WHERE shop_id = ? AND reference = ?", shopID, reference)
	if err != nil {
		return nil, convert(err, "load token")
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, convert(err, "load token")
		}
		return nil, notFound("token")
	}
	var tok guichet.Token
	var cancelled, created, updated sql.NullInt64
	c := &tok.Card
	err = rows.Scan(&tok.ID, &tok.ShopID, &tok.Reference, &tok.Handle, &c.Masked, &c.Fingerprint, &c.Brand, &c.Country,
		&c.ExpMonth, &c.ExpYear, &c.Sealed, &tok.OrderID, &cancelled, &created, &updated)
	if err != nil {
		return nil, convert(err, "load token")
	}
	tok.CancelledAt, tok.CreatedAt, tok.UpdatedAt = fromNanos(cancelled), fromNanos(created), fromNanos(updated)
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
	rows, err := t.run.query(`INSERT INTO tokens (`+tokenCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (shop_id, reference) DO UPDATE SET handle = excluded.handle,
			card_masked = excluded.card_masked, card_fingerprint = excluded.card_fingerprint,
			card_brand = excluded.card_brand, card_country = excluded.card_country,
			card_exp_month = excluded.card_exp_month, card_exp_year = excluded.card_exp_year,
			card_sealed = excluded.card_sealed, order_id = excluded.order_id, cancelled_at = excluded.cancelled_at,
			updated_at = excluded.updated_at
		RETURNING id, created_at`,
		tok.ID, tok.ShopID, tok.Reference, tok.Handle, c.Masked, c.Fingerprint, string(c.Brand), c.Country,
		c.ExpMonth, c.ExpYear, blob(c.Sealed), tok.OrderID, nanos(tok.CancelledAt), nanos(tok.CreatedAt), nanos(tok.UpdatedAt))
	if err != nil {
		return convert(err, "save token")
	}
	defer rows.Close()
	if rows.Next() {
		var created sql.NullInt64
		if err := rows.Scan(&tok.ID, &created); err != nil {
			return convert(err, "save token")
		}
		tok.CreatedAt = fromNanos(created)
	}
	// A RETURNING statement reports its constraint errors only as the
	// rows are read.
	for rows.Next() {
	}
	return convert(rows.Err(), "save token")
}

func (t *tx) DeleteToken(shopID, reference string) error {
	if err := t.check(true); err != nil {
		return err
	}
	res, err := t.run.exec("DELETE FROM tokens WHERE shop_id = ? AND reference = ?", shopID, reference)
	if err != nil {
		return convert(err, "delete token")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return convert(err, "delete token")
	}
	if n == 0 {
		return notFound("token")
	}
	return nil
}

// Claims, events, numbers.

func (t *tx) Claim(shopID, key string, at time.Time) error {
	if err := t.check(true); err != nil {
		return err
	}
	res, err := t.run.exec("INSERT INTO claims (shop_id, key, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", shopID, key, nanos(at))
	if err != nil {
		return convert(err, "claim")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return convert(err, "claim")
	}
	if n == 0 {
		return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonDuplicate, Message: "request already processed"}
	}
	return nil
}

// Emit writes events to the outbox, due for delivery at once. An event
// without an ID gets one.
func (t *tx) Emit(events ...guichet.Event) error {
	if err := t.check(true); err != nil {
		return err
	}
	for _, e := range events {
		if e.ID == "" {
			e.ID = guichet.NewID("", time.Now())
		}
		_, err := t.run.exec(`INSERT INTO events (id, shop_id, transaction_id, type, at, data, next_attempt_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			e.ID, e.ShopID, e.TransactionID, e.Type, nanos(e.At), blob(e.Data), nanos(e.At))
		if err != nil {
			return convert(err, "emit event")
		}
	}
	return nil
}

func (t *tx) Events(transactionID string) ([]guichet.Event, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	rows, err := t.run.query(`SELECT id, shop_id, transaction_id, type, at, data FROM events
		WHERE transaction_id = ? ORDER BY at, rowid`, transactionID)
	if err != nil {
		return nil, convert(err, "list events")
	}
	defer rows.Close()
	var list []guichet.Event
	for rows.Next() {
		var e guichet.Event
		var at sql.NullInt64
		if err := rows.Scan(&e.ID, &e.ShopID, &e.TransactionID, &e.Type, &at, &e.Data); err != nil {
			return nil, convert(err, "list events")
		}
		e.At = fromNanos(at)
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, convert(err, "list events")
	}
	return list, nil
}

// NextNumber hands out a number from the store's counter. It is refused in
// View, as PostgreSQL refuses nextval in a read-only transaction, so that
// code behaves the same on both stores.
func (t *tx) NextNumber() (int64, error) {
	if err := t.check(true); err != nil {
		return 0, err
	}
	return t.store.nextNumber()
}

// nanos stores a time as Unix nanoseconds, and the zero time as NULL so that
// it comes back as the zero time.
func nanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// blob stores an empty byte slice as NULL, so that it reads back as nil.
func blob(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// newID returns a random identifier for the rows a caller did not name.
