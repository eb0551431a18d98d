package soap

import (
	"reflect"
	"strings"
	"testing"
)

// TestParseFieldRejects checks that a mistake in a tag stops the model
// from building rather than reaching the wire.
func TestParseFieldRejects(t *testing.T) {
	type inner struct {
		A string `xsd:"a"`
	}
	tests := []struct {
		name string
		v    any
	}{
		{"no tag", struct{ A string }{}},
		{"no name", struct {
			A string `xsd:",optional"`
		}{}},
		{"unknown option", struct {
			A string `xsd:"a,required"`
		}{}},
		{"slice without max", struct {
			A []string `xsd:"a"`
		}{}},
		{"max on a single field", struct {
			A string `xsd:"a,max=2"`
		}{}},
		{"bad max", struct {
			A []string `xsd:"a,max=1"`
		}{}},
		{"unknown type", struct {
			A string `xsd:"a,type=decimal"`
		}{}},
		{"facet on an object", struct {
			A *inner `xsd:"a,type=boolean"`
		}{}},
		{"struct value", struct {
			A inner `xsd:"a"`
		}{}},
		{"slice of pointers", struct {
			A []*inner `xsd:"a,max=2"`
		}{}},
		{"integer", struct {
			A int `xsd:"a"`
		}{}},
		{"object attribute", struct {
			A *inner `xsd:"a,attr"`
		}{}},
		{"repeated attribute", struct {
			A []string `xsd:"a,attr,max=2"`
		}{}},
		{"duplicate element", struct {
			A string `xsd:"a"`
			B string `xsd:"a"`
		}{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("the model accepted %T", tt.v)
				}
			}()
			m := &model{types: make(map[reflect.Type]*complexType)}
			m.anonymous(reflect.TypeOf(tt.v), NamespaceObj)
		})
	}
}

// TestModel checks what the package's types make of the model: every
// named type, the namespace of the inline types, and that every struct
// type of the package is reached.
func TestModel(t *testing.T) {
	m := schema.model
	if len(namedTypes) != 83 || len(schema.operations) != 42 {
		t.Fatalf("%d named types and %d operations, want 83 and 42", len(namedTypes), len(schema.operations))
	}
	for typ, want := range map[reflect.Type]string{
		reflect.TypeFor[PointOfSellList]():             NamespaceImpl,
		reflect.TypeFor[Balance]():                     NamespaceImpl,
		reflect.TypeFor[ContractList]():                NamespaceObj,
		reflect.TypeFor[CustomPaymentPageCodeList]():   NamespaceObj,
		reflect.TypeFor[VirtualTerminalFunctionList](): NamespaceObj,
		reflect.TypeFor[FunctionParameter]():           NamespaceObj,
	} {
		ct := m.types[typ]
		if ct == nil || ct.name != "" || ct.ns != want {
			t.Errorf("%v: modelled as %+v, want an inline type of %s", typ, ct, want)
		}
	}
	// 84 messages, 83 named types and 6 inline ones.
	if len(m.types) != 84+83+6 {
		t.Errorf("the model has %d types, want %d", len(m.types), 84+83+6)
	}
}

// TestMarshalEmpty checks how empty values are written: an optional
// element is left out, a required nillable one is nil, a required one
// that is not nillable is empty, and an object or a list holding nothing
// is empty whatever its Go value.
func TestMarshalEmpty(t *testing.T) {
	tests := []struct {
		name      string
		m         Message
		want, not []string
	}{
		{
			name: "scalars",
			m:    &DoWebPaymentResponse{Result: &Result{Code: "00000"}},
			want: []string{`<impl:token xsi:nil="true"/>`, `<impl:redirectURL xsi:nil="true"/>`},
			not:  []string{"stepCode", "shortMessage"},
		},
		{
			name: "required object, not nillable",
			m:    &DoCaptureResponse{},
			want: []string{"<impl:result/>", "<impl:transaction/>", `<impl:reAuthorization xsi:nil="true"/>`},
		},
		{
			name: "objects and lists holding nothing",
			m: &DoWebPaymentRequest{
				Payment:              &Payment{},
				Owner:                &Owner{BillingAddress: &AddressOwner{}},
				SelectedContractList: &SelectedContractList{SelectedContract: []string{"", ""}},
				PrivateDataList:      &PrivateDataList{PrivateData: []PrivateData{}},
				Buyer:                &Buyer{},
			},
			want: []string{"<impl:payment/>", `<impl:owner xsi:nil="true"/>`, `<impl:selectedContractList xsi:nil="true"/>`, `<impl:privateDataList xsi:nil="true"/>`},
			not:  []string{"buyer", "selectedContract>"},
		},
		{
			name: "empty items are skipped",
			m: &DoWebPaymentRequest{
				SelectedContractList: &SelectedContractList{SelectedContract: []string{"", "CB", ""}},
				PrivateDataList:      &PrivateDataList{PrivateData: []PrivateData{{}, {Key: "k"}}},
			},
			want: []string{"<obj:selectedContract>CB</obj:selectedContract>\n            </impl:selectedContractList>", "<obj:privateData>\n                    <obj:key>k</obj:key>\n                    <obj:value/>\n"},
		},
		{
			name: "text is escaped",
			m:    &DoWebPaymentResponse{Result: &Result{Code: "0"}, Token: "a<b>&\"'\t\r\n\x00"},
			want: []string{"<impl:token>a&lt;b&gt;&amp;&#34;&#39;&#x9;&#xD;&#xA;\uFFFD</impl:token>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Marshal(tt.m)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.want {
				if !strings.Contains(string(out), s) {
					t.Errorf("Marshal() lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(string(out), s) {
					t.Errorf("Marshal() has %q:\n%s", s, out)
				}
			}
		})
	}
}
