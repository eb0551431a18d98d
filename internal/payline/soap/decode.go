package soap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
)

// UnknownOperationError reports a readable envelope whose Body holds an
// element that is none of the operations' requests (or, for
// DecodeResponse, answers). A front answers it differently from
// unreadable XML, which is a plain error.
type UnknownOperationError struct {
	Element string // the local name of the Body's element
}

func (e *UnknownOperationError) Error() string {
	return fmt.Sprintf("payline soap: no operation has the element %q", e.Element)
}

// DecodeRequest reads the SOAP 1.1 envelope of a merchant's request and
// returns the request it carries, a pointer to one of the *Request types.
//
// Merchants' SOAP stacks name namespaces as they please (PHP's SOAP-ENV
// and ns1, JAX-WS's S and default namespace, zeep's fresh nsN on every
// element), so elements are matched by local name; only the Envelope and
// its Body must be SOAP 1.1's. Elements the types do not know are skipped,
// and so is the order of known ones. An element marked xsi:nil="true" or
// written empty is absent: an empty string, or a nil pointer for an
// object that holds no text at any depth. Text is kept as sent, white
// space included, and of an element sent twice where one is expected the
// last wins. Nesting costs no recursion beyond the schema's own depth.
//
// The error is an *UnknownOperationError for a readable envelope carrying
// no known request, and a plain error for anything else: malformed XML, a
// missing Body, a Body without an element.
func DecodeRequest(body []byte) (Message, error) {
	return decode(body, "Request")
}

// DecodeResponse reads an answer the way DecodeRequest reads a request. A
// SOAP fault in the Body is returned as a *Fault error. Tests of a front
// use it to read what the front answered.
func DecodeResponse(body []byte) (Message, error) {
	return decode(body, "Response")
}

func decode(body []byte, suffix string) (Message, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = charsetReader
	c, err := readEnvelope(d, suffix)
	if err != nil {
		return nil, err
	}
	// Nothing but comments and white space may follow the envelope.
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("payline soap: %w", err)
		}
		if !ignorable(tok) {
			return nil, errors.New("payline soap: content after the envelope")
		}
	}
	return c.msg, c.err
}

// content is what a Body holds: a message, or the reason it holds none
// that a front can act on, reported only once the whole document proved
// well-formed.
type content struct {
	msg Message
	err error // an *UnknownOperationError or a *Fault
}

// readEnvelope reads the document up to the end of its Envelope and
// returns the content of its Body.
func readEnvelope(d *xml.Decoder, suffix string) (content, error) {
	start, err := nextElement(d)
	if err != nil {
		return content{}, err
	}
	if start == nil {
		return content{}, errors.New("payline soap: no element in the document")
	}
	if start.Name.Local != "Envelope" || start.Name.Space != namespaceEnvelope {
		return content{}, fmt.Errorf("payline soap: the document is a {%s}%s, not a SOAP 1.1 Envelope", start.Name.Space, start.Name.Local)
	}
	var c content
	found := false
	for {
		child, err := nextElement(d)
		if err != nil {
			return content{}, err
		}
		if child == nil {
			break
		}
		// Headers carry nothing Payline defines, and SOAP 1.1 lets
		// anything follow the Body.
		if found || child.Name.Local != "Body" || child.Name.Space != namespaceEnvelope {
			if err := d.Skip(); err != nil {
				return content{}, fmt.Errorf("payline soap: %w", err)
			}
			continue
		}
		found = true
		if c, err = readBody(d, suffix); err != nil {
			return content{}, err
		}
	}
	if !found {
		return content{}, errors.New("payline soap: the Envelope has no Body")
	}
	return c, nil
}

// readBody reads the Body up to its end and returns its first element
// decoded.
func readBody(d *xml.Decoder, suffix string) (content, error) {
	start, err := nextElement(d)
	if err != nil {
		return content{}, err
	}
	if start == nil {
		return content{}, errors.New("payline soap: the Body is empty")
	}
	var c content
	t, ok := schema.elements[start.Name.Local]
	switch {
	case ok && strings.HasSuffix(start.Name.Local, suffix):
		v := reflect.New(t)
		if err := readObject(d, schema.model.types[t], v.Elem(), start); err != nil {
			return content{}, err
		}
		c.msg = v.Interface().(Message)
	case suffix == "Response" && start.Name.Local == "Fault" && start.Name.Space == namespaceEnvelope:
		f := &Fault{}
		if err := readFault(d, f); err != nil {
			return content{}, err
		}
		c.err = f
	default:
		if err := d.Skip(); err != nil {
			return content{}, fmt.Errorf("payline soap: %w", err)
		}
		c.err = &UnknownOperationError{Element: start.Name.Local}
	}
	// Anything after the first element of the Body is not Payline's.
	for {
		next, err := nextElement(d)
		if err != nil {
			return content{}, err
		}
		if next == nil {
			return c, nil
		}
		if err := d.Skip(); err != nil {
			return content{}, fmt.Errorf("payline soap: %w", err)
		}
	}
}

// nextElement returns the next child element of the element being read,
// or nil at its end.
func nextElement(d *xml.Decoder) (*xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			// At the top level, EOF ends the document; inside an
			// element, the decoder reports it as a syntax error.
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("payline soap: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return &t, nil
		case xml.EndElement:
			return nil, nil
		}
	}
}

// ignorable reports whether tok, found outside the root element, may be
// skipped.
func ignorable(tok xml.Token) bool {
	switch t := tok.(type) {
	case xml.CharData:
		return len(bytes.TrimSpace(t)) == 0
	case xml.Comment, xml.ProcInst, xml.Directive:
		return true
	}
	return false
}

// readObject decodes the content of start, an element of type ct, into v.
func readObject(d *xml.Decoder, ct *complexType, v reflect.Value, start *xml.StartElement) error {
	for _, a := range ct.attrs {
		for _, attr := range start.Attr {
			if attr.Name.Space == "" && attr.Name.Local == a.name {
				v.Field(a.index).SetString(attr.Value)
			}
		}
	}
	for {
		child, err := nextElement(d)
		if err != nil {
			return err
		}
		if child == nil {
			return nil
		}
		f := ct.byName[child.Name.Local]
		if f == nil || isNil(child) {
			if err := d.Skip(); err != nil {
				return fmt.Errorf("payline soap: %w", err)
			}
			if f != nil && !f.repeated {
				// The last occurrence of a field wins, even when nil.
				v.Field(f.index).SetZero()
			}
			continue
		}
		if err := readField(d, f, v.Field(f.index), child); err != nil {
			return err
		}
	}
}

// readField decodes one occurrence of field f into fv.
func readField(d *xml.Decoder, f *field, fv reflect.Value, start *xml.StartElement) error {
	var item reflect.Value
	if f.kind == kindText {
		s, err := readText(d)
		if err != nil {
			return err
		}
		item = reflect.ValueOf(s)
	} else {
		p := reflect.New(f.typ.goType)
		if err := readObject(d, f.typ, p.Elem(), start); err != nil {
			return err
		}
		item = p
		if f.repeated {
			item = p.Elem()
		}
	}
	switch {
	case f.emptyItem(item):
		// An empty occurrence is absent: it adds no item to a list and
		// clears a single field.
		if !f.repeated {
			fv.SetZero()
		}
	case f.repeated:
		fv.Set(reflect.Append(fv, item))
	default:
		fv.Set(item)
	}
	return nil
}

// readText returns the text of the element being read, ignoring any child
// element.
func readText(d *xml.Decoder) (string, error) {
	var text []byte
	for depth := 0; ; {
		tok, err := d.Token()
		if err != nil {
			return "", fmt.Errorf("payline soap: %w", err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if depth == 0 {
				text = append(text, t...)
			}
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return string(text), nil
			}
			depth--
		}
	}
}

// isNil reports whether start carries xsi:nil="true". The prefix of an
// undeclared xsi namespace is accepted as well: a sloppy client means the
// same.
func isNil(start *xml.StartElement) bool {
	for _, a := range start.Attr {
		if a.Name.Local == "nil" && (a.Name.Space == namespaceXSI || a.Name.Space == "xsi") {
			v := strings.TrimSpace(a.Value)
			return v == "true" || v == "1"
		}
	}
	return false
}

// readFault decodes the content of a SOAP 1.1 Fault.
func readFault(d *xml.Decoder, f *Fault) error {
	for {
		child, err := nextElement(d)
		if err != nil {
			return err
		}
		if child == nil {
			return nil
		}
		switch child.Name.Local {
		case "faultcode":
			code, err := readText(d)
			if err != nil {
				return err
			}
			// The code is a qualified name; its prefix is the
			// envelope's, whatever the sender called it.
			code = strings.TrimSpace(code)
			f.Code = FaultCode(code[strings.LastIndex(code, ":")+1:])
		case "faultstring":
			if f.String, err = readText(d); err != nil {
				return err
			}
		default:
			if err := d.Skip(); err != nil {
				return fmt.Errorf("payline soap: %w", err)
			}
		}
	}
}

// charsetReader lets the decoder read the single-byte encodings a PHP or
// Java stack may declare besides UTF-8.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii":
		raw, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		// Every byte of ISO-8859-1 is the code point of the same value;
		// ASCII is its first half.
		out := make([]byte, 0, len(raw)+len(raw)/8)
		for _, b := range raw {
			out = utf8.AppendRune(out, rune(b))
		}
		return bytes.NewReader(out), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}
