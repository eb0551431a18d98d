package postgres

import (
	"context"
	"errors"
	"slices"
	"time"

	"guichet/internal/store/tables"

	"github.com/jackc/pgx/v5/pgconn"
)

// Units of work that only write, such as a payment's record, commit in
// groups: the group writers put the statements of the units that queued up
// while they were busy in one database transaction, one round trip and one
// commit, and join the inserts of one table into one statement. For the
// server, a payment then costs a share of a BEGIN, an INSERT per table and
// a COMMIT, where it cost six statements of its own, and this, more than
// the commit's flush, is what bounds the payments a second on a small
// machine.
//
// A group is all or nothing, and a unit must not fail for another's
// sake. So when PostgreSQL refuses a statement of a group (a key used
// twice, a claim no longer pending), nothing of the group was written, and
// each of its units runs again alone, to succeed or fail on its own as it
// would have without the group. An error that leaves the outcome unknown,
// such as a connection lost during the commit, is every unit's answer, as
// it would have been for each alone.

const (
	// groupUnits bounds the units of one group.
	groupUnits = 64
	// groupWriters is how many groups are written at once. One did best:
	// 4,477 payments a second against 4,327 with two and 3,905 with four
	// (BENCHMARKS.md), since a second group in flight only competes for
	// the same two cores, and the first group's commit is short.
	groupWriters = 1
	// maxParams is the most parameters PostgreSQL takes in one statement.
	maxParams = 65535
	// groupTimeout bounds the writing of one group, its units run alone
	// included, which no caller bounds with a context of its own.
	groupTimeout = 30 * time.Second
)

// unitRequest is the work of a write-only unit of work waiting for a group
// writer, and where its outcome goes.
type unitRequest struct {
	stmts []statement
	done  chan error
}

// commitGrouped has stmts, the whole work of one unit of work, which never
// read, committed with the units of other requests. It returns once they
// are durable, or with the error that kept them from being written.
func (s *Store) commitGrouped(ctx context.Context, stmts []statement) error {
	r := unitRequest{stmts: stmts, done: make(chan error, 1)}
	select {
	case s.units <- r:
	case <-ctx.Done():
		return cancelled(ctx.Err())
	case <-s.unitsDone:
		return errClosed()
	}
	// Once queued, the unit is written whatever happens to ctx, as a
	// commit already sent would be: its caller waits for the outcome.
	select {
	case err := <-r.done:
		return err
	case <-s.unitsDone:
		// The writers drained the queue before they stopped; a unit
		// queued after that was never written.
		select {
		case err := <-r.done:
			return err
		default:
			return errClosed()
		}
	}
}

// writeUnits is a group writer: it writes the units queued while it was
// busy, as one group, until the store stops, and then what is left.
func (s *Store) writeUnits() {
	batch := make([]unitRequest, 0, groupUnits)
	gather := func() {
		for len(batch) < groupUnits {
			select {
			case r := <-s.units:
				batch = append(batch, r)
			default:
				return
			}
		}
	}
	for {
		select {
		case r := <-s.units:
			batch = append(batch[:0], r)
			gather()
			s.writeGroup(batch)
			clear(batch)
		case <-s.unitsStop:
			for {
				batch = batch[:0]
				gather()
				if len(batch) == 0 {
					return
				}
				s.writeGroup(batch)
				clear(batch)
			}
		}
	}
}

// writeGroup commits the units of batch together and tells each its
// outcome. When PostgreSQL refused a statement, each unit runs alone.
func (s *Store) writeGroup(batch []unitRequest) {
	ctx, cancel := context.WithTimeout(context.Background(), groupTimeout)
	defer cancel()
	if len(batch) == 1 {
		batch[0].done <- s.commitAlone(ctx, batch[0].stmts)
		return
	}
	err := s.commitAlone(ctx, merge(batch))
	var pe *pgconn.PgError
	if err == nil || !errors.As(err, &pe) {
		for _, r := range batch {
			r.done <- err
		}
		return
	}
	for _, r := range batch {
		r.done <- s.commitAlone(ctx, r.stmts)
	}
}

// commitAlone runs stmts in a database transaction of their own.
func (s *Store) commitAlone(ctx context.Context, stmts []statement) error {
	t := &tx{ctx: ctx, s: s, write: true, begin: beginUpdate, pending: stmts}
	defer t.release()
	t.end()
	return t.finish(ctx)
}

// merge returns the statements of the units of batch, in order, with the
// rows inserted into one table joined into the first such statement, as
// long as it stays within PostgreSQL's bound on parameters. A unit's rows
// thus go in no later than they would alone, and the rows of one
// statement keep the order of their units. Should a unit need some row
// written after another (there is no such unit today), a group that
// breaks that order fails, and its units run alone.
func merge(batch []unitRequest) []statement {
	var out []statement
	at := map[*tableInsert]int{} // index in out of the statement that takes a table's rows
	for _, r := range batch {
		for _, st := range r.stmts {
			if st.into == nil {
				out = append(out, st)
				continue
			}
			if i, ok := at[st.into]; ok && len(out[i].args)+len(st.args) <= maxParams {
				out[i].args = append(out[i].args, st.args...)
				out[i].rows += st.rows
				out[i].sql = ""
				continue
			}
			at[st.into] = len(out)
			st.args = slices.Clone(st.args)
			out = append(out, st)
		}
	}
	for i := range out {
		if out[i].sql == "" {
			out[i].sql = out[i].into.insert(dialect, out[i].rows)
		}
	}
	return out
}

// tableInsert builds the INSERT of any number of rows into one table, so
// that a group can join the inserts of several units into it.
type tableInsert struct {
	table  string
	insert func(d tables.Dialect, rows int) string
}

func newTableInsert[T any](t *tables.Table[T]) *tableInsert {
	return &tableInsert{table: t.Name, insert: t.Insert}
}

var (
	claimInsert       = newTableInsert(&tables.Claims)
	transactionInsert = newTableInsert(&tables.Transactions)
	operationInsert   = newTableInsert(&tables.Operations)
	eventInsert       = newTableInsert(&tables.Events)
)
