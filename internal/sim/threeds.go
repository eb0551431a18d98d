package sim

// Flow is what the simulated 3-D Secure directory and the issuer's access
// control server (ACS) do when a card is presented for authentication.
// Fronts translate it into their own vocabulary (Paybox's return
// variables, Lyra's NOT_ENROLLED, SUCCESS, FAILED, UNAVAILABLE…); the
// simulator only says what happened.
type Flow int

const (
	// Challenge asks the buyer for a code, which the ACS checks: see
	// ChallengeCode and Result. It is the zero Flow because it is what
	// the simulated directory does for every card no provider documents
	// otherwise, as Paybox's pre-production does.
	Challenge Flow = iota
	// Frictionless authenticates the buyer without asking anything.
	Frictionless
	// NotEnrolled means the directory does not know the card: it is paid
	// without authentication, and the merchant keeps the liability.
	NotEnrolled
	// Rejected means the ACS refuses to authenticate the buyer without a
	// challenge; the payment should go no further.
	Rejected
	// Unavailable means the directory or the ACS failed, so that nothing
	// is known of the buyer.
	Unavailable
)

var flowNames = [...]string{
	Challenge:    "challenge",
	Frictionless: "frictionless",
	NotEnrolled:  "not enrolled",
	Rejected:     "rejected",
	Unavailable:  "unavailable",
}

// String names the flow in words, for notes and test messages.
func (f Flow) String() string {
	if f < 0 || int(f) >= len(flowNames) {
		return "unknown"
	}
	return flowNames[f]
}

// ChallengeCode is the one code the simulated ACS accepts from a buyer in
// a challenge; any other fails the authentication.
const ChallengeCode = "1234"

// The 3-D Secure transaction statuses of the EMV 3-D Secure specification
// (transStatus), as fronts and the core record them.
const (
	StatusAuthenticated = "Y"
	// StatusAttempted is the status of an authentication the issuer
	// vouched for without taking part. No test card of the simulator
	// gets it; a merchant that ran 3-D Secure itself may send it.
	StatusAttempted   = "A"
	StatusFailed      = "N"
	StatusUnavailable = "U"
)

// Authentication is the outcome of a 3-D Secure authentication.
type Authentication struct {
	// Status is the EMV transaction status, one of the Status
	// constants, or "" when no authentication took place (a card not
	// enrolled).
	Status string
	// LiabilityShift tells whether the issuer, rather than the merchant,
	// bears a fraudulent payment: only after a successful authentication.
	LiabilityShift bool
}

// ThreeDS tells what the simulated directory and ACS do for a card: what
// its provider's test platform does for a published test card, and a
// challenge for any other number.
func ThreeDS(pan string) Flow {
	if c, ok := published[pan]; ok {
		return c.ThreeDS
	}
	return Challenge
}

// Result is the outcome of the flow. code is what the buyer typed in a
// challenge, and is read for a challenge only: the ACS authenticates the
// buyer who typed ChallengeCode and fails any other. A successful
// authentication is no promise of payment: the issuer may still refuse
// the authorization (see the test card 4970110000000039).
func (f Flow) Result(code string) Authentication {
	switch f {
	case Challenge:
		if code == ChallengeCode {
			return Authentication{Status: StatusAuthenticated, LiabilityShift: true}
		}
		return Authentication{Status: StatusFailed}
	case Frictionless:
		return Authentication{Status: StatusAuthenticated, LiabilityShift: true}
	case NotEnrolled:
		return Authentication{}
	case Rejected:
		return Authentication{Status: StatusFailed}
	}
	return Authentication{Status: StatusUnavailable}
}
