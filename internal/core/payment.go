package core

import (
	"context"
	"crypto/rand"
	"time"

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
	// OrderID is the order the payment is for, when there is one.
	OrderID string
	// Front names the protocol the request came in by, for the metrics;
	// Ref, when set, is the front's identifier for the payment, unique
	// within the front, which finds it again by (Front, Ref).
	Front string
	Ref   string
	// CaptureBy, when set, is the date the payment is expected to be
	// captured; an authorization not captured by then expires.
	CaptureBy time.Time
	// Job marks the payment of a due job (an instalment, a renewal),
	// which runs again under the same RequestKey after a failure: an
	// earlier run's claim is then resumed (its lost answer recorded) or,
	// when it failed, retried under a key of its own. See claimJob.
	Job bool
	// ThreeDS is the outcome of a 3-D Secure authentication the merchant
	// ran itself ("Y", "A"), recorded on the transaction; empty when there
	// was none.
	ThreeDS string
	// Verify checks the card without moving money: a zero-amount
	// verification, as when a card is registered for later payments.
	// Amount must then be zero, in the currency of the verification.
	Verify bool
	// CardOf, when set, names a transaction of the shop whose card pays
	// again, as a merchant duplicates a payment.
	CardOf string
	// Partner, when set, pays with a means of payment that is not a card
	// ("PAYCONIQ"), on its provider's page: Card is unused, and the
	// acquirer asks the provider for the outcome.
	Partner string
	// RefundBy, when set, is the last date the payment may be refunded
	// on.
	RefundBy time.Time
	// order is what the payment of an order writes beside it (PayOrder),
	// and token the token a proving authorization registers
	// (RegisterToken): their claim keeps them for the janitor.
	order *orderPayment
	token *tokenRegistration
}

// card returns the card to charge and the token it came from, if any.
func (s *Service) card(ctx context.Context, r *CardRequest) (guichet.Card, *guichet.Token, error) {
	if r.CardOf != "" {
		var t *guichet.Transaction
		err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
			t, err = tx.Transaction(r.CardOf)
			return err
		})
		if err == nil && (t.ShopID != r.Shop.ID || len(t.Card.Sealed) == 0) {
			err = guichet.Errorf(guichet.CodeNotFound, "no card for transaction %s", r.CardOf)
		}
		if err != nil {
			return guichet.Card{}, nil, err
		}
		c, err := s.vault.Open(t.Card)
		return c, nil, err
	}
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
	if !tok.CancelledAt.IsZero() {
		return guichet.Card{}, nil, tokenCancelled(tok.Reference)
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

// authorize is newTransactionWith for an authorization, whose outcome the
// observer is told of.
func (s *Service) authorize(ctx context.Context, r CardRequest,
	also func(guichet.Tx, *guichet.Transaction) ([]guichet.Event, error)) (*guichet.Transaction, error) {
	kind := guichet.OpAuthorize
	if r.Verify {
		kind, r.Capture = guichet.OpVerify, false
	}
	t, err := s.newTransactionWith(ctx, r, kind, also)
	s.authorized(r.Front, t, err)
	return t, err
}

// Credit pays money to a card, unrelated to any earlier payment.
func (s *Service) Credit(ctx context.Context, r CardRequest) (*guichet.Transaction, error) {
	r.Capture, r.Forced = false, false
	return s.newTransaction(ctx, r, guichet.OpCredit)
}

func (s *Service) newTransaction(ctx context.Context, r CardRequest, kind guichet.OperationKind) (*guichet.Transaction, error) {
	if kind == guichet.OpAuthorize {
		return s.authorize(ctx, r, nil)
	}
	return s.newTransactionWith(ctx, r, kind, nil)
}

// newTransactionWith asks the acquirer, then writes the new transaction,
// along the path claim.go describes. also, when set, runs in the unit of
// work of the record, so that what it writes (a token) is committed
// together with the transaction or not at all.
func (s *Service) newTransactionWith(ctx context.Context, r CardRequest, kind guichet.OperationKind,
	also func(guichet.Tx, *guichet.Transaction) ([]guichet.Event, error)) (*guichet.Transaction, error) {
	now := s.Now(r.Shop)
	if err := checkCurrency(r.Amount); err != nil {
		return nil, err
	}
	if kind == guichet.OpVerify {
		if r.Amount.Amount != 0 {
			return nil, amountError("a verification moves no money: its amount must be 0")
		}
	} else if err := checkMoney(nil, r.Amount); err != nil {
		return nil, err
	}
	var card guichet.Card
	var tok *guichet.Token
	var stored guichet.StoredCard
	var err error
	if r.Partner == "" {
		if card, tok, err = s.card(ctx, &r); err != nil {
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
		if stored, err = s.vault.Seal(card); err != nil {
			return nil, err
		}
	}
	tokenID := ""
	if tok != nil {
		tokenID = tok.ID
	}
	p := describe(&r, kind, stored, tokenID)
	// A payment expected to be captured beyond an authorization's
	// validity is authorized later; the acquirer checks the card now.
	p.Defer = kind == guichet.OpAuthorize && r.Decline == "" && !r.Forced && !r.CaptureBy.IsZero() &&
		r.CaptureBy.Sub(now) > maxAuthorizationWait

	// A payment declined beforehand or forced by the merchant asks the
	// acquirer nothing: its claim is taken with its record, as is that of
	// a payment a local acquirer answers (see claim.go).
	asks := r.Decline == "" && !r.Forced
	claimed := asks && s.claimsFirst(r.Job)
	res := guichet.AcquirerResult{Approved: true, Code: "00", AuthCode: r.AuthCode}
	key := r.RequestKey
	switch {
	case r.Decline != "":
		res = guichet.AcquirerResult{Code: r.Decline}
	case asks:
		var earlier *guichet.AcquirerResult
		switch {
		case r.Job:
			p.Job = true
			key, earlier, err = s.claimJob(ctx, r.Shop, key, now, p)
		case claimed:
			key = s.claimKey(key)
			err = s.beginClaim(ctx, r.Shop, key, now, p)
		}
		if err != nil {
			return nil, err
		}
		if earlier != nil {
			// An earlier run of the job was answered, and its answer
			// was lost: it is recorded now, as that run would have.
			res = *earlier
			break
		}
		ask := guichet.AcquirerRequest{Shop: r.Shop, Kind: kind, Amount: r.Amount, Card: &card,
			Front: r.Front, Stored: tok != nil, ForceCode: p.Force, Key: key}
		if r.Partner != "" {
			ask.Card, ask.Partner = nil, r.Partner
		}
		if p.Defer {
			ask.Kind, ask.Amount.Amount = guichet.OpVerify, 0
		}
		res, err = s.callAcquirer(ctx, ask)
		if err != nil {
			// The outcome is unknown (the acquirer may have approved
			// after the timeout): the claim stays pending, and the
			// janitor asks the acquirer once the call cannot be
			// running any more.
			return nil, err
		}
	}

	t, typ := s.buildTransaction(r.Shop, p, res, now)
	err = s.store.Update(context.WithoutCancel(ctx), func(tx guichet.Tx) error {
		if err := s.recordClaim(tx, r.Shop, key, claimed, t.ID, now); err != nil {
			return err
		}
		return s.writeTransaction(tx, r.Shop, p, t, typ, now, also)
	})
	if err != nil {
		if claimed {
			s.recordFailed(ctx, r.Shop, key, res, err)
		}
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
	// Front and TransactionRef, when set, find the transaction by the
	// identifier the front gave one of its operations, instead of by
	// Number; Ref is the front's identifier for the new operation.
	Front          string
	TransactionRef string
	Ref            string
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
		return nil, nil, kwixoUnknown()
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
	p := &pendingRequest{Kind: r.Kind, Amount: r.Amount, Transaction: t.ID, OrderID: t.OrderID, Front: r.Front, Ref: r.Ref}
	if r.Shop.IsTest() {
		p.Force = r.ForceCode
	}
	key, claimed := r.RequestKey, s.claimsFirst(false)
	if claimed {
		key = s.claimKey(key)
		if err := s.beginClaim(ctx, r.Shop, key, now, p); err != nil {
			return nil, nil, err
		}
	}
	res, err := s.callAcquirer(ctx, guichet.AcquirerRequest{Shop: r.Shop, Kind: r.Kind, Amount: r.Amount, Transaction: t, Front: r.Front,
		ForceCode: p.Force, Key: key})
	if err != nil {
		// As for a payment: a claim taken waits for the janitor.
		return nil, nil, err
	}

	var op *guichet.Operation
	err = s.store.Update(context.WithoutCancel(ctx), func(tx guichet.Tx) (err error) {
		if t, op, err = s.writeOperation(tx, r.Shop, p, res, now); err != nil {
			return err
		}
		return s.recordClaim(tx, r.Shop, key, claimed, t.ID, now)
	})
	if err != nil {
		if claimed {
			s.recordFailed(ctx, r.Shop, key, res, err)
		}
		return nil, nil, err
	}
	return t, op, nil
}

// load finds the transaction an operation request names, and checks that
// the named operation and token belong to it.
func (s *Service) load(ctx context.Context, r OperationRequest) (*guichet.Transaction, error) {
	var t *guichet.Transaction
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		if r.TransactionRef != "" {
			t, err = shopTransactionByRef(tx, r.Shop.ID, r.Front, r.TransactionRef)
			return err
		}
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
