package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet"
)

// The tests of the back office: users, sessions, the audit of what users
// did, and the journal of transactions.

func normalizeUser(u guichet.User) guichet.User {
	u.CreatedAt = instant(u.CreatedAt)
	if len(u.Shops) == 0 {
		u.Shops = nil
	}
	return u
}

func sameUser(t *testing.T, got, want *guichet.User, doing string) {
	t.Helper()
	if g, w := normalizeUser(*got), normalizeUser(*want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s: user differs:\n got %+v\nwant %+v", doing, g, w)
	}
}

func testUsers(t *testing.T, h *harness) {
	prefix := randomID("user") + "_"
	at := base()
	operator := &guichet.User{Name: prefix + "b_operator", Role: guichet.RoleOperator,
		Password: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", CreatedAt: at}
	merchant := &guichet.User{Name: prefix + "a_merchant", Role: guichet.RoleMerchant,
		Shops: []string{"shop_b", "shop_a"}, Password: "$argon2id$v=19$m=65536,t=3,p=4$c2Fsdg$aGFzaQ", CreatedAt: at.Add(time.Second)}
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.PutUser(operator); err != nil {
			return err
		}
		if err := tx.PutUser(merchant); err != nil {
			return err
		}
		// A user put in this unit of work is seen by it.
		got, err := tx.User(merchant.Name)
		if err != nil {
			return err
		}
		sameUser(t, got, merchant, "User in the Update that put it")
		return nil
	})
	mine := func(list []guichet.User) []guichet.User {
		var out []guichet.User
		for _, u := range list {
			if strings.HasPrefix(u.Name, prefix) {
				out = append(out, u)
			}
		}
		return out
	}
	h.view(t, func(tx guichet.Tx) error {
		for _, want := range []*guichet.User{operator, merchant} {
			got, err := tx.User(want.Name)
			if err != nil {
				return err
			}
			sameUser(t, got, want, "User")
		}
		// The shops come back in the order they were given.
		if got, _ := tx.User(merchant.Name); got != nil && !slices.Equal(got.Shops, []string{"shop_b", "shop_a"}) {
			t.Errorf("merchant's shops: %q", got.Shops)
		}
		list, err := tx.Users()
		if err != nil {
			return err
		}
		// By name: the merchant's sorts first.
		if l := mine(list); len(l) != 2 {
			t.Errorf("Users: %d of this test's users, want 2", len(l))
		} else {
			sameUser(t, &l[0], merchant, "Users[0]")
			sameUser(t, &l[1], operator, "Users[1]")
		}
		_, err = tx.User(prefix + "nobody")
		wantCode(t, err, guichet.CodeNotFound, "User of an unknown name")
		return nil
	})

	// An update replaces every field, the shops included, and a merchant
	// may lose its shops.
	cases := []struct {
		name   string
		change func(u *guichet.User)
	}{
		{"new shops and password", func(u *guichet.User) {
			u.Shops, u.Password = []string{"shop_c"}, "$argon2id$v=19$m=65536,t=3,p=4$bmV3$bmV3"
		}},
		{"no shop left", func(u *guichet.User) { u.Shops = nil }},
		{"made an operator", func(u *guichet.User) { u.Role, u.Shops = guichet.RoleOperator, nil }},
		{"made a merchant again", func(u *guichet.User) { u.Role, u.Shops = guichet.RoleMerchant, []string{"shop_a", "shop_d"} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want guichet.User
			h.update(t, func(tx guichet.Tx) error {
				u, err := tx.User(merchant.Name)
				if err != nil {
					return err
				}
				c.change(u)
				want = *u
				return tx.PutUser(u)
			})
			h.view(t, func(tx guichet.Tx) error {
				got, err := tx.User(merchant.Name)
				if err != nil {
					return err
				}
				sameUser(t, got, &want, c.name)
				// The other user is untouched.
				other, err := tx.User(operator.Name)
				if err != nil {
					return err
				}
				sameUser(t, other, operator, c.name+": the other user")
				return nil
			})
		})
	}

	err := h.store.Update(t.Context(), func(tx guichet.Tx) error { return tx.PutUser(&guichet.User{Role: guichet.RoleOperator}) })
	wantCode(t, err, guichet.CodeInvalid, "PutUser without a name")
}

func sameSession(t *testing.T, got, want *guichet.Session, doing string) {
	t.Helper()
	g, w := *got, *want
	g.CreatedAt, g.ExpiresAt = instant(g.CreatedAt), instant(g.ExpiresAt)
	w.CreatedAt, w.ExpiresAt = instant(w.CreatedAt), instant(w.ExpiresAt)
	if g != w {
		t.Errorf("%s: session differs:\n got %+v\nwant %+v", doing, g, w)
	}
}

func testSessions(t *testing.T, h *harness) {
	// The sessions of this test expire long before any other test's, or
	// never, so that DeleteSessions counts this test's only.
	old := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	cut := old.Add(3 * time.Hour)
	newSession := func(expires time.Time) *guichet.Session {
		return &guichet.Session{ID: randomID("sess"), User: randomID("user"), CSRF: randomID("csrf"),
			CreatedAt: old.Add(-time.Hour), ExpiresAt: expires}
	}
	live := newSession(time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC))
	expired := []*guichet.Session{newSession(old), newSession(old.Add(time.Hour)), newSession(cut.Add(-time.Microsecond))}
	// Expiring at the cut is not expiring before it.
	atCut := newSession(cut)
	all := append([]*guichet.Session{live, atCut}, expired...)
	h.update(t, func(tx guichet.Tx) error {
		for _, s := range all {
			if err := tx.PutSession(s); err != nil {
				return err
			}
		}
		return nil
	})
	h.view(t, func(tx guichet.Tx) error {
		for _, want := range all {
			got, err := tx.Session(want.ID)
			if err != nil {
				return err
			}
			sameSession(t, got, want, "Session")
		}
		_, err := tx.Session(randomID("sess"))
		wantCode(t, err, guichet.CodeNotFound, "Session of an unknown ID")
		return nil
	})

	// A second session with an ID in use is a conflict, which fails the
	// Update.
	err := h.store.Update(t.Context(), func(tx guichet.Tx) error {
		dup := *live
		dup.User = "someone else"
		return tx.PutSession(&dup)
	})
	wantCode(t, err, guichet.CodeConflict, "PutSession of an ID in use")

	h.update(t, func(tx guichet.Tx) error {
		n, err := tx.DeleteSessions(cut)
		if err != nil {
			return err
		}
		if n != len(expired) {
			t.Errorf("DeleteSessions: %d deleted, want %d", n, len(expired))
		}
		// Nothing is left to delete.
		if n, err := tx.DeleteSessions(cut); err != nil || n != 0 {
			t.Errorf("DeleteSessions again: %d, %v; want 0", n, err)
		}
		return nil
	})
	h.view(t, func(tx guichet.Tx) error {
		for _, s := range expired {
			_, err := tx.Session(s.ID)
			wantCode(t, err, guichet.CodeNotFound, "Session deleted by DeleteSessions")
		}
		for _, want := range []*guichet.Session{live, atCut} {
			got, err := tx.Session(want.ID)
			if err != nil {
				return fmt.Errorf("session kept by DeleteSessions: %w", err)
			}
			sameSession(t, got, want, "session kept by DeleteSessions")
		}
		return nil
	})

	// DeleteSession removes one session; removing it again is no error.
	for range 2 {
		h.update(t, func(tx guichet.Tx) error { return tx.DeleteSession(live.ID) })
	}
	h.view(t, func(tx guichet.Tx) error {
		_, err := tx.Session(live.ID)
		wantCode(t, err, guichet.CodeNotFound, "Session after DeleteSession")
		if _, err := tx.Session(atCut.ID); err != nil {
			t.Errorf("DeleteSession removed another session: %v", err)
		}
		return nil
	})
}

func testAudit(t *testing.T, h *harness) {
	at := base()
	txID, otherID := randomID("tx"), randomID("tx")
	entry := func(id string, at time.Time, transactionID, action string) guichet.AuditEntry {
		return guichet.AuditEntry{ID: id, At: at, User: "alice", ShopID: "shop_a", TransactionID: transactionID,
			Action: action, Detail: "amount 100; ok"}
	}
	// Entries of one time keep the order they were added in, whatever
	// their IDs; an earlier time comes first whatever the order added.
	entries := []guichet.AuditEntry{
		entry(randomID("aud_z"), at, txID, "capture"),
		entry(randomID("aud_a"), at, txID, "refund"),
		entry(randomID("aud_m"), at.Add(-time.Minute), txID, "resend"),
		entry(randomID("aud"), at, otherID, "cancel"),
		entry("", at.Add(time.Minute), txID, "inquire"),
	}
	h.update(t, func(tx guichet.Tx) error {
		for _, e := range entries[:3] {
			if err := tx.AddAudit(e); err != nil {
				return err
			}
		}
		return nil
	})
	h.update(t, func(tx guichet.Tx) error {
		for _, e := range entries[3:] {
			if err := tx.AddAudit(e); err != nil {
				return err
			}
		}
		return nil
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Audit(txID)
		if err != nil {
			return err
		}
		want := []guichet.AuditEntry{entries[2], entries[0], entries[1], entries[4]}
		if len(got) != len(want) {
			t.Fatalf("Audit: %d entries, want %d: %+v", len(got), len(want), got)
		}
		for i := range want {
			g, w := got[i], want[i]
			if w.ID == "" {
				// The entry without an ID was given one.
				if g.ID == "" {
					t.Errorf("Audit[%d]: no ID given", i)
				}
				w.ID = g.ID
			}
			g.At, w.At = instant(g.At), instant(w.At)
			if g != w {
				t.Errorf("Audit[%d]:\n got %+v\nwant %+v", i, g, w)
			}
		}
		if l, err := tx.Audit(otherID); err != nil || len(l) != 1 || l[0].ID != entries[3].ID {
			t.Errorf("Audit of the other transaction: %+v, %v", l, err)
		}
		if l, err := tx.Audit(randomID("tx")); err != nil || len(l) != 0 {
			t.Errorf("Audit of a transaction without any: %+v, %v", l, err)
		}
		return nil
	})
	// An ID in use is a conflict, which fails the Update.
	err := h.store.Update(t.Context(), func(tx guichet.Tx) error { return tx.AddAudit(entries[0]) })
	wantCode(t, err, guichet.CodeConflict, "AddAudit of an ID in use")
}

// sameAudit reports the differences between two lists of audit entries,
// times compared as instants.
func sameAudit(t *testing.T, got, want []guichet.AuditEntry, doing string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d entries, want %d:\n got %+v\nwant %+v", doing, len(got), len(want), got, want)
		return
	}
	for i := range want {
		g, w := got[i], want[i]
		g.At, w.At = instant(g.At), instant(w.At)
		if g != w {
			t.Errorf("%s[%d]:\n got %+v\nwant %+v", doing, i, g, w)
		}
	}
}

// testShopAudit checks a shop's audit trail: its entries only, with a
// transaction or without, newest first, entries of one time latest added
// first whatever their IDs, an entry without a time last.
func testShopAudit(t *testing.T, h *harness) {
	at := base()
	shop, other := randomID("shop"), randomID("shop")
	txID := randomID("tx")
	entry := func(id, shopID string, at time.Time, transactionID, action string) guichet.AuditEntry {
		return guichet.AuditEntry{ID: id, At: at, User: "alice", ShopID: shopID, TransactionID: transactionID,
			Action: action, Detail: "done"}
	}
	var (
		undated = entry(randomID("aud_u"), shop, time.Time{}, "", "reset")
		oldest  = entry(randomID("aud_o"), shop, at.Add(-time.Hour), txID, "capture")
		// first and second are made at the same time, second added
		// last: it comes first, although its ID sorts after.
		first  = entry(randomID("aud_z"), shop, at, "", "settings")
		second = entry(randomID("aud_a"), shop, at, txID, "refund")
		newest = entry(randomID("aud_n"), shop, at.Add(time.Minute), "", "advance clock")
		// The other shop's entries, newer than all of the shop's, one of
		// them on the same transaction, are not the shop's.
		elsewhere = entry(randomID("aud_e"), other, at.Add(time.Hour), txID, "cancel")
		foreign   = entry(randomID("aud_f"), other, at.Add(2*time.Hour), "", "settings")
	)
	add := func(entries ...guichet.AuditEntry) func(tx guichet.Tx) error {
		return func(tx guichet.Tx) error {
			for _, e := range entries {
				if err := tx.AddAudit(e); err != nil {
					return err
				}
			}
			return nil
		}
	}
	want := []guichet.AuditEntry{newest, second, first, oldest, undated}
	h.update(t, add(newest, elsewhere, undated))
	h.update(t, func(tx guichet.Tx) error {
		if err := add(oldest, first, second, foreign)(tx); err != nil {
			return err
		}
		// The entries added in this Update are listed in it already.
		got, err := tx.ShopAudit(shop, 0)
		sameAudit(t, got, want, "ShopAudit in the Update that added entries")
		return err
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.ShopAudit(shop, 0)
		if err != nil {
			return err
		}
		sameAudit(t, got, want, "ShopAudit")
		got, err = tx.ShopAudit(shop, 2)
		if err != nil {
			return err
		}
		sameAudit(t, got, want[:2], "ShopAudit limited to 2")
		got, err = tx.ShopAudit(other, -1)
		if err != nil {
			return err
		}
		sameAudit(t, got, []guichet.AuditEntry{foreign, elsewhere}, "ShopAudit of the other shop")
		got, err = tx.ShopAudit(randomID("shop"), 0)
		if err != nil {
			return err
		}
		sameAudit(t, got, nil, "ShopAudit of a shop without entries")
		// The transaction's audit is unchanged: both shops' entries on
		// it, oldest first.
		got, err = tx.Audit(txID)
		if err != nil {
			return err
		}
		sameAudit(t, got, []guichet.AuditEntry{oldest, second, elsewhere}, "Audit of the transaction")
		return nil
	})
}

// testShopAuditLimit checks the bounds of ShopAudit: 50 entries when asked
// for none, 500 at most, the newest ones.
func testShopAuditLimit(t *testing.T, h *harness) {
	at := base()
	shop := randomID("shop")
	const n = 520
	entries := make([]guichet.AuditEntry, n)
	for i := range entries {
		entries[i] = guichet.AuditEntry{ID: fmt.Sprintf("%s_%04d", shop, i), At: at.Add(time.Duration(i) * time.Millisecond),
			User: "bob", ShopID: shop, Action: "capture"}
	}
	h.update(t, func(tx guichet.Tx) error {
		for _, e := range entries {
			if err := tx.AddAudit(e); err != nil {
				return err
			}
		}
		return nil
	})
	// newest returns the k newest entries, newest first.
	newest := func(k int) []guichet.AuditEntry {
		l := slices.Clone(entries[n-k:])
		slices.Reverse(l)
		return l
	}
	h.view(t, func(tx guichet.Tx) error {
		for _, c := range []struct{ limit, want int }{{0, 50}, {-3, 50}, {1, 1}, {499, 499}, {500, 500}, {501, 500}, {10000, 500}} {
			got, err := tx.ShopAudit(shop, c.limit)
			if err != nil {
				return err
			}
			sameAudit(t, got, newest(c.want), fmt.Sprintf("ShopAudit with limit %d", c.limit))
		}
		return nil
	})
}

// testBackOfficeWritesInView checks that every write of the back office
// needs an Update.
func testBackOfficeWritesInView(t *testing.T, h *harness) {
	writes := map[string]func(tx guichet.Tx) error{
		"PutUser": func(tx guichet.Tx) error {
			return tx.PutUser(&guichet.User{Name: randomID("user"), Role: guichet.RoleOperator, Password: "x"})
		},
		"PutSession": func(tx guichet.Tx) error {
			return tx.PutSession(&guichet.Session{ID: randomID("sess"), User: "u", CSRF: "c"})
		},
		"DeleteSession":  func(tx guichet.Tx) error { return tx.DeleteSession(randomID("sess")) },
		"DeleteSessions": func(tx guichet.Tx) error { _, err := tx.DeleteSessions(base()); return err },
		"AddAudit": func(tx guichet.Tx) error {
			return tx.AddAudit(guichet.AuditEntry{At: base(), User: "u", Action: "capture"})
		},
	}
	for name, write := range writes {
		err := h.store.View(t.Context(), write)
		wantCode(t, err, guichet.CodeInternal, name+" in View")
	}
}

// The journal.

// journalAfter reports whether tr comes after the cursor c in the journal:
// created before it, or at its time with a lower number. A transaction
// without a creation time comes after every one with a time.
func journalAfter(c guichet.JournalCursor, tr *guichet.Transaction) bool {
	if c.CreatedAt.IsZero() {
		return tr.CreatedAt.IsZero() && tr.Number < c.Number
	}
	return tr.CreatedAt.IsZero() || tr.CreatedAt.Before(c.CreatedAt) ||
		(tr.CreatedAt.Equal(c.CreatedAt) && tr.Number < c.Number)
}

func cursorOf(tr *guichet.Transaction) *guichet.JournalCursor {
	return &guichet.JournalCursor{CreatedAt: tr.CreatedAt, Number: tr.Number}
}

// journalMatches is what the journal's filter means, as the stores must
// implement it.
func journalMatches(f guichet.JournalFilter, tr *guichet.Transaction) bool {
	created := !tr.CreatedAt.IsZero()
	switch {
	case f.Shops != nil && !slices.Contains(f.Shops, tr.ShopID),
		f.ShopID != "" && tr.ShopID != f.ShopID,
		f.Front != "" && tr.Front != f.Front,
		f.Status != "" && tr.Status != f.Status,
		f.Method != "" && tr.Method != f.Method,
		f.Review != "" && tr.Review != f.Review,
		f.Reference != "" && tr.Reference != f.Reference,
		f.Amount != 0 && tr.Amount != f.Amount,
		guichet.LastFour(f.Card) && !strings.HasSuffix(tr.Card.Masked, f.Card),
		f.Card != "" && !guichet.LastFour(f.Card) && !strings.Contains(tr.Card.Masked, f.Card),
		!f.From.IsZero() && (!created || tr.CreatedAt.Before(f.From)),
		!f.To.IsZero() && (!created || !tr.CreatedAt.Before(f.To)),
		f.After != nil && !journalAfter(*f.After, tr):
		return false
	}
	return true
}

// walkJournal lists every transaction f selects, a page of limit at a time,
// each page starting after the last one's end.
func walkJournal(tx guichet.Tx, f guichet.JournalFilter, limit int) ([]guichet.Transaction, error) {
	f.Limit = limit
	var all []guichet.Transaction
	for pages := 0; ; pages++ {
		if pages > 10000 {
			return nil, errors.New("the journal's pages do not end")
		}
		page, err := tx.Journal(f)
		if err != nil {
			return nil, err
		}
		if len(page) > limit {
			return nil, fmt.Errorf("a page of %d transactions, limit %d", len(page), limit)
		}
		all = append(all, page...)
		if len(page) < limit {
			return all, nil
		}
		f.After = cursorOf(&page[len(page)-1])
	}
}

func journalIDs(list []guichet.Transaction) []string {
	ids := make([]string, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	return ids
}

// journalFixture is the transactions the journal's tests list: three shops'
// with every field the filters look at varying, created six at a time (two
// per shop) so that pages break among transactions of one time, and two
// without a creation time. They were created in the far future, so that
// they come before every other test's transactions.
type journalFixture struct {
	shops [3]string
	t0    time.Time
	list  []*guichet.Transaction
	byID  map[string]*guichet.Transaction
}

func newJournalFixture(t *testing.T, h *harness) *journalFixture {
	x := &journalFixture{
		shops: [3]string{randomID("shop_a"), randomID("shop_b"), randomID("shop_c")},
		t0:    time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC),
		byID:  make(map[string]*guichet.Transaction),
	}
	fronts := []string{"lyra", "ppps", "paybox-system", ""}
	statuses := []guichet.Status{guichet.StatusAuthorized, guichet.StatusCaptured, guichet.StatusRefused, guichet.StatusCancelled}
	methods := []string{"CARTE", "KWIXO", "", "PAYCONIQ", "CARTE"}
	reviews := []string{"", "200", "803"}
	h.update(t, func(tx guichet.Tx) error {
		for i := range 38 {
			at := x.t0.Add(time.Duration(i/6) * time.Minute)
			if i >= 36 {
				at = time.Time{}
			}
			tr, err := newTransaction(tx, x.shops[i%3], fmt.Sprintf("ref-%d", i%7), int64(100*(1+i%4)), at)
			if err != nil {
				return err
			}
			if at.IsZero() {
				tr.RemitAt, tr.CaptureBy, tr.RefundBy = time.Time{}, time.Time{}, time.Time{}
			}
			tr.Front = fronts[i%4]
			tr.Status = statuses[(i/2)%4]
			tr.Method = methods[i%5]
			tr.Review = reviews[(i/3)%3]
			tr.Card.Masked = fmt.Sprintf("497010XXXXXX%04d", 14+8*(i%5))
			if err := tx.PutTransaction(tr); err != nil {
				return err
			}
			x.list = append(x.list, tr)
			x.byID[tr.ID] = tr
		}
		return nil
	})
	return x
}

func testJournal(t *testing.T, h *harness) {
	x := newJournalFixture(t, h)
	a, b, c := x.shops[0], x.shops[1], x.shops[2]
	minute := func(n int) time.Time { return x.t0.Add(time.Duration(n) * time.Minute) }
	// One transaction every filter at once selects; its group holds
	// another of its shop at its time.
	one := x.list[17]
	cases := []struct {
		name string
		f    guichet.JournalFilter
		// empty says that f selects nothing at all, in any test's data;
		// all, that it selects every transaction of the fixture.
		empty, all bool
	}{
		{name: "everything", all: true},
		{name: "shops nil", f: guichet.JournalFilter{Shops: nil}, all: true},
		{name: "shops empty", f: guichet.JournalFilter{Shops: []string{}}, empty: true},
		{name: "shops empty with a shop", f: guichet.JournalFilter{Shops: []string{}, ShopID: a}, empty: true},
		{name: "shops one", f: guichet.JournalFilter{Shops: []string{b}}},
		{name: "shops two", f: guichet.JournalFilter{Shops: []string{a, c}}},
		{name: "shops unknown", f: guichet.JournalFilter{Shops: []string{randomID("shop")}}, empty: true},
		{name: "shops empty ID", f: guichet.JournalFilter{Shops: []string{""}}, empty: true},
		{name: "shops and shop among them", f: guichet.JournalFilter{Shops: []string{a, b}, ShopID: b}},
		{name: "shops and shop not among them", f: guichet.JournalFilter{Shops: []string{a, b}, ShopID: c}, empty: true},
		{name: "shop", f: guichet.JournalFilter{ShopID: a}},
		{name: "front", f: guichet.JournalFilter{Front: "ppps"}},
		{name: "front lyra", f: guichet.JournalFilter{Front: "lyra"}},
		{name: "status", f: guichet.JournalFilter{Status: guichet.StatusRefused}},
		{name: "method", f: guichet.JournalFilter{Method: "KWIXO"}},
		{name: "review", f: guichet.JournalFilter{Review: "803"}},
		{name: "reference", f: guichet.JournalFilter{Reference: "ref-3"}},
		{name: "amount", f: guichet.JournalFilter{Amount: 300}},
		{name: "card", f: guichet.JournalFilter{Card: "0022"}},
		{name: "card last four only", f: guichet.JournalFilter{Card: "4970"}, empty: true},
		{name: "card middle", f: guichet.JournalFilter{Card: "X0038"}},
		{name: "card no wildcard", f: guichet.JournalFilter{Card: "%"}, empty: true},
		{name: "card no single wildcard", f: guichet.JournalFilter{Card: "497010XXXXXX00_4"}, empty: true},
		{name: "card case", f: guichet.JournalFilter{Card: "xxxxxx0014"}, empty: true},
		{name: "from", f: guichet.JournalFilter{From: minute(4)}},
		{name: "to", f: guichet.JournalFilter{To: minute(2)}},
		{name: "from to", f: guichet.JournalFilter{From: minute(2), To: minute(4)}},
		{name: "from to empty range", f: guichet.JournalFilter{From: minute(4), To: minute(4)}, empty: true},
		{name: "shop and status", f: guichet.JournalFilter{ShopID: b, Status: guichet.StatusCaptured}},
		{name: "shops, front and status", f: guichet.JournalFilter{Shops: []string{a, b}, Front: "lyra", Status: guichet.StatusAuthorized}},
		{name: "shop, reference and amount", f: guichet.JournalFilter{ShopID: c, Reference: "ref-2", Amount: 300}},
		{name: "method, review and card", f: guichet.JournalFilter{Method: "CARTE", Review: "200", Card: "0046"}},
		{name: "front and time", f: guichet.JournalFilter{Front: "paybox-system", From: minute(1), To: minute(5)}},
		{name: "every field", f: guichet.JournalFilter{Shops: []string{a, b, c}, ShopID: one.ShopID, Front: one.Front,
			Status: one.Status, Method: one.Method, Review: one.Review, Reference: one.Reference, Amount: one.Amount,
			Card: one.Card.Masked[12:], From: one.CreatedAt, To: one.CreatedAt.Add(time.Microsecond)}},
		{name: "after a cursor", f: guichet.JournalFilter{After: cursorOf(x.list[20])}},
		{name: "after a cursor, by shop", f: guichet.JournalFilter{ShopID: a, After: cursorOf(x.list[21])}},
		{name: "after a cursor, by shops", f: guichet.JournalFilter{Shops: []string{b, c}, After: cursorOf(x.list[25])}},
		{name: "after a cursor, by status", f: guichet.JournalFilter{Status: guichet.StatusCaptured, After: cursorOf(x.list[30])}},
		{name: "after a cursor, in a range", f: guichet.JournalFilter{From: minute(1), After: cursorOf(x.list[26])}},
		{name: "after a cursor without a time", f: guichet.JournalFilter{Shops: []string{a, b}, After: cursorOf(x.list[37])}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var want []*guichet.Transaction
			for _, tr := range x.list {
				if journalMatches(tc.f, tr) {
					want = append(want, tr)
				}
			}
			slices.SortFunc(want, func(p, q *guichet.Transaction) int {
				switch {
				case p == q:
					return 0
				case journalAfter(*cursorOf(p), q):
					return -1
				}
				return 1
			})
			switch {
			case tc.empty && len(want) != 0, !tc.empty && len(want) == 0:
				t.Fatalf("the case selects %d of the fixture's transactions", len(want))
			case tc.all && len(want) != len(x.list), !tc.all && len(want) == len(x.list):
				t.Fatalf("the case selects %d of the fixture's %d transactions", len(want), len(x.list))
			}
			h.view(t, func(tx guichet.Tx) error {
				got, err := walkJournal(tx, tc.f, 500)
				if err != nil {
					return err
				}
				if tc.empty && len(got) != 0 {
					t.Errorf("%d transactions, want none: %q", len(got), journalIDs(got))
				}
				seen := make(map[string]bool)
				var ours []guichet.Transaction
				for i := range got {
					tr := &got[i]
					if seen[tr.ID] {
						t.Errorf("transaction %s listed twice", tr.ID)
					}
					seen[tr.ID] = true
					// Every transaction listed, of this test or
					// another, is one the filter selects, in the
					// journal's order.
					if !journalMatches(tc.f, tr) {
						t.Errorf("transaction %+v does not match the filter", *tr)
					}
					if i > 0 && !journalAfter(*cursorOf(&got[i-1]), tr) {
						t.Errorf("transaction %d (%s, %d) listed after (%s, %d)", i, tr.CreatedAt, tr.Number,
							got[i-1].CreatedAt, got[i-1].Number)
					}
					if x.byID[tr.ID] != nil {
						ours = append(ours, *tr)
					}
				}
				if len(ours) != len(want) {
					t.Fatalf("%d of the fixture's transactions listed, want %d", len(ours), len(want))
				}
				for i := range want {
					// Each comes whole, with its operations.
					sameTransaction(t, &ours[i], want[i])
				}
				// Small pages, which break among transactions of one
				// time, list the same, without a gap or a repeat.
				small, err := walkJournal(tx, tc.f, 4)
				if err != nil {
					return err
				}
				if !slices.Equal(journalIDs(small), journalIDs(got)) {
					t.Errorf("in pages of 4:\n%q\nin pages of 500:\n%q", journalIDs(small), journalIDs(got))
				}
				return nil
			})
		})
	}

	// The front is kept, and saved again with a loaded transaction.
	h.update(t, func(tx guichet.Tx) error {
		tr, err := tx.Transaction(x.list[1].ID)
		if err != nil {
			return err
		}
		if tr.Front != "ppps" {
			t.Errorf("front read back: %q, want ppps", tr.Front)
		}
		tr.Front = "lyra"
		return tx.PutTransaction(tr)
	})
	h.view(t, func(tx guichet.Tx) error {
		l, err := tx.Journal(guichet.JournalFilter{ShopID: x.list[1].ShopID, Front: "lyra", Reference: x.list[1].Reference})
		if err != nil {
			return err
		}
		if !slices.Contains(journalIDs(l), x.list[1].ID) {
			t.Errorf("the journal does not find a transaction by its new front")
		}
		return nil
	})
}

func testJournalLimit(t *testing.T, h *harness) {
	shop := randomID("shop")
	const n = 505
	// Created in the past, one a second, newest last.
	t0 := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := make([]string, n)
	h.update(t, func(tx guichet.Tx) error {
		for i := range n {
			number, err := tx.NextNumber()
			if err != nil {
				return err
			}
			at := t0.Add(time.Duration(i) * time.Second)
			tr := &guichet.Transaction{ID: randomID("tx"), ShopID: shop, Number: number, Reference: "r", Front: "ppps",
				Currency: "EUR", Amount: 100, Status: guichet.StatusCaptured, CreatedAt: at, UpdatedAt: at}
			ids[n-1-i] = tr.ID
			if err := tx.PutTransaction(tr); err != nil {
				return err
			}
		}
		return nil
	})
	cases := []struct {
		limit, want int
	}{
		{0, 50},
		{-1, 50},
		{1, 1},
		{10, 10},
		{50, 50},
		{499, 499},
		{500, 500},
		{501, 500},
		{100000, 500},
	}
	h.view(t, func(tx guichet.Tx) error {
		for _, c := range cases {
			l, err := tx.Journal(guichet.JournalFilter{ShopID: shop, Limit: c.limit})
			if err != nil {
				return err
			}
			// The page is the newest transactions.
			if got := journalIDs(l); !slices.Equal(got, ids[:c.want]) {
				t.Errorf("limit %d: %d transactions, want the newest %d", c.limit, len(got), c.want)
			}
		}
		// The page after the largest holds the rest.
		l, err := tx.Journal(guichet.JournalFilter{ShopID: shop, Limit: 500})
		if err != nil || len(l) != 500 {
			return fmt.Errorf("first page: %d, %v", len(l), err)
		}
		rest, err := tx.Journal(guichet.JournalFilter{ShopID: shop, Limit: 500, After: cursorOf(&l[499])})
		if err != nil {
			return err
		}
		if got := journalIDs(rest); !slices.Equal(got, ids[500:]) {
			t.Errorf("second page: %q, want %q", got, ids[500:])
		}
		return nil
	})
}
