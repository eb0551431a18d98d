// Package guichet holds the domain of the guichet payment gateway: money,
// shops, orders, transactions and their operations, cards and tokens, the
// events they produce, and the contracts (Store, Acquirer, Clock) that the
// engine in internal/core is written against.
//
// The package imports the standard library only, so that every other part
// of the program (the protocol fronts, the stores, the simulated acquirer)
// can depend on it without dragging anything else along.
//
// A transaction moves through these states; the rules that decide each move
// live in internal/core:
//
//	             capture (partial or total, repeated up to the authorized amount)
//	authorized ─────────────────────────────▶ captured ──refund (≤ captured)──▶ refunded
//	    │                                         │
//	    │ cancel                                  │ cancel (before remittance)
//	    ▼                                         ▼
//	cancelled ◀───────────────────────────────────┘
//
//	refused and credit are final from the start.
package guichet
