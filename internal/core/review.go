package core

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"guichet"
)

// jobReview moves a KWIXO payment's review to its next state.
const jobReview = "review"

// ReviewStep is one state of a review.
type ReviewStep = guichet.ReviewStep

// SetReviewer sets the network that reviews KWIXO payments; without one,
// KWIXO payments are refused.
func (s *Service) SetReviewer(r guichet.Reviewer) { s.reviewer = r }

// reviewJob is what a review job carries: the states still to come.
type reviewJob struct {
	Steps []ReviewStep `json:"steps"`
}

// ReviewEvent is the data of the events of a KWIXO payment
// ("transaction.authorized" when it is recorded, then one
// "transaction.review" per state change): fronts build their
// notifications from it.
type ReviewEvent struct {
	Transaction string `json:"transaction"`
	Number      int64  `json:"number"`
	Operation   int64  `json:"operation"`
	Kind        string `json:"kind,omitempty"`   // the operation's, for a KWIXO operation's state
	Amount      int64  `json:"amount,omitempty"` // idem
	Status      string `json:"status"`
	Reference   string `json:"reference"`
	Method      string `json:"method"`
	Option      string `json:"option"`
	Review      string `json:"review"`
}

// The KWIXO states of a payment, by what they allow (guide §9.2.1): a
// capture once the scoring is known or the merchant financed; nothing
// after a failure; nothing during the waits, which answer "retry later"
// (code 104), nor during a dispute (109).
var (
	reviewCapturable = map[string]bool{"300": true, "301": true, "302": true, "303": true, "501": true}
	reviewFailed     = map[string]bool{"400": true, "401": true, "503": true}
	reviewWaiting    = map[string]bool{"200": true, "201": true, "500": true}
	reviewDispute    = map[string]bool{"600": true, "601": true, "602": true}
)

// KwixoRequest pays an open order with KWIXO: what the reviewer scores is
// the buyer's KWIXO e-mail address and the FIA-NET types of the products
// ordered, with the order's amount and the option.
type KwixoRequest struct {
	Shop         *guichet.Shop
	OrderID      string
	Option       string // STANDARD, 1XRNP or CREDIT
	Email        string
	ProductTypes []int
}

// PayOrderKwixo records a KWIXO payment of an open order: an authorization
// only, with no card and no acquirer call, that is always pending first.
// The order becomes pending, the front's notifier is called for the
// authorization, and the review's next state is scheduled on the shop's
// clock.
func (s *Service) PayOrderKwixo(ctx context.Context, r KwixoRequest) (*guichet.Order, *guichet.Transaction, error) {
	if s.reviewer == nil {
		return nil, nil, guichet.Errorf(guichet.CodeUnavailable, "no KWIXO reviewer")
	}
	now := s.Now(r.Shop)
	var o *guichet.Order
	var t *guichet.Transaction
	var path []ReviewStep
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if o, err = tx.Order(r.OrderID); err != nil {
			return err
		}
		if o.ShopID != r.Shop.ID {
			return guichet.Errorf(guichet.CodeNotFound, "no order %s", r.OrderID)
		}
		if !r.Shop.Kwixo.Offers(r.Option) {
			return guichet.Errorf(guichet.CodeInvalid, "the shop did not subscribe to the KWIXO option %q", r.Option)
		}
		if o.Status != guichet.OrderOpen {
			return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
				Message: fmt.Sprintf("order %s is %s", o.ID, o.Status)}
		}
		if path = s.reviewer.Scoring(o.Amount.Amount, r.Email, r.Option, r.ProductTypes); len(path) == 0 || path[0].After != 0 {
			return guichet.Errorf(guichet.CodeInternal, "a review path starts with the state the payment is in")
		}
		if err := checkCurrency(o.Amount); err != nil {
			return err
		}
		if err := checkMoney(nil, o.Amount); err != nil {
			return err
		}
		t = &guichet.Transaction{
			ID: s.NewID("tx_"), ShopID: r.Shop.ID, Reference: o.Reference, OrderID: o.ID, Front: o.Protocol,
			Currency: o.Amount.Currency, Amount: o.Amount.Amount, Status: guichet.StatusAuthorized,
			Method: "KWIXO", Option: r.Option, Review: path[0].Code, CreatedAt: now, UpdatedAt: now,
		}
		op := guichet.Operation{ID: s.NewID("op_"), TransactionID: t.ID, Kind: guichet.OpAuthorize,
			Amount: t.Amount, Approved: true, CreatedAt: now}
		if t.Number, err = tx.NextNumber(); err != nil {
			return err
		}
		if op.Number, err = tx.NextNumber(); err != nil {
			return err
		}
		t.Operations = []guichet.Operation{op}
		o.Status, o.TransactionID, o.UpdatedAt = guichet.OrderPending, t.ID, now
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		if err := tx.PutTransaction(t); err != nil {
			return err
		}
		if err := s.scheduleReview(tx, t, reviewJob{Steps: path[1:]}, now, ""); err != nil {
			return err
		}
		e := s.reviewEvent(t, guichet.EventAuthorized, now)
		return s.publish(tx, t, e)
	})
	if err != nil {
		return nil, nil, err
	}
	return o, t, nil
}

// scheduleReview writes the job that moves the review to its next state,
// due that step's delay after from; with no step left, it deletes the job
// id, if any.
func (s *Service) scheduleReview(tx guichet.Tx, t *guichet.Transaction, rj reviewJob, from time.Time, id string) error {
	if len(rj.Steps) == 0 {
		if id == "" {
			return nil
		}
		return tx.DeleteJob(id)
	}
	data, err := json.Marshal(rj)
	if err != nil {
		return err
	}
	if id == "" {
		id = s.NewID("job_")
	}
	return tx.PutJob(&guichet.Job{ID: id, ShopID: t.ShopID, Kind: jobReview, Ref: t.ID,
		DueAt: from.Add(rj.Steps[0].After), Data: data})
}

func (s *Service) reviewEvent(t *guichet.Transaction, typ guichet.EventType, at time.Time) guichet.Event {
	data, _ := json.Marshal(ReviewEvent{Transaction: t.ID, Number: t.Number, Operation: t.First().Number,
		Status: string(t.Status), Reference: t.Reference, Method: t.Method, Option: t.Option, Review: t.Review})
	return guichet.Event{ID: s.NewID("evt_"), ShopID: t.ShopID, TransactionID: t.ID, Type: typ, At: at, Data: data}
}

// review runs a review job: the transaction reaches the job's first state,
// which is announced by a "transaction.review" event, and the next state
// is scheduled. The change is dated when it fell due, not when the worker
// got to it, so that a clock advanced by hours replays every state, and
// its notifications, in order and at their own times. Once the review
// allows a capture, the capture or the automatic cancellation is
// scheduled; the states that follow a capture (a credit's debit, a
// dispute) come through review jobs too.
func (s *Service) review(ctx context.Context, shop *guichet.Shop, j *guichet.Job) error {
	var rj reviewJob
	if err := json.Unmarshal(j.Data, &rj); err != nil || len(rj.Steps) == 0 {
		s.log.Error("unreadable review job; dropped", "job", j.ID, "err", err)
		return s.dropJob(ctx, j)
	}
	at := j.DueAt
	return s.store.Update(ctx, func(tx guichet.Tx) error {
		t, err := tx.Transaction(j.Ref)
		if err != nil {
			return err
		}
		if t.Status == guichet.StatusCancelled || t.Status == guichet.StatusRefused {
			// The payment was cancelled meanwhile: nothing is left to
			// announce.
			return tx.DeleteJob(j.ID)
		}
		step := rj.Steps[0]
		t.Review, t.UpdatedAt = step.Code, at
		var orderStatus guichet.OrderStatus
		switch {
		case reviewFailed[step.Code]:
			t.Status, orderStatus = guichet.StatusRefused, guichet.OrderRefused
		case reviewCapturable[step.Code]:
			orderStatus = guichet.OrderPaid
			if err := s.scheduleAfterReview(tx, shop, t, at); err != nil {
				return err
			}
		}
		if orderStatus != "" && t.OrderID != "" {
			o, err := tx.Order(t.OrderID)
			if err != nil {
				return err
			}
			o.Status, o.UpdatedAt = orderStatus, at
			if err := tx.PutOrder(o); err != nil {
				return err
			}
		}
		if err := tx.PutTransaction(t); err != nil {
			return err
		}
		rj.Steps = rj.Steps[1:]
		if err := s.scheduleReview(tx, t, rj, at, j.ID); err != nil {
			return err
		}
		e := s.reviewEvent(t, guichet.EventReview, at)
		return s.publish(tx, t, e)
	})
}
