package soap_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"guichet/internal/payline/soap"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// vendorSchema returns the schema of Payline's WSDL, read once.
func vendorSchema(t testing.TB) *xsdSchema {
	t.Helper()
	vendorCache.Lock()
	defer vendorCache.Unlock()
	if vendorCache.schema == nil {
		vendorCache.schema = readSchema(t, vendorWSDL(t, soap.WebPaymentAPI))
	}
	return vendorCache.schema
}

var vendorCache struct {
	sync.Mutex
	schema *xsdSchema
}

// checkRoundTrip marshals m, decoded from recorded, and compares the two
// envelopes: every element of the recording holding a value must appear
// in the output at the same path, with the same value, in the same
// relative order; every element of the output must be in the recording
// or required by the vendor's schema, and be qualified as Payline
// qualifies it.
func checkRoundTrip(t *testing.T, recorded []byte, m soap.Message) {
	t.Helper()
	schema := vendorSchema(t)
	out, err := soap.Marshal(m)
	if err != nil {
		t.Fatalf("Marshal() error = %v", err)
	}
	rec, err := parseTree(recorded)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := parseTree(out)
	if err != nil {
		t.Fatalf("Marshal() wrote malformed XML: %v\n%s", err, out)
	}
	if h := enc.child("Header"); h == nil || len(h.children) != 0 || enc.children[0] != h {
		t.Errorf("Marshal() wrote no empty Header first")
	}
	r, e := body(t, rec), body(t, enc)
	if r.name.Local != e.name.Local || e.name.Space != soap.NamespaceImpl {
		t.Fatalf("Marshal() wrote %v, want {%s}%s", e.name, soap.NamespaceImpl, r.name.Local)
	}
	typ := schema.elements[r.name.Local]
	if typ == nil {
		t.Fatalf("no element %s in the vendor's schema", r.name.Local)
	}
	c := &roundTrip{t: t, schema: schema}
	c.compare(r, e, typ, soap.NamespaceImpl, r.name.Local)
	if t.Failed() {
		t.Logf("Marshal() =\n%s", out)
	}
}

type roundTrip struct {
	t      *testing.T
	schema *xsdSchema
}

// compare compares the children of rec and enc, elements of type typ
// whose children are in namespace ns.
func (c *roundTrip) compare(rec, enc *node, typ *xsdType, ns, p string) {
	t := c.t
	t.Helper()
	matched := make([]bool, len(enc.children))
	next := 0
	for _, r := range rec.children {
		rp := p + "/" + r.name.Local
		k := -1
		for i := next; i < len(enc.children); i++ {
			if enc.children[i].name.Local == r.name.Local {
				k = i
				break
			}
		}
		if !r.hasValue() {
			// An empty element may be left out, or written empty.
			if k >= 0 && !enc.children[k].hasValue() {
				matched[k], next = true, k+1
			}
			continue
		}
		if k < 0 {
			t.Errorf("%s = %q is missing from the output", rp, strings.TrimSpace(r.text))
			continue
		}
		matched[k], next = true, k+1
		e := enc.children[k]
		f := typ.field(r.name.Local)
		if f == nil {
			t.Errorf("%s is not in the vendor's schema", rp)
			continue
		}
		if sub := c.schema.typeOf(f); sub != nil {
			childNS := soap.NamespaceObj
			if f.inline != nil {
				childNS = ns
			}
			c.compare(r, e, sub, childNS, rp)
			continue
		}
		if len(e.children) != 0 || e.text != r.text {
			t.Errorf("%s = %q, want %q", rp, e.text, r.text)
		}
	}
	for i, e := range enc.children {
		ep := p + "/" + e.name.Local
		if e.name.Space != ns {
			t.Errorf("%s is in namespace %q, want %q", ep, e.name.Space, ns)
		}
		f := typ.field(e.name.Local)
		switch {
		case f == nil:
			t.Errorf("%s is not in the vendor's schema", ep)
		case matched[i]:
		case f.min == "0":
			t.Errorf("%s is optional and not in the recording, yet written", ep)
		case e.hasValue():
			t.Errorf("%s holds a value the recording lacks", ep)
		case len(e.children) != 0:
			t.Errorf("%s is written with children", ep)
		case f.nillable != e.isNil():
			t.Errorf("%s: xsi:nil is %t, want %t (nillable)", ep, e.isNil(), f.nillable)
		}
	}
}

// TestFixtureResponses decodes every answer recorded from Payline's
// platform, spot-checks a few, and checks that each encodes back to the
// same elements.
func TestFixtureResponses(t *testing.T) {
	spots := map[string]map[string]string{
		"doWebPaymentResponse00000.xml": {
			"result/code": "00000", "result/shortMessage": "ACCEPTED", "token": "16RjWdtpDkFVfZkGV4031701964772640",
			"redirectURL": "https://develop-dev1-webpayment2.ext.dev.payline.com/1mRmYi5lShI=/#16RjWdtpDkFVfZkGV4031701964772640",
		},
		"doWebPaymentResponseInternalError.xml": {
			"result/code": "XXXXX", "result/shortMessage": "EXCEPTION", "token": "",
			"result/longMessage": "Erreur lors de l'appel au service WebPayment",
		},
		"getWebPaymentDetailsResponse00000.xml": {
			"transaction/id": "PV4280223147576302", "transaction/fraudResult": "", "transaction/partnerAdditionalData": "",
			"authorization/number": "", "authorization/date": "01/03/2023 00:12:51", "privateDataList": "<nil>",
			"authentication3DSecure": "<nil>", "card/number": "4XXXXXXXXXXXXXXX83", "extendedCard/bank": "20041 - LA POSTE",
			"buyer/shippingAdress/cityName": "Aix", "buyer/billingAddress/cityName": "Marseille", "contractNumber": "CB_MULTI_4",
		},
		"getMerchantSettingsResponse00000.xml": {
			"listPointOfSell/pointOfSell[0]/codeMcc":                                   "6300",
			"listPointOfSell/pointOfSell[0]/label":                                     "AÉSIO mutuelle",
			"listPointOfSell/pointOfSell[0]/contracts/contract[0]/logoEnable":          "false",
			"listPointOfSell/pointOfSell[0]/contracts/contract[0]/contribution/enable": "false",
		},
		"getBalanceResponse00000.xml": {"balance/amount": "12200", "balance/currency": "978", "crddesign": "SDFK"},
		"getAlertDetailsResponse00000.xml": {
			"HolderName": "", "CustomerTransHist/CustomerTrans": "<6 items>",
			"CustomerTransHist/CustomerTrans[5]/ReferenceOrder": "a3508d18-pppppppppppppp-9aa10ccb90bc",
			"AlertsTransHist/AlertsTrans[0]/RuleAction":         "BLOCK",
		},
		"getCardsResponse02500.xml": {
			"result/code": "02500", "cardsList/cards[0]/shippingAddress/street1": "$[street1}",
			"cardsList/cards[0]/card/cvx": "", "cardsList/cards[0]/default": "Y",
		},
	}
	for file, data := range fixtures(t, "Response") {
		t.Run(path.Base(file), func(t *testing.T) {
			m, err := soap.DecodeResponse(data)
			if err != nil {
				t.Fatalf("DecodeResponse() error = %v", err)
			}
			for p, want := range spots[path.Base(file)] {
				got, err := lookup(m, p)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("%s = %q, want %q", p, got, want)
				}
			}
			delete(spots, path.Base(file))
			checkRoundTrip(t, data, m)
		})
	}
	for file := range spots {
		t.Errorf("no fixture %s", file)
	}
}

// TestGoldenAnswers compares answers built in Go with golden files; run
// with -update to rewrite them after a deliberate change. Each must also
// decode back to the value it was built from.
func TestGoldenAnswers(t *testing.T) {
	answers := sampleAnswers()
	tests := []struct {
		file string
		m    soap.Message
	}{
		{"doWebPaymentResponse.golden.xml", answers["doWebPayment"]},
		{"getWebPaymentDetailsResponse.golden.xml", answers["getWebPaymentDetails"]},
		{"doAuthorizationResponseError.golden.xml", answers["doAuthorization"]},
		{"getMerchantSettingsResponse.golden.xml", answers["getMerchantSettings"]},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := soap.Marshal(tt.m)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, got)
			back, err := soap.DecodeResponse(got)
			if err != nil {
				t.Fatalf("DecodeResponse() error = %v", err)
			}
			if !reflect.DeepEqual(back, tt.m) {
				t.Errorf("DecodeResponse(Marshal()) =\n%s", dump(back))
			}
		})
	}
	t.Run("fault.golden.xml", func(t *testing.T) {
		f := &soap.Fault{Code: soap.Client, String: `unreadable <envelope> & "more"`}
		got := f.Marshal()
		golden(t, "fault.golden.xml", got)
		_, err := soap.DecodeResponse(got)
		var back *soap.Fault
		if !errors.As(err, &back) || *back != *f {
			t.Errorf("DecodeResponse() error = %v, want %v", err, f)
		}
	})
}

// golden compares got with testdata/file, or rewrites the file with -update.
func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s:\n%s", p, got)
	}
}

// sampleAnswers returns answers built in Go, by operation, for the golden
// files and for zeep to parse.
func sampleAnswers() map[string]soap.Message {
	approved := &soap.Result{Code: "00000", ShortMessage: "ACCEPTED", LongMessage: "Transaction approved"}
	return map[string]soap.Message{
		"doWebPayment": &soap.DoWebPaymentResponse{
			Result:      approved,
			Token:       "1hK2pGZtq3XhNYv3C2a91742826700000",
			RedirectURL: "https://pay.example/webpayment/?reqCode=prepareStep2&token=1hK2pGZtq3XhNYv3C2a91742826700000",
		},
		"getWebPaymentDetails": &soap.GetWebPaymentDetailsResponse{
			Result:        approved,
			Transaction:   &soap.Transaction{ID: "PV0324143015000001", Date: "24/03/2025 14:30:15", IsDuplicated: "0", IsPossibleFraud: "0", ThreeDSecure: "Y"},
			Payment:       &soap.Payment{Amount: "1250", Currency: "978", Action: "101", Mode: "CPT", ContractNumber: "1234567"},
			Authorization: &soap.Authorization{Number: "A55A01", Date: "24/03/2025 14:30:15"},
			PrivateDataList: &soap.PrivateDataList{PrivateData: []soap.PrivateData{
				{Key: "cart", Value: `17 & "18"`},
			}},
			Card:         &soap.CardOut{Number: "497010XXXXXX1646", Type: "CB", ExpirationDate: "1230", Token: "4970toarLkqb1646"},
			ExtendedCard: &soap.ExtendedCardType{Country: "FRA", Bank: "20041 - LA POSTE", Network: "CB"},
			Order: &soap.Order{
				Ref: "A-17", Amount: "1250", Currency: "978", Date: "24/03/2025 14:05",
				Details: &soap.Details{Details: []soap.OrderDetail{{Ref: "SKU-1", Price: "1250", Quantity: "1"}}},
			},
			ContractNumber: "1234567",
			Buyer: &soap.Buyer{
				LastName: "Martin", FirstName: "Claire",
				ShippingAddress: &soap.Address{Street1: "3 rue des Lilas", CityName: "Lyon", ZipCode: "69003", Country: "FR"},
			},
		},
		// The shape of Payline's answer to a call it fails: a result and
		// nothing else, the required elements written empty or nil.
		"doAuthorization": soap.NewResponse("doAuthorization", &soap.Result{
			Code: "XXXXX", ShortMessage: "EXCEPTION", LongMessage: "Erreur <interne>",
		}),
		"getMerchantSettings": &soap.GetMerchantSettingsResponse{
			Result: &soap.Result{Code: "00000"},
			ListPointOfSell: &soap.PointOfSellList{PointOfSell: []soap.PointOfSell{{
				SIRET: "12345678900011", CodeMCC: "5999", Label: "Boutique",
				Contracts: &soap.ContractList{Contract: []soap.Contract{{CardType: "CB", ContractNumber: "1234567", SettlementType: "Now", LogoEnable: "false"}}},
				VirtualTerminal: &soap.VirtualTerminal{Label: "VT", InactivityDelay: "10", Functions: &soap.VirtualTerminalFunctionList{
					Function: []soap.VirtualTerminalFunction{{Function: "simplePayment", Label: "Pay", FunctionParameter: []soap.FunctionParameter{{ID: "p<1>"}}}},
				}},
			}}},
		},
		"getBalance": &soap.GetBalanceResponse{
			Result:  approved,
			Balance: &soap.Balance{Amount: "12200", Currency: "978"},
		},
		"transactionsSearch": &soap.TransactionsSearchResponse{
			Result: approved,
			TransactionList: &soap.TransactionList{Transaction: []soap.Transaction{
				{ID: "14342000117684602", Date: "07/12/2023 01:01:14", IsPossibleFraud: "0"},
				{ID: "PV0324143015000001", Date: "24/03/2025 14:30:15", IsPossibleFraud: "1", Payment: &soap.Payment{Amount: "1250", Currency: "978", Action: "101", Mode: "CPT"}},
			}},
		},
		"getAlertDetails": &soap.GetAlertDetailsResponse{
			Result: approved, AlertID: "998587002", TransactionStatus: "REFUSE", TransactionID: "PV0324143015000001",
			CustomerTransHist: &soap.CustomerTransHist{CustomerTrans: []soap.CustomerTrans{{ExternalTransactionID: "LF1", Amount: "20.40 EUR"}}},
		},
	}
}
