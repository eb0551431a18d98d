package sqlite

import (
	"database/sql"
	"errors"
	"slices"

	"guichet"
	"guichet/internal/store/tables"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The writer runs each Update function of a batch inside a savepoint of
// its own, so that a function that fails is undone alone. A savepoint
// costs the writer, which every Update waits for, a copy of every page the
// function changes, and its statements cost more than their rows.
//
// Most functions under load are a payment's record, which only inserts
// rows: its claim, its transaction and operations, its events. So the
// inserts of Claim, BeginClaim, Emit and PutTransaction (of a new
// transaction) are deferred: the function's savepoint opens at its first
// other statement, read or write, and its deferred inserts run there, in
// order, before it. A function that returns having only deferred inserts
// leaves them to the writer, which runs the rows of all such functions of
// the batch together, one statement per table, inside one savepoint.
// Should SQLite refuse one of them (a key claimed twice), nothing of them
// is kept, and each function's inserts run again alone in a savepoint of
// its own, so that each Update gets the outcome it would have had alone.
//
// A function's statements always see what the functions before it wrote:
// before a function's savepoint opens, the inserts other functions left
// are run. And a deferred insert can fail only once the function that
// made it has gone on, so, as on PostgreSQL, its error is the answer to
// every later call of that function, and the outcome of its Update
// whatever the function returns.

// maxParams is the most parameters SQLite takes in one statement.
const maxParams = 32766

// inserts builds the INSERT of some rows into one table. The writer
// prepares each statement text once and keeps it, so only a few row
// counts are used: other counts are inserted in chunks of these.
type inserts struct {
	columns int
	sizes   []int    // the row counts, in increasing order
	texts   []string // the INSERT of sizes[i] rows
}

func newInserts[T any](t *tables.Table[T]) *inserts {
	in := &inserts{columns: t.Len()}
	for _, n := range []int{1, 2, 3, 4, 8, 16, 32, 64, 128} {
		if n*in.columns > maxParams {
			break
		}
		in.sizes = append(in.sizes, n)
		in.texts = append(in.texts, t.Insert(dialect, n))
	}
	return in
}

var (
	claimRows       = newInserts(&tables.Claims)
	transactionRows = newInserts(&tables.Transactions)
	operationRows   = newInserts(&tables.Operations)
	eventRows       = newInserts(&tables.Events)
)

// insert is rows to insert into one table.
type insert struct {
	into *inserts
	// args are the column values of each row in turn.
	args  []any
	doing string
	// conflict, when set, is the error a unique violation stands for.
	conflict func() *guichet.Error
}

// run inserts the rows, in as few statements as the known row counts
// allow.
func (in *insert) run(w *writer) error {
	for args := in.args; len(args) > 0; {
		rows := len(args) / in.into.columns
		i, found := slices.BinarySearch(in.into.sizes, rows)
		if !found {
			i--
		}
		n := in.into.sizes[i] * in.into.columns
		if _, err := w.exec(in.into.texts[i], args[:n]...); err != nil {
			return in.failure(err)
		}
		args = args[n:]
	}
	return nil
}

// failure turns the error the insert raised into the one to report.
func (in *insert) failure(err error) error {
	var se *sqlite.Error
	if in.conflict != nil && errors.As(err, &se) &&
		(se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		e := in.conflict()
		e.Err = err
		return e
	}
	return convert(err, in.doing)
}

// unit is the runner of one Update function on the writer.
type unit struct {
	s *Store
	// deferred are its inserts, until its savepoint opens.
	deferred []insert
	// open tells that its savepoint is open.
	open bool
	// failed is the error of a deferred insert, which fails the unit.
	failed error
	// broken is the error of a savepoint statement or of the other
	// functions' inserts: the database transaction is gone.
	broken error
	// claimed holds the keys the function claimed, as shop ID and key.
	claimed map[[2]string]bool
}

// claim records that the function claims key, and reports whether it
// had not yet.
func (u *unit) claim(shopID, key string) bool {
	k := [2]string{shopID, key}
	if u.claimed[k] {
		return false
	}
	if u.claimed == nil {
		u.claimed = make(map[[2]string]bool)
	}
	u.claimed[k] = true
	return true
}

func (u *unit) exec(query string, args ...any) (sql.Result, error) {
	if err := u.begin(); err != nil {
		return nil, err
	}
	return u.s.writer.exec(query, args...)
}

func (u *unit) query(query string, args ...any) (*sql.Rows, error) {
	if err := u.begin(); err != nil {
		return nil, err
	}
	return u.s.writer.query(query, args...)
}

// begin opens the savepoint of u, once the inserts other functions left
// have run, and runs the inserts u deferred.
func (u *unit) begin() error {
	switch {
	case u.broken != nil:
		return u.broken
	case u.failed != nil:
		return u.failed
	case u.open:
		return nil
	}
	if err := u.s.runLeft(); err != nil {
		u.broken = err
		return convert(err, "insert")
	}
	if _, err := u.s.writer.exec("SAVEPOINT fn"); err != nil {
		u.broken = err
		return convert(err, "savepoint")
	}
	u.open = true
	for _, in := range u.deferred {
		if err := in.run(u.s.writer); err != nil {
			u.failed = err
			return err
		}
	}
	u.deferred = nil
	return nil
}

// add runs in at once when the savepoint of u is open, and defers it
// otherwise.
func (u *unit) add(in insert) error {
	if u.failed != nil || u.broken != nil || u.open {
		if err := u.begin(); err != nil {
			return err
		}
		if err := in.run(u.s.writer); err != nil {
			u.failed = err
			return err
		}
		return nil
	}
	u.deferred = append(u.deferred, in)
	return nil
}

// left is the inserts of a function that returned with only deferred
// inserts, and where the outcome of its Update goes.
type left struct {
	inserts []insert
	result  *error
}

// runLeft runs the inserts the functions of the batch left, together,
// and sets their outcomes. An error means the database transaction is
// gone.
func (s *Store) runLeft() error {
	units := s.left
	s.left = nil
	if len(units) == 0 {
		return nil
	}
	w := s.writer
	if len(units) > 1 {
		if _, err := w.exec("SAVEPOINT grp"); err != nil {
			return err
		}
		if joinInserts(units).runAll(w) == nil {
			_, err := w.exec("RELEASE grp")
			return err
		}
		if _, err := w.exec("ROLLBACK TO grp"); err != nil {
			return err
		}
		if _, err := w.exec("RELEASE grp"); err != nil {
			return err
		}
	}
	for _, u := range units {
		if _, err := w.exec("SAVEPOINT fn"); err != nil {
			return err
		}
		*u.result = insertList(u.inserts).runAll(w)
		if *u.result != nil {
			if _, err := w.exec("ROLLBACK TO fn"); err != nil {
				return err
			}
		}
		if _, err := w.exec("RELEASE fn"); err != nil {
			return err
		}
	}
	return nil
}

// insertList is inserts to run in order.
type insertList []insert

// runAll runs the inserts in order, up to the first that fails.
func (l insertList) runAll(w *writer) error {
	for i := range l {
		if err := l[i].run(w); err != nil {
			return err
		}
	}
	return nil
}

// joinInserts returns the inserts of units in order, the rows of each
// table joined into its first insert: a unit's rows thus go in no later
// than they would alone, and a table's rows keep the order of their
// units. (A unit that needs some rows inserted after others, which none
// does today, would see a joined group fail, and run alone.)
func joinInserts(units []left) insertList {
	var out insertList
	at := map[*inserts]int{}
	for _, u := range units {
		for _, in := range u.inserts {
			if i, ok := at[in.into]; ok {
				out[i].args = append(out[i].args, in.args...)
				continue
			}
			at[in.into] = len(out)
			in.args = slices.Clone(in.args)
			out = append(out, in)
		}
	}
	return out
}
