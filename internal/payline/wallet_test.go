package payline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/payline/soap"
)

// wallet is the wallet object of a createWallet or updateWallet.
func wallet(id, pan, lastName string) *soap.Wallet {
	return &soap.Wallet{WalletID: id, LastName: lastName, FirstName: "Jean", Email: "jean@example.net",
		ShippingAddress: &soap.Address{Name: "Dupont", Street1: "1 rue de la Paix", CityName: "Aix", ZipCode: "13100", Country: "FR",
			Phone: "0600000000"},
		Card: &soap.Card{Number: pan, Type: "CB", ExpirationDate: "1230", CVX: "123", Cardholder: "JEAN CLAUDE",
			OwnerBirthdayDate: "010180"},
		Comment: "fidèle"}
}

func (g *gateway) createWallet(id, pan string) *soap.CreateWalletResponse {
	g.t.Helper()
	return g.call("DirectPaymentAPI", &soap.CreateWalletRequest{Version: "34", ContractNumber: cardNumber,
		Wallet: wallet(id, pan, "Dupont")}).(*soap.CreateWalletResponse)
}

func (g *gateway) getWallet(id string) *soap.GetWalletResponse {
	g.t.Helper()
	return g.call("DirectPaymentAPI", &soap.GetWalletRequest{Version: "34", ContractNumber: cardNumber, WalletID: id}).(*soap.GetWalletResponse)
}

// walletPayment is a doImmediateWalletPayment of the demo merchant.
func walletPayment(id, action, amount string) *soap.DoImmediateWalletPaymentRequest {
	return &soap.DoImmediateWalletPaymentRequest{Version: "34", WalletID: id, CardInd: "1", CVX: "123",
		Payment: &soap.Payment{Amount: amount, Currency: "978", Action: action, Mode: "CPT", ContractNumber: cardNumber},
		Order:   &soap.Order{Ref: "WALLET-1", Amount: amount, Currency: "978", Date: "23/11/2026 11:00"}}
}

func (g *gateway) payWallet(req *soap.DoImmediateWalletPaymentRequest) *soap.DoImmediateWalletPaymentResponse {
	g.t.Helper()
	return g.call("DirectPaymentAPI", req).(*soap.DoImmediateWalletPaymentResponse)
}

// recurrent is a doRecurrentWalletPayment of the demo merchant: amount in
// total, in instalments of recurring.
func recurrent(id, mode, amount string, r *soap.Recurring) *soap.DoRecurrentWalletPaymentRequest {
	return &soap.DoRecurrentWalletPaymentRequest{Version: "34", WalletID: id, OrderRef: "SUB-1", OrderDate: "23/11/2026 11:00",
		Payment:   &soap.Payment{Amount: amount, Currency: "978", Action: "101", Mode: mode, ContractNumber: cardNumber},
		Recurring: r, CVX: "123",
		PrivateDataList: &soap.PrivateDataList{PrivateData: []soap.PrivateData{{Key: "plan", Value: "gold"}}}}
}

func (g *gateway) recurrent(req *soap.DoRecurrentWalletPaymentRequest) *soap.DoRecurrentWalletPaymentResponse {
	g.t.Helper()
	return g.call("DirectPaymentAPI", req).(*soap.DoRecurrentWalletPaymentResponse)
}

func (g *gateway) paymentRecord(id string) *soap.GetPaymentRecordResponse {
	g.t.Helper()
	return g.call("DirectPaymentAPI", &soap.GetPaymentRecordRequest{Version: "34", ContractNumber: cardNumber,
		PaymentRecordID: id}).(*soap.GetPaymentRecordResponse)
}

// statuses are the statuses of a record's billing records, in order.
func statuses(l *soap.BillingRecordList) string {
	if l == nil {
		return ""
	}
	var s []string
	for _, b := range l.BillingRecord {
		s = append(s, b.Status)
	}
	return strings.Join(s, ",")
}

// dates are the dates and amounts of a record's billing records.
func dates(l *soap.BillingRecordList) string {
	var s []string
	for _, b := range l.BillingRecord {
		s = append(s, b.Date+" "+b.Amount)
	}
	return strings.Join(s, ", ")
}

// setNotificationURL gives the demo merchant's account a notification
// URL, the one payment records are notified at, through the settings
// endpoint as a merchant would.
func (g *gateway) setNotificationURL(u string) {
	g.t.Helper()
	body, _ := json.Marshal(map[string]string{"notificationUrl": u})
	r, _ := http.NewRequest("POST", g.url+"/_guichet/v1/payline/settings", bytes.NewReader(body))
	r.SetBasicAuth(merchantID, accessKey)
	resp, err := g.client.Do(r)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 || got["notificationUrl"] != u {
		g.t.Fatalf("settings: HTTP %d %v (%v)", resp.StatusCode, got, err)
	}
}

var recordID = regexp.MustCompile(`^\d{12}$`)

// TestWalletLifeCycle: a wallet is created (once: 02502 the second time),
// described with its card masked, updated with another card, disabled
// (payments from it 02505, disabling again 02517), enabled again (02520
// the second time) and paid from. The card is the core's token, named by
// the walletId, its number kept nowhere but in the vault.
func TestWalletLifeCycle(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		ctx := context.Background()
		created := g.createWallet("W-1", "4970101122334455")
		expectCode(t, "createWallet", created.Result, "02500")
		if created.Card.Number != "497010XXXXXXXX55" || created.Card.ExpirationDate != "1230" || created.Card.Cardholder != "JEAN CLAUDE" ||
			created.ExtendedCard == nil || created.ContractNumberWalletList.ContractNumberWallet[0] != cardNumber {
			t.Errorf("createWallet: card %+v extended %+v", created.Card, created.ExtendedCard)
		}
		expectCode(t, "createWallet twice", g.createWallet("W-1", "4970101122334471").Result, "02502")

		got := g.getWallet("W-1")
		expectCode(t, "getWallet", got.Result, "02500")
		w := got.Wallet
		if w.WalletID != "W-1" || w.LastName != "Dupont" || w.FirstName != "Jean" || w.Email != "jean@example.net" || w.Comment != "fidèle" ||
			w.ShippingAddress == nil || w.ShippingAddress.CityName != "Aix" || w.Card.Number != "497010XXXXXXXX55" || w.Card.CVX != "" ||
			w.Card.Type != "CB" || w.Card.ExpirationDate != "1230" || w.Default != "Y" || w.CardStatus != "" || got.IsDisabled != "0" {
			t.Errorf("getWallet: %+v card %+v disabled %q", w, w.Card, got.IsDisabled)
		}
		expectCode(t, "unknown wallet", g.getWallet("W-404").Result, "02503")

		// The wallet is the core's token; its order keeps what getWallet
		// echoes, and never the card's number or security code.
		tok, err := g.svc.Token(ctx, &guichet.Shop{ID: demoShopID}, "W-1")
		if err != nil || tok.Card.Masked == "" {
			t.Fatalf("token: %+v, %v", tok, err)
		}
		o, err := g.svc.OrderByID(ctx, tok.OrderID)
		if err != nil || strings.Contains(string(o.Request), "4970101122334455") || strings.Contains(string(o.Request), ">123<") {
			t.Errorf("the wallet's order keeps the card: %v\n%s", err, o.Request)
		}

		update := &soap.UpdateWalletRequest{Version: "34", ContractNumber: cardNumber, CardInd: "1",
			Wallet: wallet("W-1", "4970101122334471", "Martin")}
		res := g.call("DirectPaymentAPI", update).(*soap.UpdateWalletResponse)
		expectCode(t, "updateWallet", res.Result, "02500")
		got = g.getWallet("W-1")
		if got.Wallet.LastName != "Martin" || got.Wallet.Card.Number != "497010XXXXXXXX71" {
			t.Errorf("after updateWallet: %+v %+v", got.Wallet, got.Wallet.Card)
		}
		update.Wallet.WalletID = "W-404"
		expectCode(t, "updateWallet of an unknown wallet", g.call("DirectPaymentAPI", update).(*soap.UpdateWalletResponse).Result, "02503")

		disable := &soap.DisableWalletRequest{ContractNumber: cardNumber, WalletIDList: &soap.WalletIDList{WalletID: []string{"W-1"}}}
		expectCode(t, "disableWallet", g.call("DirectPaymentAPI", disable).(*soap.DisableWalletResponse).Result, "02500")
		got = g.getWallet("W-1")
		expectCode(t, "getWallet of a disabled wallet", got.Result, "02500")
		if got.IsDisabled != "1" || got.DisableDate != "23/11/26 11:00" || got.Wallet.CardStatus != "MAN" {
			t.Errorf("disabled wallet: isDisabled %q disableDate %q cardStatus %q", got.IsDisabled, got.DisableDate, got.Wallet.CardStatus)
		}
		refused := g.payWallet(walletPayment("W-1", "101", "1000"))
		if refused.Result.Code != "02505" || refused.Transaction != nil {
			t.Errorf("payment from a disabled wallet: %+v %+v", refused.Result, refused.Transaction)
		}
		again := g.call("DirectPaymentAPI", &soap.DisableWalletRequest{ContractNumber: cardNumber,
			WalletIDList: &soap.WalletIDList{WalletID: []string{"W-1", "W-404"}}}).(*soap.DisableWalletResponse)
		expectCode(t, "disabling again", again.Result, "02517")
		if again.WalletIDList == nil || strings.Join(again.WalletIDList.WalletID, ",") != "W-1,W-404" {
			t.Errorf("wallets not disabled: %+v", again.WalletIDList)
		}

		enable := &soap.EnableWalletRequest{ContractNumber: cardNumber, WalletID: "W-1"}
		expectCode(t, "enableWallet", g.call("DirectPaymentAPI", enable).(*soap.EnableWalletResponse).Result, "02500")
		expectCode(t, "enableWallet twice", g.call("DirectPaymentAPI", enable).(*soap.EnableWalletResponse).Result, "02520")
		enable.WalletID = "W-404"
		expectCode(t, "enableWallet of an unknown wallet", g.call("DirectPaymentAPI", enable).(*soap.EnableWalletResponse).Result, "02503")

		paid := g.payWallet(walletPayment("W-1", "101", "1000"))
		expectCode(t, "payment from the wallet", paid.Result, "00000")
		if !paylineID.MatchString(paid.Transaction.ID) || !directDate.MatchString(paid.Transaction.Date) || paid.Authorization.Number == "" ||
			paid.Authorization.AuthorizedAmount != "1000" {
			t.Errorf("payment: transaction %+v authorization %+v", paid.Transaction, paid.Authorization)
		}
		expectCode(t, "payment from an unknown wallet", g.payWallet(walletPayment("W-404", "101", "1000")).Result, "02503")
		d := g.call("ExtendedAPI", &soap.GetTransactionDetailsRequest{Version: "34", TransactionID: paid.Transaction.ID}).(*soap.GetTransactionDetailsResponse)
		if d.Result.Code != "00000" || d.Card.Number != "497010XXXXXXXX71" || d.ContractNumber != cardNumber {
			t.Errorf("the wallet payment's details: %+v card %+v contract %q", d.Result, d.Card, d.ContractNumber)
		}
	})
}

// TestWalletBadInput: what createWallet refuses, leaving no wallet.
func TestWalletBadInput(t *testing.T) {
	g := newGateway(t)
	for _, c := range []struct {
		name string
		edit func(r *soap.CreateWalletRequest)
		code string
	}{
		{"unknown contract", func(r *soap.CreateWalletRequest) { r.ContractNumber = "NOPE" }, "02303"},
		{"no walletId", func(r *soap.CreateWalletRequest) { r.Wallet.WalletID = "" }, "02305"},
		{"bad Luhn key", func(r *soap.CreateWalletRequest) { r.Wallet.Card.Number = "4970101122334456" }, "02614"},
		{"card expired", func(r *soap.CreateWalletRequest) { r.Wallet.Card.ExpirationDate = "0120" }, "02624"},
		{"refused by the issuer", func(r *soap.CreateWalletRequest) { r.Wallet.Card.Number = "4970103469012082" }, "01208"},
	} {
		r := &soap.CreateWalletRequest{Version: "34", ContractNumber: cardNumber, Wallet: wallet("W-BAD", "4970101122334455", "X")}
		c.edit(r)
		res := g.call("DirectPaymentAPI", r).(*soap.CreateWalletResponse)
		if res.Result.Code != c.code || res.Card != nil {
			t.Errorf("%s: %+v card %+v, want %s alone", c.name, res.Result, res.Card, c.code)
		}
	}
	expectCode(t, "no wallet left", g.getWallet("W-BAD").Result, "02503")
}

// TestGetCards lists a wallet's one card.
func TestGetCards(t *testing.T) {
	g := newGateway(t)
	expectCode(t, "createWallet", g.createWallet("W-2", "4970101122334455").Result, "02500")
	res := g.call("DirectPaymentAPI", &soap.GetCardsRequest{Version: "34", ContractNumber: cardNumber, WalletID: "W-2", CardInd: "1"}).(*soap.GetCardsResponse)
	expectCode(t, "getCards", res.Result, "02500")
	if res.CardsList == nil || len(res.CardsList.Cards) != 1 {
		t.Fatalf("cards: %+v", res.CardsList)
	}
	c := res.CardsList.Cards[0]
	if c.WalletID != "W-2" || c.LastName != "Dupont" || c.Card.Number != "497010XXXXXXXX55" || c.CardInd != "1" || c.IsDisabled != "0" ||
		c.Default != "Y" || c.ExtendedCard == nil {
		t.Errorf("card %+v %+v", c, c.Card)
	}
	none := g.call("DirectPaymentAPI", &soap.GetCardsRequest{Version: "34", ContractNumber: cardNumber, WalletID: "W-404"}).(*soap.GetCardsResponse)
	expectCode(t, "getCards of an unknown wallet", none.Result, "02503")
	second := g.call("DirectPaymentAPI", &soap.GetCardsRequest{Version: "34", ContractNumber: cardNumber, WalletID: "W-2", CardInd: "2"}).(*soap.GetCardsResponse)
	expectCode(t, "a second card", second.Result, "02503")
}

// TestWalletPaymentSimulator: the homologation simulator's amounts force
// the issuer's answer of a wallet payment, as of any card payment.
func TestWalletPaymentSimulator(t *testing.T) {
	g := newGateway(t)
	expectCode(t, "createWallet", g.createWallet("W-3", "4970101122334455").Result, "02500")
	res := g.payWallet(walletPayment("W-3", "101", "33305"))
	expectCode(t, "amount 333.05", res.Result, "01100")
	if res.Authorization == nil || res.Authorization.Number != "" || !paylineID.MatchString(res.Transaction.ID) {
		t.Errorf("refusal: transaction %+v authorization %+v", res.Transaction, res.Authorization)
	}
	auth := g.payWallet(walletPayment("W-3", "100", "1500"))
	expectCode(t, "authorization only", auth.Result, "00000")
	expectCode(t, "its capture", g.capture(auth.Transaction.ID, "1500").Result, "00000")
	nx := walletPayment("W-3", "101", "1500")
	nx.Payment.Mode = "NX"
	expectCode(t, "NX is a payment record's", g.payWallet(nx).Result, "02010")
}

// TestRecurrentWalletPayment: a payment in three instalments charges the
// first at once and the others as the clock reaches their dates, each
// notified (BILL) at the account's notification URL; getPaymentRecord
// and getBillingRecord tell how each went.
func TestRecurrentWalletPayment(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		g.setNotificationURL(g.merchant.URL + "/bill?shop=1")
		expectCode(t, "createWallet", g.createWallet("W-4", "4970101122334455").Result, "02500")
		res := g.recurrent(recurrent("W-4", "NX", "3500", &soap.Recurring{FirstAmount: "1500", Amount: "1000", BillingCycle: "40",
			BillingLeft: "3", BillingDay: "10"}))
		expectCode(t, "doRecurrentWalletPayment", res.Result, "02500")
		id := res.PaymentRecordID
		if !recordID.MatchString(id) || statuses(res.BillingRecordList) != "1,0,0" ||
			dates(res.BillingRecordList) != "23/11/2026 1500, 10/12/2026 1000, 10/01/2027 1000" {
			t.Fatalf("record %q: %s / %s", id, statuses(res.BillingRecordList), dates(res.BillingRecordList))
		}
		first := res.BillingRecordList.BillingRecord[0]
		if first.Result.Code != "00000" || !paylineID.MatchString(first.Transaction.ID) || !directDate.MatchString(first.Transaction.Date) ||
			first.NbTry != "1" || first.Rank != "1" || first.Authorization.Number == "" {
			t.Errorf("first instalment: %+v %+v %+v", first, first.Transaction, first.Authorization)
		}
		g.runDue()

		g.advance(17 * 24 * time.Hour) // 10/12/2026
		rec := g.paymentRecord(id)
		expectCode(t, "getPaymentRecord", rec.Result, "02500")
		if statuses(rec.BillingRecordList) != "1,1,0" || rec.WalletID != "W-4" || rec.IsDisabled != "0" || rec.Recurring.BillingLeft != "3" ||
			rec.Recurring.StartDate != "23/11/2026" || rec.Order == nil || rec.Order.Ref != "SUB-1" || rec.PrivateDataList.PrivateData[0].Value != "gold" {
			t.Errorf("after a month: %s, wallet %q, recurring %+v, order %+v", statuses(rec.BillingRecordList), rec.WalletID, rec.Recurring, rec.Order)
		}
		g.advance(31 * 24 * time.Hour) // 10/01/2027
		rec = g.paymentRecord(id)
		if statuses(rec.BillingRecordList) != "1,1,1" {
			t.Fatalf("after two months: %s", statuses(rec.BillingRecordList))
		}
		g.advance(62 * 24 * time.Hour)
		if n := len(g.paymentRecord(id).BillingRecordList.BillingRecord); n != 3 {
			t.Errorf("the record grew to %d instalments", n)
		}

		var bills []string
		for i, q := range g.merchant.received() {
			if q.Get("notificationType") != "BILL" {
				continue
			}
			b := rec.BillingRecordList.BillingRecord[len(bills)]
			if q.Get("shop") != "1" || q.Get("paymentRecordId") != id || q.Get("walletId") != "W-4" || q.Get("orderRef") != "SUB-1" ||
				q.Get("transactionId") != b.Transaction.ID || q.Get("billingRecordDate") != b.Date {
				t.Errorf("notification %d: %v, want instalment %+v", i, q, b)
			}
			bills = append(bills, q.Get("billingRecordDate"))
		}
		if len(bills) != 3 {
			t.Errorf("BILL notifications for %v, want the three instalments", bills)
		}

		one := g.call("DirectPaymentAPI", &soap.GetBillingRecordRequest{ContractNumber: cardNumber, PaymentRecordID: id,
			BillingRecordID: "2"}).(*soap.GetBillingRecordResponse)
		expectCode(t, "getBillingRecord", one.Result, "02500")
		if b := one.BillingRecord; b.Rank != "2" || b.Status != "1" || b.Date != "10/12/2026" || b.Transaction.ID != rec.BillingRecordList.BillingRecord[1].Transaction.ID {
			t.Errorf("billing record 2: %+v", b)
		}
		none := g.call("DirectPaymentAPI", &soap.GetBillingRecordRequest{ContractNumber: cardNumber, PaymentRecordID: id,
			BillingRecordID: "4"}).(*soap.GetBillingRecordResponse)
		expectCode(t, "a fourth instalment", none.Result, "02510")
		expectCode(t, "an unknown record", g.paymentRecord("100000000001").Result, "02507")
	})
}

// TestDisablePaymentRecord: a subscription disabled after its first
// payment charges nothing more; its instalments left show disabled (4).
func TestDisablePaymentRecord(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		expectCode(t, "createWallet", g.createWallet("W-5", "4970101122334455").Result, "02500")
		res := g.recurrent(recurrent("W-5", "REC", "3000", &soap.Recurring{Amount: "1000", BillingCycle: "40", BillingLeft: "3"}))
		expectCode(t, "doRecurrentWalletPayment", res.Result, "02500")
		disable := &soap.DisablePaymentRecordRequest{ContractNumber: cardNumber, PaymentRecordID: res.PaymentRecordID}
		expectCode(t, "disablePaymentRecord", g.call("DirectPaymentAPI", disable).(*soap.DisablePaymentRecordResponse).Result, "02500")
		g.advance(70 * 24 * time.Hour)
		rec := g.paymentRecord(res.PaymentRecordID)
		if statuses(rec.BillingRecordList) != "1,4,4" || rec.IsDisabled != "1" || rec.DisableDate != "23/11/26 11:00" {
			t.Errorf("disabled record: %s, isDisabled %q %q", statuses(rec.BillingRecordList), rec.IsDisabled, rec.DisableDate)
		}
		list, err := g.svc.Transactions(context.Background(), guichet.TransactionFilter{ShopID: demoShopID,
			OrderID: "plr_" + res.PaymentRecordID, Limit: 100})
		if err != nil || len(list) != 1 {
			t.Errorf("%d payments after the record was disabled (%v)", len(list), err)
		}
		expectCode(t, "disabling twice", g.call("DirectPaymentAPI", disable).(*soap.DisablePaymentRecordResponse).Result, "02508")
		disable.PaymentRecordID = "100000000001"
		expectCode(t, "an unknown record", g.call("DirectPaymentAPI", disable).(*soap.DisablePaymentRecordResponse).Result, "02507")
	})
}

// TestRecurrentBadInput: what doRecurrentWalletPayment refuses, starting
// nothing.
func TestRecurrentBadInput(t *testing.T) {
	g := newGateway(t)
	expectCode(t, "createWallet", g.createWallet("W-6", "4970101122334455").Result, "02500")
	nx := func(amount string, r *soap.Recurring) *soap.DoRecurrentWalletPaymentRequest {
		return recurrent("W-6", "NX", amount, r)
	}
	for _, c := range []struct {
		name string
		req  *soap.DoRecurrentWalletPaymentRequest
		code string
	}{
		{"amounts that do not add up", nx("3000", &soap.Recurring{FirstAmount: "1500", Amount: "1000", BillingCycle: "40", BillingLeft: "3"}), "02509"},
		{"NX without billingLeft", nx("3000", &soap.Recurring{Amount: "1000", BillingCycle: "40"}), "02305"},
		{"unknown cycle", nx("3000", &soap.Recurring{Amount: "1000", BillingCycle: "41", BillingLeft: "3"}), "02308"},
		{"start in the past", nx("3000", &soap.Recurring{Amount: "1000", BillingCycle: "40", BillingLeft: "3", StartDate: "22/11/2026"}), "02308"},
		{"mode CPT", recurrent("W-6", "CPT", "3000", &soap.Recurring{Amount: "1000", BillingCycle: "40", BillingLeft: "3"}), "02308"},
		{"unknown wallet", recurrent("W-404", "NX", "3000", &soap.Recurring{Amount: "1000", BillingCycle: "40", BillingLeft: "3"}), "02503"},
	} {
		res := g.recurrent(c.req)
		if res.Result.Code != c.code || res.PaymentRecordID != "" {
			t.Errorf("%s: %+v record %q, want %s alone", c.name, res.Result, res.PaymentRecordID, c.code)
		}
	}
	disable := &soap.DisableWalletRequest{ContractNumber: cardNumber, WalletIDList: &soap.WalletIDList{WalletID: []string{"W-6"}}}
	expectCode(t, "disableWallet", g.call("DirectPaymentAPI", disable).(*soap.DisableWalletResponse).Result, "02500")
	expectCode(t, "a disabled wallet", g.recurrent(nx("3000", &soap.Recurring{Amount: "1000", BillingCycle: "40", BillingLeft: "3"})).Result, "02505")
	list, err := g.svc.Transactions(context.Background(), guichet.TransactionFilter{ShopID: demoShopID, Limit: 100})
	if err != nil || len(list) != 1 { // the wallet's verification
		t.Errorf("refused requests left %d transactions (%v)", len(list), err)
	}
}

// TestScheduledWalletPayment: a payment on a later date waits for it,
// and a disabled wallet ends the record: the payment never comes.
func TestScheduledWalletPayment(t *testing.T) {
	g := newGateway(t)
	g.setNotificationURL(g.merchant.URL + "/bill")
	expectCode(t, "createWallet", g.createWallet("W-7", "4970101122334455").Result, "02500")
	schedule := func(wallet, date string) *soap.DoScheduledWalletPaymentResponse {
		return g.call("DirectPaymentAPI", &soap.DoScheduledWalletPaymentRequest{Version: "34", WalletID: wallet, OrderRef: "LATER-1",
			OrderDate: "23/11/2026 11:00", ScheduledDate: date,
			Payment: &soap.Payment{Amount: "2500", Currency: "978", Action: "101", Mode: "CPT", ContractNumber: cardNumber}}).(*soap.DoScheduledWalletPaymentResponse)
	}
	res := schedule("W-7", "25/11/2026")
	expectCode(t, "doScheduledWalletPayment", res.Result, "02500")
	if !recordID.MatchString(res.PaymentRecordID) {
		t.Errorf("paymentRecordId %q", res.PaymentRecordID)
	}
	if rec := g.paymentRecord(res.PaymentRecordID); statuses(rec.BillingRecordList) != "0" || dates(rec.BillingRecordList) != "25/11/2026 2500" {
		t.Errorf("before the date: %s %s", statuses(rec.BillingRecordList), dates(rec.BillingRecordList))
	}
	g.advance(24 * time.Hour)
	if rec := g.paymentRecord(res.PaymentRecordID); statuses(rec.BillingRecordList) != "0" {
		t.Errorf("the day before: %s", statuses(rec.BillingRecordList))
	}
	g.advance(24 * time.Hour)
	rec := g.paymentRecord(res.PaymentRecordID)
	if statuses(rec.BillingRecordList) != "1" || rec.Order.Ref != "LATER-1" || rec.Order.Amount != "2500" {
		t.Errorf("on the date: %s, order %+v", statuses(rec.BillingRecordList), rec.Order)
	}
	if got := g.merchant.received(); len(got) != 1 || got[0].Get("notificationType") != "BILL" || got[0].Get("billingRecordDate") != "25/11/2026" {
		t.Errorf("notifications %v", got)
	}
	expectCode(t, "a date in the past", schedule("W-7", "24/11/2026").Result, "02308")

	later := schedule("W-7", "30/11/2026")
	expectCode(t, "another", later.Result, "02500")
	disable := &soap.DisableWalletRequest{ContractNumber: cardNumber, WalletIDList: &soap.WalletIDList{WalletID: []string{"W-7"}}}
	expectCode(t, "disableWallet", g.call("DirectPaymentAPI", disable).(*soap.DisableWalletResponse).Result, "02500")
	g.advance(6 * 24 * time.Hour)
	if rec := g.paymentRecord(later.PaymentRecordID); statuses(rec.BillingRecordList) != "4" {
		t.Errorf("due while the wallet was disabled: %s", statuses(rec.BillingRecordList))
	}
}

// TestUpdatePaymentRecord: the instalments not charged yet change their
// amount from a date, their number, or one of them its date and amount;
// the clock then charges them as changed.
func TestUpdatePaymentRecord(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		expectCode(t, "createWallet", g.createWallet("W-8", "4970101122334455").Result, "02500")
		res := g.recurrent(recurrent("W-8", "NX", "3000", &soap.Recurring{Amount: "1000", BillingCycle: "40", BillingLeft: "3"}))
		expectCode(t, "doRecurrentWalletPayment", res.Result, "02500")
		id := res.PaymentRecordID
		update := g.call("DirectPaymentAPI", &soap.UpdatePaymentRecordRequest{Version: "34", ContractNumber: cardNumber, PaymentRecordID: id,
			Recurring: &soap.RecurringForUpdate{BillingLeft: "4", NewAmount: "1200", AmountModificationDate: "01/01/2027"}}).(*soap.UpdatePaymentRecordResponse)
		expectCode(t, "updatePaymentRecord", update.Result, "02500")
		if update.Recurring.BillingLeft != "4" || update.Recurring.NewAmount != "1200" || update.WalletID != "W-8" {
			t.Errorf("updated recurring %+v", update.Recurring)
		}
		rec := g.paymentRecord(id)
		if want := "23/11/2026 1000, 23/12/2026 1000, 23/01/2027 1200, 23/02/2027 1200"; dates(rec.BillingRecordList) != want {
			t.Errorf("after updatePaymentRecord: %s, want %s", dates(rec.BillingRecordList), want)
		}

		bill := g.call("DirectPaymentAPI", &soap.UpdateBillingRecordRequest{ContractNumber: cardNumber, PaymentRecordID: id, BillingRecordID: "2",
			BillingRecordForUpdate: &soap.BillingRecordForUpdate{Date: "05/12/2026", Amount: "900"}}).(*soap.UpdateBillingRecordResponse)
		expectCode(t, "updateBillingRecord", bill.Result, "02500")
		if bill.BillingRecord.Date != "05/12/2026" || bill.BillingRecord.Amount != "900" || bill.BillingRecord.Status != "0" {
			t.Errorf("updated billing record %+v", bill.BillingRecord)
		}
		for _, c := range []struct {
			name, rank, date, code string
		}{
			{"one charged", "1", "01/12/2026", "02308"},
			{"past its next", "2", "24/01/2027", "02308"},
			{"before today", "2", "22/11/2026", "02308"},
			{"no such instalment", "9", "01/12/2026", "02510"},
		} {
			r := g.call("DirectPaymentAPI", &soap.UpdateBillingRecordRequest{ContractNumber: cardNumber, PaymentRecordID: id, BillingRecordID: c.rank,
				BillingRecordForUpdate: &soap.BillingRecordForUpdate{Date: c.date}}).(*soap.UpdateBillingRecordResponse)
			expectCode(t, c.name, r.Result, c.code)
		}

		g.advance(12 * 24 * time.Hour) // 05/12/2026
		rec = g.paymentRecord(id)
		if statuses(rec.BillingRecordList) != "1,1,0,0" || rec.BillingRecordList.BillingRecord[1].Amount != "900" {
			t.Errorf("on the new date: %s %s", statuses(rec.BillingRecordList), dates(rec.BillingRecordList))
		}
		g.advance(90 * 24 * time.Hour)
		rec = g.paymentRecord(id)
		if statuses(rec.BillingRecordList) != "1,1,1,1" {
			t.Errorf("at the end: %s", statuses(rec.BillingRecordList))
		}
		list, err := g.svc.Transactions(context.Background(), guichet.TransactionFilter{ShopID: demoShopID, OrderID: "plr_" + id, Limit: 100})
		total := int64(0)
		for _, tr := range list {
			total += tr.Amount
		}
		if err != nil || len(list) != 4 || total != 1000+900+1200+1200 {
			t.Errorf("%d payments for %d (%v)", len(list), total, err)
		}
		disable := &soap.DisablePaymentRecordRequest{ContractNumber: cardNumber, PaymentRecordID: id}
		expectCode(t, "disablePaymentRecord", g.call("DirectPaymentAPI", disable).(*soap.DisablePaymentRecordResponse).Result, "02500")
		again := g.call("DirectPaymentAPI", &soap.UpdatePaymentRecordRequest{Version: "34", ContractNumber: cardNumber, PaymentRecordID: id,
			Recurring: &soap.RecurringForUpdate{NewAmount: "10"}}).(*soap.UpdatePaymentRecordResponse)
		expectCode(t, "updating a disabled record", again.Result, "02508")
	})
}

// TestWebWallet: createWebWallet opens a page where the buyer registers a
// card; getWebWallet answers 02533 before, 02500 with the wallet after,
// and the merchant hears of it (WEBWALLET). updateWebWallet replaces the
// card of the wallet; the wallet then pays.
func TestWebWallet(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		res := g.call("WebPaymentAPI", &soap.CreateWebWalletRequest{Version: "34", ContractNumber: cardNumber,
			Buyer:     &soap.Buyer{WalletID: "WEB-1", LastName: "Martin", FirstName: "Alice", Email: "alice@example.net"},
			ReturnURL: g.merchant.URL + "/return", CancelURL: g.merchant.URL + "/cancel", NotificationURL: g.merchant.URL + "/notify",
		}).(*soap.CreateWebWalletResponse)
		expectCode(t, "createWebWallet", res.Result, "00000")
		get := func() *soap.GetWebWalletResponse {
			return g.call("WebPaymentAPI", &soap.GetWebWalletRequest{Version: "34", Token: res.Token}).(*soap.GetWebWalletResponse)
		}
		expectCode(t, "before the page", get().Result, "02533")
		ticket := g.payPage(res.RedirectURL, "1234567:MASTERCARD", "5100010000000114")
		if !strings.Contains(ticket.Body, "token="+res.Token) {
			t.Fatalf("ticket:\n%s", ticket.Body)
		}
		got := get()
		expectCode(t, "after the page", got.Result, "02500")
		if got.Wallet.WalletID != "WEB-1" || got.Wallet.LastName != "Martin" || got.Wallet.Card.Number != "510001XXXXXXXX14" {
			t.Errorf("wallet %+v card %+v", got.Wallet, got.Wallet.Card)
		}
		g.runDue()
		if n := len(g.merchant.received()); n != 1 || g.merchant.received()[0].Get("notificationType") != "WEBWALLET" {
			t.Errorf("notifications: %v", g.merchant.received())
		}
		again := g.call("WebPaymentAPI", &soap.CreateWebWalletRequest{Version: "34", ContractNumber: cardNumber,
			Buyer: &soap.Buyer{WalletID: "WEB-1"}, ReturnURL: g.merchant.URL + "/return", CancelURL: g.merchant.URL + "/cancel"}).(*soap.CreateWebWalletResponse)
		expectCode(t, "createWebWallet of an existing wallet", again.Result, "02502")

		up := g.call("WebPaymentAPI", &soap.UpdateWebWalletRequest{Version: "34", WalletID: "WEB-1",
			ReturnURL: g.merchant.URL + "/return", CancelURL: g.merchant.URL + "/cancel"}).(*soap.UpdateWebWalletResponse)
		expectCode(t, "updateWebWallet", up.Result, "00000")
		if p := g.payPage(up.RedirectURL, "1234567:CB", "4970101122334455"); !strings.Contains(p.Body, "token="+up.Token) {
			t.Fatalf("updateWebWallet's ticket:\n%s", p.Body)
		}
		if w := g.getWallet("WEB-1"); w.Wallet.Card.Number != "497010XXXXXXXX55" {
			t.Errorf("the updated wallet's card: %+v", w.Wallet.Card)
		}
		expectCode(t, "payment with the wallet", g.payWallet(walletPayment("WEB-1", "101", "1500")).Result, "00000")
	})
}

// TestWebPaymentInInstalments: a doWebPayment in NX keeps the buyer's card
// as a wallet and charges its instalments through a payment record: the
// first at once, the others as the clock reaches their dates, each
// notified (BILL) besides the session's WEBTRS.
func TestWebPaymentInInstalments(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		req := g.webPayment(cardNumber, "3500")
		req.Payment.Mode = "NX"
		req.Order.Amount = "3500"
		req.Recurring = &soap.Recurring{FirstAmount: "1500", Amount: "1000", BillingCycle: "40", BillingLeft: "3"}
		res := g.open(req)
		ticket := g.payPage(res.RedirectURL, "1234567:CB", "4970101122334455")
		if !strings.Contains(ticket.Body, "token="+res.Token) {
			t.Fatalf("ticket:\n%s", ticket.Body)
		}
		d := g.details(res.Token)
		expectCode(t, "details", d.Result, "00000")
		if !recordID.MatchString(d.PaymentRecordID) || statuses(d.BillingRecordList) != "1,0,0" ||
			dates(d.BillingRecordList) != "23/11/2026 1500, 23/12/2026 1000, 23/01/2027 1000" {
			t.Fatalf("record %q: %s / %s", d.PaymentRecordID, statuses(d.BillingRecordList), dates(d.BillingRecordList))
		}
		if d.Authorization.AuthorizedAmount != "1500" || !paylineID.MatchString(d.Transaction.ID) || d.Card.Number != "497010XXXXXXXX55" {
			t.Errorf("the first instalment: %+v %+v %+v", d.Transaction, d.Authorization, d.Card)
		}
		g.advance(31 * 24 * time.Hour)
		if rec := g.paymentRecord(d.PaymentRecordID); statuses(rec.BillingRecordList) != "1,1,0" {
			t.Errorf("after a month: %s", statuses(rec.BillingRecordList))
		}
		var kinds []string
		for _, q := range g.merchant.received() {
			kinds = append(kinds, q.Get("notificationType"))
		}
		if strings.Join(kinds, ",") != "WEBTRS,BILL,BILL" {
			t.Errorf("notifications %v, want WEBTRS then a BILL per instalment", kinds)
		}

		bad := g.webPayment(cardNumber, "3600")
		bad.Payment.Mode = "NX"
		bad.Recurring = &soap.Recurring{FirstAmount: "1500", Amount: "1000", BillingCycle: "40", BillingLeft: "3"}
		expectCode(t, "amounts that do not add up", g.call("WebPaymentAPI", bad).(*soap.DoWebPaymentResponse).Result, "02509")
		later := g.webPayment(cardNumber, "3500")
		later.Payment.Mode = "NX"
		later.Recurring = &soap.Recurring{FirstAmount: "1500", Amount: "1000", BillingCycle: "40", BillingLeft: "3", StartDate: "01/12/2026"}
		expectCode(t, "a first instalment another day", g.call("WebPaymentAPI", later).(*soap.DoWebPaymentResponse).Result, "02308")
	})
}
