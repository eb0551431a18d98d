package payline

import (
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/payline/soap"
)

// This file answers about the payment records wallet_record.go opens:
// their instalments as they went, and the changes a merchant makes to
// those to come.

// loadRecord finds the payment record a paymentRecordId names (02507 when
// the shop has none).
func (a *API) loadRecord(c *call, raw string) (*guichet.Order, *record, error) {
	id := strings.TrimSpace(raw)
	if id == "" {
		return nil, nil, invalidFormat("paymentRecordId", "missing")
	}
	if len(id) > 20 || !allDigits(id) {
		return nil, nil, fail("02507")
	}
	o, err := a.svc.Order(c.ctx, c.shop, recordPrefix+id)
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return nil, nil, fail("02507")
	}
	if err != nil {
		return nil, nil, err
	}
	rec := recordOf(o)
	if o.Protocol != protocol || rec == nil {
		return nil, nil, fail("02507")
	}
	c.reference = o.Reference
	return o, rec, nil
}

// ledger is a payment record with its instalments' transactions, oldest
// first, as the answers show them.
type ledger struct {
	o     *guichet.Order
	rec   *record
	paid  []guichet.Transaction
	now   time.Time
	today time.Time // now's date, as the record's dates are
	paris *time.Location
}

func (a *API) ledger(c *call, o *guichet.Order, rec *record) (*ledger, error) {
	list, err := a.svc.Transactions(c.ctx, guichet.TransactionFilter{ShopID: c.shop.ID, OrderID: o.ID, Limit: 10000})
	if err != nil {
		return nil, err
	}
	// Transactions come newest first; numbers tell the order they were
	// made in.
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j].Number < list[j-1].Number; j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
	now := a.svc.Now(c.shop)
	return &ledger{o: o, rec: rec, paid: list, now: now, today: a.svc.DateOf(now), paris: a.svc.Paris()}, nil
}

// done counts the instalments charged.
func (l *ledger) done() int { return len(l.paid) }

// disabled tells a record the merchant disabled, and since when.
func (l *ledger) disabled() (string, string) {
	if l.o.Status == guichet.OrderCancelled {
		return "1", l.o.UpdatedAt.In(l.paris).Format(walletDateLayout)
	}
	return "0", ""
}

// lapsed tells whether instalment k, not charged, never will be: the
// record was disabled, or an instalment from the first not charged to k
// fell due more than recordGrace ago without being charged.
func (l *ledger) lapsed(k int) bool {
	if l.o.Status == guichet.OrderCancelled {
		return true
	}
	date, _, ok := l.rec.occurrence(l.done() + 1)
	if !ok || k <= l.done() {
		return false
	}
	y, m, d := date.Date()
	due := time.Date(y, m, d, 0, 0, 0, 0, l.paris)
	return l.now.After(due.Add(recordGrace))
}

// entry is billing record k, from 1; false when the record has none.
func (l *ledger) entry(k int, layout string) (soap.BillingRecord, bool) {
	date, amount, ok := l.rec.occurrence(k)
	if !ok {
		return soap.BillingRecord{}, false
	}
	b := soap.BillingRecord{Date: date.Format("02/01/2006"), Amount: strconv.FormatInt(amount, 10), Status: billingFuture,
		NbTry: "0", Rank: strconv.Itoa(k)}
	if k <= l.done() {
		t := &l.paid[k-1]
		pr := presenter{paris: l.paris}
		b.Amount, b.Status, b.NbTry = strconv.FormatInt(t.Amount, 10), billingAccepted, "1"
		if t.Status == guichet.StatusRefused {
			b.Status = billingRefused
		}
		b.Result, b.Transaction, b.Authorization = paymentResult(t).wire(), pr.transaction(t, nil, layout), pr.authorization(t, layout)
		return b, true
	}
	if l.lapsed(k) {
		b.Status = billingDisabled
	}
	return b, true
}

// list is the billing records the answers list: all of them, at most
// the hundred the schema allows, around the next one to charge; a record
// without end lists those charged and the next.
func (l *ledger) list(layout string) []soap.BillingRecord {
	last := len(l.rec.Plan)
	if last == 0 {
		last = l.done() + 1
	}
	end := last
	if end > 100 {
		end = min(last, max(100, l.done()+1))
	}
	var out []soap.BillingRecord
	for k := max(1, end-99); k <= end; k++ {
		b, ok := l.entry(k, layout)
		if !ok {
			break
		}
		out = append(out, b)
	}
	return out
}

// echo is what the merchant's request told of the order and its private
// data, for the answers about a record to show.
func (l *ledger) echo() (*soap.Order, *soap.PrivateDataList) {
	m, err := soap.DecodeRequest(l.o.Request)
	if err != nil {
		return nil, nil
	}
	var o *soap.Order
	var p *soap.Payment
	var ref, date string
	var private *soap.PrivateDataList
	switch r := m.(type) {
	case *soap.DoRecurrentWalletPaymentRequest:
		o, p, ref, date, private = r.Order, r.Payment, r.OrderRef, r.OrderDate, r.PrivateDataList
	case *soap.DoScheduledWalletPaymentRequest:
		o, p, ref, date, private = r.Order, r.Payment, r.OrderRef, r.OrderDate, r.PrivateDataList
	default:
		return nil, nil
	}
	if o == nil && p != nil {
		o = &soap.Order{Ref: ref, Amount: p.Amount, Currency: p.Currency, Date: date}
	}
	return echoOrder(o), private
}

// recurring is the recurring object the answers about a record show: as
// the merchant sent and changed it, with the date of the last instalment
// as endDate when the merchant gave none, as the platform fills it.
func (l *ledger) recurring() *soap.Recurring {
	r := l.rec.Recurring
	if n := len(l.rec.Plan); r.EndDate == "" && n > 0 {
		r.EndDate = l.rec.Plan[n-1].Date.Format("02/01/2006")
	}
	return &r
}

// readLedger reads the payment record a call names, with its
// instalments.
func (a *API) readLedger(c *call, contract, id string) (*ledger, error) {
	if err := a.knownContract(c, contract); err != nil {
		return nil, err
	}
	o, rec, err := a.loadRecord(c, id)
	if err != nil {
		return nil, err
	}
	return a.ledger(c, o, rec)
}

// getPaymentRecord describes a payment record and its instalments: those
// charged with their outcome and transaction, the others to come (0) or,
// once the record was disabled, disabled (4).
func (a *API) getPaymentRecord(c *call) (soap.Message, error) {
	r := c.req.(*soap.GetPaymentRecordRequest)
	l, err := a.readLedger(c, r.ContractNumber, r.PaymentRecordID)
	if err != nil {
		return nil, err
	}
	rec := l.rec
	disabled, since := l.disabled()
	order, private := l.echo()
	return &soap.GetPaymentRecordResponse{Result: wireResult("02500"), Recurring: l.recurring(), IsDisabled: disabled,
		DisableDate: since, BillingRecordList: &soap.BillingRecordList{BillingRecord: l.list(layoutDetails)},
		PrivateDataList: private, Order: order, WalletID: rec.WalletID}, nil
}

// disablePaymentRecord stops a payment record: no instalment is charged
// after it, and those left show as disabled (4). A record disabled
// already answers 02508.
func (a *API) disablePaymentRecord(c *call) (soap.Message, error) {
	r := c.req.(*soap.DisablePaymentRecordRequest)
	if err := a.knownContract(c, r.ContractNumber); err != nil {
		return nil, err
	}
	o, _, err := a.loadRecord(c, r.PaymentRecordID)
	if err != nil {
		return nil, err
	}
	if o.Status == guichet.OrderCancelled {
		return nil, fail("02508")
	}
	err = a.svc.CancelRecurring(c.ctx, c.shop, o.ID)
	if guichet.ErrorReason(err) == guichet.ReasonState {
		return nil, fail("02508")
	}
	if err != nil {
		return nil, err
	}
	return &soap.DisablePaymentRecordResponse{Result: wireResult("02500")}, nil
}

// activeRecord finds a payment record that may still change: not
// disabled (02508).
func (a *API) activeRecord(c *call, contract, id string) (*ledger, error) {
	l, err := a.readLedger(c, contract, id)
	if err != nil {
		return nil, err
	}
	if l.o.Status == guichet.OrderCancelled {
		return nil, fail("02508")
	}
	return l, nil
}

// replan gives the core a record's new instalments. Only those not
// charged yet change, and none may fall before today: the core would skip
// it, and the record would lose count of its instalments.
func (a *API) replan(c *call, l *ledger, field string) error {
	rec, done := l.rec, l.done()
	today := l.today
	if len(rec.Plan) > 0 {
		for i := done; i < len(rec.Plan); i++ {
			if rec.Plan[i].Date.Before(today) || i > 0 && !rec.Plan[i].Date.After(rec.Plan[i-1].Date) {
				return invalidField(field)
			}
		}
	} else if date, _, ok := rec.Rule.Occurrence(done + 1); ok && date.Before(today) {
		return invalidField(field)
	}
	content := withRecord(l.o.Content, rec)
	err := a.svc.UpdateRecurring(c.ctx, c.shop, l.o.ID, rec.WalletID, rec.recurrence(), &content)
	if guichet.ErrorReason(err) == guichet.ReasonState {
		return fail("02508")
	}
	if err != nil {
		return err
	}
	l.o.Content = content
	return nil
}

// updatePaymentRecord changes the instalments of a payment record not
// charged yet: their number (billingLeft, the record's total, no fewer than
// those charged), their day of the month (billingDay), the last date
// (endDate), and from a date (amountModificationDate, today when none)
// their amount (newAmount); the first instalment keeps its amount. A
// record without end changes its amount from its next instalment only
// (02010 for a later date).
func (a *API) updatePaymentRecord(c *call) (soap.Message, error) {
	r := c.req.(*soap.UpdatePaymentRecordRequest)
	l, err := a.activeRecord(c, r.ContractNumber, r.PaymentRecordID)
	if err != nil {
		return nil, err
	}
	u := r.Recurring
	if u == nil {
		return nil, invalidFormat("recurring", "missing")
	}
	rec, done := l.rec, l.done()
	rule, plan := rec.Rule, append([]core.Instalment(nil), rec.Plan...)
	echo := rec.Recurring
	if s := strings.TrimSpace(u.BillingDay); s != "" {
		day, err := readCount("recurring.billingDay", s, 31)
		if err != nil {
			return nil, err
		}
		if rule.Freq == core.Monthly || rule.Freq == core.Yearly {
			rule.MonthDay = day
			for k := max(done+1, 2); k <= len(plan); k++ {
				plan[k-1].Date, _, _ = rule.Occurrence(k)
			}
		}
		echo.BillingDay = s
	}
	if s := strings.TrimSpace(u.BillingLeft); s != "" {
		n, err := readCount("recurring.billingLeft", s, maxPlan)
		if err != nil {
			return nil, err
		}
		if n < done {
			return nil, invalidField("recurring.billingLeft")
		}
		rule.Count, rule.Until = n, time.Time{}
		if len(plan) == 0 {
			plan = enumerate(rule)
		}
		ext := rule
		ext.Count = 0
		for k := len(plan) + 1; k <= n; k++ {
			date, amount, _ := ext.Occurrence(k)
			plan = append(plan, core.Instalment{Amount: amount, Date: date})
		}
		plan = plan[:n]
		echo.BillingLeft, echo.EndDate = s, ""
	}
	if s := strings.TrimSpace(u.EndDate); s != "" {
		end, err := readDate("recurring.endDate", s)
		if err != nil {
			return nil, err
		}
		rule.Until = end
		if len(plan) == 0 {
			plan = enumerate(rule)
		}
		for k := done + 1; k <= len(plan); k++ {
			if plan[k-1].Date.After(end) {
				plan = plan[:k-1]
				break
			}
		}
		echo.EndDate = s
	}
	if s := strings.TrimSpace(u.NewAmount); s != "" {
		amount, err := readPositive("recurring.newAmount", s)
		if err != nil {
			return nil, err
		}
		from := l.today
		if m := strings.TrimSpace(u.AmountModificationDate); m != "" {
			if from, err = readDate("recurring.amountModificationDate", m); err != nil {
				return nil, err
			}
		}
		if len(plan) == 0 {
			// A rule changes its amount for all its instalments to
			// come, the first one's aside.
			if next, _, ok := rule.Occurrence(done + 1); ok && from.After(next) {
				return nil, fail("02010")
			}
			if rule.InitialCount == 0 && done == 0 {
				rule.Initial, rule.InitialCount = rule.Amount, 1
			}
			rule.Amount = amount
		}
		for k := max(done+1, 2); k <= len(plan); k++ {
			if !plan[k-1].Date.Before(from) {
				plan[k-1].Amount = amount
			}
		}
		echo.NewAmount, echo.AmountModificationDate = s, from.Format("02/01/2006")
	}
	if len(rec.Plan) > 0 && len(plan) < done {
		return nil, invalidField("recurring")
	}
	rec.Rule, rec.Plan, rec.Recurring = rule, plan, echo
	if err := a.replan(c, l, "recurring"); err != nil {
		return nil, err
	}
	disabled, since := l.disabled()
	order, private := l.echo()
	return &soap.UpdatePaymentRecordResponse{Result: wireResult("02500"), Recurring: l.recurring(), IsDisabled: disabled,
		DisableDate: since, PrivateDataList: private, Order: order, WalletID: rec.WalletID}, nil
}

// billingRank reads a billingRecordId: the rank of an instalment in its
// record, from 1 (billingRecord.rank, which the documentation gives for
// updateBillingRecord to name it by); 02510 when the record has none.
func billingRank(l *ledger, raw string) (int, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return 0, invalidFormat("billingRecordId", "missing")
	}
	k, err := strconv.Atoi(s)
	if err != nil || !allDigits(s) || k < 1 {
		return 0, fail("02510")
	}
	if _, _, ok := l.rec.occurrence(k); !ok || len(l.rec.Plan) == 0 && k > l.done()+1 {
		return 0, fail("02510")
	}
	return k, nil
}

// getBillingRecord describes one instalment of a payment record.
func (a *API) getBillingRecord(c *call) (soap.Message, error) {
	r := c.req.(*soap.GetBillingRecordRequest)
	l, err := a.readLedger(c, r.ContractNumber, r.PaymentRecordID)
	if err != nil {
		return nil, err
	}
	rec := l.rec
	k, err := billingRank(l, r.BillingRecordID)
	if err != nil {
		return nil, err
	}
	b, _ := l.entry(k, layoutDetails)
	disabled, since := l.disabled()
	order, private := l.echo()
	return &soap.GetBillingRecordResponse{Result: wireResult("02500"), Recurring: l.recurring(), IsDisabled: disabled,
		DisableDate: since, BillingRecord: &b, Order: order, PrivateDataList: private, WalletID: rec.WalletID}, nil
}

// updateBillingRecord changes the date or the amount of one instalment not
// charged yet, which must stay between its neighbours and not before
// today. A record without end lists no instalments of its own to change
// (02010); status and executionDate are not changed.
func (a *API) updateBillingRecord(c *call) (soap.Message, error) {
	r := c.req.(*soap.UpdateBillingRecordRequest)
	l, err := a.activeRecord(c, r.ContractNumber, r.PaymentRecordID)
	if err != nil {
		return nil, err
	}
	k, err := billingRank(l, r.BillingRecordID)
	if err != nil {
		return nil, err
	}
	rec := l.rec
	if len(rec.Plan) == 0 {
		return nil, fail("02010")
	}
	if k <= l.done() || l.lapsed(k) {
		return nil, invalidField("billingRecordId")
	}
	u := r.BillingRecordForUpdate
	if u == nil {
		return nil, invalidFormat("billingRecordForUpdate", "missing")
	}
	plan := append([]core.Instalment(nil), rec.Plan...)
	if s := strings.TrimSpace(u.Date); s != "" {
		if plan[k-1].Date, err = readDate("billingRecordForUpdate.date", s); err != nil {
			return nil, err
		}
	}
	if s := strings.TrimSpace(u.Amount); s != "" {
		if plan[k-1].Amount, err = readPositive("billingRecordForUpdate.amount", s); err != nil {
			return nil, err
		}
	}
	rec.Plan = plan
	if err := a.replan(c, l, "billingRecordForUpdate.date"); err != nil {
		return nil, err
	}
	b, _ := l.entry(k, layoutDetails)
	disabled, since := l.disabled()
	order, private := l.echo()
	return &soap.UpdateBillingRecordResponse{Result: wireResult("02500"), Recurring: l.recurring(), IsDisabled: disabled,
		DisableDate: since, BillingRecord: &b, Order: order, PrivateDataList: private, WalletID: rec.WalletID}, nil
}

// billDate is the date of instalment k of the record an order keeps, as
// BILL notifications give it (dd/mm/yyyy); "" when unknown.
func billDate(o *guichet.Order, k int) (string, string) {
	rec := recordOf(o)
	if rec == nil {
		return "", ""
	}
	date, _, ok := rec.occurrence(k)
	if !ok {
		return rec.ID, ""
	}
	return rec.ID, date.Format("02/01/2006")
}
