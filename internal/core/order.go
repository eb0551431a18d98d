package core

import (
	"context"
	"fmt"
	"time"

	"guichet"
)

// Notice is what a notifier is told of a change of a transaction of an
// order: everything it needs, read by the core, so that the notifier does
// no I/O of its own.
type Notice struct {
	Shop  *guichet.Shop
	Order *guichet.Order
	// Transaction is nil for an event of the order alone
	// (EventOrderClosed).
	Transaction *guichet.Transaction
	// Token is the stored card the transaction was paid with or
	// registered, nil when there is none.
	Token *guichet.Token
	Event guichet.Event
}

// Notifier turns a change of a transaction of an order into the
// notifications its merchant expects, in the format of the front that took
// the order. Fronts register one per protocol. The core calls it inside
// the unit of work that makes the change, so that a notification exists
// exactly when the change does; it must only compute, from the Notice.
type Notifier func(n Notice) ([]guichet.Delivery, error)

// RegisterNotifier sets the notifier of a protocol's orders.
func (s *Service) RegisterNotifier(protocol string, n Notifier) {
	s.notifiers[protocol] = n
}

// RefFunc names an operation in its front's protocol, from the number the
// store gave it, which no other operation has: the identifier a protocol
// gives each payment and operation (Lyra's uuid, Payline's transaction
// id), which the front finds it again by (Tx.TransactionByRef).
type RefFunc func(number int64) string

// RegisterRefs sets how a front names its operations. The core names with
// it every operation of the front that comes without a name, those it
// makes on its own (a recurring payment, an instalment) included.
func (s *Service) RegisterRefs(front string, f RefFunc) {
	s.refs[front] = f
}

// number gives an operation its number and, when its front names
// operations and it has no name yet, its name.
func (s *Service) number(tx guichet.Tx, op *guichet.Operation) (err error) {
	if op.Number, err = tx.NextNumber(); err != nil {
		return err
	}
	if f := s.refs[op.Front]; op.Ref == "" && f != nil {
		op.Ref = f(op.Number)
	}
	return nil
}

// Silent is the notifier of orders whose protocol notifies nothing.
func Silent(Notice) ([]guichet.Delivery, error) { return nil, nil }

// CheckNotifiers refuses to start when the store holds orders of a
// protocol no notifier was registered for: their notifications would be
// lost, where they must fail loudly.
func (s *Service) CheckNotifiers(ctx context.Context) error {
	var protocols []string
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		protocols, err = tx.OrderProtocols()
		return err
	})
	if err != nil {
		return err
	}
	for _, p := range protocols {
		if s.notifiers[p] == nil {
			return fmt.Errorf("the store holds orders of protocol %q, which no front notifies: is a front missing from this build?", p)
		}
	}
	return nil
}

// OpenOrder records an order, or returns the one already recorded under the
// same ID: fronts derive the ID from the merchant's signed request, so that
// a buyer reloading the page finds the same order, and a request replayed
// after payment finds it paid.
func (s *Service) OpenOrder(ctx context.Context, shop *guichet.Shop, o *guichet.Order) (*guichet.Order, error) {
	if err := checkCurrency(o.Amount); err != nil {
		return nil, err
	}
	if o.Amount.Amount < 0 {
		return nil, amountError("the amount may not be negative")
	}
	now := s.Now(shop)
	var got *guichet.Order
	err := s.store.Update(ctx, func(tx guichet.Tx) error {
		existing, err := tx.Order(o.ID)
		if err == nil {
			if existing.ShopID != shop.ID {
				return guichet.Errorf(guichet.CodeConflict, "order %s belongs to another shop", o.ID)
			}
			got = existing
			return nil
		}
		if guichet.ErrorCode(err) != guichet.CodeNotFound {
			return err
		}
		o.ShopID, o.Status, o.CreatedAt, o.UpdatedAt = shop.ID, guichet.OrderOpen, now, now
		got = o
		return tx.PutOrder(o)
	})
	return got, err
}

// Order returns an order of the shop.
func (s *Service) Order(ctx context.Context, shop *guichet.Shop, id string) (*guichet.Order, error) {
	var o *guichet.Order
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		o, err = tx.Order(id)
		return err
	})
	if err == nil && o.ShopID != shop.ID {
		return nil, guichet.Errorf(guichet.CodeNotFound, "no order %s", id)
	}
	return o, err
}

// PayRequest pays an open order with a card.
type PayRequest struct {
	Shop    *guichet.Shop
	OrderID string
	Card    guichet.Card
	// AuthOnly leaves the authorization to be captured later; otherwise
	// the payment is captured and remitted after CaptureDelay days.
	AuthOnly     bool
	CaptureDelay int
	Method       string
	ThreeDS      string
	ForceCode    string
	// Decline, when set, refuses the payment with this issuer code without
	// asking the acquirer: the buyer failed 3-D Secure authentication.
	Decline string
	// SaveAs, when set, keeps the card as a token under that reference,
	// replacing the card of a token already registered under it unless
	// SaveAsNew refuses to (ReasonTokenExists): a protocol whose merchant
	// creates a stored card under a name of its own, which must not
	// silently take over an existing one.
	SaveAs    string
	SaveAsNew bool
	// Instalments, when set, are the later payments of the order, charged
	// on the card kept as a token (under SaveAs, or an internal reference)
	// once the first payment is accepted. See CheckInstalments.
	Instalments []Instalment
	// Subscription, when set, is renewed on the card, kept as a token,
	// once the first payment is accepted. See Subscription.
	Subscription *Subscription
	// Limits bound the Instalments; zero means PayboxLimits.
	Limits ScheduleLimits
	// Amount, when not zero, is what this payment charges, in the order's
	// currency: the first payment of an order whose total (Order.Amount)
	// is paid in several times. Zero charges the order's amount.
	Amount int64
	// Token and Handle, when set, pay with a stored card instead of Card
	// (see CardRequest); Card.CVV, when typed, goes with it.
	Token, Handle string
	// CardOf, when set, pays with the card of a settled transaction of the
	// shop, as a merchant duplicates a payment (see canPayAgain).
	// Reauthorize makes the payment a new authorization of that
	// transaction instead, which may still be live (see canReauthorize).
	CardOf      string
	Reauthorize bool
	// Ref, when set, is the front's identifier for the payment (see
	// CardRequest.Ref); CaptureBy is its expected capture date.
	Ref       string
	CaptureBy time.Time
	// Partner and RefundBy pay with a means of payment that is not a card
	// (see CardRequest.Partner).
	Partner  string
	RefundBy time.Time
}

// SeeOrder records that the buyer reached the payment page of an open
// order (the first time only) and, when method is not empty, the means
// of payment the buyer chose there; it returns the order.
func (s *Service) SeeOrder(ctx context.Context, shop *guichet.Shop, id, method string) (*guichet.Order, error) {
	now := s.Now(shop)
	var o *guichet.Order
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if o, err = tx.Order(id); err != nil {
			return err
		}
		if o.ShopID != shop.ID {
			return guichet.Errorf(guichet.CodeNotFound, "no order %s", id)
		}
		if orderClosed(o, now) != nil || !o.SeenAt.IsZero() && (method == "" || method == o.Method) {
			return nil
		}
		if o.SeenAt.IsZero() {
			o.SeenAt = now
		}
		if method != "" {
			o.Method = method
		}
		o.UpdatedAt = now
		return tx.PutOrder(o)
	})
	return o, err
}

// CanPayAgain tells whether the card of a transaction of the shop may pay
// again (see canPayAgain), for a front to ask before it opens an order.
func (s *Service) CanPayAgain(ctx context.Context, shop *guichet.Shop, transactionID string) error {
	return s.checkCardOf(ctx, shop, transactionID, false)
}

// checkCardOf tells whether the card of a transaction of the shop may pay
// again: as a duplicate (canPayAgain) or a re-authorization
// (canReauthorize).
func (s *Service) checkCardOf(ctx context.Context, shop *guichet.Shop, transactionID string, reauthorize bool) error {
	var src *guichet.Transaction
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		src, err = tx.Transaction(transactionID)
		return err
	})
	if err == nil && src.ShopID != shop.ID {
		err = guichet.Errorf(guichet.CodeNotFound, "no transaction %s", transactionID)
	}
	if err != nil {
		return err
	}
	if reauthorize {
		return canReauthorize(src)
	}
	return canPayAgain(src, s.Now(shop))
}

// orderClosed refuses a payment of an order that takes none any more.
func orderClosed(o *guichet.Order, now time.Time) error {
	if o.Status != guichet.OrderOpen {
		return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
			Message: fmt.Sprintf("order %s is %s", o.ID, o.Status)}
	}
	if !o.ExpiresAt.IsZero() && now.After(o.ExpiresAt) {
		return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonExpired,
			Message: fmt.Sprintf("order %s expired at %s", o.ID, o.ExpiresAt.UTC().Format(time.RFC3339))}
	}
	return nil
}

// PayOrder authorizes (and captures) an open order. The order ends paid or
// refused; the front's notifier is called for the attempt. A refusal is a
// result: the returned transaction has StatusRefused.
func (s *Service) PayOrder(ctx context.Context, r PayRequest) (*guichet.Order, *guichet.Transaction, *guichet.Token, error) {
	o, err := s.Order(ctx, r.Shop, r.OrderID)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := orderClosed(o, s.Now(r.Shop)); err != nil {
		return o, nil, nil, err
	}
	if r.CardOf != "" {
		if err := s.checkCardOf(ctx, r.Shop, r.CardOf, r.Reauthorize); err != nil {
			return o, nil, nil, err
		}
	}
	amount := o.Amount
	if r.Amount != 0 {
		if r.Amount < 0 || r.Amount > o.Amount.Amount {
			return o, nil, nil, amountError("the payment of %d exceeds the order's %d", r.Amount, o.Amount.Amount)
		}
		amount.Amount = r.Amount
	}
	if len(r.Instalments) > 0 {
		if r.Limits == (ScheduleLimits{}) {
			r.Limits = PayboxLimits
		}
		if err := s.CheckSchedule(r.Shop, r.Instalments, r.Limits); err != nil {
			return o, nil, nil, err
		}
		if err := checkScheduleCard(r.Instalments, r.Limits, r.Card); err != nil {
			return o, nil, nil, err
		}
		if r.SaveAs == "" {
			r.SaveAs = instalmentTokenPrefix + o.ID
		}
	}
	if r.SaveAsNew && r.SaveAs != "" {
		// A first look spares the acquirer a payment whose card could
		// not be kept; the unit of work looks again.
		err := s.store.View(ctx, func(tx guichet.Tx) error { return tokenFree(tx, r.Shop.ID, r.SaveAs) })
		if err != nil {
			return o, nil, nil, err
		}
	}
	if r.Subscription != nil {
		// A first look spares the acquirer a payment that could not
		// start its subscription; the unit of work looks again.
		err := s.store.View(ctx, func(tx guichet.Tx) error { return checkSubscription(tx, r.Shop.ID, r.Subscription) })
		if err != nil {
			return o, nil, nil, err
		}
	}
	op := &orderPayment{OrderID: o.ID, Method: r.Method, ThreeDS: r.ThreeDS, Partner: r.Partner != "", SaveAs: r.SaveAs,
		SaveAsNew: r.SaveAsNew, Instalments: r.Instalments, AuthOnly: r.AuthOnly, Subscription: r.Subscription}
	var tok *guichet.Token
	t, err := s.authorize(ctx, CardRequest{Shop: r.Shop, Reference: o.Reference, Amount: amount, OrderID: o.ID, Front: o.Protocol,
		Card: r.Card, Capture: !r.AuthOnly, CaptureDelay: r.CaptureDelay, ForceCode: r.ForceCode, Decline: r.Decline,
		Ref: r.Ref, CaptureBy: r.CaptureBy, Token: r.Token, Handle: r.Handle, Verify: amount.Amount == 0, CardOf: r.CardOf,
		Partner: r.Partner, RefundBy: r.RefundBy, order: op},
		func(tx guichet.Tx, t *guichet.Transaction) (events []guichet.Event, err error) {
			o, tok, events, err = s.payOrderEffects(tx, r.Shop, op, t, true)
			return events, err
		})
	if err != nil {
		return nil, nil, nil, err
	}
	return o, t, tok, nil
}

// orderPayment is what a payment of an order writes beside its
// transaction, in the same unit of work: the order's attempt, the card
// kept as a token, the later payments, the automatic capture. A pending
// claim keeps it, so that the janitor writes all of it when it records an
// outcome the request lost.
type orderPayment struct {
	OrderID      string        `json:"order"`
	Method       string        `json:"method,omitempty"`
	ThreeDS      string        `json:"three_ds,omitempty"`
	Partner      bool          `json:"partner,omitempty"`
	SaveAs       string        `json:"save_as,omitempty"`
	SaveAsNew    bool          `json:"save_as_new,omitempty"`
	Instalments  []Instalment  `json:"instalments,omitempty"`
	AuthOnly     bool          `json:"auth_only,omitempty"`
	Subscription *Subscription `json:"subscription,omitempty"`
}

// payOrderEffects writes what a payment of an order writes beside its
// transaction t, and returns the order and the token kept. strict
// refuses an order another request settled meanwhile, which undoes the
// attempt; the janitor, recording an outcome that did happen, leaves such
// an order alone instead and records the transaction only.
func (s *Service) payOrderEffects(tx guichet.Tx, shop *guichet.Shop, op *orderPayment, t *guichet.Transaction, strict bool) (*guichet.Order, *guichet.Token, []guichet.Event, error) {
	o, err := tx.Order(op.OrderID)
	if err != nil {
		return nil, nil, nil, err
	}
	if o.Status != guichet.OrderOpen {
		if !strict {
			return o, nil, nil, nil
		}
		// Another request paid the order between the first look and this
		// unit of work: nothing of this attempt is kept.
		return nil, nil, nil, &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
			Message: fmt.Sprintf("order %s is %s", o.ID, o.Status)}
	}
	t.OrderID, t.ThreeDS = o.ID, op.ThreeDS
	if !op.Partner {
		t.Method = op.Method
	}
	o.TransactionID, o.UpdatedAt = t.ID, t.CreatedAt
	o.Attempts++
	o.Status = guichet.OrderPaid
	if t.Status == guichet.StatusRefused {
		// The buyer may try again while attempts remain.
		o.Status = guichet.OrderRefused
		if o.Attempts < o.MaxAttempts {
			o.Status = guichet.OrderOpen
		}
	}
	if err := tx.PutOrder(o); err != nil {
		return nil, nil, nil, err
	}
	var tok *guichet.Token
	if op.SaveAs != "" && t.Status != guichet.StatusRefused {
		if op.SaveAsNew {
			if err := tokenFree(tx, shop.ID, op.SaveAs); err != nil {
				return nil, nil, nil, err
			}
		}
		tok = &guichet.Token{ID: s.NewID("tok_"), ShopID: shop.ID, Reference: op.SaveAs, Handle: newHandle(),
			Card: t.Card, OrderID: o.ID, CreatedAt: t.CreatedAt, UpdatedAt: t.CreatedAt}
		if err := tx.PutToken(tok); err != nil {
			return nil, nil, nil, err
		}
		// A token replaced keeps its ID, which PutToken gives back: the
		// transaction names that one.
		t.TokenID = tok.ID
		// The later payments are scheduled only once the first one is
		// accepted.
		if err := s.scheduleInstalments(tx, o, tok.Reference, op.Instalments); err != nil {
			return nil, nil, nil, err
		}
	}
	if op.AuthOnly && shop.AutoCaptureDays > 0 && t.Status != guichet.StatusRefused {
		if err := s.scheduleCapture(tx, shop, t); err != nil {
			return nil, nil, nil, err
		}
	}
	var events []guichet.Event
	if op.Subscription != nil && t.Status != guichet.StatusRefused {
		if events, err = s.startSubscription(tx, o, t, op.Subscription); err != nil {
			return nil, nil, nil, err
		}
	}
	return o, tok, events, nil
}

// shopOrder loads an order of the shop in a unit of work: another shop's
// order is as unknown as a missing one.
func shopOrder(tx guichet.Tx, shop *guichet.Shop, id string) (*guichet.Order, error) {
	o, err := tx.Order(id)
	if err != nil {
		return nil, err
	}
	if o.ShopID != shop.ID {
		return nil, guichet.Errorf(guichet.CodeNotFound, "no order %s", id)
	}
	return o, nil
}

// CloseOrder ends an open order without a payment: the buyer gave up
// (OrderCancelled), or the payment failed before reaching the issuer
// (OrderRefused).
func (s *Service) CloseOrder(ctx context.Context, shop *guichet.Shop, id string, status guichet.OrderStatus) (*guichet.Order, error) {
	now := s.Now(shop)
	var o *guichet.Order
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if o, err = shopOrder(tx, shop, id); err != nil {
			return err
		}
		if o.Status != guichet.OrderOpen {
			return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
				Message: fmt.Sprintf("order %s is %s", o.ID, o.Status)}
		}
		o.Status, o.UpdatedAt = status, now
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		e := guichet.Event{ID: s.NewID("evt_"), ShopID: shop.ID, Type: guichet.EventOrderClosed, At: now,
			Data: []byte(fmt.Sprintf(`{"order":%q,"status":%q}`, o.ID, o.Status))}
		return s.publishOrder(tx, shop, o, nil, nil, e)
	})
	return o, err
}

// publish writes a transaction's events to the outbox and asks the
// notifier of its order, if any, for the deliveries they call for, which
// it writes with a job each to send them now: all in the unit of work
// that made the change, so that nothing acknowledged goes unannounced.
func (s *Service) publish(tx guichet.Tx, t *guichet.Transaction, events ...guichet.Event) error {
	if err := tx.Emit(events...); err != nil {
		return err
	}
	if t.OrderID == "" {
		return nil
	}
	o, err := tx.Order(t.OrderID)
	if err != nil {
		return err
	}
	shop, err := tx.Shop(o.ShopID)
	if err != nil {
		return err
	}
	var tok *guichet.Token
	if t.TokenID != "" {
		if tok, err = tx.TokenByID(t.TokenID); err != nil && guichet.ErrorCode(err) != guichet.CodeNotFound {
			return err
		}
	}
	return s.publishOrder(tx, shop, o, t, tok, events...)
}

// publishOrder asks the notifier of an order for the deliveries its
// events call for (t nil for an event of the order alone), and writes
// them with a job each to send them now.
func (s *Service) publishOrder(tx guichet.Tx, shop *guichet.Shop, o *guichet.Order, t *guichet.Transaction, tok *guichet.Token,
	events ...guichet.Event) error {
	if t == nil {
		if err := tx.Emit(events...); err != nil {
			return err
		}
	}
	n := s.notifiers[o.Protocol]
	if n == nil {
		// Never a notification silently dropped: the change fails.
		return &guichet.Error{Code: guichet.CodeInternal, Message: "internal error",
			Err: fmt.Errorf("no notifier for orders of protocol %q", o.Protocol)}
	}
	txID := ""
	if t != nil {
		txID = t.ID
	}
	for _, e := range events {
		list, err := n(Notice{Shop: shop, Order: o, Transaction: t, Token: tok, Event: e})
		if err != nil {
			return err
		}
		for i := range list {
			d := &list[i]
			d.ID = s.NewID("dlv_")
			d.ShopID, d.EventID, d.TransactionID, d.OrderRef = o.ShopID, e.ID, txID, o.Reference
			d.Status, d.CreatedAt, d.UpdatedAt = guichet.DeliveryPending, e.At, e.At
			if err := tx.PutDelivery(d); err != nil {
				return err
			}
			if err := tx.PutJob(s.deliveryJob(d)); err != nil {
				return err
			}
			// The worker may look before this commits; its tick is the
			// backstop.
			s.poke()
		}
	}
	return nil
}
