package postgres

import (
	"guichet"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Settings.

func (t *tx) Setting(name string) ([]byte, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load setting", pgx.RowTo[[]byte], "SELECT value FROM settings WHERE name = $1", name)
	if err != nil {
		return nil, err
	}
	if len(l) == 0 {
		return nil, notFound("setting " + name)
	}
	return l[0], nil
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

const pendingCardCols = `order_id, shop_id, card_masked, card_fingerprint, card_brand, card_country,
	card_exp_month, card_exp_year, card_sealed, created_at, expires_at`

// PutPendingCard is an upsert on the primary key, which nothing else can
// refuse: it is queued like the writes of orders.go.
func (t *tx) PutPendingCard(p *guichet.PendingCard) error {
	if err := t.check(true); err != nil {
		return err
	}
	if p.OrderID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "pending card's order missing", Param: "order_id"}
	}
	c := &p.Card
	t.queue(statement{
		sql: `INSERT INTO pending_cards (` + pendingCardCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (order_id) DO UPDATE SET shop_id = excluded.shop_id, card_masked = excluded.card_masked,
				card_fingerprint = excluded.card_fingerprint, card_brand = excluded.card_brand,
				card_country = excluded.card_country, card_exp_month = excluded.card_exp_month,
				card_exp_year = excluded.card_exp_year, card_sealed = excluded.card_sealed,
				created_at = excluded.created_at, expires_at = excluded.expires_at`,
		args: []any{p.OrderID, p.ShopID, c.Masked, c.Fingerprint, string(c.Brand), c.Country, c.ExpMonth, c.ExpYear,
			blob(c.Sealed), timeArg(p.CreatedAt), timeArg(p.ExpiresAt)},
		doing: "save pending card",
	})
	return nil
}

// TakePendingCard deletes the row and returns it in one statement: of two
// instances taking the same card, the second waits for the first to commit
// and then finds nothing to delete.
func (t *tx) TakePendingCard(orderID string) (*guichet.PendingCard, error) {
	if err := t.check(true); err != nil {
		return nil, err
	}
	l, err := list(t, "take pending card", func(row pgx.CollectableRow) (guichet.PendingCard, error) {
		var p guichet.PendingCard
		var brand string
		var created, expires pgtype.Timestamptz
		c := &p.Card
		err := row.Scan(&p.OrderID, &p.ShopID, &c.Masked, &c.Fingerprint, &brand, &c.Country, &c.ExpMonth, &c.ExpYear,
			&c.Sealed, &created, &expires)
		c.Brand = guichet.Brand(brand)
		p.CreatedAt, p.ExpiresAt = fromTime(created), fromTime(expires)
		return p, err
	}, "DELETE FROM pending_cards WHERE order_id = $1 RETURNING "+pendingCardCols, orderID)
	if err != nil {
		return nil, err
	}
	if len(l) == 0 {
		return nil, notFound("pending card")
	}
	return &l[0], nil
}
