package storetest

import (
	"fmt"
	"testing"

	"guichet"
)

// The journal's benchmark. Each store loads the transactions with SQL of
// its own, in big batches, since going through PutTransaction a million
// times would take longer than the benchmark itself; the data is the same
// in both, as the following says, so that BenchJournal knows what to look
// for. Transaction i, from 1 to n, has:
//
//   - ID "btx<i>", number 2000000000+i, shop "bshop<i mod 20>",
//     reference "bref<i>", amount 100+(i mod 10000) EUR;
//   - front "ppps", "paybox-system" or "lyra" for i mod 3 = 0, 1, 2;
//   - a status from (i div 20) mod 20: 0-1 refused, 2 cancelled, 3
//     refunded, 4-6 authorized, else captured, so that every shop has
//     transactions of every status;
//   - the masked card "497010XXXXXX" followed by i mod 10000 on four
//     digits;
//   - a creation time JournalBenchStart plus i div 2 seconds, so that
//     transactions come in pairs of one time;
//   - one operation, an approved authorization "bop<i>", numbered
//     3000000000+i.
const (
	JournalBenchShops = 20
	// JournalBenchStart is the creation time of transaction 0, in UTC.
	JournalBenchStart = "2025-01-01T00:00:00Z"
)

// JournalBenchSize is how many transactions the journal's benchmark loads:
// a million, or ten thousand with -short, which exercises the benchmark
// without the minute the big load takes.
func JournalBenchSize() int {
	if testing.Short() {
		return 10000
	}
	return 1000000
}

// BenchJournal measures pages of the journal of the n transactions
// loaded as the comment above says, each page in a View of its own, as the
// back office asks for it.
func BenchJournal(b *testing.B, s guichet.Store, n int) {
	var middle guichet.Transaction
	err := s.View(b.Context(), func(tx guichet.Tx) error {
		tr, err := tx.Transaction(fmt.Sprintf("btx%d", n/2))
		if err != nil {
			return err
		}
		middle = *tr
		return nil
	})
	if err != nil {
		b.Fatalf("the transaction in the middle of the journal: %v", err)
	}
	deep := cursorOf(&middle)
	refused := guichet.StatusRefused
	cases := []struct {
		name string
		f    guichet.JournalFilter
		// full says the page must be full: enough transactions match.
		full bool
	}{
		{"first page", guichet.JournalFilter{}, true},
		{"deep page", guichet.JournalFilter{After: deep}, true},
		{"shop and status", guichet.JournalFilter{ShopID: "bshop7", Status: refused}, true},
		{"shop and status, deep", guichet.JournalFilter{ShopID: "bshop7", Status: refused, After: deep}, n >= 100000},
		{"reference", guichet.JournalFilter{Reference: fmt.Sprintf("bref%d", n*7/9)}, false},
		{"front", guichet.JournalFilter{Front: "lyra"}, true},
		{"front, deep", guichet.JournalFilter{Front: "lyra", After: deep}, true},
		{"status", guichet.JournalFilter{Status: guichet.StatusCancelled}, true},
		{"two shops", guichet.JournalFilter{Shops: []string{"bshop3", "bshop4"}}, true},
		{"two shops, deep", guichet.JournalFilter{Shops: []string{"bshop3", "bshop4"}, After: deep}, true},
		{"card", guichet.JournalFilter{Card: "1234"}, n >= 500000},
		{"card, not its last four", guichet.JournalFilter{Card: "XX12"}, n >= 500000},
		{"KWIXO state", guichet.JournalFilter{Review: "603"}, n >= 50000},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				err := s.View(b.Context(), func(tx guichet.Tx) error {
					l, err := tx.Journal(c.f)
					if err != nil {
						return err
					}
					if len(l) == 0 || (c.full && len(l) != 50) || len(l[0].Operations) != 1 {
						return fmt.Errorf("%d transactions listed", len(l))
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
