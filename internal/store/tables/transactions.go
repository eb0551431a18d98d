package tables

import (
	"encoding/json"
	"fmt"
	"time"

	"guichet"
)

// Transactions maps transactions, without their operations, which are rows
// of Operations.
var Transactions = Table[guichet.Transaction]{
	Name: "transactions",
	Columns: `id, shop_id, number, reference, front, currency, amount, captured, refunded, status,
		card_masked, card_fingerprint, card_brand, card_country, card_exp_month, card_exp_year, card_sealed,
		token_id, order_id, method, method_option, review, three_ds, auth_code, response_code,
		remit_at, capture_by, details, refund_by, created_at, updated_at`,
	Append: func(d Dialect, args []any, tr guichet.Transaction) []any {
		c := &tr.Card
		return append(args, tr.ID, tr.ShopID, tr.Number, tr.Reference, tr.Front, tr.Currency, tr.Amount, tr.Captured, tr.Refunded, string(tr.Status),
			c.Masked, c.Fingerprint, string(c.Brand), c.Country, c.ExpMonth, c.ExpYear, Blob(c.Sealed),
			tr.TokenID, tr.OrderID, tr.Method, tr.Option, tr.Review, tr.ThreeDS, tr.AuthCode, tr.ResponseCode,
			d.Time(tr.RemitAt), d.Time(tr.CaptureBy), details(tr.Details), d.Time(tr.RefundBy), d.Time(tr.CreatedAt), d.Time(tr.UpdatedAt))
	},
	Scan: func(d Dialect, row Row, tr *guichet.Transaction) error {
		c := &tr.Card
		var details string
		err := row.Scan(&tr.ID, &tr.ShopID, &tr.Number, &tr.Reference, &tr.Front, &tr.Currency, &tr.Amount, &tr.Captured, &tr.Refunded, (*string)(&tr.Status),
			&c.Masked, &c.Fingerprint, (*string)(&c.Brand), &c.Country, &c.ExpMonth, &c.ExpYear, &c.Sealed,
			&tr.TokenID, &tr.OrderID, &tr.Method, &tr.Option, &tr.Review, &tr.ThreeDS, &tr.AuthCode, &tr.ResponseCode,
			d.ScanTime(&tr.RemitAt), d.ScanTime(&tr.CaptureBy), &details, d.ScanTime(&tr.RefundBy), d.ScanTime(&tr.CreatedAt), d.ScanTime(&tr.UpdatedAt))
		if err != nil || details == "" {
			return err
		}
		if err := json.Unmarshal([]byte(details), &tr.Details); err != nil {
			return fmt.Errorf("transaction %s: details: %w", tr.ID, err)
		}
		return nil
	},
}

// details is the column value of a transaction's details: JSON, or "" for
// none.
func details(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// Operations maps the operations of transactions.
var Operations = Table[guichet.Operation]{
	Name:    "operations",
	Columns: "id, transaction_id, number, kind, amount, approved, code, front, ref, created_at",
	Append: func(d Dialect, args []any, op guichet.Operation) []any {
		return append(args, op.ID, op.TransactionID, op.Number, string(op.Kind), op.Amount, op.Approved, op.Code, op.Front, op.Ref,
			d.Time(op.CreatedAt))
	},
	Scan: func(d Dialect, row Row, op *guichet.Operation) error {
		return row.Scan(&op.ID, &op.TransactionID, &op.Number, (*string)(&op.Kind), &op.Amount, &op.Approved, &op.Code, &op.Front, &op.Ref,
			d.ScanTime(&op.CreatedAt))
	},
}

// Events maps the outbox. Its delivery columns belong to the notification
// dispatcher and start at their defaults, but next_attempt_at starts at the
// event's time: an event is due for delivery as soon as it is written. Scan
// reads next_attempt_at and drops it, since it is no part of the event.
var Events = Table[guichet.Event]{
	Name:    "events",
	Columns: "id, shop_id, transaction_id, type, at, data, next_attempt_at",
	Append: func(d Dialect, args []any, e guichet.Event) []any {
		return append(args, e.ID, e.ShopID, e.TransactionID, e.Type, d.Time(e.At), Blob(e.Data), d.Time(e.At))
	},
	Scan: func(d Dialect, row Row, e *guichet.Event) error {
		var next time.Time
		return row.Scan(&e.ID, &e.ShopID, &e.TransactionID, &e.Type, d.ScanTime(&e.At), &e.Data, d.ScanTime(&next))
	},
}

// Claims maps the claims of request keys.
var Claims = Table[guichet.Claim]{
	Name:    "claims",
	Columns: "shop_id, key, at, state, request, transaction_id, settle_after",
	Append: func(d Dialect, args []any, c guichet.Claim) []any {
		return append(args, c.ShopID, c.Key, d.Time(c.At), string(c.State), Blob(c.Request), c.TransactionID, d.Time(c.SettleAfter))
	},
	Scan: func(d Dialect, row Row, c *guichet.Claim) error {
		return row.Scan(&c.ShopID, &c.Key, d.ScanTime(&c.At), (*string)(&c.State), &c.Request, &c.TransactionID, d.ScanTime(&c.SettleAfter))
	},
}
