package core

import (
	"testing"

	"guichet"
)

// TestCheckKwixo walks the guide's table of PPPS refusals (§9.1) with the
// allowed actions of each payment state (§9.2.1).
func TestCheckKwixo(t *testing.T) {
	const (
		capture = guichet.OpCapture
		cancel  = guichet.OpCancel
		refund  = guichet.OpRefund
		update  = guichet.OpUpdateAmount
	)
	type tx = guichet.Transaction
	ops := func(list ...string) []guichet.Operation {
		out := []guichet.Operation{{Kind: guichet.OpAuthorize, Code: "00"}}
		for i := 0; i < len(list); i += 2 {
			out = append(out, guichet.Operation{Kind: guichet.OperationKind(list[i]), Code: list[i+1]})
		}
		return out
	}
	scored := func(review string) tx {
		return tx{Amount: 1250, Currency: "EUR", Status: guichet.StatusAuthorized, Review: review, Option: "STANDARD", Operations: ops()}
	}
	captured := func(review, option string) tx {
		t := scored(review)
		t.Captured, t.Status, t.Option = 1250, guichet.StatusCaptured, option
		t.Operations = ops("capture", "99999", "capture", "00000")
		return t
	}
	with := func(t tx, f func(*tx)) tx { f(&t); return t }
	for _, c := range []struct {
		name   string
		t      tx
		kind   guichet.OperationKind
		amount int64
		want   guichet.Reason // "" allowed
	}{
		{"capture after SCORING_OK", scored("301"), capture, 1250, ""},
		{"partial capture after CONTROL_EXPERT_REJECT", scored("300"), capture, 1000, ""},
		{"capture after SCORING_KO", scored("302"), capture, 1250, ""},
		{"capture after SCORING_NEGATIVE", scored("303"), capture, 1250, ""},
		{"capture of a financed credit", with(scored("501"), func(t *tx) { t.Option = "CREDIT" }), capture, 1250, ""},
		{"cancel after SCORING_OK", scored("301"), cancel, 1250, ""},
		{"zero amount", scored("301"), capture, 0, guichet.ReasonAmount},
		{"capture over the amount", scored("301"), capture, 1251, guichet.ReasonAmount},
		{"cancel over the amount", scored("301"), cancel, 1251, guichet.ReasonAmount},
		{"amount update", scored("301"), update, 1000, guichet.ReasonNotSupported},
		{"capture during PAYMENT_OK", scored("201"), capture, 1250, guichet.ReasonUnderReview},
		{"cancel during CREDIT_UNDER_REVIEW", scored("200"), cancel, 1250, guichet.ReasonUnderReview},
		{"capture during ASK_FINANCING_BY_MERCHANT", scored("500"), capture, 1250, guichet.ReasonUnderReview},
		{"capture after ABORT_TIMEOUT", with(scored("400"), func(t *tx) { t.Status = guichet.StatusRefused }), capture, 1250, guichet.ReasonState},
		{"cancel after PAYMENT_LIGHT_KO", with(scored("401"), func(t *tx) { t.Status = guichet.StatusRefused }), cancel, 1250, guichet.ReasonState},
		{"capture after CONFIRM_FINANCING_FAIL", scored("503"), capture, 1250, guichet.ReasonState},
		{"refund before capture", scored("301"), refund, 500, guichet.ReasonState},
		{"capture during a cancellation", with(scored("301"), func(t *tx) { t.Operations = ops("cancel", "700") }), capture, 1250, guichet.ReasonState},
		{"capture during an automatic cancellation", with(scored("301"), func(t *tx) { t.Operations = ops("cancel", "703") }), capture, 1250, guichet.ReasonState},
		{"second capture", captured("301", "STANDARD"), capture, 1250, guichet.ReasonAlreadyCaptured},
		{"total cancellation of a captured payment", captured("301", "STANDARD"), cancel, 1250, guichet.ReasonAlreadyCaptured},
		{"partial cancellation of a captured payment", captured("301", "STANDARD"), cancel, 500, guichet.ReasonPartialAfterCapture},
		{"cancelled payment", with(scored("301"), func(t *tx) {
			t.Status, t.Operations = guichet.StatusCancelled, ops("cancel", "700", "cancel", "701")
		}), capture, 1250, guichet.ReasonAlreadyCancelled},
		{"refund during MAKE_COMPLAINT", captured("600", "STANDARD"), refund, 500, guichet.ReasonDispute},
		{"capture during COMPLAINT_NEED_MERCHANT_ACTION", scored("601"), capture, 1250, guichet.ReasonDispute},
		{"cancel during COMPLAINT_NEED_OTHER_ACTION", scored("602"), cancel, 1250, guichet.ReasonDispute},
		{"refund after COMPLAINT_CLOSED", captured("603", "STANDARD"), refund, 500, ""},
		{"second partial cancellation", with(scored("301"), func(t *tx) {
			t.Amount, t.Operations = 750, ops("cancel", "700", "cancel", "701")
		}), cancel, 250, guichet.ReasonRepeatedPartialCancel},
		{"total cancellation after a partial one", with(scored("301"), func(t *tx) {
			t.Amount, t.Operations = 750, ops("cancel", "700", "cancel", "701")
		}), cancel, 750, ""},
		{"partial cancellation after a failed one", with(scored("301"), func(t *tx) { t.Operations = ops("cancel", "700", "cancel", "702") }), cancel, 250, ""},
		{"partial cancellation during another", with(scored("301"), func(t *tx) { t.Operations = ops("cancel", "700") }), cancel, 250, guichet.ReasonPartialCancelPending},
		{"total cancellation during another", with(scored("301"), func(t *tx) { t.Operations = ops("cancel", "700") }), cancel, 1250, guichet.ReasonTotalCancelPending},
		{"refund", captured("301", "STANDARD"), refund, 1250, ""},
		{"refund during a refund", with(captured("301", "STANDARD"), func(t *tx) { t.Operations = append(t.Operations, ops("refund", "800")[1:]...) }), refund, 100, guichet.ReasonRepeatedRefund},
		{"second refund", with(captured("301", "STANDARD"), func(t *tx) {
			t.Refunded, t.Operations = 100, append(t.Operations, ops("refund", "800", "refund", "801")[1:]...)
		}), refund, 100, guichet.ReasonRepeatedRefund},
		{"refund after a failed refund", with(captured("301", "STANDARD"), func(t *tx) {
			t.Operations = append(t.Operations, ops("refund", "800", "refund", "802")[1:]...)
		}), refund, 100, ""},
		{"refund of a credit", captured("502", "CREDIT"), refund, 500, guichet.ReasonNotRefundable},
		{"refund of a credit before capture", with(scored("501"), func(t *tx) { t.Option = "CREDIT" }), refund, 500, guichet.ReasonNotRefundable},
		{"refund under 1 euro", captured("301", "STANDARD"), refund, 99, guichet.ReasonRefundTooSmall},
		{"refund of 1 euro", captured("301", "1XRNP"), refund, 100, ""},
		{"refund over the captured amount", with(captured("301", "STANDARD"), func(t *tx) { t.Captured = 1000 }), refund, 1001, guichet.ReasonAmount},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got guichet.Reason
			if ke := checkKwixo(&c.t, c.kind, c.amount); ke != nil {
				got = ke.Reason
				if ke.Message == "" || ke.Method != "KWIXO" || ke.Reason == "" {
					t.Errorf("refusal %+v: no message, method or reason", ke)
				}
			}
			if got != c.want {
				t.Errorf("%s of %d: refusal %q, want %q", c.kind, c.amount, got, c.want)
			}
		})
	}
}
