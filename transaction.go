package guichet

import "time"

// Status is the state of a transaction.
type Status string

// The transaction states. Refused, cancelled, refunded and credited are
// final: no operation but an inquiry applies to them.
const (
	StatusAuthorized Status = "authorized" // authorized, nothing captured yet
	StatusCaptured   Status = "captured"   // some or all of the amount captured
	StatusCancelled  Status = "cancelled"
	StatusRefunded   Status = "refunded" // everything captured was refunded
	StatusRefused    Status = "refused"
	StatusCredited   Status = "credited" // a stand-alone credit to a card
	// StatusVerified is a card checked without moving money: a
	// zero-amount verification, when a card is registered.
	StatusVerified Status = "verified"
	// StatusWaiting is a payment whose card was checked and whose
	// authorization is asked later, the day before its capture date,
	// which lies beyond an authorization's validity.
	StatusWaiting Status = "waiting"
)

// Final reports whether no further operation may change a transaction in
// status s.
func (s Status) Final() bool {
	switch s {
	case StatusCancelled, StatusRefunded, StatusRefused, StatusCredited, StatusVerified:
		return true
	}
	return false
}

// OperationKind names what an operation did.
type OperationKind string

// The operation kinds.
const (
	OpAuthorize    OperationKind = "authorize"
	OpCapture      OperationKind = "capture"
	OpCancel       OperationKind = "cancel"
	OpRefund       OperationKind = "refund"
	OpCredit       OperationKind = "credit"
	OpUpdateAmount OperationKind = "update_amount"
	OpVerify       OperationKind = "verify" // a zero-amount check of a card
	// OpValidate is the merchant's validation of a payment waiting for
	// its authorization: it is captured once authorized.
	OpValidate OperationKind = "validate"
)

// Transaction is one payment attempt on one means of payment, with the
// amounts every operation moved so far.
type Transaction struct {
	ID     string
	ShopID string
	// Number identifies the transaction to the merchant (Paybox NUMAPPEL).
	Number    int64
	Reference string
	// Front is the protocol the transaction was made through ("ppps",
	// "paybox-system", "lyra", …): the order's, or its first operation's.
	Front    string
	Currency string
	// Amount is the authorized amount, after any amount update.
	Amount   int64
	Captured int64
	Refunded int64
	Status   Status
	Card     StoredCard
	TokenID  string
	// OrderID is the hosted-payment order the transaction paid, if any.
	OrderID string
	// Method is the means of payment: "CARTE", "KWIXO", a partner such as
	// "PAYCONIQ", …; empty means a card.
	Method string
	// Option is the variant of the method the buyer chose: KWIXO's
	// STANDARD, 1XRNP or CREDIT.
	Option string
	// Review is the state code of an asynchronous review (KWIXO's 200…803),
	// empty when there is none.
	Review string
	// ThreeDS is the 3-D Secure outcome, the EMV transaction status: "Y"
	// authenticated (after a challenge), "A" attempted, "U" unavailable,
	// "N" failed, "R" rejected by the issuer; guichet adds "F" for
	// authenticated without a challenge (frictionless) and "E" for a card
	// not enrolled. Empty when none was tried.
	ThreeDS string
	// AuthCode is the issuer's authorization number.
	AuthCode string
	// ResponseCode is the issuer's two-digit answer ("00" when approved).
	ResponseCode string
	// RemitAt is when captured funds are remitted to the bank. Before
	// that, a capture may still be cancelled.
	RemitAt time.Time
	// CaptureBy, when set, is the date the payment is expected to be
	// captured: an authorization left to the merchant's validation
	// expires when it passes uncaptured.
	CaptureBy time.Time
	// RefundBy, when set, is the last date the payment may be refunded
	// on: a partner's means of payment may bound it.
	RefundBy time.Time
	// Details are what the provider of a means of payment that is not a
	// card told of the payment (a wallet's masked card, the payer's bank
	// account), by the provider's own names.
	Details    map[string]string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Operations []Operation
}

// Money returns the authorized amount with its currency.
func (t *Transaction) Money() Money { return Money{Amount: t.Amount, Currency: t.Currency} }

// Operation returns the operation with the given number, or nil.
func (t *Transaction) Operation(number int64) *Operation {
	for i := range t.Operations {
		if t.Operations[i].Number == number {
			return &t.Operations[i]
		}
	}
	return nil
}

// First returns the operation that created the transaction.
func (t *Transaction) First() *Operation {
	if len(t.Operations) == 0 {
		return nil
	}
	return &t.Operations[0]
}

// Expired reports whether the authorization, never captured, passed its
// CaptureBy date at now.
func (t *Transaction) Expired(now time.Time) bool {
	return t.Status == StatusAuthorized && !t.CaptureBy.IsZero() && now.After(t.CaptureBy)
}

// Has reports whether the transaction holds an approved operation of a
// kind.
func (t *Transaction) Has(kind OperationKind) bool {
	for _, op := range t.Operations {
		if op.Kind == kind && op.Approved {
			return true
		}
	}
	return false
}

// OperationByRef returns the operation a front named ref, or nil.
func (t *Transaction) OperationByRef(front, ref string) *Operation {
	for i := range t.Operations {
		if op := &t.Operations[i]; op.Ref == ref && op.Front == front && ref != "" {
			return op
		}
	}
	return nil
}

// Remitted reports whether the captured funds were sent to the bank at now.
func (t *Transaction) Remitted(now time.Time) bool {
	return t.Captured > 0 && !t.RemitAt.IsZero() && !now.Before(t.RemitAt)
}

// Operation is one thing done to a transaction. Each has its own number
// (Paybox NUMTRANS) so that fronts can show their identifiers.
type Operation struct {
	ID            string
	TransactionID string
	Number        int64
	Kind          OperationKind
	Amount        int64
	// Approved is false for an authorization the issuer refused.
	Approved bool
	Code     string // the issuer's or acquirer's answer code
	// Front is the protocol that asked for the operation, and Ref the
	// identifier it gave it, unique within the front (Lyra's uuid): the
	// front finds the operation again by them. Both are empty for fronts
	// that use Number.
	Front     string
	Ref       string
	CreatedAt time.Time
}

// Event is something that happened, written to the outbox in the same
// database transaction as the change that caused it, for the notification
// dispatcher to deliver.
type Event struct {
	ID            string
	ShopID        string
	TransactionID string
	Type          EventType
	At            time.Time
	Data          []byte // JSON
}

// Exchange is one request and its answer on a front, recorded for the back
// office with card data masked.
type Exchange struct {
	ID        string
	ShopID    string // empty when the request was not authenticated: the log keeps less of it
	Protocol  string // "ppps", …
	Operation string // the protocol's name for what was asked (TYPE=00003, …)
	Reference string // the merchant's order reference the request names, if any
	Code      string // the protocol's answer code
	Request   string
	Response  string
	At        time.Time
	Duration  time.Duration
}
