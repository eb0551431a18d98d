package guichet

import "time"

// ClaimState is where a claimed request stands.
type ClaimState string

// The claim states. A claim is pending from the moment its request key is
// taken until the outcome of its acquirer call is recorded (done) or known
// to be lost (failed).
const (
	ClaimPending ClaimState = "pending"
	ClaimDone    ClaimState = "done"
	ClaimFailed  ClaimState = "failed"
)

// Claim is a request key a shop used. A payment request claims its key in
// a unit of work of its own before it reaches the acquirer, so that two
// requests with one key never both reach it, and so that a request whose
// outcome was never recorded (the instance died between the acquirer's
// answer and the record) is found again and settled.
type Claim struct {
	ShopID string
	Key    string
	At     time.Time
	State  ClaimState
	// Request describes what was asked of the acquirer, in the core's own
	// encoding, card numbers sealed by the vault: enough to ask the
	// acquirer what became of it, and to record the outcome.
	Request []byte
	// TransactionID is the transaction the outcome was recorded in.
	TransactionID string
	// SettleAfter is when a pending claim may be settled by the janitor:
	// later than any acquirer call could still be running.
	SettleAfter time.Time
}
