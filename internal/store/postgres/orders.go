package postgres

import (
	"time"

	"guichet"
	"guichet/internal/store/tables"
)

// The writes of this file are upserts on the primary key or plain inserts,
// which no unique constraint can refuse: they are queued, as Claim and Emit
// are, and go to the database with the next read or the commit.

// forUpdate locks the rows a getter returns inside Update, as the
// transaction getters do, so that the read-modify-write of concurrent
// Updates on one order or delivery take turns.
func (t *tx) forUpdate() string {
	if t.write {
		return " FOR UPDATE"
	}
	return ""
}

// Orders.

var (
	orderByID = "SELECT " + tables.Orders.Columns + " FROM orders WHERE id = $1"
	// ordersOf and countOrders page through a shop's orders of a
	// protocol, newest first, and count them.
	ordersOf = "SELECT " + tables.Orders.Columns +
		" FROM orders WHERE shop_id = $1 AND protocol = $2 ORDER BY created_at DESC, id LIMIT $3 OFFSET $4"
	countOrders = "SELECT count(*) FROM orders WHERE shop_id = $1 AND protocol = $2"
	upsertOrder = tables.Orders.Insert(dialect, 1) + " ON CONFLICT (id) DO UPDATE SET " + tables.Orders.Excluded("id")
)

// Order loads an order; inside Update it locks it until the commit.
func (t *tx) Order(id string) (*guichet.Order, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load order", tables.Orders.Scan, orderByID+t.forUpdate(), id)
	return tables.First(l, err, "order")
}

func (t *tx) PutOrder(o *guichet.Order) error {
	if err := t.check(true); err != nil {
		return err
	}
	if o.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "order ID missing", Param: "id"}
	}
	t.queue(statement{sql: upsertOrder, args: tables.Orders.Append(dialect, nil, *o), doing: "save order"})
	return nil
}

// Jobs.

var (
	// upsertJob inserts a job, or changes the one with its ID, which keeps
	// its seq and so its place among the jobs due at the same time.
	upsertJob = tables.Jobs.Insert(dialect, 1) + " ON CONFLICT (id) DO UPDATE SET " + tables.Jobs.Excluded("id") + ", lease_until = NULL"
	dueJobs   = "SELECT " + tables.Jobs.Columns + ` FROM jobs
		WHERE shop_id = $1 AND (due_at IS NULL OR due_at <= $2)
		ORDER BY due_at NULLS FIRST, seq LIMIT $3`
	jobByID = "SELECT " + tables.Jobs.Columns + " FROM jobs WHERE id = $1"
)

// Job loads a job; inside Update it locks it until the commit, waiting
// for a unit of work that holds it, so that changes to one job serialize.
func (t *tx) Job(id string) (*guichet.Job, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load job", tables.Jobs.Scan, jobByID+t.forUpdate(), id)
	return tables.First(l, err, "job")
}

// PutJob queues the insert of the job, or the change of the one with its
// ID; a rescheduled job keeps its seq, and so its place among the jobs due
// at the same time, and loses its lease: whoever puts it is done with it.
func (t *tx) PutJob(j *guichet.Job) error {
	if err := t.check(true); err != nil {
		return err
	}
	if j.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "job ID missing", Param: "id"}
	}
	t.queue(statement{sql: upsertJob, args: tables.Jobs.Append(dialect, nil, *j), doing: "save job"})
	return nil
}

// DueJobs lists the due jobs. Inside Update it locks them, skipping those
// another unit of work locked, so that two instances never take the same
// job: a job taken is hidden from the others until the commit. A job with
// the zero DueAt is always due.
func (t *tx) DueJobs(shopID string, now time.Time, limit int) ([]guichet.Job, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	query := dueJobs
	if t.write {
		query += " FOR UPDATE SKIP LOCKED"
	}
	return list(t, "list jobs", tables.Jobs.Scan, query, shopID, timeArg(now), limit)
}

// DeleteJob queues the delete of the job; deleting a job that is not there
// is no error.
func (t *tx) DeleteJob(id string) error {
	if err := t.check(true); err != nil {
		return err
	}
	t.queue(statement{sql: "DELETE FROM jobs WHERE id = $1", args: []any{id}, doing: "delete job"})
	return nil
}

// Deliveries.

var (
	selectDeliveries = "SELECT " + tables.Deliveries.Columns + " FROM deliveries"
	deliveryByID     = selectDeliveries + " WHERE id = $1"
	upsertDelivery   = tables.Deliveries.Insert(dialect, 1) + " ON CONFLICT (id) DO UPDATE SET " + tables.Deliveries.Excluded("id")
	// Each combination of the filters of Deliveries has a query of its
	// own, so that the plan of each can use the indexes.
	deliveriesByShopAndOrder = selectDeliveries + " WHERE shop_id = $1 AND order_ref = $2" + newestDeliveries + "$3"
	deliveriesByShop         = selectDeliveries + " WHERE shop_id = $1" + newestDeliveries + "$2"
	deliveriesByOrder        = selectDeliveries + " WHERE order_ref = $1" + newestDeliveries + "$2"
	allDeliveries            = selectDeliveries + newestDeliveries + "$1"

	insertAttempt = tables.Attempts.Insert(dialect, 1)
	attemptsOf    = "SELECT " + tables.Attempts.Columns + " FROM attempts WHERE delivery_id = $1 ORDER BY at NULLS FIRST, seq"
)

const newestDeliveries = " ORDER BY created_at DESC NULLS LAST, id DESC LIMIT "

// Delivery loads a delivery; inside Update it locks it until the commit.
func (t *tx) Delivery(id string) (*guichet.Delivery, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load delivery", tables.Deliveries.Scan, deliveryByID+t.forUpdate(), id)
	return tables.First(l, err, "delivery")
}

func (t *tx) PutDelivery(d *guichet.Delivery) error {
	if err := t.check(true); err != nil {
		return err
	}
	if d.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "delivery ID missing", Param: "id"}
	}
	t.queue(statement{sql: upsertDelivery, args: tables.Deliveries.Append(dialect, nil, *d), doing: "save delivery"})
	return nil
}

// Deliveries lists deliveries without locking them.
func (t *tx) Deliveries(f guichet.DeliveryFilter) ([]guichet.Delivery, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	const doing = "list deliveries"
	scan := tables.Deliveries.Scan
	switch {
	case f.ShopID != "" && f.OrderRef != "":
		return list(t, doing, scan, deliveriesByShopAndOrder, f.ShopID, f.OrderRef, limit)
	case f.ShopID != "":
		return list(t, doing, scan, deliveriesByShop, f.ShopID, limit)
	case f.OrderRef != "":
		return list(t, doing, scan, deliveriesByOrder, f.OrderRef, limit)
	default:
		return list(t, doing, scan, allDeliveries, limit)
	}
}

// AddAttempt queues the insert of an attempt; the delivery's count of
// attempts is the caller's to update with PutDelivery.
func (t *tx) AddAttempt(a guichet.Attempt) error {
	if err := t.check(true); err != nil {
		return err
	}
	t.queue(statement{sql: insertAttempt, args: tables.Attempts.Append(dialect, nil, a), doing: "add attempt"})
	return nil
}

func (t *tx) Attempts(deliveryID string) ([]guichet.Attempt, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return list(t, "list attempts", tables.Attempts.Scan, attemptsOf, deliveryID)
}

// OrderProtocols lists the protocols of the orders stored.
func (t *tx) OrderProtocols() ([]string, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return list(t, "list order protocols", tables.ScanString, tables.OrderProtocols)
}

// Orders lists a shop's orders of a protocol, newest first.
func (t *tx) Orders(f guichet.OrderFilter) ([]guichet.Order, int, error) {
	if err := t.check(false); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	l, err := list(t, "list orders", tables.Orders.Scan, ordersOf, f.ShopID, f.Protocol, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	n, err := list(t, "count orders", tables.ScanInt, countOrders, f.ShopID, f.Protocol)
	if err != nil || len(n) == 0 {
		return nil, 0, err
	}
	return l, int(n[0]), nil
}
