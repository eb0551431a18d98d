package smoney

import (
	"encoding/json"
)

// The API version a call asks for selects the resource's shape (spec §2):
// v3 is the seed's, the Dalenys era's; v1 and v2, the SystemPay era's,
// have no ThreeDSecurePreference, their own ExtraResults
// (BankAuthResult, RiskControlResult, ThreedsResult, WarrantyResult) and
// ErrorCode classes, and v1 writes Fee as an object.

// The ErrorCode classes of the SystemPay era.
const (
	systempayNone          = 0
	systempayRefused       = 2
	systempayCancelled     = 3
	systempayNotEnrolled   = 4
	systempayAuthError     = 5
	systempayTechnicalFail = 6
)

// shaped is a card payment in the shape of an API version.
func shaped(res cardPayment, v int) any {
	if v >= 3 {
		return res
	}
	raw, err := json.Marshal(res)
	if err != nil {
		return res
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return res
	}
	delete(m, "ThreeDSecurePreference")
	if v == 1 {
		m["Fee"] = map[string]any{"Amount": res.Fee, "VAT": 0, "AmountWithVAT": res.Fee, "Status": 0}
	}
	m["ErrorCode"] = systempayClass(res)
	if x := res.ExtraResults; x != nil {
		m["ExtraResults"] = map[string]any{"BankAuthResult": x.BankAuthResult, "RiskControlResult": 0,
			"ThreedsResult": threedsResult(x), "WarrantyResult": x.WarrantyResult}
	}
	return m
}

// systempayClass is a payment's ErrorCode as the SystemPay era classed
// it.
func systempayClass(res cardPayment) int {
	switch {
	case res.Status == statusCancelled:
		return systempayCancelled
	case res.Status != statusRefused:
		return systempayNone
	case res.ExtraResults == nil:
		return systempayRefused
	}
	switch exec := res.ExtraResults.ExecCode; {
	case exec == "4014" || exec == "6005":
		return systempayNotEnrolled
	case exec == "4009" || exec == "5005":
		return systempayAuthError
	case errorClass(exec) == 14:
		return systempayTechnicalFail
	}
	return systempayRefused
}

// threedsResult is the 3-D Secure outcome as the SystemPay era wrote it:
// 0 authenticated, 1 not enrolled, 2 failed, 3 unavailable or not run.
func threedsResult(x *extraResults) int {
	switch {
	case x.ThreeDSecure && x.ThreeDSecureAuthStatus == 1:
		return 2
	case x.ThreeDSecure:
		return 0
	case x.ThreeDsCardEnrolled == 1:
		return 1
	}
	return 3
}

// shapedList is a list of card payments in a version's shape.
func shapedList(items []cardPayment, v int) any {
	if v >= 3 {
		return items
	}
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = shaped(it, v)
	}
	return out
}
