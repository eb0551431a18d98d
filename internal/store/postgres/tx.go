package postgres

import (
	"context"
	"errors"
	"time"

	"guichet"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// tx is the guichet.Tx of one Update or View function.
//
// A statement that fails inside a PostgreSQL transaction aborts it, so the
// hot inserts use ON CONFLICT DO NOTHING and count the rows they wrote, and
// the rarer upserts that can hit a second unique constraint run inside a
// savepoint: a conflict reported to fn never spoils the rest of its work.
type tx struct {
	ctx   context.Context
	pg    pgx.Tx
	write bool
	ended bool
	// loaded maps each transaction this tx read or wrote to the number of
	// its operations already stored, so that PutTransaction knows whether
	// to insert or update it and which operations are new.
	loaded map[string]int
}

var _ guichet.Tx = (*tx)(nil)

// end makes t unusable once its function has returned.
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

// savepoint runs fn inside a savepoint, so that an error in it undoes only
// what fn did instead of aborting the whole transaction.
func (t *tx) savepoint(fn func(pgx.Tx) error) error {
	sp, err := t.pg.Begin(t.ctx)
	if err != nil {
		return err
	}
	if err := fn(sp); err != nil {
		if rerr := sp.Rollback(t.ctx); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	return sp.Commit(t.ctx)
}

// Shops.

const shopCols = `id, name, mode, paybox_site, paybox_rang, paybox_identifiant, paybox_key,
	paybox_hmac_key, capture_delay, clock_offset_ns, created_at`

func scanShop(row pgx.CollectableRow) (guichet.Shop, error) {
	var s guichet.Shop
	var mode string
	var site, rang, ident, key, hmac pgtype.Text
	var offset int64
	var created pgtype.Timestamptz
	err := row.Scan(&s.ID, &s.Name, &mode, &site, &rang, &ident, &key, &hmac, &s.CaptureDelay, &offset, &created)
	if err != nil {
		return s, err
	}
	s.Mode = guichet.Mode(mode)
	if site.Valid {
		s.Paybox = &guichet.PayboxAccount{Site: site.String, Rang: rang.String, Identifiant: ident.String, Key: key.String, HMACKey: hmac.String}
	}
	s.ClockOffset = time.Duration(offset)
	s.CreatedAt = fromTime(created)
	return s, nil
}

func (t *tx) shops(query string, args ...any) ([]guichet.Shop, error) {
	rows, err := t.pg.Query(t.ctx, query, args...)
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

func (t *tx) ShopByPaybox(site, rang string) (*guichet.Shop, error) {
	return t.shop("SELECT "+shopCols+" FROM shops WHERE paybox_site = $1 AND paybox_rang = $2", site, rang)
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
	var site, rang, ident, key, hmac pgtype.Text
	if p := s.Paybox; p != nil {
		site, rang, ident, key, hmac = text(p.Site), text(p.Rang), text(p.Identifiant), text(p.Key), text(p.HMACKey)
	}
	// The savepoint catches a Paybox site and rang taken by another shop.
	err := t.savepoint(func(sp pgx.Tx) error {
		_, err := sp.Exec(t.ctx, `INSERT INTO shops (`+shopCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, mode = excluded.mode,
				paybox_site = excluded.paybox_site, paybox_rang = excluded.paybox_rang,
				paybox_identifiant = excluded.paybox_identifiant, paybox_key = excluded.paybox_key,
				paybox_hmac_key = excluded.paybox_hmac_key, capture_delay = excluded.capture_delay,
				clock_offset_ns = excluded.clock_offset_ns, created_at = excluded.created_at`,
			s.ID, s.Name, string(s.Mode), site, rang, ident, key, hmac, s.CaptureDelay, int64(s.ClockOffset), timeArg(s.CreatedAt))
		return err
	})
	return convert(err, "save shop")
}

// Transactions.

const transactionCols = `id, shop_id, number, reference, currency, amount, captured, refunded, status,
	card_masked, card_fingerprint, card_brand, card_country, card_exp_month, card_exp_year, card_sealed,
	token_id, auth_code, response_code, remit_at, created_at, updated_at`

const operationCols = "id, transaction_id, number, kind, amount, approved, code, created_at"

func scanTransaction(row pgx.CollectableRow) (guichet.Transaction, error) {
	var tr guichet.Transaction
	var status, brand string
	var remit, created, updated pgtype.Timestamptz
	c := &tr.Card
	err := row.Scan(&tr.ID, &tr.ShopID, &tr.Number, &tr.Reference, &tr.Currency, &tr.Amount, &tr.Captured, &tr.Refunded, &status,
		&c.Masked, &c.Fingerprint, &brand, &c.Country, &c.ExpMonth, &c.ExpYear, &c.Sealed,
		&tr.TokenID, &tr.AuthCode, &tr.ResponseCode, &remit, &created, &updated)
	tr.Status, c.Brand = guichet.Status(status), guichet.Brand(brand)
	tr.RemitAt, tr.CreatedAt, tr.UpdatedAt = fromTime(remit), fromTime(created), fromTime(updated)
	return tr, err
}

func scanOperation(row pgx.CollectableRow) (guichet.Operation, error) {
	var op guichet.Operation
	var kind string
	var created pgtype.Timestamptz
	err := row.Scan(&op.ID, &op.TransactionID, &op.Number, &kind, &op.Amount, &op.Approved, &op.Code, &created)
	op.Kind, op.CreatedAt = guichet.OperationKind(kind), fromTime(created)
	return op, err
}

// transactions runs query, which selects transactionCols, and loads the
// operations of every transaction it returns in one more query.
func (t *tx) transactions(query string, args ...any) ([]guichet.Transaction, error) {
	rows, err := t.pg.Query(t.ctx, query, args...)
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
	rows, err = t.pg.Query(t.ctx, "SELECT "+operationCols+" FROM operations WHERE transaction_id = ANY($1) ORDER BY number", ids)
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
	b := &pgx.Batch{}
	if !loaded {
		// The insert goes alone: only once it is known to have written
		// the row may operations be attached to that ID.
		tag, err := t.pg.Exec(t.ctx, `INSERT INTO transactions (`+transactionCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
			ON CONFLICT DO NOTHING`,
			tr.ID, tr.ShopID, tr.Number, tr.Reference, tr.Currency, tr.Amount, tr.Captured, tr.Refunded, string(tr.Status),
			c.Masked, c.Fingerprint, string(c.Brand), c.Country, c.ExpMonth, c.ExpYear, blob(c.Sealed),
			tr.TokenID, tr.AuthCode, tr.ResponseCode, timeArg(tr.RemitAt), timeArg(tr.CreatedAt), timeArg(tr.UpdatedAt))
		if err != nil {
			return convert(err, "insert transaction")
		}
		if tag.RowsAffected() == 0 {
			return &guichet.Error{Code: guichet.CodeConflict, Message: "transaction already exists"}
		}
	} else {
		// The shop, number and creation time never change, so they are
		// not written again, and the update cannot break a unique
		// constraint. It goes in one round trip with the new operations.
		b.Queue(`UPDATE transactions SET reference = $1, currency = $2, amount = $3, captured = $4,
			refunded = $5, status = $6, card_masked = $7, card_fingerprint = $8, card_brand = $9, card_country = $10,
			card_exp_month = $11, card_exp_year = $12, card_sealed = $13, token_id = $14, auth_code = $15,
			response_code = $16, remit_at = $17, updated_at = $18 WHERE id = $19`,
			tr.Reference, tr.Currency, tr.Amount, tr.Captured, tr.Refunded, string(tr.Status),
			c.Masked, c.Fingerprint, string(c.Brand), c.Country, c.ExpMonth, c.ExpYear, blob(c.Sealed),
			tr.TokenID, tr.AuthCode, tr.ResponseCode, timeArg(tr.RemitAt), timeArg(tr.UpdatedAt), tr.ID)
	}
	for _, op := range tr.Operations[stored:] {
		// The EXISTS test turns a missing transaction into an insert
		// that writes nothing, where the foreign key would abort the
		// whole database transaction.
		b.Queue(`INSERT INTO operations (`+operationCols+`)
			SELECT $1, $2::text, $3, $4, $5, $6, $7, $8 WHERE EXISTS (SELECT 1 FROM transactions WHERE id = $2::text)
			ON CONFLICT DO NOTHING`,
			op.ID, tr.ID, op.Number, string(op.Kind), op.Amount, op.Approved, op.Code, timeArg(op.CreatedAt))
	}
	if b.Len() > 0 {
		if err := t.sendBatch(b, loaded); err != nil {
			return err
		}
	}
	if t.loaded == nil {
		t.loaded = make(map[string]int)
	}
	t.loaded[tr.ID] = len(tr.Operations)
	return nil
}

// sendBatch runs b, the update of a loaded transaction (when updated) then
// inserts of operations, and reports the first statement that wrote
// nothing.
func (t *tx) sendBatch(b *pgx.Batch, updated bool) error {
	results := t.pg.SendBatch(t.ctx, b)
	defer results.Close()
	for i := range b.Len() {
		tag, err := results.Exec()
		if err != nil {
			return convert(err, "save transaction")
		}
		if tag.RowsAffected() == 0 {
			if i == 0 && updated {
				return notFound("transaction")
			}
			return &guichet.Error{Code: guichet.CodeConflict, Message: "operation already exists"}
		}
	}
	return convert(results.Close(), "save transaction")
}

// Tokens.

const tokenCols = `id, shop_id, reference, handle, card_masked, card_fingerprint, card_brand, card_country,
	card_exp_month, card_exp_year, card_sealed, created_at, updated_at`

func (t *tx) Token(shopID, reference string) (*guichet.Token, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	var tok guichet.Token
	var brand string
	var created, updated pgtype.Timestamptz
	c := &tok.Card
	err := t.pg.QueryRow(t.ctx, "SELECT "+tokenCols+" FROM tokens WHERE shop_id = $1 AND reference = $2", shopID, reference).Scan(
		&tok.ID, &tok.ShopID, &tok.Reference, &tok.Handle, &c.Masked, &c.Fingerprint, &brand, &c.Country,
		&c.ExpMonth, &c.ExpYear, &c.Sealed, &created, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("token")
	}
	if err != nil {
		return nil, convert(err, "load token")
	}
	c.Brand = guichet.Brand(brand)
	tok.CreatedAt, tok.UpdatedAt = fromTime(created), fromTime(updated)
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
	err := t.savepoint(func(sp pgx.Tx) error {
		return sp.QueryRow(t.ctx, `INSERT INTO tokens (`+tokenCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			ON CONFLICT (shop_id, reference) DO UPDATE SET handle = excluded.handle,
				card_masked = excluded.card_masked, card_fingerprint = excluded.card_fingerprint,
				card_brand = excluded.card_brand, card_country = excluded.card_country,
				card_exp_month = excluded.card_exp_month, card_exp_year = excluded.card_exp_year,
				card_sealed = excluded.card_sealed, updated_at = excluded.updated_at
			RETURNING id, created_at`,
			tok.ID, tok.ShopID, tok.Reference, tok.Handle, c.Masked, c.Fingerprint, string(c.Brand), c.Country,
			c.ExpMonth, c.ExpYear, blob(c.Sealed), timeArg(tok.CreatedAt), timeArg(tok.UpdatedAt)).Scan(&id, &created)
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
	tag, err := t.pg.Exec(t.ctx, "DELETE FROM tokens WHERE shop_id = $1 AND reference = $2", shopID, reference)
	if err != nil {
		return convert(err, "delete token")
	}
	if tag.RowsAffected() == 0 {
		return notFound("token")
	}
	return nil
}

// Claims, events, numbers.

func (t *tx) Claim(shopID, key string, at time.Time) error {
	if err := t.check(true); err != nil {
		return err
	}
	tag, err := t.pg.Exec(t.ctx, "INSERT INTO claims (shop_id, key, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", shopID, key, timeArg(at))
	if err != nil {
		return convert(err, "claim")
	}
	if tag.RowsAffected() == 0 {
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
	b := &pgx.Batch{}
	for _, e := range events {
		if e.ID == "" {
			e.ID = guichet.NewID("", time.Now())
		}
		b.Queue(`INSERT INTO events (id, shop_id, transaction_id, type, at, data, next_attempt_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
			e.ID, e.ShopID, e.TransactionID, e.Type, timeArg(e.At), blob(e.Data), timeArg(e.At))
	}
	results := t.pg.SendBatch(t.ctx, b)
	defer results.Close()
	for range b.Len() {
		tag, err := results.Exec()
		if err != nil {
			return convert(err, "emit event")
		}
		if tag.RowsAffected() == 0 {
			return &guichet.Error{Code: guichet.CodeConflict, Message: "event already exists"}
		}
	}
	return convert(results.Close(), "emit event")
}

func (t *tx) Events(transactionID string) ([]guichet.Event, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	rows, err := t.pg.Query(t.ctx, `SELECT id, shop_id, transaction_id, type, at, data FROM events
		WHERE transaction_id = $1 ORDER BY at NULLS FIRST, seq`, transactionID)
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

// NextNumber takes the next value of the numbers sequence. It is refused in
// View, where PostgreSQL would refuse nextval anyway.
func (t *tx) NextNumber() (int64, error) {
	if err := t.check(true); err != nil {
		return 0, err
	}
	var n int64
	if err := t.pg.QueryRow(t.ctx, "SELECT nextval('numbers')").Scan(&n); err != nil {
		return 0, convert(err, "next number")
	}
	return n, nil
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

func text(s string) pgtype.Text { return pgtype.Text{String: s, Valid: true} }

// blob stores an empty byte slice as NULL, so that it reads back as nil.
func blob(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// newID returns a random identifier for the rows a caller did not name.
