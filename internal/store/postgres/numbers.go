package postgres

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"
)

// maxNumber is the largest number Paybox can carry: ten digits.
const maxNumber = 9_999_999_999

// numbers hands out transaction and operation numbers from blocks taken
// from the numbers sequence, so that a payment, which needs three, does not
// spend three round trips on them.
//
// The sequence goes up by the block size (migration 0002): each nextval
// reserves the block that starts at the value it returns, and no other
// instance can get a number in it. Numbers are thus unique across the
// instances sharing the database, and increasing within one instance, but
// the order of numbers handed out by different instances says nothing of
// the order of their payments. The rest of a block is lost when the
// instance stops; ten digits leave room for that.
type numbers struct {
	// block is the sequence's increment, read when the store opens.
	block int64

	mu sync.Mutex
	// next is the next number to hand out, unless it is past last, the
	// end of the current block.
	next, last int64
}

// take hands out a number of the current block, unless it is used up.
func (n *numbers) take() (int64, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.next == 0 || n.next > n.last {
		return 0, false
	}
	v := n.next
	n.next++
	return v, true
}

// refill takes a new block with conn, unless another caller did meanwhile,
// and hands out its first number. The lock is held during the round trip,
// so that concurrent callers wait for one new block rather than each
// taking one.
func (n *numbers) refill(ctx context.Context, conn *pgx.Conn) (int64, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.next == 0 || n.next > n.last {
		var start int64
		if err := conn.QueryRow(ctx, "SELECT nextval('numbers')").Scan(&start); err != nil {
			return 0, convert(err, "next number")
		}
		n.next, n.last = start, min(start+n.block-1, maxNumber)
	}
	v := n.next
	n.next++
	return v, nil
}
