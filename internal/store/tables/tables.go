// Package tables maps domain values to the rows of the tables the two SQL
// stores keep, once for both. A table's definition names its columns, turns
// a value into the column values of a row, and reads a row back into a
// value. A store brings its dialect: how its statements number their
// parameters, and how its driver passes and reads times. It keeps the
// rest: its queries' conditions, order and locks, its connections and its
// batching.
//
// The definitions call no driver and use no reflection: Append and Scan
// are the argument and destination lists a store would otherwise write by
// hand. The stores build their statements from the column lists when their
// package is initialised, so that each statement's text is built once and
// stays the same, as SQLite's cache of prepared statements needs.
package tables

import (
	"slices"
	"strings"
	"time"
)

// Dialect is what the mapping needs to know of a store's SQL. SQLite keeps
// times as Unix nanoseconds and PostgreSQL as timestamptz; in both, the zero
// time is NULL, so that it reads back as the zero time rather than as some
// instant of year 1.
type Dialect interface {
	// AppendParam appends the placeholder of a statement's nth parameter,
	// counted from 1, to b.
	AppendParam(b []byte, n int) []byte
	// Time is the argument that stores t in a time column.
	Time(t time.Time) any
	// ScanTime is the Scan destination that reads a time column into *t.
	ScanTime(t *time.Time) any
}

// Row is a row being read: *sql.Rows, pgx.Rows and pgx.CollectableRow all
// are.
type Row interface {
	Scan(dest ...any) error
}

// Table maps values of T to the rows of one table.
type Table[T any] struct {
	// Name is the table's name.
	Name string
	// Columns lists the columns a row is written and read with, in the
	// order of Append and Scan, as a query names them.
	Columns string
	// Append appends the column values of v to args.
	Append func(d Dialect, args []any, v T) []any
	// Scan reads a row of Columns into *v, which must be the zero value:
	// a store scans into the element of the list it returns, so that a
	// row is copied nowhere else. It is nil for a table whose rows are
	// read only with another's (credentials, with their shop).
	//
	// A field of a named type (a status, a brand, a duration) is scanned
	// through a pointer to its underlying type, which both drivers fill
	// directly, where they would otherwise reflect on the named type.
	Scan func(d Dialect, row Row, v *T) error
}

// Len returns the number of columns.
func (t *Table[T]) Len() int {
	return strings.Count(t.Columns, ",") + 1
}

// names returns the names of the columns.
func (t *Table[T]) names() []string {
	names := strings.Split(t.Columns, ",")
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	return names
}

// Qualified returns the list of columns with each name prefixed by alias,
// for a query that joins the table to others: c.id, c.shop_id, ….
func (t *Table[T]) Qualified(alias string) string {
	names := t.names()
	for i := range names {
		names[i] = alias + "." + names[i]
	}
	return strings.Join(names, ", ")
}

// Insert returns the INSERT of rows rows into all the columns, whose
// arguments are the column values of each row in turn.
func (t *Table[T]) Insert(d Dialect, rows int) string {
	n := t.Len()
	b := make([]byte, 0, len(t.Name)+len(t.Columns)+32+rows*n*6)
	b = append(b, "INSERT INTO "...)
	b = append(b, t.Name...)
	b = append(b, " ("...)
	b = append(b, t.Columns...)
	b = append(b, ") VALUES "...)
	for r := range rows {
		if r > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '(')
		b = appendParams(b, d, r*n+1, n)
		b = append(b, ')')
	}
	return string(b)
}

// Excluded returns the SET list of an upsert, name = excluded.name, …, which
// gives every column but those named in except the value of the row the
// upsert could not insert.
func (t *Table[T]) Excluded(except ...string) string {
	var set []string
	for _, name := range t.names() {
		if !slices.Contains(except, name) {
			set = append(set, name+" = excluded."+name)
		}
	}
	return strings.Join(set, ", ")
}

// Update is the UPDATE of one row, found by its key, that writes the
// other columns but a few that never change.
type Update struct {
	// SQL is UPDATE table SET column = ?, … WHERE key = ?.
	SQL string
	// set holds the positions, among the columns, of those SQL writes, in
	// increasing order; key is the position of the key.
	set []int
	key int
}

// Update returns the UPDATE of the row whose key column matches, which
// writes every column but the key and those named fixed.
func (t *Table[T]) Update(d Dialect, key string, fixed ...string) Update {
	u := Update{key: -1}
	b := []byte("UPDATE " + t.Name + " SET ")
	for i, name := range t.names() {
		switch {
		case name == key:
			u.key = i
		case !slices.Contains(fixed, name):
			if len(u.set) > 0 {
				b = append(b, ", "...)
			}
			u.set = append(u.set, i)
			b = d.AppendParam(append(b, name+" = "...), len(u.set))
		}
	}
	if u.key < 0 {
		panic("tables: " + t.Name + " has no column " + key)
	}
	b = append(b, " WHERE "+key+" = "...)
	u.SQL = string(d.AppendParam(b, len(u.set)+1))
	return u
}

// Args returns the arguments of u's statement, taken from values, the
// column values of a row as Append gives them. It rewrites values in place
// rather than allocate: the columns it keeps come in order, so each moves
// to a position at or before its own, whose value it has already taken;
// the key, which it moves to the end, is taken first.
func (u *Update) Args(values []any) []any {
	key := values[u.key]
	args := values[:0]
	for _, i := range u.set {
		args = append(args, values[i])
	}
	return append(args, key)
}

// Params returns the placeholders of n parameters, from the first-th,
// separated by commas.
func Params(d Dialect, first, n int) string {
	return string(appendParams(nil, d, first, n))
}

func appendParams(b []byte, d Dialect, first, n int) []byte {
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = d.AppendParam(b, first+i)
	}
	return b
}

// Blob is the argument of a BLOB or BYTEA column: NULL for an empty slice,
// which both drivers would otherwise store as an empty value, so that it
// reads back as nil.
func Blob(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
