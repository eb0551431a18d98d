package lyra

import (
	"crypto/subtle"
	"strings"

	"guichet"
	"guichet/internal/front"
)

// protocol names Lyra's credentials (guichet.Credential.Protocol) and the
// orders and operations the front records.
const protocol = "lyra"

// The prefixes of the keys of each mode: a key's prefix alone tells the
// platform whether a call is a test or a real payment.
const (
	testPasswordPrefix  = "testpassword_"
	prodPasswordPrefix  = "prodpassword_"
	testPublicKeyPrefix = "testpublickey_"
	prodPublicKeyPrefix = "publickey_"
)

// Account is a shop's REST API keys, as the merchant back office shows
// them: what a shop's Lyra credential holds. A TEST shop has the test
// keys; a PRODUCTION shop has both families, the test ones making test
// calls refused as the shop's mode is one.
type Account struct {
	// ShopID is the eight-digit shop identifier, the Basic user.
	ShopID string `json:"shop_id"`
	// TestPassword and ProdPassword are the Basic passwords, which also
	// sign the IPNs of their mode.
	TestPassword string `json:"test_password,omitempty"`
	ProdPassword string `json:"prod_password,omitempty"`
	// TestPublicKey and ProdPublicKey are the JavaScript client's keys,
	// "shopId:testpublickey_…".
	TestPublicKey string `json:"test_public_key,omitempty"`
	ProdPublicKey string `json:"prod_public_key,omitempty"`
	// TestHMACKey and ProdHMACKey sign the browser returns of their mode.
	TestHMACKey string `json:"test_hmac_key,omitempty"`
	ProdHMACKey string `json:"prod_hmac_key,omitempty"`
	// Name is the shop's name as the payment form shows it.
	Name string `json:"name,omitempty"`
	// IPNURL is where the IPN of every payment goes, unless the payment
	// names its own (ipnTargetUrl): the back office's "Instant Payment
	// Notification URL at the end of the payment".
	IPNURL string `json:"ipn_url,omitempty"`
	// SafeR is set for a shop of the Safe'R by CB programme, whose
	// payments under 100 EUR are exempted from authentication when it
	// asks.
	SafeR bool `json:"safer,omitempty"`
	// SafeRExperiment is set for a shop the programme's experiment
	// admits: its payments from 100 to 250 EUR are exempted too.
	SafeRExperiment bool `json:"safer_experiment,omitempty"`
	// Currencies are those the shop's contract takes; none means every
	// currency guichet knows.
	Currencies []string `json:"currencies,omitempty"`
}

// Credential returns the shop credential of the account, for a shop to
// hold.
func (a Account) Credential() guichet.Credential {
	return guichet.NewCredential(protocol, a.ShopID, a)
}

// AccountOf returns the Lyra account of a shop, and false when the shop
// speaks no Lyra.
func AccountOf(shop *guichet.Shop) (*Account, bool, error) {
	return guichet.AccountOf[Account](shop, protocol)
}

// mode returns the mode a key opens, given the account's keys of both
// modes, or "" when the key is none of them.
func (a *Account) mode(key string, test, prod string) guichet.Mode {
	switch {
	case test != "" && equal(key, test):
		return guichet.ModeTest
	case prod != "" && equal(key, prod):
		return guichet.ModeProduction
	}
	return ""
}

// passwordMode is the mode a Basic password opens, or "".
func (a *Account) passwordMode(password string) guichet.Mode {
	return a.mode(password, a.TestPassword, a.ProdPassword)
}

// publicKeyMode is the mode a public key opens, or "".
func (a *Account) publicKeyMode(key string) guichet.Mode {
	return a.mode(key, a.TestPublicKey, a.ProdPublicKey)
}

// password is the password of a mode, which signs its IPNs.
func (a *Account) password(mode guichet.Mode) string {
	if mode == guichet.ModeProduction {
		return a.ProdPassword
	}
	return a.TestPassword
}

// hmacKey is the HMAC-SHA-256 key of a mode, which signs its browser
// returns.
func (a *Account) hmacKey(mode guichet.Mode) string {
	if mode == guichet.ModeProduction {
		return a.ProdHMACKey
	}
	return a.TestHMACKey
}

// keyMode tells the mode a key claims by its prefix, whether or not it is
// right: a production key sent to a shop that is not in production yet
// gets its own error.
func keyMode(key string) guichet.Mode {
	_, secret, _ := strings.Cut(key, ":")
	for _, k := range []string{key, secret} {
		if strings.HasPrefix(k, prodPasswordPrefix) || strings.HasPrefix(k, prodPublicKeyPrefix) {
			return guichet.ModeProduction
		}
	}
	return guichet.ModeTest
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// ReadCredential reads a shop's keys as a user edited them (Check).
func (f *Front) ReadCredential(data []byte) (guichet.Credential, error) {
	return front.ReadCredential[Account](data)
}

// Check refuses keys the merchant back office would not show: a shop ID
// that is not 8 digits, no test password, a password or public key
// without its mode's prefix (the public keys after the shop ID), an IPN
// URL that is not http or https, and currencies guichet does not know.
func (a *Account) Check() error {
	if len(a.ShopID) != 8 || !digits(a.ShopID) {
		return front.Invalid("shop_id", "shop_id: a shop ID is 8 digits")
	}
	if a.TestPassword == "" {
		return front.Invalid("test_password", "test_password: every shop has its test password")
	}
	for _, k := range []struct{ field, value, prefix string }{
		{"test_password", a.TestPassword, testPasswordPrefix},
		{"prod_password", a.ProdPassword, prodPasswordPrefix},
		{"test_public_key", a.TestPublicKey, a.ShopID + ":" + testPublicKeyPrefix},
		{"prod_public_key", a.ProdPublicKey, a.ShopID + ":" + prodPublicKeyPrefix},
	} {
		if k.value != "" && (!strings.HasPrefix(k.value, k.prefix) || len(k.value) == len(k.prefix)) {
			return front.Invalid(k.field, k.field+": the key starts with "+k.prefix)
		}
	}
	if err := front.CheckURL("ipn_url", a.IPNURL); err != nil {
		return err
	}
	for _, c := range a.Currencies {
		if _, ok := guichet.CurrencyByCode(c); !ok {
			return front.Invalid("currencies", "currencies: "+c+" is no ISO 4217 currency guichet knows")
		}
	}
	return nil
}
