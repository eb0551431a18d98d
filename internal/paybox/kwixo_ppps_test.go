package paybox_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"guichet"
	"guichet/internal/paybox"
)

// kwixoPaid takes a KWIXO payment through Paybox System, runs its review
// to the end on the shop's clock, and returns the transaction.
func kwixoPaid(t *testing.T, h *hosted, m *merchant, ref, option string, extra ...[2]string) *guichet.Transaction {
	t.Helper()
	fields := append([][2]string{{"PBX_TYPEPAIEMENT", "KWIXO"}, {"PBX_TYPECARTE", option}}, extra...)
	order := h.post("/php/", signedForm(kwixoFields(m, ref, fields...))).orderPath(t)
	ticket := h.post(order+"/kwixo", "option="+option+"&kwixo_email=buyer%40example.com&kwixo_password=secret")
	if !strings.Contains(ticket.body, "Erreur=99999") {
		t.Fatalf("KWIXO ticket:\n%s", ticket.body)
	}
	h.advance(2 * 3600) // past every review step of the test values used here
	return h.transaction(ref)
}

// callbacks are the IPNs received since the first n, as E/S/M triples.
func callbacks(t *testing.T, h *hosted, m *merchant, n int) []string {
	t.Helper()
	return ipnFields(t, h, m, n, "Erreur", "Trans", "Mt")
}

func wantAnswer(t *testing.T, what string, got map[string]string, code string) {
	t.Helper()
	if got["CODEREPONSE"] != code {
		t.Errorf("%s: CODEREPONSE %s (%s), want %s", what, got["CODEREPONSE"], got["COMMENTAIRE"], code)
	}
}

func TestKwixoCaptureAndRefundThroughPPPS(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	tr := kwixoPaid(t, h, m, "kw capture", "STANDARD")
	if tr.Review != "301" {
		t.Fatalf("review %s, want 301", tr.Review)
	}
	seen := len(ipnValues(t, h, m))

	// A partial capture is pending; its NUMTRANS is what the callback's S
	// will name.
	a := h.ppps("00002", tr, 1000, "11")
	wantAnswer(t, "partial capture", a, "99999")
	if !strings.Contains(a["COMMENTAIRE"], "KWIXO") || a["NUMAPPEL"] != pad10(tr.Number) || a["NUMTRANS"] == pad10(tr.First().Number) {
		t.Errorf("capture answer %v", a)
	}
	capture := strings.TrimLeft(a["NUMTRANS"], "0")
	wantAnswer(t, "second capture", h.ppps("00002", tr, 250, "12"), "00106")
	wantAnswer(t, "total cancellation of a captured payment", h.ppps("00005", tr, 1250, "13"), "00106")
	wantAnswer(t, "partial cancellation of a captured payment", h.ppps("00005", tr, 250, "14"), "00107")
	wantAnswer(t, "refund under 1 euro", h.ppps("00014", tr, 99, "15"), "00115")
	wantAnswer(t, "refund over the captured amount", h.ppps("00014", tr, 1001, "16"), "00101")

	h.advance(60)
	if got := callbacks(t, h, m, seen); strings.Join(got, " ") != "00000/"+capture+"/1000" {
		t.Fatalf("callbacks after the capture: %v", got)
	}

	a = h.ppps("00014", tr, 600, "17")
	wantAnswer(t, "refund", a, "99999")
	refund := strings.TrimLeft(a["NUMTRANS"], "0")
	wantAnswer(t, "second refund", h.ppps("00014", tr, 100, "18"), "00113")
	h.advance(24 * 3600)
	if got := callbacks(t, h, m, seen+1); strings.Join(got, " ") != "00801/"+refund+"/600" {
		t.Errorf("callbacks after the refund: %v", got)
	}
	if tr := h.transaction("kw capture"); tr.Captured != 1000 || tr.Refunded != 600 || tr.Status != guichet.StatusCaptured {
		t.Errorf("transaction after refund: captured %d refunded %d %s", tr.Captured, tr.Refunded, tr.Status)
	}
	wantAnswer(t, "refund after a refund", h.ppps("00014", tr, 100, "19"), "00113")
}

func TestKwixoCancellationThroughPPPS(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)

	// A partial cancellation, once.
	tr := kwixoPaid(t, h, m, "kw partial", "1XRNP")
	seen := len(ipnValues(t, h, m))
	a := h.ppps("00005", tr, 500, "21")
	wantAnswer(t, "partial cancellation", a, "99999")
	if !strings.Contains(a["COMMENTAIRE"], "700 ASK_FOR_TOTAL_CANCELLATION_BY_MERCHANT") {
		t.Errorf("COMMENTAIRE %q", a["COMMENTAIRE"])
	}
	wantAnswer(t, "partial cancellation during another", h.ppps("00005", tr, 100, "22"), "00111")
	wantAnswer(t, "total cancellation during a partial one", h.ppps("00005", tr, 1250, "23"), "00112")
	wantAnswer(t, "capture during a cancellation", h.ppps("00002", tr, 500, "24"), "00105")
	h.advance(3600)
	partial := strings.TrimLeft(a["NUMTRANS"], "0")
	if got := callbacks(t, h, m, seen); strings.Join(got, " ") != "00701/"+partial+"/500" {
		t.Errorf("callbacks: %v", got)
	}
	if tr := h.transaction("kw partial"); tr.Amount != 750 || tr.Status != guichet.StatusAuthorized {
		t.Errorf("after a partial cancellation: amount %d %s", tr.Amount, tr.Status)
	}
	wantAnswer(t, "second partial cancellation", h.ppps("00005", tr, 100, "25"), "00110")
	wantAnswer(t, "capture of the rest", h.ppps("00002", tr, 750, "26"), "99999")

	// A total cancellation, then nothing more.
	tr = kwixoPaid(t, h, m, "kw total", "STANDARD")
	seen = len(ipnValues(t, h, m))
	a = h.ppps("00005", tr, 1250, "31")
	wantAnswer(t, "total cancellation", a, "99999")
	h.advance(3600)
	total := strings.TrimLeft(a["NUMTRANS"], "0")
	if got := callbacks(t, h, m, seen); strings.Join(got, " ") != "00701/"+total+"/1250" {
		t.Errorf("callbacks: %v", got)
	}
	tr = h.transaction("kw total")
	if tr.Status != guichet.StatusCancelled {
		t.Errorf("after the cancellation: %s", tr.Status)
	}
	var o *guichet.Order
	h.store.View(context.Background(), func(tx guichet.Tx) (err error) { o, err = tx.Order(tr.OrderID); return err })
	if o == nil || o.Status != guichet.OrderCancelled {
		t.Errorf("order after the cancellation: %+v", o)
	}
	wantAnswer(t, "cancellation of a cancelled payment", h.ppps("00005", tr, 1250, "32"), "00108")
	wantAnswer(t, "capture of a cancelled payment", h.ppps("00002", tr, 1250, "33"), "00108")

	// An amount ending in 72: KWIXO fails the cancellation, and the
	// payment can still be captured.
	tr = kwixoPaid(t, h, m, "kw 72", "STANDARD", [2]string{"PBX_TOTAL", "1272"})
	seen = len(ipnValues(t, h, m))
	a = h.ppps("00005", tr, 1272, "41")
	wantAnswer(t, "cancellation bound to fail", a, "99999")
	h.advance(3600)
	if got := callbacks(t, h, m, seen); strings.Join(got, " ") != "00702/"+strings.TrimLeft(a["NUMTRANS"], "0")+"/1272" {
		t.Errorf("callbacks: %v", got)
	}
	wantAnswer(t, "capture after a failed cancellation", h.ppps("00002", tr, 1272, "42"), "99999")
}

func TestKwixoPPPSRefusals(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)

	// During the review: retry later.
	order := h.post("/php/", signedForm(kwixoFields(m, "kw review", [2]string{"PBX_TYPEPAIEMENT", "KWIXO"}, [2]string{"PBX_TYPECARTE", "STANDARD"}))).orderPath(t)
	h.post(order+"/kwixo", "option=STANDARD&kwixo_email=buyer%40example.com&kwixo_password=secret")
	tr := h.transaction("kw review")
	for i, typ := range []string{"00002", "00005", "00014"} {
		a := h.ppps(typ, tr, 1250, strconv.Itoa(50+i))
		wantAnswer(t, typ+" during the review", a, "00104")
		if !strings.HasPrefix(a["COMMENTAIRE"], "KWIXO : 104 [RL]") {
			t.Errorf("COMMENTAIRE %q", a["COMMENTAIRE"])
		}
	}

	// A credit cannot be refunded; once captured, the buyer's debit
	// comes three days later.
	credit := kwixoPaid(t, h, m, "kw credit", "CREDIT")
	if credit.Review != "501" {
		t.Fatalf("credit review %s", credit.Review)
	}
	wantAnswer(t, "refund of a credit before capture", h.ppps("00014", credit, 500, "60"), "00114")
	seen := len(ipnValues(t, h, m))
	wantAnswer(t, "capture of a financed credit", h.ppps("00002", credit, 1250, "61"), "99999")
	h.advance(3 * 24 * 3600)
	got := callbacks(t, h, m, seen)
	if len(got) != 2 || !strings.HasPrefix(got[0], "00000/") || got[1] != "00502/"+strconv.FormatInt(credit.First().Number, 10)+"/1250" {
		t.Errorf("credit callbacks: %v", got)
	}
	wantAnswer(t, "refund of a credit", h.ppps("00014", credit, 500, "62"), "00114")

	// A refused payment.
	refused := kwixoPaid(t, h, m, "kw refused", "STANDARD", [2]string{"PBX_TOTAL", "1266"})
	wantAnswer(t, "capture of a refused payment", h.ppps("00002", refused, 1266, "70"), "00105")

	// ACQUEREUR=KWIXO on a card payment, or on an unknown number.
	card := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(systemFields(m, "32", "card"))).orderPath(t)
	h.post(card+"/card", "card_type=CB&number=4012001037141112&expiry=1230&cvv=123")
	cardTr := h.transaction("card")
	cardTr.Method = "KWIXO" // so that ppps sends ACQUEREUR=KWIXO
	wantAnswer(t, "KWIXO capture of a card payment", h.ppps("00002", cardTr, 1250, "80"), "00102")
	unknown := *tr
	unknown.Number += 1000
	wantAnswer(t, "KWIXO capture of an unknown payment", h.ppps("00002", &unknown, 1250, "81"), "00102")

	// The order reference must be the payment's.
	wrongRef := *tr
	wrongRef.Reference = "another order"
	wantAnswer(t, "KWIXO capture under another reference", h.ppps("00002", &wrongRef, 1250, "82"), "00103")

	// A refused request leaves the payment as it was.
	if tr := h.transaction("kw review"); len(tr.Operations) != 1 || tr.Captured != 0 {
		t.Errorf("refused requests changed the payment: %+v", tr)
	}
}

func TestKwixoDisputeAndExpiry(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)

	// An amount ending in 88 is disputed after its capture.
	tr := kwixoPaid(t, h, m, "kw 88", "STANDARD", [2]string{"PBX_TOTAL", "1288"})
	wantAnswer(t, "capture", h.ppps("00002", tr, 1288, "91"), "99999")
	seen := len(ipnValues(t, h, m))
	h.advance(24*3600 + 60)
	wantAnswer(t, "refund during a dispute", h.ppps("00014", tr, 500, "92"), "00109")
	h.advance(8 * 24 * 3600)
	payment := strconv.FormatInt(tr.First().Number, 10)
	var states []string
	for _, c := range callbacks(t, h, m, seen) {
		if strings.Contains(c, "/"+payment+"/") {
			states = append(states, c[:5])
		}
	}
	if strings.Join(states, " ") != "00600 00601 00602 00603" {
		t.Errorf("dispute callbacks: %v", states)
	}
	wantAnswer(t, "refund after the dispute", h.ppps("00014", tr, 500, "93"), "99999")
	h.advance(24 * 3600) // the refund's outcome

	// A payment nobody captures is cancelled by KWIXO after 30 days.
	kwixoPaid(t, h, m, "kw forgotten", "STANDARD")
	seen = len(ipnValues(t, h, m))
	h.advance(30 * 24 * 3600)
	got := callbacks(t, h, m, seen)
	if len(got) != 2 || !strings.HasPrefix(got[0], "00703/") || !strings.HasPrefix(got[1], "00701/") || got[0][6:] != got[1][6:] {
		t.Errorf("automatic cancellation callbacks: %v", got)
	}
	if tr := h.transaction("kw forgotten"); tr.Status != guichet.StatusCancelled {
		t.Errorf("forgotten payment: %s", tr.Status)
	}
}

func TestKwixoAutomaticCapture(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	// Rang 43's contract captures two days after the review allows it,
	// and offers the STANDARD option only.
	choice := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(kwixoFields(m, "kw auto", [2]string{"PBX_RANG", "43"})))
	if !strings.Contains(choice.body, `value="KWIXO:STANDARD"`) || strings.Contains(choice.body, `value="KWIXO:CREDIT"`) {
		t.Fatalf("choice page of rang 43:\n%s", choice.body)
	}
	order := choice.orderPath(t)
	h.post(order+"/kwixo", "option=STANDARD&kwixo_email=buyer%40example.com&kwixo_password=secret")
	h.advance(600 + 2*24*3600 - 60)
	var tr *guichet.Transaction
	h.store.View(context.Background(), func(tx guichet.Tx) error {
		list, err := tx.Transactions(guichet.TransactionFilter{ShopID: "shop-43"})
		if len(list) == 1 {
			tr = &list[0]
		}
		return err
	})
	if tr == nil || tr.Status != guichet.StatusAuthorized || tr.Review != "301" {
		t.Fatalf("before the automatic capture: %+v", tr)
	}
	h.advance(2 * 60)
	ipns := ipnValues(t, h, m)
	last := ipns[len(ipns)-1]
	if last.Get("Erreur") != "00000" || last.Get("Mt") != "1250" || last.Get("Trans") == strconv.FormatInt(tr.First().Number, 10) {
		t.Errorf("capture callback %v", last)
	}
}

func TestKwixoSubscription(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	err := h.store.Update(context.Background(), func(tx guichet.Tx) error {
		return tx.PutShop(&guichet.Shop{ID: "shop-63", Name: "Sans Kwixo", Mode: guichet.ModeTest,
			Credentials: []guichet.Credential{paybox.Account{Site: "1999888", Rang: "63", Key: "1999888I", HMACKey: hmacKey}.Credential()}})
	})
	if err != nil {
		t.Fatal(err)
	}
	choice := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(kwixoFields(m, "no kwixo", [2]string{"PBX_RANG", "63"})))
	if strings.Contains(choice.body, "KWIXO:") || !strings.Contains(choice.body, `value="CARTE:CB"`) {
		t.Errorf("choice page of a shop without KWIXO:\n%s", choice.body)
	}
	forced := h.post("/php/", signedForm(kwixoFields(m, "no kwixo 2", [2]string{"PBX_RANG", "63"},
		[2]string{"PBX_TYPEPAIEMENT", "KWIXO"}, [2]string{"PBX_TYPECARTE", "STANDARD"})))
	if strings.Contains(forced.body, "kwixo_password") || !strings.Contains(forced.body, "Moyen de paiement indisponible") {
		t.Errorf("KWIXO forced on a shop without it:\n%s", forced.body)
	}
	// A posted KWIXO login for an option the shop lacks pays nothing.
	order := choice.orderPath(t)
	h.post(order+"/kwixo", "option=STANDARD&kwixo_email=buyer%40example.com&kwixo_password=secret")
	h.store.View(context.Background(), func(tx guichet.Tx) error {
		list, _ := tx.Transactions(guichet.TransactionFilter{ShopID: "shop-63"})
		if len(list) != 0 {
			t.Errorf("%d transactions on a shop without KWIXO", len(list))
		}
		return nil
	})
}

func pad10(n int64) string {
	s := strconv.FormatInt(n, 10)
	return strings.Repeat("0", 10-len(s)) + s
}

func TestKwixoReceiveAndPay(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	for _, c := range []struct {
		option, rnp string
		rang        string
		want        string
	}{
		{"1XRNP", "1", "32", "service offert par le marchand"},
		{"1XRNP", "0", "32", "service facturé par Kwixo"},
		{"CREDIT", "1", "32", "service offert par le marchand"},
		{"STANDARD", "1", "32", ""},
	} {
		p := h.post("/php/", signedForm(kwixoFields(m, "rnp "+c.option+c.rnp, [2]string{"PBX_RANG", c.rang},
			[2]string{"PBX_TYPEPAIEMENT", "KWIXO"}, [2]string{"PBX_TYPECARTE", c.option}, [2]string{"PBX_RECEIVE_AND_PAY", c.rnp})))
		if !strings.Contains(p.body, "kwixo_password") {
			t.Fatalf("%s: no KWIXO page:\n%s", c.option, p.body)
		}
		has := strings.Contains(p.body, "Paiement à réception")
		if c.want == "" && has || c.want != "" && !strings.Contains(p.body, c.want) {
			t.Errorf("%s with PBX_RECEIVE_AND_PAY=%s: page does not say %q", c.option, c.rnp, c.want)
		}
	}
}

// TestKwixoScoringBranches drives each row of the README's table of test
// values over HTTP, from the signed form to the last callback.
func TestKwixoScoringBranches(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	for _, c := range []struct {
		name, option, amount, email, products string
		want                                  string
	}{
		{"refused credit", "CREDIT", "1266", "buyer@example.com", "", "99999 00500 00503"},
		{"refused payment", "1XRNP", "1266", "buyer@example.com", "", "99999 00401"},
		{"fraud e-mail", "STANDARD", "1250", "fraud@example.com", "", "99999 00302"},
		{"auctions", "STANDARD", "1250", "buyer@example.com",
			`[{"reference":"lot-1","type":"6","label":"vase","quantity":"1","unitprice":"1250"}]`, "99999 00300"},
		{"credit", "CREDIT", "1250", "buyer@example.com", "", "99999 00500 00501"},
		{"long review", "STANDARD", "1277", "buyer@example.com", "", "99999 00301"},
		{"consistent order", "1XRNP", "1250", "buyer@example.com", "", "99999 00301"},
	} {
		ref := "branch " + c.name
		extra := [][2]string{{"PBX_TYPEPAIEMENT", "KWIXO"}, {"PBX_TYPECARTE", c.option}, {"PBX_TOTAL", c.amount}}
		if c.products != "" {
			extra = append(extra, [2]string{"PBX_PRODUCT_DETAILS", c.products})
		}
		order := h.post("/php/", signedForm(kwixoFields(m, ref, extra...))).orderPath(t)
		h.post(order+"/kwixo", "option="+c.option+"&kwixo_email="+strings.Replace(c.email, "@", "%40", 1)+"&kwixo_password=secret")
		h.advance(25 * 3600)
		var got []string
		for _, v := range ipnValues(t, h, m) {
			if v.Get("Ref") == ref {
				got = append(got, v.Get("Erreur"))
			}
		}
		// The state the payment starts in (200 or 201) is the pending
		// IPN's 99999; each later one has its own IPN.
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("%s: callbacks %s, want %s", c.name, g, c.want)
		}
	}
}

// TestKwixoNeverDebitsAtOnce checks the guide's §2.7 over HTTP: a form
// asking for an immediate debit is refused for KWIXO, and the choice page
// leaves KWIXO out, unless the shop's contract captures automatically.
func TestKwixoNeverDebitsAtOnce(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	debit := [2]string{"PBX_AUTOSEULE", "N"}
	forced := h.post("/php/", signedForm(kwixoFields(m, "debit", debit,
		[2]string{"PBX_TYPEPAIEMENT", "KWIXO"}, [2]string{"PBX_TYPECARTE", "STANDARD"})))
	if !strings.Contains(forced.body, "PBX_AUTOSEULE") || strings.Contains(forced.body, "kwixo_password") {
		t.Errorf("KWIXO with an immediate debit:\n%s", forced.body)
	}
	choice := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(kwixoFields(m, "debit 2", debit)))
	if strings.Contains(choice.body, "KWIXO:") || !strings.Contains(choice.body, `value="CARTE:CB"`) {
		t.Errorf("choice page of a form with an immediate debit:\n%s", choice.body)
	}
	// A login posted anyway pays nothing.
	h.post(choice.orderPath(t)+"/kwixo", "option=STANDARD&kwixo_email=buyer%40example.com&kwixo_password=secret")
	h.store.View(context.Background(), func(tx guichet.Tx) error {
		list, _ := tx.Transactions(guichet.TransactionFilter{ShopID: "shop-32"})
		if len(list) != 0 {
			t.Errorf("%d transactions", len(list))
		}
		return nil
	})
	// Rang 43's contract captures automatically: one call is enough.
	auto := h.post("/php/", signedForm(kwixoFields(m, "debit 3", debit, [2]string{"PBX_RANG", "43"},
		[2]string{"PBX_TYPEPAIEMENT", "KWIXO"}, [2]string{"PBX_TYPECARTE", "STANDARD"})))
	if !strings.Contains(auto.body, "kwixo_password") {
		t.Errorf("KWIXO on a contract with automatic capture:\n%s", auto.body)
	}
}
