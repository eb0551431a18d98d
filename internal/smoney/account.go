package smoney

import (
	"crypto/subtle"
	"net"
	"net/url"
	"strings"

	"guichet"
	"guichet/internal/front"
)

// protocol names S-money's credentials (guichet.Credential.Protocol) and
// the orders and operations the front records.
const protocol = "smoney"

// Account is a third-party application's access to S-money's API: the
// partner domain of its paths, its secret token, and the callback domain
// registered for it. What a shop's S-money credential holds; the token is
// the credential's key.
type Account struct {
	// Partner is the partner domain, the path segment after /api/
	// ("sandbox" on the sandbox).
	Partner string `json:"partner"`
	// Token is the application's secret, sent as "Authorization: Bearer".
	Token string `json:"token"`
	// Name is the application's name, which the payment page shows.
	Name string `json:"name,omitempty"`
	// CallbackDomain is the domain registered for the application's
	// callbacks: a payment's urlCallback must be on it. Empty in TEST
	// accepts loopback hosts and localhost only.
	CallbackDomain string `json:"callback_domain,omitempty"`
	// CallbackSecret, when set, signs every callback (CallbackSignature).
	CallbackSecret string `json:"callback_secret,omitempty"`
}

// Credential returns the shop credential of the account.
func (a Account) Credential() guichet.Credential {
	a.CallbackDomain = strings.ToLower(a.CallbackDomain)
	return guichet.NewCredential(protocol, a.Token, a)
}

// AccountOf returns the S-money account of a shop, and false when the shop
// speaks no S-money.
func AccountOf(shop *guichet.Shop) (*Account, bool, error) {
	return guichet.AccountOf[Account](shop, protocol)
}

// tokenIs tells whether a bearer token is the account's.
func (a *Account) tokenIs(token string) bool {
	return subtle.ConstantTimeCompare([]byte(token), []byte(a.Token)) == 1
}

// callbackAllowed tells whether a urlCallback is on the application's
// registered callback domain (or one of its subdomains); a TEST
// application without one takes the merchant's own machine (loopback
// addresses and localhost), as integrations under development call back.
func (a *Account) callbackAllowed(raw string, test bool) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if d := strings.ToLower(strings.TrimPrefix(a.CallbackDomain, ".")); d != "" {
		return host == d || strings.HasSuffix(host, "."+d)
	}
	if !test {
		return false
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostName tells whether a callback domain is a bare host name, or empty
// (none registered).
func hostName(domain string) bool {
	u, err := url.Parse("https://" + domain + "/")
	return domain == "" || err == nil && u.Hostname() == domain
}

// ReadCredential reads an application's access as a user edited it
// (Check).
func (f *Front) ReadCredential(data []byte) (guichet.Credential, error) {
	return front.ReadCredential[Account](data)
}

// Check refuses an access S-money's back office would not save: a partner
// domain other than lower-case letters, digits and hyphens, a token under
// 16 characters, and a callback domain that is not a host name.
func (a *Account) Check() error {
	switch {
	case !partnerName(a.Partner):
		return front.Invalid("partner", "partner: the partner domain is 1 to 32 lower-case letters, digits and hyphens")
	case len(a.Token) < 16:
		return front.Invalid("token", "token: a token has 16 characters at least")
	case !hostName(strings.ToLower(a.CallbackDomain)):
		return front.Invalid("callback_domain", "callback_domain: a host name is expected")
	}
	return nil
}

func partnerName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}
