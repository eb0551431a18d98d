// Package core is guichet's engine. It owns every business rule: which
// operation a transaction accepts in which state, how amounts may move, when
// funds are remitted, what a token may do. Fronts translate their protocols
// into calls on Service; stores persist what Service decides.
//
// Each operation follows the same shape. Service checks the request against
// the transaction as last committed, calls the acquirer outside any
// database transaction, then applies the result inside Store.Update, where
// the rules are checked again against the locked transaction. The second
// check is the one that counts: it is what keeps captured ≤ authorized and
// refunded ≤ captured however many requests race on one transaction.
package core
