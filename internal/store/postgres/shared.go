package postgres

import (
	"guichet"
	"guichet/internal/store/tables"
)

// Settings.

func (t *tx) Setting(name string) ([]byte, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load setting", scanSetting, "SELECT value FROM settings WHERE name = $1", name)
	if err != nil {
		return nil, err
	}
	if len(l) == 0 {
		return nil, tables.NotFound("setting " + name)
	}
	return l[0], nil
}

// scanSetting reads a setting's value.
func scanSetting(_ tables.Dialect, row tables.Row, v *[]byte) error {
	return row.Scan(v)
}

// InitSetting inserts, then reads in a statement of its own. Inside Update
// (READ COMMITTED), an insert that meets the uncommitted row of another
// instance waits for its commit and then does nothing; the read that
// follows takes a new snapshot, which sees that row. A single statement
// would not: its snapshot predates the wait.
func (t *tx) InitSetting(name string, value []byte) ([]byte, error) {
	if err := t.check(true); err != nil {
		return nil, err
	}
	if len(value) == 0 {
		return nil, &guichet.Error{Code: guichet.CodeInvalid, Message: "setting value missing", Param: "value"}
	}
	conn, err := t.sync()
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(t.ctx, "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", name, value); err != nil {
		return nil, convert(err, "save setting")
	}
	return t.Setting(name)
}

// Pending cards.

var (
	// upsertPendingCard stores an order's pending card in place of the one
	// it had.
	upsertPendingCard = tables.PendingCards.Insert(dialect, 1) +
		" ON CONFLICT (order_id) DO UPDATE SET " + tables.PendingCards.Excluded("order_id")
	takePendingCard = "DELETE FROM pending_cards WHERE order_id = $1 RETURNING " + tables.PendingCards.Columns
	pendingCardOf   = "SELECT " + tables.PendingCards.Columns + " FROM pending_cards WHERE order_id = $1"
)

// PendingCard reads an order's pending card and leaves it in place,
// without a lock: an inquiry only looks, and the card is taken by
// TakePendingCard, which does not wait for readers.
func (t *tx) PendingCard(orderID string) (*guichet.PendingCard, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load pending card", tables.PendingCards.Scan, pendingCardOf, orderID)
	return tables.First(l, err, "pending card")
}

// PutPendingCard is an upsert on the primary key, which nothing else can
// refuse: it is queued like the writes of orders.go.
func (t *tx) PutPendingCard(p *guichet.PendingCard) error {
	if err := t.check(true); err != nil {
		return err
	}
	if p.OrderID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "pending card's order missing", Param: "order_id"}
	}
	t.queue(statement{sql: upsertPendingCard, args: tables.PendingCards.Append(dialect, nil, *p), doing: "save pending card"})
	return nil
}

// TakePendingCard deletes the row and returns it in one statement: of two
// instances taking the same card, the second waits for the first to commit
// and then finds nothing to delete.
func (t *tx) TakePendingCard(orderID string) (*guichet.PendingCard, error) {
	if err := t.check(true); err != nil {
		return nil, err
	}
	l, err := list(t, "take pending card", tables.PendingCards.Scan, takePendingCard, orderID)
	return tables.First(l, err, "pending card")
}
