package paybox_test

import (
	"testing"
)

// TestDirectPlus registers a subscriber, pays with its handle, captures,
// refunds, credits, replaces the card and deletes the subscriber.
func TestDirectPlus(t *testing.T) {
	g := newGateway(t)
	sub := fields{{"REFABONNE", "ABODOCUMENTATION001"}}
	reg := g.must("00000", join(g.base("00056"), money("1000"), fields{{"REFERENCE", "TestPaybox"}}, card("1111222233334444"), sub, fields{{"ACTIVITE", "027"}}))
	handle := reg.get("PORTEUR")
	if handle == "" || handle == "1111222233334444" || reg.get("REFABONNE") != "ABODOCUMENTATION001" {
		t.Fatalf("registration answer %s", reg.raw)
	}
	// The registration is an authorization that may be captured (00056 then 00002).
	g.must("00000", join(g.base("00002"), money("1000"), fields{{"REFERENCE", "TestPaybox"}, {"NUMAPPEL", reg.get("NUMAPPEL")}, {"NUMTRANS", reg.get("NUMTRANS")}}))
	// Registering the same reference again is refused.
	g.must("00016", join(g.base("00056"), money("1000"), card("1111222233334444"), sub))

	use := func(typ, amount string) answer {
		return g.must("00000", join(g.base(typ), money(amount), fields{{"REFERENCE", "sub-" + typ}}, sub, fields{{"PORTEUR", handle}, {"DATEVAL", "1230"}}))
	}
	a := use("00051", "2000")
	if a.get("PORTEUR") != handle || a.get("REFABONNE") != "ABODOCUMENTATION001" {
		t.Errorf("00051 answer %s", a.raw)
	}
	subRef := join(sub, fields{{"REFERENCE", "sub-00051"}, {"NUMAPPEL", a.get("NUMAPPEL")}, {"NUMTRANS", a.get("NUMTRANS")}})
	g.must("00000", join(g.base("00052"), money("1500"), subRef))
	b := use("00053", "3000")
	g.must("00000", join(g.base("00055"), money("3000"), sub, fields{{"REFERENCE", "sub-00053"}, {"NUMAPPEL", b.get("NUMAPPEL")}, {"NUMTRANS", b.get("NUMTRANS")}, {"PORTEUR", handle}, {"DATEVAL", "1230"}}))
	use("00054", "500")
	use("00061", "700")

	// Another subscriber cannot capture this one's transaction.
	g.must("00000", join(g.base("00056"), money("100"), card("4012001038443335"), fields{{"REFABONNE", "OTHER"}}))
	g.must("00015", join(g.base("00052"), money("100"), fields{{"REFABONNE", "OTHER"}, {"REFERENCE", "x"}, {"NUMAPPEL", a.get("NUMAPPEL")}, {"NUMTRANS", a.get("NUMTRANS")}}))
	// A wrong handle is refused.
	g.must("00004", join(g.base("00051"), money("100"), fields{{"REFERENCE", "x"}}, sub, fields{{"PORTEUR", "not-the-handle"}, {"DATEVAL", "1230"}}))

	upd := g.must("00000", join(g.base("00057"), money("100"), card("4012001038443335"), sub))
	if upd.get("PORTEUR") == handle || upd.get("PORTEUR") == "" {
		t.Errorf("00057 kept the old handle: %s", upd.raw)
	}
	g.must("00004", join(g.base("00051"), money("100"), fields{{"REFERENCE", "x"}}, sub, fields{{"PORTEUR", handle}, {"DATEVAL", "1230"}}))
	g.must("00000", join(g.base("00051"), money("100"), fields{{"REFERENCE", "x"}}, sub, fields{{"PORTEUR", upd.get("PORTEUR")}, {"DATEVAL", "1230"}}))
	g.must("00017", join(g.base("00057"), money("100"), card("4012001038443335"), fields{{"REFABONNE", "NEVER"}}))

	g.must("00000", join(g.base("00058"), sub))
	g.must("00017", join(g.base("00058"), sub))
	g.must("00017", join(g.base("00051"), money("100"), fields{{"REFERENCE", "x"}}, sub, fields{{"PORTEUR", upd.get("PORTEUR")}, {"DATEVAL", "1230"}}))
}

// TestDirectCredit pays money to a card with 00004.
func TestDirectCredit(t *testing.T) {
	g := newGateway(t)
	c := g.must("00000", join(g.base("00004"), money("1500"), fields{{"REFERENCE", "credit"}}, card("4012001037141112")))
	s := g.must("00000", join(g.base("00017"), fields{{"NUMTRANS", c.get("NUMTRANS")}}))
	if got := latin1ToUTF8(s.get("STATUS")); got != "Crédit" {
		t.Errorf("STATUS = %q", got)
	}
	g.must("00015", join(g.base("00014"), money("100"), fields{{"NUMAPPEL", c.get("NUMAPPEL")}, {"NUMTRANS", c.get("NUMTRANS")}}))
}
