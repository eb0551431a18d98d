package guichet

import (
	"context"
	"time"
)

// Store persists shops, transactions, tokens, events and exchanges.
//
// Every change happens inside Update, whose function runs in one database
// transaction: either everything it wrote is committed, or nothing is.
// Update returns only after a durable commit, so an answer sent after it is
// never lost. Implementations may run several Update functions in one
// database transaction (group commit), so a function must not block.
type Store interface {
	// Update runs fn in a read-write unit of work. If fn returns an error,
	// nothing it wrote is kept and Update returns that error.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only unit of work.
	View(ctx context.Context, fn func(Tx) error) error
	// RecordExchange queues an exchange for the audit log. It may return
	// before the exchange is durable.
	RecordExchange(ctx context.Context, e Exchange) error
	// Exchanges lists recorded exchanges, newest first.
	Exchanges(ctx context.Context, f ExchangeFilter) ([]Exchange, error)
	Close() error
	// PurgeExchanges deletes exchanges past the retention p, oldest first,
	// in batches that each hold the database briefly, so that it stays
	// cheap on a big table and never stalls the payments. It returns what
	// it deleted and what is left. The exchanges still queued by
	// RecordExchange count as recorded.
	PurgeExchanges(ctx context.Context, p ExchangePurge) (deleted, left ExchangeTotals, err error)
	// PurgeClaims deletes the ended claims (done or failed) made before
	// before, in batches as PurgeExchanges does, and returns how many it
	// deleted. Pending claims are the janitor's and are never deleted.
	PurgeClaims(ctx context.Context, before time.Time) (int, error)
}

// ClaimBatcher is a Store that takes pending claims itself, outside the
// caller's units of work, so that it may write those of concurrent
// requests with one statement and one commit. Its BeginClaim returns once
// the claim is durable, with the conflict of Tx.BeginClaim for a key used
// before. A store without it takes each claim in an Update of its own.
type ClaimBatcher interface {
	BeginClaim(ctx context.Context, c *Claim) error
}

// ExchangeFilter selects exchanges.
type ExchangeFilter struct {
	ShopID string
	// Reference, when set, keeps the exchanges about that merchant order
	// reference only.
	Reference string
	Limit     int
}

// Tx is the store as one unit of work sees it. Getters return an *Error with
// CodeNotFound when nothing matches. A Tx is valid only inside the function
// it was given to.
type Tx interface {
	Shop(id string) (*Shop, error)
	// ShopByCredential finds the shop holding a protocol's credential.
	ShopByCredential(protocol, key string) (*Shop, error)
	Shops() ([]Shop, error)
	PutShop(s *Shop) error
	// ResetShop deletes everything the shop did: its transactions and
	// their operations and events, orders, tokens, pending cards, jobs,
	// deliveries and their attempts, claims and audit entries. The shop,
	// its credentials and its settings stay; the caller resets its clock.
	// It returns how many transactions it deleted.
	//
	// The shop's exchanges stay too, left to their own retention
	// (PurgeExchanges): a background writer records them outside units of
	// work, so a unit of work could not delete them all, and deleting
	// some here would have to keep exchange_totals in step with that
	// writer, which only the purge does.
	ResetShop(shopID string) (int, error)

	Transaction(id string) (*Transaction, error)
	// TransactionByNumber finds a transaction by its own number (NUMAPPEL).
	TransactionByNumber(shopID string, number int64) (*Transaction, error)
	// TransactionByOperation finds the transaction holding the operation
	// with the given number (NUMTRANS).
	TransactionByOperation(shopID string, number int64) (*Transaction, error)
	// TransactionByRef finds the transaction holding the operation a
	// front named ref (Operation.Ref), whatever its shop.
	TransactionByRef(front, ref string) (*Transaction, error)
	// FindTransaction finds the latest transaction with this reference and
	// amount.
	FindTransaction(shopID, reference string, amount int64) (*Transaction, error)
	// Transactions lists transactions, newest first.
	Transactions(f TransactionFilter) ([]Transaction, error)
	// PutTransaction inserts a transaction or saves a loaded one. Operations
	// are append-only: those added since loading are inserted.
	PutTransaction(t *Transaction) error

	Token(shopID, reference string) (*Token, error)
	// TokenByID finds a token by its ID, whatever its shop.
	TokenByID(id string) (*Token, error)
	PutToken(t *Token) error
	DeleteToken(shopID, reference string) error

	// Claim records that the request key was used by the shop, in state
	// done; it returns an *Error with CodeConflict and ReasonDuplicate when
	// the key was claimed before. A store may defer the insert, and report
	// a key claimed by another unit of work from a later call of this one
	// or from Update: the unit of work then fails whole with that error,
	// whatever its function returns.
	Claim(shopID, key string, at time.Time) error
	// BeginClaim records a pending claim, with the same conflict as Claim.
	BeginClaim(c *Claim) error
	// EndClaim ends a pending claim in state done or failed, naming the
	// transaction its outcome was recorded in. It returns an *Error with
	// CodeConflict when the claim is not pending (any more), and
	// CodeNotFound when there is no such claim.
	EndClaim(shopID, key string, state ClaimState, transactionID string) error
	// ClaimOf returns the claim of a key, or an *Error with CodeNotFound.
	ClaimOf(shopID, key string) (*Claim, error)
	// LeaseClaims returns pending claims whose SettleAfter is at or before
	// now, oldest first, and pushes their SettleAfter to until: the lease
	// of the janitor settling them. Inside Update, the claims returned are
	// reserved: another instance does not see them until this unit of work
	// ends.
	LeaseClaims(now, until time.Time, limit int) ([]Claim, error)
	// Emit writes events to the outbox.
	Emit(events ...Event) error
	// Events lists outbox events of a transaction, oldest first.
	Events(transactionID string) ([]Event, error)
	// NextNumber allocates a number for a transaction or an operation,
	// unique in the store and increasing.
	NextNumber() (int64, error)

	Order(id string) (*Order, error)
	// PutOrder inserts or updates an order.
	PutOrder(o *Order) error
	// OrderProtocols lists the distinct protocols of the orders stored.
	OrderProtocols() ([]string, error)
	// Orders lists a shop's orders of a protocol, newest first, a page
	// at a time, with how many there are in all.
	Orders(f OrderFilter) (list []Order, total int, err error)

	// PutJob inserts or reschedules a job.
	PutJob(j *Job) error
	// DueJobs lists the shop's jobs due at or before now, earliest first
	// (ties in insertion order). Inside Update, the jobs returned are
	// reserved: another instance sharing the store does not see them until
	// this unit of work ends.
	DueJobs(shopID string, now time.Time, limit int) ([]Job, error)
	// DeleteJob removes a job; removing one that is gone already is not an
	// error.
	DeleteJob(id string) error
	// Job returns the job with the given ID, whether due or not. Inside
	// Update it locks the job like the transaction getters do, so that
	// two units of work changing one job (a worker rescheduling it, a
	// merchant moving one of its dates) take turns.
	Job(id string) (*Job, error)

	// Order and Delivery, inside Update, lock what they return like the
	// transaction getters do, so that concurrent changes serialize.
	Delivery(id string) (*Delivery, error)
	// PutDelivery inserts or updates a delivery.
	PutDelivery(d *Delivery) error
	// Deliveries lists deliveries, newest first.
	Deliveries(f DeliveryFilter) ([]Delivery, error)
	AddAttempt(a Attempt) error
	// Attempts lists a delivery's attempts, oldest first.
	Attempts(deliveryID string) ([]Attempt, error)

	// Setting returns the value stored under name: a setting or a sealed
	// secret every instance sharing the store must agree on.
	Setting(name string) ([]byte, error)
	// InitSetting stores value under name unless a value is there already,
	// and returns the value stored under name afterwards: the one given, or
	// the one stored first. Of instances starting together, each thus ends
	// with the same value.
	InitSetting(name string, value []byte) ([]byte, error)
	// PutPendingCard stores the pending card of an order, in place of the
	// one it had.
	PutPendingCard(p *PendingCard) error
	// TakePendingCard returns the order's pending card and deletes it, so
	// that it is used once: of two units of work taking it at once, one
	// gets it and the other CodeNotFound. Expired cards are returned too;
	// whether one may still be used is the caller's business.
	TakePendingCard(orderID string) (*PendingCard, error)
	// PendingCard returns the order's pending card without taking it, so
	// that an inquiry may tell a payment waiting for its holder's
	// authentication. Expired cards are returned too, as by
	// TakePendingCard.
	PendingCard(orderID string) (*PendingCard, error)
	// User finds a back-office user by name.
	User(name string) (*User, error)
	// PutUser inserts or updates a user.
	PutUser(u *User) error
	// Users lists the back office's users by name.
	Users() ([]User, error)
	// Session finds a session by ID, expired or not.
	Session(id string) (*Session, error)
	// PutSession inserts a session.
	PutSession(s *Session) error
	// DeleteSession removes a session; removing one that is gone is not
	// an error.
	DeleteSession(id string) error
	// DeleteSessions removes the sessions expired before before, and
	// returns how many.
	DeleteSessions(before time.Time) (int, error)
	// AddAudit records what a back-office user did.
	AddAudit(e AuditEntry) error
	// Audit lists what was done to a transaction, oldest first.
	Audit(transactionID string) ([]AuditEntry, error)
	// ShopAudit lists what was done in a shop, to its transactions or not,
	// newest first (of entries made at the same time, the latest added
	// first), at most limit of them (50 when limit <= 0, 500 at most).
	ShopAudit(shopID string, limit int) ([]AuditEntry, error)
	// Journal lists transactions with their operations, newest first
	// (creation time, then number), as the filter says.
	Journal(f JournalFilter) ([]Transaction, error)

	// TakeJobs takes due jobs to run them, earliest first (ties in
	// insertion order), and leases them, as JobClaim says: until the
	// lease ends, no other TakeJobs returns them, in this instance or
	// another one sharing the store. Putting or deleting a job ends its
	// lease. Inside Update only.
	TakeJobs(c JobClaim) ([]Job, error)
	// JobBacklog counts the shop's jobs due at or before now, leased ones
	// included, by kind.
	JobBacklog(shopID string, now time.Time) ([]JobBacklog, error)
	// Jobs lists a shop's jobs, leased or not, due at or before until (all
	// of them when until is zero), earliest first (ties in insertion
	// order), at most limit (100 when limit <= 0, 1000 at most), whatever
	// their kind when kinds is empty, else of those kinds only: what the
	// back office shows of the work to come (instalments, subscriptions,
	// captures, notification retries) and of what advancing a clock would
	// run. It locks nothing.
	Jobs(shopID string, until time.Time, kinds []string, limit int) ([]Job, error)
}

// DeliveryFilter selects deliveries.
type DeliveryFilter struct {
	ShopID   string
	OrderRef string
	Limit    int
}

// OrderFilter selects a shop's orders of a protocol: Limit of them (100
// when zero) after the first Offset.
type OrderFilter struct {
	ShopID   string
	Protocol string
	Limit    int
	Offset   int
}

// TransactionFilter selects transactions.
type TransactionFilter struct {
	ShopID    string
	Reference string
	// Fingerprint, when set, keeps the transactions of one card
	// (StoredCard.Fingerprint) of the shop.
	Fingerprint string
	// OrderID, when set, keeps the transactions of one order of the shop.
	OrderID string
	Limit   int
}
