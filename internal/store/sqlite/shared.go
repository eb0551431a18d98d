package sqlite

import (
	"database/sql"
	"time"

	"guichet"
)

// Settings.

func (t *tx) Setting(name string) ([]byte, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	rows, err := t.run.query("SELECT value FROM settings WHERE name = ?", name)
	if err != nil {
		return nil, convert(err, "load setting")
	}
	list, err := collect(rows, "load setting", func(rows *sql.Rows) (v []byte, err error) {
		err = rows.Scan(&v)
		return v, err
	})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("setting " + name)
	}
	return list[0], nil
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

const pendingCardCols = `order_id, shop_id, card_masked, card_fingerprint, card_brand, card_country,
	card_exp_month, card_exp_year, card_sealed, created_at, expires_at`

func (t *tx) PutPendingCard(p *guichet.PendingCard) error {
	if err := t.check(true); err != nil {
		return err
	}
	if p.OrderID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "pending card's order missing", Param: "order_id"}
	}
	c := &p.Card
	_, err := t.run.exec(`INSERT OR REPLACE INTO pending_cards (`+pendingCardCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.OrderID, p.ShopID, c.Masked, c.Fingerprint, string(c.Brand), c.Country, c.ExpMonth, c.ExpYear, blob(c.Sealed),
		nanos(p.CreatedAt), nanos(p.ExpiresAt))
	return convert(err, "save pending card")
}

func (t *tx) TakePendingCard(orderID string) (*guichet.PendingCard, error) {
	if err := t.check(true); err != nil {
		return nil, err
	}
	rows, err := t.run.query("DELETE FROM pending_cards WHERE order_id = ? RETURNING "+pendingCardCols, orderID)
	if err != nil {
		return nil, convert(err, "take pending card")
	}
	list, err := collect(rows, "take pending card", func(rows *sql.Rows) (guichet.PendingCard, error) {
		var p guichet.PendingCard
		var created, expires sql.NullInt64
		c := &p.Card
		err := rows.Scan(&p.OrderID, &p.ShopID, &c.Masked, &c.Fingerprint, &c.Brand, &c.Country, &c.ExpMonth, &c.ExpYear,
			&c.Sealed, &created, &expires)
		p.CreatedAt, p.ExpiresAt = fromNanos(created), fromNanos(expires)
		return p, err
	})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("pending card")
	}
	return &list[0], nil
}
