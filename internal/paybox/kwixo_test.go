package paybox_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"guichet"
	"guichet/internal/paybox"
)

// kwixoFields is a KWIXO payment form of a consistent order: the base
// fields with PBX_ATTENTE, a PBX_RETOUR asking for P, and the order
// analysis data. Each override replaces a field or adds it.
func kwixoFields(m *merchant, ref string, overrides ...[2]string) [][2]string {
	f := systemFields(m, "32", ref,
		[2]string{"PBX_ATTENTE", m.URL + "/pending"}, [2]string{"PBX_AUTOSEULE", "O"},
		[2]string{"PBX_BILLTO_CIVILITY", "monsieur"}, [2]string{"PBX_BILLTO_NAME_FIRST", "jean"}, [2]string{"PBX_BILLTO_NAME_LAST", "dupont"},
		[2]string{"PBX_BILLTO_MOBILE", "0612345678"}, [2]string{"PBX_BILLTO_EMAIL", "jean.dupont@example.com"},
		[2]string{"PBX_BILLTO_STREET_LINE_1", "1 rue de la paix"}, [2]string{"PBX_BILLTO_POSTALCODE", "75002"},
		[2]string{"PBX_BILLTO_CITY", "paris"}, [2]string{"PBX_BILLTO_COUNTRY", "france"},
		[2]string{"PBX_SHIPTO_SHIPPER_NAME", "colissimo"}, [2]string{"PBX_SHIPTO_DELIVERY_TYPE", "4"},
		[2]string{"PBX_SHIPTO_DELIVERY_SPEED", "2"}, [2]string{"PBX_SHIPTO_SHIPPER_ID", "PR#4587"}, [2]string{"PBX_SHIPTO_SHIPPER_SIGN", "la poste"},
		[2]string{"PBX_PRODUCT_DETAILS", `[{"reference":"11269","type":"13","label":"bottines lacees","quantity":"1","unitprice":"1250"}]`},
		[2]string{"PBX_ORDER_DATE", "2026-11-23 11:00:00"}, [2]string{"PBX_DELIVERY_DATE", "2026-11-26"}, [2]string{"PBX_RECEIVE_AND_PAY", "1"},
	)
	overrides = append([][2]string{{"PBX_RETOUR", "Mt:M;Ref:R;Auto:A;Appel:T;Trans:S;Erreur:E;Type:P;Carte:C;Sign:K"}}, overrides...)
	for _, o := range overrides {
		found := false
		for i := range f {
			if f[i][0] == o[0] {
				f[i][1], found = o[1], true
			}
		}
		if !found {
			f = append(f, o)
		}
	}
	return f
}

// ipnValues verifies the signature of every IPN received and returns
// their variables.
func ipnValues(t *testing.T, h *hosted, m *merchant) []url.Values {
	t.Helper()
	ipns, _ := m.received()
	var out []url.Values
	for _, r := range ipns {
		if err := paybox.VerifyReturn(h.pub, r.URL.RawQuery, "Sign"); err != nil {
			t.Errorf("IPN %s: %v", r.URL.RawQuery, err)
		}
		out = append(out, r.URL.Query())
	}
	return out
}

// ipnFields are the IPNs received since the first n, each as the values of
// the named variables joined by "/", their signatures verified.
func ipnFields(t *testing.T, h *hosted, m *merchant, n int, names ...string) []string {
	t.Helper()
	var out []string
	for _, v := range ipnValues(t, h, m)[n:] {
		var vals []string
		for _, name := range names {
			vals = append(vals, v.Get(name))
		}
		out = append(out, strings.Join(vals, "/"))
	}
	return out
}

// capture asks PPPS to capture a transaction in full and returns the
// answer's CODEREPONSE.
func (h *hosted) capture(tr *guichet.Transaction, question string) string {
	h.t.Helper()
	return h.ppps("00002", tr, tr.Amount, question)["CODEREPONSE"]
}

// ppps sends a PPPS operation of a type on a transaction, with
// ACQUEREUR=KWIXO for a KWIXO payment as the guide asks (§5), and returns
// the answer's fields.
func (h *hosted) ppps(typ string, tr *guichet.Transaction, amount int64, question string) map[string]string {
	h.t.Helper()
	body := url.Values{"VERSION": {"00104"}, "TYPE": {typ}, "SITE": {"1999888"}, "RANG": {"032"}, "CLE": {"1999888I"},
		"NUMQUESTION": {question}, "DATEQ": {"23112026"}, "MONTANT": {strconv.FormatInt(amount, 10)}, "DEVISE": {"978"},
		"REFERENCE": {tr.Reference}, "NUMAPPEL": {strconv.FormatInt(tr.Number, 10)}, "NUMTRANS": {strconv.FormatInt(tr.First().Number, 10)}}
	if tr.Method == "KWIXO" {
		body.Set("ACQUEREUR", "KWIXO")
	}
	p := h.post("/PPPS.php", body.Encode())
	fields := map[string]string{}
	for _, kv := range strings.Split(p.body, "&") {
		k, v, _ := strings.Cut(kv, "=")
		fields[k] = v
	}
	return fields
}

func (h *hosted) transaction(ref string) *guichet.Transaction {
	h.t.Helper()
	return h.find("shop-32", ref)
}

func TestKwixoStandardPayment(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	form := signedForm(kwixoFields(m, "kwixo 1", [2]string{"PBX_TYPEPAIEMENT", "KWIXO"}, [2]string{"PBX_TYPECARTE", "STANDARD"}))

	login := h.post("/php/", form)
	if !strings.Contains(login.body, `name="kwixo_password"`) || !strings.Contains(login.body, "Kwixo comptant") {
		t.Fatalf("KWIXO page:\n%s", login.body)
	}
	order := login.orderPath(t)
	again := h.post(order+"/kwixo", "option=STANDARD&kwixo_email=buyer&kwixo_password=x")
	if !strings.Contains(again.body, `name="kwixo_password"`) || !strings.Contains(again.body, "Kwixo") {
		t.Fatalf("a bad login should show the page again:\n%s", again.body)
	}
	ticket := h.post(order+"/kwixo", "option=STANDARD&kwixo_email=buyer%40example.com&kwixo_password=secret")
	back := ticket.returnLink(t, m.URL+"/pending?")
	q := back[strings.IndexByte(back, '?')+1:]
	if err := paybox.VerifyReturn(h.pub, q, "Sign"); err != nil {
		t.Errorf("browser return %s: %v", q, err)
	}
	for _, want := range []string{"Erreur=99999", "Type=KWIXO", "Carte=STANDARD"} {
		if !strings.Contains(q, want) {
			t.Errorf("return %s lacks %s", q, want)
		}
	}
	if strings.Contains(q, "Auto=") {
		t.Errorf("a pending KWIXO payment has no authorization number: %s", q)
	}
	tr := h.transaction("kwixo 1")
	// Under review, the payment cannot be captured yet: KWIXO's 104,
	// retry later.
	if code := h.capture(tr, "1"); code != "00104" {
		t.Errorf("capture under review answered %s", code)
	}
	if tr.Method != "KWIXO" || tr.Review != "201" || tr.Status != guichet.StatusAuthorized || tr.Card.Masked != "" {
		t.Errorf("transaction %+v", tr)
	}

	// The first IPN says pending; the review then reaches SCORING_OK
	// after ten minutes on the shop's clock.
	h.advance(0)
	h.advance(9 * 60)
	if ipns := ipnValues(t, h, m); len(ipns) != 1 || ipns[0].Get("Erreur") != "99999" {
		t.Fatalf("IPNs before the scoring: %v", ipns)
	}
	h.advance(60)
	ipns := ipnValues(t, h, m)
	if len(ipns) != 2 {
		t.Fatalf("IPNs %v", ipns)
	}
	for i, want := range []string{"99999", "00301"} {
		v := ipns[i]
		if v.Get("Erreur") != want || v.Get("Type") != "KWIXO" || v.Get("Carte") != "STANDARD" || v.Get("Ref") != "kwixo 1" ||
			v.Get("Trans") != strconv.FormatInt(tr.First().Number, 10) || v.Get("Appel") != strconv.FormatInt(tr.Number, 10) {
			t.Errorf("IPN %d: %v, want E=%s", i, v, want)
		}
	}
	if tr := h.transaction("kwixo 1"); tr.Review != "301" || tr.Status != guichet.StatusAuthorized {
		t.Errorf("after the scoring: %+v", tr)
	}
	if code := h.capture(tr, "2"); code != "99999" {
		t.Errorf("capture after SCORING_OK answered %s", code)
	}
	var o *guichet.Order
	h.store.View(context.Background(), func(tx guichet.Tx) (err error) {
		o, err = tx.Order(tr.OrderID)
		return err
	})
	if o == nil || o.Status != guichet.OrderPaid {
		t.Errorf("order %+v", o)
	}
}

func TestKwixoRefusedFromChoicePage(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	// An amount ending in 66 is refused by the simulated scoring.
	choice := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(kwixoFields(m, "kwixo 66", [2]string{"PBX_TOTAL", "1266"})))
	if !strings.Contains(choice.body, `value="KWIXO:CREDIT"`) {
		t.Fatalf("a TEST shop's choice page offers KWIXO:\n%s", choice.body)
	}
	order := choice.orderPath(t)
	login := h.post(order+"/choose", "method=KWIXO%3A1XRNP")
	if !strings.Contains(login.body, `name="kwixo_email"`) {
		t.Fatalf("KWIXO page:\n%s", login.body)
	}
	ticket := h.post(order+"/kwixo", "option=1XRNP&kwixo_email=buyer%40example.com&kwixo_password=secret")
	if back := ticket.returnLink(t, m.URL+"/pending?"); !strings.Contains(back, "Erreur=99999") || !strings.Contains(back, "Carte=1XRNP") {
		t.Errorf("return %s", back)
	}
	h.advance(3600)
	ipns := ipnValues(t, h, m)
	if len(ipns) != 2 || ipns[0].Get("Erreur") != "99999" || ipns[1].Get("Erreur") != "00401" || ipns[1].Get("Carte") != "1XRNP" {
		t.Fatalf("IPNs %v", ipns)
	}
	if tr := h.transaction("kwixo 66"); tr.Review != "401" || tr.Status != guichet.StatusRefused {
		t.Errorf("after the refusal: %+v", tr)
	}
}

func TestKwixoCreditPath(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	form := signedForm(kwixoFields(m, "kwixo credit", [2]string{"PBX_TYPEPAIEMENT", "KWIXO"}, [2]string{"PBX_CODEFAMILLE", "CREDIT"}))
	order := h.post("/php/", form).orderPath(t)
	h.post(order+"/kwixo", "option=CREDIT&kwixo_email=buyer%40example.com&kwixo_password=secret")
	// One advance past every step replays them all, in order.
	h.advance(2 * 3600)
	got := ipnFields(t, h, m, 0, "Erreur", "Carte")
	if strings.Join(got, " ") != "99999/CREDIT 00500/CREDIT 00501/CREDIT" {
		t.Errorf("IPNs %v", got)
	}
}

func TestKwixoValidation(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	for _, c := range []struct {
		name   string
		fields [][2]string
		want   string
	}{
		{"no phone", kwixoFields(m, "v1", [2]string{"PBX_TYPEPAIEMENT", "KWIXO"}, [2]string{"PBX_TYPECARTE", "STANDARD"},
			[2]string{"PBX_BILLTO_MOBILE", ""}), "PBX_BILLTO_MOBILE : missing: rule C(3)"},
		{"bad postal code", kwixoFields(m, "v2", [2]string{"PBX_TYPEPAIEMENT", "KWIXO"}, [2]string{"PBX_TYPECARTE", "STANDARD"},
			[2]string{"PBX_BILLTO_POSTALCODE", "7500"}), "PBX_BILLTO_POSTALCODE : a postal code of 5 digits"},
		{"subscriber", kwixoFields(m, "v3", [2]string{"PBX_TYPEPAIEMENT", "KWIXO"}, [2]string{"PBX_TYPECARTE", "STANDARD"},
			[2]string{"PBX_REFABONNE", "abo-1"}), "PBX_REFABONNE : KWIXO cannot register a subscriber"},
	} {
		p := h.post("/php/", signedForm(c.fields))
		if !strings.Contains(p.body, c.want) || strings.Contains(p.body, "/paybox/order/") {
			t.Errorf("%s: page:\n%s", c.name, p.body)
		}
	}
	// Chosen on the choice page, a KWIXO option with incomplete data gets
	// the same error page.
	choice := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(kwixoFields(m, "v4", [2]string{"PBX_PRODUCT_DETAILS", "[]"})))
	p := h.post(choice.orderPath(t)+"/choose", "method=KWIXO%3ASTANDARD")
	if !strings.Contains(p.body, "PBX_PRODUCT_DETAILS : an empty product list") {
		t.Errorf("choice of KWIXO: page:\n%s", p.body)
	}
}
