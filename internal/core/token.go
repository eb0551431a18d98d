package core

import (
	"context"
	"fmt"
	"time"

	"guichet"
)

// TokenRequest registers a card under a merchant's reference, or replaces
// the card of an existing reference. Registering authorizes Amount on the
// card (without capturing it) to prove the card good, as Paybox Direct Plus
// does.
type TokenRequest struct {
	Shop       *guichet.Shop
	Reference  string // the merchant's name for the token (REFABONNE)
	Order      string // the order reference of the proving authorization
	Card       guichet.Card
	Amount     guichet.Money
	Replace    bool // update an existing token instead of creating one
	RequestKey string
	ForceCode  string
	// Front names the protocol the request came in by, for the metrics.
	Front string
}

// RegisterToken creates or replaces a token. When the issuer refuses the
// proving authorization, the refused transaction is returned and no token
// is written.
func (s *Service) RegisterToken(ctx context.Context, r TokenRequest) (*guichet.Token, *guichet.Transaction, error) {
	// A first look spares the issuer an authorization bound to be thrown
	// away; the store's unique reference settles races below.
	var existing *guichet.Token
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		existing, err = tx.Token(r.Shop.ID, r.Reference)
		return err
	})
	switch {
	case err == nil && !r.Replace:
		return nil, nil, tokenExists(r.Reference)
	case guichet.ErrorCode(err) == guichet.CodeNotFound && r.Replace:
		return nil, nil, tokenMissing(r.Reference)
	case err != nil && guichet.ErrorCode(err) != guichet.CodeNotFound:
		return nil, nil, err
	}

	now := s.Now(r.Shop)
	tok := &guichet.Token{ID: s.NewID("tok_"), ShopID: r.Shop.ID, Reference: r.Reference,
		Handle: newHandle(), CreatedAt: now, UpdatedAt: now}
	if existing != nil {
		tok.ID, tok.CreatedAt = existing.ID, existing.CreatedAt
	}
	order := r.Order
	if order == "" {
		order = r.Reference
	}
	// The proving authorization and the token are written together: the
	// token exists exactly when its authorization was approved.
	reg := &tokenRegistration{ID: tok.ID, Reference: tok.Reference, Handle: tok.Handle, Replace: r.Replace, CreatedAt: tok.CreatedAt}
	t, err := s.authorize(ctx, CardRequest{Shop: r.Shop, Reference: order, Amount: r.Amount, Front: r.Front,
		Card: r.Card, RequestKey: r.RequestKey, ForceCode: r.ForceCode, token: reg},
		func(tx guichet.Tx, t *guichet.Transaction) ([]guichet.Event, error) {
			return s.registerTokenEffects(tx, r.Shop, reg, t, true)
		})
	if err != nil {
		return nil, nil, err
	}
	if t.Status == guichet.StatusRefused {
		return nil, t, nil
	}
	tok.Card = t.Card
	return tok, t, nil
}

// tokenRegistration is the token a proving authorization writes beside
// it, in the same unit of work. A pending claim keeps it, so that the
// janitor writes the token when it records an outcome the request lost.
type tokenRegistration struct {
	ID        string    `json:"id"`
	Reference string    `json:"reference"`
	Handle    string    `json:"handle"`
	Replace   bool      `json:"replace,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// registerTokenEffects writes the token of an approved proving
// authorization t. strict refuses a reference another request took or
// deleted meanwhile, which undoes the authorization; the janitor,
// recording an approval that did happen, records the transaction alone
// instead.
func (s *Service) registerTokenEffects(tx guichet.Tx, shop *guichet.Shop, reg *tokenRegistration, t *guichet.Transaction, strict bool) ([]guichet.Event, error) {
	if t.Status == guichet.StatusRefused {
		return nil, nil
	}
	cur, err := tx.Token(shop.ID, reg.Reference)
	switch {
	case err == nil && (!reg.Replace || cur.ID != reg.ID):
		err = tokenExists(reg.Reference)
	case guichet.ErrorCode(err) == guichet.CodeNotFound && reg.Replace:
		err = tokenMissing(reg.Reference)
	case guichet.ErrorCode(err) == guichet.CodeNotFound:
		err = nil
	}
	if err != nil {
		if !strict && guichet.ErrorCode(err) != guichet.CodeInternal {
			s.log.Warn("janitor: the token's reference was taken meanwhile; transaction recorded alone", "reference", reg.Reference)
			return nil, nil
		}
		return nil, err
	}
	now := t.CreatedAt
	tok := &guichet.Token{ID: reg.ID, ShopID: shop.ID, Reference: reg.Reference, Handle: reg.Handle, Card: t.Card,
		CreatedAt: reg.CreatedAt, UpdatedAt: now}
	t.TokenID = tok.ID
	if err := tx.PutToken(tok); err != nil {
		return nil, err
	}
	typ := guichet.EventTokenCreated
	if reg.Replace {
		typ = guichet.EventTokenUpdated
	}
	return []guichet.Event{{ID: s.NewID("evt_"), ShopID: shop.ID, TransactionID: t.ID, Type: typ, At: now,
		Data: []byte(fmt.Sprintf(`{"token":%q,"reference":%q}`, tok.ID, tok.Reference))}}, nil
}

// DeleteToken forgets a token. Transactions paid with it are kept.
func (s *Service) DeleteToken(ctx context.Context, shop *guichet.Shop, reference, requestKey string) error {
	now := s.Now(shop)
	err := s.store.Update(ctx, func(tx guichet.Tx) error {
		if err := claim(tx, shop, requestKey, now); err != nil {
			return err
		}
		if err := tx.DeleteToken(shop.ID, reference); err != nil {
			return err
		}
		return tx.Emit(guichet.Event{ID: s.NewID("evt_"), ShopID: shop.ID, Type: guichet.EventTokenDeleted, At: now,
			Data: []byte(fmt.Sprintf(`{"reference":%q}`, reference))})
	})
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return tokenMissing(reference)
	}
	return err
}

// CancelToken stops a token from being charged, keeping it so that it may
// be reactivated; ReactivateToken lets it be charged again.
func (s *Service) CancelToken(ctx context.Context, shop *guichet.Shop, reference string) (*guichet.Token, error) {
	return s.setTokenCancelled(ctx, shop, reference, true)
}

// ReactivateToken undoes CancelToken.
func (s *Service) ReactivateToken(ctx context.Context, shop *guichet.Shop, reference string) (*guichet.Token, error) {
	return s.setTokenCancelled(ctx, shop, reference, false)
}

func (s *Service) setTokenCancelled(ctx context.Context, shop *guichet.Shop, reference string, cancel bool) (*guichet.Token, error) {
	now := s.Now(shop)
	var tok *guichet.Token
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if tok, err = tx.Token(shop.ID, reference); err != nil {
			return err
		}
		typ := guichet.EventTokenCancelled
		switch {
		case cancel && !tok.CancelledAt.IsZero():
			return tokenCancelled(reference)
		case !cancel && tok.CancelledAt.IsZero():
			return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonTokenActive, Param: "token",
				Message: fmt.Sprintf("token %q is not cancelled", reference)}
		case cancel:
			tok.CancelledAt = now
		default:
			tok.CancelledAt, typ = time.Time{}, guichet.EventTokenReactivated
		}
		tok.UpdatedAt = now
		if err := tx.PutToken(tok); err != nil {
			return err
		}
		return tx.Emit(guichet.Event{ID: s.NewID("evt_"), ShopID: shop.ID, Type: typ, At: now,
			Data: []byte(fmt.Sprintf(`{"token":%q,"reference":%q}`, tok.ID, tok.Reference))})
	})
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return nil, tokenMissing(reference)
	}
	return tok, err
}

func tokenCancelled(ref string) error {
	return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonTokenCancelled, Param: "token",
		Message: fmt.Sprintf("token %q was cancelled", ref)}
}

// tokenFree refuses a reference under which the shop already keeps a
// token.
func tokenFree(tx guichet.Tx, shopID, ref string) error {
	_, err := tx.Token(shopID, ref)
	switch {
	case err == nil:
		return tokenExists(ref)
	case guichet.ErrorCode(err) == guichet.CodeNotFound:
		return nil
	}
	return err
}

func tokenExists(ref string) error {
	return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonTokenExists, Param: "token",
		Message: fmt.Sprintf("subscriber %q already exists", ref)}
}

func tokenMissing(ref string) error {
	return &guichet.Error{Code: guichet.CodeNotFound, Reason: guichet.ReasonTokenMissing, Param: "token",
		Message: fmt.Sprintf("no subscriber %q", ref)}
}
