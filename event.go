package guichet

// EventType names what an event says happened. The core emits these, and
// the fronts' notifiers turn the ones their protocols notify into
// notifications.
type EventType string

// The events of a transaction.
const (
	EventAuthorized     EventType = "transaction.authorized"
	EventRefused        EventType = "transaction.refused"
	EventCredited       EventType = "transaction.credited"
	EventVerified       EventType = "transaction.verified"
	EventCaptured       EventType = "transaction.captured"
	EventCancelled      EventType = "transaction.cancelled"
	EventRefunded       EventType = "transaction.refunded"
	EventAmountUpdated  EventType = "transaction.amount_updated"
	EventCaptureRefused EventType = "transaction.captured_refused"
	EventCancelRefused  EventType = "transaction.cancelled_refused"
	EventRefundRefused  EventType = "transaction.refunded_refused"
	EventUpdateRefused  EventType = "transaction.amount_updated_refused"
	// EventReview is a change of an asynchronous review's state.
	EventReview EventType = "transaction.review"
	// EventKwixoAsked and EventKwixo are a KWIXO payment's requests and
	// outcomes.
	EventKwixoAsked EventType = "transaction.kwixo_asked"
	EventKwixo      EventType = "transaction.kwixo"
	// EventInstalment, EventRenewal and EventRecurring come with the
	// transaction of a later payment of an order paid in several times,
	// a renewal of a subscription, an occurrence of recurring payments.
	EventInstalment EventType = "transaction.instalment"
	EventRenewal    EventType = "transaction.renewal"
	EventRecurring  EventType = "transaction.recurring"
	// EventDeferred is a payment whose card was checked, its
	// authorization asked later (StatusWaiting); EventValidated the
	// merchant's validation of such a payment.
	EventDeferred  EventType = "transaction.deferred"
	EventValidated EventType = "transaction.validated"
	// EventOrderClosed is an order that ended without a payment: its
	// buyer gave up, or it failed before reaching the issuer. Its
	// TransactionID is empty.
	EventOrderClosed EventType = "order.closed"
	// EventInstalmentChanged is a later payment of an order paid in
	// several times that the merchant moved, re-priced or cancelled
	// before it was charged. Its TransactionID is empty.
	EventInstalmentChanged EventType = "order.instalment_changed"
)

// The events of tokens, subscriptions and recurring payments.
const (
	EventTokenCreated          EventType = "token.created"
	EventTokenUpdated          EventType = "token.updated"
	EventTokenDeleted          EventType = "token.deleted"
	EventTokenCancelled        EventType = "token.cancelled"
	EventTokenReactivated      EventType = "token.reactivated"
	EventSubscriptionCreated   EventType = "subscription.created"
	EventSubscriptionCancelled EventType = "subscription.cancelled"
	EventRecurringStarted      EventType = "recurring.started"
	EventRecurringUpdated      EventType = "recurring.updated"
	EventRecurringCancelled    EventType = "recurring.cancelled"
)

// operationEvents are the events of operations on a transaction, approved
// and refused.
var operationEvents = map[OperationKind][2]EventType{
	OpCapture:      {EventCaptured, EventCaptureRefused},
	OpCancel:       {EventCancelled, EventCancelRefused},
	OpRefund:       {EventRefunded, EventRefundRefused},
	OpUpdateAmount: {EventAmountUpdated, EventUpdateRefused},
}

// OperationEvent is the event of an operation on a transaction, approved
// or refused by the acquirer.
func OperationEvent(kind OperationKind, approved bool) EventType {
	e := operationEvents[kind]
	if approved {
		return e[0]
	}
	return e[1]
}
