package guichet_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"guichet"
)

func TestLuhnValid(t *testing.T) {
	for pan, want := range map[string]bool{
		"1111222233334444":     true,
		"4012001037141112":     true,
		"4012001038443335":     true,
		"374907403001005":      true,
		"36133990076017":       true,
		"1111222233335555":     false,
		"4012001037141113":     false,
		"9999999999999999":     false,
		"4012a01037141112":     false,
		"40120010":             false,
		"40120010371411124444": false,
	} {
		if got := guichet.LuhnValid(pan); got != want {
			t.Errorf("LuhnValid(%s) = %v, want %v", pan, got, want)
		}
	}
}

func TestCardNeverPrintsPAN(t *testing.T) {
	c := guichet.Card{PAN: "4012001037141112", ExpMonth: 12, ExpYear: 2030, CVV: "123"}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %s %+v", c, c, c), c.LogValue().String()} {
		if want := "401200XXXXXX1112"; !strings.Contains(s, want) || strings.Contains(s, "4012001037141112") || strings.Contains(s, "123") {
			t.Errorf("printed card %q, want only %q", s, want)
		}
	}
}

func TestCardExpired(t *testing.T) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		m, y int
		want bool
	}{{11, 2026, false}, {10, 2026, true}, {1, 2027, false}, {12, 2025, true}} {
		c := guichet.Card{ExpMonth: tt.m, ExpYear: tt.y}
		if got := c.Expired(now); got != tt.want {
			t.Errorf("%02d/%d expired = %v, want %v", tt.m, tt.y, got, tt.want)
		}
	}
}

func TestStoredCardEnd(t *testing.T) {
	if got := (guichet.StoredCard{ExpMonth: 12, ExpYear: 2030}).End(); !got.Equal(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)) {
		t.Errorf("12/2030 ends %v", got)
	}
	if got := (guichet.StoredCard{ExpMonth: 2, ExpYear: 2028}).End(); got.Day() != 29 || got.Month() != 2 {
		t.Errorf("02/2028 ends %v", got)
	}
	if !(guichet.StoredCard{}).End().IsZero() {
		t.Errorf("a card without expiry ends")
	}
}
