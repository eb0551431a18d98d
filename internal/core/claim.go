package core

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"guichet"
)

// Every request that reaches the acquirer follows one path, so that an
// approval is never lost and never asked for twice:
//
//  1. its key is claimed, pending, in a unit of work of its own, with a
//     description of the request (the card sealed);
//  2. the acquirer is called with a timeout of its own, which the client
//     going away does not cut short;
//  3. the outcome is recorded, and the claim ended, in one unit of work
//     that the client cannot cancel either;
//  4. the answer goes out.
//
// A second request with the same key stops at step 1. A claim left pending
// (the acquirer did not answer in time, or the instance died or the store
// failed between steps 2 and 3) is settled once its call cannot be running
// any more: by SettleClaims, the janitor, which asks the acquirer what
// became of the request when the acquirer can tell (guichet.Inquirer),
// records that, and otherwise marks the claim failed; or, for the payment
// of a due job, by the job when it runs again (claimJob), so that the
// answer is recorded with the job's own side effects.

// An acquirer that answers in process, from the request alone, and keeps
// nothing that matters outside the store (the simulator) needs no claim of
// its own: an answer it gave that is never recorded authorized nothing
// anywhere, so there is no approval to lose and nothing to settle. Its
// requests ask it first, then claim their key with their record, in one
// unit of work: one commit per payment instead of two, and the key is
// still used once, since a duplicate's record fails on the claim and
// writes nothing. The payments of due jobs keep the claim first, which is
// how their runs find each other (claimJob).

// SetLocalAcquirer tells the core whether its acquirer is local in that
// sense. Only an acquirer with no effect outside guichet may be: one that
// reaches a bank or a processor never is.
func (s *Service) SetLocalAcquirer(local bool) { s.localAcquirer = local }

// claimsFirst tells whether a request asking the acquirer claims its key
// in a unit of work of its own before it does: always, but for the
// requests other than a due job's of a local acquirer.
func (s *Service) claimsFirst(job bool) bool { return job || !s.localAcquirer }

// recordClaim ends, in the unit of work that records a request's outcome
// in transaction id, the claim the request took first, or takes its key
// now when it took none.
func (s *Service) recordClaim(tx guichet.Tx, shop *guichet.Shop, key string, claimed bool, id string, now time.Time) error {
	if claimed {
		return tx.EndClaim(shop.ID, key, guichet.ClaimDone, id)
	}
	return claim(tx, shop, key, now)
}

// defaultAcquirerTimeout bounds one acquirer call. Card networks answer
// within seconds or not at all.
const defaultAcquirerTimeout = 30 * time.Second

// settleMargin is how long after its acquirer call must have ended a
// pending claim is left alone, for the record of a slow instance to land.
const settleMargin = time.Minute

// settleLease is how long the janitor holds the claims it settles; another
// instance takes them over if it dies meanwhile.
const settleLease = 2 * time.Minute

// SetAcquirerTimeout bounds every acquirer call; zero or less restores the
// default.
func (s *Service) SetAcquirerTimeout(d time.Duration) {
	if d <= 0 {
		d = defaultAcquirerTimeout
	}
	s.acquirerTimeout = d
}

// SetClaimRetention sets how long the janitor keeps ended claims; zero or
// less keeps them for ever. A request key is unique within the retention:
// a key used longer ago than that may be used again, as idempotency keys
// are remembered for a while (Paybox's NUMQUESTION is unique per day).
func (s *Service) SetClaimRetention(d time.Duration) { s.claimRetention = max(d, 0) }

// PurgeClaims deletes the ended claims older than the retention, and
// returns how many.
func (s *Service) PurgeClaims(ctx context.Context) (int, error) {
	if s.claimRetention == 0 {
		return 0, nil
	}
	return s.store.PurgeClaims(ctx, s.clock.Now().Add(-s.claimRetention))
}

// pendingRequest describes, in a pending claim, what was asked of the
// acquirer: enough to ask it again what became of the request, and to
// record the outcome the way the request would have.
type pendingRequest struct {
	Kind    guichet.OperationKind `json:"kind"`
	Amount  guichet.Money         `json:"amount"`
	Force   string                `json:"force,omitempty"`
	OrderID string                `json:"order,omitempty"`

	// A new transaction: the card, sealed (never its CVV), and what the
	// transaction is to record.
	Card         *guichet.StoredCard `json:"card,omitempty"`
	Reference    string              `json:"reference,omitempty"`
	Capture      bool                `json:"capture,omitempty"`
	CaptureDelay int                 `json:"capture_delay,omitempty"`
	ThreeDS      string              `json:"three_ds,omitempty"`
	TokenID      string              `json:"token,omitempty"`
	CaptureBy    time.Time           `json:"capture_by,omitzero"`
	// Partner is the means of payment that is not a card the payment is
	// made with, instead of Card; RefundBy bounds its refunds.
	Partner  string    `json:"partner,omitempty"`
	RefundBy time.Time `json:"refund_by,omitzero"`

	// The front that asked, and its identifier for the operation.
	Front string `json:"front,omitempty"`
	Ref   string `json:"ref,omitempty"`
	// Defer marks a payment whose authorization is asked later: the
	// acquirer only checks the card now (see deferred.go).
	Defer bool `json:"defer,omitempty"`

	// Order is what the payment of an order writes beside it, and Token
	// the token a proving authorization registers.
	Order *orderPayment      `json:"order_payment,omitempty"`
	Token *tokenRegistration `json:"token_registration,omitempty"`

	// An operation on an existing transaction.
	Transaction string `json:"transaction,omitempty"`

	// Job marks the claim of a due job's payment, which the job settles
	// itself when it runs again (claimJob), with the side effects only
	// it knows; the janitor ends it failed only when no run came back
	// for it within jobClaimLife.
	Job bool `json:"job,omitempty"`
}

// jobClaimLife is how long a job's pending claim waits for its job to
// come back before the janitor gives it up: longer than any lease or
// retry of the job.
const jobClaimLife = 24 * time.Hour

// maxJobAttempts bounds the claims one job payment takes, each after the
// previous one failed without reaching the issuer.
const maxJobAttempts = 10

// errEarlierAttempt answers a job whose earlier run is still under way, or
// may be: the job runs again later.
var errEarlierAttempt = &guichet.Error{Code: guichet.CodeUnavailable, Message: "an earlier attempt of this payment is still unsettled"}

// claimJob claims the payment of a due job, which runs again under the
// same key when a run failed. It tries key, then key#2, key#3…, and for
// each claim that exists:
//
//   - done: the payment was recorded; the job's duplicate is its answer;
//   - failed: the payment never reached the issuer; the next key is tried;
//   - pending and still possibly under way: errEarlierAttempt;
//   - pending and past its SettleAfter: the acquirer is asked what became
//     of it; a known answer is returned, to be recorded under that claim
//     with the job's own side effects; otherwise the claim ends failed and
//     the next key is tried.
//
// It returns the key claimed, and the earlier answer when there is one.
func (s *Service) claimJob(ctx context.Context, shop *guichet.Shop, key string, now time.Time, p *pendingRequest) (string, *guichet.AcquirerResult, error) {
	for n := 1; n <= maxJobAttempts; n++ {
		k := key
		if n > 1 {
			k = key + "#" + strconv.Itoa(n)
		}
		err := s.beginClaim(ctx, shop, k, now, p)
		if guichet.ErrorReason(err) != guichet.ReasonDuplicate {
			return k, nil, err
		}
		var c *guichet.Claim
		if err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
			c, err = tx.ClaimOf(shop.ID, k)
			return err
		}); err != nil {
			return "", nil, err
		}
		switch {
		case c.State == guichet.ClaimDone:
			return "", nil, err
		case c.State == guichet.ClaimFailed:
			continue
		case s.clock.Now().Before(c.SettleAfter):
			return "", nil, errEarlierAttempt
		}
		res, known, err := s.inquire(ctx, shop, c)
		if err != nil {
			return "", nil, err
		}
		if known {
			return k, &res, nil
		}
		err = s.store.Update(ctx, func(tx guichet.Tx) error { return tx.EndClaim(shop.ID, k, guichet.ClaimFailed, "") })
		if err != nil {
			return "", nil, err
		}
	}
	return "", nil, &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonDuplicate,
		Message: fmt.Sprintf("%d attempts of this payment failed", maxJobAttempts)}
}

// inquire asks the acquirer what became of a claimed request; false when
// it cannot tell, or never received it.
func (s *Service) inquire(ctx context.Context, shop *guichet.Shop, c *guichet.Claim) (guichet.AcquirerResult, bool, error) {
	inq, ok := s.acquirer.(guichet.Inquirer)
	if !ok {
		return guichet.AcquirerResult{}, false, nil
	}
	var p pendingRequest
	if err := json.Unmarshal(c.Request, &p); err != nil {
		return guichet.AcquirerResult{}, false, nil
	}
	r := guichet.AcquirerRequest{Shop: shop, Kind: p.Kind, Amount: p.Amount, ForceCode: p.Force, Key: c.Key, Partner: p.Partner}
	if p.Card != nil {
		card, err := s.vault.Open(*p.Card)
		if err != nil {
			return guichet.AcquirerResult{}, false, err
		}
		r.Card = &card
	}
	if p.Transaction != "" {
		err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
			r.Transaction, err = tx.Transaction(p.Transaction)
			return err
		})
		if err != nil {
			return guichet.AcquirerResult{}, false, err
		}
	}
	ictx, cancel := context.WithTimeout(ctx, s.acquirerTimeout)
	defer cancel()
	return inq.Inquire(ictx, r)
}

// claimKey is the key a request is claimed under: the request's own, or
// one made for it, so that every acquirer call has a claim the janitor
// can find.
func (s *Service) claimKey(key string) string {
	if key != "" {
		return key
	}
	return "auto:" + s.NewID("clm_")
}

// beginClaim takes the request's key, pending, in a unit of work of its
// own: once it returns, no other request with that key reaches the
// acquirer, and the request is found again if its outcome is lost.
func (s *Service) beginClaim(ctx context.Context, shop *guichet.Shop, key string, now time.Time, p *pendingRequest) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	c := &guichet.Claim{ShopID: shop.ID, Key: key, At: now, Request: data,
		SettleAfter: s.clock.Now().Add(s.acquirerTimeout + settleMargin)}
	if b, ok := s.store.(guichet.ClaimBatcher); ok {
		return b.BeginClaim(ctx, c)
	}
	return s.store.Update(ctx, func(tx guichet.Tx) error { return tx.BeginClaim(c) })
}

// callAcquirer asks the acquirer, bounded by its own timeout rather than
// by the client's request: a client that goes away must not cut short a
// call whose approval the record that follows still needs.
func (s *Service) callAcquirer(ctx context.Context, r guichet.AcquirerRequest) (guichet.AcquirerResult, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.acquirerTimeout)
	defer cancel()
	start := time.Now()
	res, err := s.process(ctx, r)
	if s.observer != nil {
		s.observer.AcquirerCalled(r.Kind, time.Since(start), err)
	}
	return res, err
}

// endClaim ends a pending claim that has no outcome to record, in a unit
// of work of its own that the client cannot cancel. When that fails too,
// the janitor ends it later.
func (s *Service) endClaim(ctx context.Context, shop *guichet.Shop, key string, state guichet.ClaimState) {
	err := s.store.Update(context.WithoutCancel(ctx), func(tx guichet.Tx) error {
		return tx.EndClaim(shop.ID, key, state, "")
	})
	if err != nil {
		s.log.Error("claim left pending for the janitor", "shop", shop.ID, "key", key, "err", err)
	}
}

// recordFailed handles a record that failed after the acquirer answered.
// A rule of the record refused it (another request settled the order or
// the transaction meanwhile): the claim ends failed, and an approval is
// reported, since the acquirer holds an authorization nobody will
// capture. The store failed: the claim stays pending for the janitor.
func (s *Service) recordFailed(ctx context.Context, shop *guichet.Shop, key string, res guichet.AcquirerResult, err error) {
	switch guichet.ErrorCode(err) {
	case guichet.CodeInternal, guichet.CodeUnavailable:
		s.log.Error("outcome not recorded; the janitor settles it", "shop", shop.ID, "key", key, "err", err)
		return
	}
	if res.Approved {
		s.log.Warn("approved by the acquirer, refused by the record", "shop", shop.ID, "key", key, "err", err)
	}
	s.endClaim(ctx, shop, key, guichet.ClaimFailed)
}

// SettleClaims is the janitor: it settles the claims left pending past
// their acquirer call, and returns how many it settled. When the acquirer
// can tell what became of a request, its outcome is recorded as the
// request would have recorded it; otherwise the claim ends failed, and the
// key stays spent. Serve runs it at start and then periodically; several
// instances may run it at once.
func (s *Service) SettleClaims(ctx context.Context) (int, error) {
	settled := 0
	for {
		now := s.clock.Now()
		// One claim at a time, so that the lease covers its inquiry
		// however slow the acquirer.
		var claims []guichet.Claim
		err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
			claims, err = tx.LeaseClaims(now, now.Add(settleLease), 1)
			return err
		})
		if err != nil || len(claims) == 0 {
			return settled, err
		}
		for i := range claims {
			done, err := s.settle(ctx, &claims[i])
			if err != nil {
				// Its lease runs out and a later round tries again.
				s.log.Error("janitor: claim not settled", "shop", claims[i].ShopID, "key", claims[i].Key, "err", err)
				continue
			}
			if done {
				settled++
			}
		}
	}
}

// settle asks the acquirer about one pending claim and records the answer.
// A job's claim is left to its job, which records the answer with the
// side effects only it knows, unless the job never came back for it.
// It reports whether it ended the claim.
func (s *Service) settle(ctx context.Context, c *guichet.Claim) (bool, error) {
	fail := func() (bool, error) {
		return true, s.store.Update(ctx, func(tx guichet.Tx) error { return tx.EndClaim(c.ShopID, c.Key, guichet.ClaimFailed, "") })
	}
	var p pendingRequest
	if err := json.Unmarshal(c.Request, &p); err != nil {
		s.log.Error("janitor: unreadable claim; ended failed", "shop", c.ShopID, "key", c.Key, "err", err)
		return fail()
	}
	if p.Job {
		if s.clock.Now().Before(c.At.Add(jobClaimLife)) {
			return false, nil
		}
		s.log.Warn("janitor: a job's payment never settled by its job; claim ended failed", "shop", c.ShopID, "key", c.Key)
		return fail()
	}
	shop, err := s.ShopByID(ctx, c.ShopID)
	if err != nil {
		return false, err
	}
	res, known, err := s.inquire(ctx, shop, c)
	if err != nil {
		return false, err
	}
	now := s.Now(shop)
	return true, s.store.Update(ctx, func(tx guichet.Tx) error {
		if !known {
			s.log.Info("janitor: the acquirer cannot tell what became of the request; claim ended failed", "shop", c.ShopID, "key", c.Key)
			return tx.EndClaim(c.ShopID, c.Key, guichet.ClaimFailed, "")
		}
		var id string
		if p.Transaction != "" {
			t, _, err := s.writeOperation(tx, shop, &p, res, now)
			if err != nil {
				// The transaction moved on meanwhile: the outcome has no
				// place left to be recorded in.
				if guichet.ErrorCode(err) == guichet.CodeInternal {
					return err
				}
				s.log.Warn("janitor: operation no longer applies; claim ended failed", "shop", c.ShopID, "key", c.Key, "err", err)
				return tx.EndClaim(c.ShopID, c.Key, guichet.ClaimFailed, "")
			}
			id = t.ID
		} else {
			t, typ := s.buildTransaction(shop, &p, res, now)
			also := closeOrder(p.OrderID)
			switch {
			case p.Order != nil:
				// All the payment of an order writes, as the request would
				// have: its card kept, its later payments.
				also = func(tx guichet.Tx, t *guichet.Transaction) ([]guichet.Event, error) {
					_, _, events, err := s.payOrderEffects(tx, shop, p.Order, t, false)
					return events, err
				}
			case p.Token != nil:
				also = func(tx guichet.Tx, t *guichet.Transaction) ([]guichet.Event, error) {
					return s.registerTokenEffects(tx, shop, p.Token, t, false)
				}
			}
			if err := s.writeTransaction(tx, shop, &p, t, typ, now, also); err != nil {
				return err
			}
			id = t.ID
		}
		s.log.Info("janitor: lost outcome recorded", "shop", c.ShopID, "key", c.Key, "transaction", id, "approved", res.Approved)
		return tx.EndClaim(c.ShopID, c.Key, guichet.ClaimDone, id)
	})
}

// closeOrder returns what the janitor does, beside recording a payment it
// recovered, to the order the payment was for: an order still open ends
// paid or refused, so that the buyer's page and the back office show it
// and nobody pays it twice.
func closeOrder(orderID string) func(guichet.Tx, *guichet.Transaction) ([]guichet.Event, error) {
	if orderID == "" {
		return nil
	}
	return func(tx guichet.Tx, t *guichet.Transaction) ([]guichet.Event, error) {
		o, err := tx.Order(orderID)
		if err != nil || o.Status != guichet.OrderOpen {
			return nil, err
		}
		o.TransactionID, o.UpdatedAt, o.Status = t.ID, t.CreatedAt, guichet.OrderPaid
		if t.Status == guichet.StatusRefused {
			o.Status = guichet.OrderRefused
		}
		return nil, tx.PutOrder(o)
	}
}

// buildTransaction makes the transaction an acquirer's answer to a new
// payment or credit gives, with its first operation, not yet numbered,
// and the type of the event that announces it.
func (s *Service) buildTransaction(shop *guichet.Shop, p *pendingRequest, res guichet.AcquirerResult, now time.Time) (*guichet.Transaction, guichet.EventType) {
	var card guichet.StoredCard
	if p.Card != nil {
		card = *p.Card
		card.Brand, card.Country = res.Brand, res.Country
	}
	t := &guichet.Transaction{
		ID: s.NewID("tx_"), ShopID: shop.ID, Reference: p.Reference, OrderID: p.OrderID, Front: p.Front,
		Currency: p.Amount.Currency, Amount: p.Amount.Amount, Card: card, TokenID: p.TokenID,
		AuthCode: res.AuthCode, ResponseCode: res.Code, ThreeDS: p.ThreeDS, CaptureBy: p.CaptureBy, CreatedAt: now, UpdatedAt: now,
		Method: p.Partner, RefundBy: p.RefundBy, Details: res.Details,
	}
	t.Operations = []guichet.Operation{{ID: s.NewID("op_"), TransactionID: t.ID, Kind: p.Kind,
		Amount: p.Amount.Amount, Approved: res.Approved, Code: res.Code, Front: p.Front, Ref: p.Ref, CreatedAt: now}}
	typ := guichet.EventAuthorized
	if p.Defer {
		// The card was checked, with nothing authorized yet.
		t.Operations[0].Kind, t.Operations[0].Amount = guichet.OpVerify, 0
	}
	switch {
	case !res.Approved:
		t.Status, t.AuthCode, typ = guichet.StatusRefused, "", guichet.EventRefused
	case p.Kind == guichet.OpCredit:
		t.Status, typ = guichet.StatusCredited, guichet.EventCredited
	case p.Defer:
		t.Status, typ = guichet.StatusWaiting, guichet.EventDeferred
	case p.Kind == guichet.OpVerify:
		t.Status, typ = guichet.StatusVerified, guichet.EventVerified
	default:
		t.Status = guichet.StatusAuthorized
	}
	return t, typ
}

// writeTransaction numbers and writes a new transaction, captures it when
// its request says so, runs also in the same unit of work, and publishes
// its events.
func (s *Service) writeTransaction(tx guichet.Tx, shop *guichet.Shop, p *pendingRequest, t *guichet.Transaction, typ guichet.EventType, now time.Time,
	also func(guichet.Tx, *guichet.Transaction) ([]guichet.Event, error)) error {
	var err error
	if t.Number, err = tx.NextNumber(); err != nil {
		return err
	}
	if err = s.number(tx, &t.Operations[0]); err != nil {
		return err
	}
	events := []guichet.Event{s.event(t, &t.Operations[0], typ, now)}
	if t.Status == guichet.StatusWaiting {
		if err := s.scheduleAuthorization(tx, t, p.Capture); err != nil {
			return err
		}
	}
	if t.Status == guichet.StatusAuthorized && p.Capture {
		capture := guichet.Operation{ID: s.NewID("op_"), TransactionID: t.ID, Kind: guichet.OpCapture,
			Amount: t.Amount, Approved: true, Code: "00", CreatedAt: now}
		if capture.Number, err = tx.NextNumber(); err != nil {
			return err
		}
		apply(t, guichet.OpCapture, t.Amount, remittance(now, s.paris, shop.CaptureDelay+p.CaptureDelay))
		t.Operations = append(t.Operations, capture)
		events = append(events, s.event(t, &t.Operations[1], guichet.EventCaptured, now))
	}
	if also != nil {
		more, err := also(tx, t)
		if err != nil {
			return err
		}
		events = append(events, more...)
	}
	if err := tx.PutTransaction(t); err != nil {
		return err
	}
	return s.publish(tx, t, events...)
}

// writeOperation records the acquirer's answer to an operation on an
// existing transaction, once the rules, checked again under the store's
// lock, still allow it.
func (s *Service) writeOperation(tx guichet.Tx, shop *guichet.Shop, p *pendingRequest, res guichet.AcquirerResult, now time.Time) (*guichet.Transaction, *guichet.Operation, error) {
	t, err := tx.Transaction(p.Transaction)
	if err != nil {
		return nil, nil, err
	}
	if err := check(t, p.Kind, p.Amount, now); err != nil {
		return nil, nil, err
	}
	o := guichet.Operation{ID: s.NewID("op_"), TransactionID: t.ID, Kind: p.Kind,
		Amount: p.Amount.Amount, Approved: res.Approved, Code: res.Code, Front: p.Front, Ref: p.Ref, CreatedAt: now}
	if err = s.number(tx, &o); err != nil {
		return nil, nil, err
	}
	if res.Approved {
		// A capture made before the date the payment was expected to be
		// captured by waits for that date's remittance.
		remitAt := remittance(now, s.paris, shop.CaptureDelay)
		if !t.CaptureBy.IsZero() && t.CaptureBy.After(now) {
			remitAt = remittance(t.CaptureBy, s.paris, 0)
		}
		apply(t, p.Kind, p.Amount.Amount, remitAt)
	}
	t.UpdatedAt = now
	t.Operations = append(t.Operations, o)
	op := &t.Operations[len(t.Operations)-1]
	if err := tx.PutTransaction(t); err != nil {
		return nil, nil, err
	}
	if err := s.publish(tx, t, s.event(t, op, guichet.OperationEvent(p.Kind, res.Approved), now)); err != nil {
		return nil, nil, err
	}
	return t, op, nil
}

// describe is the pending request of a payment or credit, for its claim
// and its record.
func describe(r *CardRequest, kind guichet.OperationKind, card guichet.StoredCard, tokenID string) *pendingRequest {
	p := &pendingRequest{Kind: kind, Amount: r.Amount, OrderID: r.OrderID, Card: &card, Reference: r.Reference,
		Capture: r.Capture || r.Forced, CaptureDelay: r.CaptureDelay, ThreeDS: r.ThreeDS, TokenID: tokenID,
		CaptureBy: r.CaptureBy, Front: r.Front, Ref: r.Ref, Partner: r.Partner, RefundBy: r.RefundBy, Order: r.order, Token: r.token}
	if r.Partner != "" {
		p.Card = nil
	}
	if r.Shop.IsTest() {
		p.Force = r.ForceCode
	}
	return p
}
