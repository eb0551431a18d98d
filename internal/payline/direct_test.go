package payline_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/payline"
	"guichet/internal/payline/soap"
)

// authorization is a doAuthorization request of the demo merchant.
func authorization(action, amount, pan string) *soap.DoAuthorizationRequest {
	return &soap.DoAuthorizationRequest{Version: "34",
		Payment:         &soap.Payment{Amount: amount, Currency: "978", Action: action, Mode: "CPT", ContractNumber: cardNumber},
		Card:            &soap.Card{Number: pan, Type: "CB", ExpirationDate: "1230", CVX: "123", Cardholder: "JEAN CLAUDE"},
		Order:           &soap.Order{Ref: "DIRECT-1", Amount: amount, Currency: "978", Date: "23/11/2026 11:00"},
		Buyer:           &soap.Buyer{LastName: "Claude", FirstName: "Jean", Email: "jean.claude@example.net"},
		PrivateDataList: &soap.PrivateDataList{PrivateData: []soap.PrivateData{{Key: "k", Value: "v"}}}}
}

func (g *gateway) authorize(req *soap.DoAuthorizationRequest) *soap.DoAuthorizationResponse {
	g.t.Helper()
	return g.call("DirectPaymentAPI", req).(*soap.DoAuthorizationResponse)
}

func (g *gateway) capture(id, amount string) *soap.DoCaptureResponse {
	g.t.Helper()
	return g.call("DirectPaymentAPI", &soap.DoCaptureRequest{Version: "34", TransactionID: id,
		Payment: &soap.Payment{Amount: amount, Currency: "978", Action: "201", Mode: "CPT"}}).(*soap.DoCaptureResponse)
}

func (g *gateway) refund(id, amount string) *soap.DoRefundResponse {
	g.t.Helper()
	return g.call("DirectPaymentAPI", &soap.DoRefundRequest{Version: "34", TransactionID: id,
		Payment: &soap.Payment{Amount: amount, Currency: "978", Action: "421", Mode: "CPT"}}).(*soap.DoRefundResponse)
}

func (g *gateway) reset(id string) *soap.DoResetResponse {
	g.t.Helper()
	return g.call("DirectPaymentAPI", &soap.DoResetRequest{Version: "34", TransactionID: id}).(*soap.DoResetResponse)
}

var (
	directDate = regexp.MustCompile(`^\d\d/\d\d/\d\d \d\d:\d\d:\d\d$`)
	paylineID  = regexp.MustCompile(`^\d{14}$`)
)

// TestDirectPaymentCycle: an authorization (100) is captured in two
// parts, refunded in part, and each operation refused where the platform
// refuses it: 02618 (refund before capture), 02613 (more than what
// remains), 02617 (captured already), 02601 (reset twice), 02602
// (authorization expired after seven days on the clock).
func TestDirectPaymentCycle(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		auth := g.authorize(authorization("100", "1000", "4970101122334455"))
		expectCode(t, "doAuthorization", auth.Result, "00000")
		id := auth.Transaction.ID
		if !paylineID.MatchString(id) || !directDate.MatchString(auth.Transaction.Date) || auth.ContractNumber != cardNumber {
			t.Errorf("transaction %+v contract %q", auth.Transaction, auth.ContractNumber)
		}
		if auth.Authorization.Number == "" || auth.Authorization.AuthorizedAmount != "1000" || auth.Card.Number != "497010XXXXXXXX55" ||
			auth.Card.Cardholder != "JEAN CLAUDE" || auth.PrivateDataList.PrivateData[0].Key != "k" {
			t.Errorf("answer: authorization %+v card %+v", auth.Authorization, auth.Card)
		}

		expectCode(t, "refund before capture", g.refund(id, "100").Result, "02618")
		first := g.capture(id, "600")
		expectCode(t, "first capture", first.Result, "00000")
		if first.Transaction.ID == id || !paylineID.MatchString(first.Transaction.ID) || first.ReAuthorization != "0" {
			t.Errorf("capture transaction %+v", first.Transaction)
		}
		expectCode(t, "capture beyond the authorization", g.capture(id, "500").Result, "02613")
		expectCode(t, "last capture", g.capture(id, "400").Result, "00000")
		expectCode(t, "capture once captured", g.capture(id, "100").Result, "02617")
		expectCode(t, "partial refund", g.refund(id, "300").Result, "00000")
		// The capture's own transaction ID names the payment too.
		expectCode(t, "refund by the capture's ID", g.refund(first.Transaction.ID, "200").Result, "00000")
		expectCode(t, "refund beyond", g.refund(id, "600").Result, "02613")

		other := g.authorize(authorization("100", "500", "4970101122334471"))
		expectCode(t, "second authorization", other.Result, "00000")
		expectCode(t, "reset", g.reset(other.Transaction.ID).Result, "00000")
		expectCode(t, "second reset", g.reset(other.Transaction.ID).Result, "02601")

		late := g.authorize(authorization("100", "700", "4970101122334455"))
		g.advance(8 * 24 * time.Hour)
		expectCode(t, "capture after seven days", g.capture(late.Transaction.ID, "700").Result, "02602")
		re := g.call("DirectPaymentAPI", &soap.DoReAuthorizationRequest{Version: "34", TransactionID: late.Transaction.ID,
			Payment: &soap.Payment{Amount: "700", Currency: "978", Action: "202", Mode: "CPT"},
			Order:   &soap.Order{Ref: "DIRECT-1", Amount: "700", Currency: "978", Date: "01/12/2026 11:00"}}).(*soap.DoReAuthorizationResponse)
		expectCode(t, "re-authorization", re.Result, "00000")
		if re.Transaction.ID == late.Transaction.ID || re.Card.Number != "497010XXXXXXXX55" {
			t.Errorf("re-authorization: %+v %+v", re.Transaction, re.Card)
		}
		expectCode(t, "capture of the re-authorization", g.capture(re.Transaction.ID, "700").Result, "00000")
	})
}

// TestDirectPaymentBadInput: what the platform answers to requests it
// cannot run, each leaving nothing behind.
func TestDirectPaymentBadInput(t *testing.T) {
	g := newGateway(t)
	bad := func(edit func(r *soap.DoAuthorizationRequest)) *soap.DoAuthorizationRequest {
		r := authorization("101", "1000", "4970101122334455")
		edit(r)
		return r
	}
	for _, c := range []struct {
		name string
		req  *soap.DoAuthorizationRequest
		code string
	}{
		{"unknown contract", bad(func(r *soap.DoAuthorizationRequest) { r.Payment.ContractNumber = "NOPE" }), "02303"},
		{"action of a refund", bad(func(r *soap.DoAuthorizationRequest) { r.Payment.Action = "421" }), "02321"},
		{"amount not a number", bad(func(r *soap.DoAuthorizationRequest) { r.Payment.Amount = "10.00" }), "02305"},
		{"no currency", bad(func(r *soap.DoAuthorizationRequest) { r.Payment.Currency = "" }), "02305"},
		{"no order", bad(func(r *soap.DoAuthorizationRequest) { r.Order = nil }), "02305"},
		{"bad Luhn key", bad(func(r *soap.DoAuthorizationRequest) { r.Card.Number = "4970101122334456" }), "02614"},
		{"card number and token", bad(func(r *soap.DoAuthorizationRequest) { r.Card.Token = "4970xxLkqb4455" }), "02538"},
		{"card expired", bad(func(r *soap.DoAuthorizationRequest) { r.Card.ExpirationDate = "0120" }), "02624"},
		{"unknown mode", bad(func(r *soap.DoAuthorizationRequest) { r.Payment.Mode = "XYZ" }), "02308"},
		{"DIF without date", bad(func(r *soap.DoAuthorizationRequest) { r.Payment.Mode = "DIF" }), "02305"},
	} {
		res := g.authorize(c.req)
		if res.Result.Code != c.code || res.Transaction != nil {
			t.Errorf("%s: %+v transaction %+v, want %s alone", c.name, res.Result, res.Transaction, c.code)
		}
	}
	list, err := g.svc.Transactions(context.Background(), guichet.TransactionFilter{ShopID: demoShopID, Limit: 10})
	if err != nil || len(list) != 0 {
		t.Errorf("refused requests left %d transactions (%v)", len(list), err)
	}
	expectCode(t, "capture of an ID not Payline's", g.capture("TrsIdyyyy", "100").Result, "02301")
	expectCode(t, "capture of an unknown ID", g.capture("20000000000017", "100").Result, "02604")
}

// TestSimulator: in TEST, the homologation simulator's amounts (333.xx)
// and card numbers (10th digit 9, the code in digits 11 to 15) force the
// acquirer's answer (payline.md §5).
func TestSimulator(t *testing.T) {
	g := newGateway(t)
	for _, c := range []struct {
		amount, pan, code string
	}{
		{"33300", "4970101122334455", "00000"},
		{"33305", "4970101122334455", "01100"},
		{"33341", "4970101122334455", "01208"},
		{"33396", "4970101122334455", "01909"},
		{"1000", "4970103469012082", "01208"}, // the page's example: 497010346 9 01208 2
		{"1000", "4970103469011001", "01100"},
	} {
		res := g.authorize(authorization("101", c.amount, c.pan))
		if res.Result.Code != c.code {
			t.Errorf("%s with %s: %+v, want %s", c.amount, c.pan, res.Result, c.code)
			continue
		}
		refused := c.code != "00000"
		if refused && (res.Result.ShortMessage != "REFUSED" && res.Result.ShortMessage != "ERROR" || res.Authorization.Number != "") {
			t.Errorf("%s: refusal %+v authorization %+v", c.code, res.Result, res.Authorization)
		}
	}
}

// TestAnotherMerchant: one merchant's credentials never reach another's
// transactions.
func TestAnotherMerchant(t *testing.T) {
	g := newGateway(t)
	auth := g.authorize(authorization("100", "1000", "4970101122334455"))
	other := payline.Account{MerchantID: "99999999999999", AccessKey: "OTHERACCESSKEY123456", TradeName: "Other",
		Contracts: []payline.Contract{{Number: "CB1", CardCode: "CB", Currency: "978", Brands: []guichet.Brand{guichet.BrandCB}}}}
	err := g.svc.Store().Update(context.Background(), func(tx guichet.Tx) error {
		return tx.PutShop(&guichet.Shop{ID: "payline-other", Name: "Other", Mode: guichet.ModeTest,
			Credentials: []guichet.Credential{other.Credential()}, CreatedAt: g.clock.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := soap.Marshal(&soap.DoCaptureRequest{Version: "34", TransactionID: auth.Transaction.ID,
		Payment: &soap.Payment{Amount: "1000", Currency: "978", Action: "201", Mode: "CPT"}})
	status, out := g.post("DirectPaymentAPI", body, other.MerchantID, other.AccessKey)
	res, err := soap.DecodeResponse(out)
	if status != 200 || err != nil || res.(*soap.DoCaptureResponse).Result.Code != "02604" {
		t.Fatalf("another merchant's capture: HTTP %d %s", status, out)
	}
	expectCode(t, "the merchant's own capture", g.capture(auth.Transaction.ID, "1000").Result, "00000")
}

// TestTransactionDetails: getTransactionDetails finds a payment by any
// of its operations' IDs or by the order reference, with its operations
// in order; transactionsSearch lists the period's payments.
func TestTransactionDetails(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		auth := g.authorize(authorization("100", "1000", "4970101122334455"))
		capture := g.capture(auth.Transaction.ID, "1000")
		refund := g.refund(auth.Transaction.ID, "250")
		details := func(req *soap.GetTransactionDetailsRequest) *soap.GetTransactionDetailsResponse {
			t.Helper()
			req.Version = "34"
			return g.call("ExtendedAPI", req).(*soap.GetTransactionDetailsResponse)
		}
		d := details(&soap.GetTransactionDetailsRequest{TransactionID: auth.Transaction.ID, TransactionHistory: "Y"})
		expectCode(t, "details", d.Result, "00000")
		if d.Transaction.ID != auth.Transaction.ID || d.Transaction.Type != "AUTHOR" || d.Payment.Amount != "1000" ||
			d.Payment.Action != "100" || d.ContractNumber != cardNumber || d.Order.Ref != "DIRECT-1" || d.PrivateDataList.PrivateData[0].Value != "v" {
			t.Errorf("details: transaction %+v payment %+v contract %q order %+v", d.Transaction, d.Payment, d.ContractNumber, d.Order)
		}
		var ids, types []string
		for _, a := range d.AssociatedTransactionsList.AssociatedTransactions {
			ids, types = append(ids, a.TransactionID), append(types, a.Type)
		}
		want := []string{auth.Transaction.ID, capture.Transaction.ID, refund.Transaction.ID}
		if strings.Join(ids, ",") != strings.Join(want, ",") || strings.Join(types, ",") != "AUTHOR,CAPTURE,REFUND" {
			t.Errorf("associated %v %v, want %v", ids, types, want)
		}
		if d.StatusHistoryList == nil || len(d.StatusHistoryList.StatusHistory) != 3 {
			t.Errorf("history %+v", d.StatusHistoryList)
		}
		byRefund := details(&soap.GetTransactionDetailsRequest{TransactionID: refund.Transaction.ID})
		if byRefund.Transaction.ID != refund.Transaction.ID || byRefund.Transaction.Type != "REFUND" || byRefund.Payment.Amount != "250" {
			t.Errorf("by the refund's ID: %+v %+v", byRefund.Transaction, byRefund.Payment)
		}
		byRef := details(&soap.GetTransactionDetailsRequest{OrderRef: "DIRECT-1"})
		if byRef.Transaction.ID != auth.Transaction.ID {
			t.Errorf("by order reference: %+v", byRef.Transaction)
		}
		expectCode(t, "unknown", details(&soap.GetTransactionDetailsRequest{TransactionID: "20000000000017"}).Result, "02604")

		search := g.call("ExtendedAPI", &soap.TransactionsSearchRequest{Version: "34", StartDate: "23/11/2026", EndDate: "23/11/2026",
			OrderRef: "DIRECT-1"}).(*soap.TransactionsSearchResponse)
		expectCode(t, "search", search.Result, "00000")
		if len(search.TransactionList.Transaction) != 1 || search.TransactionList.Transaction[0].ID != auth.Transaction.ID {
			t.Errorf("search: %+v", search.TransactionList)
		}
		none := g.call("ExtendedAPI", &soap.TransactionsSearchRequest{Version: "34", StartDate: "01/01/2026", EndDate: "02/01/2026"}).(*soap.TransactionsSearchResponse)
		expectCode(t, "search of an empty period", none.Result, "02310")
	})
}

// TestPayconiqDirect: the seed's DirectPayment route: doAuthorization
// answers at once, getTransactionDetails later, with the partner's data.
func TestPayconiqDirect(t *testing.T) {
	g := newGateway(t)
	req := authorization("101", "1000", "")
	req.Payment.ContractNumber, req.Card = payconiq, nil
	auth := g.authorize(req)
	expectCode(t, "Payconiq doAuthorization", auth.Result, "00000")
	d := g.call("ExtendedAPI", &soap.GetTransactionDetailsRequest{Version: "34", TransactionID: auth.Transaction.ID}).(*soap.GetTransactionDetailsResponse)
	expectCode(t, "details", d.Result, "00000")
	if !strings.Contains(d.Transaction.PartnerAdditionalData, `"cardMaskedPan":"670999XXXXXX9999"`) || d.BankAccountData.BankCode != "GKCCBEBB" ||
		d.Transaction.Type != "AUTHOR+CAP" {
		t.Errorf("details: %+v %+v", d.Transaction, d.BankAccountData)
	}
	for amount, code := range map[string]string{"2020": "02020", "2051": "01116", "2059": "04002"} {
		req = authorization("101", amount, "")
		req.Payment.ContractNumber, req.Card = payconiq, nil
		res := g.authorize(req)
		expectCode(t, "Payconiq amount "+amount, res.Result, code)
		if res.Result.ShortMessage != "REFUSED" {
			t.Errorf("%s: %+v", amount, res.Result)
		}
		d := g.call("ExtendedAPI", &soap.GetTransactionDetailsRequest{Version: "34", TransactionID: res.Transaction.ID}).(*soap.GetTransactionDetailsResponse)
		expectCode(t, "details of Payconiq amount "+amount, d.Result, code)
	}
}

// TestNoCardKept: the order of a doAuthorization keeps the request for
// getTransactionDetails, without the card's number or security code.
func TestNoCardKept(t *testing.T) {
	g := newGateway(t)
	auth := g.authorize(authorization("100", "1000", "4970101122334455"))
	list, err := g.svc.Transactions(context.Background(), guichet.TransactionFilter{ShopID: demoShopID, Limit: 1})
	if err != nil || len(list) != 1 {
		t.Fatalf("%d transactions (%v)", len(list), err)
	}
	o, err := g.svc.OrderByID(context.Background(), list[0].OrderID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(o.Request), "4970101122334455") || strings.Contains(string(o.Request), "cvx") {
		t.Errorf("the order keeps the card:\n%s", o.Request)
	}
	d := g.call("ExtendedAPI", &soap.GetTransactionDetailsRequest{Version: "34", TransactionID: auth.Transaction.ID}).(*soap.GetTransactionDetailsResponse)
	if d.Order.Ref != "DIRECT-1" || d.Buyer.LastName != "Claude" {
		t.Errorf("details lost the echo: %+v %+v", d.Order, d.Buyer)
	}
}
