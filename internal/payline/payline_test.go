package payline_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/fronttest"
	"guichet/internal/payline"
	"guichet/internal/payline/soap"
)

// The demo merchant's credentials (issue 10, seed 003).
const (
	merchantID = "12345678912345"
	accessKey  = "DEMOACCESSKEY1234567"
	demoShopID = "payline-12345678912345"
	cardNumber = "1234567"
	payconiq   = "PAYCONIQFP"
)

// merchant is a shop's web server receiving notifications.
type merchant struct{ *fronttest.Merchant }

func newMerchant(t testing.TB) *merchant { return &merchant{fronttest.NewMerchant(t)} }

// received returns the notifications' queries: Payline notifies with GET.
func (m *merchant) received() []url.Values { return m.Received("GET", "") }

// gateway is the Payline front over a real store, with the demo merchant.
type gateway struct {
	t        testing.TB
	url      string
	svc      *core.Service
	clock    *fronttest.Clock
	merchant *merchant
	client   *http.Client
}

func newGateway(t testing.TB) *gateway {
	t.Helper()
	return newGatewayOn(t, fronttest.SQLite(t))
}

// onBothStores runs a test on SQLite, and on PostgreSQL when
// GUICHET_TEST_POSTGRES names a server.
func onBothStores(t *testing.T, test func(t *testing.T, g *gateway)) {
	fronttest.Stores(t, func(t *testing.T, store guichet.Store) { test(t, newGatewayOn(t, store)) })
}

func newGatewayOn(t testing.TB, store guichet.Store) *gateway {
	t.Helper()
	g := fronttest.Serve(t, store, payline.New, fronttest.NewClock(fronttest.Start))
	// The pages' links are followed by hand: a redirect to the
	// merchant's return URL is checked, not fetched.
	return &gateway{t: t, url: g.URL, svc: g.Svc, clock: g.Clock, merchant: newMerchant(t), client: fronttest.NoRedirects()}
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

// page is a page of the payment page as the test's browser got it.
type page = fronttest.Page

func (g *gateway) get(u string) page {
	g.t.Helper()
	return fronttest.Get(g.t, g.client, u)
}

// submit posts a step of the payment page.
func (g *gateway) submit(step string, form url.Values) page {
	g.t.Helper()
	return fronttest.Post(g.t, g.client, g.url+"/webpayment/v2/"+step, form)
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
		if choice.Status != 200 || !strings.Contains(choice.Body, `value="1234567:VISA"`) {
			t.Fatalf("choice page: %d\n%s", choice.Status, choice.Body)
		}
		expectCode(t, "on the page", g.details(res.Token).Result, "02306")

		form := choice.Hidden()
		form.Set("method", "1234567:VISA")
		cardPage := g.submit("choose", form)
		if !strings.Contains(cardPage.Body, `name="number"`) {
			t.Fatalf("card page:\n%s", cardPage.Body)
		}
		form = cardPage.Hidden()
		form.Set("number", "4970 1011 2233 4455")
		form.Set("expiry", "12/30")
		form.Set("cvv", "123")
		challenge := g.submit("card", form)
		if !strings.Contains(challenge.Body, `name="otp"`) {
			t.Fatalf("3-D Secure page:\n%s", challenge.Body)
		}
		form = challenge.Hidden()
		form.Set("outcome", "ok")
		ticket := g.submit("3ds", form)
		want := g.merchant.URL + "/return?shop=1&amp;token=" + res.Token
		if !strings.Contains(ticket.Body, want) {
			t.Fatalf("ticket page lacks the return link %s:\n%s", want, ticket.Body)
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
		g.merchant.Fail(1)
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
		if strings.Contains(again.Body, `name="number"`) || strings.Contains(again.Body, `name="method"`) {
			t.Errorf("a paid session's page offers a payment:\n%s", again.Body)
		}
	})
}

// payconiqPayment is a doWebPayment request for the demo merchant's
// Payconiq contract, with every field seed 003 makes mandatory.
func (g *gateway) payconiqPayment(amount string) *soap.DoWebPaymentRequest {
	return g.webPayment(payconiq, amount)
}

// payconiqSession opens a Payconiq session and reaches its simulator
// page, which it returns.
func (g *gateway) payconiqSession(req *soap.DoWebPaymentRequest) (string, page) {
	g.t.Helper()
	res := g.open(req)
	p := g.get(res.RedirectURL)
	if !strings.Contains(p.Body, `value="pay"`) || !strings.Contains(p.Body, `value="abort"`) {
		g.t.Fatalf("Payconiq page:\n%s", p.Body)
	}
	return res.Token, p
}

// TestPayconiq: seed 003 from end to end. The ticket's label follows the
// soft descriptor, the contract's trade name, the merchant's; MAKE A
// PAYMENT gives 00000 with the partner's data and the payer's bank
// account, ABORT 02008; the documented test amounts give 02020, 02106 and
// 02012; an idle session expires (02324); a refund is accepted for 365
// days, refused after.
func TestPayconiq(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		token, p := g.payconiqSession(g.payconiqPayment("1000"))
		if !strings.Contains(p.Body, "Monext Demo") {
			t.Errorf("the page does not show the contract's trade name:\n%s", p.Body)
		}
		form := p.Hidden()
		form.Set("outcome", "pay")
		ticket := g.submit("partner", form)
		if !strings.Contains(ticket.Body, "token="+token) {
			t.Fatalf("ticket page:\n%s", ticket.Body)
		}
		d := g.details(token)
		expectCode(t, "paid", d.Result, "00000")
		want := `{"cardMaskedPan":"670999XXXXXX9999","cardExpiry":"12/29","transactionFlow":"ecommerce"}`
		if d.Transaction.PartnerAdditionalData != want {
			t.Errorf("partnerAdditionalData %s, want %s", d.Transaction.PartnerAdditionalData, want)
		}
		if d.BankAccountData == nil || d.BankAccountData.BankCode != "GKCCBEBB" || d.BankAccountData.AccountNumber != "BE12XXXXXXXXXX92" {
			t.Errorf("bankAccountData %+v", d.BankAccountData)
		}
		if d.Buyer == nil || d.Buyer.FirstName != "John" || d.Buyer.LastName != "Doe" || d.Card != nil || d.ContractNumber != payconiq {
			t.Errorf("buyer %+v card %+v contract %q", d.Buyer, d.Card, d.ContractNumber)
		}

		// The refund window: 365 days on the shop's clock.
		id := d.Transaction.ID
		g.advance(364 * 24 * time.Hour)
		refund := g.call("DirectPaymentAPI", &soap.DoRefundRequest{Version: "34", TransactionID: id,
			Payment: &soap.Payment{Amount: "400", Currency: "978", Action: "421", Mode: "CPT"}}).(*soap.DoRefundResponse)
		expectCode(t, "refund within 365 days", refund.Result, "00000")
		g.advance(2 * 24 * time.Hour)
		refund = g.call("DirectPaymentAPI", &soap.DoRefundRequest{Version: "34", TransactionID: id,
			Payment: &soap.Payment{Amount: "100", Currency: "978", Action: "421", Mode: "CPT"}}).(*soap.DoRefundResponse)
		expectCode(t, "refund after 365 days", refund.Result, "02314")
	})
}

// TestPayconiqOutcomes: every code of seed 003's table, deterministically.
func TestPayconiqOutcomes(t *testing.T) {
	g := newGateway(t)
	token, p := g.payconiqSession(g.payconiqPayment("1000"))
	form := p.Hidden()
	form.Set("outcome", "abort")
	back := g.submit("partner", form)
	if back.Status != http.StatusSeeOther || back.Header.Get("Location") != g.merchant.URL+"/cancel?token="+token+"&paylinetoken="+token {
		t.Errorf("ABORT: HTTP %d to %q", back.Status, back.Header.Get("Location"))
	}
	expectCode(t, "ABORT", g.details(token).Result, "02008")

	for amount, code := range map[string]string{"2020": "02020", "2106": "02106", "2012": "02012"} {
		token, p := g.payconiqSession(g.payconiqPayment(amount))
		form := p.Hidden()
		form.Set("outcome", "pay")
		g.submit("partner", form)
		expectCode(t, "amount "+amount, g.details(token).Result, code)
	}

	// A session the buyer reached but left expires after 15 minutes.
	token, _ = g.payconiqSession(g.payconiqPayment("1000"))
	g.advance(16 * time.Minute)
	expectCode(t, "idle session", g.details(token).Result, "02324")
	// One the buyer never reached: 02533, then 02534.
	res := g.open(g.payconiqPayment("1000"))
	expectCode(t, "never reached", g.details(res.Token).Result, "02533")
	g.advance(16 * time.Minute)
	expectCode(t, "never reached, expired", g.details(res.Token).Result, "02534")
	// A token that is no session: 02304.
	expectCode(t, "unknown token", g.details("1234567890abcdefghijKLMNOP").Result, "02304")
}

// TestPayconiqMandatoryFields: a Payconiq request missing a field of seed
// 003's list, or whose order amount is below the payment's, is refused
// with 02308 naming the field, and opens no session.
func TestPayconiqMandatoryFields(t *testing.T) {
	g := newGateway(t)
	for _, c := range []struct {
		field string
		edit  func(r *soap.DoWebPaymentRequest)
	}{
		{"payment.action", func(r *soap.DoWebPaymentRequest) { r.Payment.Action = "100" }},
		{"payment.mode", func(r *soap.DoWebPaymentRequest) {
			r.Payment.Mode, r.Payment.DifferedActionDate = "DIF", "25/11/26"
		}},
		{"order.country", func(r *soap.DoWebPaymentRequest) { r.Order.Country = "" }},
		{"buyer.firstName", func(r *soap.DoWebPaymentRequest) { r.Buyer.FirstName = "" }},
		{"buyer.lastName", func(r *soap.DoWebPaymentRequest) { r.Buyer.LastName = "" }},
		{"buyer.firstName", func(r *soap.DoWebPaymentRequest) { r.Buyer = nil }},
		{"order.amount", func(r *soap.DoWebPaymentRequest) { r.Order.Amount = "999" }},
	} {
		req := g.payconiqPayment("1000")
		c.edit(req)
		res := g.call("WebPaymentAPI", req).(*soap.DoWebPaymentResponse)
		if res.Result.Code != "02308" || res.Result.LongMessage != "Invalid value for "+c.field || res.Token != "" {
			t.Errorf("%s: %+v token %q", c.field, res.Result, res.Token)
		}
	}
	// The ticket's label: the soft descriptor first.
	req := g.payconiqPayment("1000")
	req.Payment.SoftDescriptor = "Ma boutique"
	_, p := g.payconiqSession(req)
	if !strings.Contains(p.Body, "Ma boutique") {
		t.Errorf("the page does not show the soft descriptor")
	}
}

// addContracts gives the demo merchant more card contracts (CB, Visa,
// Mastercard), before any call reads its account.
func (g *gateway) addContracts(numbers ...string) {
	g.t.Helper()
	ctx := context.Background()
	shop, err := g.svc.ShopByID(ctx, demoShopID)
	if err != nil {
		g.t.Fatal(err)
	}
	acct, _, err := payline.AccountOf(shop)
	if err != nil {
		g.t.Fatal(err)
	}
	for _, n := range numbers {
		acct.Contracts = append(acct.Contracts, payline.Contract{Number: n, Label: n, CardCode: "CB", Currency: "978",
			PointOfSale: "DemoShop", Brands: []guichet.Brand{guichet.BrandCB, guichet.BrandVisa, guichet.BrandMastercard}})
	}
	shop.Credentials = []guichet.Credential{acct.Credential()}
	if err := g.svc.Store().Update(ctx, func(tx guichet.Tx) error { return tx.PutShop(shop) }); err != nil {
		g.t.Fatal(err)
	}
}

// registerWebWallet opens a createWebWallet session for a wallet and
// registers the test card on its page, through 3-D Secure; it returns
// the session's token.
func (g *gateway) registerWebWallet(id string) string {
	g.t.Helper()
	res := g.call("WebPaymentAPI", &soap.CreateWebWalletRequest{Version: "34", ContractNumber: cardNumber,
		Buyer:     &soap.Buyer{WalletID: id, LastName: "Martin", FirstName: "Alice", Email: "alice@example.net"},
		ReturnURL: g.merchant.URL + "/return", CancelURL: g.merchant.URL + "/cancel", NotificationURL: g.merchant.URL + "/notify",
	}).(*soap.CreateWebWalletResponse)
	if res.Result.Code != "00000" {
		g.t.Fatalf("createWebWallet: %+v", res.Result)
	}
	g.payPage(res.RedirectURL, "1234567:CB", "4970101122334455")
	return res.Token
}

// payPage goes through a session's page as a buyer: the method, the card,
// the 3-D Secure challenge when the card asks for one; it returns the
// last page.
func (g *gateway) payPage(redirect, method, pan string) page {
	g.t.Helper()
	form := g.get(redirect).Hidden()
	form.Set("method", method)
	form = g.submit("choose", form).Hidden()
	form.Set("number", pan)
	form.Set("expiry", "12/30")
	form.Set("cvv", "123")
	p := g.submit("card", form)
	if !strings.Contains(p.Body, `name="otp"`) {
		return p
	}
	form = p.Hidden()
	form.Set("outcome", "ok")
	return g.submit("3ds", form)
}
