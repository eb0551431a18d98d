package core

import (
	"context"
	"encoding/json"
	"time"

	"guichet"
)

// The merchant's operations on a KWIXO payment (integration guide §2.8 and
// §3) are never done at once: each is recorded as asked, answered as
// pending, and settled later by KWIXO, which the platform reports with a
// callback carrying the operation's number and its new state. The outcomes
// come from the service's Reviewer; KWIXO was discontinued, so that is the
// simulator, whose test values decide them.

// jobKwixo settles a KWIXO operation, captures a payment for a shop whose
// contract says so, or cancels a payment left uncaptured.
const jobKwixo = "kwixo"

// kwixoExpiry is how long a payment whose review allows a capture waits
// for it before KWIXO cancels it on its own (703).
const kwixoExpiry = 30 * 24 * time.Hour

// kwixoAutoCancelSettle is how long an automatic cancellation takes to be
// confirmed.
const kwixoAutoCancelSettle = time.Minute

// kwixoCaptureSettle is how long a capture takes to be confirmed.
const kwixoCaptureSettle = time.Minute

// The states of KWIXO operations: a capture has none of its own in the
// guide, so it goes from the platform's pending code to its success code.
const (
	kwixoCaptureAsked = "99999"
	kwixoCaptureDone  = "00000"
	kwixoCancelAsked  = "700" // ASK_FOR_TOTAL_CANCELLATION_BY_MERCHANT
	kwixoCancelDone   = "701" // CONFIRM_CANCELLATION
	kwixoCancelFailed = "702" // CONFIRM_CANCELLATION_FAIL
	kwixoCancelAuto   = "703" // AUTOMATIC_TOTAL_CANCELLATION
	kwixoRefundAsked  = "800" // ASK_FOR_REFUND_BY_MERCHANT
	kwixoRefundDone   = "801" // CONFIRM_REFUND_DONE
	kwixoRefundFailed = "802" // CONFIRM_REFUND_FAIL
)

// KwixoPending reports whether code is the state of a KWIXO operation that
// awaits KWIXO's answer: what the merchant's request is answered with.
func KwixoPending(code string) bool {
	return code == kwixoCaptureAsked || code == kwixoCancelAsked || code == kwixoCancelAuto || code == kwixoRefundAsked
}

// methodKwixo names KWIXO on the errors of its rules (guichet.Error.Method),
// which Paybox answers with KWIXO's own codes.
const methodKwixo = "KWIXO"

// kwixoReasons are the meanings of the reasons of KWIXO's refusals, in the
// order of the guide's table of PPPS errors (§9.1).
var kwixoReasons = map[guichet.Reason]string{
	guichet.ReasonAmount:                "invalid or missing parameter, or wrong amount",
	guichet.ReasonCurrency:              "the currency is not the payment's",
	guichet.ReasonNotSupported:          "KWIXO offers no such operation",
	guichet.ReasonWrongReference:        "identification failed: the order reference is not the payment's",
	guichet.ReasonUnderReview:           "retry later: the order analysis or the expert control is under way",
	guichet.ReasonState:                 "the transaction's state does not allow it (failed, cancelled or not yet captured)",
	guichet.ReasonAlreadyCaptured:       "the transaction is already confirmed",
	guichet.ReasonPartialAfterCapture:   "a partial cancellation is not allowed once the transaction is confirmed",
	guichet.ReasonAlreadyCancelled:      "the transaction is already cancelled",
	guichet.ReasonDispute:               "a dispute is under way",
	guichet.ReasonRepeatedPartialCancel: "a second partial cancellation is not allowed",
	guichet.ReasonPartialCancelPending:  "a partial cancellation is already under way",
	guichet.ReasonTotalCancelPending:    "a total cancellation is already under way",
	guichet.ReasonRepeatedRefund:        "a second refund is not allowed",
	guichet.ReasonNotRefundable:         "a credit transaction cannot be refunded",
	guichet.ReasonRefundTooSmall:        "the refund is under 1 euro",
}

// kwixoRefusal is KWIXO's refusal of an operation for a reason.
func kwixoRefusal(reason guichet.Reason) *guichet.Error {
	return &guichet.Error{Code: guichet.CodeConflict, Reason: reason, Method: methodKwixo, Message: kwixoReasons[reason]}
}

// kwixoUnknown is KWIXO's answer for a transaction it does not know.
func kwixoUnknown() *guichet.Error {
	return &guichet.Error{Code: guichet.CodeNotFound, Method: methodKwixo, Message: "unknown transaction"}
}

// kwixoJob is what a KWIXO job carries.
type kwixoJob struct {
	Action    string `json:"action"`              // "settle", "capture" or "expire"
	Operation int64  `json:"operation,omitempty"` // settle: the operation asked for
	Code      string `json:"code,omitempty"`      // settle: the state it reaches
}

// lastCode is the state of the latest operation of a kind, "" when there
// is none. The rules allow one operation of each kind under way at a time,
// so the latest is the one that counts.
func lastCode(t *guichet.Transaction, kind guichet.OperationKind) string {
	for i := len(t.Operations) - 1; i >= 0; i-- {
		if t.Operations[i].Kind == kind {
			return t.Operations[i].Code
		}
	}
	return ""
}

func cancelling(t *guichet.Transaction) bool {
	c := lastCode(t, guichet.OpCancel)
	return c == kwixoCancelAsked || c == kwixoCancelAuto
}

// checkKwixo applies the guide's rules (§9.1, §9.2.1) to an operation on a
// KWIXO payment: the first that fails gives the refusal.
func checkKwixo(t *guichet.Transaction, kind guichet.OperationKind, amount int64) *guichet.Error {
	switch {
	case amount <= 0:
		return kwixoRefusal(guichet.ReasonAmount)
	case reviewWaiting[t.Review]:
		return kwixoRefusal(guichet.ReasonUnderReview)
	case reviewDispute[t.Review]:
		return kwixoRefusal(guichet.ReasonDispute)
	case t.Status == guichet.StatusRefused || reviewFailed[t.Review]:
		return kwixoRefusal(guichet.ReasonState)
	case t.Status == guichet.StatusCancelled:
		return kwixoRefusal(guichet.ReasonAlreadyCancelled)
	}
	inCancellation := cancelling(t)
	switch kind {
	case guichet.OpCapture:
		switch {
		case inCancellation:
			return kwixoRefusal(guichet.ReasonState)
		case t.Captured > 0:
			return kwixoRefusal(guichet.ReasonAlreadyCaptured)
		case amount > t.Amount:
			return kwixoRefusal(guichet.ReasonAmount)
		}
	case guichet.OpCancel:
		total := amount == t.Amount
		switch {
		case amount > t.Amount:
			return kwixoRefusal(guichet.ReasonAmount)
		case inCancellation && total:
			return kwixoRefusal(guichet.ReasonTotalCancelPending)
		case inCancellation:
			return kwixoRefusal(guichet.ReasonPartialCancelPending)
		case t.Captured > 0 && total:
			return kwixoRefusal(guichet.ReasonAlreadyCaptured)
		case t.Captured > 0:
			return kwixoRefusal(guichet.ReasonPartialAfterCapture)
		case !total && lastCode(t, guichet.OpCancel) == kwixoCancelDone:
			// A confirmed cancellation of a payment still alive was a
			// partial one.
			return kwixoRefusal(guichet.ReasonRepeatedPartialCancel)
		}
	case guichet.OpRefund:
		refund := lastCode(t, guichet.OpRefund)
		switch {
		case t.Option == guichet.KwixoCredit:
			return kwixoRefusal(guichet.ReasonNotRefundable)
		case t.Captured == 0 || inCancellation:
			return kwixoRefusal(guichet.ReasonState)
		case refund == kwixoRefundAsked || refund == kwixoRefundDone:
			return kwixoRefusal(guichet.ReasonRepeatedRefund)
		case t.Currency == "EUR" && amount < 100:
			return kwixoRefusal(guichet.ReasonRefundTooSmall)
		case amount > t.Captured-t.Refunded:
			return kwixoRefusal(guichet.ReasonAmount)
		}
	default:
		return kwixoRefusal(guichet.ReasonNotSupported)
	}
	return nil
}

// operateKwixo asks KWIXO for a capture, a cancellation or a refund. The
// returned operation is the request, pending; its outcome comes later.
func (s *Service) operateKwixo(ctx context.Context, r OperationRequest, id string) (*guichet.Transaction, *guichet.Operation, error) {
	now := s.Now(r.Shop)
	var t *guichet.Transaction
	var op *guichet.Operation
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if t, err = tx.Transaction(id); err != nil {
			return err
		}
		if t.Method != "KWIXO" {
			return kwixoUnknown()
		}
		if r.Reference != "" && r.Reference != t.Reference {
			return kwixoRefusal(guichet.ReasonWrongReference)
		}
		if r.Amount.Currency != t.Currency {
			return kwixoRefusal(guichet.ReasonCurrency)
		}
		if ke := checkKwixo(t, r.Kind, r.Amount.Amount); ke != nil {
			return ke
		}
		if err := claim(tx, r.Shop, r.RequestKey, now); err != nil {
			return err
		}
		op, err = s.askKwixo(tx, t, r.Kind, r.Amount.Amount, "", now)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return t, op, nil
}

// askKwixo records an operation on a KWIXO payment as asked and schedules
// its outcome; a capture moves the amounts at once, since KWIXO never
// refuses one the rules allowed. code overrides the state the operation
// starts in (the automatic cancellation's 703), which is then announced to
// the merchant, who did not ask for it.
func (s *Service) askKwixo(tx guichet.Tx, t *guichet.Transaction, kind guichet.OperationKind, amount int64, code string, now time.Time) (*guichet.Operation, error) {
	if s.reviewer == nil {
		return nil, guichet.Errorf(guichet.CodeUnavailable, "no KWIXO reviewer")
	}
	var outcome ReviewStep
	announce := code != ""
	switch kind {
	case guichet.OpCapture:
		outcome = ReviewStep{After: kwixoCaptureSettle, Code: kwixoCaptureDone}
		code = kwixoCaptureAsked
	case guichet.OpCancel:
		outcome = s.reviewer.Cancellation(t.Amount)
		if code == "" {
			code = kwixoCancelAsked
		} else {
			outcome = ReviewStep{After: kwixoAutoCancelSettle, Code: kwixoCancelDone}
		}
	case guichet.OpRefund:
		outcome = s.reviewer.Refund(amount)
		code = kwixoRefundAsked
	}
	op := guichet.Operation{ID: s.NewID("op_"), TransactionID: t.ID, Kind: kind, Amount: amount,
		Approved: true, Code: code, CreatedAt: now}
	var err error
	if op.Number, err = tx.NextNumber(); err != nil {
		return nil, err
	}
	if kind == guichet.OpCapture {
		// The funds reach the merchant when KWIXO says so, not at the
		// end of the day as a card's.
		t.Captured, t.Status, t.RemitAt = amount, guichet.StatusCaptured, now.Add(kwixoCaptureSettle)
		after := s.reviewer.AfterCapture(t.Amount, t.Option)
		if err := s.scheduleReview(tx, t, reviewJob{Steps: after}, now, ""); err != nil {
			return nil, err
		}
	}
	t.UpdatedAt = now
	t.Operations = append(t.Operations, op)
	if err := tx.PutTransaction(t); err != nil {
		return nil, err
	}
	if err := s.putKwixoJob(tx, t, kwixoJob{Action: "settle", Operation: op.Number, Code: outcome.Code}, now.Add(outcome.After)); err != nil {
		return nil, err
	}
	typ := guichet.EventKwixoAsked
	if announce {
		typ = guichet.EventKwixo
	}
	e := s.kwixoEvent(t, &op, code, typ, now)
	if err := s.publish(tx, t, e); err != nil {
		return nil, err
	}
	return &t.Operations[len(t.Operations)-1], nil
}

func (s *Service) putKwixoJob(tx guichet.Tx, t *guichet.Transaction, kj kwixoJob, due time.Time) error {
	data, err := json.Marshal(kj)
	if err != nil {
		return err
	}
	return tx.PutJob(&guichet.Job{ID: s.NewID("job_"), ShopID: t.ShopID, Kind: jobKwixo, Ref: t.ID, DueAt: due, Data: data})
}

// kwixoEvent is the event of a KWIXO operation's state: Operation is the
// number of the operation asked for, which every state of it repeats.
func (s *Service) kwixoEvent(t *guichet.Transaction, op *guichet.Operation, code string, typ guichet.EventType, at time.Time) guichet.Event {
	data, _ := json.Marshal(ReviewEvent{Transaction: t.ID, Number: t.Number, Operation: op.Number,
		Kind: string(op.Kind), Amount: op.Amount, Status: string(t.Status), Reference: t.Reference,
		Method: t.Method, Option: t.Option, Review: code})
	return guichet.Event{ID: s.NewID("evt_"), ShopID: t.ShopID, TransactionID: t.ID, Type: typ, At: at, Data: data}
}

// scheduleAfterReview is called when a payment's review lets it be
// captured: the platform captures it later for a shop whose contract says
// so, and KWIXO cancels it if nobody does.
func (s *Service) scheduleAfterReview(tx guichet.Tx, shop *guichet.Shop, t *guichet.Transaction, at time.Time) error {
	if k := shop.Kwixo; k != nil && k.AutoCapture {
		return s.putKwixoJob(tx, t, kwixoJob{Action: "capture"}, at.Add(time.Duration(k.CaptureDays)*24*time.Hour))
	}
	return s.putKwixoJob(tx, t, kwixoJob{Action: "expire"}, at.Add(kwixoExpiry))
}

// kwixo runs a KWIXO job, dated when it fell due so that a clock advanced
// by days replays everything in order.
func (s *Service) kwixo(ctx context.Context, j *guichet.Job) error {
	var kj kwixoJob
	if err := json.Unmarshal(j.Data, &kj); err != nil {
		s.log.Error("unreadable KWIXO job; dropped", "job", j.ID, "err", err)
		return s.dropJob(ctx, j)
	}
	at := j.DueAt
	return s.store.Update(ctx, func(tx guichet.Tx) error {
		if err := tx.DeleteJob(j.ID); err != nil {
			return err
		}
		t, err := tx.Transaction(j.Ref)
		if err != nil {
			return err
		}
		switch kj.Action {
		case "settle":
			return s.settleKwixo(tx, t, kj, at)
		case "capture", "expire":
			// Only a payment nobody captured or cancelled meanwhile.
			if t.Status != guichet.StatusAuthorized || checkKwixo(t, guichet.OpCapture, t.Amount) != nil {
				return nil
			}
			if kj.Action == "capture" {
				_, err = s.askKwixo(tx, t, guichet.OpCapture, t.Amount, "", at)
			} else {
				_, err = s.askKwixo(tx, t, guichet.OpCancel, t.Amount, kwixoCancelAuto, at)
			}
			return err
		}
		s.log.Error("unknown KWIXO job action; dropped", "job", j.ID, "action", kj.Action)
		return nil
	})
}

// settleKwixo records KWIXO's answer to an operation as a new operation of
// the same kind, moves the amounts it confirms, and calls the merchant
// back.
func (s *Service) settleKwixo(tx guichet.Tx, t *guichet.Transaction, kj kwixoJob, at time.Time) error {
	asked := t.Operation(kj.Operation)
	if asked == nil {
		return nil
	}
	res := guichet.Operation{ID: s.NewID("op_"), TransactionID: t.ID, Kind: asked.Kind, Amount: asked.Amount,
		Approved: kj.Code != kwixoCancelFailed && kj.Code != kwixoRefundFailed, Code: kj.Code, CreatedAt: at}
	var err error
	if res.Number, err = tx.NextNumber(); err != nil {
		return err
	}
	switch kj.Code {
	case kwixoCancelDone:
		if asked.Amount < t.Amount {
			t.Amount -= asked.Amount
			break
		}
		t.Status = guichet.StatusCancelled
		if t.OrderID != "" {
			o, err := tx.Order(t.OrderID)
			if err != nil {
				return err
			}
			o.Status, o.UpdatedAt = guichet.OrderCancelled, at
			if err := tx.PutOrder(o); err != nil {
				return err
			}
		}
	case kwixoRefundDone:
		t.Refunded += asked.Amount
		if t.Refunded == t.Captured {
			t.Status = guichet.StatusRefunded
		}
	}
	t.UpdatedAt = at
	t.Operations = append(t.Operations, res)
	if err := tx.PutTransaction(t); err != nil {
		return err
	}
	e := s.kwixoEvent(t, asked, kj.Code, guichet.EventKwixo, at)
	return s.publish(tx, t, e)
}
