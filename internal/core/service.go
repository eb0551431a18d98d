package core

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"guichet"
)

// Service is the transaction engine every front calls.
type Service struct {
	store    guichet.Store
	acquirer guichet.Acquirer
	vault    guichet.Vault
	clock    guichet.Clock
	log      *slog.Logger
	paris    *time.Location
	shops    shopCache
	// notifiers build the notifications of each front's orders.
	notifiers map[string]Notifier
	// credentialReaders read the credentials users edit, by protocol.
	credentialReaders map[string]CredentialReader
	// refs name the operations of the fronts that name theirs.
	refs     map[string]RefFunc
	sender   Sender
	reviewer guichet.Reviewer
	// work is how due work runs; running counts the jobs the background
	// workers run; wakeJobs and wakeDeliveries wake them.
	work           WorkConfig
	running        *inflight
	wakeJobs       chan struct{}
	wakeDeliveries chan struct{}
	// acquirerTimeout bounds each acquirer call.
	acquirerTimeout time.Duration
	// localAcquirer tells that the acquirer answers in process and keeps
	// nothing outside the store (SetLocalAcquirer).
	localAcquirer bool
	// observer, when set, is told of authorizations and acquirer calls.
	observer Observer
	// NewID makes object identifiers; tests replace it to get stable ones.
	NewID func(prefix string) string
	// exchanges is the retention of the exchange log.
	exchanges exchangeLog
	// claimRetention is how long ended claims are kept; zero keeps them.
	claimRetention time.Duration
}

// New returns a Service over its collaborators.
func New(store guichet.Store, acquirer guichet.Acquirer, vault guichet.Vault, clock guichet.Clock, log *slog.Logger) *Service {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		// Without a time zone database the remittance hour drifts by one
		// hour in summer; nothing else depends on it.
		paris = time.FixedZone("CET", 3600)
	}
	s := &Service{store: store, acquirer: acquirer, vault: vault, clock: clock, log: log, paris: paris,
		notifiers: map[string]Notifier{}, credentialReaders: map[string]CredentialReader{}, refs: map[string]RefFunc{}, work: DefaultWorkConfig(), running: newInflight(),
		wakeJobs: make(chan struct{}, 1), wakeDeliveries: make(chan struct{}, 1), NewID: newID,
		acquirerTimeout: defaultAcquirerTimeout}
	s.exchanges.wake = make(chan struct{}, 1)
	return s
}

func newID(prefix string) string { return guichet.NewID(prefix, time.Now()) }

// Now is the time on the shop's clock: real time, plus the offset a TEST
// shop's clock was advanced by.
func (s *Service) Now(shop *guichet.Shop) time.Time {
	now := s.clock.Now()
	if shop != nil && shop.IsTest() {
		now = now.Add(shop.ClockOffset)
	}
	return now
}

// Paris is the time zone of the French platforms guichet emulates, where
// days (for request numbers and remittances) begin and end.
func (s *Service) Paris() *time.Location { return s.paris }

// Store is the store the Service works on, for tests and for the wiring
// in cmd/guichet. Fronts never use it: they read through the Service's own
// methods, which a test keeps so (TestFrontsGoThroughTheCore).
func (s *Service) Store() guichet.Store { return s.store }

// ShopByCredential finds the shop holding a protocol's credential, as the
// protocol's requests name it. The shop returned is shared: callers must
// not change it.
func (s *Service) ShopByCredential(ctx context.Context, protocol, key string) (*guichet.Shop, error) {
	cacheKey := protocol + "\x00" + key
	if shop := s.shops.get(cacheKey, s.clock.Now()); shop != nil {
		return shop, nil
	}
	var shop *guichet.Shop
	err := s.store.View(ctx, func(tx guichet.Tx) (err error) {
		shop, err = tx.ShopByCredential(protocol, key)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.shops.put(cacheKey, shop, s.clock.Now())
	return shop, nil
}

// PutShop creates or changes a shop.
func (s *Service) PutShop(ctx context.Context, shop *guichet.Shop) error {
	defer s.shops.clear()
	return s.store.Update(ctx, func(tx guichet.Tx) error { return tx.PutShop(shop) })
}

// SetCredential replaces a shop's credential of one protocol (its
// settings at that provider), in one unit of work, leaving the rest of the
// shop as it is.
func (s *Service) SetCredential(ctx context.Context, shopID string, c guichet.Credential) (*guichet.Shop, error) {
	defer s.shops.clear()
	var shop *guichet.Shop
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if shop, err = tx.Shop(shopID); err != nil {
			return err
		}
		replaced := false
		for i := range shop.Credentials {
			if shop.Credentials[i].Protocol == c.Protocol {
				shop.Credentials[i], replaced = c, true
			}
		}
		if !replaced {
			shop.Credentials = append(shop.Credentials, c)
		}
		return tx.PutShop(shop)
	})
	return shop, err
}

// event builds an outbox event describing the transaction after op.
func (s *Service) event(t *guichet.Transaction, op *guichet.Operation, typ guichet.EventType, at time.Time) guichet.Event {
	data, _ := json.Marshal(struct {
		Transaction string `json:"transaction"`
		Number      int64  `json:"number"`
		Operation   int64  `json:"operation"`
		Kind        string `json:"kind"`
		Amount      int64  `json:"amount"`
		Currency    string `json:"currency"`
		Status      string `json:"status"`
		Reference   string `json:"reference"`
	}{t.ID, t.Number, op.Number, string(op.Kind), op.Amount, t.Currency, string(t.Status), t.Reference})
	return guichet.Event{ID: s.NewID("evt_"), ShopID: t.ShopID, TransactionID: t.ID, Type: typ, At: at, Data: data}
}

// claim records the request key in tx, when there is one.
func claim(tx guichet.Tx, shop *guichet.Shop, key string, now time.Time) error {
	if key == "" {
		return nil
	}
	return tx.Claim(shop.ID, key, now)
}

// process calls the acquirer, turning a failure into CodeUnavailable.
func (s *Service) process(ctx context.Context, r guichet.AcquirerRequest) (guichet.AcquirerResult, error) {
	res, err := s.acquirer.Process(ctx, r)
	if err != nil {
		if guichet.ErrorCode(err) == guichet.CodeInternal {
			return res, &guichet.Error{Code: guichet.CodeUnavailable, Message: "the acquirer did not answer", Err: err}
		}
		return res, err
	}
	return res, nil
}

func checkCurrency(m guichet.Money) error {
	if _, ok := guichet.CurrencyByCode(m.Currency); !ok {
		return &guichet.Error{Code: guichet.CodeInvalid, Reason: guichet.ReasonCurrency, Param: "currency",
			Message: fmt.Sprintf("unknown currency %q", m.Currency)}
	}
	return nil
}

func checkCard(c guichet.Card, now time.Time) error {
	if !guichet.LuhnValid(c.PAN) {
		return &guichet.Error{Code: guichet.CodeInvalid, Reason: guichet.ReasonCard, Param: "card",
			Message: "the card number is invalid"}
	}
	if c.ExpMonth < 1 || c.ExpMonth > 12 || c.Expired(now) {
		return &guichet.Error{Code: guichet.CodeInvalid, Reason: guichet.ReasonExpiry, Param: "expiry",
			Message: "the card has expired or its expiry date is invalid"}
	}
	return nil
}
