package tables

import "guichet"

// Tokens maps the cards shops registered under a reference of theirs.
var Tokens = Table[guichet.Token]{
	Name: "tokens",
	Columns: `id, shop_id, reference, handle, card_masked, card_fingerprint, card_brand, card_country,
		card_exp_month, card_exp_year, card_sealed, order_id, cancelled_at, created_at, updated_at`,
	Append: func(d Dialect, args []any, tok guichet.Token) []any {
		c := &tok.Card
		return append(args, tok.ID, tok.ShopID, tok.Reference, tok.Handle, c.Masked, c.Fingerprint, string(c.Brand), c.Country,
			c.ExpMonth, c.ExpYear, Blob(c.Sealed), tok.OrderID, d.Time(tok.CancelledAt), d.Time(tok.CreatedAt), d.Time(tok.UpdatedAt))
	},
	Scan: func(d Dialect, row Row, tok *guichet.Token) error {
		c := &tok.Card
		return row.Scan(&tok.ID, &tok.ShopID, &tok.Reference, &tok.Handle, &c.Masked, &c.Fingerprint, (*string)(&c.Brand), &c.Country,
			&c.ExpMonth, &c.ExpYear, &c.Sealed, &tok.OrderID, d.ScanTime(&tok.CancelledAt), d.ScanTime(&tok.CreatedAt), d.ScanTime(&tok.UpdatedAt))
	},
}

// PendingCards maps the cards typed on a hosted page that wait for their
// holder's 3-D Secure authentication, one per order.
var PendingCards = Table[guichet.PendingCard]{
	Name: "pending_cards",
	Columns: `order_id, shop_id, card_masked, card_fingerprint, card_brand, card_country,
		card_exp_month, card_exp_year, card_sealed, created_at, expires_at`,
	Append: func(d Dialect, args []any, p guichet.PendingCard) []any {
		c := &p.Card
		return append(args, p.OrderID, p.ShopID, c.Masked, c.Fingerprint, string(c.Brand), c.Country, c.ExpMonth, c.ExpYear,
			Blob(c.Sealed), d.Time(p.CreatedAt), d.Time(p.ExpiresAt))
	},
	Scan: func(d Dialect, row Row, p *guichet.PendingCard) error {
		c := &p.Card
		return row.Scan(&p.OrderID, &p.ShopID, &c.Masked, &c.Fingerprint, (*string)(&c.Brand), &c.Country, &c.ExpMonth, &c.ExpYear,
			&c.Sealed, d.ScanTime(&p.CreatedAt), d.ScanTime(&p.ExpiresAt))
	},
}
