package core

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"

	"guichet"
)

// Several instances behind a load balancer share one store and must behave
// as one: they seal and open cards with one master key, sign Paybox returns
// with one key, accept one sandbox API token. What they must agree on is
// kept in the store's settings, secrets sealed by the vault.

// keyCheckSetting holds the check value of the master key the store's
// cards are sealed with.
const keyCheckSetting = "vault.key-check"

// secretPrefix starts the names of the settings that hold sealed secrets.
const secretPrefix = "secret."

// ErrMasterKey is what CheckMasterKey reports when this instance's master
// key is not the store's.
var ErrMasterKey = errors.New("the master key is not the one this database's cards are sealed with")

// CheckMasterKey makes sure that this instance's master key is the one the
// cards in the store are sealed with, before it seals any: an instance with
// another key would write cards that the others cannot open, and could not
// open theirs. The first instance records its key's check value (never the
// key); the others compare theirs with it.
//
// A store kept from before the check value existed may hold cards already:
// the first instance then records its check value only once it has opened
// one of them, so that a wrong key is refused then too.
func (s *Service) CheckMasterKey(ctx context.Context) error {
	mine := []byte(s.vault.KeyCheck())
	var stored []byte
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		stored, err = tx.Setting(keyCheckSetting)
		if guichet.ErrorCode(err) != guichet.CodeNotFound {
			return err
		}
		if err := s.openOneCard(tx); err != nil {
			return err
		}
		stored, err = tx.InitSetting(keyCheckSetting, mine)
		return err
	})
	if err != nil {
		return fmt.Errorf("master key check: %w", err)
	}
	if subtle.ConstantTimeCompare(stored, mine) != 1 {
		return fmt.Errorf("%w: give every instance the same GUICHET_MASTER_KEY (the key check value recorded in the database differs from this key's)", ErrMasterKey)
	}
	return nil
}

// openOneCard opens the card of one of the latest transactions, if any
// has one.
func (s *Service) openOneCard(tx guichet.Tx) error {
	list, err := tx.Transactions(guichet.TransactionFilter{Limit: 20})
	if err != nil {
		return err
	}
	for _, t := range list {
		if len(t.Card.Sealed) == 0 {
			continue
		}
		if _, err := s.vault.Open(t.Card); err != nil {
			return fmt.Errorf("%w: it cannot open the card of transaction %s; give every instance the key the database was used with", ErrMasterKey, t.ID)
		}
		return nil
	}
	return nil
}

// SharedSecret returns the installation secret kept under name, the same
// for every instance sharing the store. The first instance to ask stores
// what create returns, sealed by the vault; the others open what it stored.
// Instances starting together may each call create, but only one value is
// stored, and all of them return it.
func (s *Service) SharedSecret(ctx context.Context, name string, create func() ([]byte, error)) ([]byte, error) {
	key := secretPrefix + name
	var sealed []byte
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		sealed, err = tx.Setting(key)
		return err
	})
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		// Creating the secret (an RSA key, say) takes longer than a unit
		// of work should, so it is made first and stored after.
		secret, cerr := create()
		if cerr != nil {
			return nil, fmt.Errorf("secret %s: %w", name, cerr)
		}
		mine, serr := s.vault.SealSecret(key, secret)
		if serr != nil {
			return nil, fmt.Errorf("secret %s: %w", name, serr)
		}
		err = s.store.Update(ctx, func(tx guichet.Tx) (err error) {
			sealed, err = tx.InitSetting(key, mine)
			return err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	secret, err := s.vault.OpenSecret(key, sealed)
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return secret, nil
}
