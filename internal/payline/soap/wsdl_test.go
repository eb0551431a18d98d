package soap_test

import (
	"slices"
	"strings"
	"testing"

	"guichet/internal/payline/soap"
)

// TestSchemaFidelity compares every element of the impl schema and every
// complex type of the obj schema that the generated WSDL declares with
// Payline's WSDL: name, order, type, minOccurs, maxOccurs, nillable,
// default and facets of each declaration, inline types included. Two
// differences of form are normalised by the reader (see readSequence and
// readComplexType): a nested optional sequence around one element, and an
// untyped attribute.
func TestSchemaFidelity(t *testing.T) {
	vendor := readSchema(t, vendorWSDL(t, soap.WebPaymentAPI))
	ours := readSchema(t, generatedWSDL(t, soap.WebPaymentAPI, "http://localhost/V4/services/WebPaymentAPI"))
	if len(vendor.elements) != 84 || len(vendor.types) != 83 {
		t.Fatalf("the vendor's WSDL declares %d elements and %d types, want 84 and 83", len(vendor.elements), len(vendor.types))
	}
	compare := func(t *testing.T, kind string, want, got map[string]*xsdType) {
		for name, w := range want {
			t.Run(kind+"/"+name, func(t *testing.T) {
				g, ok := got[name]
				if !ok {
					t.Fatalf("not declared")
				}
				wantLines, gotLines := describe(w, ""), describe(g, "")
				for i := range max(len(wantLines), len(gotLines)) {
					var wl, gl string
					if i < len(wantLines) {
						wl = wantLines[i]
					}
					if i < len(gotLines) {
						gl = gotLines[i]
					}
					if wl != gl {
						t.Errorf("declaration %d:\n got %s\nwant %s", i, gl, wl)
					}
				}
			})
		}
		for name := range got {
			if _, ok := want[name]; !ok {
				t.Errorf("%s %s is not the vendor's", kind, name)
			}
		}
	}
	compare(t, "element", vendor.elements, ours.elements)
	compare(t, "type", vendor.types, ours.types)
}

// TestWSDLOperations compares the operations of the generated WSDL with
// those of Payline's three files together: the same 42 operations, each
// with the same request and answer elements, the same soapAction and a
// document/literal binding.
func TestWSDLOperations(t *testing.T) {
	vendor := readOperations(t, vendorWSDL(t, soap.DirectPaymentAPI))
	if len(vendor) != 42 {
		t.Fatalf("the vendor's WSDL has %d operations, want 42", len(vendor))
	}
	for _, service := range []string{soap.WebPaymentAPI, soap.DirectPaymentAPI, soap.ExtendedAPI} {
		ours := readOperations(t, generatedWSDL(t, service, "http://localhost/V4/services/"+service))
		for name, want := range vendor {
			if got := ours[name]; got != want {
				t.Errorf("%s: operation %s = %+v, want %+v", service, name, got, want)
			}
		}
		if len(ours) != len(vendor) {
			t.Errorf("%s: %d operations, want %d", service, len(ours), len(vendor))
		}
	}
	got := soap.Operations()
	if len(got) != 42 {
		t.Fatalf("Operations() has %d names, want 42", len(got))
	}
	for _, name := range got {
		if _, ok := vendor[name]; !ok {
			t.Errorf("Operations() lists %s, which the vendor's WSDL does not", name)
		}
	}
	for name, op := range vendor {
		if op.soapAction != name || op.style != "document" || op.use != "literal/literal" {
			t.Errorf("vendor operation %s = %+v: this test's assumptions no longer hold", name, op)
		}
	}
}

// TestWSDLService checks the service and port of each generated WSDL.
func TestWSDLService(t *testing.T) {
	for _, service := range []string{soap.WebPaymentAPI, soap.DirectPaymentAPI, soap.ExtendedAPI} {
		address := "https://gateway.example/V4/services/" + service + "?a=1&b=2"
		defs := generatedWSDL(t, service, address)
		svc := defs.child("service")
		if svc == nil || svc.attrs["name"] != service {
			t.Fatalf("%s: no service of that name", service)
		}
		port := svc.child("port")
		if got := port.resolve(port.attrs["binding"]).Local; got != service+"SoapBinding" {
			t.Errorf("%s: port bound to %s", service, got)
		}
		if got := port.child("address").attrs["location"]; got != address {
			t.Errorf("%s: address %q, want %q", service, got, address)
		}
		var bindings, portTypes []string
		for _, c := range defs.children {
			switch c.name.Local {
			case "binding":
				bindings = append(bindings, c.attrs["name"])
			case "portType":
				portTypes = append(portTypes, c.attrs["name"])
			}
		}
		if !slices.Equal(bindings, []string{service + "SoapBinding"}) || !slices.Equal(portTypes, []string{service}) {
			t.Errorf("%s: bindings %v, port types %v", service, bindings, portTypes)
		}
	}
	if _, err := soap.WSDL("PaymentAPI", "http://localhost/"); err == nil || !strings.Contains(err.Error(), "PaymentAPI") {
		t.Errorf("WSDL(PaymentAPI) error = %v, want one naming the service", err)
	}
}
