package sim

import (
	"slices"
	"strings"
	"time"

	"guichet"
)

// Step is one state of a simulated FIA-NET review of a KWIXO payment: the
// KWIXO state Code (integration guide §9.2.1), reached After the previous
// step. The first step of a path has After 0: it is the state the payment
// is in when the buyer leaves the KWIXO page.
type Step = guichet.ReviewStep

// FIANET is the simulated FIA-NET, KWIXO's review network, as a
// guichet.Reviewer.
type FIANET struct{}

var _ guichet.Reviewer = FIANET{}

func (FIANET) Scoring(amount int64, email, option string, productTypes []int) []Step {
	return Scoring(amount, email, option, productTypes)
}
func (FIANET) AfterCapture(amount int64, option string) []Step { return AfterCapture(amount, option) }
func (FIANET) Cancellation(paymentAmount int64) Step           { return Cancellation(paymentAmount) }
func (FIANET) Refund(amount int64) Step                        { return Refund(amount) }

// The KWIXO payment states the simulator uses, named as in the guide.
const (
	KwixoCreditUnderReview    = "200" // CREDIT_UNDER_REVIEW
	KwixoPaymentOK            = "201" // PAYMENT_OK
	KwixoControlExpertReject  = "300" // CONTROL_EXPERT_REJECT
	KwixoScoringOK            = "301" // SCORING_OK
	KwixoScoringKO            = "302" // SCORING_KO
	KwixoAbortTimeout         = "400" // ABORT_TIMEOUT
	KwixoPaymentLightKO       = "401" // PAYMENT_LIGHT_KO
	KwixoAskFinancingMerchant = "500" // ASK_FINANCING_BY_MERCHANT
	KwixoConfirmFinancing     = "501" // CONFIRM_FINANCING
	KwixoConfirmFinancingFail = "503" // CONFIRM_FINANCING_FAIL
)

// The test values of the table in Scoring's comment.
const (
	kwixoAuctionsProductType    = 6 // FIA-NET's product family for auctions
	kwixoFraudEmailPrefix       = "fraud@"
	kwixoRefusedAmountSuffix    = 66
	kwixoLongReviewAmountSuffix = 77
)

// Scoring returns the path of states a KWIXO payment goes through, from
// its amount (in minor units), the buyer's KWIXO e-mail address, the
// KWIXO option (STANDARD, 1XRNP or CREDIT) and the FIA-NET product types
// of its cart. The path is a pure function of these, so that a merchant's
// tests see the same outcome every time. The first rule that matches wins:
//
//	amount ending in 66, CREDIT   200, +30 min 500, +1 h 503 CONFIRM_FINANCING_FAIL
//	amount ending in 66           201, +5 min 401 PAYMENT_LIGHT_KO
//	e-mail starting "fraud@"      200 or 201, +10 min 302 SCORING_KO
//	an auctions product (type 6)  200 or 201, +2 h 300 CONTROL_EXPERT_REJECT
//	CREDIT                        200, +30 min 500, +1 h 501 CONFIRM_FINANCING
//	amount ending in 77           201, +24 h 301 SCORING_OK
//	anything else                 201, +10 min 301 SCORING_OK
//
// A credit starts in 200 CREDIT_UNDER_REVIEW, any other option in 201
// PAYMENT_OK: the buyer's payment is taken and awaits FIA-NET's control.
func Scoring(amount int64, email string, option string, productTypes []int) []Step {
	credit := option == "CREDIT"
	first := Step{Code: KwixoPaymentOK}
	if credit {
		first.Code = KwixoCreditUnderReview
	}
	then := func(steps ...Step) []Step { return append([]Step{first}, steps...) }
	switch {
	case amount%100 == kwixoRefusedAmountSuffix && credit:
		return then(Step{After: 30 * time.Minute, Code: KwixoAskFinancingMerchant}, Step{After: time.Hour, Code: KwixoConfirmFinancingFail})
	case amount%100 == kwixoRefusedAmountSuffix:
		return then(Step{After: 5 * time.Minute, Code: KwixoPaymentLightKO})
	case strings.HasPrefix(strings.ToLower(email), kwixoFraudEmailPrefix):
		return then(Step{After: 10 * time.Minute, Code: KwixoScoringKO})
	case slices.Contains(productTypes, kwixoAuctionsProductType):
		return then(Step{After: 2 * time.Hour, Code: KwixoControlExpertReject})
	case credit:
		return then(Step{After: 30 * time.Minute, Code: KwixoAskFinancingMerchant}, Step{After: time.Hour, Code: KwixoConfirmFinancing})
	case amount%100 == kwixoLongReviewAmountSuffix:
		return then(Step{After: 24 * time.Hour, Code: KwixoScoringOK})
	}
	return then(Step{After: 10 * time.Minute, Code: KwixoScoringOK})
}

// More KWIXO states, named as in the guide (§9.2 and §9.3).
const (
	KwixoConfirmCustomerDebit  = "502" // CONFIRM_CUSTOMER_DEBIT
	KwixoMakeComplaint         = "600" // MAKE_COMPLAINT
	KwixoComplaintNeedMerchant = "601" // COMPLAINT_NEED_MERCHANT_ACTION
	KwixoComplaintNeedOther    = "602" // COMPLAINT_NEED_OTHER_ACTION
	KwixoComplaintClosed       = "603" // COMPLAINT_CLOSED
	KwixoConfirmCancellation   = "701" // CONFIRM_CANCELLATION
	KwixoCancellationFail      = "702" // CONFIRM_CANCELLATION_FAIL
	KwixoConfirmRefund         = "801" // CONFIRM_REFUND_DONE
	KwixoRefundFail            = "802" // CONFIRM_REFUND_FAIL
)

// The test values of the operations' outcomes.
const (
	kwixoDisputeAmountSuffix      = 88
	kwixoCancelFailAmountSuffix   = 72
	kwixoRefundFailAmountSuffix   = 82
	kwixoCustomerDebitAfter       = 72 * time.Hour
	kwixoCancellationConfirmAfter = time.Hour
	kwixoRefundConfirmAfter       = 24 * time.Hour
)

// AfterCapture returns the states a KWIXO payment of the given amount and
// option goes through once captured, delays counted from the capture:
//
//	CREDIT                  502 CONFIRM_CUSTOMER_DEBIT (+3 days)
//	amount ending in 88     600 (+1 day), 601 (+1 day), 602 (+2 days), 603 COMPLAINT_CLOSED (+5 days)
//	anything else           none
//
// A credit is never disputed here: the buyer's complaint would go to the
// lender, not to FIA-NET.
func AfterCapture(amount int64, option string) []Step {
	switch {
	case option == "CREDIT":
		return []Step{{After: kwixoCustomerDebitAfter, Code: KwixoConfirmCustomerDebit}}
	case amount%100 == kwixoDisputeAmountSuffix:
		day := 24 * time.Hour
		return []Step{{After: day, Code: KwixoMakeComplaint}, {After: day, Code: KwixoComplaintNeedMerchant},
			{After: 2 * day, Code: KwixoComplaintNeedOther}, {After: 5 * day, Code: KwixoComplaintClosed}}
	}
	return nil
}

// Cancellation returns the outcome of the cancellation of a KWIXO payment
// of the given amount, an hour after it was asked for: 702
// CONFIRM_CANCELLATION_FAIL when the payment's amount ends in 72, 701
// CONFIRM_CANCELLATION otherwise.
func Cancellation(paymentAmount int64) Step {
	if paymentAmount%100 == kwixoCancelFailAmountSuffix {
		return Step{After: kwixoCancellationConfirmAfter, Code: KwixoCancellationFail}
	}
	return Step{After: kwixoCancellationConfirmAfter, Code: KwixoConfirmCancellation}
}

// Refund returns the outcome of a KWIXO refund, a day after it was asked
// for: 802 CONFIRM_REFUND_FAIL when the refunded amount ends in 82, 801
// CONFIRM_REFUND_DONE otherwise.
func Refund(amount int64) Step {
	if amount%100 == kwixoRefundFailAmountSuffix {
		return Step{After: kwixoRefundConfirmAfter, Code: KwixoRefundFail}
	}
	return Step{After: kwixoRefundConfirmAfter, Code: KwixoConfirmRefund}
}
