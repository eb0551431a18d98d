package paybox

import (
	"strings"

	"guichet"
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
	return guichet.NewCredential(protocol, credentialKey(a.Site, normRang(a.Rang)), a)
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
