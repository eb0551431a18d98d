package paybox

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"guichet"
)

// DemoHMACKey is the secret key published for every Paybox and
// E-transactions test account.
var DemoHMACKey = strings.Repeat("0123456789ABCDEF", 8)

// demoShops are the public test accounts of Paybox (SITE 1999888, CLE
// 1999888I) and Crédit Agricole E-transactions (SITE 1999887, CLE
// 1999887I), so that a merchant's test configuration works unchanged.
//
// Rang 43 is the 3-D Secure contract, which also requires the card's
// security code on Paybox Direct. Rang 85's contract captures, a day
// later, what hosted payments and KWIXO reviews leave to capture (the
// KWIXO guide's first integration mode); the others leave the capture to
// PPPS. Rangs 99, 100 and 222 of SITE 1999888 are the Paybox Direct
// accounts public client suites log in to (login 199988899, for one);
// rang 100 takes HMAC-signed requests only. Every rang offers the three
// KWIXO options, receive-and-pay being charged to the buyer or offered as
// each form says.
func demoShops(now time.Time) []guichet.Shop {
	var shops []guichet.Shop
	for _, acct := range []struct {
		site, key, name string
		rangs           []string
		// idents are the site's published identifiers, the current one
		// first; per rang, the rang's own identifier comes first.
		idents []string
		own    map[string]string
	}{
		{"1999888", "1999888I", "Paybox test", []string{"32", "43", "63", "85", "99", "100", "222"},
			[]string{"107904482", "107975626", "109518543", "110647233", "1686319", "2"},
			map[string]string{"43": "107975626", "63": "109518543"}},
		{"1999887", "1999887I", "E-transactions test", []string{"32", "43", "63", "85"},
			[]string{"2", "3"}, nil},
	} {
		for _, rang := range acct.rangs {
			autoCapture := 0
			if rang == "85" {
				autoCapture = 1
			}
			shops = append(shops, guichet.Shop{
				ID: "paybox-" + acct.site + "-" + rang, Name: acct.name + " " + rang, Mode: guichet.ModeTest,
				Credentials: []guichet.Credential{Account{Site: acct.site, Rang: rang, Identifiants: firstOf(acct.idents, acct.own[rang]),
					Key: acct.key, HMACKey: DemoHMACKey, HMACOnly: rang == "100"}.Credential()},
				ThreeDS: rang == "43", RequireCVV: rang == "43", CreatedAt: now,
				AutoCaptureDays: autoCapture,
				Kwixo: &guichet.KwixoContract{Options: []string{guichet.KwixoStandard, guichet.KwixoRNP, guichet.KwixoCredit},
					RNPPilotable: true, AutoCapture: rang == "85", CaptureDays: 1},
			})
		}
	}
	return shops
}

// firstOf returns list with first moved to its head, when first is in it.
func firstOf(list []string, first string) []string {
	out := []string{}
	if slices.Contains(list, first) {
		out = append(out, first)
	}
	for _, v := range list {
		if v != first {
			out = append(out, v)
		}
	}
	return out
}

// demoNote says in a few words what sets a demo shop apart, for the
// banner.
func demoNote(s *guichet.Shop, acct *Account) string {
	var notes []string
	if s.ThreeDS {
		notes = append(notes, "3-D Secure")
	}
	if s.RequireCVV {
		notes = append(notes, "CVV required")
	}
	if acct.HMACOnly {
		notes = append(notes, "HMAC only")
	}
	switch d := s.AutoCaptureDays; {
	case d == 1:
		notes = append(notes, "captures after a day")
	case d > 1:
		notes = append(notes, fmt.Sprintf("captures after %d days", d))
	}
	return strings.Join(notes, ", ")
}
