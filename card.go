package guichet

import (
	"log/slog"
	"time"
)

// Card is a payment card as a customer typed it. It lives only in memory for
// the time of one request: the PAN is sealed by the vault before anything is
// stored, and the CVV is never stored at all. Its String and LogValue
// methods show the masked number only, so that a card passed to a logger or
// a format verb cannot leak.
type Card struct {
	PAN      string
	ExpMonth int // 1..12
	ExpYear  int // four digits
	CVV      string
	Holder   string
}

// Masked returns the PAN with all but the first six and last four digits
// replaced by "X" (fewer shown for short numbers).
func (c Card) Masked() string { return MaskPAN(c.PAN) }

func (c Card) String() string { return c.Masked() }

// LogValue implements slog.LogValuer.
func (c Card) LogValue() slog.Value {
	return slog.GroupValue(slog.String("pan", c.Masked()), slog.Int("exp_month", c.ExpMonth), slog.Int("exp_year", c.ExpYear))
}

// Expired reports whether the card's last valid month is before now's month.
func (c Card) Expired(now time.Time) bool {
	y, m, _ := now.Date()
	return c.ExpYear < y || (c.ExpYear == y && c.ExpMonth < int(m))
}

// MaskPAN keeps the first six and last four digits of a card number, the
// most PCI DSS allows to display.
func MaskPAN(pan string) string {
	n := len(pan)
	if n < 12 {
		b := []byte(pan)
		for i := range b {
			if i >= 2 && i < n-2 {
				b[i] = 'X'
			}
		}
		return string(b)
	}
	b := []byte(pan)
	for i := 6; i < n-4; i++ {
		b[i] = 'X'
	}
	return string(b)
}

// LuhnValid reports whether pan is made of 12 to 19 digits whose Luhn
// checksum is right.
func LuhnValid(pan string) bool {
	if len(pan) < 12 || len(pan) > 19 {
		return false
	}
	sum, double := 0, false
	for i := len(pan) - 1; i >= 0; i-- {
		d := int(pan[i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// Brand is a card scheme or network.
type Brand string

// The brands guichet recognises.
const (
	BrandCB         Brand = "CB"
	BrandVisa       Brand = "VISA"
	BrandMastercard Brand = "MASTERCARD"
	BrandMaestro    Brand = "MAESTRO"
	BrandAmex       Brand = "AMEX"
	BrandJCB        Brand = "JCB"
	BrandDiners     Brand = "DINERS"
	BrandDiscover   Brand = "DISCOVER"
	BrandUnknown    Brand = ""
)

// StoredCard is what guichet keeps of a card: the PAN sealed by the vault,
// its masked form, a keyed fingerprint to find a card again without
// decrypting anything, and the non-secret attributes.
type StoredCard struct {
	Masked      string
	Fingerprint string
	Brand       Brand
	Country     string // ISO 3166 alpha-3, when known
	ExpMonth    int
	ExpYear     int
	Sealed      []byte // the PAN, encrypted; never the CVV
}

// End is the last instant of the card's expiry month, in UTC; zero when
// the expiry is not known.
func (s StoredCard) End() time.Time {
	if s.ExpYear == 0 {
		return time.Time{}
	}
	return time.Date(s.ExpYear, time.Month(s.ExpMonth)+1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
}

// LogValue implements slog.LogValuer so that the sealed bytes are not logged.
func (s StoredCard) LogValue() slog.Value {
	return slog.GroupValue(slog.String("pan", s.Masked), slog.String("brand", string(s.Brand)))
}

// Token is a card kept for later payments: a Paybox Direct Plus subscriber,
// a Lyra token, a Payline wallet.
type Token struct {
	ID     string
	ShopID string
	// Reference is the merchant's name for the token (Paybox REFABONNE).
	Reference string
	// Handle is the opaque value the merchant sends instead of the PAN.
	Handle string
	Card   StoredCard
	// OrderID is the order the card was registered with, if any: its
	// content tells who the buyer is.
	OrderID string
	// CancelledAt, when set, is when the merchant cancelled the token: it
	// may no longer be charged, until reactivated.
	CancelledAt time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Vault seals card numbers before they are stored and opens them again when
// a stored card must be charged.
type Vault interface {
	// Seal encrypts the PAN and computes the masked form and fingerprint.
	// The CVV is dropped.
	Seal(c Card) (StoredCard, error)
	// Open returns the card, PAN in clear and without CVV.
	Open(s StoredCard) (Card, error)
	// Fingerprint is the keyed fingerprint Seal would give pan.
	Fingerprint(pan string) string
	// SealSecret encrypts an installation secret (a signing key, a token)
	// to be kept under name; OpenSecret opens it again, under the same
	// name only.
	SealSecret(name string, secret []byte) ([]byte, error)
	OpenSecret(name string, sealed []byte) ([]byte, error)
	// KeyCheck identifies the master key without revealing it, so that
	// instances sharing a store can tell whether they hold the same one.
	KeyCheck() string
}
