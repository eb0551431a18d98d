package guichet

import "time"

// ExchangePurge is the retention of the exchange log: what
// Store.PurgeExchanges deletes.
type ExchangePurge struct {
	// Before, when not zero, deletes the exchanges recorded before it.
	Before time.Time
	// MaxBytes, when above zero, then deletes the oldest exchanges until
	// those left take at most MaxBytes, as ExchangeSize counts them.
	MaxBytes int64
}

// ExchangeTotals describes the exchanges a purge deleted or left.
type ExchangeTotals struct {
	Count int64
	Bytes int64 // as ExchangeSize counts them
}

// exchangeRowOverhead is what ExchangeSize adds to the text of an exchange
// for its time, duration and row and index bookkeeping.
const exchangeRowOverhead = 64

// ExchangeSize is what an exchange counts for in the exchange log's size
// limit: the bytes of its text fields, plus a fixed overhead for the rest of
// its row. A store computes it on the text it keeps (see StorableText). The
// files of the database take more than the sum (indexes, free pages), but
// in proportion to it, so bounding the sum bounds them.
func ExchangeSize(e Exchange) int64 {
	return int64(len(e.ID)+len(e.ShopID)+len(e.Protocol)+len(e.Operation)+len(e.Reference)+
		len(e.Code)+len(e.Request)+len(e.Response)) + exchangeRowOverhead
}
