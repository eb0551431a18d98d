package guichet_test

import (
	"strings"
	"testing"
	"time"

	"guichet"
)

func TestNewID(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	a, b := guichet.NewID("tx_", t0), guichet.NewID("tx_", t0.Add(time.Millisecond))
	if !strings.HasPrefix(a, "tx_") || len(a) != 3+24 {
		t.Fatalf("NewID = %q", a)
	}
	if a >= b {
		t.Errorf("later ID %s does not sort after %s", b, a)
	}
	if c := guichet.NewID("tx_", t0); c == a {
		t.Errorf("two IDs in the same millisecond are equal: %s", c)
	}
}
