package guichet

import "time"

// ReviewStep is one state of an asynchronous review of a payment or of an
// operation on it: the state Code, reached After the previous step.
type ReviewStep struct {
	After time.Duration `json:"after"`
	Code  string        `json:"code"`
}

// Reviewer is the antifraud and financing network behind a deferred means
// of payment (FIA-NET for KWIXO): it decides, from what it is shown, the
// states a payment and the merchant's operations on it go through. Its
// answers are pure functions of their arguments, so that a merchant's
// tests see the same outcome every time. internal/sim implements it.
type Reviewer interface {
	// Scoring is the path of a new payment: its first step, with After
	// 0, is the state the payment starts in.
	Scoring(amount int64, email, option string, productTypes []int) []ReviewStep
	// AfterCapture are the states a captured payment goes through.
	AfterCapture(amount int64, option string) []ReviewStep
	// Cancellation and Refund are the outcomes of the merchant's
	// cancellation of a payment and refund of an amount.
	Cancellation(paymentAmount int64) ReviewStep
	Refund(amount int64) ReviewStep
}
