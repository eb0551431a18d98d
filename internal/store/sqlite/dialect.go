package sqlite

import (
	"database/sql"
	"fmt"
	"time"

	"guichet/internal/store/tables"
)

// dialect is how the rows of package tables are written and read here.
var dialect tables.Dialect = sqliteDialect{}

// sqliteDialect numbers no parameter: each ? takes the next argument. It
// keeps times as INTEGER Unix nanoseconds, NULL for the zero time.
type sqliteDialect struct{}

func (sqliteDialect) AppendParam(b []byte, _ int) []byte { return append(b, '?') }

func (sqliteDialect) Time(t time.Time) any { return nanos(t) }

// ScanTime reads into *t through a conversion of the pointer, which costs
// no allocation.
func (sqliteDialect) ScanTime(t *time.Time) any { return (*nanosTime)(t) }

// nanos stores a time as Unix nanoseconds, and the zero time as NULL so that
// it comes back as the zero time.
func nanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// nanosTime is a time read from a column of Unix nanoseconds.
type nanosTime time.Time

var _ sql.Scanner = (*nanosTime)(nil)

func (t *nanosTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t = nanosTime{}
	case int64:
		*t = nanosTime(time.Unix(0, v).UTC())
	default:
		return fmt.Errorf("time column holds %T, not Unix nanoseconds", src)
	}
	return nil
}

// list runs query and collects its rows with scan.
func list[T any](t *tx, doing string, scan func(tables.Dialect, tables.Row, *T) error, query string, args ...any) ([]T, error) {
	rows, err := t.run.query(query, args...)
	if err != nil {
		return nil, convert(err, doing)
	}
	return collect(rows, doing, scan)
}

// collect reads every row of rows with scan, then closes them.
func collect[T any](rows *sql.Rows, doing string, scan func(tables.Dialect, tables.Row, *T) error) ([]T, error) {
	defer rows.Close()
	list, err := tables.Collect(dialect, rows, scan)
	if err != nil {
		return nil, convert(err, doing)
	}
	return list, nil
}
