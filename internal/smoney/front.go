// Package smoney serves S-money's REST API V3 for card payments: the
// CardPayment resource under /api/{partner}/payins/cardpayments, its
// hosted payment page, its refunds and schedules, and the callbacks that
// tell merchants a payment changed.
package smoney

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/front"
)

// The demo application: the sandbox's partner domain, which clients
// default to, and a token of its own.
const (
	demoPartner = "sandbox"
	demoToken   = "guichet-smoney-sandbox-token"
)

// Front is the S-money front.
type Front struct {
	api *API
}

var _ front.Front = (*Front)(nil)

// New returns the S-money front.
func New(_ context.Context, d front.Deps) (front.Front, error) {
	return &Front{api: &API{svc: d.Service, log: d.Log, pages: d.Pages}}, nil
}

// Name is the protocol of the front's credentials.
func (f *Front) Name() string { return protocol }

// Register mounts the API and the payment page.
func (f *Front) Register(mux *http.ServeMux) {
	mux.Handle("/api/{partner}/{path...}", f.api)
	f.api.registerPage(mux)
}

// Notifiers are the callbacks of the front's orders.
func (f *Front) Notifiers() map[string]core.Notifier {
	return map[string]core.Notifier{protocol: f.api.notifier}
}

// Refs name the front's operations by their number: the numeric Id the
// platform gives payments and refunds.
func (f *Front) Refs() map[string]core.RefFunc {
	return map[string]core.RefFunc{protocol: func(n int64) string { return strconv.FormatInt(n, 10) }}
}

// Errors maps the core's refusals to S-money's codes (spec §3 and §9).
func (f *Front) Errors() map[guichet.Reason]string { return reasonCodes }

// reasonCodes are S-money's error codes for the core's refusals: a refund
// beyond what was paid is 706, one on a payment not completed 364, one
// on a payment refunded in full 708; what an API call asks wrongly is an
// invalid parameter (177, 178).
var reasonCodes = map[guichet.Reason]string{
	guichet.ReasonAmount:                "706",
	guichet.ReasonCurrency:              "177",
	guichet.ReasonState:                 "364",
	guichet.ReasonDuplicate:             "710",
	guichet.ReasonCard:                  "178",
	guichet.ReasonExpiry:                "178",
	guichet.ReasonTokenExists:           "717",
	guichet.ReasonTokenMissing:          "195",
	guichet.ReasonTokenCancelled:        "195",
	guichet.ReasonTokenActive:           "364",
	guichet.ReasonExpired:               "364",
	guichet.ReasonSchedule:              "178",
	guichet.ReasonNotCaptured:           "364",
	guichet.ReasonNotSupported:          "362",
	guichet.ReasonWrongReference:        "364",
	guichet.ReasonUnderReview:           "364",
	guichet.ReasonAlreadyCaptured:       "364",
	guichet.ReasonPartialAfterCapture:   "364",
	guichet.ReasonAlreadyCancelled:      "708",
	guichet.ReasonDispute:               "364",
	guichet.ReasonRepeatedPartialCancel: "364",
	guichet.ReasonPartialCancelPending:  "364",
	guichet.ReasonTotalCancelPending:    "364",
	guichet.ReasonRepeatedRefund:        "708",
	guichet.ReasonNotRefundable:         "364",
	guichet.ReasonRefundTooSmall:        "704",
}

// Demo returns the sandbox application.
func (f *Front) Demo(now time.Time) []guichet.Shop {
	acct := Account{Partner: demoPartner, Token: demoToken, Name: "S-money sandbox"}
	return []guichet.Shop{{ID: "smoney-" + demoPartner, Name: "S-money sandbox", Mode: guichet.ModeTest, ThreeDS: true,
		Credentials: []guichet.Credential{acct.Credential()}, CreatedAt: now}}
}

// Banner describes the API and the sandbox's token.
func (f *Front) Banner(base string, demo []guichet.Shop) []string {
	lines := []string{fmt.Sprintf("S-money API V3         %s/api/sandbox/payins/cardpayments  (Accept: application/vnd.s-money.v3+json)", base)}
	for i := range demo {
		if acct, ok, _ := AccountOf(&demo[i]); ok {
			lines = append(lines, fmt.Sprintf("  S-money partner %s  Authorization: Bearer %s", acct.Partner, acct.Token))
		}
	}
	return lines
}
