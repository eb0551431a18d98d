package guichet

import "time"

// PendingCard is a card typed on a hosted payment page and kept while its
// holder answers the issuer's 3-D Secure challenge, which may reach another
// instance than the one that took the card. The number is sealed by the
// vault; the CVV is not kept at all.
type PendingCard struct {
	// OrderID is the order the card is to pay; one order has at most one
	// pending card.
	OrderID   string
	ShopID    string
	Card      StoredCard
	CreatedAt time.Time
	// ExpiresAt is when the card may no longer be used, on the shop's
	// clock.
	ExpiresAt time.Time
}
