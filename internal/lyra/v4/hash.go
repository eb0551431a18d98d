package v4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// HashAlgorithm is the kr-hash-algorithm of every signed answer, and the
// only one Lyra's SDKs accept.
const HashAlgorithm = "sha256_hmac"

// HashKey names, in kr-hash-key, the shop secret that keyed a kr-hash.
type HashKey string

const (
	// HashKeyPassword marks an IPN, keyed with the shop's password of the
	// mode (testpassword_… or prodpassword_…).
	HashKeyPassword HashKey = "password"
	// HashKeyHMAC marks a browser return, keyed with the shop's
	// HMAC-SHA-256 key of the mode.
	HashKeyHMAC HashKey = "sha256_hmac"
)

// AnswerTypePayment is the kr-answer-type of a Payment, the only answer
// Lyra signs today.
const AnswerTypePayment = "V4/Payment"

// Source is the kr-src of an IPN: what made Lyra send it. It mirrors the
// form API's vads_url_check_src.
type Source string

const (
	SourcePay          Source = "PAY"           // end of a buyer's payment attempt
	SourceBO           Source = "BO"            // IPN sent again by hand from the back office
	SourceMerchBO      Source = "MERCH_BO"      // operation made by the merchant in the back office
	SourceBatch        Source = "BATCH"         // status change found by a batch, such as an expiry
	SourceBatchAuto    Source = "BATCH_AUTO"    // authorization made by a batch for a deferred payment
	SourceRec          Source = "REC"           // occurrence of a subscription
	SourceRetry        Source = "RETRY"         // automatic retry of an IPN that failed
	SourcePaymentOrder Source = "PAYMENT_ORDER" // payment made through a payment link
)

// Errors of SignedAnswer.Verify.
var (
	ErrHashAlgorithm = errors.New("v4: unsupported kr-hash-algorithm")
	ErrHashMismatch  = errors.New("v4: kr-hash does not match kr-answer")
)

// Hash returns the kr-hash of answer: the lowercase hexadecimal
// HMAC-SHA-256 of its bytes, keyed with the bytes of key as written (a
// password keeps its "testpassword_" prefix; an HMAC key is not
// hex-decoded).
func Hash(answer []byte, key string) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write(answer)
	return hex.EncodeToString(mac.Sum(nil))
}

// The names of the POSTed fields.
const (
	fieldHashKey       = "kr-hash-key"
	fieldHashAlgorithm = "kr-hash-algorithm"
	fieldAnswer        = "kr-answer"
	fieldAnswerType    = "kr-answer-type"
	fieldHash          = "kr-hash"
	fieldSource        = "kr-src"
)

// SignedAnswer is the form Lyra POSTs with a signed answer: to the IPN URL
// (server to server), and through the buyer's browser to the merchant's
// return URL. Its fields are in the order of the recorded IPNs.
type SignedAnswer struct {
	HashKey       HashKey // kr-hash-key
	HashAlgorithm string  // kr-hash-algorithm
	Answer        string  // kr-answer, the exact bytes that were hashed
	AnswerType    string  // kr-answer-type
	Hash          string  // kr-hash
	// Source is kr-src, empty when not sent (browser returns).
	Source Source
}

// Sign returns the form carrying answer, of type answerType, signed with
// key; keyName says which secret key is, HashKeyPassword for an IPN and
// HashKeyHMAC for a browser return.
func Sign(answerType string, answer []byte, keyName HashKey, key string) SignedAnswer {
	return SignedAnswer{
		HashKey:       keyName,
		HashAlgorithm: HashAlgorithm,
		Answer:        string(answer),
		AnswerType:    answerType,
		Hash:          Hash(answer, key),
	}
}

// Encode returns s as an application/x-www-form-urlencoded body, its
// fields in the order of the recorded IPNs. No recording shows kr-src: it
// comes last, when set.
func (s SignedAnswer) Encode() string {
	fields := [][2]string{
		{fieldHashKey, string(s.HashKey)},
		{fieldHashAlgorithm, s.HashAlgorithm},
		{fieldAnswer, s.Answer},
		{fieldAnswerType, s.AnswerType},
		{fieldHash, s.Hash},
	}
	if s.Source != "" {
		fields = append(fields, [2]string{fieldSource, string(s.Source)})
	}
	// url.Values.Encode would sort the keys; write them in order instead.
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(f[0]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(f[1]))
	}
	return b.String()
}

// ParseSignedAnswer reads the signed answer of a POSTed form. kr-answer
// and kr-hash must be present; the other fields are read as sent, empty
// when missing, and Verify checks the algorithm. A repeated field counts
// by its first value.
func ParseSignedAnswer(form url.Values) (SignedAnswer, error) {
	for _, name := range []string{fieldAnswer, fieldHash} {
		if !form.Has(name) {
			return SignedAnswer{}, fmt.Errorf("v4: form has no %s", name)
		}
	}
	return SignedAnswer{
		HashKey:       HashKey(form.Get(fieldHashKey)),
		HashAlgorithm: form.Get(fieldHashAlgorithm),
		Answer:        form.Get(fieldAnswer),
		AnswerType:    form.Get(fieldAnswerType),
		Hash:          form.Get(fieldHash),
		Source:        Source(form.Get(fieldSource)),
	}, nil
}

// Verify checks kr-hash as Lyra's SDKs do: the algorithm must be
// sha256_hmac, and the hash is computed over kr-answer with every "\/"
// turned into "/", because merchant stacks (PHP above all) re-encode the
// answer with escaped slashes while Lyra signs it without. The hashes are
// compared in constant time. The caller picks key from s.HashKey: the
// shop's password of the mode for HashKeyPassword, its HMAC-SHA-256 key
// for HashKeyHMAC.
func (s SignedAnswer) Verify(key string) error {
	if s.HashAlgorithm != HashAlgorithm {
		return ErrHashAlgorithm
	}
	unescaped := strings.ReplaceAll(s.Answer, `\/`, "/")
	if hashEqual(unescaped, key, s.Hash) {
		return nil
	}
	// An answer whose data holds a backslash before a slash was signed as
	// posted, and un-escaping corrupted it: try the answer as it is.
	if unescaped != s.Answer && hashEqual(s.Answer, key, s.Hash) {
		return nil
	}
	return ErrHashMismatch
}

// hashEqual reports, in constant time, whether hash is the kr-hash of
// answer under key.
func hashEqual(answer, key, hash string) bool {
	return hmac.Equal([]byte(Hash([]byte(answer), key)), []byte(hash))
}
