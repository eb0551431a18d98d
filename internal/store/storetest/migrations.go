package storetest

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Migration is one of a store's migration scripts.
type Migration struct {
	Version int
	Name    string
	Script  string
}

// MigrationsBefore reads, in order, the migrations of the store whose
// package the test runs in (its migrations directory) numbered below
// version, so that a test can build the schema an older guichet left.
func MigrationsBefore(t testing.TB, version int) []Migration {
	t.Helper()
	names, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	var list []Migration
	for _, name := range names {
		base := filepath.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			t.Fatal(err)
		}
		if v >= version {
			break
		}
		script, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, Migration{Version: v, Name: base, Script: string(script)})
	}
	return list
}
