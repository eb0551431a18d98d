package tables

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"guichet"
)

// testJournalSyntax writes the journal's query with PostgreSQL's
// placeholders and marks what a store brings in brackets.
var testJournalSyntax = &JournalSyntax{
	Dialect:  testDialect{},
	Newest:   " ORDER BY newest",
	AnyShop:  func(p string) string { return "[shop in " + p + "]" },
	ShopList: func(shops []string) any { return strings.Join(shops, "|") },
	Contains: func(column, p string) string { return "[" + column + " holds " + p + "]" },
	LastFour: "[last four]",
}

func TestPlanJournal(t *testing.T) {
	for _, c := range []struct {
		name string
		f    guichet.JournalFilter
		want guichet.JournalFilter
		ok   bool
	}{
		{"empty", guichet.JournalFilter{}, guichet.JournalFilter{Limit: 50}, true},
		{"negative limit", guichet.JournalFilter{Limit: -3}, guichet.JournalFilter{Limit: 50}, true},
		{"limit", guichet.JournalFilter{Limit: 7}, guichet.JournalFilter{Limit: 7}, true},
		{"limit capped", guichet.JournalFilter{Limit: 501}, guichet.JournalFilter{Limit: 500}, true},
		{"no shop", guichet.JournalFilter{Shops: []string{}}, guichet.JournalFilter{}, false},
		{"one shop", guichet.JournalFilter{Shops: []string{"a"}}, guichet.JournalFilter{ShopID: "a", Limit: 50}, true},
		{"one empty shop", guichet.JournalFilter{Shops: []string{""}}, guichet.JournalFilter{Shops: []string{""}, Limit: 50}, true},
		{"two shops", guichet.JournalFilter{Shops: []string{"a", "b"}}, guichet.JournalFilter{Shops: []string{"a", "b"}, Limit: 50}, true},
		{"shop among shops", guichet.JournalFilter{Shops: []string{"a", "b"}, ShopID: "b"}, guichet.JournalFilter{ShopID: "b", Limit: 50}, true},
		{"shop not among shops", guichet.JournalFilter{Shops: []string{"a", "b"}, ShopID: "c"}, guichet.JournalFilter{}, false},
	} {
		got, ok := PlanJournal(c.f)
		if ok != c.ok || (ok && !reflect.DeepEqual(got, c.want)) {
			t.Errorf("%s: got %+v, %v; want %+v, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestJournalQuery(t *testing.T) {
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	sel := "SELECT " + Transactions.Columns + " FROM transactions"
	for _, c := range []struct {
		name  string
		f     guichet.JournalFilter
		nulls bool
		where string
		args  []any
	}{
		{name: "nothing", where: " ORDER BY newest LIMIT $1", args: []any{50}},
		{name: "every field", f: guichet.JournalFilter{Shops: []string{"a", "b"}, ShopID: "s", Front: "lyra",
			Status: guichet.StatusCaptured, Method: "CARTE", Review: "200", Reference: "ref", Amount: 100, Card: "X0014",
			From: at, To: at.Add(time.Hour), After: &guichet.JournalCursor{CreatedAt: at.Add(time.Minute), Number: 7}},
			where: " WHERE [shop in $1] AND shop_id = $2 AND front = $3 AND status = $4 AND method = $5 AND review = $6 AND review <> ''" +
				" AND reference = $7 AND amount = $8 AND [card_masked holds $9] AND created_at >= $10 AND created_at < $11" +
				" AND created_at <= $12 AND (created_at < $13 OR number < $14) ORDER BY newest LIMIT $15",
			args: []any{"a|b", "s", "lyra", "captured", "CARTE", "200", "ref", int64(100), "X0014", at, at.Add(time.Hour),
				at.Add(time.Minute), at.Add(time.Minute), int64(7), 50}},
		{name: "last four digits", f: guichet.JournalFilter{Card: "0014"},
			where: " WHERE [last four] = $1 ORDER BY newest LIMIT $2", args: []any{"0014", 50}},
		{name: "cursor without a time", f: guichet.JournalFilter{Status: guichet.StatusRefused, After: &guichet.JournalCursor{Number: 7}},
			where: " WHERE status = $1 AND created_at IS NULL AND number < $2 ORDER BY newest LIMIT $3",
			args:  []any{"refused", int64(7), 50}},
		{name: "the page's end without a time", f: guichet.JournalFilter{ShopID: "s", After: &guichet.JournalCursor{CreatedAt: at, Number: 7}},
			nulls: true, where: " WHERE shop_id = $1 AND created_at IS NULL ORDER BY newest LIMIT $2", args: []any{"s", 50}},
	} {
		// JournalQuery writes whatever it is given: PlanJournal would
		// have dropped the shop that is not among the shops.
		query, args := JournalQuery(testJournalSyntax, c.f, 50, c.nulls)
		if query != sel+c.where {
			t.Errorf("%s: query\n%s\nwant\n%s", c.name, query, sel+c.where)
		}
		if !reflect.DeepEqual(args, c.args) {
			t.Errorf("%s: arguments %#v, want %#v", c.name, args, c.args)
		}
	}
}

func TestJournalNulls(t *testing.T) {
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		f    guichet.JournalFilter
		want bool
	}{
		{guichet.JournalFilter{}, false},
		{guichet.JournalFilter{After: &guichet.JournalCursor{CreatedAt: at, Number: 1}}, true},
		{guichet.JournalFilter{After: &guichet.JournalCursor{Number: 1}}, false},
		{guichet.JournalFilter{From: at, After: &guichet.JournalCursor{CreatedAt: at, Number: 1}}, false},
		{guichet.JournalFilter{To: at, After: &guichet.JournalCursor{CreatedAt: at, Number: 1}}, false},
	} {
		if got := JournalNulls(c.f); got != c.want {
			t.Errorf("JournalNulls(%+v) = %v, want %v", c.f, got, c.want)
		}
	}
}
