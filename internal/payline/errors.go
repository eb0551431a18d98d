package payline

import (
	"errors"

	"guichet"
	"guichet/internal/payline/soap"
)

// opKind groups operations whose refusals Payline words alike.
type opKind int

const (
	opAny opKind = iota
	opCapture
	opRefund
	opReset
	opWallet
)

// reasonCodes are the Payline codes of the core's refusals: those of any
// operation, and where an operation words a reason its own way, its own.
var reasonCodes = map[opKind]map[guichet.Reason]string{
	opAny: {
		guichet.ReasonAmount:         "02110",
		guichet.ReasonCurrency:       "02620",
		guichet.ReasonState:          "02302",
		guichet.ReasonDuplicate:      "02001",
		guichet.ReasonCard:           "02625",
		guichet.ReasonExpiry:         "02624",
		guichet.ReasonTokenExists:    "02502",
		guichet.ReasonTokenMissing:   "02503",
		guichet.ReasonTokenCancelled: "02505",
		guichet.ReasonTokenActive:    "02302",
		guichet.ReasonExpired:        "02602",
		guichet.ReasonSchedule:       "02509",
		guichet.ReasonNotCaptured:    "02618",
		guichet.ReasonNotSupported:   "02010",
		guichet.ReasonWrongReference: "02302",
		// KWIXO's refusals reach a Payline client only for a KWIXO
		// payment another front took.
		guichet.ReasonUnderReview:           "02302",
		guichet.ReasonAlreadyCaptured:       "02617",
		guichet.ReasonPartialAfterCapture:   "02603",
		guichet.ReasonAlreadyCancelled:      "02601",
		guichet.ReasonDispute:               "02302",
		guichet.ReasonRepeatedPartialCancel: "02601",
		guichet.ReasonPartialCancelPending:  "02601",
		guichet.ReasonTotalCancelPending:    "02601",
		guichet.ReasonRepeatedRefund:        "02613",
		guichet.ReasonNotRefundable:         "02302",
		guichet.ReasonRefundTooSmall:        "02611",
	},
	opCapture: {
		guichet.ReasonAmount: "02613",
		guichet.ReasonState:  "02617",
	},
	opRefund: {
		guichet.ReasonAmount: "02613",
		guichet.ReasonState:  "02618",
		// Past its refund window (a Payconiq payment's 365 days) a
		// payment is no longer refundable; no code of the platform's
		// is documented for it, and this one says so.
		guichet.ReasonExpired: "02314",
	},
	opReset: {
		guichet.ReasonState:  "02603",
		guichet.ReasonAmount: "02613",
	},
	opWallet: {
		guichet.ReasonState: "02505",
	},
}

// refusal is the result of a refusal of the core for an operation of a
// kind, and false for an error that is not a refusal (the store failed):
// the caller answers that with the technical error.
func refusal(err error, kind opKind) (*soap.Result, bool) {
	var e *guichet.Error
	if !errors.As(err, &e) || e.Code == guichet.CodeInternal || e.Code == guichet.CodeUnavailable {
		return nil, false
	}
	code := reasonCodes[kind][e.Reason]
	if code == "" {
		code = reasonCodes[opAny][e.Reason]
	}
	switch {
	case code != "":
	case e.Code == guichet.CodeNotFound:
		code = "02604"
	default:
		code = "02305"
	}
	return wireResult(code), true
}
