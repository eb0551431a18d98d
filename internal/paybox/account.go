package paybox

import (
	"encoding/hex"
	"fmt"
	"strings"

	"guichet"
	"guichet/internal/front"
)

// protocol names Paybox's credentials (guichet.Credential.Protocol).
const protocol = "paybox"

// Account is a Paybox contract, one SITE and RANG: what a shop's Paybox
// credential holds.
type Account struct {
	Site string `json:"site"` // 7 digits
	Rang string `json:"rang"` // normalised, without leading zeros beyond two digits ("32", "01")
	// Identifiants are the Paybox identifiers (PBX_IDENTIFIANT) the
	// contract answers to, the current one first; a contract whose
	// identifier changed over the years keeps the older ones that
	// merchants still send. None means any identifier is taken.
	Identifiants []string `json:"identifiants,omitempty"`
	// Key is the back-office password sent as CLE by Paybox Direct clients.
	Key string `json:"cle,omitempty"`
	// HMACKey is the merchant secret in hexadecimal, as the back office
	// shows it.
	HMACKey string `json:"hmac_key,omitempty"`
	// HMACOnly refuses Paybox Direct requests authenticated by CLE: the
	// merchant must sign them with HMACKey.
	HMACOnly bool `json:"hmac_only,omitempty"`
}

// credentialKey is the key a Paybox request names its shop by.
func credentialKey(site, rang string) string { return site + "/" + rang }

// Credential returns the shop credential of the account, for a shop to
// hold.
func (a Account) Credential() guichet.Credential {
	a.Rang = normRang(a.Rang)
	return guichet.NewCredential(protocol, credentialKey(a.Site, a.Rang), a)
}

// AccountOf returns the Paybox account of a shop, and false when the shop
// speaks no Paybox.
func AccountOf(shop *guichet.Shop) (*Account, bool, error) {
	return guichet.AccountOf[Account](shop, protocol)
}

// Identifiant is the contract's current identifier, or "".
func (a *Account) Identifiant() string {
	if len(a.Identifiants) == 0 {
		return ""
	}
	return a.Identifiants[0]
}

// KnowsIdentifiant reports whether id, with or without leading zeros,
// is one of the contract's identifiers. A contract that lists none
// takes any identifier.
func (a *Account) KnowsIdentifiant(id string) bool {
	if len(a.Identifiants) == 0 {
		return true
	}
	if id == "" {
		return false
	}
	for _, known := range a.Identifiants {
		if strings.TrimLeft(known, "0") == strings.TrimLeft(id, "0") {
			return true
		}
	}
	return false
}

// ReadCredential reads a Paybox contract as a user edited it (Check).
func (f *Front) ReadCredential(data []byte) (guichet.Credential, error) {
	return front.ReadCredential[Account](data)
}

// Check refuses a contract Paybox's back office would not save: a SITE
// that is not 7 digits, a RANG of more than 3, identifiers that are not
// digits, no CLE unless the contract takes HMAC only, and an HMAC key
// that is not hexadecimal, which HMAC only needs.
func (a *Account) Check() error {
	switch {
	case !allDigits(a.Site, 7, 7):
		return front.Invalid("site", "site: SITE is 7 digits")
	case !allDigits(a.Rang, 1, 3):
		return front.Invalid("rang", "rang: RANG is 1 to 3 digits")
	case a.Key == "" && !a.HMACOnly:
		return front.Invalid("cle", "cle: a contract that takes CLE needs one")
	case a.HMACOnly && a.HMACKey == "":
		return front.Invalid("hmac_key", "hmac_key: a contract that takes HMAC only needs its key")
	}
	for _, id := range a.Identifiants {
		if !allDigits(id, 1, 9) {
			return front.Invalid("identifiants", fmt.Sprintf("identifiants: %q is not 1 to 9 digits", id))
		}
	}
	if _, err := hex.DecodeString(a.HMACKey); err != nil || len(a.HMACKey) > 256 {
		return front.Invalid("hmac_key", "hmac_key: the key is hexadecimal, 128 bytes at most")
	}
	return nil
}
