package sqlite

import (
	"context"
	"errors"

	"guichet"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// errClosed answers calls made after Close.
func errClosed() error {
	return &guichet.Error{Code: guichet.CodeUnavailable, Message: "store closed"}
}

// convert turns a driver error into a *guichet.Error, classified by SQLite's
// result code: messages change between SQLite versions, codes do not. An
// error that already is a *guichet.Error passes unchanged.
func convert(err error, doing string) error {
	if err == nil {
		return nil
	}
	var ge *guichet.Error
	if errors.As(err, &ge) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return cancelled(err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &guichet.Error{Code: guichet.CodeConflict, Message: doing + ": already exists", Err: err}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT_CHECK:
			return &guichet.Error{Code: guichet.CodeInvalid, Message: doing + ": invalid data", Err: err}
		}
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return &guichet.Error{Code: guichet.CodeUnavailable, Message: doing + ": database busy, retry", Err: err}
		}
	}
	return &guichet.Error{Code: guichet.CodeInternal, Message: "internal error", Err: errors.Join(errors.New(doing), err)}
}

// cancelled reports a caller that gave up before its work was done.
func cancelled(err error) error {
	return &guichet.Error{Code: guichet.CodeUnavailable, Message: "request cancelled", Err: err}
}
