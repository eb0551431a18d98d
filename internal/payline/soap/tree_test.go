package soap_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vectorsDir returns the folder of Payline's vectors, shared by the
// repositories of the project, and skips the test when it is absent.
func vectorsDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "..", "shared", "vectors", "payline")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no Payline vectors: %v", err)
	}
	return dir
}

// fixtures returns the recorded fixtures whose base name contains kind
// ("Request" or "Response"), keyed by path relative to the fixtures
// folder.
func fixtures(t testing.TB, kind string) map[string][]byte {
	t.Helper()
	dir := filepath.Join(vectorsDir(t), "fixtures")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*", "*"+kind+"*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no %s fixture in %s", kind, dir)
	}
	out := make(map[string][]byte)
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, file)
		out[filepath.ToSlash(rel)] = data
	}
	return out
}

// node is an element of an XML document with its namespaces resolved,
// for the tests to compare documents and read WSDLs independently of the
// package under test.
type node struct {
	name     xml.Name          // resolved name
	attrs    map[string]string // attributes other than namespace declarations, by local name
	scope    map[string]string // prefixes in scope, "" for the default namespace
	text     string            // the element's own text
	children []*node
}

// parseTree reads a whole document.
func parseTree(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	root := &node{scope: map[string]string{"xml": "http://www.w3.org/XML/1998/namespace"}}
	stack := []*node{root}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		parent := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{attrs: make(map[string]string), scope: make(map[string]string)}
			for k, v := range parent.scope {
				n.scope[k] = v
			}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					n.scope[a.Name.Local] = a.Value
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					n.scope[""] = a.Value
				}
			}
			for _, a := range t.Attr {
				if a.Name.Space != "xmlns" && !(a.Name.Space == "" && a.Name.Local == "xmlns") {
					key := a.Name.Local
					if a.Name.Space != "" {
						key = n.scope[a.Name.Space] + " " + key
					}
					n.attrs[key] = a.Value
				}
			}
			n.name = xml.Name{Space: n.scope[t.Name.Space], Local: t.Name.Local}
			parent.children = append(parent.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			parent.text += string(t)
		}
	}
	if len(root.children) != 1 {
		return nil, io.ErrUnexpectedEOF
	}
	return root.children[0], nil
}

// resolve returns the namespace and local part of a qualified name written
// in n's scope.
func (n *node) resolve(qname string) xml.Name {
	prefix, local, ok := strings.Cut(qname, ":")
	if !ok {
		return xml.Name{Space: n.scope[""], Local: qname}
	}
	return xml.Name{Space: n.scope[prefix], Local: local}
}

// child returns n's first child of the given local name, or nil.
func (n *node) child(local string) *node {
	for _, c := range n.children {
		if c.name.Local == local {
			return c
		}
	}
	return nil
}

const xsiNil = "http://www.w3.org/2001/XMLSchema-instance nil"

// isNil reports whether n carries xsi:nil="true".
func (n *node) isNil() bool { return n.attrs[xsiNil] == "true" }

// hasValue reports whether n holds text or an attribute value at any
// depth.
func (n *node) hasValue() bool {
	if len(n.children) == 0 && strings.TrimSpace(n.text) != "" {
		return true
	}
	for k, v := range n.attrs {
		if k != xsiNil && v != "" {
			return true
		}
	}
	for _, c := range n.children {
		if c.hasValue() {
			return true
		}
	}
	return false
}

// body returns the element of the Body of a SOAP envelope.
func body(t testing.TB, envelope *node) *node {
	t.Helper()
	b := envelope.child("Body")
	if b == nil || len(b.children) == 0 {
		t.Fatalf("no element in the Body")
	}
	return b.children[0]
}
