package smoney

import (
	"time"

	"guichet/internal/sim"
)

// The simulated 3-D Secure 2 server decides, for a payment whose merchant
// leaves the choice to the issuer (ThreeDSecurePreference 2), from the
// risk data the merchant sent (ThreeDsOptData, GiftCard), the same way
// every time: it lets the payer through without a challenge when the
// account looks established, and asks for one otherwise. An account is
// established when it was created at least establishedAccount ago, shows
// no suspicious activity, made at most busyDay transactions in the last
// 24 hours and at most two "add card" attempts, and the payment buys no
// gift cards. Without any risk data, the card decides, as 3-D Secure 1
// does (sim.ThreeDS).
const (
	establishedAccount = 30 * 24 * time.Hour
	busyDay            = 3
	addCardAttempts    = 2
)

// riskFlow is the flow the simulated 3-D Secure 2 server picks for a
// request's risk data on a given day, and false when the request carries
// none, so that the card decides.
func riskFlow(r *cardPaymentRequest, now time.Time) (sim.Flow, bool) {
	d, g := r.ThreeDsOptData, r.GiftCard
	if d == nil && g == nil {
		return 0, false
	}
	if g != nil && g.Count != nil && *g.Count > 0 {
		return sim.Challenge, true
	}
	if d == nil {
		return sim.Challenge, true
	}
	created, ok := parseDate(d.AccountCreationDate, now.Location())
	switch {
	case !ok || now.Sub(created) < establishedAccount:
		return sim.Challenge, true
	case d.Suspiciousaccountactivity != nil && *d.Suspiciousaccountactivity:
		return sim.Challenge, true
	case d.Last24hourstransactioncount != nil && *d.Last24hourstransactioncount > busyDay:
		return sim.Challenge, true
	case d.Last24hoursaddcardattempts != nil && *d.Last24hoursaddcardattempts > addCardAttempts:
		return sim.Challenge, true
	}
	return sim.Frictionless, true
}
