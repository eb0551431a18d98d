package backoffice_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/backoffice"
	"guichet/internal/core"
	"guichet/internal/fronttest"
	"guichet/internal/notify"
	"guichet/internal/sim"
	"guichet/internal/vault"
)

// office is a back office served over real HTTP on a real store, with two
// TEST shops, a transaction in each, an operator and a merchant user who
// sees shop "a" only.
type office struct {
	svc   *core.Service
	clock *fronttest.Clock
	url   string
	a, b  *guichet.Transaction
}

const password = "correct horse battery"

func newOffice(t *testing.T, store guichet.Store) *office {
	t.Helper()
	ctx := context.Background()
	clk := fronttest.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	v, _ := vault.New(bytes.Repeat([]byte{3}, 32))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := core.New(store, sim.New(clk.Now), v, clk, log)
	o := &office{svc: svc, clock: clk}
	for _, id := range []string{"a", "b"} {
		shop := &guichet.Shop{ID: id, Name: "Shop " + strings.ToUpper(id), Mode: guichet.ModeTest}
		if err := svc.PutShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		tr, err := svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "order-" + id,
			Amount: guichet.Money{Amount: 2000, Currency: "EUR"}, Front: "paybox-direct",
			Card: guichet.Card{PAN: "1111222233334444", ExpMonth: 12, ExpYear: 2030, CVV: "123"}})
		if err != nil || tr.Status != guichet.StatusAuthorized {
			t.Fatalf("authorize in %s: %v %v", id, tr, err)
		}
		if id == "a" {
			o.a = tr
		} else {
			o.b = tr
		}
	}
	if _, err := svc.AddUser(ctx, "root", guichet.RoleOperator, nil, password); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddUser(ctx, "alice", guichet.RoleMerchant, []string{"a"}, password); err != nil {
		t.Fatal(err)
	}
	off, err := backoffice.NewOffice(svc, log)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	off.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	o.url = srv.URL
	return o
}

// browser is a client that keeps cookies and does not follow redirects,
// so that each answer can be checked.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (o *office) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	c := fronttest.NoRedirects()
	c.Jar = jar
	return &browser{t: t, base: o.url, c: c}
}

func (b *browser) do(method, path string, form url.Values, header ...string) (int, string, http.Header) {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.base+path, strings.NewReader(form.Encode()))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

var hidden = regexp.MustCompile(`name="(csrf|key)" value="([^"]*)"`)

// field returns the value of the first hidden input of that name.
func field(page, name string) string {
	for _, m := range hidden.FindAllStringSubmatch(page, -1) {
		if m[1] == name {
			return m[2]
		}
	}
	return ""
}

// signedIn returns a browser signed in as a user of the office.
func (o *office) signedIn(t *testing.T, name string) *browser {
	t.Helper()
	b := o.browser(t)
	if status := b.signIn(name, password); status != http.StatusSeeOther {
		t.Fatalf("sign-in as %s: %d", name, status)
	}
	return b
}

func (b *browser) signIn(name, pw string) int {
	b.t.Helper()
	_, page, _ := b.do("GET", "/backoffice/login", nil)
	status, _, _ := b.do("POST", "/backoffice/login", url.Values{"csrf": {field(page, "csrf")}, "name": {name}, "password": {pw}})
	return status
}

func (o *office) transaction(t *testing.T, id string) *guichet.Transaction {
	t.Helper()
	d, err := o.svc.Dossier(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d.Transaction
}

func TestSignIn(t *testing.T) {
	fronttest.Stores(t, func(t *testing.T, store guichet.Store) {
		o := newOffice(t, store)
		b := o.browser(t)
		if status, _, h := b.do("GET", "/backoffice/", nil); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/backoffice/login") {
			t.Fatalf("journal before signing in: %d %s", status, h.Get("Location"))
		}
		// A sign-in form without the login cookie's token is refused.
		if status, _, _ := b.do("POST", "/backoffice/login", url.Values{"name": {"root"}, "password": {password}}); status != http.StatusForbidden {
			t.Errorf("sign-in without token: %d, want 403", status)
		}
		for _, tt := range []struct{ name, pw string }{{"root", "wrong password!"}, {"nobody", password}} {
			if status := b.signIn(tt.name, tt.pw); status != http.StatusUnauthorized {
				t.Errorf("sign-in as %s/%s: %d, want 401", tt.name, tt.pw, status)
			}
		}
		if status := b.signIn("root", password); status != http.StatusSeeOther {
			t.Fatalf("sign-in: %d", status)
		}
		status, page, h := b.do("GET", "/backoffice/", nil)
		if status != http.StatusOK || !strings.Contains(page, "order-a") || !strings.Contains(page, "order-b") {
			t.Fatalf("operator's journal: %d\n%s", status, page)
		}
		if h.Get("Content-Security-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("security headers missing: %v", h)
		}
		// Signing out ends the session in the store, not only in the
		// browser: the old cookie opens nothing.
		u, _ := url.Parse(o.url + "/backoffice/")
		old := b.c.Jar.Cookies(u)
		if status, _, _ := b.do("POST", "/backoffice/logout", url.Values{"csrf": {field(page, "csrf")}}); status != http.StatusSeeOther {
			t.Fatalf("sign-out: %d", status)
		}
		b.c.Jar.SetCookies(u, old)
		if status, _, _ := b.do("GET", "/backoffice/", nil); status != http.StatusSeeOther {
			t.Errorf("journal with the cookie of an ended session: %d, want 303", status)
		}
	})
}

func TestSignInThrottled(t *testing.T) {
	o := newOffice(t, fronttest.SQLite(t))
	b := o.browser(t)
	for i := range 5 {
		if status := b.signIn("root", "wrong password!"); status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, status)
		}
	}
	if status := b.signIn("root", password); status != http.StatusTooManyRequests {
		t.Fatalf("right password after 5 failures: %d, want 429", status)
	}
	// Another user is not held back by root's failures.
	if status := b.signIn("alice", password); status != http.StatusSeeOther {
		t.Errorf("alice: %d, want 303", status)
	}
	o.clock.Add(16 * time.Minute)
	if status := b.signIn("root", password); status != http.StatusSeeOther {
		t.Errorf("root after the window: %d, want 303", status)
	}
}

func TestMerchantSeesOwnShopOnly(t *testing.T) {
	fronttest.Stores(t, func(t *testing.T, store guichet.Store) {
		o := newOffice(t, store)
		b := o.signedIn(t, "alice")
		_, page, _ := b.do("GET", "/backoffice/", nil)
		if !strings.Contains(page, "order-a") || strings.Contains(page, "order-b") {
			t.Errorf("alice's journal shows another shop's or misses her own:\n%s", page)
		}
		// Asking for shop b by filter lists nothing either.
		if _, page, _ = b.do("GET", "/backoffice/?shop=b", nil); strings.Contains(page, "order-b") {
			t.Error("filter on another shop lists its transactions")
		}
		if status, _, _ := b.do("GET", "/backoffice/transactions/"+o.b.ID, nil); status != http.StatusNotFound {
			t.Errorf("another merchant's transaction by URL: %d, want 404", status)
		}
		if status, _, _ := b.do("GET", "/backoffice/shops/b", nil); status != http.StatusNotFound {
			t.Errorf("another merchant's shop by URL: %d, want 404", status)
		}
		_, page, _ = b.do("GET", "/backoffice/transactions/"+o.a.ID, nil)
		status, _, _ := b.do("POST", "/backoffice/transactions/"+o.b.ID+"/operations",
			url.Values{"csrf": {field(page, "csrf")}, "key": {field(page, "key")}, "kind": {"cancel"}, "amount": {"20.00"}})
		if status != http.StatusNotFound || o.transaction(t, o.b.ID).Status != guichet.StatusAuthorized {
			t.Errorf("cancel of another merchant's transaction: %d, status %s", status, o.transaction(t, o.b.ID).Status)
		}
	})
}

func TestOperations(t *testing.T) {
	fronttest.Stores(t, func(t *testing.T, store guichet.Store) {
		o := newOffice(t, store)
		b := o.signedIn(t, "root")
		path := "/backoffice/transactions/" + o.a.ID
		_, page, _ := b.do("GET", path, nil)
		if !strings.Contains(page, `id="amount-capture"`) || !strings.Contains(page, `value="20.00"`) {
			t.Fatalf("capture form with the authorized amount missing:\n%s", page)
		}
		csrf, key := field(page, "csrf"), field(page, "key")
		send := func(kind, amount, key string, header ...string) (int, string) {
			status, page, _ := b.do("POST", path+"/operations", url.Values{"csrf": {csrf}, "key": {key}, "kind": {kind}, "amount": {amount}}, header...)
			return status, page
		}

		// Refusals leave the transaction as it was.
		refusals := []struct {
			name, kind, amount, key, csrf string
			status                        int
			header                        []string
		}{
			{"no token", "capture", "5.00", key, "", http.StatusForbidden, nil},
			{"forged token", "capture", "5.00", key, "forged", http.StatusForbidden, nil},
			{"cross-site", "capture", "5.00", key, csrf, http.StatusForbidden, []string{"Sec-Fetch-Site", "cross-site"}},
			{"beyond the authorization", "capture", "20.01", key, csrf, http.StatusConflict, nil},
			{"not an amount", "capture", "douze", key, csrf, http.StatusConflict, nil},
			{"refund before capture", "refund", "5.00", key, csrf, http.StatusConflict, nil},
			{"unknown operation", "credit", "5.00", key, csrf, http.StatusBadRequest, nil},
			{"stale form", "capture", "5.00", "short", csrf, http.StatusBadRequest, nil},
		}
		for _, tt := range refusals {
			status, _, _ := b.do("POST", path+"/operations", url.Values{"csrf": {tt.csrf}, "key": {tt.key}, "kind": {tt.kind}, "amount": {tt.amount}}, tt.header...)
			if status != tt.status {
				t.Errorf("%s: %d, want %d", tt.name, status, tt.status)
			}
			if tr := o.transaction(t, o.a.ID); tr.Captured != 0 || tr.Status != guichet.StatusAuthorized {
				t.Fatalf("%s changed the transaction: %+v", tt.name, tr)
			}
		}

		// A partial capture, then the same form sent again (a double
		// click), which the rules alone would allow: applied once.
		if status, _ := send("capture", "5,00", key); status != http.StatusSeeOther {
			t.Fatalf("capture: %d", status)
		}
		status, page := send("capture", "5,00", key)
		if status != http.StatusConflict || !strings.Contains(page, "déjà été envoyé") {
			t.Errorf("same form again: %d", status)
		}
		if tr := o.transaction(t, o.a.ID); tr.Captured != 500 || tr.Status != guichet.StatusCaptured {
			t.Fatalf("after capture: %+v", tr)
		}

		// A refund of part of it, from a fresh page whose default is what
		// remains captured.
		_, page, _ = b.do("GET", path+"?done=capture", nil)
		if !strings.Contains(page, "Capture effectuée") || !strings.Contains(page, `id="amount-refund"`) ||
			!regexp.MustCompile(`(?s)<ol id="history">.*transaction.authorized.*transaction.captured.*</ol>`).MatchString(page) {
			t.Fatalf("page after capture:\n%s", page)
		}
		if status, _ := send("refund", "2.50", field(page, "key")); status != http.StatusSeeOther {
			t.Fatalf("refund: %d", status)
		}
		if tr := o.transaction(t, o.a.ID); tr.Refunded != 250 {
			t.Fatalf("after refund: %+v", tr)
		}
		_, page, _ = b.do("GET", path, nil)
		if status, page := send("refund", "2.51", field(page, "key")); status != http.StatusConflict || !strings.Contains(page, `role="alert"`) {
			t.Errorf("refund beyond what remains: %d", status)
		}
		d, err := o.svc.Dossier(context.Background(), o.a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range d.Audit {
			if e.User != "root" {
				t.Errorf("audit entry by %q", e.User)
			}
			actions = append(actions, e.Action+" "+e.Detail)
		}
		want := []string{"capture", "capture", "refund", "refund"}
		if len(actions) < len(want) {
			t.Fatalf("audit: %q", actions)
		}
		for i, a := range want {
			if !strings.HasPrefix(actions[len(actions)-len(want)+i], a+" ") {
				t.Errorf("audit: %q, want the last ones %q", actions, want)
				break
			}
		}
	})
}

func TestCancelAndClock(t *testing.T) {
	o := newOffice(t, fronttest.SQLite(t))
	b := o.signedIn(t, "alice")
	path := "/backoffice/transactions/" + o.a.ID
	_, page, _ := b.do("GET", path, nil)
	status, _, _ := b.do("POST", path+"/operations", url.Values{"csrf": {field(page, "csrf")}, "key": {field(page, "key")},
		"kind": {"cancel"}, "amount": {"20.00"}})
	if status != http.StatusSeeOther || o.transaction(t, o.a.ID).Status != guichet.StatusCancelled {
		t.Fatalf("cancel: %d %s", status, o.transaction(t, o.a.ID).Status)
	}
	_, page, _ = b.do("GET", "/backoffice/shops/a", nil)
	for _, by := range []string{"soon", "-1h"} {
		if status, _, _ := b.do("POST", "/backoffice/shops/a/clock", url.Values{"csrf": {field(page, "csrf")}, "by": {by}}); status != http.StatusBadRequest {
			t.Errorf("advance by %q: %d, want 400", by, status)
		}
	}
	if status, _, h := b.do("POST", "/backoffice/shops/a/clock", url.Values{"csrf": {field(page, "csrf")}, "by": {"48h"}}); status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "ran=") {
		t.Fatalf("advance: %d %s", status, h.Get("Location"))
	}
	shop, err := o.svc.ShopByID(context.Background(), "a")
	if err != nil || shop.ClockOffset != 48*time.Hour {
		t.Fatalf("shop after advance: %+v %v", shop, err)
	}
	// The shop's page lists what its users did, newest first: the
	// clock, then the cancellation with a link to its payment.
	_, page, _ = b.do("GET", "/backoffice/shops/a", nil)
	if !regexp.MustCompile(`(?s)<ul id="shop-audit">\s*<li>[^<]*alice — clock — advanced by 48h0m0s.*alice — cancel — €20.00: done — <a href="/backoffice/transactions/` + o.a.ID).MatchString(page) {
		t.Errorf("the shop's audit:\n%s", page)
	}
}

func TestJournalPages(t *testing.T) {
	o := newOffice(t, fronttest.SQLite(t))
	ctx := context.Background()
	shop, _ := o.svc.ShopByID(ctx, "a")
	// 60 more payments, one a second, so that the journal takes two pages.
	for i := range 60 {
		o.clock.Add(time.Second)
		if _, err := o.svc.Authorize(ctx, core.CardRequest{Shop: shop, Reference: "p-" + string(rune('A'+i%26)) + strings.Repeat("x", i/26),
			Amount: guichet.Money{Amount: int64(100 + i), Currency: "EUR"}, Front: "lyra",
			Card: guichet.Card{PAN: "1111222233334444", ExpMonth: 12, ExpYear: 2030, CVV: "123"}}); err != nil {
			t.Fatal(err)
		}
	}
	b := o.signedIn(t, "root")
	rows := regexp.MustCompile(`href="/backoffice/transactions/(tx_[^"#]+)">`)
	next := regexp.MustCompile(`rel="next" href="([^"]+)"`)
	seen := map[string]bool{}
	path, pages := "/backoffice/?lang=en", 0
	for path != "" {
		_, page, _ := b.do("GET", strings.ReplaceAll(path, "&amp;", "&"), nil)
		pages++
		for _, m := range rows.FindAllStringSubmatch(page, -1) {
			if seen[m[1]] {
				t.Errorf("transaction %s listed twice", m[1])
			}
			seen[m[1]] = true
		}
		path = ""
		if m := next.FindStringSubmatch(page); m != nil {
			path = m[1]
		}
	}
	if len(seen) != 62 || pages != 2 {
		t.Errorf("journal walked %d transactions in %d pages, want 62 in 2", len(seen), pages)
	}
	for _, tt := range []struct {
		query string
		want  int
	}{
		{"front=lyra", 50}, {"front=paybox-direct", 2}, {"amount=1.05", 1}, {"reference=order-b", 1},
		{"shop=b&status=authorized", 1}, {"status=refunded", 0}, {"card=4444", 50}, {"from=2026-11-23&to=2026-11-23", 50},
		{"from=2026-11-24", 0},
	} {
		_, page, _ := b.do("GET", "/backoffice/?"+tt.query, nil)
		if got := len(rows.FindAllString(page, -1)); got != tt.want {
			t.Errorf("%s: %d rows, want %d", tt.query, got, tt.want)
		}
	}
	if status, page, _ := b.do("GET", "/backoffice/?from=yesterday", nil); status != http.StatusOK || !strings.Contains(page, `role="alert"`) {
		t.Errorf("bad date: %d", status)
	}
}

// TestKwixo captures part of a KWIXO payment from its page once its
// review allows it, sees the capture pending then confirmed on the shop
// clock, and drives a dispute through 600–603, after which a refund is
// possible again.
func TestKwixo(t *testing.T) {
	fronttest.Stores(t, func(t *testing.T, store guichet.Store) {
		o := newOffice(t, store)
		ctx := context.Background()
		o.svc.SetReviewer(sim.FIANET{})
		// The merchant hears every state of the payment: a form POST
		// naming the KWIXO state.
		merchant := fronttest.NewMerchant(t)
		o.svc.SetSender(notify.New(5 * time.Second))
		o.svc.RegisterNotifier("paybox-system", func(n core.Notice) ([]guichet.Delivery, error) {
			return []guichet.Delivery{{Method: "POST", URL: merchant.URL + "/ipn", ContentType: "application/x-www-form-urlencoded",
				Body: []byte(url.Values{"ref": {n.Order.Reference}, "state": {n.Transaction.Review}}.Encode())}}, nil
		})
		shop, _ := o.svc.ShopByID(ctx, "a")
		shop.Kwixo = &guichet.KwixoContract{Options: []string{guichet.KwixoStandard}}
		if err := o.svc.PutShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		order, err := o.svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ord-kwixo", Protocol: "paybox-system", Reference: "kwixo-1",
			Amount: guichet.Money{Amount: 1000, Currency: "EUR"}})
		if err != nil {
			t.Fatal(err)
		}
		_, tr, err := o.svc.PayOrderKwixo(ctx, core.KwixoRequest{Shop: shop, OrderID: order.ID, Option: guichet.KwixoStandard, Email: "jean@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		b := o.signedIn(t, "root")
		path := "/backoffice/transactions/" + tr.ID
		// The journal's "?" column shows the KWIXO state, and a filter
		// on it finds the payment.
		if _, page, _ := b.do("GET", "/backoffice/?review=201", nil); !strings.Contains(page, "201 PAYMENT_OK") || !strings.Contains(page, "kwixo-1") {
			t.Fatalf("journal of KWIXO state 201:\n%s", page)
		}
		_, page, _ := b.do("GET", path, nil)
		if strings.Contains(page, `id="amount-capture"`) {
			t.Fatal("capture offered while KWIXO reviews the payment")
		}
		advance := func(by string) {
			t.Helper()
			_, page, _ := b.do("GET", "/backoffice/shops/a", nil)
			if status, _, _ := b.do("POST", "/backoffice/shops/a/clock", url.Values{"csrf": {field(page, "csrf")}, "by": {by}}); status != http.StatusSeeOther {
				t.Fatalf("advance by %s: %d", by, status)
			}
		}
		// The shop page lists the review's next state among the work to
		// come, linked to the payment.
		if _, page, _ := b.do("GET", "/backoffice/shops/a", nil); !regexp.MustCompile(
			`<td>2026-11-23 11:10:00</td><td>État KWIXO</td>\s*<td><a href="/backoffice/transactions/` + tr.ID + `">kwixo-1</a>`).MatchString(page) {
			t.Errorf("work to come on the shop page:\n%s", page)
		}
		advance("10m")
		_, page, _ = b.do("GET", path, nil)
		status, _, _ := b.do("POST", path+"/operations", url.Values{"csrf": {field(page, "csrf")}, "key": {field(page, "key")},
			"kind": {"capture"}, "amount": {"4.00"}})
		if status != http.StatusSeeOther {
			t.Fatalf("KWIXO capture: %d", status)
		}
		last := func() guichet.Operation {
			tr := o.transaction(t, tr.ID)
			return tr.Operations[len(tr.Operations)-1]
		}
		if op := last(); op.Kind != guichet.OpCapture || op.Code != "99999" || op.Amount != 400 {
			t.Fatalf("KWIXO capture pending: %+v", op)
		}
		advance("2m")
		if op := last(); op.Code != "00000" {
			t.Errorf("KWIXO capture after a clock advance: %+v, want confirmed", op)
		}

		dispute := func(action string, want int) {
			t.Helper()
			_, page, _ := b.do("GET", path, nil)
			status, _, _ := b.do("POST", path+"/dispute", url.Values{"csrf": {field(page, "csrf")}, "action": {action}})
			if status != want {
				t.Fatalf("dispute %s: %d, want %d", action, status, want)
			}
		}
		dispute("answer", http.StatusConflict) // nothing to answer yet
		dispute("open", http.StatusSeeOther)
		if tr := o.transaction(t, tr.ID); tr.Review != "600" {
			t.Fatalf("after opening: review %s", tr.Review)
		}
		_, page, _ = b.do("GET", path, nil)
		if strings.Contains(page, `id="amount-refund"`) {
			t.Error("refund offered during a dispute")
		}
		advance("24h")
		if tr := o.transaction(t, tr.ID); tr.Review != "601" {
			t.Fatalf("a day after the complaint: review %s, want 601", tr.Review)
		}
		dispute("answer", http.StatusSeeOther)
		dispute("close", http.StatusSeeOther)
		dispute("close", http.StatusConflict)
		if tr := o.transaction(t, tr.ID); tr.Review != "603" {
			t.Fatalf("after closing: review %s", tr.Review)
		}
		if _, page, _ = b.do("GET", path, nil); !strings.Contains(page, `id="amount-refund"`) {
			t.Error("refund not offered once the dispute closed")
		}

		// Every state reached the merchant (301 three times: scored, then
		// the capture asked and confirmed); the first notification,
		// sent again from the page, reaches it once more.
		states := func() (out []string) {
			for _, v := range merchant.Received("POST", "/ipn") {
				out = append(out, v.Get("state"))
			}
			return out
		}
		advance("1s")
		got := states()
		if want := "201 301 301 301 600 601 602 603"; strings.Join(got, " ") != want {
			t.Errorf("states notified: %q, want %s", got, want)
		}
		d, err := o.svc.Dossier(ctx, tr.ID)
		if err != nil || len(d.Notifications) != len(got) {
			t.Fatalf("notifications on the page: %d, %v", len(d.Notifications), err)
		}
		first := d.Notifications[len(d.Notifications)-1]
		if !strings.Contains(page, "/notifications/"+first.ID+"/resend") || !strings.Contains(page, `<code class="answer">OK</code>`) {
			t.Fatal("no resend button, or no merchant's answer, for the first notification")
		}
		if status, _, _ := b.do("POST", path+"/notifications/"+first.ID+"/resend", url.Values{"csrf": {field(page, "csrf")}}); status != http.StatusSeeOther {
			t.Fatalf("resend: %d", status)
		}
		advance("1s")
		if again := states(); len(again) != len(got)+1 || again[len(again)-1] != "201" {
			t.Errorf("after the resend the merchant received %q", again)
		}
		// A notification of another transaction is not this page's to
		// resend.
		if status, _, _ := b.do("POST", "/backoffice/transactions/"+o.a.ID+"/notifications/"+first.ID+"/resend", url.Values{"csrf": {field(page, "csrf")}}); status != http.StatusNotFound {
			t.Errorf("resend through another transaction: %d, want 404", status)
		}
	})
}

func TestShopSettings(t *testing.T) {
	o := newOffice(t, fronttest.SQLite(t))
	b := o.signedIn(t, "alice")
	_, page, _ := b.do("GET", "/backoffice/shops/a", nil)
	form := func(delay, auto, attempts string) url.Values {
		return url.Values{"csrf": {field(page, "csrf")}, "capture_delay": {delay}, "auto_capture_days": {auto},
			"notify_attempts": {attempts}, "three_ds": {"on"}}
	}
	for _, bad := range []url.Values{form("8", "0", "0"), form("x", "0", "0"), form("0", "-1", "0"), form("0", "0", "21")} {
		if status, _, _ := b.do("POST", "/backoffice/shops/a/settings", bad); status != http.StatusBadRequest {
			t.Errorf("settings %v: %d, want 400", bad, status)
		}
	}
	if shop, _ := o.svc.ShopByID(context.Background(), "a"); shop.ThreeDS || shop.CaptureDelay != 0 {
		t.Fatalf("refused settings changed the shop: %+v", shop)
	}
	if status, _, _ := b.do("POST", "/backoffice/shops/a/settings", form("2", "3", "5")); status != http.StatusSeeOther {
		t.Fatalf("settings: %d", status)
	}
	shop, _ := o.svc.ShopByID(context.Background(), "a")
	if !shop.ThreeDS || shop.RequireCVV || shop.CaptureDelay != 2 || shop.AutoCaptureDays != 3 || shop.NotifyAttempts != 5 {
		t.Errorf("shop after saving: %+v", shop)
	}
	if status, _, _ := b.do("POST", "/backoffice/shops/b/settings", form("1", "1", "1")); status != http.StatusNotFound {
		t.Errorf("another merchant's settings: %d, want 404", status)
	}
}

// TestDoubleClicks sends one capture form ten times at once: one capture
// is applied, the others are told the form was sent already.
func TestDoubleClicks(t *testing.T) {
	fronttest.Stores(t, func(t *testing.T, store guichet.Store) {
		o := newOffice(t, store)
		b := o.signedIn(t, "root")
		path := "/backoffice/transactions/" + o.a.ID
		_, page, _ := b.do("GET", path, nil)
		form := url.Values{"csrf": {field(page, "csrf")}, "key": {field(page, "key")}, "kind": {"capture"}, "amount": {"1.00"}}
		statuses := make(chan int, 10)
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				status, _, _ := b.do("POST", path+"/operations", form)
				statuses <- status
			})
		}
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[http.StatusSeeOther] != 1 || count[http.StatusConflict] != 9 {
			t.Errorf("answers to ten clicks: %v, want one 303 and nine 409", count)
		}
		if tr := o.transaction(t, o.a.ID); tr.Captured != 100 || len(tr.Operations) != 2 {
			t.Errorf("after ten clicks: captured %d in %d operations", tr.Captured, len(tr.Operations))
		}
	})
}

func TestResetShop(t *testing.T) {
	fronttest.Stores(t, func(t *testing.T, store guichet.Store) {
		o := newOffice(t, store)
		b := o.signedIn(t, "root")
		_, page, _ := b.do("GET", "/backoffice/shops/a", nil)
		if status, _, _ := b.do("POST", "/backoffice/shops/a/clock", url.Values{"csrf": {field(page, "csrf")}, "by": {"1h"}}); status != http.StatusSeeOther {
			t.Fatalf("advance: %d", status)
		}
		if status, _, _ := b.do("POST", "/backoffice/shops/a/reset", url.Values{"csrf": {field(page, "csrf")}}); status != http.StatusBadRequest {
			t.Errorf("reset without confirming: %d, want 400", status)
		}
		if _, page, _ := b.do("GET", "/backoffice/", nil); !strings.Contains(page, "order-a") {
			t.Fatal("an unconfirmed reset forgot the shop's payment")
		}
		status, _, h := b.do("POST", "/backoffice/shops/a/reset", url.Values{"csrf": {field(page, "csrf")}, "confirm": {"on"}})
		if status != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "reset=1") {
			t.Fatalf("reset: %d %s", status, h.Get("Location"))
		}
		_, page, _ = b.do("GET", "/backoffice/", nil)
		if strings.Contains(page, "order-a") || !strings.Contains(page, "order-b") {
			t.Errorf("journal after resetting shop a:\n%s", page)
		}
		if status, _, _ := b.do("GET", "/backoffice/transactions/"+o.a.ID, nil); status != http.StatusNotFound {
			t.Errorf("a forgotten transaction: %d, want 404", status)
		}
		if shop, err := o.svc.ShopByID(context.Background(), "a"); err != nil || shop.ClockOffset != 0 || shop.Name != "Shop A" {
			t.Errorf("shop after the reset: %+v %v", shop, err)
		}
		// A PRODUCTION shop is never reset.
		shop, _ := o.svc.ShopByID(context.Background(), "b")
		shop.Mode = guichet.ModeProduction
		o.svc.PutShop(context.Background(), shop)
		if status, _, _ := b.do("POST", "/backoffice/shops/b/reset", url.Values{"csrf": {field(page, "csrf")}, "confirm": {"on"}}); status != http.StatusConflict {
			t.Errorf("reset of a PRODUCTION shop: %d, want 409", status)
		}
		if tr := o.transaction(t, o.b.ID); tr == nil {
			t.Error("the PRODUCTION shop lost its payment")
		}
	})
}

// TestOversizedForm: a form far bigger than any of the back office's is
// refused without being read, and changes nothing.
func TestOversizedForm(t *testing.T) {
	o := newOffice(t, fronttest.SQLite(t))
	b := o.signedIn(t, "root")
	path := "/backoffice/transactions/" + o.a.ID
	_, page, _ := b.do("GET", path, nil)
	form := url.Values{"padding": {strings.Repeat("x", 1<<20)}, "csrf": {field(page, "csrf")}, "key": {field(page, "key")},
		"kind": {"cancel"}, "amount": {"20.00"}}
	if status, _, _ := b.do("POST", path+"/operations", form); status != http.StatusForbidden {
		t.Errorf("a 1 MiB form: %d, want 403", status)
	}
	if tr := o.transaction(t, o.a.ID); tr.Status != guichet.StatusAuthorized {
		t.Errorf("the oversized form changed the transaction: %s", tr.Status)
	}
}

// TestEditCredential: a shop's credential, edited as JSON on its page, is
// saved once its protocol's reader accepts it; a refusal is shown with
// what the user wrote, and another shop's key is refused.
func TestEditCredential(t *testing.T) {
	fronttest.Stores(t, func(t *testing.T, store guichet.Store) {
		o := newOffice(t, store)
		ctx := context.Background()
		// A protocol whose accounts are {"id", "url"}: the key is the id,
		// and the URL must be https.
		o.svc.RegisterCredentialReader("demo", func(data []byte) (guichet.Credential, error) {
			var a struct{ ID, URL string }
			if err := json.Unmarshal(data, &a); err != nil || a.ID == "" {
				return guichet.Credential{}, &guichet.Error{Code: guichet.CodeInvalid, Param: "id", Message: "id: missing"}
			}
			if !strings.HasPrefix(a.URL, "https://") {
				return guichet.Credential{}, &guichet.Error{Code: guichet.CodeInvalid, Param: "url", Message: "url: https only"}
			}
			return guichet.NewCredential("demo", a.ID, a), nil
		})
		for _, id := range []string{"a", "b"} {
			if _, err := o.svc.SetCredential(ctx, id, guichet.NewCredential("demo", "key-"+id, map[string]string{"ID": "key-" + id, "URL": "https://" + id})); err != nil {
				t.Fatal(err)
			}
		}
		b := o.signedIn(t, "alice")
		_, page, _ := b.do("GET", "/backoffice/shops/a", nil)
		if !strings.Contains(page, `id="data-demo"`) || !strings.Contains(page, "https://a") {
			t.Fatalf("no credential form on the shop page:\n%s", page)
		}
		edit := func(data string) (int, string) {
			status, page, _ := b.do("POST", "/backoffice/shops/a/credentials/demo", url.Values{"csrf": {field(page, "csrf")}, "data": {data}})
			return status, page
		}
		for _, tt := range []struct{ data, want string }{
			{`{"ID":"key-a","URL":"http://plain"}`, "url: https only"},
			{`not json`, "id: missing"},
			{`{"ID":"key-b","URL":"https://a"}`, "another shop answers"},
		} {
			status, page := edit(tt.data)
			if status != http.StatusBadRequest || !strings.Contains(page, tt.want) || !strings.Contains(page, template.HTMLEscapeString(tt.data)) {
				t.Errorf("edit %s: %d, want 400 saying %q with the text kept", tt.data, status, tt.want)
			}
		}
		if shop, _ := o.svc.ShopByID(ctx, "a"); shop.Credential("demo").Key != "key-a" {
			t.Fatalf("a refused edit changed the credential: %+v", shop.Credential("demo"))
		}
		if status, _ := edit(`{"ID":"key-a2","URL":"https://a.example/notify"}`); status != http.StatusSeeOther {
			t.Fatalf("edit: %d", status)
		}
		shop, _ := o.svc.ShopByID(ctx, "a")
		if c := shop.Credential("demo"); c.Key != "key-a2" || !strings.Contains(string(c.Data), "a.example/notify") {
			t.Errorf("credential after the edit: %+v", c)
		}
		if found, err := o.svc.ShopByCredential(ctx, "demo", "key-a2"); err != nil || found.ID != "a" {
			t.Errorf("the shop by its new key: %v %v", found, err)
		}
		if status, _, _ := b.do("POST", "/backoffice/shops/a/credentials/paybox", url.Values{"csrf": {field(page, "csrf")}, "data": {"{}"}}); status != http.StatusNotFound {
			t.Errorf("a protocol nobody reads: %d, want 404", status)
		}
	})
}

// TestSchedule: the page of a payment made in three times lists the
// order's payments with their results and when the next one is charged;
// the clock charges it, and it joins the list.
func TestSchedule(t *testing.T) {
	fronttest.Stores(t, func(t *testing.T, store guichet.Store) {
		o := newOffice(t, store)
		ctx := context.Background()
		o.svc.RegisterNotifier("paybox-system", func(core.Notice) ([]guichet.Delivery, error) { return nil, nil })
		shop, _ := o.svc.ShopByID(ctx, "a")
		order, err := o.svc.OpenOrder(ctx, shop, &guichet.Order{ID: "ord-3x", Protocol: "paybox-system", Reference: "three-times",
			Amount: guichet.Money{Amount: 3000, Currency: "EUR"}})
		if err != nil {
			t.Fatal(err)
		}
		day := func(d int) time.Time { return time.Date(2026, 11, 23+d, 0, 0, 0, 0, time.UTC) }
		_, tr, _, err := o.svc.PayOrder(ctx, core.PayRequest{Shop: shop, OrderID: order.ID, Amount: 1000,
			Card:        guichet.Card{PAN: "1111222233334444", ExpMonth: 12, ExpYear: 2030, CVV: "123"},
			Instalments: []core.Instalment{{Amount: 1000, Date: day(30)}, {Amount: 1000, Date: day(60)}}})
		if err != nil || tr.Status != guichet.StatusCaptured {
			t.Fatalf("first payment: %+v %v", tr, err)
		}
		b := o.signedIn(t, "root")
		path := "/backoffice/transactions/" + tr.ID
		next := regexp.MustCompile(`(?s)<ul id="next">\s*<li>2026-12-2[23] 23:00:00 — Paiement`)
		if _, page, _ := b.do("GET", path, nil); !next.MatchString(page) {
			t.Fatalf("the next instalment is not on the page:\n%s", page)
		}
		_, page, _ := b.do("GET", "/backoffice/shops/a", nil)
		if status, _, _ := b.do("POST", "/backoffice/shops/a/clock", url.Values{"csrf": {field(page, "csrf")}, "by": {"721h"}}); status != http.StatusSeeOther {
			t.Fatalf("advance: %d", status)
		}
		_, page, _ = b.do("GET", path, nil)
		payments := regexp.MustCompile(`(?s)<table id="payments">.*?</table>`).FindString(page)
		if n := strings.Count(payments, "<tr><td>"); n != 2 || !strings.Contains(payments, "10,00") || !strings.Contains(payments, "Capturée") {
			t.Errorf("the order's payments after the second instalment (%d rows):\n%s", n, payments)
		}
		if !regexp.MustCompile(`(?s)<ul id="next">\s*<li>2027-01-2[12] 23:00:00`).MatchString(page) {
			t.Errorf("the third instalment is not next:\n%s", page)
		}
	})
}
