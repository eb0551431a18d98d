package payline

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/payline/soap"
)

// This file keeps payment records: the payments a wallet makes later, one
// on a date (doScheduledWalletPayment) or in instalments (NX) and by
// subscription (REC) (doRecurrentWalletPayment). A payment record is an
// order of the core whose recurring payments charge the wallet's card at
// the dates of its instalments, 00:00 Paris time on the shop's clock; each
// instalment is one transaction of the order, so that the k-th transaction
// is the outcome of the k-th instalment (billing record). The order keeps
// the record's plan in an extra, and the merchant's request for the
// answers to echo.

// extraRecord is the extra in which a payment record's order keeps the
// record (JSON).
const extraRecord = "paymentRecord"

// recordPrefix makes the ID of a payment record's order from the
// paymentRecordId.
const recordPrefix = "plr_"

// maxPlan is the most instalments a record lists one by one; a record
// without end follows its rule.
const maxPlan = 999

// recordGrace is how long after its due time an instalment may still be
// waiting for the worker. Past it, an instalment not charged will never
// be: the core ends recurring payments whose card was disabled or deleted
// when one falls due, and the record shows it and the later ones as
// disabled (status 4).
const recordGrace = 24 * time.Hour

// The status of a billing record.
const (
	billingFuture   = "0"
	billingAccepted = "1"
	billingRefused  = "2"
	billingDisabled = "4"
)

// record is a payment record as its order keeps it.
type record struct {
	ID       string `json:"id"`
	WalletID string `json:"wallet_id"`
	// Plan lists the instalments, their dates and amounts; a record
	// without end has none, and Rule gives its instalments.
	Plan []core.Instalment `json:"plan,omitempty"`
	Rule core.Recurrence   `json:"rule"`
	// Recurring is the recurring object the answers show, as the
	// merchant sent it and later changed it.
	Recurring soap.Recurring `json:"recurring"`
}

// occurrence is the date and amount of instalment k, from 1.
func (rec *record) occurrence(k int) (time.Time, int64, bool) {
	if len(rec.Plan) > 0 {
		if k < 1 || k > len(rec.Plan) {
			return time.Time{}, 0, false
		}
		p := rec.Plan[k-1]
		return p.Date, p.Amount, true
	}
	return rec.Rule.Occurrence(k)
}

// recurrence is what the core charges: the plan, or the rule of a record
// without end.
func (rec *record) recurrence() core.Recurrence {
	if len(rec.Plan) == 0 {
		return rec.Rule
	}
	total := int64(0)
	for _, p := range rec.Plan {
		total += p.Amount
	}
	return core.Recurrence{First: rec.Plan[0].Date, Plan: rec.Plan, Amount: total}
}

// enumerate lists the instalments of a rule that ends (by count or date),
// up to maxPlan; a rule without end, or with more, lists none.
func enumerate(r core.Recurrence) []core.Instalment {
	if r.Count == 0 && r.Until.IsZero() {
		return nil
	}
	var plan []core.Instalment
	for k := 1; ; k++ {
		date, amount, ok := r.Occurrence(k)
		if !ok {
			return plan
		}
		if k > maxPlan {
			return nil
		}
		plan = append(plan, core.Instalment{Amount: amount, Date: date})
	}
}

// recordOf reads the record an order keeps, nil when the order is not a
// payment record.
func recordOf(o *guichet.Order) *record {
	raw := o.Content.Extra(extraRecord)
	if raw == "" {
		return nil
	}
	var rec record
	if json.Unmarshal([]byte(raw), &rec) != nil || rec.ID == "" {
		return nil
	}
	return &rec
}

// withRecord is content with the record set in its extras.
func withRecord(c guichet.OrderContent, rec *record) guichet.OrderContent {
	raw, _ := json.Marshal(rec)
	extras := make([]guichet.Field, 0, len(c.Extras)+1)
	for _, f := range c.Extras {
		if f.Name != extraRecord {
			extras = append(extras, f)
		}
	}
	c.Extras = append(extras, guichet.Field{Name: extraRecord, Value: string(raw)})
	return c
}

// newRecordID makes a paymentRecordId: twelve digits (N12), the last
// chosen so that the number fails the Luhn check, which keeps the
// exchange log's card masker from taking it for a card number.
func newRecordID() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(9e10))
	body := strconv.FormatInt(1e10+n.Int64(), 10)
	return body + strconv.Itoa((luhnDigit(body)+1)%10)
}

// readDate reads a date dd/mm/yyyy; a time after it (dd/mm/yyyy HH:mm, as
// some clients send start dates) is ignored.
func readDate(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) > 10 {
		s = s[:10]
	}
	d, err := time.Parse("02/01/2006", s)
	if err != nil {
		return time.Time{}, invalidFormat(field, "expected dd/mm/yyyy")
	}
	return d, nil
}

// readCount reads a number of instalments or a day, from 1 to most.
func readCount(field, s string, most int) (int, error) {
	s = strings.TrimSpace(s)
	n, err := strconv.Atoi(s)
	if err != nil || !allDigits(s) {
		return 0, invalidFormat(field, "expected a number")
	}
	if n < 1 || n > most {
		return 0, invalidField(field)
	}
	return n, nil
}

// readPositive reads an amount that must not be zero.
func readPositive(field, s string) (int64, error) {
	n, err := readAmount(field, s)
	if err == nil && n == 0 {
		return 0, invalidField(field)
	}
	return n, err
}

// billingCycles are the periods of recurring.billingCycle, by code [I:
// Monext's frequency list; 30, twice a month, is taken as every 15 days].
var billingCycles = map[string]struct {
	freq     core.Freq
	interval int
}{
	"10": {core.Daily, 1},
	"20": {core.Weekly, 1},
	"30": {core.Daily, 15},
	"40": {core.Monthly, 1},
	"50": {core.Monthly, 2},
	"60": {core.Monthly, 3},
	"70": {core.Monthly, 6},
	"80": {core.Yearly, 1},
	"90": {core.Yearly, 2},
}

// readRecurring reads the recurring object of a doRecurrentWalletPayment
// into a record's rule and plan: the first instalment (firstAmount, else
// amount) on startDate (today when none, never before), the next ones
// every billingCycle on billingDay, billingLeft of them (mandatory in NX)
// or until endDate; payment.amount must be their sum (02509).
func readRecurring(r *soap.Recurring, mode string, total int64, today time.Time) (*record, error) {
	if r == nil {
		return nil, invalidFormat("recurring", "missing")
	}
	amount, err := readPositive("recurring.amount", r.Amount)
	if err != nil {
		return nil, err
	}
	first := amount
	if strings.TrimSpace(r.FirstAmount) != "" {
		if first, err = readPositive("recurring.firstAmount", r.FirstAmount); err != nil {
			return nil, err
		}
	}
	code := strings.TrimSpace(r.BillingCycle)
	if code == "" {
		return nil, invalidFormat("recurring.billingCycle", "missing")
	}
	cycle, ok := billingCycles[code]
	if !ok {
		return nil, invalidField("recurring.billingCycle")
	}
	rule := core.Recurrence{First: today, Freq: cycle.freq, Interval: cycle.interval, Amount: amount}
	if first != amount {
		rule.Initial, rule.InitialCount = first, 1
	}
	switch left := strings.TrimSpace(r.BillingLeft); {
	case left != "":
		if rule.Count, err = readCount("recurring.billingLeft", left, maxPlan); err != nil {
			return nil, err
		}
	case mode == modeNX:
		return nil, invalidFormat("recurring.billingLeft", "mandatory with mode NX")
	}
	if day := strings.TrimSpace(r.BillingDay); day != "" {
		if rule.MonthDay, err = readCount("recurring.billingDay", day, 31); err != nil {
			return nil, err
		}
		if rule.Freq != core.Monthly && rule.Freq != core.Yearly {
			// A day of the month means nothing to a daily or weekly
			// cycle.
			rule.MonthDay = 0
		}
	}
	if s := strings.TrimSpace(r.StartDate); s != "" {
		if rule.First, err = readDate("recurring.startDate", s); err != nil {
			return nil, err
		}
		if rule.First.Before(today) {
			return nil, invalidField("recurring.startDate")
		}
	}
	if s := strings.TrimSpace(r.EndDate); s != "" {
		if rule.Until, err = readDate("recurring.endDate", s); err != nil {
			return nil, err
		}
		if rule.Until.Before(rule.First) {
			return nil, invalidField("recurring.endDate")
		}
	}
	if rule.Count > 0 && total != first+int64(rule.Count-1)*amount {
		return nil, fail("02509")
	}
	echo := *r
	echo.StartDate = rule.First.Format("02/01/2006")
	return &record{Plan: enumerate(rule), Rule: rule, Recurring: echo}, nil
}

// openRecord starts a payment record on a wallet: its order, and the
// recurring payments that charge its instalments, the first at once when
// it falls due today.
func (a *API) openRecord(c *call, rec *record, ref string, money guichet.Money, k *Contract, o *soap.Order, private *soap.PrivateDataList) (*guichet.Order, error) {
	if _, err := a.usableWallet(c, rec.WalletID); err != nil {
		return nil, err
	}
	rec.ID = newRecordID()
	request, err := kept(c.req)
	if err != nil {
		return nil, err
	}
	return a.startRecord(c.ctx, c.shop, rec, ref, money, request, content(nil, o, private),
		guichet.Field{Name: extraContract, Value: k.Number})
}

// startRecord opens the order of a payment record, with the request it
// echoes and its content, and starts the recurring payments that charge
// its instalments, the first at once when it falls due today.
func (a *API) startRecord(ctx context.Context, shop *guichet.Shop, rec *record, ref string, money guichet.Money, request []byte,
	c guichet.OrderContent, extras ...guichet.Field) (*guichet.Order, error) {
	order := &guichet.Order{ID: recordPrefix + rec.ID, Protocol: protocol, Reference: ref, Amount: money, Request: request, Content: c}
	order.Content.Extras = append(extras, guichet.Field{Name: extraWalletID, Value: rec.WalletID})
	order.Content = withRecord(order.Content, rec)
	if err := a.svc.StartRecurringDue(ctx, shop, order, rec.WalletID, rec.recurrence()); err != nil {
		return nil, err
	}
	return order, nil
}

// recordPayment reads what the scheduled and recurrent payments share:
// the payment (100 or 101; each instalment is captured, as the core's
// recurring payments are), its contract, the order's reference and the
// wallet.
func (a *API) recordPayment(c *call, p *soap.Payment, orderRef string, o *soap.Order, walletID, cardInd string, private *soap.PrivateDataList,
	modes ...string) (payment, *Contract, string, string, error) {
	now := a.svc.Now(c.shop)
	pay, err := readPayment(p, now.In(a.svc.Paris()), actionAuthorize, actionAuthorizeCharge)
	if err != nil {
		return pay, nil, "", "", err
	}
	modeOK := false
	for _, m := range modes {
		modeOK = modeOK || pay.mode == m
	}
	if !modeOK {
		return pay, nil, "", "", invalidField("payment.mode")
	}
	ref := strings.TrimSpace(orderRef)
	if ref == "" && o != nil {
		ref = strings.TrimSpace(o.Ref)
	}
	if ref == "" {
		return pay, nil, "", "", invalidFormat("orderRef", "missing")
	}
	c.reference = ref
	if err := readPrivateData(private); err != nil {
		return pay, nil, "", "", err
	}
	k, err := a.cardContract(c, pay.contract)
	if err != nil {
		return pay, nil, "", "", err
	}
	id, err := readWalletID("walletId", walletID)
	if err != nil {
		return pay, nil, "", "", err
	}
	if err := readCardInd(cardInd); err != nil {
		return pay, nil, "", "", err
	}
	return pay, k, ref, id, nil
}

// doScheduledWalletPayment pays with a wallet's card on a date
// (scheduledDate, dd/mm/yyyy, today or later): a payment record of one
// instalment, charged at 00:00 Paris time that day on the shop's clock, at
// once when it is today.
func (a *API) doScheduledWalletPayment(c *call) (soap.Message, error) {
	r := c.req.(*soap.DoScheduledWalletPaymentRequest)
	pay, k, ref, id, err := a.recordPayment(c, r.Payment, r.OrderRef, r.Order, r.WalletID, r.CardInd, r.PrivateDataList, modeFull)
	if err != nil {
		return nil, err
	}
	if pay.money.Amount == 0 {
		return nil, invalidField("payment.amount")
	}
	if strings.TrimSpace(r.ScheduledDate) == "" {
		return nil, invalidFormat("scheduledDate", "missing")
	}
	date, err := readDate("scheduledDate", r.ScheduledDate)
	if err != nil {
		return nil, err
	}
	if date.Before(a.svc.Today(c.shop)) {
		return nil, invalidField("scheduledDate")
	}
	amount := strconv.FormatInt(pay.money.Amount, 10)
	rec := &record{WalletID: id, Plan: []core.Instalment{{Amount: pay.money.Amount, Date: date}},
		Rule:      core.Recurrence{First: date, Freq: core.Daily, Interval: 1, Count: 1, Amount: pay.money.Amount},
		Recurring: soap.Recurring{FirstAmount: amount, Amount: amount, BillingLeft: "1", StartDate: date.Format("02/01/2006")}}
	if _, err := a.openRecord(c, rec, ref, pay.money, k, r.Order, r.PrivateDataList); err != nil {
		return nil, err
	}
	return &soap.DoScheduledWalletPaymentResponse{Result: wireResult("02500"), PaymentRecordID: rec.ID}, nil
}

// doRecurrentWalletPayment pays with a wallet's card in instalments (NX)
// or by subscription (REC): a payment record whose instalments the clock
// charges, the first at once when it falls due today. The answer lists
// the instalments as they stand.
func (a *API) doRecurrentWalletPayment(c *call) (soap.Message, error) {
	r := c.req.(*soap.DoRecurrentWalletPaymentRequest)
	pay, k, ref, id, err := a.recordPayment(c, r.Payment, r.OrderRef, r.Order, r.WalletID, r.CardInd, r.PrivateDataList, modeNX, modeRecurring)
	if err != nil {
		return nil, err
	}
	rec, err := readRecurring(r.Recurring, pay.mode, pay.money.Amount, a.svc.Today(c.shop))
	if err != nil {
		return nil, err
	}
	rec.WalletID = id
	o, err := a.openRecord(c, rec, ref, pay.money, k, r.Order, r.PrivateDataList)
	if err != nil {
		return nil, err
	}
	l, err := a.ledger(c, o, rec)
	if err != nil {
		return nil, err
	}
	return &soap.DoRecurrentWalletPaymentResponse{Result: wireResult("02500"), PaymentRecordID: rec.ID,
		BillingRecordList: &soap.BillingRecordList{BillingRecord: l.list(layoutDirect)}}, nil
}
