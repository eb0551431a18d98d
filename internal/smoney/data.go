package smoney

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/sim"
)

// The extras in which a card payment's order keeps what the merchant
// asked, for the page, the callbacks and the answers.
const (
	extraID          = "id"
	extraURLReturn   = "urlReturn"
	extraURLCallback = "urlCallback"
	extraCards       = "availableCards"
	extraPreference  = "threeDSecurePreference"
	extraProfile     = "profile"
	extraFee         = "fee"
	extraIsMine      = "isMine"
	extraMessage     = "message"
	extraBeneficiary = "beneficiary"
	extraUser        = "user"
	extraPayerName   = "payerName"
	extraPayerEmail  = "payerEmail"
	extraCardName    = "cardName"
	extraAppCardID   = "appCardId"
	extraSchedule    = "schedule"
	extraCreation    = "creation"
)

// planned is an instalment of a payment's schedule, as its order keeps it.
type planned struct {
	Amount int64     `json:"amount"`
	Fee    int64     `json:"fee,omitempty"`
	Date   time.Time `json:"date"`
	// Cancelled marks an instalment the merchant cancelled (PUT).
	Cancelled bool `json:"cancelled,omitempty"`
}

// paymentData reads what a card payment's order keeps.
type paymentData struct{ o *guichet.Order }

func dataOf(o *guichet.Order) paymentData { return paymentData{o} }

func (d paymentData) extra(name string) string { return d.o.Content.Extra(name) }

// offers tells whether the page shows a card: every one when the merchant
// named none.
func (d paymentData) offers(name string) bool {
	cards := d.extra(extraCards)
	if cards == "" {
		return true
	}
	for _, c := range strings.Split(cards, ";") {
		if strings.EqualFold(strings.TrimSpace(c), name) {
			return true
		}
	}
	return false
}

// registration tells the page of a card registration from a payment's.
func (d paymentData) registration() bool { return d.extra(extraRegistration) != "" }

// preference is the payment's ThreeDSecurePreference.
func (d paymentData) preference() int {
	n, err := strconv.Atoi(d.extra(extraPreference))
	if err != nil {
		return 2
	}
	return n
}

// version is the 3-D Secure version the payment asks for: 2 with the
// profile 3DSV2, else 1.
func (d paymentData) version() int {
	if strings.EqualFold(d.extra(extraProfile), "3DSV2") {
		return 2
	}
	return 1
}

// flow is what the simulated 3-D Secure does for a card, as the payment's
// preference asks: a challenge (0), frictionless (1), the issuer's choice
// (2), and none at all (3, and 4 which stored card payments send); false
// when no authentication runs.
func (d paymentData) flow(pan string) (sim.Flow, bool) {
	switch d.preference() {
	case 0:
		return sim.Challenge, true
	case 1:
		if f := sim.ThreeDS(pan); f == sim.NotEnrolled || f == sim.Rejected || f == sim.Unavailable {
			return f, true
		}
		return sim.Frictionless, true
	case 3, 4:
		return 0, false
	}
	return sim.ThreeDS(pan), true
}

// plan is the payment's schedule, nil for a payment at once.
func (d paymentData) plan() []planned {
	raw := d.extra(extraSchedule)
	if raw == "" {
		return nil
	}
	var p []planned
	if json.Unmarshal([]byte(raw), &p) != nil {
		return nil
	}
	return p
}

// orderKey is the ID of the order of a shop's OrderId: one per OrderId, so
// that a second payment with it is found (710), and letters only, so that
// no log masker takes it for a card number.
func orderKey(shopID, orderID string) string {
	sum := sha256.Sum256([]byte(shopID + "\x00" + orderID))
	return "smo_" + guichet.Letters(sum[:16])
}

// paymentID is the numeric Id of a card payment, drawn from its order.
func paymentID(key string) int64 {
	sum := sha256.Sum256([]byte(key))
	return int64(binary.BigEndian.Uint64(sum[:8])>>12) + 1
}

// opRef is the front's name of the operation of an OrderId (a payment or
// a refund): unique per shop, found again by it.
func opRef(shop *guichet.Shop, orderID string) string { return shop.ID + "/" + orderID }

func urlEscape(s string) string { return url.QueryEscape(s) }
