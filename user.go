package guichet

import (
	"slices"
	"time"
)

// Role says what a back-office user may see and do.
type Role string

// The roles. An operator runs the gateway and sees every shop; a merchant
// sees the shops it was given only.
const (
	RoleOperator Role = "operator"
	RoleMerchant Role = "merchant"
)

// User is a person who signs in to the back office.
type User struct {
	Name string
	Role Role
	// Shops are the IDs of the shops a merchant user sees; an operator
	// sees them all.
	Shops []string
	// Password is the password's hash in the PHC string format
	// ($argon2id$…): the store never holds a password itself.
	Password  string
	CreatedAt time.Time
}

// Sees reports whether the user may see the shop's data and act on it.
func (u *User) Sees(shopID string) bool {
	return u.Role == RoleOperator || slices.Contains(u.Shops, shopID)
}

// Session is a signed-in user's session of the back office. It lives in
// the store, so that every instance behind a load balancer knows it.
type Session struct {
	// ID is the hash of the secret the browser's cookie holds: whoever
	// reads the store cannot sign in with what they read.
	ID   string
	User string
	// CSRF is the token every form of the session carries back.
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// AuditEntry records what a back-office user did.
type AuditEntry struct {
	ID            string
	At            time.Time
	User          string
	ShopID        string
	TransactionID string
	// Action names what was done ("capture", "refund", "resend", …) and
	// Detail says with what (an amount, a notification's ID) and how it
	// ended.
	Action string
	Detail string
}

// JournalFilter selects the transactions of the back office's journal,
// newest first, a page at a time. Every field left empty selects all.
type JournalFilter struct {
	// Shops, when not nil, keeps the transactions of these shops only: a
	// merchant user's. An empty, non-nil list selects nothing.
	Shops []string
	// ShopID keeps one shop's transactions.
	ShopID string
	// Front keeps the transactions made through one protocol
	// (Transaction.Front).
	Front     string
	Status    Status
	Method    string
	Review    string
	Reference string
	// Amount keeps the transactions of that authorized amount, in minor
	// units, when not zero.
	Amount int64
	// Card keeps the transactions whose masked card number ends with it
	// when it is four digits (the last four, as people search a payment),
	// or else contains it.
	Card string
	// From and To bound the creation time: From ≤ CreatedAt < To.
	From, To time.Time
	// After is the page's start: the transactions listed after it, newest
	// first, are those created before it, or at the same time with a
	// lower number (keyset pagination, which stays fast however deep the
	// page).
	After *JournalCursor
	Limit int
}

// LastFour reports whether a journal's card filter is a card's last four
// digits, which the journal matches at the end of the masked number.
func LastFour(card string) bool {
	if len(card) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if card[i] < '0' || card[i] > '9' {
			return false
		}
	}
	return true
}

// JournalCursor is where a page of the journal ended: its last
// transaction's creation time and number.
type JournalCursor struct {
	CreatedAt time.Time
	Number    int64
}
