package backoffice

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/core"
)

type transactionData struct {
	D       *core.Dossier
	Summary row
	Paid    string // what was captured and refunded, formatted
	Forms   []actionForm
	// Disputes are the steps the KWIXO dispute of the payment allows now.
	Disputes []core.DisputeAction
	// Key is the request key of this page's forms: a form sent twice
	// (a double click, a reload) is applied once.
	Key  string
	Done string
	// Error is what the core refused, shown beside the form that asked.
	Error, ErrorKind string
}

// actionForm is one operation's form: its default amount, as a decimal
// number for the input, and why the rules refuse it now, if they do.
type actionForm struct {
	Kind    guichet.OperationKind
	Amount  string
	Max     string
	Refusal string
}

// dossier loads a transaction the user may see. Another merchant's
// transaction is not found, as if it did not exist, so that IDs cannot be
// probed.
func (o *Office) dossier(v *visit) (*core.Dossier, error) {
	d, err := o.svc.Dossier(v.ctx, v.r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !v.user.Sees(d.Shop.ID) {
		return nil, guichet.Errorf(guichet.CodeNotFound, "no such transaction")
	}
	return d, nil
}

func (o *Office) transaction(v *visit) error {
	d, err := o.dossier(v)
	if err != nil {
		return err
	}
	o.showTransaction(v, d, "", "", v.r.URL.Query().Get("done"), 0)
	return nil
}

func (o *Office) showTransaction(v *visit, d *core.Dossier, errKind, errText, done string, status int) {
	t := d.Transaction
	data := transactionData{D: d, Summary: o.row(v.lang, d.Shop, t), Key: newKey(), Error: errText, ErrorKind: errKind,
		Done: done}
	data.Paid = fmt.Sprintf("%s / %s", amount(t.Captured, t.Currency, v.lang), amount(t.Refunded, t.Currency, v.lang))
	c, _ := guichet.CurrencyByCode(t.Currency)
	for _, a := range o.svc.Actions(d.Shop, t) {
		f := actionForm{Kind: a.Kind, Amount: guichet.FormatAmount(max(a.Amount, 0), c), Max: guichet.FormatAmount(max(a.Amount, 0), c)}
		if a.Refusal != nil {
			f.Refusal = guichet.ErrorMessage(a.Refusal)
		}
		data.Forms = append(data.Forms, f)
	}
	data.Disputes = core.Disputes(t)
	o.render(v, "transaction", data, status)
}

func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// operate captures, cancels or refunds through the core's rules, the same
// a front's request meets. A refusal is shown next to the form; nothing
// is applied twice for one page's form, whatever the clicks.
func (o *Office) operate(v *visit) error {
	d, err := o.dossier(v)
	if err != nil {
		return err
	}
	t := d.Transaction
	kind := guichet.OperationKind(v.r.PostFormValue("kind"))
	switch kind {
	case guichet.OpCapture, guichet.OpCancel, guichet.OpRefund:
	default:
		o.showTransaction(v, d, "", texts[v.lang]["unknownOperation"], "", http.StatusBadRequest)
		return nil
	}
	key := v.r.PostFormValue("key")
	if len(key) != 32 {
		o.showTransaction(v, d, string(kind), texts[v.lang]["staleForm"], "", http.StatusBadRequest)
		return nil
	}
	c, _ := guichet.CurrencyByCode(t.Currency)
	n, err := guichet.ParseAmount(strings.Replace(strings.TrimSpace(v.r.PostFormValue("amount")), ",", ".", 1), c)
	if err == nil {
		_, op, opErr := o.svc.Operate(v.ctx, core.OperationRequest{Shop: d.Shop, Kind: kind, Number: t.Number,
			Amount: guichet.Money{Amount: n, Currency: t.Currency}, RequestKey: "backoffice:" + key})
		err = opErr
		if err == nil && !op.Approved {
			err = guichet.Errorf(guichet.CodeConflict, "the acquirer refused the operation (code %s)", op.Code)
		}
	}
	outcome := "done"
	if err != nil {
		outcome = "refused: " + guichet.ErrorMessage(err)
	}
	if guichet.ErrorCode(err) == guichet.CodeInternal || guichet.ErrorCode(err) == guichet.CodeUnavailable {
		return err
	}
	if rerr := o.svc.Record(v.ctx, guichet.AuditEntry{User: v.user.Name, ShopID: d.Shop.ID, TransactionID: t.ID, Action: string(kind),
		Detail: fmt.Sprintf("%s: %s", amount(n, t.Currency, "en"), outcome)}); rerr != nil {
		return rerr
	}
	if err != nil {
		msg := guichet.ErrorMessage(err)
		if guichet.ErrorReason(err) == guichet.ReasonDuplicate {
			msg = texts[v.lang]["staleForm"]
		}
		if d, err = o.dossier(v); err != nil {
			return err
		}
		o.showTransaction(v, d, string(kind), msg, "", http.StatusConflict)
		return nil
	}
	http.Redirect(v.w, v.r, "/backoffice/transactions/"+t.ID+"?done="+string(kind), http.StatusSeeOther)
	return nil
}

// dispute moves the KWIXO dispute of the payment one step.
func (o *Office) dispute(v *visit) error {
	d, err := o.dossier(v)
	if err != nil {
		return err
	}
	action := core.DisputeAction(v.r.PostFormValue("action"))
	_, err = o.svc.Dispute(v.ctx, d.Shop, d.Transaction.ID, action)
	if c := guichet.ErrorCode(err); c != "" && c != guichet.CodeConflict {
		return err
	}
	outcome := "done"
	if err != nil {
		outcome = "refused: " + guichet.ErrorMessage(err)
	}
	if rerr := o.svc.Record(v.ctx, guichet.AuditEntry{User: v.user.Name, ShopID: d.Shop.ID, TransactionID: d.Transaction.ID,
		Action: "dispute " + string(action), Detail: outcome}); rerr != nil {
		return rerr
	}
	if err != nil {
		if d, err2 := o.dossier(v); err2 == nil {
			o.showTransaction(v, d, "dispute", guichet.ErrorMessage(err), "", http.StatusConflict)
			return nil
		}
		return err
	}
	http.Redirect(v.w, v.r, "/backoffice/transactions/"+d.Transaction.ID+"?done=dispute", http.StatusSeeOther)
	return nil
}

// resend sends a notification of the transaction again.
func (o *Office) resend(v *visit) error {
	d, err := o.dossier(v)
	if err != nil {
		return err
	}
	id := v.r.PathValue("delivery")
	found := false
	for _, n := range d.Notifications {
		found = found || n.ID == id
	}
	if !found {
		return guichet.Errorf(guichet.CodeNotFound, "no such notification")
	}
	if _, err := o.svc.Resend(v.ctx, d.Shop, id); err != nil {
		return err
	}
	if err := o.svc.Record(v.ctx, guichet.AuditEntry{User: v.user.Name, ShopID: d.Shop.ID, TransactionID: d.Transaction.ID,
		Action: "resend", Detail: "notification " + id}); err != nil {
		return err
	}
	http.Redirect(v.w, v.r, "/backoffice/transactions/"+d.Transaction.ID+"?done=resend", http.StatusSeeOther)
	return nil
}

// exchange downloads one recorded exchange of the transaction, masked as
// it was recorded.
func (o *Office) exchange(v *visit) error {
	d, err := o.dossier(v)
	if err != nil {
		return err
	}
	for _, e := range d.Exchanges {
		if e.ID != v.r.PathValue("exchange") {
			continue
		}
		v.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		v.w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.txt"`, e.ID))
		fmt.Fprintf(v.w, "%s %s %s (%s)\ncode %s, %s\n\n--- request\n%s\n\n--- response\n%s\n", e.At.UTC().Format(time.RFC3339Nano),
			e.Protocol, e.Operation, e.Reference, e.Code, e.Duration, e.Request, e.Response)
		return nil
	}
	return guichet.Errorf(guichet.CodeNotFound, "no such exchange")
}

type shopData struct {
	Shop   *guichet.Shop
	Now    string
	Offset string
	Ran    string
	Error  string
	// Saved says the settings were just saved; SettingsError is why
	// they were not.
	Saved         bool
	SettingsError string
	// Reset is how many transactions a reset just forgot; ResetError
	// why the shop was not reset.
	Reset, ResetError string
	Credentials       []credential
	// Upcoming is the work to come, which advancing the clock runs.
	Upcoming []upcoming
}

type upcoming struct {
	Due, Kind, Reference, TransactionID string
}

// credential is a protocol's credential as the shop page shows it: its
// fields, indented.
type credential struct{ Protocol, Key, Data string }

// upcomingShown is how many jobs to come the shop page lists.
const upcomingShown = 50

// shop shows a shop's clock and, for a TEST shop, the form that advances
// it.
func (o *Office) shop(v *visit) error {
	shop, err := o.visibleShop(v)
	if err != nil {
		return err
	}
	q := v.r.URL.Query()
	o.showShop(v, shopData{Shop: shop, Ran: q.Get("ran"), Saved: q.Has("saved"), Reset: q.Get("reset")}, 0)
	return nil
}

func (o *Office) visibleShop(v *visit) (*guichet.Shop, error) {
	shop, err := o.svc.ShopByID(v.ctx, v.r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !v.user.Sees(shop.ID) {
		return nil, guichet.Errorf(guichet.CodeNotFound, "no such shop")
	}
	return shop, nil
}

func (o *Office) showShop(v *visit, d shopData, status int) {
	d.Now = o.svc.Now(d.Shop).In(o.svc.Paris()).Format("2006-01-02 15:04:05")
	jobs, err := o.svc.Upcoming(v.ctx, d.Shop, upcomingShown)
	if err != nil {
		o.fail(v, err)
		return
	}
	for _, j := range jobs {
		d.Upcoming = append(d.Upcoming, upcoming{Due: j.DueAt.In(o.svc.Paris()).Format("2006-01-02 15:04:05"),
			Kind: texts[v.lang]["job."+j.Kind], Reference: j.Reference, TransactionID: j.TransactionID})
		if d.Upcoming[len(d.Upcoming)-1].Kind == "" {
			d.Upcoming[len(d.Upcoming)-1].Kind = j.Kind
		}
	}
	d.Offset = d.Shop.ClockOffset.String()
	for _, c := range d.Shop.Credentials {
		var b bytes.Buffer
		if json.Indent(&b, c.Data, "", "  ") != nil {
			b.Reset()
			b.Write(c.Data)
		}
		d.Credentials = append(d.Credentials, credential{c.Protocol, c.Key, b.String()})
	}
	o.render(v, "shop", d, status)
}

// reset forgets everything a TEST shop did, once the user confirmed it.
func (o *Office) reset(v *visit) error {
	shop, err := o.visibleShop(v)
	if err != nil {
		return err
	}
	if v.r.PostFormValue("confirm") != "on" {
		o.showShop(v, shopData{Shop: shop, ResetError: texts[v.lang]["confirmReset"]}, http.StatusBadRequest)
		return nil
	}
	n, err := o.svc.ResetShop(v.ctx, shop.ID)
	if guichet.ErrorCode(err) == guichet.CodeConflict {
		o.showShop(v, shopData{Shop: shop, ResetError: guichet.ErrorMessage(err)}, http.StatusConflict)
		return nil
	}
	if err != nil {
		return err
	}
	if err := o.svc.Record(v.ctx, guichet.AuditEntry{User: v.user.Name, ShopID: shop.ID, Action: "reset",
		Detail: fmt.Sprintf("%d transactions forgotten", n)}); err != nil {
		return err
	}
	http.Redirect(v.w, v.r, fmt.Sprintf("/backoffice/shops/%s?reset=%d", shop.ID, n), http.StatusSeeOther)
	return nil
}

// settings saves a shop's contract settings.
func (o *Office) settings(v *visit) error {
	shop, err := o.visibleShop(v)
	if err != nil {
		return err
	}
	number := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(v.r.PostFormValue(name)))
		if err != nil {
			return -1 // refused by the core's bounds, with the field's name
		}
		return n
	}
	set := core.ShopSettings{CaptureDelay: number("capture_delay"), AutoCaptureDays: number("auto_capture_days"),
		NotifyAttempts: number("notify_attempts"), ThreeDS: v.r.PostFormValue("three_ds") == "on",
		RequireCVV: v.r.PostFormValue("require_cvv") == "on"}
	_, err = o.svc.SetShopSettings(v.ctx, shop.ID, set)
	if guichet.ErrorCode(err) == guichet.CodeInvalid {
		o.showShop(v, shopData{Shop: shop, SettingsError: guichet.ErrorMessage(err)}, http.StatusBadRequest)
		return nil
	}
	if err != nil {
		return err
	}
	if err := o.svc.Record(v.ctx, guichet.AuditEntry{User: v.user.Name, ShopID: shop.ID, Action: "settings",
		Detail: fmt.Sprintf("%+v", set)}); err != nil {
		return err
	}
	http.Redirect(v.w, v.r, "/backoffice/shops/"+shop.ID+"?saved", http.StatusSeeOther)
	return nil
}

// advanceClock moves a TEST shop's clock forward and runs what became due.
func (o *Office) advanceClock(v *visit) error {
	shop, err := o.visibleShop(v)
	if err != nil {
		return err
	}
	by, err := time.ParseDuration(strings.TrimSpace(v.r.PostFormValue("by")))
	if err != nil || by <= 0 || by > 400*24*time.Hour {
		o.showShop(v, shopData{Shop: shop, Error: texts[v.lang]["badDuration"]}, http.StatusBadRequest)
		return nil
	}
	_, ran, err := o.svc.AdvanceClock(v.ctx, shop.ID, by)
	if c := guichet.ErrorCode(err); c == guichet.CodeInvalid || c == guichet.CodeConflict {
		o.showShop(v, shopData{Shop: shop, Error: guichet.ErrorMessage(err)}, http.StatusConflict)
		return nil
	}
	if err != nil {
		return err
	}
	if err := o.svc.Record(v.ctx, guichet.AuditEntry{User: v.user.Name, ShopID: shop.ID, Action: "clock",
		Detail: fmt.Sprintf("advanced by %s, %d jobs ran", by, ran)}); err != nil {
		return err
	}
	http.Redirect(v.w, v.r, fmt.Sprintf("/backoffice/shops/%s?ran=%d", shop.ID, ran), http.StatusSeeOther)
	return nil
}
