package core

import (
	"context"

	"guichet"
)

// read runs fn in a read-only unit of work, or, when the request has a key
// to claim, in a read-write one that also claims it: a question number
// is spent by a search as much as by a payment.
func (s *Service) read(ctx context.Context, shop *guichet.Shop, requestKey string, fn func(guichet.Tx) error) error {
	if requestKey == "" {
		return s.store.View(ctx, fn)
	}
	now := s.Now(shop)
	return s.store.Update(ctx, func(tx guichet.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return claim(tx, shop, requestKey, now)
	})
}

// Find returns the latest transaction of the shop with this reference and
// amount.
func (s *Service) Find(ctx context.Context, shop *guichet.Shop, reference string, amount int64, requestKey string) (*guichet.Transaction, error) {
	var t *guichet.Transaction
	err := s.read(ctx, shop, requestKey, func(tx guichet.Tx) (err error) {
		t, err = tx.FindTransaction(shop.ID, reference, amount)
		return err
	})
	return t, err
}

// Inquire returns the transaction holding the operation numbered opNumber;
// when number is not zero the transaction must also have that number.
func (s *Service) Inquire(ctx context.Context, shop *guichet.Shop, opNumber, number int64, requestKey string) (*guichet.Transaction, error) {
	var t *guichet.Transaction
	err := s.read(ctx, shop, requestKey, func(tx guichet.Tx) (err error) {
		t, err = tx.TransactionByOperation(shop.ID, opNumber)
		if err == nil && number != 0 && t.Number != number {
			err = guichet.Errorf(guichet.CodeNotFound, "operation %d is not part of transaction %d", opNumber, number)
		}
		return err
	})
	return t, err
}

// CardNumber returns the number of the card a transaction was paid with,
// for the fronts whose answers carry a digest of it; "" when the payment
// used no card.
func (s *Service) CardNumber(t *guichet.Transaction) (string, error) {
	if len(t.Card.Sealed) == 0 {
		return "", nil
	}
	c, err := s.vault.Open(t.Card)
	if err != nil {
		return "", err
	}
	return c.PAN, nil
}

// Token returns a shop's stored card by the merchant's reference.
func (s *Service) Token(ctx context.Context, shop *guichet.Shop, reference string) (*guichet.Token, error) {
	var tok *guichet.Token
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		tok, err = tx.Token(shop.ID, reference)
		return err
	})
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return nil, tokenMissing(reference)
	}
	return tok, err
}

// The reads below serve the fronts' pages and the sandbox API, so that no
// front reads the store behind the core's back.

// OrderByID returns an order by its ID alone, for a front that finds the
// shop through the order (a hosted page's URL names only the order).
func (s *Service) OrderByID(ctx context.Context, id string) (*guichet.Order, error) {
	var o *guichet.Order
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		o, err = tx.Order(id)
		return err
	})
	return o, err
}

// Shops lists every shop.
func (s *Service) Shops(ctx context.Context) ([]guichet.Shop, error) {
	var shops []guichet.Shop
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		shops, err = tx.Shops()
		return err
	})
	return shops, err
}

// Transactions lists transactions with their operations, newest first.
func (s *Service) Transactions(ctx context.Context, f guichet.TransactionFilter) ([]guichet.Transaction, error) {
	var list []guichet.Transaction
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		list, err = tx.Transactions(f)
		return err
	})
	return list, err
}

// Notification is a delivery with every attempt made at it.
type Notification struct {
	guichet.Delivery
	Attempts []guichet.Attempt
}

// Notifications lists deliveries with their attempts, newest first.
func (s *Service) Notifications(ctx context.Context, f guichet.DeliveryFilter) ([]Notification, error) {
	var out []Notification
	err := s.store.View(ctx, func(tx guichet.Tx) error {
		list, err := tx.Deliveries(f)
		if err != nil {
			return err
		}
		for _, d := range list {
			attempts, err := tx.Attempts(d.ID)
			if err != nil {
				return err
			}
			out = append(out, Notification{Delivery: d, Attempts: attempts})
		}
		return nil
	})
	return out, err
}

// Delivery returns a delivery by its ID.
func (s *Service) Delivery(ctx context.Context, id string) (*guichet.Delivery, error) {
	var d *guichet.Delivery
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		d, err = tx.Delivery(id)
		return err
	})
	return d, err
}

// Related is a transaction with the order it paid and the token it was
// paid with or registered, each nil when there is none: what a front shows
// of a payment.
type Related struct {
	Transaction *guichet.Transaction
	Order       *guichet.Order
	Token       *guichet.Token
}

// related loads the order and token of a transaction.
func related(tx guichet.Tx, t *guichet.Transaction) (Related, error) {
	r := Related{Transaction: t}
	var err error
	if t.OrderID != "" {
		if r.Order, err = tx.Order(t.OrderID); err != nil && guichet.ErrorCode(err) != guichet.CodeNotFound {
			return r, err
		}
	}
	if t.TokenID != "" {
		if r.Token, err = tx.TokenByID(t.TokenID); err != nil && guichet.ErrorCode(err) != guichet.CodeNotFound {
			return r, err
		}
	}
	return r, nil
}

// TransactionByRef returns the shop's transaction holding the operation a
// front named ref, with its order and token.
func (s *Service) TransactionByRef(ctx context.Context, shop *guichet.Shop, front, ref string) (*guichet.Transaction, *guichet.Order, *guichet.Token, error) {
	var r Related
	err := s.store.View(ctx, func(tx guichet.Tx) error {
		t, err := shopTransactionByRef(tx, shop.ID, front, ref)
		if err != nil {
			return err
		}
		r, err = related(tx, t)
		return err
	})
	return r.Transaction, r.Order, r.Token, err
}

// shopTransactionByRef finds the transaction holding the operation a front
// named ref, and answers not found when it belongs to another shop: the
// lookup spans every shop, and one shop must never reach another's
// payments by naming them.
func shopTransactionByRef(tx guichet.Tx, shopID, front, ref string) (*guichet.Transaction, error) {
	t, err := tx.TransactionByRef(front, ref)
	if err == nil && t.ShopID != shopID {
		return nil, guichet.Errorf(guichet.CodeNotFound, "no transaction %s", ref)
	}
	return t, err
}

// OrderTransactions lists the shop's transactions of a merchant's order
// reference, newest first, with their orders and tokens: at most 31, for
// fronts that refuse to list more than 30.
func (s *Service) OrderTransactions(ctx context.Context, shop *guichet.Shop, reference string) ([]Related, error) {
	var out []Related
	err := s.store.View(ctx, func(tx guichet.Tx) error {
		list, err := tx.Transactions(guichet.TransactionFilter{ShopID: shop.ID, Reference: reference, Limit: 31})
		if err != nil {
			return err
		}
		for i := range list {
			r, err := related(tx, &list[i])
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// ExemptedSince counts the shop's approved payments on a card since the
// card's last strong authentication whose 3-D Secure outcome is marker
// (the front's mark of a payment exempted from authentication), and sums
// their amounts: what the low-value exemption is bounded by. It looks at
// the card's latest 100 payments.
func (s *Service) ExemptedSince(ctx context.Context, shop *guichet.Shop, card guichet.Card, marker string) (count int, total int64, err error) {
	fp := s.vault.Fingerprint(card.PAN)
	err = s.store.View(ctx, func(tx guichet.Tx) error {
		list, err := tx.Transactions(guichet.TransactionFilter{ShopID: shop.ID, Fingerprint: fp, Limit: 100})
		if err != nil {
			return err
		}
		for _, t := range list {
			switch {
			case t.ThreeDS == "Y" || t.ThreeDS == "F" || t.ThreeDS == "A":
				// Authenticated: the count starts again.
				return nil
			case t.ThreeDS == marker && t.Status != guichet.StatusRefused:
				count++
				total += t.First().Amount
			}
		}
		return nil
	})
	return count, total, err
}

// Orders lists a shop's orders of a protocol, newest first, a page at a
// time, with how many there are in all.
func (s *Service) Orders(ctx context.Context, shop *guichet.Shop, protocol string, limit, offset int) ([]guichet.Order, int, error) {
	var list []guichet.Order
	var total int
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		list, total, err = tx.Orders(guichet.OrderFilter{ShopID: shop.ID, Protocol: protocol, Limit: limit, Offset: offset})
		return err
	})
	return list, total, err
}
