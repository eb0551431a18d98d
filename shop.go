package guichet

import "time"

// Mode tells whether a shop is a sandbox (TEST) or takes real payments.
type Mode string

// The shop modes.
const (
	ModeTest       Mode = "TEST"
	ModeProduction Mode = "PRODUCTION"
)

// Shop is one merchant account: its credentials for every protocol and the
// contract settings the core applies.
type Shop struct {
	ID   string
	Name string
	Mode Mode
	// Paybox holds the Paybox / E-transactions credentials; nil when the shop
	// does not speak Paybox.
	Paybox *PayboxAccount
	// CaptureDelay is the number of days between an authorization with
	// capture and its remittance to the bank (0: the same evening).
	CaptureDelay int
	// ClockOffset is how far a TEST shop's clock runs ahead of real time.
	ClockOffset time.Duration
	// ThreeDS makes hosted card payments go through 3-D Secure.
	ThreeDS bool
	// NotifyAttempts is how many times a notification is tried before it
	// is given up (0: the default schedule, eleven attempts over two days).
	NotifyAttempts int
	CreatedAt      time.Time
}

// PayboxAccount is a Paybox contract: one SITE and RANG.
type PayboxAccount struct {
	Site        string // 7 digits
	Rang        string // normalised, without leading zeros beyond two digits ("32", "01")
	Identifiant string
	// Key is the back-office password sent as CLE by Paybox Direct clients.
	Key string
	// HMACKey is the merchant secret in hexadecimal, as the back office
	// shows it.
	HMACKey string
}

// IsTest reports whether the shop is a sandbox.
func (s *Shop) IsTest() bool { return s.Mode == ModeTest }
