package paybox_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// instalmentFields is a payment in three times: 12.50 now, 10.00 on
// 23/12/2026 and 7.50 on 22/01/2027 (the harness clock reads 2026-11-23).
func instalmentFields(m *merchant, ref string, extra ...[2]string) [][2]string {
	return systemFields(m, "32", ref, append([][2]string{
		{"PBX_2MONT1", "1000"}, {"PBX_DATE1", "23/12/2026"},
		{"PBX_2MONT2", "750"}, {"PBX_DATE2", "22/01/2027"},
	}, extra...)...)
}

// inquire asks PPPS 00017 about a transaction and returns its STATUS.
func (h *hosted) inquire(numappel, numtrans, question string) string {
	h.t.Helper()
	body := url.Values{"VERSION": {"00104"}, "TYPE": {"00017"}, "SITE": {"1999888"}, "RANG": {"032"}, "CLE": {"1999888I"},
		"NUMQUESTION": {question}, "DATEQ": {"23112026"}, "NUMAPPEL": {numappel}, "NUMTRANS": {numtrans}}
	p := h.post("/PPPS.php", body.Encode())
	a, err := url.ParseQuery(p.body)
	if err != nil || a.Get("CODEREPONSE") != "00000" {
		h.t.Errorf("inquiry %s/%s: %s", numappel, numtrans, p.body)
	}
	return latin1ToUTF8(a.Get("STATUS"))
}

// Seconds from the harness clock (2026-11-23 10:00 UTC) to 00:00 Paris
// time on the instalment dates.
const (
	toFirstDate  = (29*24 + 13) * 3600 // 2026-12-22 23:00 UTC
	toSecondDate = toFirstDate + 30*24*3600
)

func TestSystemInstalments(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	choice := h.post("/cgi/MYchoix_pagepaiement.cgi", signedForm(instalmentFields(m, "in 3 times")))
	order := choice.orderPath(t)
	ticket := h.post(order+"/card", "card_type=CB&number=1111+2222+3333+4444&expiry=12%2F30&cvv=123")
	back := ticket.returnLink(t, m.URL+"/ok?lang=fr&")
	if !strings.Contains(back, "Mt=1250") || !strings.Contains(back, "Erreur=00000") {
		t.Errorf("browser return %s", back)
	}

	h.advance(0)
	if ipns := ipnValues(t, h, m); len(ipns) != 1 || ipns[0].Get("Mt") != "1250" || ipns[0].Get("Erreur") != "00000" {
		t.Fatalf("IPNs of the first payment: %v", ipns)
	}
	h.advance(toFirstDate - 60)
	if ipns := ipnValues(t, h, m); len(ipns) != 1 {
		t.Fatalf("IPNs before the first date: %v", ipns)
	}
	h.advance(60)
	if ipns := ipnValues(t, h, m); len(ipns) != 2 {
		t.Fatalf("IPNs on the first date: %v", ipns)
	}
	h.advance(toSecondDate - toFirstDate)
	ipns := ipnValues(t, h, m)
	if len(ipns) != 3 {
		t.Fatalf("IPNs on the second date: %v", ipns)
	}
	seen := map[string]bool{}
	for i, want := range []string{"1250", "1000", "750"} {
		v := ipns[i]
		if v.Get("Mt") != want || v.Get("Erreur") != "00000" || v.Get("Ref") != "in 3 times" || v.Get("Auto") != "XXXXXX" {
			t.Errorf("IPN %d: %v, want M=%s", i, v, want)
		}
		key := v.Get("Appel") + "/" + v.Get("Trans")
		if seen[key] {
			t.Errorf("IPN %d repeats T/S %s", i, key)
		}
		seen[key] = true
		if got := h.inquire(v.Get("Appel"), v.Get("Trans"), strconv.Itoa(i+1)); got != "Capturé" {
			t.Errorf("payment %d: STATUS %q", i+1, got)
		}
	}
	// Nothing is left to run.
	h.advance(90 * 24 * 3600)
	if n := len(ipnValues(t, h, m)); n != 3 {
		t.Errorf("%d IPNs in the end, want 3", n)
	}
}

// An instalment on a card that expired since the first payment is
// refused, and announced as such.
func TestSystemInstalmentRefused(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	order := h.post("/php/", signedForm(instalmentFields(m, "expiring"))).orderPath(t)
	h.post(order+"/card", "card_type=CB&number=1111+2222+3333+4444&expiry=12%2F26&cvv=123")
	// Each instalment is charged when the clock reaches it.
	h.advance(toFirstDate)
	h.advance(toSecondDate - toFirstDate)
	got := ipnFields(t, h, m, 0, "Mt", "Erreur")
	if strings.Join(got, " ") != "1250/00000 1000/00000 750/00154" {
		t.Errorf("IPNs %v", got)
	}
}

// A refused first payment schedules nothing.
func TestSystemInstalmentsFirstRefused(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	order := h.post("/php/", signedForm(instalmentFields(m, "refused", [2]string{"PBX_ERRORCODETEST", "00105"}))).orderPath(t)
	h.post(order+"/card", "card_type=CB&number=1111+2222+3333+4444&expiry=12%2F30&cvv=123")
	h.advance(toSecondDate)
	ipns := ipnValues(t, h, m)
	if len(ipns) != 1 || ipns[0].Get("Erreur") != "00105" {
		t.Errorf("IPNs %v", ipns)
	}
}

func TestSystemInstalmentLimits(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	for _, c := range []struct {
		name  string
		extra [][2]string
		want  string
	}{
		{"over 90 days", [][2]string{{"PBX_2MONT3", "500"}, {"PBX_DATE3", "23/02/2027"}}, "PBX_DATE3 : at most 90 days"},
		{"decreasing", [][2]string{{"PBX_2MONT3", "500"}, {"PBX_DATE3", "20/01/2027"}}, "PBX_DATE3 : the dates must be in increasing order"},
	} {
		p := h.post("/php/", signedForm(instalmentFields(m, c.name, c.extra...)))
		if !strings.Contains(p.body, c.want) || strings.Contains(p.body, "/paybox/order/") {
			t.Errorf("%s: page:\n%s", c.name, p.body)
		}
	}
	past := systemFields(m, "32", "past", [2]string{"PBX_2MONT1", "1000"}, [2]string{"PBX_DATE1", "23/11/2026"})
	if p := h.post("/php/", signedForm(past)); !strings.Contains(p.body, "PBX_DATE1 : the date must be in the future") {
		t.Errorf("past date: page:\n%s", p.body)
	}
}
