package tables

import (
	"slices"

	"guichet"
)

// The journal's page sizes: what a page holds when the filter does not
// say, and the most it may hold, so that no request makes a store load an
// unbounded list with the operations of each transaction.
const (
	JournalDefaultLimit = 50
	JournalMaxLimit     = 500
)

// JournalSyntax is what the journal's query needs of a store's SQL beyond
// its Dialect.
type JournalSyntax struct {
	Dialect
	// Newest is the ORDER BY clause of the journal: creation time, then
	// number, both descending, with a NULL creation time (a transaction
	// stored with the zero time) after every other, as SQLite sorts NULL
	// in descending order.
	Newest string
	// AnyShop is the condition that shop_id is one of the IDs the
	// parameter p holds, and ShopList the argument holding them. One
	// parameter holds the whole list, so that the statement's text does
	// not depend on how many shops it names.
	AnyShop  func(p string) string
	ShopList func(shops []string) any
	// Contains is the condition that column holds the text of the
	// parameter p, as it is: no character of p is a wildcard, and case
	// matters.
	Contains func(column, p string) string
	// LastFour is the expression of the last four characters of the
	// masked card number, which an index of each store is on: a card's
	// last four digits, what people search a payment by, are found
	// through it instead of by reading every row.
	LastFour string
}

// PlanJournal returns f as the journal's queries want it, and false when
// f selects nothing. Its Limit is the page's size. A list of Shops that
// comes down to one shop (a merchant user's single shop, or the ShopID
// asked for among the user's shops) becomes a ShopID, so that the query is
// an equality the index on the shop answers in order, rather than a list.
func PlanJournal(f guichet.JournalFilter) (guichet.JournalFilter, bool) {
	if f.Shops != nil {
		switch {
		case len(f.Shops) == 0:
			return f, false
		case f.ShopID != "":
			if !slices.Contains(f.Shops, f.ShopID) {
				return f, false
			}
			f.Shops = nil
		case len(f.Shops) == 1 && f.Shops[0] != "":
			// An empty ID stays a list: as a ShopID, it would select
			// every shop.
			f.ShopID, f.Shops = f.Shops[0], nil
		}
	}
	switch {
	case f.Limit <= 0:
		f.Limit = JournalDefaultLimit
	case f.Limit > JournalMaxLimit:
		f.Limit = JournalMaxLimit
	}
	return f, true
}

// JournalQuery returns the query of a page of the journal, which selects
// the columns of Transactions, and its arguments; f must come from
// PlanJournal. limit bounds the rows.
//
// The creation time is NULL for a transaction stored with the zero time.
// Those transactions come last in the journal, but the cursor's
// condition, a comparison of times, leaves them out. So with nulls set,
// JournalQuery returns instead the query of the transactions of f without
// a creation time, which a page continues with when the first query
// returned fewer than it needed and JournalNulls says so. A cursor taken
// on such a transaction has the zero time, and pages on among them.
//
// Only the conditions of the fields set are written, each with
// placeholders, never a value: the statement's text depends on which
// fields are set, and on nothing else, so that a store sees a bounded set
// of statements, each of which its database plans for the index that
// fits.
func JournalQuery(s *JournalSyntax, f guichet.JournalFilter, limit int, nulls bool) (string, []any) {
	q := journalQuery{s: s, b: append(make([]byte, 0, 1024), "SELECT "+Transactions.Columns+" FROM transactions"...)}
	if f.Shops != nil {
		q.where()
		q.b = append(q.b, s.AnyShop(q.param(s.ShopList(f.Shops)))...)
	}
	q.equal("shop_id", f.ShopID)
	q.equal("front", f.Front)
	q.equal("status", string(f.Status))
	q.equal("method", f.Method)
	if f.Review != "" {
		// Said again as a constant, the condition lets the stores use
		// their partial index on the transactions under review, which a
		// parameter alone would not prove it may.
		q.condition("review = ", f.Review)
		q.b = append(q.b, " AND review <> ''"...)
	}
	q.equal("reference", f.Reference)
	if f.Amount != 0 {
		q.condition("amount = ", f.Amount)
	}
	switch {
	case guichet.LastFour(f.Card):
		q.condition(s.LastFour+" = ", f.Card)
	case f.Card != "":
		q.where()
		q.b = append(q.b, s.Contains("card_masked", q.param(f.Card))...)
	}
	if !f.From.IsZero() {
		q.condition("created_at >= ", s.Time(f.From))
	}
	if !f.To.IsZero() {
		q.condition("created_at < ", s.Time(f.To))
	}
	switch c := f.After; {
	case nulls:
		q.where()
		q.b = append(q.b, "created_at IS NULL"...)
	case c == nil:
	case c.CreatedAt.IsZero():
		q.where()
		q.b = append(q.b, "created_at IS NULL"...)
		q.condition("number < ", c.Number)
	default:
		// The rows after the cursor, (created_at < c) OR (created_at = c
		// AND number < n), written so that the first term is a range of
		// the index that orders the journal, and the second only drops
		// the ties on the cursor's time that it already listed.
		t := s.Time(c.CreatedAt)
		q.condition("created_at <= ", t)
		q.condition("(created_at < ", t)
		q.b = append(q.b, " OR number < "...)
		q.b = append(q.b, q.param(c.Number)...)
		q.b = append(q.b, ')')
	}
	q.b = append(q.b, s.Newest...)
	q.b = append(q.b, " LIMIT "...)
	q.b = append(q.b, q.param(limit)...)
	return string(q.b), q.args
}

// JournalNulls reports whether the page f asks for continues, after the
// rows of the first query, with the transactions without a creation time:
// when its cursor has a time, and no bound on the time leaves them out.
func JournalNulls(f guichet.JournalFilter) bool {
	return f.After != nil && !f.After.CreatedAt.IsZero() && f.From.IsZero() && f.To.IsZero()
}

// journalQuery is a query being written, with its arguments.
type journalQuery struct {
	s     *JournalSyntax
	b     []byte
	args  []any
	conds int
}

// where starts a condition.
func (q *journalQuery) where() {
	if q.conds == 0 {
		q.b = append(q.b, " WHERE "...)
	} else {
		q.b = append(q.b, " AND "...)
	}
	q.conds++
}

// param adds an argument and returns its placeholder.
func (q *journalQuery) param(v any) string {
	q.args = append(q.args, v)
	return string(q.s.AppendParam(nil, len(q.args)))
}

// condition writes the condition prefix followed by the placeholder of v.
func (q *journalQuery) condition(prefix string, v any) {
	q.where()
	q.b = append(q.b, prefix...)
	q.b = append(q.b, q.param(v)...)
}

// equal writes the condition that column equals v, when v is set.
func (q *journalQuery) equal(column, v string) {
	if v != "" {
		q.condition(column+" = ", v)
	}
}
