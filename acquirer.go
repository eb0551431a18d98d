package guichet

import (
	"context"
	"time"
)

// Acquirer is the bank side of a payment: it answers authorizations and is
// told of captures, cancellations and refunds. The simulator in
// internal/sim is one implementation; a connector to a real processor is
// another, and plugs in without touching the core.
type Acquirer interface {
	// Process sends one operation. A refusal is a result, not an error; an
	// error means the acquirer could not answer (CodeUnavailable).
	Process(ctx context.Context, r AcquirerRequest) (AcquirerResult, error)
}

// AcquirerRequest is one operation sent to the acquirer.
type AcquirerRequest struct {
	Shop   *Shop
	Kind   OperationKind
	Amount Money
	// Card is set for authorizations and credits, with the PAN in clear,
	// unless Partner is.
	Card *Card
	// Partner, when set, is a means of payment that is not a card
	// ("PAYCONIQ"), whose provider the buyer paid on its own page: the
	// acquirer asks that provider for the payment's outcome.
	Partner string
	// Transaction is set for operations on an existing transaction.
	Transaction *Transaction
	// ForceCode, in TEST only, asks the simulator for this two-digit issuer
	// answer.
	ForceCode string
	// Key identifies the request, unique per shop: the claim it was made
	// under. A connector passes it on as the processor's idempotency key,
	// so that a request sent twice is processed once, and an Inquirer
	// finds the request again by it.
	Key string
	// Front is the protocol the merchant's request came in by. A
	// simulator answers as that provider's test platform does (their
	// authorization numbers differ); a real acquirer ignores it.
	Front string
	// Stored is set when the card is one the gateway kept (a token, an
	// instalment, a renewal), charged without the buyer typing it.
	Stored bool
}

// Inquirer is implemented by acquirers that can tell what became of an
// earlier request, found by its Key. The core asks when it lost the
// answer: the instance died between the acquirer's answer and the record.
type Inquirer interface {
	// Inquire returns the result the acquirer gave to the request, and
	// false when it never received it.
	Inquire(ctx context.Context, r AcquirerRequest) (AcquirerResult, bool, error)
}

// AcquirerResult is the acquirer's answer.
type AcquirerResult struct {
	Approved bool
	// Code is the issuer's two-digit answer: "00" approved, "05" do not
	// honour, "51" insufficient funds…
	Code     string
	AuthCode string
	Brand    Brand
	Country  string // ISO 3166 alpha-3 of the issuer, when known
	// Details are what a partner's means of payment tells of the payment
	// (see Transaction.Details).
	Details map[string]string
}

// Clock tells the time. The core reads it instead of time.Now so that tests
// and TEST shops control time.
type Clock interface {
	Now() time.Time
}
