package soap

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// The struct tags of this package's types are the schema: the encoder,
// the decoder and the WSDL generator all read it from there, through the
// model built below. A field's tag is
//
//	xsd:"name[,option]..."
//
// where name is the element's local name and the options are:
//
//	optional     minOccurs="0": left out of an answer when empty
//	nillable     nillable="true": written xsi:nil="true" when empty and required
//	max=N        maxOccurs of a slice field, a number or "unbounded"
//	type=T       the XSD type of a string field that is not xsd:string
//	             (boolean, int, integer, base64Binary, dateTime)
//	default=V    the element's default value, for the WSDL only
//	enum=A B C   the values of an anonymous xsd:string enumeration
//	length=N     the length facet of an anonymous xsd:string restriction
//	attr         an attribute rather than a child element
//
// A string field is a simple element, a pointer to a struct an element of
// a complex type, and a slice of either a repeated element.

// kind says how a field appears on the wire.
type kind uint8

const (
	kindText   kind = iota // an element holding text
	kindObject             // an element holding elements
	kindAttr               // an attribute of the enclosing element
)

// field is one element (or attribute) of a complex type.
type field struct {
	name     string // local name on the wire
	index    int    // index of the Go struct field
	kind     kind
	repeated bool   // a slice: maxOccurs other than 1
	optional bool   // minOccurs="0"
	nillable bool   // nillable="true"
	max      int    // maxOccurs of a repeated field, 0 for unbounded
	xsdType  string // XSD type of a simple field or an attribute, without prefix
	def      string // default value
	enum     []string
	length   string
	typ      *complexType // the type of a complex field
}

// complexType is the model of one struct type.
type complexType struct {
	goType reflect.Type
	// name is the type's name in the obj schema, or "" when the type is
	// declared inline: the wrapper of a message or an anonymous type.
	name string
	// ns is the namespace of the type's child elements: that of the
	// schema declaring it, since both schemas qualify local elements.
	ns       string
	elements []*field
	attrs    []*field
	byName   map[string]*field // elements by local name, for decoding
}

// xsdTypes are the built-in types a string field may declare besides
// xsd:string.
var xsdTypes = []string{"boolean", "int", "integer", "base64Binary", "dateTime"}

// model holds the complex types of the schema, keyed by Go type.
type model struct {
	types map[reflect.Type]*complexType
}

// newModel builds the model of the named obj types and of the messages of
// every operation. It panics on a malformed tag: the types are fixed at
// compile time and every test builds the model, so a mistake cannot
// reach a running server.
func newModel(named []namedType, ops []operation) *model {
	m := &model{types: make(map[reflect.Type]*complexType)}
	// Register every named type before reading any, so that references
	// between them resolve whatever their order.
	for _, n := range named {
		if _, dup := m.types[n.typ]; dup {
			panic(fmt.Sprintf("payline soap: type %v named twice", n.typ))
		}
		m.types[n.typ] = &complexType{goType: n.typ, name: n.name, ns: NamespaceObj}
	}
	for _, n := range named {
		m.fill(m.types[n.typ])
	}
	for _, op := range ops {
		for _, t := range []reflect.Type{op.request, op.response} {
			if _, dup := m.types[t]; dup {
				panic(fmt.Sprintf("payline soap: message type %v used twice", t))
			}
			ct := &complexType{goType: t, ns: NamespaceImpl}
			m.types[t] = ct
			m.fill(ct)
		}
	}
	return m
}

// fill reads the fields of ct from the struct tags of its Go type.
func (m *model) fill(ct *complexType) {
	ct.byName = make(map[string]*field)
	for i := range ct.goType.NumField() {
		sf := ct.goType.Field(i)
		f := parseField(sf)
		f.index = i
		if f.kind == kindAttr {
			ct.attrs = append(ct.attrs, f)
			continue
		}
		if _, dup := ct.byName[f.name]; dup {
			panic(fmt.Sprintf("payline soap: %v declares element %q twice", ct.goType, f.name))
		}
		ct.byName[f.name] = f
		ct.elements = append(ct.elements, f)
		if f.kind == kindObject {
			// Both a slice of structs and a pointer to a struct have
			// the struct as element type.
			f.typ = m.anonymous(sf.Type.Elem(), ct.ns)
		}
	}
}

// anonymous returns the model of t, building it as an inline type of a
// schema whose namespace is ns when t is not a named type. An inline type
// belongs to one schema: reaching it from the other is a mistake.
func (m *model) anonymous(t reflect.Type, ns string) *complexType {
	if ct, ok := m.types[t]; ok {
		if ct.name == "" && ct.ns != ns {
			panic(fmt.Sprintf("payline soap: anonymous type %v used in two schemas", t))
		}
		return ct
	}
	ct := &complexType{goType: t, ns: ns}
	m.types[t] = ct
	m.fill(ct)
	return ct
}

// parseField reads the tag of one struct field.
func parseField(sf reflect.StructField) *field {
	tag, ok := sf.Tag.Lookup("xsd")
	if !ok || !sf.IsExported() {
		panic(fmt.Sprintf("payline soap: field %s has no xsd tag", sf.Name))
	}
	parts := strings.Split(tag, ",")
	f := &field{name: parts[0], xsdType: "string"}
	if f.name == "" {
		panic(fmt.Sprintf("payline soap: field %s has no element name", sf.Name))
	}
	maxSet := false
	for _, opt := range parts[1:] {
		key, value, _ := strings.Cut(opt, "=")
		switch key {
		case "optional":
			f.optional = true
		case "nillable":
			f.nillable = true
		case "attr":
			f.kind = kindAttr
		case "max":
			maxSet = true
			if value != "unbounded" {
				n, err := strconv.Atoi(value)
				if err != nil || n < 2 {
					panic(fmt.Sprintf("payline soap: field %s: bad maxOccurs %q", sf.Name, value))
				}
				f.max = n
			}
		case "type":
			if !slices.Contains(xsdTypes, value) {
				panic(fmt.Sprintf("payline soap: field %s: unknown type %q", sf.Name, value))
			}
			f.xsdType = value
		case "default":
			f.def = value
		case "enum":
			f.enum = strings.Fields(value)
		case "length":
			f.length = value
		default:
			panic(fmt.Sprintf("payline soap: field %s: unknown option %q", sf.Name, opt))
		}
	}
	t := sf.Type
	if t.Kind() == reflect.Slice {
		f.repeated = true
		t = t.Elem()
	}
	if f.repeated != maxSet {
		panic(fmt.Sprintf("payline soap: field %s: a slice needs max=, and only a slice", sf.Name))
	}
	switch {
	case t.Kind() == reflect.String:
		if f.kind == kindAttr && f.repeated {
			panic(fmt.Sprintf("payline soap: field %s: a repeated attribute", sf.Name))
		}
	case f.kind != kindAttr && !f.repeated && t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct,
		f.kind != kindAttr && f.repeated && t.Kind() == reflect.Struct:
		f.kind = kindObject
		if f.xsdType != "string" || f.enum != nil || f.length != "" || f.def != "" {
			panic(fmt.Sprintf("payline soap: field %s: a facet on a complex element", sf.Name))
		}
		f.xsdType = ""
	default:
		panic(fmt.Sprintf("payline soap: field %s: unsupported Go type %v", sf.Name, sf.Type))
	}
	return f
}

// empty reports whether v, a value of ct's Go type, holds nothing to
// write: no text in any field, at any depth. Such an object is absent.
func (ct *complexType) empty(v reflect.Value) bool {
	for _, f := range ct.attrs {
		if v.Field(f.index).String() != "" {
			return false
		}
	}
	for _, f := range ct.elements {
		if !f.empty(v.Field(f.index)) {
			return false
		}
	}
	return true
}

// empty reports whether v, the value of field f, holds nothing to write.
func (f *field) empty(v reflect.Value) bool {
	if f.repeated {
		for i := range v.Len() {
			if !f.emptyItem(v.Index(i)) {
				return false
			}
		}
		return true
	}
	return f.emptyItem(v)
}

// emptyItem reports whether v, one occurrence of f (a string, a pointer
// to a struct or, in a slice, a struct), holds nothing to write.
func (f *field) emptyItem(v reflect.Value) bool {
	switch {
	case f.kind != kindObject:
		return v.String() == ""
	case v.Kind() == reflect.Pointer:
		return v.IsNil() || f.typ.empty(v.Elem())
	default:
		return f.typ.empty(v)
	}
}
