package backoffice

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/checkout"
	"guichet/internal/core"
)

// pageSize is how many transactions a page of the journal lists.
const pageSize = 50

// fronts are the protocols a transaction may come through, with their
// names in the journal.
var fronts = []option{
	{"paybox-direct", "Paybox Direct"}, {"paybox-system", "Paybox System"}, {"lyra", "Lyra"},
	{"payline", "Payline"}, {"smoney", "S-money"},
}

var statuses = []guichet.Status{
	guichet.StatusAuthorized, guichet.StatusCaptured, guichet.StatusCancelled, guichet.StatusRefunded,
	guichet.StatusRefused, guichet.StatusCredited, guichet.StatusVerified, guichet.StatusWaiting,
}

type option struct{ Value, Label string }

type journalData struct {
	Filter  url.Values
	Shops   []option
	Fronts  []option
	States  []option
	Reviews []option
	Rows    []row
	// Next is the address of the next page, empty on the last one.
	Next  string
	Error string
}

// row is a transaction as the journal lists it.
type row struct {
	ID, Date, Reference, Front, Method, Amount, Status, Card, Shop string
	// Info is the journal's "?" column: the review's state, 3-D Secure's
	// outcome.
	Info    []string
	Actions []guichet.OperationKind
	// Dispute says a KWIXO dispute may be opened or moved on now.
	Dispute bool
}

func (o *Office) journal(v *visit) error {
	q := v.r.URL.Query()
	f, err := o.journalFilter(q)
	d := journalData{Filter: q, Fronts: fronts}
	if err != nil {
		d.Error = guichet.ErrorMessage(err)
	}
	shops, err := o.visibleShops(v)
	if err != nil {
		return err
	}
	byID := map[string]*guichet.Shop{}
	for i := range shops {
		byID[shops[i].ID] = &shops[i]
		d.Shops = append(d.Shops, option{shops[i].ID, shops[i].Name})
	}
	for _, s := range statuses {
		d.States = append(d.States, option{string(s), texts[v.lang]["status."+string(s)]})
	}
	for _, code := range []string{"200", "201", "301", "302", "600", "601", "602", "603", "701", "801"} {
		d.Reviews = append(d.Reviews, option{code, code + " " + guichet.ReviewStates[code]})
	}
	var list []guichet.Transaction
	if d.Error == "" {
		if list, err = o.svc.Journal(v.ctx, v.user, f); err != nil {
			return err
		}
	}
	for i := range list {
		t := &list[i]
		d.Rows = append(d.Rows, o.row(v.lang, byID[t.ShopID], t))
	}
	if len(list) == pageSize {
		last := list[len(list)-1]
		next := url.Values{}
		for k, vs := range q {
			next[k] = vs
		}
		next.Set("after", fmt.Sprintf("%d-%d", last.CreatedAt.UnixNano(), last.Number))
		d.Next = "/backoffice/?" + next.Encode()
	}
	o.render(v, "journal", d, 0)
	return nil
}

// visibleShops lists the shops the user sees.
func (o *Office) visibleShops(v *visit) ([]guichet.Shop, error) {
	all, err := o.svc.Shops(v.ctx)
	if err != nil {
		return nil, err
	}
	var out []guichet.Shop
	for _, s := range all {
		if v.user.Sees(s.ID) {
			out = append(out, s)
		}
	}
	return out, nil
}

// journalFilter reads the journal's filters from a query. Dates are days
// in Paris, where the platforms' days begin and end, on the shop clock
// that timed the transactions.
func (o *Office) journalFilter(q url.Values) (guichet.JournalFilter, error) {
	f := guichet.JournalFilter{ShopID: q.Get("shop"), Front: q.Get("front"), Status: guichet.Status(q.Get("status")),
		Review: q.Get("review"), Reference: strings.TrimSpace(q.Get("reference")), Card: strings.TrimSpace(q.Get("card")),
		Limit: pageSize}
	bad := func(param, msg string) (guichet.JournalFilter, error) {
		return guichet.JournalFilter{}, &guichet.Error{Code: guichet.CodeInvalid, Param: param, Message: msg}
	}
	if s := strings.TrimSpace(q.Get("amount")); s != "" {
		eur, _ := guichet.CurrencyByCode("EUR")
		n, err := guichet.ParseAmount(strings.Replace(s, ",", ".", 1), eur)
		if err != nil {
			return bad("amount", "amount: "+guichet.ErrorMessage(err))
		}
		f.Amount = n
	}
	day := func(param string) (time.Time, error) {
		return time.ParseInLocation("2006-01-02", q.Get(param), o.svc.Paris())
	}
	if q.Get("from") != "" {
		t, err := day("from")
		if err != nil {
			return bad("from", "from: a date is written YYYY-MM-DD")
		}
		f.From = t
	}
	if q.Get("to") != "" {
		t, err := day("to")
		if err != nil {
			return bad("to", "to: a date is written YYYY-MM-DD")
		}
		// The last day is included.
		f.To = t.AddDate(0, 0, 1)
	}
	if s := q.Get("after"); s != "" {
		at, num, ok := strings.Cut(s, "-")
		ns, err1 := strconv.ParseInt(at, 10, 64)
		n, err2 := strconv.ParseInt(num, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			return bad("after", "after: not a page of this journal")
		}
		f.After = &guichet.JournalCursor{CreatedAt: time.Unix(0, ns), Number: n}
	}
	return f, nil
}

func (o *Office) row(lang string, shop *guichet.Shop, t *guichet.Transaction) row {
	r := row{ID: t.ID, Date: t.CreatedAt.In(o.svc.Paris()).Format("2006-01-02 15:04:05"), Reference: t.Reference,
		Front: frontName(t.Front), Method: method(t), Amount: amount(t.Amount, t.Currency, lang),
		Status: texts[lang]["status."+string(t.Status)], Card: t.Card.Masked}
	if shop != nil {
		r.Shop = shop.Name
		for _, a := range o.svc.Actions(shop, t) {
			if a.Refusal == nil {
				r.Actions = append(r.Actions, a.Kind)
			}
		}
	}
	r.Info = info(lang, t)
	r.Dispute = len(core.Disputes(t)) > 0
	return r
}

func frontName(front string) string {
	for _, f := range fronts {
		if f.Value == front {
			return f.Label
		}
	}
	return front
}

func method(t *guichet.Transaction) string {
	m := t.Method
	if m == "" {
		m = string(t.Card.Brand)
	}
	if t.Option != "" {
		m += " " + t.Option
	}
	return m
}

// info is what the journal's "?" column tells of a transaction.
func info(lang string, t *guichet.Transaction) []string {
	var out []string
	if t.Review != "" {
		out = append(out, t.Review+" "+guichet.ReviewStates[t.Review])
	}
	if t.ThreeDS != "" {
		out = append(out, "3-D Secure "+t.ThreeDS)
	}
	return out
}

func amount(n int64, currency, lang string) string {
	c, ok := guichet.CurrencyByCode(currency)
	if !ok {
		return strconv.FormatInt(n, 10) + " " + currency
	}
	return checkout.Amount(n, c, lang)
}
