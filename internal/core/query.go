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
