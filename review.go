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

// ReviewStates are the names of the states of a review (KWIXO's, guide
// §9.2 and §9.3): a Paybox pending answer's COMMENTAIRE repeats them, and
// the back office's journal shows them, so that a merchant sees where a
// payment stands.
var ReviewStates = map[string]string{
	"200": "CREDIT_UNDER_REVIEW", "201": "PAYMENT_OK",
	"300": "CONTROL_EXPERT_REJECT", "301": "SCORING_OK", "302": "SCORING_KO", "303": "SCORING_NEGATIVE",
	"400": "ABORT_TIMEOUT", "401": "PAYMENT_LIGHT_KO",
	"500": "ASK_FINANCING_BY_MERCHANT", "501": "CONFIRM_FINANCING", "502": "CONFIRM_CUSTOMER_DEBIT", "503": "CONFIRM_FINANCING_FAIL",
	"600": "MAKE_COMPLAINT", "601": "COMPLAINT_NEED_MERCHANT_ACTION", "602": "COMPLAINT_NEED_OTHER_ACTION", "603": "COMPLAINT_CLOSED",
	"700": "ASK_FOR_TOTAL_CANCELLATION_BY_MERCHANT", "701": "CONFIRM_CANCELLATION", "702": "CONFIRM_CANCELLATION_FAIL",
	"703": "AUTOMATIC_TOTAL_CANCELLATION",
	"800": "ASK_FOR_REFUND_BY_MERCHANT", "801": "CONFIRM_REFUND_DONE", "802": "CONFIRM_REFUND_FAIL",
}
