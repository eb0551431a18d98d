package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"guichet"
)

// testPurgeExchanges records exchanges older than any other test's, and
// purges them by age and by size. The other tests' exchanges are all newer,
// so a purge that removes no more than it must leaves them alone.
func testPurgeExchanges(t *testing.T, h *harness) {
	shop := randomID("shop")
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	var list []guichet.Exchange
	for i := range 6 {
		e := guichet.Exchange{ID: randomID("exc"), ShopID: shop, Protocol: "ppps", Operation: "00001", Code: "00000",
			Reference: fmt.Sprintf("purge-%d", i), Request: strings.Repeat("r", 100*(i+1)), Response: "OK",
			At: old.Add(time.Duration(i) * time.Minute)}
		list = append(list, e)
		if err := h.store.RecordExchange(t.Context(), e); err != nil {
			t.Fatalf("RecordExchange: %v", err)
		}
	}
	// Without limits nothing goes, and the totals count what was queued.
	deleted, total, err := h.store.PurgeExchanges(t.Context(), guichet.ExchangePurge{})
	if err != nil || deleted != (guichet.ExchangeTotals{}) || total.Count < 6 {
		t.Fatalf("PurgeExchanges without limits: deleted %+v, left %+v, %v", deleted, total, err)
	}
	sizes := func(l []guichet.Exchange) guichet.ExchangeTotals {
		var s guichet.ExchangeTotals
		for _, e := range l {
			s.Count++
			s.Bytes += guichet.ExchangeSize(e)
		}
		return s
	}
	left := func(doing string, want []guichet.Exchange) {
		t.Helper()
		for i, e := range list {
			got, err := h.store.Exchanges(t.Context(), guichet.ExchangeFilter{ShopID: shop, Reference: e.Reference})
			kept := false
			for _, w := range want {
				kept = kept || w.ID == e.ID
			}
			if err != nil || len(got) != map[bool]int{true: 1}[kept] {
				t.Errorf("%s: exchange %d: %d found, %v; want kept %v", doing, i, len(got), err, kept)
			}
		}
	}

	// By age: the first two are older than Before.
	deleted, after, err := h.store.PurgeExchanges(t.Context(), guichet.ExchangePurge{Before: old.Add(90 * time.Second)})
	if want := sizes(list[:2]); err != nil || deleted != want || after.Count != total.Count-2 || after.Bytes != total.Bytes-want.Bytes {
		t.Errorf("PurgeExchanges by age: deleted %+v, left %+v, %v; want %+v deleted of %+v", deleted, after, err, want, total)
	}
	left("by age", list[2:])

	// By size: the oldest go until what is left fits, and no more: a
	// limit one byte under the total takes exactly the oldest one.
	deleted, after2, err := h.store.PurgeExchanges(t.Context(), guichet.ExchangePurge{MaxBytes: after.Bytes - 1})
	if want := sizes(list[2:3]); err != nil || deleted != want || after2.Bytes != after.Bytes-want.Bytes {
		t.Errorf("PurgeExchanges by size: deleted %+v, left %+v, %v; want %+v deleted", deleted, after2, err, want)
	}
	left("by size", list[3:])
	limit := after2.Bytes - guichet.ExchangeSize(list[3]) - guichet.ExchangeSize(list[4])
	deleted, after3, err := h.store.PurgeExchanges(t.Context(), guichet.ExchangePurge{MaxBytes: limit})
	if want := sizes(list[3:5]); err != nil || deleted != want || after3.Bytes != limit {
		t.Errorf("PurgeExchanges by size: deleted %+v, left %+v, %v; want %+v deleted", deleted, after3, err, want)
	}
	left("by size again", list[5:])

	// The totals survive a restart.
	h.reopen(t)
	if _, again, err := h.store.PurgeExchanges(t.Context(), guichet.ExchangePurge{}); err != nil || again != after3 {
		t.Errorf("totals after reopening: %+v, %v; want %+v", again, err, after3)
	}
}

// testPurgeExchangesBatches purges more exchanges than one batch holds.
func testPurgeExchangesBatches(t *testing.T, h *harness) {
	old := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 2500
	for i := range n {
		e := guichet.Exchange{ID: randomID("exc"), Protocol: "ppps", Operation: "x", At: old.Add(time.Duration(i) * time.Millisecond)}
		if err := h.store.RecordExchange(t.Context(), e); err != nil {
			t.Fatalf("RecordExchange: %v", err)
		}
	}
	deleted, _, err := h.store.PurgeExchanges(t.Context(), guichet.ExchangePurge{Before: old.Add(time.Hour)})
	if err != nil || deleted.Count != n {
		t.Errorf("PurgeExchanges of %d: deleted %+v, %v", n, deleted, err)
	}
}
