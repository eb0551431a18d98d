package main

import (
	"context"
	"strings"
	"time"

	"guichet"
)

// demoHMACKey is the secret key published for every Paybox and
// E-transactions test account.
var demoHMACKey = strings.Repeat("0123456789ABCDEF", 8)

// demoShops are the public test accounts of Paybox (SITE 1999888, CLE
// 1999888I) and Crédit Agricole E-transactions (SITE 1999887, CLE
// 1999887I), so that a merchant's test configuration works unchanged.
// Every rang offers the three KWIXO options, receive-and-pay being charged
// to the buyer or offered as each form says; rang 85's contract captures
// KWIXO payments itself, a day after their review (the guide's first
// integration mode), the others leave the capture to PPPS.
func demoShops(now time.Time) []guichet.Shop {
	var shops []guichet.Shop
	for _, acct := range []struct{ site, key, name, ident string }{
		{"1999888", "1999888I", "Paybox test", "107904482"},
		{"1999887", "1999887I", "E-transactions test", "2"},
	} {
		for _, rang := range []string{"32", "43", "63", "85"} {
			// Rang 85's contract captures, a day later, what hosted
			// payments leave to capture.
			autoCapture := 0
			if rang == "85" {
				autoCapture = 1
			}
			shops = append(shops, guichet.Shop{
				ID: "paybox-" + acct.site + "-" + rang, Name: acct.name + " " + rang, Mode: guichet.ModeTest,
				Paybox: &guichet.PayboxAccount{Site: acct.site, Rang: rang, Identifiant: acct.ident,
					Key: acct.key, HMACKey: demoHMACKey},
				// Rang 43 is the 3-D Secure test contract.
				ThreeDS: rang == "43", CreatedAt: now,
				AutoCaptureDays: autoCapture,
				Kwixo: &guichet.KwixoContract{Options: []string{guichet.KwixoStandard, guichet.KwixoRNP, guichet.KwixoCredit},
					RNPPilotable: true, AutoCapture: rang == "85", CaptureDays: 1},
			})
		}
	}
	return shops
}

// seedDemo creates the demo shops that do not exist yet; shops already
// there are left as the operator changed them.
func seedDemo(ctx context.Context, store guichet.Store, now time.Time) ([]guichet.Shop, error) {
	shops := demoShops(now)
	err := store.Update(ctx, func(tx guichet.Tx) error {
		for i := range shops {
			s, err := tx.Shop(shops[i].ID)
			if err == nil {
				shops[i] = *s
				continue
			}
			if guichet.ErrorCode(err) != guichet.CodeNotFound {
				return err
			}
			if err := tx.PutShop(&shops[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return shops, err
}
