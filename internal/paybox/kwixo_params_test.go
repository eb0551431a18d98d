package paybox

import (
	"strings"
	"testing"

	"guichet"
)

// kwixoSAC is a complete and valid set of KWIXO order analysis data.
func kwixoSAC() Form {
	return Form{
		{"PBX_BILLTO_CIVILITY", "monsieur"}, {"PBX_BILLTO_NAME_FIRST", "jean"}, {"PBX_BILLTO_NAME_LAST", "dupont"},
		{"PBX_BILLTO_MOBILE", "0612345678"}, {"PBX_BILLTO_EMAIL", "jean.dupont@example.com"},
		{"PBX_BILLTO_STREET_LINE_1", "1 rue de la paix"}, {"PBX_BILLTO_POSTALCODE", "75002"},
		{"PBX_BILLTO_CITY", "paris"}, {"PBX_BILLTO_COUNTRY", "france"},
		{"PBX_SHIPTO_SHIPPER_NAME", "colissimo"}, {"PBX_SHIPTO_DELIVERY_TYPE", "4"},
		{"PBX_SHIPTO_DELIVERY_SPEED", "2"}, {"PBX_SHIPTO_SHIPPER_ID", "PR#4587"}, {"PBX_SHIPTO_SHIPPER_SIGN", "la poste"},
		{"PBX_PRODUCT_DETAILS", `[{"reference":"11269","type":"13","label":"Bottines","quantity":"1","unitprice":"1250"}]`},
		{"PBX_ORDER_DATE", "2026-11-23 11:00:00"}, {"PBX_DELIVERY_DATE", "2026-11-26"}, {"PBX_RECEIVE_AND_PAY", "1"},
	}
}

// with returns the form with name set to value (added when absent,
// removed when value is "-").
func with(f Form, name, value string) Form {
	out := Form{}
	found := false
	for _, p := range f {
		if p.Name == name {
			found = true
			if value == "-" {
				continue
			}
			p.Value = value
		}
		out = append(out, p)
	}
	if !found && value != "-" {
		out = append(out, Pair{name, value})
	}
	return out
}

func TestValidateKwixo(t *testing.T) {
	base := with(kwixoSAC(), "PBX_PRODUCT_DETAILS", `[{"reference":"11269","type":"13","label":"Bottines","quantity":"1","unitprice":"1250"},{"reference":"r2","type":6,"label":"lot","quantity":2,"unitprice":500}]`)
	if pe := validateKwixo(base); pe != nil {
		t.Fatalf("valid form refused: %v", pe)
	}
	shipping := func(f Form) Form {
		for _, p := range [][2]string{{"PBX_SHIPTO_CIVILITY", "mme"}, {"PBX_SHIPTO_NAME_FIRST", "anne"}, {"PBX_SHIPTO_NAME_LAST", "d'arc"},
			{"PBX_SHIPTO_EMAIL", "anne@example.com"}, {"PBX_SHIPTO_STREET_LINE_1", "2 place du marché"}, {"PBX_SHIPTO_POSTALCODE", "45000"},
			{"PBX_SHIPTO_CITY", "orléans"}, {"PBX_SHIPTO_COUNTRY", "france"}, {"PBX_SHIPTO_PHONE_HOME", "+33 2 38 00 00 00"}} {
			f = with(f, p[0], p[1])
		}
		return f
	}
	if pe := validateKwixo(shipping(base)); pe != nil {
		t.Fatalf("valid form with a shipping address refused: %v", pe)
	}
	for _, c := range []struct {
		name        string
		form        Form
		param, rule string
	}{
		{"no civility", with(base, "PBX_BILLTO_CIVILITY", "-"), "PBX_BILLTO_CIVILITY", "mandatory"},
		{"unknown civility", with(base, "PBX_BILLTO_CIVILITY", "docteur"), "PBX_BILLTO_CIVILITY", "§9.4"},
		{"digits in a name", with(base, "PBX_BILLTO_NAME_LAST", "dupont2"), "PBX_BILLTO_NAME_LAST", "§9.4"},
		{"long name", with(base, "PBX_BILLTO_NAME_FIRST", strings.Repeat("a", 41)), "PBX_BILLTO_NAME_FIRST", "40"},
		{"e-mail without dot", with(base, "PBX_BILLTO_EMAIL", "jean@localhost"), "PBX_BILLTO_EMAIL", "§9.4"},
		{"short phone", with(base, "PBX_BILLTO_MOBILE", "061234567"), "PBX_BILLTO_MOBILE", "§9.4"},
		{"no phone", with(base, "PBX_BILLTO_MOBILE", "-"), "PBX_BILLTO_MOBILE", "C(3)"},
		{"postal code", with(base, "PBX_BILLTO_POSTALCODE", "7500"), "PBX_BILLTO_POSTALCODE", "§9.4"},
		{"no city", with(base, "PBX_BILLTO_CITY", ""), "PBX_BILLTO_CITY", "mandatory"},
		{"delivery type", with(base, "PBX_SHIPTO_DELIVERY_TYPE", "6"), "PBX_SHIPTO_DELIVERY_TYPE", "§9.4"},
		{"no shipper", with(base, "PBX_SHIPTO_SHIPPER_NAME", "-"), "PBX_SHIPTO_SHIPPER_NAME", "mandatory"},
		{"shipper id", with(base, "PBX_SHIPTO_SHIPPER_ID", "PR#45871234"), "PBX_SHIPTO_SHIPPER_ID", "10"},
		{"products not JSON", with(base, "PBX_PRODUCT_DETAILS", "bottines"), "PBX_PRODUCT_DETAILS", "JSON"},
		{"no products", with(base, "PBX_PRODUCT_DETAILS", "[]"), "PBX_PRODUCT_DETAILS", "empty"},
		{"product type", with(base, "PBX_PRODUCT_DETAILS", `[{"reference":"1","type":"20","label":"x","quantity":"1","unitprice":"1"}]`), "PBX_PRODUCT_DETAILS", "product 1: type"},
		{"product price", with(base, "PBX_PRODUCT_DETAILS", `[{"reference":"1","type":"2","label":"x","quantity":"1","unitprice":"12.50"}]`), "PBX_PRODUCT_DETAILS", "unitprice"},
		{"order date", with(base, "PBX_ORDER_DATE", "23/11/2026"), "PBX_ORDER_DATE", "§9.4"},
		{"no delivery date", with(base, "PBX_DELIVERY_DATE", "-"), "PBX_DELIVERY_DATE", "mandatory"},
		{"receive and pay", with(base, "PBX_RECEIVE_AND_PAY", "2"), "PBX_RECEIVE_AND_PAY", "§9.4"},
		{"part of a shipping address", with(base, "PBX_SHIPTO_CITY", "orléans"), "PBX_SHIPTO_CIVILITY", "C(4)"},
		{"shipping address without phone", with(shipping(base), "PBX_SHIPTO_PHONE_HOME", "-"), "PBX_SHIPTO_MOBILE", "C(5)"},
		{"shipping postal code", with(shipping(base), "PBX_SHIPTO_POSTALCODE", "ABCDE"), "PBX_SHIPTO_POSTALCODE", "§9.4"},
	} {
		pe := validateKwixo(c.form)
		if pe == nil || pe.Param != c.param || !strings.Contains(pe.Message, c.rule) {
			t.Errorf("%s: %v, want %s (%s)", c.name, pe, c.param, c.rule)
		}
	}
	if got := kwixoProductTypes(base); len(got) != 2 || got[0] != 13 || got[1] != 6 {
		t.Errorf("product types %v", got)
	}
}

func TestKwixoCode(t *testing.T) {
	for in, want := range map[string]string{"301": "00301", "200": "00200", "803": "00803"} {
		if got := kwixoCode(in); got != want {
			t.Errorf("kwixoCode(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestRNPPayer(t *testing.T) {
	pilotable := &guichet.Shop{Kwixo: &guichet.KwixoContract{Options: []string{"1XRNP"}, RNPPilotable: true}}
	fixed := &guichet.Shop{Kwixo: &guichet.KwixoContract{Options: []string{"1XRNP"}}}
	for _, c := range []struct {
		shop          *guichet.Shop
		option, value string
		want          string
	}{
		{pilotable, "1XRNP", "1", "merchant"},
		{pilotable, "1XRNP", "0", "buyer"},
		{pilotable, "CREDIT", "1", "merchant"},
		{pilotable, "STANDARD", "1", ""},
		{fixed, "1XRNP", "1", "buyer"},
		{fixed, "CREDIT", "0", "buyer"},
	} {
		if got := rnpPayer(c.shop, c.option, c.value); got != c.want {
			t.Errorf("pilotable %v, %s, PBX_RECEIVE_AND_PAY=%s: %q, want %q", c.shop.Kwixo.RNPPilotable, c.option, c.value, got, c.want)
		}
	}
}

func TestKwixoForbidden(t *testing.T) {
	ppps := &guichet.Shop{Kwixo: &guichet.KwixoContract{Options: []string{"STANDARD"}}}
	auto := &guichet.Shop{Kwixo: &guichet.KwixoContract{Options: []string{"STANDARD"}, AutoCapture: true}}
	for _, c := range []struct {
		name  string
		shop  *guichet.Shop
		req   SystemRequest
		param string // "" when KWIXO may take the form
	}{
		{"authorization only", ppps, SystemRequest{AuthOnly: true}, ""},
		{"automatic capture by contract", auto, SystemRequest{}, ""},
		{"immediate debit", ppps, SystemRequest{}, "PBX_AUTOSEULE"},
		{"deferred debit by the form", ppps, SystemRequest{Diff: 3}, "PBX_AUTOSEULE"},
		{"subscriber", auto, SystemRequest{AuthOnly: true, Subscriber: "abo1"}, "PBX_REFABONNE"},
		{"instalments", ppps, SystemRequest{AuthOnly: true, Instalments: []Instalment{{Amount: 1000}}}, "PBX_2MONT1"},
	} {
		got := ""
		if pe := kwixoForbidden(c.shop, &c.req); pe != nil {
			got = pe.Param
		}
		if got != c.param {
			t.Errorf("%s: refusal on %q, want %q", c.name, got, c.param)
		}
	}
}
