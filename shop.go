package guichet

import (
	"encoding/json"
	"fmt"
	"time"
)

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
	// Credentials are how each protocol the shop speaks names it and
	// authenticates its requests, one per protocol at most.
	Credentials []Credential
	// CaptureDelay is the number of days between an authorization with
	// capture and its remittance to the bank (0: the same evening).
	CaptureDelay int
	// AutoCaptureDays, when not zero, has the platform capture a hosted
	// payment's authorization left to capture (PBX_AUTOSEULE) that many
	// days later, in full, if the merchant did not capture or cancel it
	// meanwhile: the contract's deferred capture.
	AutoCaptureDays int
	// ClockOffset is how far a TEST shop's clock runs ahead of real time.
	ClockOffset time.Duration
	// ThreeDS makes hosted card payments go through 3-D Secure.
	ThreeDS bool
	// RequireCVV makes the contract refuse a card authorization sent
	// without the card's security code; without it the code is optional,
	// as on most contracts.
	RequireCVV bool
	// NotifyAttempts is how many times a notification is tried before it
	// is given up (0: the default schedule, eleven attempts over two days).
	NotifyAttempts int
	// Brands are the card brands the shop's contract accepts on the hosted
	// page; none means every brand.
	Brands []Brand
	// Kwixo is the shop's KWIXO contract; nil when it did not subscribe.
	Kwixo     *KwixoContract
	CreatedAt time.Time
}

// The KWIXO payment options (integration guide §2.4).
const (
	KwixoStandard = "STANDARD" // paid at once
	KwixoRNP      = "1XRNP"    // paid once the buyer received the goods
	KwixoCredit   = "CREDIT"   // a credit, debited after receipt
)

// KwixoContract is what a shop subscribed to with KWIXO.
type KwixoContract struct {
	// Options are the payment options offered to buyers, among
	// KwixoStandard, KwixoRNP and KwixoCredit.
	Options []string `json:"options"`
	// RNPPilotable lets the merchant decide, order by order through
	// PBX_RECEIVE_AND_PAY, whether the receive-and-pay option is charged
	// to the buyer or offered; without it, the buyer pays for it.
	RNPPilotable bool `json:"rnp_pilotable,omitempty"`
	// AutoCapture makes the platform capture a payment CaptureDays days
	// after its review allows it (the guide's first integration mode);
	// without it, the merchant captures through PPPS.
	AutoCapture bool `json:"auto_capture,omitempty"`
	CaptureDays int  `json:"capture_days,omitempty"`
}

// Offers reports whether the contract includes a KWIXO option.
func (k *KwixoContract) Offers(option string) bool {
	if k == nil {
		return false
	}
	for _, o := range k.Options {
		if o == option {
			return true
		}
	}
	return false
}

// Credential is how one protocol names a shop and checks that a request
// comes from it. Data belongs to the front of that protocol, which alone
// reads and writes it: the domain knows no protocol's fields.
type Credential struct {
	// Protocol names the front: "paybox", "lyra", "payline", "smoney".
	Protocol string
	// Key is what the protocol's requests name the shop by (Paybox's SITE
	// and RANG, Lyra's shop id), unique within the protocol: stores look
	// shops up by protocol and key.
	Key string
	// Data is the protocol's own fields, in compact JSON.
	Data []byte
}

// NewCredential returns the credential of a protocol, its data the JSON
// of data (a front's own account type).
func NewCredential(protocol, key string, data any) Credential {
	b, err := json.Marshal(data)
	if err != nil {
		panic("guichet: credential data not encodable: " + err.Error())
	}
	return Credential{Protocol: protocol, Key: key, Data: b}
}

// AccountOf decodes the shop's credential of a protocol into the front's
// account type A, and reports false when the shop has none.
func AccountOf[A any](s *Shop, protocol string) (*A, bool, error) {
	c := s.Credential(protocol)
	if c == nil {
		return nil, false, nil
	}
	var a A
	if err := json.Unmarshal(c.Data, &a); err != nil {
		return nil, false, fmt.Errorf("%s credential of shop %s: %w", protocol, s.ID, err)
	}
	return &a, true, nil
}

// Credential returns the shop's credential for protocol, or nil.
func (s *Shop) Credential(protocol string) *Credential {
	for i := range s.Credentials {
		if s.Credentials[i].Protocol == protocol {
			return &s.Credentials[i]
		}
	}
	return nil
}

// Accepts reports whether the shop's contract accepts a card brand.
func (s *Shop) Accepts(b Brand) bool {
	if len(s.Brands) == 0 {
		return true
	}
	for _, a := range s.Brands {
		if a == b {
			return true
		}
	}
	return false
}

// IsTest reports whether the shop is a sandbox.
func (s *Shop) IsTest() bool { return s.Mode == ModeTest }
