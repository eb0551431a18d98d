package core

import (
	"fmt"
	"time"

	"guichet"
)

// The rules below are pure functions of a transaction and a request. They
// return an *guichet.Error whose Reason tells fronts which wire code to use.

// expiredError refuses an operation on an authorization past its CaptureBy
// date.
func expiredError(t *guichet.Transaction) error {
	return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonExpired,
		Message: fmt.Sprintf("the authorization expired on %s without being captured", t.CaptureBy.UTC().Format(time.RFC3339))}
}

func stateError(t *guichet.Transaction, what string) error {
	return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
		Message: fmt.Sprintf("cannot %s a transaction that is %s", what, t.Status)}
}

func amountError(format string, args ...any) error {
	return &guichet.Error{Code: guichet.CodeInvalid, Reason: guichet.ReasonAmount, Param: "amount",
		Message: fmt.Sprintf(format, args...)}
}

// checkMoney refuses amounts that are not positive and currencies other
// than the transaction's.
func checkMoney(t *guichet.Transaction, m guichet.Money) error {
	if m.Amount <= 0 {
		return amountError("the amount must be positive")
	}
	if t != nil && m.Currency != t.Currency {
		return &guichet.Error{Code: guichet.CodeInvalid, Reason: guichet.ReasonCurrency, Param: "currency",
			Message: fmt.Sprintf("the transaction is in %s, not %s", t.Currency, m.Currency)}
	}
	return nil
}

// canCapture allows captures, partial and repeated, while the sum stays
// within the authorized amount, until the authorization expires.
func canCapture(t *guichet.Transaction, m guichet.Money, now time.Time) error {
	if err := checkMoney(t, m); err != nil {
		return err
	}
	if t.Expired(now) {
		return expiredError(t)
	}
	if t.Status != guichet.StatusAuthorized && t.Status != guichet.StatusCaptured {
		return stateError(t, "capture")
	}
	if t.Refunded > 0 {
		return stateError(t, "capture more of")
	}
	if m.Amount > t.Amount-t.Captured {
		return amountError("capturing %d would exceed the authorized %d (already captured %d)", m.Amount, t.Amount, t.Captured)
	}
	return nil
}

// canCancel allows a cancellation before any funds were remitted to the
// bank: an authorization not yet captured, or a capture still waiting for
// the evening remittance. The amount sent may not exceed the transaction's.
func canCancel(t *guichet.Transaction, m guichet.Money, now time.Time) error {
	if err := checkMoney(t, m); err != nil {
		return err
	}
	switch {
	case t.Expired(now):
		return expiredError(t)
	case t.Status == guichet.StatusAuthorized, t.Status == guichet.StatusWaiting:
	case t.Status == guichet.StatusCaptured && t.Refunded == 0 && !t.Remitted(now):
	default:
		if t.Status == guichet.StatusCaptured {
			return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
				Message: "the transaction was already remitted; refund it instead"}
		}
		return stateError(t, "cancel")
	}
	if m.Amount > t.Amount {
		return amountError("cancelling %d exceeds the transaction amount %d", m.Amount, t.Amount)
	}
	return nil
}

// canRefund allows refunds, partial and repeated, while their sum stays
// within what was captured.
func canRefund(t *guichet.Transaction, m guichet.Money, now time.Time) error {
	if err := checkMoney(t, m); err != nil {
		return err
	}
	if !t.RefundBy.IsZero() && now.After(t.RefundBy) {
		return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonExpired,
			Message: fmt.Sprintf("the payment could be refunded until %s", t.RefundBy.UTC().Format(time.RFC3339))}
	}
	if t.Status == guichet.StatusRefunded {
		// Everything captured came back already: what is asked is more
		// than what remains, which merchants know as an amount error.
		return amountError("the transaction was refunded in full already")
	}
	if t.Status != guichet.StatusCaptured {
		return stateError(t, "refund")
	}
	if m.Amount > t.Captured-t.Refunded {
		return amountError("refunding %d would exceed what remains captured (%d)", m.Amount, t.Captured-t.Refunded)
	}
	return nil
}

// canUpdateAmount allows lowering or restating the amount of an
// authorization that nothing was captured from, or of a payment captured
// in full whose funds the bank has not received yet: the capture follows
// the new amount.
func canUpdateAmount(t *guichet.Transaction, m guichet.Money, now time.Time) error {
	if err := checkMoney(t, m); err != nil {
		return err
	}
	if t.Expired(now) {
		return expiredError(t)
	}
	capturedInFull := t.Status == guichet.StatusCaptured && t.Captured == t.Amount && t.Refunded == 0 && !t.Remitted(now)
	if t.Status != guichet.StatusAuthorized && t.Status != guichet.StatusWaiting && !capturedInFull {
		return stateError(t, "change the amount of")
	}
	if m.Amount > t.Amount {
		return amountError("the new amount %d exceeds the authorized %d", m.Amount, t.Amount)
	}
	return nil
}

// noPresentingAgain are the issuer answers after which a refused
// Mastercard may not be presented again: the card is invalid, unknown,
// lost, stolen or expired.
var noPresentingAgain = map[string]bool{"04": true, "14": true, "15": true, "41": true, "43": true, "54": true}

// canPayAgain allows paying again with the card of a settled transaction:
// remitted, expired, cancelled or refused; not one still running, whose
// own capture is pending, nor a Mastercard the issuer refused for good.
func canPayAgain(t *guichet.Transaction, now time.Time) error {
	switch {
	case t.Status == guichet.StatusRefused && t.Card.Brand == guichet.BrandMastercard && noPresentingAgain[t.ResponseCode]:
		return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonNotSupported,
			Message: "the issuer refused this Mastercard for good (" + t.ResponseCode + "): it may not be presented again"}
	case t.Status == guichet.StatusRefused, t.Status == guichet.StatusCancelled, t.Expired(now):
	case (t.Status == guichet.StatusCaptured || t.Status == guichet.StatusRefunded) && t.Remitted(now):
	default:
		return stateError(t, "pay again with the card of")
	}
	if len(t.Card.Sealed) == 0 {
		return stateError(t, "pay again with the card of")
	}
	return nil
}

// canReauthorize allows a new authorization on the card of a transaction
// the issuer approved, live or not: a merchant re-authorizes a payment
// whose authorization expired, or that it ships in several parts. A
// refused or cancelled payment has nothing to re-authorize.
func canReauthorize(t *guichet.Transaction) error {
	if t.Status == guichet.StatusRefused || t.Status == guichet.StatusCancelled || len(t.Card.Sealed) == 0 {
		return stateError(t, "re-authorize")
	}
	return nil
}

// check runs the rule of an operation kind.
func check(t *guichet.Transaction, kind guichet.OperationKind, m guichet.Money, now time.Time) error {
	switch kind {
	case guichet.OpCapture:
		return canCapture(t, m, now)
	case guichet.OpCancel:
		return canCancel(t, m, now)
	case guichet.OpRefund:
		return canRefund(t, m, now)
	case guichet.OpUpdateAmount:
		return canUpdateAmount(t, m, now)
	}
	return guichet.Errorf(guichet.CodeInvalid, "operation %q does not apply to an existing transaction", kind)
}

// apply moves the transaction's amounts and status for an operation that
// check allowed.
func apply(t *guichet.Transaction, kind guichet.OperationKind, amount int64, remitAt time.Time) {
	switch kind {
	case guichet.OpCapture:
		if t.Captured == 0 {
			t.RemitAt = remitAt
		}
		t.Captured += amount
		t.Status = guichet.StatusCaptured
	case guichet.OpCancel:
		t.Status = guichet.StatusCancelled
	case guichet.OpRefund:
		t.Refunded += amount
		if t.Refunded == t.Captured {
			t.Status = guichet.StatusRefunded
		}
	case guichet.OpUpdateAmount:
		if t.Captured == t.Amount && t.Captured > 0 {
			t.Captured = amount
		}
		t.Amount = amount
	}
}

// remittance returns when funds captured at now are sent to the bank: at
// the end of the day in Paris, delayed by the given number of days.
func remittance(now time.Time, loc *time.Location, delayDays int) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d+1+delayDays, 0, 0, 0, 0, loc)
}
