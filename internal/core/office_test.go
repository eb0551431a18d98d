package core_test

import (
	"fmt"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
)

// TestShopAudit records what users did in two shops through the service and
// reads each shop's trail back: its own entries only, with a transaction or
// without, newest first, bounded by the limit.
func TestShopAudit(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		record := func(shopID, transactionID, action string) {
			t.Helper()
			e := guichet.AuditEntry{User: "alice", ShopID: shopID, TransactionID: transactionID, Action: action}
			if err := svc.Record(t.Context(), e); err != nil {
				t.Fatal(err)
			}
		}
		record(shop.ID, "tx_1", "capture")
		clk.t = clk.t.Add(time.Minute)
		record("other", "tx_2", "refund")
		record(shop.ID, "", "settings")
		// Recorded at the same time as the one before it, and after it.
		record(shop.ID, "tx_1", "refund")
		actions := func(l []guichet.AuditEntry) string {
			s := ""
			for _, e := range l {
				s += fmt.Sprintf("%s:%s:%s ", e.ShopID, e.TransactionID, e.Action)
			}
			return s
		}
		for _, c := range []struct {
			shopID string
			limit  int
			want   string
		}{
			{shop.ID, 0, "s1:tx_1:refund s1::settings s1:tx_1:capture "},
			{shop.ID, 2, "s1:tx_1:refund s1::settings "},
			{"other", 0, "other:tx_2:refund "},
			{"none", 0, ""},
		} {
			l, err := svc.ShopAudit(t.Context(), c.shopID, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := actions(l); got != c.want {
				t.Errorf("ShopAudit(%s, %d): %q, want %q", c.shopID, c.limit, got, c.want)
			}
		}
	})
}
