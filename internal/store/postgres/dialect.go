package postgres

import (
	"strconv"
	"time"

	"guichet/internal/store/tables"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// dialect is how the rows of package tables are written and read here.
var dialect tables.Dialect = pgDialect{}

// pgDialect numbers parameters $1, $2, …, and keeps times as timestamptz,
// NULL for the zero time.
type pgDialect struct{}

func (pgDialect) AppendParam(b []byte, n int) []byte {
	return strconv.AppendInt(append(b, '$'), int64(n), 10)
}

func (pgDialect) Time(t time.Time) any { return timeArg(t) }

// ScanTime reads into *t through a conversion of the pointer, which costs
// no allocation; pgx decodes into it directly, without reflection.
func (pgDialect) ScanTime(t *time.Time) any { return (*pgTime)(t) }

// timeArg stores the zero time as NULL, so that it comes back as the zero
// time rather than as year 1 in some time zone.
func timeArg(t time.Time) pgtype.Timestamptz {
	if t.IsZero() {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: t, Valid: true}
}

// pgTime is a time read from a timestamptz column, in UTC.
type pgTime time.Time

var _ pgtype.TimestamptzScanner = (*pgTime)(nil)

func (t *pgTime) ScanTimestamptz(v pgtype.Timestamptz) error {
	if !v.Valid {
		*t = pgTime{}
		return nil
	}
	*t = pgTime(v.Time.UTC())
	return nil
}

// list runs query once the queued statements are sent, and collects its
// rows with scan.
func list[T any](t *tx, doing string, scan func(tables.Dialect, tables.Row, *T) error, query string, args ...any) ([]T, error) {
	conn, err := t.sync()
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(t.ctx, query, tables.StorableArgs(args)...)
	if err != nil {
		return nil, convert(err, doing)
	}
	return collect(rows, doing, scan)
}

// collect reads every row of rows with scan, then closes them.
func collect[T any](rows pgx.Rows, doing string, scan func(tables.Dialect, tables.Row, *T) error) ([]T, error) {
	defer rows.Close()
	list, err := tables.Collect(dialect, rows, scan)
	if err != nil {
		return nil, convert(err, doing)
	}
	return list, nil
}
