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
	// No digits: an identifier never reads as a card number to the masker.
	for range 1000 {
		id := guichet.NewID("", time.Now())
		if strings.ContainsAny(id, "0123456789") || guichet.MaskCards(id) != id {
			t.Fatalf("NewID = %q holds digits", id)
		}
	}
	if got := guichet.Letters([]byte{0x00, 0x1f, 0xa9, 0xff}); got != "aabpkjpp" {
		t.Errorf("Letters = %q", got)
	}
}
