package paybox_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"guichet"
	"guichet/internal/paybox"
)

// TestDirectErrors covers the CODEREPONSE table: every bad request gets its
// documented code in a complete answer, and leaves the store as it was.
func TestDirectErrors(t *testing.T) {
	g := newGateway(t)
	// Transactions the bad requests refer to.
	auth := g.must("00000", join(g.base("00001"), money("1000"), fields{{"REFERENCE", "order-1"}}, card("1111222233334444")))
	ref := fields{{"REFERENCE", "order-1"}, {"NUMAPPEL", auth.get("NUMAPPEL")}, {"NUMTRANS", auth.get("NUMTRANS")}}
	cancelled := g.must("00000", join(g.base("00001"), money("1000"), fields{{"REFERENCE", "order-2"}}, card("1111222233334444")))
	cref := fields{{"REFERENCE", "order-2"}, {"NUMAPPEL", cancelled.get("NUMAPPEL")}, {"NUMTRANS", cancelled.get("NUMTRANS")}}
	g.must("00000", join(g.base("00005"), money("1000"), cref))
	used := g.base("00001")
	g.must("00000", join(used, money("1000"), fields{{"REFERENCE", "order-3"}}, card("1111222233334444")))
	// A transaction of another shop (rang 63).
	other := g.base("00001")
	other[3][1] = "63"
	o := g.must("00000", join(other, money("1000"), fields{{"REFERENCE", "other"}}, card("1111222233334444")))
	oref := fields{{"REFERENCE", "other"}, {"NUMAPPEL", o.get("NUMAPPEL")}, {"NUMTRANS", o.get("NUMTRANS")}}

	with := func(f fields, name, value string) fields {
		out := append(fields(nil), f...)
		for i := range out {
			if out[i][0] == name {
				out[i][1] = value
				return out
			}
		}
		return append(out, [2]string{name, value})
	}
	without := func(f fields, name string) fields {
		var out fields
		for _, p := range f {
			if p[0] != name {
				out = append(out, p)
			}
		}
		return out
	}
	authReq := func() fields {
		return join(g.base("00003"), money("1000"), fields{{"REFERENCE", "bad"}}, card("1111222233334444"))
	}
	tests := []struct {
		name string
		req  func() fields
		raw  string // sent instead of req when set
		code string
	}{
		{"unknown version", func() fields { return with(authReq(), "VERSION", "00102") }, "", "00013"},
		{"missing version", func() fields { return without(authReq(), "VERSION") }, "", "00013"},
		{"unknown site", func() fields { return with(authReq(), "SITE", "1234560") }, "", "00006"},
		{"unknown rang", func() fields { return with(authReq(), "RANG", "99") }, "", "00006"},
		{"malformed site", func() fields { return with(authReq(), "SITE", "19998") }, "", "00006"},
		{"wrong key", func() fields { return with(authReq(), "CLE", "1999888J") }, "", "00006"},
		{"no key", func() fields { return without(authReq(), "CLE") }, "", "00006"},
		{"wrong hmac", func() fields {
			return append(without(authReq(), "CLE"), [2]string{"HASH", "SHA512"}, [2]string{"HMAC", strings.Repeat("AB", 64)})
		}, "", "00006"},
		{"unknown type", func() fields { return with(authReq(), "TYPE", "00099") }, "", "00009"},
		{"direct plus on 00103", func() fields {
			return with(join(g.base("00056"), money("1000"), fields{{"REFABONNE", "x"}}, card("1111222233334444")), "VERSION", "00103")
		}, "", "00009"},
		{"question not a number", func() fields { return with(authReq(), "NUMQUESTION", "12a") }, "", "00005"},
		{"question zero", func() fields { return with(authReq(), "NUMQUESTION", "0") }, "", "00005"},
		{"question too large", func() fields { return with(authReq(), "NUMQUESTION", "2147483648") }, "", "00005"},
		{"question reused", func() fields {
			return join(used, money("1000"), fields{{"REFERENCE", "again"}}, card("1111222233334444"))
		}, "", "00005"},
		{"bad date", func() fields { return with(authReq(), "DATEQ", "32132026") }, "", "00007"},
		{"missing date", func() fields { return without(authReq(), "DATEQ") }, "", "00007"},
		{"bad activity", func() fields { return with(authReq(), "ACTIVITE", "099") }, "", "00026"},
		{"amount with decimals", func() fields { return with(authReq(), "MONTANT", "10.00") }, "", "00011"},
		{"amount zero", func() fields { return with(authReq(), "MONTANT", "0000000000") }, "", "00011"},
		{"amount too long", func() fields { return with(authReq(), "MONTANT", "12345678901") }, "", "00011"},
		{"missing amount", func() fields { return without(authReq(), "MONTANT") }, "", "00011"},
		{"unknown currency", func() fields { return with(authReq(), "DEVISE", "999") }, "", "00010"},
		{"alphabetic currency", func() fields { return with(authReq(), "DEVISE", "EUR") }, "", "00010"},
		{"missing reference", func() fields { return without(authReq(), "REFERENCE") }, "", "00012"},
		{"reference too long", func() fields { return with(authReq(), "REFERENCE", strings.Repeat("r", 251)) }, "", "00012"},
		{"luhn-invalid card", func() fields { return with(authReq(), "PORTEUR", "1111222233335555") }, "", "00004"},
		{"card with letters", func() fields { return with(authReq(), "PORTEUR", "4012a01037141112") }, "", "00004"},
		{"missing card", func() fields { return without(authReq(), "PORTEUR") }, "", "00004"},
		{"past expiry", func() fields { return with(authReq(), "DATEVAL", "0101") }, "", "00008"},
		{"month 13", func() fields { return with(authReq(), "DATEVAL", "1330") }, "", "00008"},
		{"missing expiry", func() fields { return without(authReq(), "DATEVAL") }, "", "00008"},
		{"missing cvv, contract requiring it", func() fields { return with(without(authReq(), "CVV"), "RANG", "43") }, "", "00020"},
		{"malformed cvv", func() fields { return with(authReq(), "CVV", "12") }, "", "00004"},
		{"capture of a cancelled transaction", func() fields { return join(g.base("00002"), money("1000"), cref) }, "", "00015"},
		{"capture beyond the authorization", func() fields { return join(g.base("00002"), money("1001"), ref) }, "", "00011"},
		{"refund before capture", func() fields { return join(g.base("00014"), money("100"), ref) }, "", "00015"},
		{"capture in an unknown currency", func() fields { return with(join(g.base("00002"), money("1000"), ref), "DEVISE", "999") }, "", "00010"},
		{"capture with empty numbers", func() fields {
			return join(g.base("00002"), money("1000"), fields{{"REFERENCE", "1"}, {"NUMAPPEL", ""}, {"NUMTRANS", ""}})
		}, "", "00014"},
		{"refund without numbers", func() fields { return join(g.base("00014"), money("1000"), fields{{"REFERENCE", "1"}}) }, "", "00014"},
		{"cle on an hmac-only contract", func() fields { return with(authReq(), "RANG", "100") }, "", "00006"},
		{"3-D Secure cavv too long", func() fields {
			return append(authReq(), [2]string{"3DSTATUS", "Y"}, [2]string{"3DCAVV", "jJ81HADVRtXfCBATEp01CJUAAAAVZQGY="})
		}, "", "00014"},
		{"3-D Secure authentication failed", func() fields { return append(authReq(), [2]string{"3DSTATUS", "N"}) }, "", "00040"},
		{"numbers of another shop", func() fields { return join(g.base("00002"), money("1000"), oref) }, "", "00015"},
		{"unknown numbers", func() fields {
			return join(g.base("00002"), money("1000"), fields{{"REFERENCE", "x"}, {"NUMAPPEL", "0000000001"}, {"NUMTRANS", "0000000002"}})
		}, "", "00015"},
		{"numtrans of another transaction", func() fields {
			return join(g.base("00002"), money("1000"), fields{{"REFERENCE", "x"}, {"NUMAPPEL", auth.get("NUMAPPEL")}, {"NUMTRANS", cancelled.get("NUMTRANS")}})
		}, "", "00015"},
		{"malformed numbers", func() fields { return with(join(g.base("00002"), money("1000"), ref), "NUMAPPEL", "abc") }, "", "00015"},
		{"inquiry of another shop's transaction", func() fields {
			return join(g.base("00017"), fields{{"NUMTRANS", o.get("NUMTRANS")}})
		}, "", "00018"},
		{"unknown subscriber", func() fields {
			return join(g.base("00053"), money("1000"), fields{{"REFERENCE", "x"}, {"REFABONNE", "nobody"}, {"PORTEUR", "handle"}, {"DATEVAL", "1230"}})
		}, "", "00017"},
		{"delete unknown subscriber", func() fields { return join(g.base("00058"), fields{{"REFABONNE", "nobody"}}) }, "", "00017"},
		{"forced platform error", func() fields { return append(authReq(), [2]string{"ERRORCODETEST", "00003"}) }, "", "00003"},
		{"garbage bytes", nil, "\x00\xff\xfe%%%=&&==\x01", "00014"},
		{"bad escape", nil, "VERSION=00104&TYPE=%ZZ", "00014"},
		{"oversize body", nil, "VERSION=00104&REFERENCE=" + strings.Repeat("x", 20<<10), "00014"},
		{"empty body", nil, "", "00013"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := g.state()
			var a answer
			if tt.req != nil {
				a = g.post(tt.req())
			} else {
				a = g.postRaw(tt.raw)
			}
			if got := a.get("CODEREPONSE"); got != tt.code {
				t.Errorf("CODEREPONSE = %s (%s), want %s", got, latin1ToUTF8(a.get("COMMENTAIRE")), tt.code)
			}
			if len(a.fields) < 10 || a.fields[0][0] != "NUMTRANS" || a.fields[9][0] != "PORTEUR" {
				t.Errorf("incomplete answer %q", a.raw)
			}
			if a.get("NUMTRANS") != "0000000000" || a.get("NUMAPPEL") != "0000000000" || a.get("AUTORISATION") != "" {
				t.Errorf("error answer carries identifiers: %s", a.raw)
			}
			if after := g.state(); after != before {
				t.Errorf("store changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// TestDirectAmountUpdateAndCancel covers 00013 and 00005.
func TestDirectAmountUpdateAndCancel(t *testing.T) {
	g := newGateway(t)
	auth := g.must("00000", join(g.base("00001"), money("5000"), fields{{"REFERENCE", "o"}}, card("1111222233334444")))
	ref := fields{{"REFERENCE", "o"}, {"NUMAPPEL", auth.get("NUMAPPEL")}, {"NUMTRANS", auth.get("NUMTRANS")}, {"AUTORISATION", "XXXXXX"}}
	g.must("00000", join(g.base("00013"), money("4000"), ref))
	g.must("00011", join(g.base("00002"), money("4500"), ref))
	g.must("00000", join(g.base("00002"), money("4000"), ref))
	// Captured today, not yet remitted: it may still be cancelled.
	g.must("00000", join(g.base("00005"), money("4000"), ref))
	g.must("00015", join(g.base("00005"), money("4000"), ref))
	a := g.must("00000", join(g.base("00017"), fields{{"NUMTRANS", auth.get("NUMTRANS")}}))
	if got := latin1ToUTF8(a.get("STATUS")); got != "Annulé" {
		t.Errorf("STATUS = %q", got)
	}
}

// TestDirectForcedCodes covers ERRORCODETEST: issuer refusals are recorded
// as refused transactions, other codes only answered.
func TestDirectForcedCodes(t *testing.T) {
	g := newGateway(t)
	a := g.must("00105", join(g.base("00003"), money("1000"), fields{{"REFERENCE", "r"}}, card("1111222233334444"), fields{{"ERRORCODETEST", "00105"}}))
	if a.get("AUTORISATION") != "" {
		t.Errorf("refusal with AUTORISATION %q", a.get("AUTORISATION"))
	}
	s := g.must("00000", join(g.base("00017"), fields{{"NUMTRANS", a.get("NUMTRANS")}}))
	if got := latin1ToUTF8(s.get("STATUS")); got != "Refusé" {
		t.Errorf("STATUS = %q", got)
	}
	// Forced codes are a TEST platform feature: a PRODUCTION shop ignores them.
	prod := g.base("00003")
	prod[2][1], prod[3][1], prod[4][1] = "1234567", "01", "SECRET123"
	p := g.must("00000", join(prod, money("1000"), fields{{"REFERENCE", "r"}}, card("1111222233334444"), fields{{"ERRORCODETEST", "00105"}}))
	if p.get("AUTORISATION") == "XXXXXX" || len(p.get("AUTORISATION")) != 6 {
		t.Errorf("production authorization number %q", p.get("AUTORISATION"))
	}
}

// TestDirectHMAC authenticates with HASH and HMAC instead of CLE, in upper
// and lower case as clients send it.
func TestDirectHMAC(t *testing.T) {
	g := newGateway(t)
	for _, lower := range []bool{false, true} {
		f := join(g.base("00003"), money("1000"), fields{{"REFERENCE", "hmac"}}, card("1111222233334444"), fields{{"HASH", "SHA512"}})
		var signed []string
		for _, p := range f {
			if p[0] != "CLE" {
				signed = append(signed, p[0]+"="+p[1])
			}
		}
		sig, _ := signFor(strings.Join(signed, "&"))
		if lower {
			sig = strings.ToLower(sig)
		}
		var req fields
		for _, p := range f {
			if p[0] != "CLE" {
				req = append(req, p)
			}
		}
		req = append(req, [2]string{"HMAC", sig})
		g.must("00000", req)
	}
}

func signFor(s string) (string, bool) {
	return paybox.Sign(hmacKey, "SHA512", s)
}

// brokenAcquirer fails the way a connector might: by panicking, or by not
// answering.
type brokenAcquirer struct{ panics bool }

func (b brokenAcquirer) Process(context.Context, guichet.AcquirerRequest) (guichet.AcquirerResult, error) {
	if b.panics {
		panic("connector bug")
	}
	return guichet.AcquirerResult{}, errors.New("connection refused")
}

// TestDirectAcquirerFailures: an acquirer that is down answers 00001 (the
// code clients retry on the backup host), a bug answers 00003; neither
// leaves anything in the store.
func TestDirectAcquirerFailures(t *testing.T) {
	for _, tt := range []struct {
		acq  brokenAcquirer
		code string
	}{{brokenAcquirer{}, "00001"}, {brokenAcquirer{panics: true}, "00003"}} {
		g := newGatewayWith(t, tt.acq)
		before := g.state()
		a := g.must(tt.code, join(g.base("00003"), money("1000"), fields{{"REFERENCE", "r"}}, card("1111222233334444")))
		if a.get("NUMQUESTION") == "0000000000" || a.get("SITE") != "1999888" {
			t.Errorf("answer lost the echoed fields: %s", a.raw)
		}
		if g.state() != before {
			t.Errorf("%s: the store changed", tt.code)
		}
	}
}
