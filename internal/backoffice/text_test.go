package backoffice

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestTexts: both languages have every text, and every text a template
// names by a literal key exists.
func TestTexts(t *testing.T) {
	for key := range texts["fr"] {
		if texts["en"][key] == "" {
			t.Errorf("no English for %q", key)
		}
	}
	for key := range texts["en"] {
		if texts["fr"][key] == "" {
			t.Errorf("no French for %q", key)
		}
	}
	used := regexp.MustCompile(`\(?t \$?\.T "([^"]+)"`)
	pages, err := fs.Glob(assets, "templates/*.html")
	if err != nil || len(pages) == 0 {
		t.Fatalf("templates: %v %v", pages, err)
	}
	found := 0
	for _, name := range pages {
		b, err := fs.ReadFile(assets, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			found++
			if texts["fr"][m[1]] == "" {
				t.Errorf("%s uses %q, which has no text", name, m[1])
			}
		}
	}
	if found < 50 {
		t.Errorf("only %d texts found in the templates: the pattern no longer reads them", found)
	}
}
