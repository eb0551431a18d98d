package core

import (
	"context"
	"fmt"
	"time"

	"guichet"
)

// A buyer whose bank asks for 3-D Secure types the card on one page and
// answers the challenge on the next, which the load balancer may send to
// another instance: the card waits in the store, sealed, for a short time.

// heldCardLife is how long a card waits for its holder's authentication.
const heldCardLife = 15 * time.Minute

// jobForgetCard deletes a held card nobody came back for.
const jobForgetCard = "forget-card"

// forgetJobID names the one job that forgets an order's held card, so that
// holding a card again reschedules it and taking the card deletes it.
func forgetJobID(orderID string) string { return "job_forget_" + orderID }

// HoldCard keeps the card typed for an order while its holder authenticates
// with the issuer, in place of any card held for the order before. The
// number is sealed by the vault; the CVV is dropped, never stored.
func (s *Service) HoldCard(ctx context.Context, shop *guichet.Shop, orderID string, c guichet.Card) error {
	if err := checkCard(c, s.Now(shop)); err != nil {
		return err
	}
	stored, err := s.vault.Seal(c)
	if err != nil {
		return err
	}
	now := s.Now(shop)
	p := &guichet.PendingCard{OrderID: orderID, ShopID: shop.ID, Card: stored, CreatedAt: now, ExpiresAt: now.Add(heldCardLife)}
	return s.store.Update(ctx, func(tx guichet.Tx) error {
		o, err := shopOrder(tx, shop, orderID)
		if err != nil {
			return err
		}
		if o.Status != guichet.OrderOpen {
			// Paid in another tab meanwhile: no card may wait for it.
			return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
				Message: fmt.Sprintf("order %s is %s", o.ID, o.Status)}
		}
		if err := tx.PutPendingCard(p); err != nil {
			return err
		}
		return tx.PutJob(&guichet.Job{ID: forgetJobID(orderID), ShopID: shop.ID, Kind: jobForgetCard, Ref: orderID, DueAt: p.ExpiresAt})
	})
}

// TakeHeldCard returns the card held for the order and forgets it: a card
// serves one authentication only. It returns CodeNotFound when no card is
// held, or when the one held has expired on the shop's clock.
//
// The card comes back without its CVV, which was never stored. The payment
// that follows a successful challenge goes without it: the cardholder was
// authenticated by the issuer, a stronger check than the code printed on
// the card, and the CVV is optional on the platform's authorizations.
func (s *Service) TakeHeldCard(ctx context.Context, shop *guichet.Shop, orderID string) (guichet.Card, error) {
	var p *guichet.PendingCard
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if p, err = tx.TakePendingCard(orderID); err != nil {
			return err
		}
		if p.ShopID != shop.ID {
			// Not this shop's: the error undoes the taking.
			return guichet.Errorf(guichet.CodeNotFound, "no card held for order %s", orderID)
		}
		return tx.DeleteJob(forgetJobID(orderID))
	})
	if err != nil {
		return guichet.Card{}, err
	}
	if s.Now(shop).After(p.ExpiresAt) {
		return guichet.Card{}, guichet.Errorf(guichet.CodeNotFound, "no card held for order %s", orderID)
	}
	return s.vault.Open(p.Card)
}

// HeldCard tells what card an order holds while its holder authenticates:
// the card as stored, masked, without its sealed number. It returns
// CodeNotFound when no card is held, or when the one held has expired on
// the shop's clock, as TakeHeldCard would. The card stays held.
func (s *Service) HeldCard(ctx context.Context, shop *guichet.Shop, orderID string) (*guichet.StoredCard, error) {
	var p *guichet.PendingCard
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		p, err = tx.PendingCard(orderID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if p.ShopID != shop.ID || s.Now(shop).After(p.ExpiresAt) {
		return nil, guichet.Errorf(guichet.CodeNotFound, "no card held for order %s", orderID)
	}
	c := p.Card
	c.Sealed = nil
	return &c, nil
}

// forgetCard runs when a held card expires: it deletes the card, unless a
// newer one took its place, whose own expiry the job was rescheduled to.
func (s *Service) forgetCard(ctx context.Context, j *guichet.Job, now time.Time) error {
	return s.store.Update(ctx, func(tx guichet.Tx) error {
		p, err := tx.TakePendingCard(j.Ref)
		switch {
		case guichet.ErrorCode(err) == guichet.CodeNotFound:
		case err != nil:
			return err
		case now.Before(p.ExpiresAt):
			if err := tx.PutPendingCard(p); err != nil {
				return err
			}
			next := *j
			next.DueAt = p.ExpiresAt
			return tx.PutJob(&next)
		}
		return tx.DeleteJob(j.ID)
	})
}
