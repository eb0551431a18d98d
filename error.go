package guichet

import (
	"errors"
	"fmt"
)

// Code classifies an error so that each front can map it to its own wire
// error. The set is closed on purpose: a code is added only when a caller
// must act differently.
type Code string

// The error codes.
const (
	CodeInvalid      Code = "invalid"      // bad input; Error.Param names the field
	CodeUnauthorized Code = "unauthorized" // wrong or missing credentials
	CodeNotFound     Code = "not_found"    // the object referred to does not exist
	CodeConflict     Code = "conflict"     // state-machine violation or duplicate
	CodeUnavailable  Code = "unavailable"  // acquirer down or timed out; retryable
	CodeInternal     Code = "internal"     // everything else; details are only logged
)

// Error is the one error type of guichet. Message is meant for the caller;
// Err, the cause, is never shown outside the process.
type Error struct {
	Code    Code
	Message string
	// Param names the offending input, when there is one.
	Param string
	// Reason refines Code for fronts whose protocols distinguish more cases
	// (a refund beyond the captured amount and a capture of a cancelled
	// transaction are both conflicts, but not the same answer on the wire).
	Reason Reason
	// Method, when set, names the means of payment whose own rules refused
	// the request ("KWIXO"), for fronts that answer such refusals with the
	// codes of that means of payment; empty for the core's common rules.
	Method string
	Err    error
}

func (e *Error) Error() string {
	msg := string(e.Code) + ": " + e.Message
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Reason is a finer classification of an error than its Code.
type Reason string

// The reasons the core reports.
const (
	ReasonNone           Reason = ""
	ReasonAmount         Reason = "amount"          // amount out of the allowed range
	ReasonCurrency       Reason = "currency"        // currency unknown or different from the transaction's
	ReasonState          Reason = "state"           // operation not allowed in the transaction's state
	ReasonDuplicate      Reason = "duplicate"       // request identifier already used
	ReasonCard           Reason = "card"            // card number invalid
	ReasonExpiry         Reason = "expiry"          // card expired or expiry malformed
	ReasonTokenExists    Reason = "token_exists"    // token reference already registered
	ReasonTokenMissing   Reason = "token_missing"   // token reference unknown
	ReasonNotCaptured    Reason = "not_captured"    // refund of a transaction with nothing captured
	ReasonWrongReference Reason = "wrong_reference" // reference does not match the transaction
	ReasonNotSupported   Reason = "not_supported"   // the means of payment offers no such operation
	ReasonSchedule       Reason = "schedule"        // a payment schedule breaks a rule; Param names the payment and field
	ReasonExpired        Reason = "expired"         // the order or the authorization is past its deadline
	ReasonTokenCancelled Reason = "token_cancelled" // the token was cancelled by the merchant
	ReasonTokenActive    Reason = "token_active"    // the token is not cancelled: nothing to reactivate

	// Reasons of means of payment whose provider settles operations later
	// and keeps rules of its own (KWIXO).
	ReasonUnderReview           Reason = "under_review"            // a review of the payment is under way: retry later
	ReasonAlreadyCaptured       Reason = "already_captured"        // captured already: no second capture nor total cancellation
	ReasonPartialAfterCapture   Reason = "partial_after_capture"   // no partial cancellation once captured
	ReasonAlreadyCancelled      Reason = "already_cancelled"       // the payment is cancelled
	ReasonDispute               Reason = "dispute"                 // a dispute is under way
	ReasonRepeatedPartialCancel Reason = "repeated_partial_cancel" // one partial cancellation only
	ReasonPartialCancelPending  Reason = "partial_cancel_pending"  // a partial cancellation awaits its outcome
	ReasonTotalCancelPending    Reason = "total_cancel_pending"    // a total cancellation awaits its outcome
	ReasonRepeatedRefund        Reason = "repeated_refund"         // one refund only (a failed one does not count)
	ReasonNotRefundable         Reason = "not_refundable"          // the payment takes no refund (a credit)
	ReasonRefundTooSmall        Reason = "refund_too_small"        // under the smallest refund allowed
)

// Reasons lists every reason the core reports, for the fronts' tables to
// be checked against: each front maps every one to its wire code.
func Reasons() []Reason {
	return []Reason{ReasonAmount, ReasonCurrency, ReasonState, ReasonDuplicate, ReasonCard, ReasonExpiry,
		ReasonTokenExists, ReasonTokenMissing, ReasonNotCaptured, ReasonWrongReference, ReasonNotSupported,
		ReasonSchedule, ReasonExpired, ReasonTokenCancelled, ReasonTokenActive,
		ReasonUnderReview, ReasonAlreadyCaptured, ReasonPartialAfterCapture, ReasonAlreadyCancelled, ReasonDispute,
		ReasonRepeatedPartialCancel, ReasonPartialCancelPending, ReasonTotalCancelPending, ReasonRepeatedRefund,
		ReasonNotRefundable, ReasonRefundTooSmall}
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, CodeInternal when err carries none, and
// the empty code for a nil error.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorReason returns the reason of err, or ReasonNone.
func ErrorReason(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ReasonNone
}

// ErrorMessage returns the caller-facing message of err. Errors without a
// code never leak their text.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
