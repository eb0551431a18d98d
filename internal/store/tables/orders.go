package tables

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"guichet"
)

// Orders maps the orders merchants send to the payment page. An order's
// content is kept as JSON, or "" for an order without any.
var Orders = Table[guichet.Order]{
	Name: "orders",
	Columns: `id, shop_id, protocol, reference, amount, currency, status, request, transaction_id,
		content, attempts, max_attempts, expires_at, seen_at, method, created_at, updated_at`,
	Append: func(d Dialect, args []any, o guichet.Order) []any {
		return append(args, o.ID, o.ShopID, o.Protocol, o.Reference, o.Amount.Amount, o.Amount.Currency, string(o.Status),
			Blob(o.Request), o.TransactionID, orderContent(o), o.Attempts, o.MaxAttempts,
			d.Time(o.ExpiresAt), d.Time(o.SeenAt), o.Method, d.Time(o.CreatedAt), d.Time(o.UpdatedAt))
	},
	Scan: func(d Dialect, row Row, o *guichet.Order) error {
		var content string
		err := row.Scan(&o.ID, &o.ShopID, &o.Protocol, &o.Reference, &o.Amount.Amount, &o.Amount.Currency, (*string)(&o.Status),
			&o.Request, &o.TransactionID, &content, &o.Attempts, &o.MaxAttempts,
			d.ScanTime(&o.ExpiresAt), d.ScanTime(&o.SeenAt), &o.Method, d.ScanTime(&o.CreatedAt), d.ScanTime(&o.UpdatedAt))
		if err != nil || content == "" {
			return err
		}
		if err := json.Unmarshal([]byte(content), &o.Content); err != nil {
			return fmt.Errorf("order %s: content: %w", o.ID, err)
		}
		return nil
	},
}

// orderContent is the column value of an order's content.
func orderContent(o guichet.Order) string {
	c := o.Content
	if c.Customer == nil && c.Cart == nil && c.SubMerchant == nil && len(c.Metadata) == 0 && len(c.Extras) == 0 {
		return ""
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// Jobs maps the jobs due on a shop's clock. The columns that order and
// lease them, seq and lease_until, belong to the stores' queries.
var Jobs = Table[guichet.Job]{
	Name:    "jobs",
	Columns: "id, shop_id, kind, ref, due_at, data, group_key",
	Append: func(d Dialect, args []any, j guichet.Job) []any {
		return append(args, j.ID, j.ShopID, j.Kind, j.Ref, d.Time(j.DueAt), Blob(j.Data), j.Group)
	},
	Scan: func(d Dialect, row Row, j *guichet.Job) error {
		return row.Scan(&j.ID, &j.ShopID, &j.Kind, &j.Ref, d.ScanTime(&j.DueAt), &j.Data, &j.Group)
	},
}

// The sizes of a list of jobs: what it holds when the caller does not say,
// and the most it may hold, so that no request makes a store load every job
// of a shop at once.
const (
	JobsDefaultLimit = 100
	JobsMaxLimit     = 1000
)

// JobsLimit returns the number of jobs a list of them holds when asked for
// limit.
func JobsLimit(limit int) int {
	switch {
	case limit <= 0:
		return JobsDefaultLimit
	case limit > JobsMaxLimit:
		return JobsMaxLimit
	}
	return limit
}

// TextList returns list as a JSON array of text made storable by
// guichet.StorableText, for a store that reads a list from one parameter
// with JSON functions. The cleaning comes before the encoding because JSON
// would keep a NUL as an escape that the database decodes back; and an
// empty or nil list is "[]", never "null", which is no array.
func TextList(list []string) string {
	if len(list) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(storableList(list))
	return string(b)
}

// JobBacklogColumns are what a query selects from jobs, grouped by kind,
// for ScanJobBacklog to read: a zero due time is NULL, which min leaves out.
const JobBacklogColumns = "kind, count(*), min(due_at)"

// ScanJobBacklog reads a row of JobBacklogColumns into *b, as a Table's
// Scan does.
func ScanJobBacklog(d Dialect, row Row, b *guichet.JobBacklog) error {
	return row.Scan(&b.Kind, &b.Due, d.ScanTime(&b.Oldest))
}

// Deliveries maps the notifications sent back to merchants.
var Deliveries = Table[guichet.Delivery]{
	Name: "deliveries",
	Columns: `id, shop_id, event_id, transaction_id, order_ref, method, url, content_type, body,
		retry_body, resend_body, success_codes, retry_marks_ns, max_attempts, status, attempts, created_at, updated_at`,
	Append: func(d Dialect, args []any, v guichet.Delivery) []any {
		return append(args, v.ID, v.ShopID, v.EventID, v.TransactionID, v.OrderRef, v.Method, v.URL, v.ContentType, Blob(v.Body),
			Blob(v.RetryBody), Blob(v.ResendBody), joinCodes(v.SuccessCodes), int64(v.RetryMarks), v.MaxAttempts,
			string(v.Status), v.Attempts, d.Time(v.CreatedAt), d.Time(v.UpdatedAt))
	},
	Scan: func(d Dialect, row Row, v *guichet.Delivery) error {
		var codes string
		err := row.Scan(&v.ID, &v.ShopID, &v.EventID, &v.TransactionID, &v.OrderRef, &v.Method, &v.URL, &v.ContentType, &v.Body,
			&v.RetryBody, &v.ResendBody, &codes, (*int64)(&v.RetryMarks), &v.MaxAttempts,
			(*string)(&v.Status), &v.Attempts, d.ScanTime(&v.CreatedAt), d.ScanTime(&v.UpdatedAt))
		if err != nil {
			return err
		}
		v.SuccessCodes, err = splitCodes(codes)
		return err
	},
}

// Attempts maps the attempts at sending deliveries. The column that orders
// the attempts made at the same time, seq, belongs to the stores' queries.
var Attempts = Table[guichet.Attempt]{
	Name:    "attempts",
	Columns: "delivery_id, at, status_code, error, duration_ns, answer",
	Append: func(d Dialect, args []any, a guichet.Attempt) []any {
		return append(args, a.DeliveryID, d.Time(a.At), a.StatusCode, a.Error, int64(a.Duration), a.Answer)
	},
	Scan: func(d Dialect, row Row, a *guichet.Attempt) error {
		return row.Scan(&a.DeliveryID, d.ScanTime(&a.At), &a.StatusCode, &a.Error, (*int64)(&a.Duration), &a.Answer)
	},
}

// joinCodes is the column value of a delivery's success codes: "200,301",
// or "" for any 2xx.
func joinCodes(codes []int) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}

// splitCodes reads joinCodes back.
func splitCodes(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var codes []int
	for _, p := range strings.Split(s, ",") {
		c, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("delivery success codes %q: %w", s, err)
		}
		codes = append(codes, c)
	}
	return codes, nil
}

// OrderProtocols lists the distinct protocols of the orders, one index
// probe each (a loose index scan over orders_protocol) rather than a scan
// of every order: the stores check at start-up that each has a notifier.
const OrderProtocols = `WITH RECURSIVE p(v) AS (
	SELECT min(protocol) FROM orders
	UNION ALL
	SELECT (SELECT min(protocol) FROM orders WHERE protocol > p.v) FROM p WHERE p.v IS NOT NULL
) SELECT v FROM p WHERE v IS NOT NULL`

// ScanString reads a row of one text column.
func ScanString(_ Dialect, row Row, s *string) error { return row.Scan(s) }

// ScanInt scans a row of one integer, such as a count.
func ScanInt(_ Dialect, row Row, n *int64) error { return row.Scan(n) }
