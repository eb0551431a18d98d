package core

import (
	"context"
	"crypto/rand"

	"guichet"
)

// CardRequest asks for money to move on a card: an authorization (with or
// without capture) or a credit. The card is given in clear, or as a token
// reference and handle.
type CardRequest struct {
	Shop      *guichet.Shop
	Reference string
	Amount    guichet.Money
	Card      guichet.Card
	// Token, when set, names a stored card to use instead of Card; Handle
	// must then be that token's handle.
	Token  string
	Handle string
	// Capture also captures the authorized amount.
	Capture bool
	// Forced records the payment without asking the issuer, with AuthCode
	// obtained by other means (a phone call to the bank).
	Forced   bool
	AuthCode string
	// CaptureDelay postpones the remittance by this many days on top of the
	// shop's own delay.
	CaptureDelay int
	// RequestKey, when set, may be used once per shop; a second use is a
	// conflict with ReasonDuplicate.
	RequestKey string
	// ForceCode, honoured for TEST shops only, asks the simulator for an
	// issuer answer.
	ForceCode string
	// Decline refuses the payment with this issuer code without asking
	// the acquirer.
	Decline string
	// ThreeDS is the outcome of a 3-D Secure authentication the merchant
	// ran itself ("Y", "A"), recorded on the transaction; empty when there
	// was none.
	ThreeDS string
}

// card returns the card to charge and the token it came from, if any.
func (s *Service) card(ctx context.Context, r *CardRequest) (guichet.Card, *guichet.Token, error) {
	if r.Token == "" {
		return r.Card, nil, nil
	}
	tok, err := s.Token(ctx, r.Shop, r.Token)
	if err != nil {
		return guichet.Card{}, nil, err
	}
	if r.Handle != tok.Handle {
		return guichet.Card{}, nil, &guichet.Error{Code: guichet.CodeInvalid, Reason: guichet.ReasonCard,
			Param: "handle", Message: "the card handle does not belong to this subscriber"}
	}
	c, err := s.vault.Open(tok.Card)
	if err != nil {
		return guichet.Card{}, nil, err
	}
	c.CVV = r.Card.CVV
	return c, tok, nil
}

// Authorize asks the issuer to authorize a payment, and captures it too when
// the request says so. A refusal is not an error: the returned transaction
// has StatusRefused and the issuer's code.
func (s *Service) Authorize(ctx context.Context, r CardRequest) (*guichet.Transaction, error) {
	return s.newTransaction(ctx, r, guichet.OpAuthorize)
}

// Credit pays money to a card, unrelated to any earlier payment.
func (s *Service) Credit(ctx context.Context, r CardRequest) (*guichet.Transaction, error) {
	r.Capture, r.Forced = false, false
	return s.newTransaction(ctx, r, guichet.OpCredit)
}

func (s *Service) newTransaction(ctx context.Context, r CardRequest, kind guichet.OperationKind) (*guichet.Transaction, error) {
	return s.newTransactionWith(ctx, r, kind, nil)
}

// newTransactionWith asks the acquirer, then writes the new transaction.
// also, when set, runs in the same unit of work, so that what it writes
// (a token) is committed together with the transaction or not at all.
func (s *Service) newTransactionWith(ctx context.Context, r CardRequest, kind guichet.OperationKind,
	also func(guichet.Tx, *guichet.Transaction) ([]guichet.Event, error)) (*guichet.Transaction, error) {
	now := s.Now(r.Shop)
	if err := checkCurrency(r.Amount); err != nil {
		return nil, err
	}
	if err := checkMoney(nil, r.Amount); err != nil {
		return nil, err
	}
	card, tok, err := s.card(ctx, &r)
	if err != nil {
		return nil, err
	}
	if r.Decline == "" {
		// A payment declined beforehand (failed authentication, an
		// instalment on a card that has since expired) is recorded as
		// refused whatever the card.
		if err := checkCard(card, now); err != nil {
			return nil, err
		}
	}

	res := guichet.AcquirerResult{Approved: true, Code: "00", AuthCode: r.AuthCode}
	switch {
	case r.Decline != "":
		res = guichet.AcquirerResult{Code: r.Decline}
	case !r.Forced:
		force := ""
		if r.Shop.IsTest() {
			force = r.ForceCode
		}
		res, err = s.process(ctx, guichet.AcquirerRequest{Shop: r.Shop, Kind: kind, Amount: r.Amount, Card: &card, ForceCode: force})
		if err != nil {
			return nil, err
		}
	}
	stored, err := s.vault.Seal(card)
	if err != nil {
		return nil, err
	}
	stored.Brand, stored.Country = res.Brand, res.Country

	t := &guichet.Transaction{
		ID: s.NewID("tx_"), ShopID: r.Shop.ID, Reference: r.Reference,
		Currency: r.Amount.Currency, Amount: r.Amount.Amount, Card: stored,
		AuthCode: res.AuthCode, ResponseCode: res.Code, ThreeDS: r.ThreeDS, CreatedAt: now, UpdatedAt: now,
	}
	if tok != nil {
		t.TokenID = tok.ID
	}
	op := guichet.Operation{ID: s.NewID("op_"), TransactionID: t.ID, Kind: kind,
		Amount: r.Amount.Amount, Approved: res.Approved, Code: res.Code, CreatedAt: now}
	typ := "transaction.authorized"
	switch {
	case !res.Approved:
		t.Status, t.AuthCode, typ = guichet.StatusRefused, "", "transaction.refused"
	case kind == guichet.OpCredit:
		t.Status, typ = guichet.StatusCredited, "transaction.credited"
	default:
		t.Status = guichet.StatusAuthorized
	}

	err = s.store.Update(ctx, func(tx guichet.Tx) error {
		if err := claim(tx, r.Shop, r.RequestKey, now); err != nil {
			return err
		}
		var err error
		if t.Number, err = tx.NextNumber(); err != nil {
			return err
		}
		if op.Number, err = tx.NextNumber(); err != nil {
			return err
		}
		t.Operations = []guichet.Operation{op}
		events := []guichet.Event{s.event(t, &t.Operations[0], typ, now)}
		if t.Status == guichet.StatusAuthorized && (r.Capture || r.Forced) {
			capture := guichet.Operation{ID: s.NewID("op_"), TransactionID: t.ID, Kind: guichet.OpCapture,
				Amount: t.Amount, Approved: true, Code: "00", CreatedAt: now}
			if capture.Number, err = tx.NextNumber(); err != nil {
				return err
			}
			apply(t, guichet.OpCapture, t.Amount, remittance(now, s.paris, r.Shop.CaptureDelay+r.CaptureDelay))
			t.Operations = append(t.Operations, capture)
			events = append(events, s.event(t, &t.Operations[1], "transaction.captured", now))
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
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// OperationRequest asks for an operation on an existing transaction.
type OperationRequest struct {
	Shop *guichet.Shop
	Kind guichet.OperationKind // capture, cancel, refund or update_amount
	// Number is the transaction's number; OperationNumber, when not zero,
	// must be the number of one of its operations.
	Number          int64
	OperationNumber int64
	// Token, when set, must be the reference of the token the transaction
	// was paid with.
	Token string
	// Amount is what the operation moves. An empty currency means the
	// transaction's: a protocol may name the currency only when the
	// transaction is created, and ignore it afterwards.
	Amount     guichet.Money
	RequestKey string
	ForceCode  string
	// Reference, when set, is the order reference the merchant gives with
	// the operation; KWIXO checks it against the payment's (its code 103).
	Reference string
	// Acquirer names the network the merchant means, when it says so:
	// "KWIXO" for a KWIXO payment. A KWIXO payment follows KWIXO's rules
	// whether or not the merchant names it.
	Acquirer string
}

// Operate captures, cancels, refunds or changes the amount of a
// transaction. It returns the transaction as committed and the operation it
// added. An operation the acquirer refused is recorded with Approved false
// and leaves the amounts as they were.
func (s *Service) Operate(ctx context.Context, r OperationRequest) (*guichet.Transaction, *guichet.Operation, error) {
	now := s.Now(r.Shop)
	// A first look, outside any lock, spares the acquirer requests that
	// are bound to fail. The rules are checked again under the lock below.
	t, err := s.load(ctx, r)
	if r.Acquirer == "KWIXO" && guichet.ErrorCode(err) == guichet.CodeNotFound {
		return nil, nil, kwixoRefusal("102")
	}
	if err != nil {
		return nil, nil, err
	}
	if r.Amount.Currency == "" {
		r.Amount.Currency = t.Currency
	}
	if t.Method == "KWIXO" || r.Acquirer == "KWIXO" {
		return s.operateKwixo(ctx, r, t.ID)
	}
	if err := check(t, r.Kind, r.Amount, now); err != nil {
		return nil, nil, err
	}
	force := ""
	if r.Shop.IsTest() {
		force = r.ForceCode
	}
	res, err := s.process(ctx, guichet.AcquirerRequest{Shop: r.Shop, Kind: r.Kind, Amount: r.Amount, Transaction: t, ForceCode: force})
	if err != nil {
		return nil, nil, err
	}

	var op *guichet.Operation
	err = s.store.Update(ctx, func(tx guichet.Tx) error {
		t, err = tx.Transaction(t.ID)
		if err != nil {
			return err
		}
		if err := check(t, r.Kind, r.Amount, now); err != nil {
			return err
		}
		if err := claim(tx, r.Shop, r.RequestKey, now); err != nil {
			return err
		}
		o := guichet.Operation{ID: s.NewID("op_"), TransactionID: t.ID, Kind: r.Kind,
			Amount: r.Amount.Amount, Approved: res.Approved, Code: res.Code, CreatedAt: now}
		if o.Number, err = tx.NextNumber(); err != nil {
			return err
		}
		if res.Approved {
			apply(t, r.Kind, r.Amount.Amount, remittance(now, s.paris, r.Shop.CaptureDelay))
		}
		t.UpdatedAt = now
		t.Operations = append(t.Operations, o)
		op = &t.Operations[len(t.Operations)-1]
		if err := tx.PutTransaction(t); err != nil {
			return err
		}
		typ := "transaction." + eventVerb[r.Kind]
		if !res.Approved {
			typ += "_refused"
		}
		e := s.event(t, op, typ, now)
		return s.publish(tx, t, e)
	})
	if err != nil {
		return nil, nil, err
	}
	return t, op, nil
}

var eventVerb = map[guichet.OperationKind]string{
	guichet.OpCapture:      "captured",
	guichet.OpCancel:       "cancelled",
	guichet.OpRefund:       "refunded",
	guichet.OpUpdateAmount: "amount_updated",
}

// load finds the transaction an operation request names, and checks that
// the named operation and token belong to it.
func (s *Service) load(ctx context.Context, r OperationRequest) (*guichet.Transaction, error) {
	var t *guichet.Transaction
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		t, err = tx.TransactionByNumber(r.Shop.ID, r.Number)
		return err
	})
	if err != nil {
		return nil, err
	}
	if r.OperationNumber != 0 && t.Operation(r.OperationNumber) == nil {
		return nil, guichet.Errorf(guichet.CodeNotFound, "operation %d is not part of transaction %d", r.OperationNumber, r.Number)
	}
	if r.Token != "" {
		tok, err := s.Token(ctx, r.Shop, r.Token)
		if err != nil {
			return nil, err
		}
		if tok.ID != t.TokenID {
			return nil, guichet.Errorf(guichet.CodeNotFound, "transaction %d was not paid by subscriber %q", r.Number, r.Token)
		}
	}
	return t, nil
}

// newHandle makes the opaque value a merchant sends instead of a stored
// card's number. Letters and digits only, so that no client mangles it in
// a URL or a form.
func newHandle() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var b [16]byte
	rand.Read(b[:])
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:])
}
