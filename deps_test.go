package guichet_test

import (
	"encoding/json"
	"os/exec"
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
