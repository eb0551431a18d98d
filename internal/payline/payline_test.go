package payline_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/checkout"
	"guichet/internal/core"
	"guichet/internal/front"
	"guichet/internal/notify"
	"guichet/internal/payline"
	"guichet/internal/payline/soap"
	"guichet/internal/sim"
	"guichet/internal/store/postgres"
	"guichet/internal/store/postgres/pgtest"
	"guichet/internal/store/sqlite"
	"guichet/internal/vault"
)

// The demo merchant's credentials (issue 10, seed 003).
const (
	merchantID = "12345678912345"
	accessKey  = "DEMOACCESSKEY1234567"
	demoShopID = "payline-12345678912345"
	cardNumber = "1234567"
	payconiq   = "PAYCONIQFP"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// merchant is a shop's web server receiving notifications.
type merchant struct {
	*httptest.Server
	mu   sync.Mutex
	got  []url.Values
	fail int // how many notifications to answer 500 first
}

func newMerchant(t *testing.T) *merchant {
	m := &merchant{}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		defer m.mu.Unlock()
		if r.Method != http.MethodGet {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		m.got = append(m.got, r.URL.Query())
		if m.fail > 0 {
			m.fail--
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(m.Close)
	return m
}

func (m *merchant) received() []url.Values {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]url.Values(nil), m.got...)
}

// gateway is the Payline front over a real store, with the demo merchant.
type gateway struct {
	t        *testing.T
	url      string
	svc      *core.Service
	clock    *clock
	merchant *merchant
	client   *http.Client
}

func newGateway(t *testing.T) *gateway {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "guichet.db"))
	if err != nil {
		t.Fatal(err)
	}
	return newGatewayOn(t, store)
}

// onBothStores runs a test on SQLite, and on PostgreSQL when
// GUICHET_TEST_POSTGRES names a server.
func onBothStores(t *testing.T, test func(t *testing.T, g *gateway)) {
	t.Run("sqlite", func(t *testing.T) { test(t, newGateway(t)) })
	t.Run("postgres", func(t *testing.T) {
		store, err := postgres.Open(context.Background(), pgtest.URL(t))
		if err != nil {
			t.Fatal(err)
		}
		test(t, newGatewayOn(t, store))
	})
}

func newGatewayOn(t *testing.T, store guichet.Store) *gateway {
	t.Helper()
	ctx := context.Background()
	t.Cleanup(func() { store.Close() })
	v, err := vault.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := core.New(store, sim.New(clk.Now), v, clk, log)
	svc.SetSender(notify.New(5 * time.Second))
	pages, err := checkout.New()
	if err != nil {
		t.Fatal(err)
	}
	f, err := payline.New(ctx, front.Deps{Service: svc, Log: log, Pages: pages, Data: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	front.Plug(svc, f)
	err = store.Update(ctx, func(tx guichet.Tx) error {
		for _, s := range f.Demo(clk.Now()) {
			if err := tx.PutShop(&s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	f.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	// The pages' links are followed by hand: a redirect to the
	// merchant's return URL is checked, not fetched.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &gateway{t: t, url: srv.URL, svc: svc, clock: clk, merchant: newMerchant(t), client: client}
}

// call sends a request with the demo merchant's credentials to a service
// and decodes the answer.
func (g *gateway) call(service string, req soap.Message) soap.Message {
	g.t.Helper()
	body, err := soap.Marshal(req)
	if err != nil {
		g.t.Fatal(err)
	}
	status, out := g.post(service, body, merchantID, accessKey)
	if status != http.StatusOK {
		g.t.Fatalf("%s: HTTP %d: %s", req.Operation(), status, out)
	}
	m, err := soap.DecodeResponse(out)
	if err != nil {
		g.t.Fatalf("%s: answer not read: %v\n%s", req.Operation(), err, out)
	}
	return m
}

func (g *gateway) post(service string, body []byte, user, password string) (int, []byte) {
	g.t.Helper()
	r, _ := http.NewRequest("POST", g.url+"/V4/services/"+service, bytes.NewReader(body))
	r.Header.Set("Content-Type", "text/xml; charset=utf-8")
	r.SetBasicAuth(user, password)
	resp, err := g.client.Do(r)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// advance moves the demo shop's clock and runs what fell due.
func (g *gateway) advance(d time.Duration) {
	g.t.Helper()
	if _, _, err := g.svc.AdvanceClock(context.Background(), demoShopID, d); err != nil {
		g.t.Fatal(err)
	}
}

func (g *gateway) runDue() {
	g.t.Helper()
	if _, err := g.svc.RunDue(context.Background(), demoShopID); err != nil {
		g.t.Fatal(err)
	}
}

// page is an HTML page of the payment page, with its forms' fields.
type page struct {
	status int
	body   string
	header http.Header
}

var inputPattern = regexp.MustCompile(`<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"`)

// hidden are the hidden fields of the page's forms.
func (p page) hidden() url.Values {
	v := url.Values{}
	for _, m := range inputPattern.FindAllStringSubmatch(p.body, -1) {
		v.Set(m[1], htmlUnescape(m[2]))
	}
	return v
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(s)
}

func (g *gateway) get(u string) page {
	g.t.Helper()
	resp, err := g.client.Get(u)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, string(b), resp.Header}
}

// submit posts a step of the payment page.
func (g *gateway) submit(step string, form url.Values) page {
	g.t.Helper()
	resp, err := g.client.PostForm(g.url+"/webpayment/v2/"+step, form)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, string(b), resp.Header}
}

// webPayment is a doWebPayment request of the demo merchant.
func (g *gateway) webPayment(contract string, amount string) *soap.DoWebPaymentRequest {
	return &soap.DoWebPaymentRequest{Version: "34",
		Payment:   &soap.Payment{Amount: amount, Currency: "978", Action: "101", Mode: "CPT", ContractNumber: contract},
		ReturnURL: g.merchant.URL + "/return?shop=1", CancelURL: g.merchant.URL + "/cancel", NotificationURL: g.merchant.URL + "/notify",
		Order:           &soap.Order{Ref: "ORDER-42", Country: "BE", Amount: amount, Currency: "978", Date: "23/11/2026 11:00"},
		Buyer:           &soap.Buyer{FirstName: "John", LastName: "Doe", Email: "john.doe@example.net"},
		PrivateDataList: &soap.PrivateDataList{PrivateData: []soap.PrivateData{{Key: "cart", Value: "42"}}},
		LanguageCode:    "en"}
}

func (g *gateway) open(req *soap.DoWebPaymentRequest) *soap.DoWebPaymentResponse {
	g.t.Helper()
	res := g.call("WebPaymentAPI", req).(*soap.DoWebPaymentResponse)
	if res.Result.Code != "00000" || res.Token == "" || !strings.Contains(res.RedirectURL, "token="+res.Token) {
		g.t.Fatalf("doWebPayment: %+v %+v", res.Result, res)
	}
	return res
}

func (g *gateway) details(token string) *soap.GetWebPaymentDetailsResponse {
	g.t.Helper()
	return g.call("WebPaymentAPI", &soap.GetWebPaymentDetailsRequest{Version: "34", Token: token}).(*soap.GetWebPaymentDetailsResponse)
}

func expectCode(t *testing.T, what string, r *soap.Result, code string) {
	t.Helper()
	if r == nil || r.Code != code {
		t.Fatalf("%s: result %+v, want %s", what, r, code)
	}
}

// TestWebPaymentByCard: a session goes from 02533 (not reached) to 02306
// (on the page) to 00000 once the buyer paid through 3-D Secure; the
// merchant's notification URL hears of it with WEBTRS and the token, and
// getWebPaymentDetails gives the payment as the platform does.
func TestWebPaymentByCard(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		res := g.open(g.webPayment(cardNumber, "1000"))
		expectCode(t, "before the page", g.details(res.Token).Result, "02533")

		choice := g.get(res.RedirectURL)
		if choice.status != 200 || !strings.Contains(choice.body, `value="1234567:VISA"`) {
			t.Fatalf("choice page: %d\n%s", choice.status, choice.body)
		}
		expectCode(t, "on the page", g.details(res.Token).Result, "02306")

		form := choice.hidden()
		form.Set("method", "1234567:VISA")
		cardPage := g.submit("choose", form)
		if !strings.Contains(cardPage.body, `name="number"`) {
			t.Fatalf("card page:\n%s", cardPage.body)
		}
		form = cardPage.hidden()
		form.Set("number", "4970 1011 2233 4455")
		form.Set("expiry", "12/30")
		form.Set("cvv", "123")
		challenge := g.submit("card", form)
		if !strings.Contains(challenge.body, `name="otp"`) {
			t.Fatalf("3-D Secure page:\n%s", challenge.body)
		}
		form = challenge.hidden()
		form.Set("outcome", "ok")
		ticket := g.submit("3ds", form)
		want := g.merchant.URL + "/return?shop=1&amp;token=" + res.Token
		if !strings.Contains(ticket.body, want) {
			t.Fatalf("ticket page lacks the return link %s:\n%s", want, ticket.body)
		}

		d := g.details(res.Token)
		expectCode(t, "after payment", d.Result, "00000")
		if !regexp.MustCompile(`^\d{14}$`).MatchString(d.Transaction.ID) || d.Transaction.ThreeDSecure != "Y" {
			t.Errorf("transaction: %+v", d.Transaction)
		}
		if d.Card == nil || d.Card.Number != "497010XXXXXXXX55" || d.Card.ExpirationDate != "1230" || d.Card.Type != "CB" && d.Card.Type != "VISA" {
			t.Errorf("card: %+v", d.Card)
		}
		if d.Authorization.Number == "" || d.Authorization.AuthorizedAmount != "1000" || d.Authorization.AuthorizedCurrency != "978" {
			t.Errorf("authorization: %+v", d.Authorization)
		}
		if d.Order.Ref != "ORDER-42" || d.Payment.ContractNumber != cardNumber || d.ContractNumber != cardNumber ||
			d.PrivateDataList == nil || d.PrivateDataList.PrivateData[0].Value != "42" || d.Buyer.LastName != "Doe" {
			t.Errorf("echo: order %+v payment %+v contract %q private %+v buyer %+v", d.Order, d.Payment, d.ContractNumber, d.PrivateDataList, d.Buyer)
		}

		// The merchant's server fails once: the notification comes again.
		g.merchant.mu.Lock()
		g.merchant.fail = 1
		g.merchant.mu.Unlock()
		g.runDue()
		g.advance(time.Hour)
		got := g.merchant.received()
		if len(got) != 2 {
			t.Fatalf("%d notifications, want 2 (a failure, then its retry)", len(got))
		}
		for _, q := range got {
			if q.Get("notificationType") != "WEBTRS" || q.Get("token") != res.Token {
				t.Errorf("notification: %v", q)
			}
		}

		// The page of a paid session takes no second payment.
		again := g.get(res.RedirectURL)
		if strings.Contains(again.body, `name="number"`) || strings.Contains(again.body, `name="method"`) {
			t.Errorf("a paid session's page offers a payment:\n%s", again.body)
		}
	})
}
