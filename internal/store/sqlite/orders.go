package sqlite

import (
	"database/sql"
	"time"

	"guichet"
	"guichet/internal/store/columns"
)

// collect reads every row of rows with scan, then closes them.
func collect[T any](rows *sql.Rows, doing string, scan func(*sql.Rows) (T, error)) ([]T, error) {
	defer rows.Close()
	var list []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, convert(err, doing)
		}
		list = append(list, v)
	}
	if err := rows.Err(); err != nil {
		return nil, convert(err, doing)
	}
	return list, nil
}

// Orders.

const orderCols = `id, shop_id, protocol, reference, amount, currency, status, request, transaction_id,
	content, attempts, max_attempts, expires_at, created_at, updated_at`

func scanOrder(rows *sql.Rows) (guichet.Order, error) {
	var o guichet.Order
	var content string
	var expires, created, updated sql.NullInt64
	err := rows.Scan(&o.ID, &o.ShopID, &o.Protocol, &o.Reference, &o.Amount.Amount, &o.Amount.Currency, &o.Status,
		&o.Request, &o.TransactionID, &content, &o.Attempts, &o.MaxAttempts, &expires, &created, &updated)
	if err != nil {
		return o, err
	}
	o.ExpiresAt, o.CreatedAt, o.UpdatedAt = fromNanos(expires), fromNanos(created), fromNanos(updated)
	return o, columns.SetOrderContent(&o, content)
}

func (t *tx) Order(id string) (*guichet.Order, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	rows, err := t.run.query("SELECT "+orderCols+" FROM orders WHERE id = ?", id)
	if err != nil {
		return nil, convert(err, "load order")
	}
	list, err := collect(rows, "load order", scanOrder)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("order")
	}
	return &list[0], nil
}

func (t *tx) PutOrder(o *guichet.Order) error {
	if err := t.check(true); err != nil {
		return err
	}
	if o.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "order ID missing", Param: "id"}
	}
	_, err := t.run.exec(`INSERT INTO orders (`+orderCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET shop_id = excluded.shop_id, protocol = excluded.protocol,
			reference = excluded.reference, amount = excluded.amount, currency = excluded.currency,
			status = excluded.status, request = excluded.request, transaction_id = excluded.transaction_id,
			content = excluded.content, attempts = excluded.attempts, max_attempts = excluded.max_attempts,
			expires_at = excluded.expires_at, created_at = excluded.created_at, updated_at = excluded.updated_at`,
		o.ID, o.ShopID, o.Protocol, o.Reference, o.Amount.Amount, o.Amount.Currency, string(o.Status),
		blob(o.Request), o.TransactionID, columns.OrderContent(o), o.Attempts, o.MaxAttempts,
		nanos(o.ExpiresAt), nanos(o.CreatedAt), nanos(o.UpdatedAt))
	return convert(err, "save order")
}

// Jobs.

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
	_, err := t.run.exec(`INSERT INTO jobs (id, shop_id, kind, ref, due_at, data, group_key) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET shop_id = excluded.shop_id, kind = excluded.kind, ref = excluded.ref,
			due_at = excluded.due_at, data = excluded.data, group_key = excluded.group_key, lease_until = NULL`,
		j.ID, j.ShopID, j.Kind, j.Ref, nanos(j.DueAt), blob(j.Data), j.Group)
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
	rows, err := t.run.query(`SELECT `+jobCols+` FROM jobs
		WHERE shop_id = ? AND (due_at IS NULL OR due_at <= ?) ORDER BY due_at, seq LIMIT ?`,
		shopID, nanos(now), limit)
	if err != nil {
		return nil, convert(err, "list jobs")
	}
	return collect(rows, "list jobs", scanJob)
}

const jobCols = "id, shop_id, kind, ref, due_at, data, group_key"

func scanJob(rows *sql.Rows) (guichet.Job, error) {
	var j guichet.Job
	var due sql.NullInt64
	err := rows.Scan(&j.ID, &j.ShopID, &j.Kind, &j.Ref, &due, &j.Data, &j.Group)
	j.DueAt = fromNanos(due)
	return j, err
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

const deliveryCols = `id, shop_id, event_id, transaction_id, order_ref, method, url, content_type, body,
	status, attempts, created_at, updated_at`

func scanDelivery(rows *sql.Rows) (guichet.Delivery, error) {
	var d guichet.Delivery
	var created, updated sql.NullInt64
	err := rows.Scan(&d.ID, &d.ShopID, &d.EventID, &d.TransactionID, &d.OrderRef, &d.Method, &d.URL, &d.ContentType,
		&d.Body, &d.Status, &d.Attempts, &created, &updated)
	d.CreatedAt, d.UpdatedAt = fromNanos(created), fromNanos(updated)
	return d, err
}

func (t *tx) Delivery(id string) (*guichet.Delivery, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	rows, err := t.run.query("SELECT "+deliveryCols+" FROM deliveries WHERE id = ?", id)
	if err != nil {
		return nil, convert(err, "load delivery")
	}
	list, err := collect(rows, "load delivery", scanDelivery)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("delivery")
	}
	return &list[0], nil
}

func (t *tx) PutDelivery(d *guichet.Delivery) error {
	if err := t.check(true); err != nil {
		return err
	}
	if d.ID == "" {
		return &guichet.Error{Code: guichet.CodeInvalid, Message: "delivery ID missing", Param: "id"}
	}
	_, err := t.run.exec(`INSERT INTO deliveries (`+deliveryCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET shop_id = excluded.shop_id, event_id = excluded.event_id,
			transaction_id = excluded.transaction_id, order_ref = excluded.order_ref, method = excluded.method,
			url = excluded.url, content_type = excluded.content_type, body = excluded.body,
			status = excluded.status, attempts = excluded.attempts, created_at = excluded.created_at,
			updated_at = excluded.updated_at`,
		d.ID, d.ShopID, d.EventID, d.TransactionID, d.OrderRef, d.Method, d.URL, d.ContentType, blob(d.Body),
		string(d.Status), d.Attempts, nanos(d.CreatedAt), nanos(d.UpdatedAt))
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
	// One constant query per combination of filters keeps the writer's
	// statement cache bounded.
	const sel = "SELECT " + deliveryCols + " FROM deliveries"
	const order = " ORDER BY created_at DESC, id DESC LIMIT ?"
	var rows *sql.Rows
	var err error
	switch {
	case f.ShopID != "" && f.OrderRef != "":
		rows, err = t.run.query(sel+" WHERE shop_id = ? AND order_ref = ?"+order, f.ShopID, f.OrderRef, limit)
	case f.ShopID != "":
		rows, err = t.run.query(sel+" WHERE shop_id = ?"+order, f.ShopID, limit)
	case f.OrderRef != "":
		rows, err = t.run.query(sel+" WHERE order_ref = ?"+order, f.OrderRef, limit)
	default:
		rows, err = t.run.query(sel+order, limit)
	}
	if err != nil {
		return nil, convert(err, "list deliveries")
	}
	return collect(rows, "list deliveries", scanDelivery)
}

// AddAttempt records an attempt; the delivery's count of attempts is the
// caller's to update with PutDelivery.
func (t *tx) AddAttempt(a guichet.Attempt) error {
	if err := t.check(true); err != nil {
		return err
	}
	_, err := t.run.exec(`INSERT INTO attempts (delivery_id, at, status_code, error, duration_ns) VALUES (?, ?, ?, ?, ?)`,
		a.DeliveryID, nanos(a.At), a.StatusCode, a.Error, int64(a.Duration))
	return convert(err, "add attempt")
}

func (t *tx) Attempts(deliveryID string) ([]guichet.Attempt, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	rows, err := t.run.query(`SELECT delivery_id, at, status_code, error, duration_ns FROM attempts
		WHERE delivery_id = ? ORDER BY at, seq`, deliveryID)
	if err != nil {
		return nil, convert(err, "list attempts")
	}
	return collect(rows, "list attempts", func(rows *sql.Rows) (guichet.Attempt, error) {
		var a guichet.Attempt
		var at sql.NullInt64
		var d int64
		err := rows.Scan(&a.DeliveryID, &at, &a.StatusCode, &a.Error, &d)
		a.At, a.Duration = fromNanos(at), time.Duration(d)
		return a, err
	})
}
