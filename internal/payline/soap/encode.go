package soap

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"reflect"
)

// Marshal returns the SOAP envelope of m as Payline writes its answers:
// an empty soapenv:Header, the wrapper element prefixed impl: declaring
// the impl, obj and xsi namespaces, its children prefixed impl: and
// everything inside an object prefixed obj:, in the order of the schema,
// indented by four spaces like the recorded answers.
//
// An empty value (an empty string, a nil pointer or an object holding
// nothing) is left out when its element is optional; a required one is
// written xsi:nil="true" when nillable, else as an empty element, so that
// a client validating against the WSDL finds every element it expects.
//
// Requests marshal the same way, which tests of a front use to play a
// merchant.
func Marshal(m Message) ([]byte, error) {
	v := reflect.ValueOf(m)
	if !v.IsValid() || v.Kind() != reflect.Pointer {
		return nil, fmt.Errorf("payline soap: cannot marshal %T", m)
	}
	element, ok := schema.wrappers[v.Type().Elem()]
	if !ok {
		return nil, fmt.Errorf("payline soap: cannot marshal %T", m)
	}
	if v.IsNil() {
		v = reflect.New(v.Type().Elem())
	}
	e := &encoder{}
	e.line(0, `<soapenv:Envelope xmlns:soapenv="`+namespaceEnvelope+`">`)
	e.line(1, `<soapenv:Header/>`)
	e.line(1, `<soapenv:Body>`)
	e.line(2, `<impl:`+element+` xmlns:impl="`+NamespaceImpl+`" xmlns:obj="`+NamespaceObj+`" xmlns:xsi="`+namespaceXSI+`">`)
	e.children(3, schema.model.types[v.Type().Elem()], v.Elem())
	e.line(2, `</impl:`+element+`>`)
	e.line(1, `</soapenv:Body>`)
	e.buf.WriteString(`</soapenv:Envelope>`)
	return e.buf.Bytes(), nil
}

// encoder writes indented XML into a buffer.
type encoder struct {
	buf bytes.Buffer
}

// line writes s on a line of its own at the given depth.
func (e *encoder) line(depth int, s string) {
	e.indent(depth)
	e.buf.WriteString(s)
	e.buf.WriteByte('\n')
}

func (e *encoder) indent(depth int) {
	for range depth {
		e.buf.WriteString("    ")
	}
}

// prefix returns the prefix of the elements of a type of namespace ns.
func prefix(ns string) string {
	if ns == NamespaceImpl {
		return "impl:"
	}
	return "obj:"
}

// children writes the child elements of v, a value of ct's Go type.
func (e *encoder) children(depth int, ct *complexType, v reflect.Value) {
	p := prefix(ct.ns)
	for _, f := range ct.elements {
		fv := v.Field(f.index)
		if !f.repeated {
			if f.emptyItem(fv) {
				e.empty(depth, p, f)
			} else {
				e.element(depth, p, f, fv)
			}
			continue
		}
		written := false
		for i := range fv.Len() {
			if item := fv.Index(i); !f.emptyItem(item) {
				e.element(depth, p, f, item)
				written = true
			}
		}
		if !written {
			e.empty(depth, p, f)
		}
	}
}

// element writes one occurrence of f, whose value v is not empty.
func (e *encoder) element(depth int, p string, f *field, v reflect.Value) {
	name := p + f.name
	e.indent(depth)
	e.buf.WriteString("<" + name)
	if f.kind == kindText {
		e.buf.WriteByte('>')
		escape(&e.buf, v.String())
		e.buf.WriteString("</" + name + ">\n")
		return
	}
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	for _, a := range f.typ.attrs {
		if s := v.Field(a.index).String(); s != "" {
			e.buf.WriteString(" " + a.name + `="`)
			escape(&e.buf, s)
			e.buf.WriteByte('"')
		}
	}
	if len(f.typ.elements) == 0 {
		e.buf.WriteString("/>\n")
		return
	}
	e.buf.WriteString(">\n")
	e.children(depth+1, f.typ, v)
	e.line(depth, "</"+name+">")
}

// empty writes f holding no value: nothing if it is optional, else a nil
// or empty element.
func (e *encoder) empty(depth int, p string, f *field) {
	switch {
	case f.optional:
	case f.nillable:
		e.line(depth, "<"+p+f.name+` xsi:nil="true"/>`)
	default:
		e.line(depth, "<"+p+f.name+"/>")
	}
}

// escape writes s as XML text, fit for an element or a double-quoted
// attribute. Characters XML cannot carry become U+FFFD, so the output is
// always well-formed.
func escape(buf *bytes.Buffer, s string) {
	// EscapeText escapes quotes, tabs and line breaks too, which keeps
	// them intact through attribute-value and end-of-line normalisation.
	_ = xml.EscapeText(buf, []byte(s))
}

// FaultCode is the faultcode of a SOAP 1.1 fault: whose fault it is.
type FaultCode string

// The two fault codes a server answers with.
const (
	// Client blames the request: unreadable XML, no Body, an unknown
	// operation.
	Client FaultCode = "Client"
	// Server blames the server: the request may succeed later.
	Server FaultCode = "Server"
)

// A Fault is a SOAP 1.1 fault, the answer to a request the server cannot
// read at all. Payline answers every request it can read with the
// operation's own answer, errors included, so a fault is for malformed
// envelopes only.
type Fault struct {
	Code   FaultCode
	String string // faultstring: a human-readable explanation
}

func (f *Fault) Error() string {
	return fmt.Sprintf("payline soap: fault %s: %s", f.Code, f.String)
}

// Marshal returns the envelope of the fault, with the faultcode qualified
// by the envelope's prefix as SOAP 1.1 requires.
func (f *Fault) Marshal() []byte {
	e := &encoder{}
	e.line(0, `<soapenv:Envelope xmlns:soapenv="`+namespaceEnvelope+`">`)
	e.line(1, `<soapenv:Body>`)
	e.line(2, `<soapenv:Fault>`)
	e.indent(3)
	e.buf.WriteString("<faultcode>soapenv:")
	escape(&e.buf, string(f.Code))
	e.buf.WriteString("</faultcode>\n")
	e.indent(3)
	e.buf.WriteString("<faultstring>")
	escape(&e.buf, f.String)
	e.buf.WriteString("</faultstring>\n")
	e.line(2, `</soapenv:Fault>`)
	e.line(1, `</soapenv:Body>`)
	e.buf.WriteString(`</soapenv:Envelope>`)
	return e.buf.Bytes()
}
