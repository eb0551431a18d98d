package paybox_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"guichet"
	"guichet/internal/paybox"
)

// exchangeJSON is an exchange as the sandbox API lists it.
type exchangeJSON struct {
	Shop      string
	Protocol  string
	Operation string
	Code      string
	Request   string
	Response  string
}

// exchanges lists exchanges through the sandbox API, with the query given.
func (h *hosted) exchanges(query string) []exchangeJSON {
	h.t.Helper()
	req, _ := http.NewRequest("GET", h.url+"/_guichet/v1/exchanges?"+query, nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Exchanges []exchangeJSON }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		h.t.Fatalf("exchanges?%s: %d %v", query, resp.StatusCode, err)
	}
	return out.Exchanges
}

// stored is every exchange in the store, newest first.
func (h *hosted) stored() []guichet.Exchange {
	h.t.Helper()
	list, err := h.store.Exchanges(context.Background(), guichet.ExchangeFilter{Limit: 10000})
	if err != nil {
		h.t.Fatal(err)
	}
	return list
}

func TestSystemExchangesRecorded(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	form := signedForm(systemFields(m, "32", "cmd&1"))
	order := h.post("/cgi/MYchoix_pagepaiement.cgi", form).orderPath(t)
	h.post("/php/", strings.Replace(form, "PBX_TOTAL=1250", "PBX_TOTAL=1", 1))
	badCurrency := systemFields(m, "32", "bad currency")
	for i := range badCurrency {
		if badCurrency[i][0] == "PBX_DEVISE" {
			badCurrency[i][1] = "000"
		}
	}
	h.post("/php/", signedForm(badCurrency))
	h.post(order+"/card", "card_type=CB&number=4012+0010+3714+1112&expiry=12%2F30&cvv=8642&holder=Jean+Dupont")
	h.post("/cgi/MYchoix_pagepaiement.cgi", form)

	list := h.stored()
	if len(list) != 5 {
		t.Fatalf("%d exchanges, want 5: %+v", len(list), list)
	}
	// The order's exchanges, its card step included, are found by its
	// reference; the tampered form names it too, as sent.
	var ops []string
	for _, e := range h.exchanges("reference=" + url.QueryEscape("cmd&1")) {
		ops = append(ops, e.Operation)
	}
	if strings.Join(ops, " ") != "/cgi/MYchoix_pagepaiement.cgi card /php/ /cgi/MYchoix_pagepaiement.cgi" {
		t.Errorf("exchanges of cmd&1: %v", ops)
	}
	// Newest first: the replay, the card, the wrong currency, the
	// tampered form, the first form.
	orderID := strings.TrimPrefix(order, "/paybox/order/")
	want := []struct{ shop, operation, code, response string }{
		{"shop-32", "/cgi/MYchoix_pagepaiement.cgi", "already-processed", orderID},
		{"shop-32", "card", "00000", orderID},
		{"shop-32", "/php/", "invalid:PBX_DEVISE", ""},
		{"", "/php/", "access-refused", "Problème d'identification du commerce. Accès refusé !"},
		{"shop-32", "/cgi/MYchoix_pagepaiement.cgi", "accepted", orderID},
	}
	for i, w := range want {
		e := list[i]
		if e.Protocol != "paybox-system" || e.Operation != w.operation || e.Code != w.code {
			t.Errorf("exchange %d: %s %s %s, want %s %s", i, e.Protocol, e.Operation, e.Code, w.operation, w.code)
		}
		if w.response != "" && e.Response != w.response {
			t.Errorf("exchange %d: response %q, want %q", i, e.Response, w.response)
		}
		if strings.Contains(e.Response, "<") {
			t.Errorf("exchange %d keeps HTML: %q", i, e.Response)
		}
	}
	for i, e := range list {
		if e.ShopID != want[i].shop {
			t.Errorf("exchange %d: shop %q, want %q", i, e.ShopID, want[i].shop)
		}
	}
	// The merchant's form is kept decodable: the reference with its "&"
	// comes back whole.
	if f, err := paybox.ParseForm(list[4].Request); err != nil || f.Value("PBX_CMD") != "cmd&1" || f.Value("PBX_TOTAL") != "1250" {
		t.Errorf("recorded form %q: %v", list[4].Request, err)
	}
	f, _ := paybox.ParseForm(list[1].Request)
	if _, cvv := f.Get("cvv"); f.Value("number") != "401200XXXXXX1112" || f.Value("holder") != "Jean Dupont" || cvv {
		t.Errorf("recorded card form %q", list[1].Request)
	}
	for i, e := range list {
		for _, secret := range []string{"4012001037141112", "4012 0010 3714 1112", "4012+0010", "8642"} {
			if strings.Contains(e.Request, secret) || strings.Contains(e.Response, secret) {
				t.Errorf("exchange %d holds %q: %+v", i, secret, e)
			}
		}
	}
}

func TestExchangesByReference(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	// Two forms with the reference, and look-alikes that must not match.
	h.post("/php/", signedForm(systemFields(m, "32", "cmd&1")))
	h.post("/php/", signedForm(systemFields(m, "43", "cmd&1", [2]string{"PBX_TIME", "2026-11-23T11:00:01+01:00"})))
	for _, ref := range []string{"cmd", "cmd&10", "xcmd&1", "cmd%261"} {
		h.post("/php/", signedForm(systemFields(m, "32", ref)))
	}
	// A PPPS authorization with the same reference.
	ppps := url.Values{"VERSION": {"00104"}, "TYPE": {"00001"}, "SITE": {"1999888"}, "RANG": {"032"}, "CLE": {"1999888I"},
		"NUMQUESTION": {"1"}, "DATEQ": {"23112026"}, "MONTANT": {"1000"}, "DEVISE": {"978"}, "REFERENCE": {"cmd&1"},
		"PORTEUR": {"4012001037141112"}, "DATEVAL": {"1230"}, "CVV": {"123"}}
	h.post("/PPPS.php", ppps.Encode())
	// More traffic after them than the limit asked, so that filtering only
	// the newest exchanges would miss them.
	for range 5 {
		h.post("/php/", "PBX_SITE=1&PBX_HMAC=00")
	}

	list := h.exchanges("reference=" + url.QueryEscape("cmd&1") + "&limit=3")
	if len(list) != 3 {
		t.Fatalf("reference=cmd&1: %d exchanges: %+v", len(list), list)
	}
	if list[0].Protocol != "ppps" || list[1].Shop != "shop-43" || list[2].Shop != "shop-32" {
		t.Errorf("reference=cmd&1: %+v", list)
	}
	if list := h.exchanges("reference=" + url.QueryEscape("cmd&1") + "&limit=2"); len(list) != 2 || list[0].Protocol != "ppps" {
		t.Errorf("limit=2: %+v", list)
	}
	if list := h.exchanges("reference=" + url.QueryEscape("cmd&1") + "&shop=shop-43"); len(list) != 1 || list[0].Shop != "shop-43" {
		t.Errorf("with shop=shop-43: %+v", list)
	}
	if list := h.exchanges("reference=nothing"); len(list) != 0 {
		t.Errorf("reference=nothing: %+v", list)
	}
	if list := h.exchanges("limit=1000"); len(list) != 12 {
		t.Errorf("unfiltered: %d exchanges, want 12", len(list))
	}
}

// TestReferenceFilters checks the reference filter of the transaction and
// notification lists, which the store applies.
func TestReferenceFilters(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	for _, ref := range []string{"ref-a", "ref-a2"} {
		order := h.post("/php/", signedForm(systemFields(m, "32", ref))).orderPath(t)
		h.post(order+"/card", "card_type=CB&number=4012001037141112&expiry=1230&cvv=123")
	}
	h.advance(0)
	for _, path := range []string{"transactions", "notifications"} {
		req, _ := http.NewRequest("GET", h.url+"/_guichet/v1/"+path+"?reference=ref-a", nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var out map[string][]struct{ Reference string }
		json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if len(out[path]) != 1 || out[path][0].Reference != "ref-a" {
			t.Errorf("%s?reference=ref-a: %+v", path, out)
		}
	}
}

// TestSystemConcurrentPayment pays each order from two tabs at once: one
// gets the ticket, the other the page of an order already processed, and
// the order has one transaction.
func TestSystemConcurrentPayment(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	for i := range 5 {
		ref := "twice-" + string(rune('a'+i))
		order := h.post("/php/", signedForm(systemFields(m, "32", ref))).orderPath(t)
		var wg sync.WaitGroup
		pages := make([]page, 2)
		start := make(chan struct{})
		for tab := range pages {
			wg.Go(func() {
				<-start
				pages[tab] = h.post(order+"/card", "card_type=CB&number=4012001037141112&expiry=1230&cvv=123")
			})
		}
		close(start)
		wg.Wait()
		var tickets, processed int
		for _, p := range pages {
			switch {
			case strings.Contains(p.body, "Paiement accepté"):
				tickets++
			case strings.Contains(p.body, "déjà traité"):
				processed++
			default:
				t.Errorf("%s: page:\n%s", ref, p.body)
			}
		}
		if tickets != 1 || processed != 1 {
			t.Errorf("%s: %d tickets and %d already processed, want 1 and 1", ref, tickets, processed)
		}
		var n int
		h.store.View(context.Background(), func(tx guichet.Tx) error {
			list, err := tx.Transactions(guichet.TransactionFilter{ShopID: "shop-32", Reference: ref})
			n = len(list)
			return err
		})
		if n != 1 {
			t.Errorf("%s: %d transactions, want 1", ref, n)
		}
	}
}
