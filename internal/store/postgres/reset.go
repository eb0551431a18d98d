package postgres

import "guichet/internal/store/tables"

// resetShopChildren deletes, in order, what a shop did apart from its
// transactions, each with the shop as its only parameter ($1): the rows
// that hang on a transaction, an order or a delivery go before their
// parent, which the subqueries still find, and the foreign key of
// operations never sees a transaction deleted under them. Operations have
// no shop column, nor attempts, so they are found through their
// transaction and delivery; events, audit entries and pending cards have
// one, but one written without it still goes with its transaction or
// order.
var resetShopChildren = []string{
	`DELETE FROM operations WHERE transaction_id IN (SELECT id FROM transactions WHERE shop_id = $1)`,
	`DELETE FROM events WHERE shop_id = $1 OR transaction_id IN (SELECT id FROM transactions WHERE shop_id = $1)`,
	`DELETE FROM audit WHERE shop_id = $1 OR transaction_id IN (SELECT id FROM transactions WHERE shop_id = $1)`,
	`DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE shop_id = $1)`,
	`DELETE FROM deliveries WHERE shop_id = $1`,
	`DELETE FROM pending_cards WHERE shop_id = $1 OR order_id IN (SELECT id FROM orders WHERE shop_id = $1)`,
	`DELETE FROM orders WHERE shop_id = $1`,
	`DELETE FROM tokens WHERE shop_id = $1`,
	`DELETE FROM jobs WHERE shop_id = $1`,
	`DELETE FROM claims WHERE shop_id = $1`,
}

// resetShopTransactions deletes the shop's transactions last, once nothing
// refers to them, and returns their IDs.
const resetShopTransactions = `DELETE FROM transactions WHERE shop_id = $1 RETURNING id`

// ResetShop deletes what the shop did at once, not queued: the caller
// needs the count, and the rows this unit of work queued for the shop
// before (an order, a claim) must be written first to be deleted with the
// rest. The deletes of the other tables go in one batch behind those
// queued writes, and the transactions' in a second round trip, which
// returns their IDs. A failing delete aborts the database transaction, so
// the reset is whole or the Update fails. The shop's exchanges stay: see
// guichet.Tx.
func (t *tx) ResetShop(shopID string) (int, error) {
	if err := t.check(true); err != nil {
		return 0, err
	}
	stmts := make([]statement, len(resetShopChildren))
	for i, query := range resetShopChildren {
		stmts[i] = statement{sql: query, args: []any{shopID}, doing: "reset shop"}
	}
	if err := t.send(t.ctx, stmts...); err != nil {
		return 0, err
	}
	ids, err := list(t, "reset shop", tables.ScanString, resetShopTransactions, shopID)
	if err != nil {
		return 0, err
	}
	// A transaction this unit of work loaded is gone: saving it again
	// must insert it, not update a row that no longer exists. A key it
	// claimed for the shop is gone too, and may be claimed again.
	for _, id := range ids {
		delete(t.loaded, id)
	}
	for k := range t.claimed {
		if k[0] == shopID {
			delete(t.claimed, k)
		}
	}
	return len(ids), nil
}
