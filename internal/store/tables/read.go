package tables

import "guichet"

// Rows is a query's result as both stores' drivers give it.
type Rows interface {
	Row
	Next() bool
	Err() error
}

// Collect reads every row of rows with scan. The caller closes rows, as
// the drivers close them differently.
func Collect[T any](d Dialect, rows Rows, scan func(Dialect, Row, *T) error) ([]T, error) {
	var list []T
	for rows.Next() {
		// The row is scanned into its place in the list, so that it is
		// copied nowhere else.
		var zero T
		list = append(list, zero)
		if err := scan(d, rows, &list[len(list)-1]); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return list, nil
}

// NotFound is the CodeNotFound error of what was looked for.
func NotFound(what string) error {
	return &guichet.Error{Code: guichet.CodeNotFound, Message: what + " not found"}
}

// First returns the first of the values found, or the CodeNotFound error
// of what was looked for.
func First[T any](found []T, err error, what string) (*T, error) {
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, NotFound(what)
	}
	return &found[0], nil
}
