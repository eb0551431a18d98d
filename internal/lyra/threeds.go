package lyra

import (
	"context"

	"guichet"
	"guichet/internal/sim"
)

// The 3-D Secure outcomes the front records (guichet.Transaction.ThreeDS).
const (
	threeDSChallenge    = "Y" // authenticated after a challenge
	threeDSFrictionless = "F" // authenticated without a challenge
	threeDSFailed       = "N"
	threeDSRejected     = "R"
	threeDSUnavailable  = "U"
	threeDSNotEnrolled  = "E"
	// threeDSExempted is a payment the merchant asked to spare the
	// buyer's authentication (strongAuthentication DISABLED) under an
	// exemption: no authentication, and the merchant keeps the
	// liability.
	threeDSExempted = "X"
)

// declineAuthentication is the issuer code recorded on a payment refused
// because its buyer failed the authentication.
const declineAuthentication = "05"

// decision is what 3-D Secure makes of a card typed on the form.
type decision struct {
	// challenge asks the buyer for a code before paying; code is the one
	// the simulated issuer accepts, shown in TEST mode.
	challenge bool
	code      string
	// threeDS and decline are the outcome when no challenge is asked.
	threeDS, decline string
}

// authenticate runs the simulated 3-D Secure of a card typed on the form,
// as the merchant's preference (strongAuthentication) and the exemptions of
// the use-case page allow:
//
//   - CHALLENGE_REQUESTED, CHALLENGE_MANDATE (and the deprecated ENABLED)
//     ask for a challenge even when the issuer would not;
//   - DISABLED asks for an exemption, granted for a payment in euros under
//     30 EUR within 5 successive exempted payments or 100 EUR cumulated on
//     the card, ignored above 30 EUR, always passed to the issuer (and
//     granted by the simulated one) in other currencies; a shop of the
//     Safe'R by CB programme has every payment under 100 EUR exempted, and
//     one of its experiment those from 100 to 250 EUR. An exempted payment
//     shifts no liability;
//   - NO_PREFERENCE, AUTO or nothing leave it to the issuer: what the test
//     card's issuer does.
//
// force, for tests, imposes the outcome: SUCCESS (after a challenge),
// FAILED, NOT_ENROLLED, FRICTIONLESS or UNAVAILABLE.
func (a *API) authenticate(ctx context.Context, shop *guichet.Shop, acct *Account, p *paymentRequest, card guichet.Card, amount guichet.Money, force string) decision {
	if shop.IsTest() {
		switch force {
		case "SUCCESS":
			return decision{threeDS: threeDSChallenge}
		case "FRICTIONLESS":
			return decision{threeDS: threeDSFrictionless}
		case "FAILED":
			return decision{threeDS: threeDSFailed, decline: declineAuthentication}
		case "NOT_ENROLLED":
			return decision{threeDS: threeDSNotEnrolled}
		case "UNAVAILABLE":
			return decision{threeDS: threeDSUnavailable}
		}
	}
	flow := sim.ThreeDS(card.PAN)
	switch p.strongAuth {
	case "CHALLENGE_REQUESTED", "CHALLENGE_MANDATE", "ENABLED":
		if flow == sim.Frictionless {
			flow = sim.Challenge
		}
	case "DISABLED":
		if flow != sim.NotEnrolled && flow != sim.Unavailable && a.exempted(ctx, shop, acct, card, amount) {
			return decision{threeDS: threeDSExempted}
		}
	}
	switch flow {
	case sim.Challenge:
		d := decision{challenge: true}
		if shop.IsTest() {
			d.code = sim.ChallengeCode
		}
		return d
	case sim.Frictionless:
		return decision{threeDS: threeDSFrictionless}
	case sim.NotEnrolled:
		return decision{threeDS: threeDSNotEnrolled}
	case sim.Rejected:
		return decision{threeDS: threeDSRejected, decline: declineAuthentication}
	}
	return decision{threeDS: threeDSUnavailable}
}

// challengeOutcome is the outcome of the code a buyer typed in a
// challenge.
func challengeOutcome(code string) (threeDS, decline string) {
	if sim.Challenge.Result(code).Status == sim.StatusAuthenticated {
		return threeDSChallenge, ""
	}
	return threeDSFailed, declineAuthentication
}

// exempted tells whether the merchant's request to spare the buyer's
// authentication is granted (see authenticate).
func (a *API) exempted(ctx context.Context, shop *guichet.Shop, acct *Account, card guichet.Card, amount guichet.Money) bool {
	if amount.Currency != "EUR" {
		return true
	}
	switch {
	case acct.SafeR && amount.Amount < 100_00:
		return true
	case acct.SafeRExperiment && amount.Amount >= 100_00 && amount.Amount <= 250_00:
		return true
	}
	if amount.Amount >= 30_00 {
		return false
	}
	count, total, err := a.svc.ExemptedSince(ctx, shop, card, threeDSExempted)
	if err != nil {
		return false
	}
	return count < 5 && total+amount.Amount < 100_00
}
