package postgres

import (
	"time"

	"guichet"
	"guichet/internal/store/columns"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// The writes of this file are upserts on the primary key or plain inserts,
// which no unique constraint can refuse: they are queued, as Claim and Emit
// are, and go to the database with the next read or the commit.

// list runs query once the queued statements are sent, and collects its
// rows with scan.
func list[T any](t *tx, doing string, scan pgx.RowToFunc[T], query string, args ...any) ([]T, error) {
	conn, err := t.sync()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(t.ctx, query, storableArgs(args)...)
	if err != nil {
		return nil, convert(err, doing)
	}
	l, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, convert(err, doing)
	}
	return l, nil
}

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

const orderCols = `id, shop_id, protocol, reference, amount, currency, status, request, transaction_id,
	content, attempts, max_attempts, expires_at, created_at, updated_at`

func scanOrder(row pgx.CollectableRow) (guichet.Order, error) {
	var o guichet.Order
	var status, content string
	var expires, created, updated pgtype.Timestamptz
	err := row.Scan(&o.ID, &o.ShopID, &o.Protocol, &o.Reference, &o.Amount.Amount, &o.Amount.Currency, &status,
		&o.Request, &o.TransactionID, &content, &o.Attempts, &o.MaxAttempts, &expires, &created, &updated)
	if err != nil {
		return o, err
	}
	o.Status = guichet.OrderStatus(status)
	o.ExpiresAt, o.CreatedAt, o.UpdatedAt = fromTime(expires), fromTime(created), fromTime(updated)
	return o, columns.SetOrderContent(&o, content)
}

// Order loads an order; inside Update it locks it until the commit.
func (t *tx) Order(id string) (*guichet.Order, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load order", scanOrder, "SELECT "+orderCols+" FROM orders WHERE id = $1"+t.forUpdate(), id)
	if err != nil {
		return nil, err
	}
	if len(l) == 0 {
		return nil, notFound("order")
	}
	return &l[0], nil
}

func (t *tx) PutOrder(o *guichet.Order) error {
	if err := t.check(true); err != nil {
		return err
	}
	if o.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "order ID missing", Param: "id"}
	}
	t.queue(statement{
		sql: `INSERT INTO orders (` + orderCols + `) VALUES ` + placeholders(1, 15) + `
			ON CONFLICT (id) DO UPDATE SET shop_id = excluded.shop_id, protocol = excluded.protocol,
				reference = excluded.reference, amount = excluded.amount, currency = excluded.currency,
				status = excluded.status, request = excluded.request, transaction_id = excluded.transaction_id,
				content = excluded.content, attempts = excluded.attempts, max_attempts = excluded.max_attempts,
				expires_at = excluded.expires_at, created_at = excluded.created_at, updated_at = excluded.updated_at`,
		args: []any{o.ID, o.ShopID, o.Protocol, o.Reference, o.Amount.Amount, o.Amount.Currency, string(o.Status),
			blob(o.Request), o.TransactionID, columns.OrderContent(o), o.Attempts, o.MaxAttempts,
			timeArg(o.ExpiresAt), timeArg(o.CreatedAt), timeArg(o.UpdatedAt)},
		doing: "save order",
	})
	return nil
}

// Jobs.

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
	t.queue(statement{
		sql: `INSERT INTO jobs (id, shop_id, kind, ref, due_at, data, group_key) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (id) DO UPDATE SET shop_id = excluded.shop_id, kind = excluded.kind, ref = excluded.ref,
				due_at = excluded.due_at, data = excluded.data, group_key = excluded.group_key, lease_until = NULL`,
		args:  []any{j.ID, j.ShopID, j.Kind, j.Ref, timeArg(j.DueAt), blob(j.Data), j.Group},
		doing: "save job",
	})
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
	query := `SELECT ` + jobCols + ` FROM jobs
		WHERE shop_id = $1 AND (due_at IS NULL OR due_at <= $2)
		ORDER BY due_at NULLS FIRST, seq LIMIT $3`
	if t.write {
		query += " FOR UPDATE SKIP LOCKED"
	}
	return list(t, "list jobs", scanJob, query, shopID, timeArg(now), limit)
}

const jobCols = "id, shop_id, kind, ref, due_at, data, group_key"

func scanJob(row pgx.CollectableRow) (guichet.Job, error) {
	var j guichet.Job
	var due pgtype.Timestamptz
	err := row.Scan(&j.ID, &j.ShopID, &j.Kind, &j.Ref, &due, &j.Data, &j.Group)
	j.DueAt = fromTime(due)
	return j, err
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

const deliveryCols = `id, shop_id, event_id, transaction_id, order_ref, method, url, content_type, body,
	status, attempts, created_at, updated_at`

func scanDelivery(row pgx.CollectableRow) (guichet.Delivery, error) {
	var d guichet.Delivery
	var status string
	var created, updated pgtype.Timestamptz
	err := row.Scan(&d.ID, &d.ShopID, &d.EventID, &d.TransactionID, &d.OrderRef, &d.Method, &d.URL, &d.ContentType,
		&d.Body, &status, &d.Attempts, &created, &updated)
	d.Status = guichet.DeliveryStatus(status)
	d.CreatedAt, d.UpdatedAt = fromTime(created), fromTime(updated)
	return d, err
}

// Delivery loads a delivery; inside Update it locks it until the commit.
func (t *tx) Delivery(id string) (*guichet.Delivery, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	l, err := list(t, "load delivery", scanDelivery, "SELECT "+deliveryCols+" FROM deliveries WHERE id = $1"+t.forUpdate(), id)
	if err != nil {
		return nil, err
	}
	if len(l) == 0 {
		return nil, notFound("delivery")
	}
	return &l[0], nil
}

func (t *tx) PutDelivery(d *guichet.Delivery) error {
	if err := t.check(true); err != nil {
		return err
	}
	if d.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "delivery ID missing", Param: "id"}
	}
	t.queue(statement{
		sql: `INSERT INTO deliveries (` + deliveryCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			ON CONFLICT (id) DO UPDATE SET shop_id = excluded.shop_id, event_id = excluded.event_id,
				transaction_id = excluded.transaction_id, order_ref = excluded.order_ref, method = excluded.method,
				url = excluded.url, content_type = excluded.content_type, body = excluded.body,
				status = excluded.status, attempts = excluded.attempts, created_at = excluded.created_at,
				updated_at = excluded.updated_at`,
		args: []any{d.ID, d.ShopID, d.EventID, d.TransactionID, d.OrderRef, d.Method, d.URL, d.ContentType, blob(d.Body),
			string(d.Status), d.Attempts, timeArg(d.CreatedAt), timeArg(d.UpdatedAt)},
		doing: "save delivery",
	})
	return nil
}

// Deliveries lists deliveries without locking them. Each combination of
// filters has a query of its own, so that the plan of each can use the
// indexes.
func (t *tx) Deliveries(f guichet.DeliveryFilter) ([]guichet.Delivery, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	const sel = "SELECT " + deliveryCols + " FROM deliveries"
	const order = " ORDER BY created_at DESC NULLS LAST, id DESC LIMIT "
	switch {
	case f.ShopID != "" && f.OrderRef != "":
		return list(t, "list deliveries", scanDelivery, sel+" WHERE shop_id = $1 AND order_ref = $2"+order+"$3", f.ShopID, f.OrderRef, limit)
	case f.ShopID != "":
		return list(t, "list deliveries", scanDelivery, sel+" WHERE shop_id = $1"+order+"$2", f.ShopID, limit)
	case f.OrderRef != "":
		return list(t, "list deliveries", scanDelivery, sel+" WHERE order_ref = $1"+order+"$2", f.OrderRef, limit)
	default:
		return list(t, "list deliveries", scanDelivery, sel+order+"$1", limit)
	}
}

// AddAttempt queues the insert of an attempt; the delivery's count of
// attempts is the caller's to update with PutDelivery.
func (t *tx) AddAttempt(a guichet.Attempt) error {
	if err := t.check(true); err != nil {
		return err
	}
	t.queue(statement{
		sql:   `INSERT INTO attempts (delivery_id, at, status_code, error, duration_ns) VALUES ($1, $2, $3, $4, $5)`,
		args:  []any{a.DeliveryID, timeArg(a.At), a.StatusCode, a.Error, int64(a.Duration)},
		doing: "add attempt",
	})
	return nil
}

func (t *tx) Attempts(deliveryID string) ([]guichet.Attempt, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return list(t, "list attempts", func(row pgx.CollectableRow) (guichet.Attempt, error) {
		var a guichet.Attempt
		var at pgtype.Timestamptz
		var d int64
		err := row.Scan(&a.DeliveryID, &at, &a.StatusCode, &a.Error, &d)
		a.At, a.Duration = fromTime(at), time.Duration(d)
		return a, err
	}, `SELECT delivery_id, at, status_code, error, duration_ns FROM attempts
		WHERE delivery_id = $1 ORDER BY at NULLS FIRST, seq`, deliveryID)
}
