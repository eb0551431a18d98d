// Package sim is the simulated world behind the fronts: an acquirer and a
// 3-D Secure directory and ACS modelled on the test platforms of the
// providers guichet imitates (Paybox pre-production, Lyra's TEST mode),
// which know each provider's published test cards. It answers every
// operation at once and deterministically, so that a merchant's
// integration tests and guichet's own get the same answer for the same
// request every time.
package sim

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"time"

	"guichet"
)

// The issuer answer codes the simulator gives to any card. Other codes
// come from a published test card (LyraTestCards) or a request's
// ForceCode.
const (
	CodeApproved          = "00"
	CodeInvalidCardNumber = "14"
	CodeExpiredCard       = "54"
)

// TestAuthCode is the authorization number Paybox pre-production gives to
// every approved operation of a TEST shop.
const TestAuthCode = "XXXXXX"

// frontLyra is the Front of the requests internal/lyra makes, whose TEST
// authorizations get numbers like Lyra's test platform gives.
const frontLyra = "lyra"

// Acquirer implements guichet.Acquirer and guichet.Inquirer. Its answers
// depend on the request alone; it remembers the latest of them by request
// key, so that Inquire tells what it answered. It is safe for concurrent
// use.
type Acquirer struct {
	now    func() time.Time
	memory *memory
}

// rememberedAnswers bounds the answers the simulator keeps for Inquire:
// enough for every request of several minutes at the rates it is used
// at, for about 10 MB. An answer forgotten is reported as never received,
// which the core settles as failed: never an approval made up.
const rememberedAnswers = 100_000

// memory is a bounded map of the simulator's answers by shop and request
// key, the oldest forgotten first.
type memory struct {
	mu      sync.Mutex
	answers map[string]guichet.AcquirerResult
	ring    []string
	next    int
}

func (m *memory) remember(key string, res guichet.AcquirerResult) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.ring) < rememberedAnswers {
		m.ring = append(m.ring, key)
	} else {
		delete(m.answers, m.ring[m.next])
		m.ring[m.next] = key
		m.next = (m.next + 1) % rememberedAnswers
	}
	m.answers[key] = res
}

func (m *memory) recall(key string) (guichet.AcquirerResult, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	res, ok := m.answers[key]
	return res, ok
}

// memoryKey names a request in the memory: keys are unique per shop.
func memoryKey(r guichet.AcquirerRequest) string {
	shop := ""
	if r.Shop != nil {
		shop = r.Shop.ID
	}
	return shop + "\x00" + r.Key
}

var (
	_ guichet.Acquirer = (*Acquirer)(nil)
	_ guichet.Inquirer = (*Acquirer)(nil)
)

// New returns a simulated acquirer that reads the time from now, to decide
// whether a card has expired. A nil now means time.Now.
func New(now func() time.Time) *Acquirer {
	if now == nil {
		now = time.Now
	}
	return &Acquirer{now: now, memory: &memory{answers: map[string]guichet.AcquirerResult{}}}
}

// Process answers one operation.
//
// Authorizations and credits need a card. The card is refused with code 14
// when its number fails the Luhn check and 54 when it has expired: the core
// checks both before calling the acquirer, and the simulator checks them
// again because a real issuer would, and because a front or a connector that
// skipped the core's checks must not see such a card approved. These checks
// come before ForceCode, since no issuer answer can approve a card the
// network rejects. An authorization of a provider's published test card then
// gets the answer its test platform gives (TestCards, LyraTestCards); any
// other card, and any credit, is approved.
//
// An approved operation of a TEST shop gets the authorization number of
// the provider's test platform: six lower-case hexadecimal digits for a
// request that came in by Lyra's front, TestAuthCode for any other. A
// PRODUCTION shop gets a number derived from the request, as a real
// issuer gives a different one to every payment.
//
// Captures, cancellations, refunds and amount updates need the transaction
// they apply to, and are approved.
//
// For a TEST shop, ForceCode, when set, replaces the issuer's answer: "00"
// approves, any other two-digit code refuses with that code. It is ignored
// for a PRODUCTION shop, as a real bank would know nothing of it.
func (a *Acquirer) Process(ctx context.Context, r guichet.AcquirerRequest) (guichet.AcquirerResult, error) {
	res, err := a.answer(ctx, r)
	if err == nil && r.Key != "" {
		a.memory.remember(memoryKey(r), res)
	}
	return res, err
}

// answer is the simulator's answer to a request.
func (a *Acquirer) answer(ctx context.Context, r guichet.AcquirerRequest) (guichet.AcquirerResult, error) {
	// A cancelled request is one the bank never answered; reporting it as
	// unavailable lets the caller retry instead of recording a refusal.
	if err := ctx.Err(); err != nil {
		return guichet.AcquirerResult{}, &guichet.Error{Code: guichet.CodeUnavailable, Message: "acquirer request abandoned", Err: err}
	}
	test := r.Shop == nil || r.Shop.IsTest()
	force := ""
	if test {
		force = r.ForceCode
	}
	if force != "" && !twoDigits(force) {
		return guichet.AcquirerResult{}, &guichet.Error{Code: guichet.CodeInvalid, Param: "force_code",
			Message: "the forced answer code must be two digits"}
	}

	switch r.Kind {
	case guichet.OpAuthorize, guichet.OpCredit, guichet.OpVerify:
		if r.Partner != "" && r.Kind == guichet.OpAuthorize {
			now := a.now()
			if r.Shop != nil {
				now = now.Add(r.Shop.ClockOffset)
			}
			return a.partner(r, test, force, now)
		}
		if r.Card == nil {
			return guichet.AcquirerResult{}, &guichet.Error{Code: guichet.CodeInvalid, Param: "card",
				Message: "an " + string(r.Kind) + " needs a card"}
		}
		res := guichet.AcquirerResult{Brand: Brand(r.Card.PAN), Country: Country(r.Card.PAN)}
		now := a.now()
		// A TEST shop may run its clock ahead of real time; the issuer
		// sees the shop's time, so that expiry answers agree with the
		// core's.
		if test && r.Shop != nil {
			now = now.Add(r.Shop.ClockOffset)
		}
		switch {
		case !guichet.LuhnValid(r.Card.PAN):
			res.Code = CodeInvalidCardNumber
		case r.Card.ExpMonth < 1 || r.Card.ExpMonth > 12 || r.Card.Expired(now):
			res.Code = CodeExpiredCard
		case force != "":
			res.Code = force
		case r.Kind == guichet.OpAuthorize:
			res.Code = issuerCode(r.Card.PAN, r.Stored)
		default:
			res.Code = CodeApproved
		}
		if res.Approved = res.Code == CodeApproved; res.Approved {
			switch {
			case !test:
				res.AuthCode = authCode(r)
			case r.Front == frontLyra:
				res.AuthCode = lyraAuthCode(r)
			default:
				res.AuthCode = TestAuthCode
			}
		}
		return res, nil

	case guichet.OpCapture, guichet.OpCancel, guichet.OpRefund, guichet.OpUpdateAmount:
		t := r.Transaction
		if t == nil {
			return guichet.AcquirerResult{}, &guichet.Error{Code: guichet.CodeInvalid, Param: "transaction",
				Message: "a " + string(r.Kind) + " needs the transaction it applies to"}
		}
		res := guichet.AcquirerResult{Code: CodeApproved, Brand: t.Card.Brand, Country: t.Card.Country}
		if force != "" {
			res.Code = force
		}
		// A follow-up carries the authorization it completes, as Paybox
		// answers repeat the original AUTORISATION.
		if res.Approved = res.Code == CodeApproved; res.Approved {
			res.AuthCode = t.AuthCode
		}
		return res, nil
	}
	return guichet.AcquirerResult{}, &guichet.Error{Code: guichet.CodeInvalid, Param: "kind",
		Message: "unknown operation " + string(r.Kind)}
}

// Inquire tells what the simulator answered to the request of key r.Key,
// and false when it never answered it: the request never arrived, the call
// was abandoned, or the answer was forgotten (a restart, or more than
// rememberedAnswers requests since). A connector to a real processor asks
// the processor by r.Key.
func (a *Acquirer) Inquire(_ context.Context, r guichet.AcquirerRequest) (guichet.AcquirerResult, bool, error) {
	res, ok := a.memory.recall(memoryKey(r))
	return res, ok, nil
}

func twoDigits(s string) bool {
	return len(s) == 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'
}

// authAlphabet is the character set of simulated production authorization
// numbers, which real issuers draw from digits and capitals.
const authAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// authCode derives a six-character authorization number from the card, the
// amount and the kind of operation, so that the same request always gets
// the same number while different payments get different ones. Six
// characters keep about 31 bits of the hash, far too few to recover the PAN
// from.
func authCode(r guichet.AcquirerRequest) string {
	// A partner's payment has no card: its request's key sets it apart.
	who := r.Partner + r.Key
	if r.Card != nil {
		who = r.Card.PAN
	}
	sum := digest(r.Amount.Amount, "guichet-sim-auth", string(r.Kind), who, r.Amount.Currency)
	code := make([]byte, 6)
	for i := range code {
		code[i] = authAlphabet[int(sum[i])%len(authAlphabet)]
	}
	return string(code)
}

// lyraAuthCode derives an authorization number like those of Lyra's test
// platform, six lower-case hexadecimal digits (recorded: "3fe171",
// "3fd70b"), from the request's shop, key and amount, so that the same
// request always gets the same number and different payments different
// ones. The card number stays out of the hash: with the masked number a
// merchant sees, 24 bits of it would be enough to find the hidden digits.
func lyraAuthCode(r guichet.AcquirerRequest) string {
	shop := ""
	if r.Shop != nil {
		shop = r.Shop.ID
	}
	sum := digest(r.Amount.Amount, "guichet-sim-lyra-auth", string(r.Kind), shop, r.Key, r.Amount.Currency)
	return hex.EncodeToString(sum[:3])
}

// digest hashes fields and an amount. Each field is length-prefixed so
// that different field splits cannot hash alike.
func digest(amount int64, fields ...string) []byte {
	h := sha256.New()
	for _, f := range fields {
		_ = binary.Write(h, binary.BigEndian, uint32(len(f)))
		h.Write([]byte(f))
	}
	_ = binary.Write(h, binary.BigEndian, amount)
	return h.Sum(nil)
}
