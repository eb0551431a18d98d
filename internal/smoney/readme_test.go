package smoney_test

import (
	"bytes"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeMarker precedes the Go client of the README's S-money section.
const readmeMarker = "<!-- smoney-go-client: readme_test.go runs the block below as it is -->"

// goBlock is a Go code block right after the marker.
var goBlock = regexp.MustCompile("(?s)^\\s*```go\\n(.*?)```")

// TestReadmeClient runs the README's Go client, as a program of its own
// built by the go command, against a guichet test server: it must create
// a payment, print its Href under the server's API, and read it back
// waiting (Status 0). A README whose example breaks fails here.
func TestReadmeClient(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program with the go command")
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, found := bytes.Cut(readme, []byte(readmeMarker))
	m := goBlock.FindSubmatch(after)
	if !found || m == nil {
		t.Fatal("README.md has no Go block after the S-money client's marker")
	}
	dir := t.TempDir()
	for name, text := range map[string][]byte{"main.go": m[1], "go.mod": []byte("module readmeclient\n\ngo 1.26\n")} {
		if err := os.WriteFile(filepath.Join(dir, name), text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(build.Default.GOROOT, "bin", "go")
	}
	g := newGateway(t)
	cmd := exec.Command(goCmd, "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GUICHET_URL="+g.url, "GOTOOLCHAIN=local", "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "Href: "+g.url+"/api/sandbox/payment/smo_") ||
		!regexp.MustCompile(`^cmd-\d+: Amount 1500, Status 0$`).MatchString(lines[1]) {
		t.Fatalf("the client printed:\n%s", out)
	}
	// The payment it created is there, as the page it printed.
	orderID, _, _ := strings.Cut(lines[1], ":")
	if status, _, got := g.call("GET", "payins/cardpayments/"+orderID, nil); status != 200 || got["Message"] != "Order 42" {
		t.Errorf("the client's payment: HTTP %d %v", status, got)
	}
	if page := g.get(strings.TrimPrefix(lines[0], "Href: ")); page.Status != 200 {
		t.Errorf("the printed Href: HTTP %d", page.Status)
	}
}
