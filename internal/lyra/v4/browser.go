package v4

import "time"

// ProcessPaymentAnswer is what the embedded form's JavaScript client gets
// back at the end of a payment (V4/Charge/ProcessPaymentAnswer), hands to
// KR.onSubmit, and POSTs to kr-post-url-success or kr-post-url-refused.
// It is signed with the shop's HMAC-SHA-256 key, not its password.
type ProcessPaymentAnswer struct {
	ClientAnswer Payment `json:"clientAnswer"`
	// RawClientAnswer is the exact string that was hashed.
	RawClientAnswer string  `json:"rawClientAnswer"`
	Hash            string  `json:"hash"`
	HashAlgorithm   string  `json:"hashAlgorithm"`
	HashKey         HashKey `json:"hashKey"`
	ServerDate      Time    `json:"serverDate"`
}

// MarshalJSON encodes a in Lyra's order.
func (a ProcessPaymentAnswer) MarshalJSON() ([]byte, error) {
	type fields ProcessPaymentAnswer
	return typed(fields(a), "V4/Charge/ProcessPaymentAnswer")
}

// NewProcessPaymentAnswer signs p with hmacKey, the shop's HMAC-SHA-256
// key of the mode, as the browser side of a payment is signed.
func NewProcessPaymentAnswer(p Payment, hmacKey string, serverDate time.Time) (ProcessPaymentAnswer, error) {
	raw, err := Marshal(p)
	if err != nil {
		return ProcessPaymentAnswer{}, err
	}
	return ProcessPaymentAnswer{
		ClientAnswer:    p,
		RawClientAnswer: string(raw),
		Hash:            Hash(raw, hmacKey),
		HashAlgorithm:   HashAlgorithm,
		HashKey:         HashKeyHMAC,
		ServerDate:      Time{serverDate},
	}, nil
}

// SignedAnswer returns the form the JavaScript client POSTs to the
// merchant's return URL with a.
func (a ProcessPaymentAnswer) SignedAnswer() SignedAnswer {
	return SignedAnswer{
		HashKey:       a.HashKey,
		HashAlgorithm: a.HashAlgorithm,
		Answer:        a.RawClientAnswer,
		AnswerType:    AnswerTypePayment,
		Hash:          a.Hash,
	}
}
