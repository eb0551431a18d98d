package core

import (
	"context"
	"fmt"
	"time"

	"guichet"
)

// Dossier is everything the back office shows of one transaction.
type Dossier struct {
	Related
	Shop *guichet.Shop
	// Events are the transaction's history, oldest first: every change
	// of state, as its notifications announced it.
	Events        []guichet.Event
	Notifications []Notification
	Exchanges     []guichet.Exchange
	Audit         []guichet.AuditEntry
	// Payments are every payment of the transaction's order, newest
	// first, this one included: a schedule's instalments, a
	// subscription's renewals, the attempts before a success. Next is the
	// work still to come for the order or the transaction (the next
	// instalment or renewal, a deferred capture), earliest first.
	Payments []guichet.Transaction
	Next     []guichet.Job
}

// scheduledKinds are the jobs that move a payment or its order on: what
// a transaction's page lists as coming next. Notifications have their
// own list.
var scheduledKinds = []string{jobInstalment, jobSubscription, jobRecurring, jobCapture, jobAuthorize, jobReview, jobKwixo}

// Dossier gathers a transaction, its order and token, its shop, the
// notifications it caused with their attempts, the exchanges about its
// reference and what back-office users did to it.
func (s *Service) Dossier(ctx context.Context, id string) (*Dossier, error) {
	d := &Dossier{}
	err := s.store.View(ctx, func(tx guichet.Tx) error {
		t, err := tx.Transaction(id)
		if err != nil {
			return err
		}
		if d.Related, err = related(tx, t); err != nil {
			return err
		}
		if d.Shop, err = tx.Shop(t.ShopID); err != nil {
			return err
		}
		if d.Events, err = tx.Events(t.ID); err != nil {
			return err
		}
		deliveries, err := tx.Deliveries(guichet.DeliveryFilter{ShopID: t.ShopID, OrderRef: t.Reference, Limit: 200})
		if err != nil {
			return err
		}
		for _, dl := range deliveries {
			if dl.TransactionID != t.ID {
				continue
			}
			attempts, err := tx.Attempts(dl.ID)
			if err != nil {
				return err
			}
			d.Notifications = append(d.Notifications, Notification{Delivery: dl, Attempts: attempts})
		}
		if d.Audit, err = tx.Audit(t.ID); err != nil {
			return err
		}
		if t.OrderID != "" {
			if d.Payments, err = tx.Transactions(guichet.TransactionFilter{ShopID: t.ShopID, OrderID: t.OrderID, Limit: 200}); err != nil {
				return err
			}
		}
		jobs, err := tx.Jobs(t.ShopID, time.Time{}, scheduledKinds, 1000)
		for _, j := range jobs {
			if j.Ref == t.ID || j.Ref == t.OrderID && t.OrderID != "" {
				d.Next = append(d.Next, j)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	// The exchange log is read outside the unit of work: the store may
	// still be writing its latest rows in the background.
	d.Exchanges, err = s.store.Exchanges(ctx, guichet.ExchangeFilter{ShopID: d.Shop.ID, Reference: d.Transaction.Reference, Limit: 50})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Action is an operation the back office offers on a transaction, with
// the amount it proposes and, when the rules refuse it now, why.
type Action struct {
	Kind guichet.OperationKind
	// Amount is the default: what remains to capture, the whole amount to
	// cancel, what remains to refund. A form may lower it.
	Amount  int64
	Refusal error
}

// Actions says which of capture, cancellation and refund the rules allow
// on t now, with their default amounts, through the same checks Operate
// runs.
func (s *Service) Actions(shop *guichet.Shop, t *guichet.Transaction) []Action {
	now := s.Now(shop)
	out := []Action{
		{Kind: guichet.OpCapture, Amount: t.Amount - t.Captured},
		{Kind: guichet.OpCancel, Amount: t.Amount},
		{Kind: guichet.OpRefund, Amount: t.Captured - t.Refunded},
	}
	for i := range out {
		a := &out[i]
		if t.Method == "KWIXO" {
			if ke := checkKwixo(t, a.Kind, a.Amount); ke != nil {
				a.Refusal = ke
			}
			continue
		}
		a.Refusal = check(t, a.Kind, guichet.Money{Amount: a.Amount, Currency: t.Currency}, now)
	}
	return out
}

// ShopSettings are the contract settings a merchant changes in the back
// office.
type ShopSettings struct {
	CaptureDelay    int
	AutoCaptureDays int
	NotifyAttempts  int
	ThreeDS         bool
	RequireCVV      bool
}

// The bounds of the settings: a capture delay or a deferred capture
// beyond the seven days an authorization lives would capture expired
// authorizations, and more than twenty notification attempts would
// outlast any merchant's outage worth waiting for.
const (
	maxCaptureDays    = 7
	maxNotifyAttempts = 20
)

// SetShopSettings changes a shop's contract settings, leaving its
// credentials and clock as they are.
func (s *Service) SetShopSettings(ctx context.Context, shopID string, set ShopSettings) (*guichet.Shop, error) {
	for _, c := range []struct {
		param    string
		v, limit int
	}{{"capture_delay", set.CaptureDelay, maxCaptureDays}, {"auto_capture_days", set.AutoCaptureDays, maxCaptureDays},
		{"notify_attempts", set.NotifyAttempts, maxNotifyAttempts}} {
		if c.v < 0 || c.v > c.limit {
			return nil, &guichet.Error{Code: guichet.CodeInvalid, Param: c.param,
				Message: fmt.Sprintf("%s is from 0 to %d", c.param, c.limit)}
		}
	}
	defer s.shops.clear()
	var shop *guichet.Shop
	err := s.store.Update(ctx, func(tx guichet.Tx) (err error) {
		if shop, err = tx.Shop(shopID); err != nil {
			return err
		}
		shop.CaptureDelay, shop.AutoCaptureDays, shop.NotifyAttempts = set.CaptureDelay, set.AutoCaptureDays, set.NotifyAttempts
		shop.ThreeDS, shop.RequireCVV = set.ThreeDS, set.RequireCVV
		return tx.PutShop(shop)
	})
	if err != nil {
		return nil, err
	}
	return shop, nil
}

// Upcoming is a job to come as the back office lists it: what it works
// on, by the merchant's reference and the transaction to open.
type Upcoming struct {
	guichet.Job
	Reference     string
	TransactionID string
}

// Upcoming lists a shop's work to come, earliest first, limit jobs at
// most: what advancing its clock would run.
func (s *Service) Upcoming(ctx context.Context, shop *guichet.Shop, limit int) ([]Upcoming, error) {
	var out []Upcoming
	err := s.store.View(ctx, func(tx guichet.Tx) error {
		jobs, err := tx.Jobs(shop.ID, time.Time{}, nil, limit)
		if err != nil {
			return err
		}
		for _, j := range jobs {
			u := Upcoming{Job: j}
			if err := describeJob(tx, &u); err != nil && guichet.ErrorCode(err) != guichet.CodeNotFound {
				return err
			}
			out = append(out, u)
		}
		return nil
	})
	return out, err
}

// describeJob finds what a job works on: a delivery's transaction, a
// transaction, or an order and the transaction that last paid it. What
// is gone meanwhile is left blank.
func describeJob(tx guichet.Tx, u *Upcoming) error {
	switch u.Kind {
	case jobDeliver:
		d, err := tx.Delivery(u.Ref)
		if err != nil {
			return err
		}
		u.Reference, u.TransactionID = d.OrderRef, d.TransactionID
	case jobCapture, jobAuthorize, jobKwixo, jobReview:
		t, err := tx.Transaction(u.Ref)
		if err != nil {
			return err
		}
		u.Reference, u.TransactionID = t.Reference, t.ID
	default:
		o, err := tx.Order(u.Ref)
		if err != nil {
			return err
		}
		u.Reference, u.TransactionID = o.Reference, o.TransactionID
	}
	return nil
}

// ResetShop forgets everything a TEST shop did (transactions, orders,
// tokens, due work, notifications, request keys, audit) and sets its
// clock back to real time, keeping the shop, its credentials and its
// settings: a sandbox started afresh. It returns how many transactions
// it forgot. A PRODUCTION shop is never reset.
func (s *Service) ResetShop(ctx context.Context, shopID string) (n int, err error) {
	defer s.shops.clear()
	err = s.store.Update(ctx, func(tx guichet.Tx) error {
		shop, err := tx.Shop(shopID)
		if err != nil {
			return err
		}
		if !shop.IsTest() {
			return &guichet.Error{Code: guichet.CodeConflict, Reason: guichet.ReasonState,
				Message: "only a TEST shop may be reset"}
		}
		if n, err = tx.ResetShop(shopID); err != nil {
			return err
		}
		shop.ClockOffset = 0
		return tx.PutShop(shop)
	})
	return n, err
}

// ShopAudit lists what back-office users did in a shop, to its
// transactions or not, newest first: limit entries at most (50 when
// limit <= 0, 500 at most, as the store bounds them).
func (s *Service) ShopAudit(ctx context.Context, shopID string, limit int) (list []guichet.AuditEntry, err error) {
	err = s.store.View(ctx, func(tx guichet.Tx) (err error) {
		list, err = tx.ShopAudit(shopID, limit)
		return err
	})
	return list, err
}
