package payline

import (
	"fmt"
	"strings"
	"time"

	"guichet"
	"guichet/internal/payline/soap"
)

// This file runs the extended service: the details of a transaction,
// searches, and fraud alerts.

// opType is how the platform names the kind of an operation in a
// transaction's details, with the action code that makes it.
func opType(t *guichet.Transaction, op *guichet.Operation) (typ, action string) {
	switch op.Kind {
	case guichet.OpAuthorize:
		if op.ID == t.First().ID && capturedAtOnce(t) {
			return "AUTHOR+CAP", actionAuthorizeCharge
		}
		return "AUTHOR", actionAuthorize
	case guichet.OpVerify:
		return "AUTHOR", actionVerify
	case guichet.OpCapture:
		return "CAPTURE", actionCapture
	case guichet.OpRefund:
		return "REFUND", actionRefund
	case guichet.OpCredit:
		return "CREDIT", actionCredit
	case guichet.OpCancel:
		return "RESET", ""
	}
	return strings.ToUpper(string(op.Kind)), ""
}

// capturedAtOnce tells a payment captured with its authorization (101):
// the core records the capture as a second operation of the same
// instant, which no front named. The platform shows both as one
// transaction, AUTHOR+CAP.
func capturedAtOnce(t *guichet.Transaction) bool {
	ops := t.Operations
	return len(ops) > 1 && ops[1].Kind == guichet.OpCapture && ops[1].Ref == "" && ops[1].CreatedAt.Equal(ops[0].CreatedAt)
}

// shown are the operations of a transaction the platform lists: all but
// the capture that came with the authorization.
func shown(t *guichet.Transaction) []guichet.Operation {
	if capturedAtOnce(t) {
		return append([]guichet.Operation{t.Operations[0]}, t.Operations[2:]...)
	}
	return t.Operations
}

// contractOf is the contract a transaction's order was paid under: the
// method the buyer chose on the page, or the one doAuthorization named.
func contractOf(o *guichet.Order) string {
	if o == nil {
		return ""
	}
	if k := o.Content.Extra(extraContract); k != "" {
		return k
	}
	return o.Method
}

// original is what the merchant's request that opened an order said of the
// order, the buyer and the private data, for the details to echo.
func original(o *guichet.Order) (*soap.Order, *soap.Buyer, *soap.PrivateDataList) {
	if o == nil || len(o.Request) == 0 {
		return nil, nil, nil
	}
	m, err := soap.DecodeRequest(o.Request)
	if err != nil {
		return nil, nil, nil
	}
	switch r := m.(type) {
	case *soap.DoWebPaymentRequest:
		return r.Order, r.Buyer, r.PrivateDataList
	case *soap.DoAuthorizationRequest:
		return r.Order, r.Buyer, r.PrivateDataList
	case *soap.DoReAuthorizationRequest:
		return r.Order, nil, r.PrivateDataList
	}
	return nil, nil, nil
}

// getTransactionDetails gives a transaction, found by the identifier of
// one of its operations or by the merchant's order reference (the latest
// then), with its operations.
func (a *API) getTransactionDetails(c *call) (soap.Message, error) {
	r := c.req.(*soap.GetTransactionDetailsRequest)
	var t *guichet.Transaction
	var o *guichet.Order
	id := strings.TrimSpace(r.TransactionID)
	switch {
	case id != "":
		var err error
		if t, o, err = a.transaction(c, id); err != nil {
			return nil, err
		}
	case strings.TrimSpace(r.OrderRef) != "":
		list, err := a.svc.OrderTransactions(c.ctx, c.shop, strings.TrimSpace(r.OrderRef))
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, fail("02604")
		}
		t, o = list[0].Transaction, list[0].Order
		c.reference = t.Reference
	default:
		return nil, invalidFormat("transactionId", "missing")
	}
	op := t.First()
	for i := range t.Operations {
		if t.Operations[i].Ref == id {
			op = &t.Operations[i]
		}
	}
	pr := presenter{paris: a.svc.Paris()}
	res := paymentResult(t)
	if op != t.First() {
		res = result("00000")
		if !op.Approved {
			res = result(paylineCode(op.Code))
		}
	}
	typ, action := opType(t, op)
	tr := pr.transaction(t, op, layoutDetails)
	tr.Type = typ
	ord, buyer, private := original(o)
	ord = echoOrder(ord)
	contract := contractOf(o)
	out := &soap.GetTransactionDetailsResponse{Result: res.wire(), Transaction: tr,
		Payment: &soap.Payment{Amount: fmt.Sprint(op.Amount), Currency: numericCurrency(t.Currency), Action: action, Mode: modeFull,
			ContractNumber: contract},
		Authorization: pr.authorization(t, layoutDirect), Order: ord, Buyer: buyer, PrivateDataList: private,
		Card: card(t.Card, ""), ExtendedCard: extendedCard(t.Card), ContractNumber: contract, BankAccountData: bankAccount(t),
		AssociatedTransactionsList: pr.associated(t)}
	if t.Card.Masked != "" {
		out.Payment.Method = "CB"
		out.Payment.CardBrand = cardType(t.Card.Brand)
	}
	if strings.EqualFold(strings.TrimSpace(r.TransactionHistory), "Y") {
		out.StatusHistoryList = pr.history(t)
	}
	if k := c.acct.contract(contract); k != nil && k.PointOfSale != "" {
		// guichet's points of sale have no number of their own: the
		// label names them.
		out.PointOfSell = &soap.PointOfSell{ID: k.PointOfSale, Label: k.PointOfSale}
	}
	return out, nil
}

// associated lists a transaction's operations, as the details do.
func (p presenter) associated(t *guichet.Transaction) *soap.AssociatedTransactionsList {
	l := &soap.AssociatedTransactionsList{}
	origin := t.First().Ref
	for _, op := range shown(t) {
		typ, _ := opType(t, &op)
		l.AssociatedTransactions = append(l.AssociatedTransactions, soap.AssociatedTransactions{TransactionID: op.Ref, Type: typ,
			Date: p.date(op.CreatedAt, layoutDetails), Amount: fmt.Sprint(op.Amount), Status: opStatus(op),
			OriginTransactionID: origin, Currency: numericCurrency(t.Currency)})
	}
	return l
}

// history is a transaction's status history: one entry per operation.
func (p presenter) history(t *guichet.Transaction) *soap.StatusHistoryList {
	l := &soap.StatusHistoryList{}
	origin := t.First().Ref
	for _, op := range shown(t) {
		l.StatusHistory = append(l.StatusHistory, soap.StatusHistory{TransactionID: op.Ref, Date: p.date(op.CreatedAt, layoutDetails),
			Amount: fmt.Sprint(op.Amount), Fees: "0", Status: opStatus(op), OriginTransactionID: origin,
			AmountValue: fmt.Sprint(op.Amount), AmountCurrency: numericCurrency(t.Currency)})
	}
	return l
}

func opStatus(op guichet.Operation) string {
	if op.Approved {
		return "ACCEPTED"
	}
	return "REFUSED"
}

// searchLimit is the most transactions a search lists.
const searchLimit = 5000

// transactionsSearch lists the merchant's transactions of a period
// (startDate and endDate, dd/mm/yyyy), narrowed by the criteria given.
func (a *API) transactionsSearch(c *call) (soap.Message, error) {
	r := c.req.(*soap.TransactionsSearchRequest)
	loc := a.svc.Paris()
	start, err := searchDate("startDate", r.StartDate, loc)
	if err != nil {
		return nil, err
	}
	end, err := searchDate("endDate", r.EndDate, loc)
	if err != nil {
		return nil, err
	}
	end = end.AddDate(0, 0, 1)
	if !end.After(start) {
		return nil, fail("02312")
	}
	f := guichet.TransactionFilter{ShopID: c.shop.ID, Reference: strings.TrimSpace(r.OrderRef), Limit: searchLimit + 1}
	list, err := a.svc.Transactions(c.ctx, f)
	if err != nil {
		return nil, err
	}
	pr := presenter{paris: loc}
	out := &soap.TransactionList{}
	for i := range list {
		t := &list[i]
		if t.CreatedAt.Before(start) || !t.CreatedAt.Before(end) || !matches(r, t) {
			continue
		}
		tr := pr.transaction(t, nil, layoutDetails)
		typ, action := opType(t, t.First())
		tr.Type, tr.OrderReference = typ, t.Reference
		tr.Payment = &soap.Payment{Amount: fmt.Sprint(t.Amount), Currency: numericCurrency(t.Currency), Action: action, Mode: modeFull}
		tr.Card = card(t.Card, "")
		out.Transaction = append(out.Transaction, *tr)
	}
	switch {
	case len(out.Transaction) == 0:
		return nil, fail("02310")
	case len(out.Transaction) > searchLimit:
		return nil, fail("02311")
	}
	return &soap.TransactionsSearchResponse{Result: wireResult("00000"), TransactionList: out}, nil
}

// searchDate reads a date of a search, dd/mm/yyyy, in Paris time: the
// day it names, whatever time follows it (clients send dd/mm/yyyy HH:mm).
func searchDate(field, s string, loc *time.Location) (time.Time, error) {
	s, _, _ = strings.Cut(strings.TrimSpace(s), " ")
	if s == "" {
		return time.Time{}, invalidFormat(field, "missing")
	}
	d, err := time.ParseInLocation("02/01/2006", s, loc)
	if err != nil {
		return time.Time{}, invalidFormat(field, "expected dd/mm/yyyy")
	}
	return d, nil
}

// matches tells whether a transaction meets a search's other criteria.
func matches(r *soap.TransactionsSearchRequest, t *guichet.Transaction) bool {
	if id := strings.TrimSpace(r.TransactionID); id != "" {
		found := false
		for _, op := range t.Operations {
			found = found || op.Ref == id
		}
		if !found {
			return false
		}
	}
	if n := strings.TrimSpace(r.AuthorizationNumber); n != "" && n != t.AuthCode {
		return false
	}
	if cur := strings.TrimSpace(r.Currency); cur != "" && cur != numericCurrency(t.Currency) {
		return false
	}
	if min := strings.TrimSpace(r.MinAmount); min != "" {
		if n, err := readAmount("minAmount", min); err == nil && t.Amount < n {
			return false
		}
	}
	if max := strings.TrimSpace(r.MaxAmount); max != "" {
		if n, err := readAmount("maxAmount", max); err == nil && t.Amount > n {
			return false
		}
	}
	if code := strings.TrimSpace(r.ReturnCode); code != "" && code != paymentResult(t).Code {
		return false
	}
	return true
}

// getAlertDetails tells of a fraud alert. guichet's fraud screening
// raises none, so that every alert is unknown (04301, "Data not found").
func (a *API) getAlertDetails(c *call) (soap.Message, error) {
	r := c.req.(*soap.GetAlertDetailsRequest)
	if strings.TrimSpace(r.AlertID) == "" {
		return nil, invalidFormat("AlertId", "missing")
	}
	return nil, fail("04301")
}
