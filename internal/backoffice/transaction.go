package backoffice

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
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
		f := actionForm{Kind: a.Kind, Amount: guichet.FormatAmount(max(a.Amount, 0), c)}
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
	if rerr := o.record(v, d.Shop.ID, t.ID, string(kind), fmt.Sprintf("%s: %s", amount(n, t.Currency, "en"), outcome)); rerr != nil {
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

// record writes what the user did to the audit trail, shown on the
// transaction's page when it names one.
func (o *Office) record(v *visit, shopID, transactionID, action, detail string) error {
	return o.svc.Record(v.ctx, guichet.AuditEntry{User: v.user.Name, ShopID: shopID, TransactionID: transactionID,
		Action: action, Detail: detail})
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
	if rerr := o.record(v, d.Shop.ID, d.Transaction.ID, "dispute "+string(action), outcome); rerr != nil {
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
	if err := o.record(v, d.Shop.ID, d.Transaction.ID, "resend", "notification "+id); err != nil {
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
