package paybox_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guichet"
	"guichet/internal/paybox"
)

// subscriptionRetour asks for the subscription number B, as the official
// modules do.
const subscriptionRetour = "Mt:M;Ref:R;Abo:B;Auto:A;Appel:T;Trans:S;Erreur:E;Sign:K"

// subscriptionFields is a card payment of 12.50 with the subscription
// sub-variables of cmd appended to its PBX_CMD.
func subscriptionFields(m *merchant, cmd string) [][2]string {
	f := systemFields(m, "32", cmd)
	for i := range f {
		if f[i][0] == "PBX_RETOUR" {
			f[i][1] = subscriptionRetour
		}
	}
	return f
}

// The manual's example: 5.00 every month on the 28th, the first renewal
// five days after the first payment, until cancelled.
const manualCmd = "ma_ref123PBX_2MONT0000000500PBX_NBPAIE00PBX_FREQ01PBX_QUAND28PBX_DELAIS005"

// Seconds from the harness clock (2026-11-23 10:00 UTC) to 00:00 Paris
// time on the renewals of manualCmd: 28/11/2026, 28/12/2026, 28/01/2027.
const (
	toRenewal1 = (4*24 + 13) * 3600
	toRenewal2 = toRenewal1 + 30*24*3600
	toRenewal3 = toRenewal2 + 31*24*3600
)

var subscriptionRE = regexp.MustCompile(`^[0-9]{9}$`)

// subscribe pays the form with a card valid until expiry (MM/YY) and
// returns the subscription number of the browser return.
func (h *hosted) subscribe(m *merchant, cmd, expiry string) string {
	h.t.Helper()
	order := h.post("/php/", signedForm(subscriptionFields(m, cmd))).orderPath(h.t)
	ticket := h.post(order+"/card", "card_type=CB&number=1111+2222+3333+4444&expiry="+url.QueryEscape(expiry)+"&cvv=123")
	back := ticket.returnLink(h.t, m.URL+"/ok?lang=fr&")
	q, _ := url.ParseQuery(back[strings.IndexByte(back, '?')+1:])
	if q.Get("Ref") != cmd || q.Get("Erreur") != "00000" || q.Get("Mt") != "1250" {
		h.t.Errorf("browser return %s", back)
	}
	b := q.Get("Abo")
	if !subscriptionRE.MatchString(b) || b == "000000000" {
		h.t.Fatalf("subscription number %q in %s", b, back)
	}
	return b
}

// resAbon calls ResAbon.cgi by POST, or by GET when get is set, with the
// fields in order, signed with the shop's HMAC key when sign is set.
func (h *hosted) resAbon(get, sign bool, fields ...[2]string) string {
	h.t.Helper()
	f := append([][2]string{{"VERSION", "001"}, {"TYPE", "001"}, {"SITE", "1999888"}, {"MACH", "032"},
		{"IDENTIFIANT", "107904482"}}, fields...)
	var signed, sent []string
	for _, p := range f {
		signed = append(signed, p[0]+"="+p[1])
		sent = append(sent, p[0]+"="+url.QueryEscape(p[1]))
	}
	body := strings.Join(sent, "&")
	if sign {
		sig, _ := paybox.Sign(hmacKey, "SHA512", strings.Join(signed, "&"))
		body += "&HMAC=" + sig
	}
	if !get {
		return h.post("/cgi-bin/ResAbon.cgi", body).body
	}
	resp, err := h.client.Get(h.url + "/cgi-bin/ResAbon.cgi?" + body)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 512)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	if resp.StatusCode != 200 {
		h.t.Errorf("ResAbon: HTTP %d", resp.StatusCode)
	}
	return b.String()
}

// outcomes lists the IPNs as amount/code, "R" marking renewals.
func outcomes(t *testing.T, h *hosted, m *merchant) []string {
	t.Helper()
	var got []string
	ipns, _ := m.received()
	values := ipnValues(t, h, m)
	for i, v := range values {
		s := v.Get("Mt") + "/" + v.Get("Erreur")
		if strings.HasPrefix(ipns[i].URL.RawQuery, "ETAT_PBX=PBX_RECONDUCTION_ABT&") {
			s = "R" + s
		}
		got = append(got, s)
	}
	return got
}

func TestSystemSubscription(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	b := h.subscribe(m, manualCmd, "12/30")

	h.advance(toRenewal1 - 60)
	if got := strings.Join(outcomes(t, h, m), " "); got != "1250/00000" {
		t.Fatalf("IPNs before the first renewal: %s", got)
	}
	h.advance(60)
	h.advance(toRenewal2 - toRenewal1)
	if got := strings.Join(outcomes(t, h, m), " "); got != "1250/00000 R500/00000 R500/00000" {
		t.Fatalf("IPNs after two renewals: %s", got)
	}
	ipns, _ := m.received()
	values := ipnValues(t, h, m)
	seen := map[string]bool{}
	for i, v := range values {
		if v.Get("Abo") != b || v.Get("Ref") != manualCmd {
			t.Errorf("IPN %d: B %q R %q, want %s %s", i, v.Get("Abo"), v.Get("Ref"), b, manualCmd)
		}
		if i > 0 && (v.Get("ETAT_PBX") != "PBX_RECONDUCTION_ABT" || v.Get("Auto") != "XXXXXX") {
			t.Errorf("renewal IPN %s", ipns[i].URL.RawQuery)
		}
		if seen[v.Get("Appel")] {
			t.Errorf("IPN %d repeats T %s", i, v.Get("Appel"))
		}
		seen[v.Get("Appel")] = true
	}
	// Each renewal is a captured payment of its own.
	if got := h.inquire(values[2].Get("Appel"), values[2].Get("Trans"), "1"); got != "Capturé" {
		t.Errorf("second renewal: STATUS %q", got)
	}

	// Cancelled by its number, the subscription renews no more.
	if got := h.resAbon(false, false, [2]string{"ABONNEMENT", b}); got != "ACQ=OK&IDENTIFIANT=107904482&ABONNEMENT="+b {
		t.Errorf("cancellation: %s", got)
	}
	h.advance(toRenewal3 - toRenewal2 + 90*24*3600)
	if n := len(outcomes(t, h, m)); n != 3 {
		t.Errorf("%d IPNs after the cancellation, want 3", n)
	}
	if got := h.resAbon(true, false, [2]string{"ABONNEMENT", b}); got != "ACQ=NO&ERREUR=9&IDENTIFIANT=107904482&ABONNEMENT="+b {
		t.Errorf("second cancellation: %s", got)
	}
}

// PBX_NBPAIE bounds the renewals; PBX_2MONT 0 renews PBX_TOTAL, and
// PBX_QUAND 00 keeps the first payment's day.
func TestSystemSubscriptionCount(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	b := h.subscribe(m, "two morePBX_2MONT0000000000PBX_NBPAIE02PBX_FREQ01PBX_QUAND00PBX_DELAIS000", "12/30")
	// 23/12/2026 00:00 Paris is 29 days and 13 hours away.
	h.advance((29*24+13)*3600 - 1)
	if got := strings.Join(outcomes(t, h, m), " "); got != "1250/00000" {
		t.Fatalf("IPNs before the first renewal: %s", got)
	}
	h.advance(1)
	h.advance(365 * 24 * 3600)
	if got := strings.Join(outcomes(t, h, m), " "); got != "1250/00000 R1250/00000 R1250/00000" {
		t.Errorf("IPNs: %s", got)
	}
	// An ended subscription cannot be cancelled.
	if got := h.resAbon(false, false, [2]string{"ABONNEMENT", b}); !strings.HasPrefix(got, "ACQ=NO&ERREUR=9&") {
		t.Errorf("cancellation of an ended subscription: %s", got)
	}
}

// A refused renewal ends the subscription: the card expired at the end of
// December 2026, so January's renewal is refused and nothing follows.
func TestSystemSubscriptionRefused(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	b := h.subscribe(m, manualCmd, "12/26")
	h.advance(toRenewal1)
	h.advance(toRenewal2 - toRenewal1)
	h.advance(toRenewal3 - toRenewal2)
	h.advance(120 * 24 * 3600)
	if got := strings.Join(outcomes(t, h, m), " "); got != "1250/00000 R500/00000 R500/00000 R500/00154" {
		t.Errorf("IPNs: %s", got)
	}
	values := ipnValues(t, h, m)
	if v := values[len(values)-1]; v.Get("Abo") != b || v.Has("Auto") {
		t.Errorf("refused renewal IPN: %v", v)
	}
	if got := h.resAbon(false, false, [2]string{"ABONNEMENT", b}); !strings.HasPrefix(got, "ACQ=NO&ERREUR=9&") {
		t.Errorf("cancellation after a refusal: %s", got)
	}
}

// A cancellation may name the subscription by its reference, alone or as
// PBX_CMD was sent, and may be signed.
func TestSystemSubscriptionCancelByReference(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	b := h.subscribe(m, manualCmd, "12/30")
	const other = "autre refPBX_2MONT0000000500PBX_NBPAIE00PBX_FREQ01PBX_QUAND28PBX_DELAIS005"
	b2 := h.subscribe(m, other, "12/30")

	if got := h.resAbon(false, true, [2]string{"REFERENCE", "ma_ref123"}, [2]string{"TIME", "2026-11-23T11:00:00+01:00"}); got != "ACQ=OK&IDENTIFIANT=107904482&ABONNEMENT="+b {
		t.Errorf("cancellation by reference: %s", got)
	}
	if got := h.resAbon(true, false, [2]string{"REFERENCE", other}); got != "ACQ=OK&IDENTIFIANT=107904482&ABONNEMENT="+b2 {
		t.Errorf("cancellation by PBX_CMD: %s", got)
	}
	if got := h.resAbon(false, false, [2]string{"REFERENCE", "ma_ref123"}); got != "ACQ=NO&ERREUR=9&IDENTIFIANT=107904482&REFERENCE=ma_ref123" {
		t.Errorf("second cancellation: %s", got)
	}
	h.advance(toRenewal3)
	if got := strings.Join(outcomes(t, h, m), " "); got != "1250/00000 1250/00000" {
		t.Errorf("IPNs: %s", got)
	}

	// Once cancelled, the reference may start a new subscription.
	f := subscriptionFields(m, manualCmd)
	f = append(f, [2]string{"PBX_ARCHIVAGE", "again"})
	order2 := h.post("/php/", signedForm(f)).orderPath(t)
	ticket := h.post(order2+"/card", "card_type=CB&number=1111+2222+3333+4444&expiry=12%2F30&cvv=123")
	if !strings.Contains(ticket.body, "Abo=") || strings.Contains(ticket.body, "Abo="+b) {
		t.Errorf("new subscription under a cancelled reference:\n%s", ticket.body)
	}
}

// Two running subscriptions may not share a reference: a cancellation by
// reference could not tell them apart. The second is refused as a
// subscriber that exists already.
func TestSystemSubscriptionDuplicate(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	h.subscribe(m, manualCmd, "12/30")
	f := append(subscriptionFields(m, manualCmd), [2]string{"PBX_ARCHIVAGE", "second"})
	order := h.post("/php/", signedForm(f)).orderPath(t)
	ticket := h.post(order+"/card", "card_type=CB&number=1111+2222+3333+4444&expiry=12%2F30&cvv=123")
	if !strings.Contains(ticket.body, "00016") {
		t.Errorf("second subscription:\n%s", ticket.body)
	}
	h.advance(toRenewal1)
	if got := strings.Join(outcomes(t, h, m), " "); got != "1250/00000 R500/00000" {
		t.Errorf("IPNs: %s", got)
	}
}

func TestResAbonErrors(t *testing.T) {
	h := newHosted(t)
	m := newMerchant(t)
	b := h.subscribe(m, manualCmd, "12/30")
	for _, c := range []struct {
		name   string
		fields [][2]string
		sign   bool
		want   string
	}{
		{"neither number nor reference", nil, false, "ACQ=NO&ERREUR=2&"},
		{"number not a number", [][2]string{{"ABONNEMENT", "12a"}}, false, "ACQ=NO&ERREUR=2&"},
		{"HMAC without TIME", [][2]string{{"ABONNEMENT", b}}, true, "ACQ=NO&ERREUR=2&"},
		{"unknown number", [][2]string{{"ABONNEMENT", "999999999"}}, false, "ACQ=NO&ERREUR=9&IDENTIFIANT=107904482&ABONNEMENT=999999999"},
		{"unknown reference", [][2]string{{"REFERENCE", "a&b"}}, false, "ACQ=NO&ERREUR=9&IDENTIFIANT=107904482&REFERENCE=a%26b"},
	} {
		if got := h.resAbon(false, c.sign, c.fields...); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: %s, want %s…", c.name, got, c.want)
		}
	}
	version := "VERSION=002&TYPE=001&SITE=1999888&MACH=032&IDENTIFIANT=107904482&ABONNEMENT=" + b
	if got := h.post("/cgi-bin/ResAbon.cgi", version).body; got != "ACQ=NO&ERREUR=2&IDENTIFIANT=107904482&ABONNEMENT="+b {
		t.Errorf("version 002: %s", got)
	}
	// The site is checked before anything else, and a wrong HMAC is
	// refused as a configuration error.
	unknown := "VERSION=001&TYPE=001&SITE=1234567&MACH=032&IDENTIFIANT=1&ABONNEMENT=" + b
	if got := h.post("/cgi-bin/ResAbon.cgi", unknown).body; got != "ACQ=NO&ERREUR=4&IDENTIFIANT=1&ABONNEMENT="+b {
		t.Errorf("unknown site: %s", got)
	}
	wrong := "VERSION=001&TYPE=001&SITE=1999888&MACH=032&IDENTIFIANT=107904482&ABONNEMENT=" + b +
		"&TIME=2026-11-23T11:00:00%2B01:00&HMAC=" + strings.Repeat("AB", 64)
	if got := h.post("/cgi-bin/ResAbon.cgi", wrong).body; got != "ACQ=NO&ERREUR=1&IDENTIFIANT=107904482&ABONNEMENT="+b {
		t.Errorf("wrong HMAC: %s", got)
	}
	// None of these cancelled anything.
	h.advance(toRenewal1)
	if got := strings.Join(outcomes(t, h, m), " "); got != "1250/00000 R500/00000" {
		t.Errorf("IPNs: %s", got)
	}
	// Every exchange was recorded.
	list, err := h.store.Exchanges(context.Background(), guichet.ExchangeFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range list {
		if e.Protocol == "paybox-resabon" {
			n++
		}
	}
	if n != 8 {
		t.Errorf("%d exchanges recorded, want 8", n)
	}
	// With the database gone, the answer is a technical error, not a 500.
	h.store.Close()
	if got := h.resAbon(false, false, [2]string{"ABONNEMENT", b}); got != "ACQ=NO&ERREUR=3&IDENTIFIANT=107904482&ABONNEMENT="+b {
		t.Errorf("database closed: %s", got)
	}
}
