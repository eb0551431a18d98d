package guichet

import (
	"time"
	"unicode/utf8"
)

// OrderStatus is where a hosted payment stands.
type OrderStatus string

// The order states. An open order waits for its buyer; the others are
// final, except pending, which waits for a provider's decision.
const (
	OrderOpen      OrderStatus = "open"
	OrderPending   OrderStatus = "pending"
	OrderPaid      OrderStatus = "paid"
	OrderRefused   OrderStatus = "refused"
	OrderCancelled OrderStatus = "cancelled"
)

// Order is what a merchant asked a hosted payment page for: an amount for a
// reference, with where to send the buyer and the notifications back. The
// request of the front is kept verbatim, so that every answer can echo it.
type Order struct {
	ID        string
	ShopID    string
	Protocol  string // the front that took it: "paybox-system", …
	Reference string
	Amount    Money
	Status    OrderStatus
	// Request is the merchant's request as the front received it
	// (for Paybox System, the decoded form fields in order, as JSON).
	Request []byte
	// TransactionID is the payment attempt that settled the order.
	TransactionID string
	// Content is what the merchant told of the buyer and the purchase.
	Content OrderContent
	// Attempts counts the payments tried on the order. A refused one
	// leaves the order open while Attempts is below MaxAttempts (0 and 1
	// both allow a single attempt).
	Attempts    int
	MaxAttempts int
	// ExpiresAt, when set, is when the order stops taking payments, on
	// the shop's clock.
	ExpiresAt time.Time
	// SeenAt is when the buyer first reached the order's payment page,
	// zero until then: a protocol may tell an order nobody opened from
	// one a buyer left. Method is the means of payment the buyer last
	// chose there, as the front names it.
	SeenAt    time.Time
	Method    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Job is work due at a time on its shop's clock: a notification to deliver,
// a review outcome, a deferred capture. A TEST shop's clock may be advanced,
// which makes its jobs due sooner in real time.
type Job struct {
	ID     string
	ShopID string
	Kind   string // "deliver", …
	// Ref names what the job works on (a delivery, a transaction).
	Ref   string
	DueAt time.Time
	Data  []byte
	// Group names the jobs that share a limit on how many run at once: a
	// delivery's destination (scheme, host and port of its URL). Empty for
	// jobs without such a limit.
	Group string
}

// DeliveryStatus tells whether a notification reached its merchant.
type DeliveryStatus string

// The delivery states.
const (
	DeliveryPending   DeliveryStatus = "pending"
	DeliveryDelivered DeliveryStatus = "delivered"
	DeliveryFailed    DeliveryStatus = "failed" // gave up after the last retry
)

// Delivery is one notification to a merchant, prepared by the front in the
// protocol's format and signed when it was written, so that sending it is
// only a matter of bytes.
type Delivery struct {
	ID            string
	ShopID        string
	EventID       string
	TransactionID string
	OrderRef      string // the merchant's reference, to find it again
	Method        string // GET or POST
	URL           string
	ContentType   string
	Body          []byte
	// RetryBody, when set, is the body of the automatic retries, and
	// ResendBody that of an operator's resend: a protocol may say in the
	// notification why it comes (Lyra's kr-src RETRY and BO).
	RetryBody  []byte
	ResendBody []byte
	// SuccessCodes are the HTTP statuses that acknowledge the
	// notification; none means any 2xx.
	SuccessCodes []int
	// RetryMarks, when set, times the retries at the next multiple of it
	// on the clock (Lyra retries at the next quarter-hour), instead of the
	// gateway's retry delays; MaxAttempts, when set, bounds the attempts
	// instead of the shop's setting.
	RetryMarks  time.Duration
	MaxAttempts int
	Status      DeliveryStatus
	Attempts    int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Acknowledged reports whether an HTTP status acknowledges the delivery.
func (d *Delivery) Acknowledged(status int) bool {
	if len(d.SuccessCodes) == 0 {
		return status >= 200 && status < 300
	}
	for _, c := range d.SuccessCodes {
		if c == status {
			return true
		}
	}
	return false
}

// Attempt is one try at sending a delivery.
type Attempt struct {
	DeliveryID string
	At         time.Time // on the shop's clock
	StatusCode int       // 0 when no answer came
	Error      string
	Duration   time.Duration
	// Answer is the beginning of the body the merchant's server answered,
	// for the merchant to see why a notification was refused: at most
	// MaxAnswer bytes of valid UTF-8, card numbers masked (MaskCards).
	// It is empty when no answer came.
	Answer string
}

// MaxAnswer bounds Attempt.Answer, in bytes: enough for an error message
// or the start of an error page, little enough that the delivery log of a
// busy shop stays small.
const MaxAnswer = 256

// AnswerLookahead is how many bytes past MaxAnswer a sender reads of an
// answer for AnswerExcerpt: the longest card number MaskCards finds, 19
// digits with a separator between each two, spans 37 bytes, so one that
// starts within the excerpt ends within the lookahead and is masked whole
// before the excerpt is cut. Cut first, it could keep as many as 18 of its
// digits, which the Luhn check would most often not find, the number being
// incomplete.
const AnswerLookahead = 36

// AnswerExcerpt returns the Attempt.Answer of an answer whose body begins
// with body: card numbers masked (MaskCards), invalid UTF-8 and NUL
// replaced (StorableText), cut to at most MaxAnswer bytes between two
// characters. body should hold the first MaxAnswer+AnswerLookahead bytes
// of the answer's body, or all of it when shorter. The masking comes
// first, so that a card number the cut goes through is masked all the
// same. AnswerExcerpt of its own result is that result, so that the core
// may apply it again to what any sender reports.
func AnswerExcerpt(body string) string {
	s := StorableText(MaskCards(body))
	if len(s) <= MaxAnswer {
		return s
	}
	n := MaxAnswer
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
