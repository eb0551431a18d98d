package guichet_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDependencies keeps the domain package free of anything but the
// standard library, so that every other package can depend on it.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-json=ImportPath,Standard", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Standard   bool
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if !p.Standard && p.ImportPath != "guichet" {
			t.Errorf("package guichet depends on %s, which is not in the standard library", p.ImportPath)
		}
	}
}

// TestBinaryWithoutTesting keeps test helpers out of the production binary:
// a package that imports testing belongs in a _test.go file or in a test
// helper package such as pgtest, never on the path of cmd/guichet.
func TestBinaryWithoutTesting(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "./cmd/guichet").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for p := range strings.FieldsSeq(string(out)) {
		if p == "testing" || strings.HasPrefix(p, "testing/") {
			t.Errorf("cmd/guichet links %s", p)
		}
	}
}

// TestFrontsGoThroughTheCore keeps the fronts (every package under
// internal/ but the core and the parts it is built from) off the store:
// they read and write through core.Service, never through its Store, so
// that business rules stay in the core and no front code runs inside a
// store unit of work.
func TestFrontsGoThroughTheCore(t *testing.T) {
	notFronts := map[string]bool{"core": true, "store": true, "vault": true, "sim": true, "notify": true, "web": true, "secretfile": true}
	dirs, err := os.ReadDir("internal")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() || notFronts[d.Name()] {
			continue
		}
		files, err := filepath.Glob(filepath.Join("internal", d.Name(), "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok && len(call.Args) == 0 {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Store" {
						t.Errorf("%s calls %s.Store(): a front reads through the core", name, types.ExprString(sel.X))
					}
				}
				return true
			})
		}
	}
}
