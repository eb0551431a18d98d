package core

import (
	"context"
	"fmt"

	"guichet"
)

// CredentialReader reads a protocol's credential as a user edited it (its
// fields in JSON), checks it by the rules of the provider's own
// administration pages, and returns the credential to store, named by the
// key the protocol's requests will name the shop by. Fronts register one:
// only the front knows its fields.
type CredentialReader func(data []byte) (guichet.Credential, error)

// RegisterCredentialReader sets the reader of a protocol's credentials.
func (s *Service) RegisterCredentialReader(protocol string, r CredentialReader) {
	s.credentialReaders[protocol] = r
}

// EditCredential replaces a shop's credential of a protocol with the one
// a user edited, once its front has read and checked it. The protocol
// must be one the shop already speaks: a new protocol is a new account at
// that provider, which the front's own sandbox set-up creates.
func (s *Service) EditCredential(ctx context.Context, shopID, protocol string, data []byte) (*guichet.Shop, error) {
	read := s.credentialReaders[protocol]
	if read == nil {
		return nil, guichet.Errorf(guichet.CodeNotFound, "no protocol %q", protocol)
	}
	c, err := read(data)
	if err != nil {
		if guichet.ErrorCode(err) == guichet.CodeInternal {
			err = &guichet.Error{Code: guichet.CodeInvalid, Param: protocol, Message: err.Error()}
		}
		return nil, err
	}
	if c.Protocol != protocol {
		return nil, guichet.Errorf(guichet.CodeInternal, "the %s reader made a %s credential", protocol, c.Protocol)
	}
	defer s.shops.clear()
	var shop *guichet.Shop
	err = s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if shop, err = tx.Shop(shopID); err != nil {
			return err
		}
		if shop.Credential(protocol) == nil {
			return guichet.Errorf(guichet.CodeNotFound, "shop %s has no %s credential", shopID, protocol)
		}
		// Another shop answering to the same key would make the
		// protocol's requests ambiguous.
		if other, err := tx.ShopByCredential(protocol, c.Key); err == nil && other.ID != shopID {
			return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonDuplicate, Param: protocol,
				Message: fmt.Sprintf("another shop answers to the %s key %s", protocol, c.Key)}
		} else if err != nil && guichet.ErrorCode(err) != guichet.CodeNotFound {
			return err
		}
		*shop.Credential(protocol) = c
		return tx.PutShop(shop)
	})
	if err != nil {
		return nil, err
	}
	return shop, nil
}
