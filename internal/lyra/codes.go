package lyra

import (
	"errors"
	"fmt"

	"guichet"
	"guichet/internal/core"
)

// messages are the texts of the error codes guichet answers. The codes are
// Lyra's (its errors reference, spec §5); the texts are short English
// descriptions, as the platform's are. The two recorded ones are the
// platform's own: "transaction not found" (PSP_010, recorded answers of
// Transaction/CancelOrRefund and Order/Get) and "web-service input data
// validation error" (INT_902, recorded answer of Charge/CreatePayment).
var messages = map[string]string{
	"INT_005":    "invalid parameter manualValidation",
	"INT_006":    "invalid parameter captureDelay",
	"INT_009":    "invalid or missing parameter amount",
	"INT_010":    "invalid or missing parameter currency",
	"INT_012":    "invalid parameter customer.billingDetails.language",
	"INT_013":    "invalid parameter orderId",
	"INT_015":    "invalid parameter customer.email",
	"INT_016":    "invalid parameter customer.reference",
	"INT_022":    "invalid parameter customer.billingDetails.country",
	"INT_024":    "invalid parameter subMerchantDetails.phoneNumber",
	"INT_030":    "invalid parameter paymentMethodToken",
	"INT_050":    "invalid parameter strongAuthentication",
	"INT_086":    "invalid parameter customer.shippingDetails.country",
	"INT_091":    "invalid parameter metadata",
	"INT_092":    "invalid parameter customer.billingDetails.category",
	"INT_093":    "invalid parameter customer.shippingDetails.category",
	"INT_094":    "invalid parameter customer.shippingDetails.shippingMethod",
	"INT_095":    "invalid parameter customer.shippingDetails.shippingSpeed",
	"INT_017":    "invalid parameter customer.billingDetails.title",
	"INT_019":    "invalid parameter customer.billingDetails.address",
	"INT_020":    "invalid parameter customer.billingDetails.zipCode",
	"INT_021":    "invalid parameter customer.billingDetails.city",
	"INT_023":    "invalid parameter customer.billingDetails.phoneNumber",
	"INT_031":    "invalid parameter contrib",
	"INT_060":    "invalid parameter paymentSource",
	"INT_064":    "invalid parameter rrule",
	"INT_066":    "invalid parameter initialAmount",
	"INT_068":    "invalid parameter initialAmountNumber",
	"INT_069":    "invalid parameter effectDate",
	"INT_077":    "invalid parameter customer.shippingDetails.phoneNumber",
	"INT_081":    "invalid parameter customer.shippingDetails.address",
	"INT_082":    "invalid parameter customer.shippingDetails.address2",
	"INT_083":    "invalid parameter customer.shippingDetails.city",
	"INT_084":    "invalid parameter customer.shippingDetails.state",
	"INT_085":    "invalid parameter customer.shippingDetails.zipCode",
	"INT_088":    "invalid parameter customer.billingDetails.state",
	"INT_096":    "invalid parameter customer.shippingDetails.deliveryCompanyName",
	"INT_097":    "invalid parameter cartItemInfo.productLabel",
	"INT_098":    "invalid parameter cartItemInfo.productType",
	"INT_100":    "invalid parameter cartItemInfo.productRef",
	"INT_101":    "invalid parameter cartItemInfo.productQty",
	"INT_102":    "invalid parameter cartItemInfo.productAmount",
	"INT_104":    "invalid parameter customer.billingDetails.firstName",
	"INT_105":    "invalid parameter customer.billingDetails.lastName",
	"INT_106":    "invalid parameter customer.shippingDetails.firstName",
	"INT_107":    "invalid parameter customer.shippingDetails.lastName",
	"INT_108":    "invalid parameter customer.shoppingCart.taxAmount",
	"INT_109":    "invalid parameter customer.shoppingCart.shippingAmount",
	"INT_110":    "invalid parameter customer.shoppingCart.insuranceAmount",
	"INT_112":    "invalid parameter customer.billingDetails.streetNumber",
	"INT_113":    "invalid parameter customer.billingDetails.district",
	"INT_114":    "invalid parameter customer.shippingDetails.streetNumber",
	"INT_115":    "invalid parameter customer.shippingDetails.district",
	"INT_121":    "invalid parameter customer.billingDetails.legalName",
	"INT_124":    "invalid parameter customer.billingDetails.identityCode",
	"INT_125":    "invalid parameter customer.shippingDetails.legalName",
	"INT_203":    "invalid parameter cartItemInfo.productVat",
	"INT_806":    "invalid parameter customer.billingDetails.identityType",
	"INT_873":    "invalid parameter fingerPrintId",
	"INT_877":    "invalid parameter customer.shippingDetails.identityCode",
	"INT_811":    "customer.email is required for this formAction",
	"INT_812":    "paymentMethodToken is required for this formAction",
	"INT_875":    "invalid parameter formAction",
	"INT_840":    "invalid parameter paymentOrderId",
	"INT_842":    "invalid parameter message",
	"INT_854":    "invalid parameter channelOptions.channelType",
	"INT_880":    "initialAmount and initialAmountNumber go together",
	"INT_883":    "invalid parameter description",
	"INT_897":    "invalid parameter subscriptionId",
	"INT_898":    "invalid parameter comment",
	"INT_899":    "invalid parameter retry",
	"INT_901":    "unknown web service",
	"INT_902":    "web-service input data validation error",
	"INT_903":    "formToken not found or expired",
	"INT_904":    "invalid public key",
	"INT_905":    "invalid login or password",
	"INT_906":    "invalid formToken",
	"INT_911":    "the public key does not match the formToken",
	"INT_913":    "this web service is for PCI-DSS merchants only",
	"INT_914":    "message too big",
	"INT_920":    "invalid parameter returnUrl",
	"INT_921":    "invalid parameter cancelUrl",
	"INT_922":    "invalid parameter successUrl",
	"INT_923":    "invalid parameter refusedUrl",
	"INT_924":    "invalid parameter errorUrl",
	"INT_926":    "invalid parameter ipnTargetUrl",
	"INT_927":    "invalid parameter returnMode",
	"INT_928":    "invalid or missing parameter installmentOptions.firstAmount",
	"INT_929":    "invalid parameter installmentOptions.count",
	"INT_930":    "invalid parameter installmentOptions.period",
	"INT_931":    "invalid parameter installmentOptions.schedules",
	"INT_932":    "invalid parameter installmentOptions.schedules[date]",
	"INT_933":    "invalid or missing parameter installmentOptions.schedules[amount]",
	"INT_945":    "simple and advanced installment fields cannot be mixed",
	"ACQ_001":    "payment refused by the acquirer",
	"ACQ_999":    "acquirer technical error",
	"AUTH_101":   "3-D Secure technical error",
	"CLIENT_101": "payment abandoned",
	"CLIENT_300": "invalid form data",
	"CLIENT_301": "invalid card number",
	"CLIENT_302": "invalid expiry date",
	"CLIENT_303": "invalid security code",
	"CLIENT_515": "the maximum number of installments allowed is 4",
	"PSP_010":    "transaction not found",
	"PSP_011":    "the transaction status does not allow this operation",
	"PSP_014":    "nothing to change",
	"PSP_015":    "too many results",
	"PSP_016":    "duplication not allowed",
	"PSP_613":    "the transaction cannot be duplicated",
	"PSP_030":    "token not found",
	"PSP_031":    "invalid token",
	"PSP_032":    "subscription not found",
	"PSP_033":    "invalid rrule, or the subscription is cancelled",
	"PSP_034":    "the token already exists",
	"PSP_075":    "cancellation impossible, refund the transaction instead",
	"PSP_076":    "refund not possible yet, cancel the transaction instead",
	"PSP_083":    "an unpaid transaction cannot be refunded",
	"PSP_099":    "too many attempts on this payment form",
	"PSP_101":    "the transaction cannot be refunded",
	"PSP_102":    "the transaction cannot be cancelled",
	"PSP_104":    "the transaction was already refunded",
	"PSP_105":    "the transaction was already cancelled",
	"PSP_108":    "the payment form expired",
	"PSP_136":    "the 3-D Secure session expired",
	"PSP_109":    "the shop is not in production mode",
	"PSP_110":    "the transaction cannot be updated",
	"PSP_113":    "duplicate submission",
	"PSP_508":    "the card expires before the last installment",
	"PSP_510":    "the refund exceeds the initial amount",
	"PSP_511":    "the refunds exceed the initial amount",
	"PSP_519":    "unknown currency",
	"PSP_545":    "bad currency for the update",
	"PSP_546":    "the amount is greater than the authorized amount",
	"PSP_547":    "the capture date is beyond the authorization's validity",
	"PSP_606":    "currency not supported by the shop's contract",
	"PSP_607":    "the token's card is no longer valid",
	"PSP_610":    "none of the shop's contracts can be used",
	"PSP_1000":   "payment order not found",
	"PSP_1005":   "the payment order is finished",
	"PSP_1006":   "the payment order expired",
	"PSP_1101":   "the payment order is cancelled",
	"PSP_1012":   "locale must be written xx_XX",
	"PSP_1052":   "paymentOrderId is required",
	"PSP_1007":   "the expiration date must be after now and within 90 days",
	"PSP_1023":   "the amount must be 0 to register a card",
	"PSP_1024":   "the amount must not be 0 for a payment",
	"PSP_1047":   "the token is already cancelled",
	"PSP_999":    "technical error",
}

// failure is an error answer: a Lyra error code with its message, and the
// detail the envelope's detailed fields carry.
type failure struct {
	code, message string
	// detailedCode and detailedMessage fill the answer's detailed fields,
	// null when empty: the network's answer code for ACQ_001, the reason
	// of a validation error.
	detailedCode, detailedMessage string
}

func (f *failure) Error() string { return f.code + ": " + f.message }

// fail returns the failure of a code, its detailed message formatted from
// the arguments when there are any.
func fail(code string, detail ...any) *failure {
	f := &failure{code: code, message: messages[code]}
	if f.message == "" {
		panic("lyra: no message for " + code)
	}
	if len(detail) > 0 {
		f.detailedMessage = fmt.Sprint(detail...)
	}
	return f
}

// The operations whose refusals have codes of their own.
type operation string

const (
	opAny      operation = ""
	opCancel   operation = "cancel"
	opRefund   operation = "refund"
	opValidate operation = "validate"
	opUpdate   operation = "update"
	opToken    operation = "token"
	opPay      operation = "pay"
)

// reasonCodes maps the core's refusals to Lyra's codes: one table for the
// front, by operation, a reason without a row of its operation taking the
// row of opAny.
var reasonCodes = map[operation]map[guichet.Reason]string{
	opAny: {
		guichet.ReasonAmount:         "INT_009",
		guichet.ReasonCurrency:       "PSP_606",
		guichet.ReasonState:          "PSP_011",
		guichet.ReasonDuplicate:      "PSP_113",
		guichet.ReasonCard:           "CLIENT_301",
		guichet.ReasonExpiry:         "CLIENT_302",
		guichet.ReasonTokenExists:    "PSP_034",
		guichet.ReasonTokenMissing:   "PSP_030",
		guichet.ReasonTokenCancelled: "PSP_607",
		guichet.ReasonTokenActive:    "PSP_011",
		guichet.ReasonExpired:        "PSP_011",
		guichet.ReasonSchedule:       "PSP_610",
		guichet.ReasonNotCaptured:    "PSP_076",
		guichet.ReasonNotSupported:   "PSP_011",
		guichet.ReasonWrongReference: "PSP_010",
		// KWIXO's own refusals reach a Lyra client only for a KWIXO
		// payment another front took; each says the state forbids it.
		guichet.ReasonUnderReview:           "PSP_011",
		guichet.ReasonAlreadyCaptured:       "PSP_075",
		guichet.ReasonPartialAfterCapture:   "PSP_075",
		guichet.ReasonAlreadyCancelled:      "PSP_105",
		guichet.ReasonDispute:               "PSP_083",
		guichet.ReasonRepeatedPartialCancel: "PSP_102",
		guichet.ReasonPartialCancelPending:  "PSP_102",
		guichet.ReasonTotalCancelPending:    "PSP_102",
		guichet.ReasonRepeatedRefund:        "PSP_101",
		guichet.ReasonNotRefundable:         "PSP_101",
		guichet.ReasonRefundTooSmall:        "PSP_101",
	},
	opCancel: {
		guichet.ReasonState:   "PSP_075",
		guichet.ReasonExpired: "PSP_102",
		guichet.ReasonAmount:  "INT_009",
	},
	opRefund: {
		guichet.ReasonState:       "PSP_076",
		guichet.ReasonNotCaptured: "PSP_076",
		guichet.ReasonAmount:      "PSP_511",
		guichet.ReasonCurrency:    "INT_010",
	},
	opValidate: {
		guichet.ReasonExpired: "PSP_011",
	},
	opUpdate: {
		guichet.ReasonAmount:   "PSP_546",
		guichet.ReasonCurrency: "INT_010",
		guichet.ReasonExpired:  "PSP_110",
	},
	opToken: {
		guichet.ReasonTokenCancelled: "PSP_1047",
	},
	opPay: {
		guichet.ReasonExpired:  "PSP_108",
		guichet.ReasonState:    "PSP_099",
		guichet.ReasonSchedule: "PSP_508",
	},
}

// asFailure turns an error of the core into the failure it answers for op.
// Errors without a Lyra meaning (the store failing) are a technical error,
// whose detail stays in the log.
func asFailure(err error, op operation) *failure {
	var f *failure
	if errors.As(err, &f) {
		return f
	}
	var ge *guichet.Error
	if !errors.As(err, &ge) {
		return fail("PSP_999")
	}
	if ge.Code == guichet.CodeNotFound && ge.Reason == guichet.ReasonNone {
		return fail("PSP_010")
	}
	if ge.Reason == guichet.ReasonSchedule {
		if _, field, ok := core.InstalmentFault(err); ok && field == "date" && op == opPay {
			return fail("PSP_508", ge.Message)
		}
	}
	code := reasonCodes[op][ge.Reason]
	if code == "" {
		code = reasonCodes[opAny][ge.Reason]
	}
	switch {
	case code != "":
		return fail(code, ge.Message)
	case ge.Code == guichet.CodeInvalid:
		return fail("INT_902", ge.Message)
	case ge.Code == guichet.CodeUnavailable:
		return fail("ACQ_999")
	}
	return fail("PSP_999")
}
