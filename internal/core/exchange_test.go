package core_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/core"
)

// TestRecordExchange checks what the exchange log keeps of what fronts
// record: card numbers masked in every field, and fields cut to bounds that
// are tighter for requests nobody authenticated.
func TestRecordExchange(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		big := strings.Repeat("A=1&", 25<<10)
		for _, tt := range []struct {
			name  string
			in    guichet.Exchange
			check func(t *testing.T, e guichet.Exchange)
		}{
			{"unauthenticated, large", guichet.Exchange{Operation: "00001", Request: big, Response: big}, func(t *testing.T, e guichet.Exchange) {
				for _, s := range []string{e.Request, e.Response} {
					if len(s) > 2<<10+32 || !strings.HasPrefix(s, "A=1&") || !strings.HasSuffix(s, "more bytes]") {
						t.Errorf("kept %d bytes ending %q, want 2 KiB and a note of the rest", len(s), s[max(0, len(s)-40):])
					}
				}
			}},
			{"authenticated, large", guichet.Exchange{ShopID: shop.ID, Operation: "00001", Request: big}, func(t *testing.T, e guichet.Exchange) {
				if len(e.Request) < 64<<10-4 || len(e.Request) > 64<<10+32 {
					t.Errorf("kept %d bytes, want 64 KiB", len(e.Request))
				}
			}},
			{"labels and reference copied from the request", guichet.Exchange{Operation: big, Code: big, Protocol: "ppps", Reference: big},
				func(t *testing.T, e guichet.Exchange) {
					if len(e.Operation) > 64+32 || len(e.Code) > 64+32 || len(e.Reference) != 512 {
						t.Errorf("kept an operation of %d bytes, a code of %d, a reference of %d", len(e.Operation), len(e.Code), len(e.Reference))
					}
				}},
			{"card numbers anywhere", guichet.Exchange{ShopID: shop.ID, Operation: "TYPE=4012001037141112", Code: "4012001037141112",
				Reference: "cmd-4012001037141112", Request: "porteur=4012+0010+3714+1112&PORTEUR=4012001037141112X&x=4012 0010 3714 1112",
				Response: "PORTEUR=4012001037141112"}, func(t *testing.T, e guichet.Exchange) {
				if e.Reference != "cmd-401200XXXXXX1112" || e.Request != "porteur=4012+00XX+XXXX+1112&PORTEUR=401200XXXXXX1112X&x=4012 00XX XXXX 1112" {
					t.Errorf("kept %+v", e)
				}
				// The reference as sent finds the exchange.
				list, err := svc.Exchanges(context.Background(), guichet.ExchangeFilter{Reference: "cmd-4012001037141112"})
				if err != nil || len(list) != 1 || list[0].ID != e.ID {
					t.Errorf("Exchanges by the reference as sent: %+v, %v", list, err)
				}
			}},
			{"a card number where the request is cut", guichet.Exchange{Request: strings.Repeat("a", 2040) + "4012001037141112"},
				func(t *testing.T, e guichet.Exchange) {
					if strings.Contains(e.Request, "4012001") {
						t.Errorf("kept %q", e.Request[2030:])
					}
				}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				tt.in.ID, tt.in.At = guichet.NewID("exc_", clk.t), clk.t
				if err := svc.RecordExchange(context.Background(), tt.in); err != nil {
					t.Fatal(err)
				}
				list, err := svc.Store().Exchanges(context.Background(), guichet.ExchangeFilter{Limit: 1})
				if err != nil || len(list) != 1 || list[0].ID != tt.in.ID {
					t.Fatalf("Exchanges: %+v, %v", list, err)
				}
				for _, s := range []string{list[0].Protocol, list[0].Operation, list[0].Code, list[0].Reference, list[0].Request, list[0].Response} {
					if strings.Contains(s, "4012001037141112") || strings.Contains(s, "0010 3714") || strings.Contains(s, "0010+3714") {
						t.Errorf("kept the card number: %q", s)
					}
				}
				tt.check(t, list[0])
			})
		}
	})
}

// TestPurgeExchanges checks the retention by age, on the Service's clock,
// and by size, oldest first.
func TestPurgeExchanges(t *testing.T) {
	stores(t, func(t *testing.T, svc *core.Service, shop *guichet.Shop, clk *clock) {
		ctx := context.Background()
		record := func(ref string, at time.Time, request string) guichet.Exchange {
			e := guichet.Exchange{ID: guichet.NewID("exc_", at), ShopID: shop.ID, Protocol: "ppps", Reference: ref, At: at, Request: request}
			if err := svc.RecordExchange(ctx, e); err != nil {
				t.Fatal(err)
			}
			return e
		}
		kept := func(refs ...string) string {
			list, err := svc.Exchanges(ctx, guichet.ExchangeFilter{ShopID: shop.ID, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range list {
				got = append(got, e.Reference)
			}
			return strings.Join(got, " ")
		}
		svc.SetExchangeRetention(core.ExchangeRetention{MaxAge: 30 * 24 * time.Hour})
		record("old", clk.t.Add(-31*24*time.Hour), "")
		record("recent", clk.t.Add(-29*24*time.Hour), "")
		record("new", clk.t, "")
		if deleted, left, err := svc.PurgeExchanges(ctx); err != nil || deleted.Count != 1 || left.Count != 2 {
			t.Errorf("purge by age: deleted %+v, left %+v, %v", deleted, left, err)
		}
		if got := kept(); got != "new recent" {
			t.Errorf("after the purge by age: %q, want new recent", got)
		}
		clk.t = clk.t.Add(2 * 24 * time.Hour)
		svc.PurgeExchanges(ctx)
		if got := kept(); got != "new" {
			t.Errorf("two days later: %q, want new", got)
		}

		var sizes []int64
		for i := range 10 {
			e := record(string(rune('a'+i)), clk.t.Add(time.Duration(i+1)*time.Second), strings.Repeat("x", 1000))
			sizes = append(sizes, guichet.ExchangeSize(e))
		}
		// Room for the four newest: the six oldest of the ten go, with
		// the exchange recorded before them.
		limit := sizes[6] + sizes[7] + sizes[8] + sizes[9] + 10
		svc.SetExchangeRetention(core.ExchangeRetention{MaxAge: 30 * 24 * time.Hour, MaxBytes: limit})
		deleted, left, err := svc.PurgeExchanges(ctx)
		if err != nil || deleted.Count != 7 || left.Bytes > limit {
			t.Errorf("purge by size: deleted %+v, left %+v, %v", deleted, left, err)
		}
		if got := kept(); got != "j i h g" {
			t.Errorf("after the purge by size: %q, want j i h g", got)
		}
	})
}
