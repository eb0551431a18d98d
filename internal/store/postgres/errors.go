package postgres

import (
	"context"
	"errors"

	"guichet"

	"github.com/jackc/pgx/v5/pgconn"
)

// convert turns a driver error into a *guichet.Error, classified by
// PostgreSQL's SQLSTATE code: messages are translated and reworded between
// versions, codes are not. An error that already is a *guichet.Error passes
// unchanged.
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
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return &guichet.Error{Code: guichet.CodeConflict, Message: doing + ": already exists", Err: err}
		case "23503", "23502", "23514", "22001": // foreign_key, not_null, check, string too long
			return &guichet.Error{Code: guichet.CodeInvalid, Message: doing + ": invalid data", Err: err}
		case "40001", "40P01", "55P03", "57P01", "57P03", "53300":
			// serialization_failure, deadlock_detected, lock_not_available,
			// admin_shutdown, cannot_connect_now, too_many_connections:
			// trying again may work.
			return &guichet.Error{Code: guichet.CodeUnavailable, Message: doing + ": database busy, retry", Err: err}
		}
	} else if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return &guichet.Error{Code: guichet.CodeUnavailable, Message: doing + ": database unreachable, retry", Err: err}
	}
	return &guichet.Error{Code: guichet.CodeInternal, Message: "internal error", Err: errors.Join(errors.New(doing), err)}
}

// cancelled reports a caller that gave up before its work was done.
func cancelled(err error) error {
	return &guichet.Error{Code: guichet.CodeUnavailable, Message: "request cancelled", Err: err}
}
