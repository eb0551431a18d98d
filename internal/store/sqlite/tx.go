package sqlite

import (
	"database/sql"
	"errors"
	"time"

	"guichet"
	"guichet/internal/store/tables"
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
	// unit, in Update, is the writer's work for this function, which
	// takes the inserts it may defer (see group.go); nil in View.
	unit  *unit
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

// Shops.

var (
	// selectShops selects shops with their credentials, aggregated as
	// tables.Shops reads them.
	selectShops = "SELECT " + tables.Shops.Columns + `,
		(SELECT json_group_array(json_object('p', protocol, 'k', key, 'd', data))
			FROM (SELECT protocol, key, data FROM credentials WHERE shop_id = shops.id ORDER BY protocol, key))
		FROM shops`
	shopByID         = selectShops + " WHERE id = ?"
	shopByCredential = selectShops + " WHERE id = (SELECT shop_id FROM credentials WHERE protocol = ? AND key = ?)"
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
	return list(t, "load shops", tables.Shops.Scan, allShops)
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
	// The shop and its credentials are written whole or not at all: a
	// credential another shop holds undoes the shop's row too, and the
	// unit of work goes on.
	if _, err := t.run.exec("SAVEPOINT put_shop"); err != nil {
		return convert(err, "save shop")
	}
	if err := t.putShop(s, credentials); err != nil {
		if _, rerr := t.run.exec("ROLLBACK TO put_shop"); rerr != nil {
			return convert(rerr, "save shop")
		}
		t.run.exec("RELEASE put_shop")
		return err
	}
	_, err = t.run.exec("RELEASE put_shop")
	return convert(err, "save shop")
}

// putShop writes a shop and its credentials.
func (t *tx) putShop(s *guichet.Shop, credentials []tables.Credential) error {
	if _, err := t.run.exec(upsertShop, tables.Shops.Append(dialect, nil, *s)...); err != nil {
		return convert(err, "save shop")
	}
	// The shop's credentials are replaced by those it holds now; a key
	// another shop holds is a conflict, which undoes the whole change.
	if _, err := t.run.exec("DELETE FROM credentials WHERE shop_id = ?", s.ID); err != nil {
		return convert(err, "save shop")
	}
	for _, c := range credentials {
		if _, err := t.run.exec(insertCredential, tables.Credentials.Append(dialect, nil, c)...); err != nil {
			return convert(err, "save shop")
		}
	}
	return nil
}

// Transactions.

var (
	selectTransactions = "SELECT " + tables.Transactions.Columns + " FROM transactions"
	transactionByID    = selectTransactions + " WHERE id = ?"
	// transactionByNumber, transactionByOperation, transactionByRef and
	// transactionByAmount each find one transaction, as their getters say.
	transactionByNumber    = selectTransactions + " WHERE number = ? AND shop_id = ?"
	transactionByOperation = selectTransactions + `
		WHERE id = (SELECT transaction_id FROM operations WHERE number = ?) AND shop_id = ?`
	transactionByRef = selectTransactions + `
		WHERE id = (SELECT transaction_id FROM operations WHERE front = ? AND ref = ? AND ref <> '')`
	transactionByAmount = selectTransactions + `
		WHERE shop_id = ? AND reference = ? AND amount = ?
		ORDER BY created_at DESC, number DESC LIMIT 1`
	// One constant query per combination of the filters of Transactions
	// keeps the writer's statement cache bounded.
	transactionsByShopAndReference = selectTransactions + " WHERE shop_id = ? AND reference = ?" + newestTransactions
	transactionsByShop             = selectTransactions + " WHERE shop_id = ?" + newestTransactions
	transactionsByCard             = selectTransactions + " WHERE shop_id = ? AND card_fingerprint = ?" + newestTransactions
	transactionsByOrder            = selectTransactions + " WHERE shop_id = ? AND order_id = ?" + newestTransactions
	transactionsByReference        = selectTransactions + " WHERE reference = ?" + newestTransactions
	allTransactions                = selectTransactions + newestTransactions

	// updateTransaction saves a transaction loaded before. The shop,
	// number and creation time never change, so they are not written
	// again.
	updateTransaction = tables.Transactions.Update(dialect, "id", "shop_id", "number", "created_at")

	operationsOf = "SELECT " + tables.Operations.Columns + " FROM operations WHERE transaction_id = ? ORDER BY number"
)

const newestTransactions = " ORDER BY created_at DESC, number DESC LIMIT ?"

func (t *tx) transactions(query string, args ...any) ([]guichet.Transaction, error) {
	l, err := list(t, "load transaction", tables.Transactions.Scan, query, args...)
	if err != nil {
		return nil, err
	}
	// The operations are read once the transaction rows are closed, so
	// that the writer connection never has two statements interleaved.
	for i := range l {
		if err := t.loadOperations(&l[i]); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func (t *tx) loadOperations(tr *guichet.Transaction) error {
	ops, err := list(t, "load operations", tables.Operations.Scan, operationsOf, tr.ID)
	if err != nil {
		return err
	}
	tr.Operations = ops
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
	l, err := t.transactions(query, args...)
	return tables.First(l, err, "transaction")
}

// Inside Update, the writer runs one function at a time within a write
// transaction, so no lock is needed for a function to see and change a
// transaction without interference.

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

func (t *tx) Transactions(f guichet.TransactionFilter) ([]guichet.Transaction, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	switch {
	case f.OrderID != "":
		return t.transactions(transactionsByOrder, f.ShopID, f.OrderID, limit)
	case f.Fingerprint != "":
		// A card's transactions are always one shop's: the fingerprint
		// is keyed per vault, not per shop.
		return t.transactions(transactionsByCard, f.ShopID, f.Fingerprint, limit)
	case f.ShopID != "" && f.Reference != "":
		return t.transactions(transactionsByShopAndReference, f.ShopID, f.Reference, limit)
	case f.ShopID != "":
		return t.transactions(transactionsByShop, f.ShopID, limit)
	case f.Reference != "":
		return t.transactions(transactionsByReference, f.Reference, limit)
	default:
		return t.transactions(allTransactions, limit)
	}
}

func (t *tx) PutTransaction(tr *guichet.Transaction) error {
	if err := t.check(true); err != nil {
		return err
	}
	if tr.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "transaction ID missing", Param: "id"}
	}
	stored, loaded := t.loaded[tr.ID]
	if !loaded {
		err := t.unit.add(insert{into: transactionRows, args: tables.Transactions.Append(dialect, nil, *tr), doing: "insert transaction",
			conflict: func() *guichet.Error {
				return &guichet.Error{Code: guichet.CodeConflict, Message: "transaction already exists"}
			}})
		if err != nil {
			return err
		}
	} else {
		if len(tr.Operations) < stored {
			return &guichet.Error{Code: guichet.CodeInternal, Message: "internal error", Err: errors.New("operations are append-only")}
		}
		res, err := t.run.exec(updateTransaction.SQL, updateTransaction.Args(tables.Transactions.Append(dialect, nil, *tr))...)
		if err != nil {
			return convert(err, "update transaction")
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return tables.NotFound("transaction")
		}
	}
	if added := tr.Operations[stored:]; len(added) > 0 {
		// One statement for all the new operations: on the writer, which
		// every Update waits for, each statement costs more than each row.
		args := make([]any, 0, tables.Operations.Len()*len(added))
		for _, op := range added {
			if op.ID == "" {
				return &guichet.Error{Code: guichet.CodeInvalid, Message: "operation ID missing", Param: "id"}
			}
			op.TransactionID = tr.ID
			args = tables.Operations.Append(dialect, args, op)
		}
		if err := t.unit.add(insert{into: operationRows, args: args, doing: "insert operation"}); err != nil {
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
	tokenByID        = "SELECT " + tables.Tokens.Columns + " FROM tokens WHERE id = ?"
	tokenByReference = "SELECT " + tables.Tokens.Columns + " FROM tokens WHERE shop_id = ? AND reference = ?"
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
	rows, err := t.run.query(upsertToken, tables.Tokens.Append(dialect, nil, *tok)...)
	if err != nil {
		return convert(err, "save token")
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&tok.ID, dialect.ScanTime(&tok.CreatedAt)); err != nil {
			return convert(err, "save token")
		}
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
		return tables.NotFound("token")
	}
	return nil
}

// Claims, events, numbers.

var (
	eventsOf = "SELECT " + tables.Events.Columns + " FROM events WHERE transaction_id = ? ORDER BY at, rowid"
)

// Claim inserts a claim in its final state, done.
func (t *tx) Claim(shopID, key string, at time.Time) error {
	if err := t.check(true); err != nil {
		return err
	}
	return t.insertClaim(guichet.Claim{ShopID: shopID, Key: key, At: at, State: guichet.ClaimDone})
}

// insertClaim inserts c; a key claimed before, whatever became of that
// claim, is a duplicate, reported when the insert runs (see group.go).
// A key claimed twice within one Update is reported at once.
func (t *tx) insertClaim(c guichet.Claim) error {
	duplicate := func() *guichet.Error {
		return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonDuplicate, Message: "request already processed"}
	}
	if !t.unit.claim(c.ShopID, c.Key) {
		return duplicate()
	}
	return t.unit.add(insert{into: claimRows, args: tables.Claims.Append(dialect, nil, c), doing: "claim", conflict: duplicate})
}

// Emit writes events to the outbox, due for delivery at once. An event
// without an ID gets one.
func (t *tx) Emit(events ...guichet.Event) error {
	if err := t.check(true); err != nil {
		return err
	}
	if len(events) == 0 {
		return nil
	}
	// One statement for all the events; the rows of a VALUES list are
	// inserted in order, so their rowids keep the order of events.
	args := make([]any, 0, tables.Events.Len()*len(events))
	for _, e := range events {
		if e.ID == "" {
			e.ID = guichet.NewID("", time.Now())
		}
		args = tables.Events.Append(dialect, args, e)
	}
	return t.unit.add(insert{into: eventRows, args: args, doing: "emit event"})
}

func (t *tx) Events(transactionID string) ([]guichet.Event, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return list(t, "list events", tables.Events.Scan, eventsOf, transactionID)
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
