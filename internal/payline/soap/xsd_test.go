package soap_test

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guichet/internal/payline/soap"
)

// A small reader of the XSD subset Payline's WSDL uses, written for the
// tests: it reads the vendor's file and the generated one alike, so that
// the two can be compared declaration by declaration.

const (
	nsXSD      = "http://www.w3.org/2001/XMLSchema"
	nsWSDL     = "http://schemas.xmlsoap.org/wsdl/"
	nsWSDLSOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
)

// xsdSchema is what a WSDL's two schemas declare.
type xsdSchema struct {
	elements map[string]*xsdType // the impl schema's elements, by name
	types    map[string]*xsdType // the obj schema's complex types, by name
}

// xsdType is the content of a complex type: its sequence, flattened, and
// its attributes.
type xsdType struct {
	fields []*xsdField
	attrs  []*xsdField
}

// xsdField is one element or attribute declaration.
type xsdField struct {
	name     string
	typ      string // "xsd:string", "obj:payment"…, or "" when declared inline
	inline   *xsdType
	min, max string // effective occurrences, defaults applied
	nillable bool
	def      string
	facets   string // the facets of an inline simple type
}

// field returns the declaration of the child element name, or nil.
func (t *xsdType) field(name string) *xsdField {
	for _, f := range t.fields {
		if f.name == name {
			return f
		}
	}
	return nil
}

// typeOf returns the complex type of f's elements, or nil for a simple
// type.
func (s *xsdSchema) typeOf(f *xsdField) *xsdType {
	if f.inline != nil {
		return f.inline
	}
	if name, ok := strings.CutPrefix(f.typ, "obj:"); ok {
		return s.types[name]
	}
	return nil
}

// readSchema reads the schemas of a WSDL document.
func readSchema(t testing.TB, defs *node) *xsdSchema {
	t.Helper()
	s := &xsdSchema{elements: make(map[string]*xsdType), types: make(map[string]*xsdType)}
	types := defs.child("types")
	if types == nil {
		t.Fatal("no wsdl:types")
	}
	for _, schema := range types.children {
		ns := schema.attrs["targetNamespace"]
		for _, c := range schema.children {
			switch {
			case c.name.Local == "element" && ns == soap.NamespaceImpl:
				ct := c.child("complexType")
				if ct == nil {
					t.Fatalf("element %s has no inline complex type", c.attrs["name"])
				}
				s.elements[c.attrs["name"]] = readComplexType(t, ct)
			case c.name.Local == "complexType" && ns == soap.NamespaceObj:
				s.types[c.attrs["name"]] = readComplexType(t, c)
			case c.name.Local == "import" || c.name.Local == "annotation":
			default:
				t.Fatalf("unexpected %s in schema %s", c.name.Local, ns)
			}
		}
	}
	return s
}

func readComplexType(t testing.TB, ct *node) *xsdType {
	t.Helper()
	out := &xsdType{}
	for _, c := range ct.children {
		switch c.name.Local {
		case "sequence":
			readSequence(t, out, c, c.attrs["minOccurs"] == "0")
		case "attribute":
			a := &xsdField{name: c.attrs["name"], min: "0", max: "1"}
			if a.typ = qname(c, c.attrs["type"]); a.typ == "" {
				// An attribute without a type is xsd:anySimpleType, whose
				// values are those of xsd:string; the generated WSDL says
				// xsd:string.
				a.typ = "xsd:string"
			}
			out.attrs = append(out.attrs, a)
		case "annotation":
		default:
			t.Fatalf("unsupported %s in a complex type", c.name.Local)
		}
	}
	return out
}

// readSequence appends the elements of seq to out. An optional sequence
// makes each of its elements optional: a nested <sequence minOccurs="0">
// around one element accepts the same documents as the element with
// minOccurs="0", which is how the generated WSDL says it.
func readSequence(t testing.TB, out *xsdType, seq *node, optional bool) {
	t.Helper()
	for _, c := range seq.children {
		switch c.name.Local {
		case "element":
			f := &xsdField{
				name:     c.attrs["name"],
				typ:      qname(c, c.attrs["type"]),
				min:      or(c.attrs["minOccurs"], "1"),
				max:      or(c.attrs["maxOccurs"], "1"),
				nillable: c.attrs["nillable"] == "true",
				def:      c.attrs["default"],
			}
			if optional {
				f.min = "0"
			}
			if ct := c.child("complexType"); ct != nil {
				f.inline = readComplexType(t, ct)
			}
			if st := c.child("simpleType"); st != nil {
				r := st.child("restriction")
				f.typ = qname(r, r.attrs["base"])
				for _, facet := range r.children {
					f.facets += fmt.Sprintf(" %s=%s", facet.name.Local, facet.attrs["value"])
				}
			}
			out.fields = append(out.fields, f)
		case "sequence":
			readSequence(t, out, c, optional || c.attrs["minOccurs"] == "0")
		case "annotation":
		default:
			t.Fatalf("unsupported %s in a sequence", c.name.Local)
		}
	}
}

// qname resolves a type reference to "xsd:local" or "obj:local".
func qname(n *node, ref string) string {
	if ref == "" {
		return ""
	}
	name := n.resolve(ref)
	switch name.Space {
	case nsXSD:
		return "xsd:" + name.Local
	case soap.NamespaceObj:
		return "obj:" + name.Local
	case soap.NamespaceImpl:
		return "impl:" + name.Local
	}
	return ref + "?"
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// describe returns one line per declaration of t, inline types included,
// each naming everything the comparison looks at.
func describe(t *xsdType, path string) []string {
	var lines []string
	for _, f := range t.fields {
		lines = append(lines, fmt.Sprintf("%s%s type=%s min=%s max=%s nillable=%t default=%q%s",
			path, f.name, or(f.typ, "inline"), f.min, f.max, f.nillable, f.def, f.facets))
		if f.inline != nil {
			lines = append(lines, describe(f.inline, path+f.name+"/")...)
		}
	}
	for _, a := range t.attrs {
		lines = append(lines, fmt.Sprintf("%s@%s type=%s", path, a.name, a.typ))
	}
	return lines
}

// wsdlOperation is what a WSDL says of one operation.
type wsdlOperation struct {
	input, output string // element names of the messages
	soapAction    string
	style, use    string
}

// readOperations reads the port types and bindings of a WSDL document.
func readOperations(t testing.TB, defs *node) map[string]wsdlOperation {
	t.Helper()
	parts := make(map[string]string) // message name → element
	for _, m := range defs.children {
		if m.name.Local == "message" {
			parts[m.attrs["name"]] = m.resolve(m.child("part").attrs["element"]).Local
		}
	}
	ops := make(map[string]wsdlOperation)
	for _, pt := range defs.children {
		if pt.name.Local != "portType" {
			continue
		}
		for _, o := range pt.children {
			name := o.attrs["name"]
			if _, dup := ops[name]; dup {
				t.Errorf("operation %s in two port types", name)
			}
			ops[name] = wsdlOperation{
				input:  parts[o.resolve(o.child("input").attrs["message"]).Local],
				output: parts[o.resolve(o.child("output").attrs["message"]).Local],
			}
		}
	}
	for _, b := range defs.children {
		if b.name.Local != "binding" {
			continue
		}
		style := b.child("binding").attrs["style"]
		if tr := b.child("binding").attrs["transport"]; tr != "http://schemas.xmlsoap.org/soap/http" {
			t.Errorf("binding %s: transport %q", b.attrs["name"], tr)
		}
		for _, o := range b.children {
			if o.name.Local != "operation" {
				continue
			}
			op := ops[o.attrs["name"]]
			op.soapAction = o.child("operation").attrs["soapAction"]
			op.style = or(o.child("operation").attrs["style"], style)
			op.use = o.child("input").child("body").attrs["use"] + "/" + o.child("output").child("body").attrs["use"]
			ops[o.attrs["name"]] = op
		}
	}
	return ops
}

// vendorWSDL reads one of Payline's WSDL files.
func vendorWSDL(t testing.TB, service string) *node {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorsDir(t), "wsdl", service+".wsdl"))
	if err != nil {
		t.Fatal(err)
	}
	defs, err := parseTree(data)
	if err != nil {
		t.Fatal(err)
	}
	return defs
}

// generatedWSDL reads the WSDL the package generates.
func generatedWSDL(t testing.TB, service, address string) *node {
	t.Helper()
	data, err := soap.WSDL(service, address)
	if err != nil {
		t.Fatal(err)
	}
	defs, err := parseTree(data)
	if err != nil {
		t.Fatalf("the generated WSDL does not parse: %v", err)
	}
	if defs.name != (xml.Name{Space: nsWSDL, Local: "definitions"}) {
		t.Fatalf("the generated WSDL's root is %v", defs.name)
	}
	return defs
}
