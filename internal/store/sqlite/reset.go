package sqlite

import "guichet/internal/store/tables"

// resetShopChildren deletes, in order, what a shop did apart from its
// transactions, each with the shop as its only parameter (?1): the rows
// that hang on a transaction, an order or a delivery go before their
// parent, which the subqueries still find. Operations have no shop column,
// nor attempts, so they are found through their transaction and delivery;
// events, audit entries and pending cards have one, but one written without
// it still goes with its transaction or order. Every text is constant, so
// that the writer's statement cache stays small.
var resetShopChildren = []string{
	`DELETE FROM operations WHERE transaction_id IN (SELECT id FROM transactions WHERE shop_id = ?1)`,
	`DELETE FROM events WHERE shop_id = ?1 OR transaction_id IN (SELECT id FROM transactions WHERE shop_id = ?1)`,
	`DELETE FROM audit WHERE shop_id = ?1 OR transaction_id IN (SELECT id FROM transactions WHERE shop_id = ?1)`,
	`DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE shop_id = ?1)`,
	`DELETE FROM deliveries WHERE shop_id = ?1`,
	`DELETE FROM pending_cards WHERE shop_id = ?1 OR order_id IN (SELECT id FROM orders WHERE shop_id = ?1)`,
	`DELETE FROM orders WHERE shop_id = ?1`,
	`DELETE FROM tokens WHERE shop_id = ?1`,
	`DELETE FROM jobs WHERE shop_id = ?1`,
	`DELETE FROM claims WHERE shop_id = ?1`,
}

// resetShopTransactions deletes the shop's transactions last, once nothing
// refers to them, and returns their IDs.
const resetShopTransactions = `DELETE FROM transactions WHERE shop_id = ?1 RETURNING id`

// ResetShop deletes what the shop did inside a savepoint, so that a
// failure halfway leaves the shop as it was rather than half reset, even
// if the function goes on. The shop's exchanges stay: see guichet.Tx.
func (t *tx) ResetShop(shopID string) (int, error) {
	if err := t.check(true); err != nil {
		return 0, err
	}
	if _, err := t.run.exec("SAVEPOINT reset_shop"); err != nil {
		return 0, convert(err, "reset shop")
	}
	ids, err := t.resetShop(shopID)
	if err != nil {
		if _, rerr := t.run.exec("ROLLBACK TO reset_shop"); rerr != nil {
			return 0, convert(rerr, "reset shop")
		}
		t.run.exec("RELEASE reset_shop")
		return 0, err
	}
	if _, err := t.run.exec("RELEASE reset_shop"); err != nil {
		return 0, convert(err, "reset shop")
	}
	// A transaction this unit of work loaded is gone: saving it again
	// must insert it, not update a row that no longer exists.
	for _, id := range ids {
		delete(t.loaded, id)
	}
	// And the keys it claimed for the shop are free again.
	for k := range t.unit.claimed {
		if k[0] == shopID {
			delete(t.unit.claimed, k)
		}
	}
	return len(ids), nil
}

// resetShop runs the deletes of ResetShop and returns the IDs of the
// transactions deleted.
func (t *tx) resetShop(shopID string) ([]string, error) {
	for _, query := range resetShopChildren {
		if _, err := t.run.exec(query, shopID); err != nil {
			return nil, convert(err, "reset shop")
		}
	}
	// list reads every row before returning, so that the writer
	// connection never has two statements open at once.
	return list(t, "reset shop", tables.ScanString, resetShopTransactions, shopID)
}
