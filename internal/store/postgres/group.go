package postgres

import (
	"context"
	"errors"
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
	at := map[string]int{} // table → index in out of the statement that takes its rows
	for _, r := range batch {
		for _, st := range r.stmts {
			if st.rows == nil {
				out = append(out, st)
				continue
			}
			i, ok := at[st.rows.table]
			if ok && len(out[i].args)+len(st.args) <= maxParams {
				m := &out[i]
				m.args = append(m.args, st.args...)
				m.rows = &insertRows{table: st.rows.table, n: m.rows.n + st.rows.n, insert: st.rows.insert}
				m.sql = ""
				continue
			}
			at[st.rows.table] = len(out)
			st.args = append([]any(nil), st.args...)
			out = append(out, st)
		}
	}
	for i := range out {
		if out[i].sql == "" {
			out[i].sql = out[i].rows.insert(out[i].rows.n)
		}
	}
	return out
}

// insertRows marks a statement that inserts n rows into table, in the form
// insert gives for any number of rows, so that a group can join it to
// other inserts into that table.
type insertRows struct {
	table  string
	n      int
	insert func(n int) string
}

// rowsOf marks the insert of n rows into table t.
func rowsOf[T any](t *tables.Table[T], n int) *insertRows {
	return &insertRows{table: t.Name, n: n, insert: func(n int) string { return t.Insert(dialect, n) }}
}
