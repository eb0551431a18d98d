package soap

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
)

// The three services of Payline's SOAP API, each at
// <host>/V4/services/<name>.
const (
	WebPaymentAPI    = "WebPaymentAPI"
	DirectPaymentAPI = "DirectPaymentAPI"
	ExtendedAPI      = "ExtendedAPI"
)

// WSDL returns the WSDL document of service, one of WebPaymentAPI,
// DirectPaymentAPI and ExtendedAPI, served at address (such as
// "https://host/V4/services/WebPaymentAPI").
//
// The document is generated from this package's types, so it describes
// exactly what Marshal writes and DecodeRequest reads: the impl schema
// with each operation's request and answer elements, the obj schema with
// the 83 complex types, one message per element, and a document/literal
// SOAP 1.1 binding whose soapAction is the operation's name. Payline's own
// files give each service a port type of its own operations; this one
// puts all 42 operations in one, since a front accepts any operation at
// any of the three addresses.
func WSDL(service, address string) ([]byte, error) {
	if !slices.Contains([]string{WebPaymentAPI, DirectPaymentAPI, ExtendedAPI}, service) {
		return nil, fmt.Errorf("payline soap: no service %q", service)
	}
	w := &encoder{}
	w.line(0, `<?xml version="1.0" encoding="UTF-8"?>`)
	w.line(0, `<wsdl:definitions targetNamespace="`+NamespaceImpl+`" xmlns:impl="`+NamespaceImpl+`" xmlns:obj="`+NamespaceObj+
		`" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:wsdlsoap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="`+namespaceXSD+`">`)

	w.line(1, `<wsdl:types>`)
	w.line(2, `<xsd:schema elementFormDefault="qualified" targetNamespace="`+NamespaceImpl+`">`)
	w.line(3, `<xsd:import namespace="`+NamespaceObj+`"/>`)
	for _, op := range schema.operations {
		for _, element := range []string{op.name + "Request", op.name + "Response"} {
			w.line(3, `<xsd:element name="`+element+`">`)
			w.complexType(4, "", schema.model.types[schema.elements[element]])
			w.line(3, `</xsd:element>`)
		}
	}
	w.line(2, `</xsd:schema>`)
	w.line(2, `<xsd:schema elementFormDefault="qualified" targetNamespace="`+NamespaceObj+`">`)
	for _, n := range namedTypes {
		w.complexType(3, n.name, schema.model.types[n.typ])
	}
	w.line(2, `</xsd:schema>`)
	w.line(1, `</wsdl:types>`)

	for _, op := range schema.operations {
		for _, element := range []string{op.name + "Request", op.name + "Response"} {
			w.line(1, `<wsdl:message name="`+element+`">`)
			w.line(2, `<wsdl:part name="parameters" element="impl:`+element+`"/>`)
			w.line(1, `</wsdl:message>`)
		}
	}

	w.line(1, `<wsdl:portType name="`+service+`">`)
	for _, op := range schema.operations {
		w.line(2, `<wsdl:operation name="`+op.name+`">`)
		w.line(3, `<wsdl:input name="`+op.name+`Request" message="impl:`+op.name+`Request"/>`)
		w.line(3, `<wsdl:output name="`+op.name+`Response" message="impl:`+op.name+`Response"/>`)
		w.line(2, `</wsdl:operation>`)
	}
	w.line(1, `</wsdl:portType>`)

	w.line(1, `<wsdl:binding name="`+service+`SoapBinding" type="impl:`+service+`">`)
	w.line(2, `<wsdlsoap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>`)
	for _, op := range schema.operations {
		w.line(2, `<wsdl:operation name="`+op.name+`">`)
		w.line(3, `<wsdlsoap:operation soapAction="`+op.name+`"/>`)
		w.line(3, `<wsdl:input name="`+op.name+`Request">`)
		w.line(4, `<wsdlsoap:body use="literal"/>`)
		w.line(3, `</wsdl:input>`)
		w.line(3, `<wsdl:output name="`+op.name+`Response">`)
		w.line(4, `<wsdlsoap:body use="literal"/>`)
		w.line(3, `</wsdl:output>`)
		w.line(2, `</wsdl:operation>`)
	}
	w.line(1, `</wsdl:binding>`)

	w.line(1, `<wsdl:service name="`+service+`">`)
	w.line(2, `<wsdl:port name="`+service+`" binding="impl:`+service+`SoapBinding">`)
	w.indent(3)
	w.buf.WriteString(`<wsdlsoap:address location="`)
	escape(&w.buf, address)
	w.buf.WriteString("\"/>\n")
	w.line(2, `</wsdl:port>`)
	w.line(1, `</wsdl:service>`)
	w.buf.WriteString(`</wsdl:definitions>` + "\n")
	return w.buf.Bytes(), nil
}

// complexType writes the declaration of ct, named name or, when name is
// empty, inline.
func (w *encoder) complexType(depth int, name string, ct *complexType) {
	open := `<xsd:complexType>`
	if name != "" {
		open = `<xsd:complexType name="` + name + `">`
	}
	if len(ct.elements) == 0 && len(ct.attrs) == 0 {
		w.line(depth, open[:len(open)-1]+"/>")
		return
	}
	w.line(depth, open)
	if len(ct.elements) > 0 {
		w.line(depth+1, `<xsd:sequence>`)
		for _, f := range ct.elements {
			w.elementDecl(depth+2, f)
		}
		w.line(depth+1, `</xsd:sequence>`)
	}
	for _, a := range ct.attrs {
		w.line(depth+1, `<xsd:attribute name="`+a.name+`" type="xsd:`+a.xsdType+`"/>`)
	}
	w.line(depth, `</xsd:complexType>`)
}

// elementDecl writes the declaration of the element of field f.
func (w *encoder) elementDecl(depth int, f *field) {
	var buf bytes.Buffer
	buf.WriteString(`<xsd:element name="` + f.name + `"`)
	inline := f.kind == kindObject && f.typ.name == "" || f.enum != nil || f.length != ""
	switch {
	case inline:
	case f.kind == kindObject:
		buf.WriteString(` type="obj:` + f.typ.name + `"`)
	default:
		buf.WriteString(` type="xsd:` + f.xsdType + `"`)
	}
	if f.optional {
		buf.WriteString(` minOccurs="0"`)
	}
	if f.repeated {
		occurs := "unbounded"
		if f.max > 0 {
			occurs = strconv.Itoa(f.max)
		}
		buf.WriteString(` maxOccurs="` + occurs + `"`)
	}
	if f.nillable {
		buf.WriteString(` nillable="true"`)
	}
	if f.def != "" {
		buf.WriteString(` default="`)
		escape(&buf, f.def)
		buf.WriteString(`"`)
	}
	if !inline {
		w.line(depth, buf.String()+"/>")
		return
	}
	w.line(depth, buf.String()+">")
	if f.kind == kindObject {
		w.complexType(depth+1, "", f.typ)
	} else {
		w.line(depth+1, `<xsd:simpleType>`)
		w.line(depth+2, `<xsd:restriction base="xsd:`+f.xsdType+`">`)
		for _, v := range f.enum {
			w.indent(depth + 3)
			w.buf.WriteString(`<xsd:enumeration value="`)
			escape(&w.buf, v)
			w.buf.WriteString("\"/>\n")
		}
		if f.length != "" {
			w.line(depth+3, `<xsd:length value="`+f.length+`"/>`)
		}
		w.line(depth+2, `</xsd:restriction>`)
		w.line(depth+1, `</xsd:simpleType>`)
	}
	w.line(depth, `</xsd:element>`)
}
