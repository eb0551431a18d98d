package sqlite

import (
	"time"

	"guichet"
	"guichet/internal/store/tables"
)

// Settings.

func (t *tx) Setting(name string) ([]byte, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load setting", scanSetting, "SELECT value FROM settings WHERE name = ?", name)
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

// InitSetting needs no care for concurrency here: the file has one writer,
// which runs Update functions one after the other.
func (t *tx) InitSetting(name string, value []byte) ([]byte, error) {
	if err := t.check(true); err != nil {
		return nil, err
	}
	if len(value) == 0 {
		return nil, &guichet.Error{Code: guichet.CodeInvalid, Message: "setting value missing", Param: "value"}
	}
	_, err := t.run.exec("INSERT INTO settings (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
		name, value, time.Now().UnixNano())
	if err != nil {
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
	takePendingCard = "DELETE FROM pending_cards WHERE order_id = ? RETURNING " + tables.PendingCards.Columns
	pendingCardOf   = "SELECT " + tables.PendingCards.Columns + " FROM pending_cards WHERE order_id = ?"
)

// PendingCard reads an order's pending card and leaves it in place.
func (t *tx) PendingCard(orderID string) (*guichet.PendingCard, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load pending card", tables.PendingCards.Scan, pendingCardOf, orderID)
	return tables.First(l, err, "pending card")
}

func (t *tx) PutPendingCard(p *guichet.PendingCard) error {
	if err := t.check(true); err != nil {
		return err
	}
	if p.OrderID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "pending card's order missing", Param: "order_id"}
	}
	_, err := t.run.exec(upsertPendingCard, tables.PendingCards.Append(dialect, nil, *p)...)
	return convert(err, "save pending card")
}

func (t *tx) TakePendingCard(orderID string) (*guichet.PendingCard, error) {
	if err := t.check(true); err != nil {
		return nil, err
	}
	l, err := list(t, "take pending card", tables.PendingCards.Scan, takePendingCard, orderID)
	return tables.First(l, err, "pending card")
}
