package sqlite

import (
	"time"

	"guichet"
	"guichet/internal/store/tables"
)

// Orders.

var (
	orderByID = "SELECT " + tables.Orders.Columns + " FROM orders WHERE id = ?"
	// ordersOf and countOrders page through a shop's orders of a
	// protocol, newest first, and count them.
	ordersOf = "SELECT " + tables.Orders.Columns +
		" FROM orders WHERE shop_id = ? AND protocol = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?"
	countOrders = "SELECT count(*) FROM orders WHERE shop_id = ? AND protocol = ?"
	upsertOrder = tables.Orders.Insert(dialect, 1) + " ON CONFLICT (id) DO UPDATE SET " + tables.Orders.Excluded("id")
)

func (t *tx) Order(id string) (*guichet.Order, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load order", tables.Orders.Scan, orderByID, id)
	return tables.First(l, err, "order")
}

func (t *tx) PutOrder(o *guichet.Order) error {
	if err := t.check(true); err != nil {
		return err
	}
	if o.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "order ID missing", Param: "id"}
	}
	_, err := t.run.exec(upsertOrder, tables.Orders.Append(dialect, nil, *o)...)
	return convert(err, "save order")
}

// Jobs.

var (
	// upsertJob inserts a job, or changes the one with its ID, which keeps
	// its seq and so its place among the jobs due at the same time.
	upsertJob = tables.Jobs.Insert(dialect, 1) + " ON CONFLICT (id) DO UPDATE SET " + tables.Jobs.Excluded("id") + ", lease_until = NULL"
	// dueJobs lists a shop's due jobs; NULL due times (the zero time) sort
	// first, and are always due.
	dueJobs = "SELECT " + tables.Jobs.Columns + ` FROM jobs
		WHERE shop_id = ? AND (due_at IS NULL OR due_at <= ?) ORDER BY due_at, seq LIMIT ?`
	jobByID = "SELECT " + tables.Jobs.Columns + " FROM jobs WHERE id = ?"
)

// Job needs no lock: the writer runs one Update function at a time.
func (t *tx) Job(id string) (*guichet.Job, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load job", tables.Jobs.Scan, jobByID, id)
	return tables.First(l, err, "job")
}

// PutJob inserts the job, or changes the one with its ID; a rescheduled job
// keeps its place among the jobs due at the same time, and loses its lease:
// whoever puts it is done with it.
func (t *tx) PutJob(j *guichet.Job) error {
	if err := t.check(true); err != nil {
		return err
	}
	if j.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "job ID missing", Param: "id"}
	}
	_, err := t.run.exec(upsertJob, tables.Jobs.Append(dialect, nil, *j)...)
	return convert(err, "save job")
}

// DueJobs needs no reservation: the writer runs one Update function at a
// time, and the file belongs to one Store. A job with the zero DueAt is
// always due.
func (t *tx) DueJobs(shopID string, now time.Time, limit int) ([]guichet.Job, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	return list(t, "list jobs", tables.Jobs.Scan, dueJobs, shopID, nanos(now), limit)
}

// DeleteJob deletes the job; deleting a job that is not there is no error.
func (t *tx) DeleteJob(id string) error {
	if err := t.check(true); err != nil {
		return err
	}
	_, err := t.run.exec("DELETE FROM jobs WHERE id = ?", id)
	return convert(err, "delete job")
}

// Deliveries.

var (
	selectDeliveries = "SELECT " + tables.Deliveries.Columns + " FROM deliveries"
	deliveryByID     = selectDeliveries + " WHERE id = ?"
	upsertDelivery   = tables.Deliveries.Insert(dialect, 1) + " ON CONFLICT (id) DO UPDATE SET " + tables.Deliveries.Excluded("id")
	// One constant query per combination of the filters of Deliveries
	// keeps the writer's statement cache bounded.
	deliveriesByShopAndOrder = selectDeliveries + " WHERE shop_id = ? AND order_ref = ?" + newestDeliveries
	deliveriesByShop         = selectDeliveries + " WHERE shop_id = ?" + newestDeliveries
	deliveriesByOrder        = selectDeliveries + " WHERE order_ref = ?" + newestDeliveries
	allDeliveries            = selectDeliveries + newestDeliveries

	insertAttempt = tables.Attempts.Insert(dialect, 1)
	attemptsOf    = "SELECT " + tables.Attempts.Columns + " FROM attempts WHERE delivery_id = ? ORDER BY at, seq"
)

const newestDeliveries = " ORDER BY created_at DESC, id DESC LIMIT ?"

func (t *tx) Delivery(id string) (*guichet.Delivery, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load delivery", tables.Deliveries.Scan, deliveryByID, id)
	return tables.First(l, err, "delivery")
}

func (t *tx) PutDelivery(d *guichet.Delivery) error {
	if err := t.check(true); err != nil {
		return err
	}
	if d.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "delivery ID missing", Param: "id"}
	}
	_, err := t.run.exec(upsertDelivery, tables.Deliveries.Append(dialect, nil, *d)...)
	return convert(err, "save delivery")
}

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

// AddAttempt records an attempt; the delivery's count of attempts is the
// caller's to update with PutDelivery.
func (t *tx) AddAttempt(a guichet.Attempt) error {
	if err := t.check(true); err != nil {
		return err
	}
	_, err := t.run.exec(insertAttempt, tables.Attempts.Append(dialect, nil, a)...)
	return convert(err, "add attempt")
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
