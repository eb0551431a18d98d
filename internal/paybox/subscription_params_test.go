package paybox

import (
	"reflect"
	"testing"
)

func TestParseSubscription(t *testing.T) {
	const manual = "ma_ref123PBX_2MONT0000000500PBX_NBPAIE00PBX_FREQ01PBX_QUAND28PBX_DELAIS005"
	for _, c := range []struct {
		name, cmd string
		want      *Subscription
		param     string // the parameter of the error, "" when accepted
	}{
		{"manual example", manual,
			&Subscription{Reference: "ma_ref123", Amount: 500, Count: 0, Months: 1, Day: 28, Delay: 5}, ""},
		{"no sub-variables", "order 12", nil, ""},
		{"other order", "refPBX_FREQ03PBX_DELAIS010PBX_QUAND00PBX_NBPAIE12PBX_2MONT0000001999",
			&Subscription{Reference: "ref", Amount: 1999, Count: 12, Months: 3, Delay: 10}, ""},
		{"reference with PBX_", "PBX_shop 1PBX_2MONT0000000000PBX_NBPAIE02PBX_FREQ12PBX_QUAND31PBX_DELAIS000",
			&Subscription{Reference: "PBX_shop 1", Count: 2, Months: 12, Day: 31}, ""},
		{"amount short", "refPBX_2MONT000000050PBX_NBPAIE00PBX_FREQ01PBX_QUAND28PBX_DELAIS005", nil, "PBX_2MONT"},
		{"amount long", "refPBX_2MONT00000005000PBX_NBPAIE00PBX_FREQ01PBX_QUAND28PBX_DELAIS005", nil, "PBX_CMD"},
		{"count letters", "refPBX_2MONT0000000500PBX_NBPAIEaaPBX_FREQ01PBX_QUAND28PBX_DELAIS005", nil, "PBX_NBPAIE"},
		{"delay short at the end", "refPBX_2MONT0000000500PBX_NBPAIE00PBX_FREQ01PBX_QUAND28PBX_DELAIS05", nil, "PBX_DELAIS"},
		{"frequency zero", "refPBX_2MONT0000000500PBX_NBPAIE00PBX_FREQ00PBX_QUAND28PBX_DELAIS005", nil, "PBX_FREQ"},
		{"day 32", "refPBX_2MONT0000000500PBX_NBPAIE00PBX_FREQ01PBX_QUAND32PBX_DELAIS005", nil, "PBX_QUAND"},
		{"day missing", "refPBX_2MONT0000000500PBX_NBPAIE00PBX_FREQ01PBX_DELAIS005", nil, "PBX_QUAND"},
		{"twice", "refPBX_2MONT0000000500PBX_NBPAIE00PBX_FREQ01PBX_QUAND28PBX_DELAIS005PBX_FREQ02", nil, "PBX_FREQ"},
		{"no reference", "PBX_2MONT0000000500PBX_NBPAIE00PBX_FREQ01PBX_QUAND28PBX_DELAIS005", nil, "PBX_CMD"},
		{"separator", "refPBX_2MONT0000000500;PBX_NBPAIE00PBX_FREQ01PBX_QUAND28PBX_DELAIS005", nil, "PBX_CMD"},
	} {
		got, pe := parseSubscription(c.cmd)
		switch {
		case c.param != "" && (pe == nil || pe.Param != c.param):
			t.Errorf("%s: error %v, want one on %s", c.name, pe, c.param)
		case c.param == "" && pe != nil:
			t.Errorf("%s: %v", c.name, pe)
		case c.param == "" && !reflect.DeepEqual(got, c.want):
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}

// The form keeps PBX_CMD whole as the reference (it comes back in R), and
// refuses the subscriptions the rest of the form cannot carry.
func TestParseSystemSubscription(t *testing.T) {
	cmd := "abo7PBX_2MONT0000000000PBX_NBPAIE03PBX_FREQ01PBX_QUAND00PBX_DELAIS000"
	base := edit(rawForm(systemEopayment), "PBX_CMD", ptr(cmd))
	r, err := ParseSystem(base)
	if err != nil {
		t.Fatal(err)
	}
	if r.Reference != cmd || r.Subscription == nil || r.Subscription.Reference != "abo7" || r.Subscription.Count != 3 {
		t.Errorf("reference %q, subscription %+v", r.Reference, r.Subscription)
	}
	for _, c := range []struct {
		name  string
		form  Form
		param string
	}{
		{"KWIXO", edit(edit(base, "PBX_TYPEPAIEMENT", ptr("KWIXO")), "PBX_TYPECARTE", ptr("STANDARD")), "PBX_TYPEPAIEMENT"},
		{"instalments", edit(edit(base, "PBX_2MONT1", ptr("100")), "PBX_DATE1", ptr("31/12/2030")), "PBX_2MONT1"},
		{"nothing to renew", edit(base, "PBX_TOTAL", ptr("000")), "PBX_2MONT"},
		{"bad width", edit(base, "PBX_CMD", ptr("abo7PBX_2MONT0PBX_NBPAIE03PBX_FREQ01PBX_QUAND00PBX_DELAIS000")), "PBX_2MONT"},
	} {
		_, err := ParseSystem(c.form)
		if pe, ok := err.(*ParamError); !ok || pe.Param != c.param {
			t.Errorf("%s: error %v, want one on %s", c.name, err, c.param)
		}
	}
}
