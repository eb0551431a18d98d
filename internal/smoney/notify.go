package smoney

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/core"
)

// callbackType is the callback type of a card payment (spec §7).
const callbackType = "1"

// notifier writes the callback of a change of a card payment: a form POST
// to its urlCallback with the payment's OrderId (id), ErrorCode (error),
// type 1, its status after the change, the instalment's sequence number
// for a schedule (an instalment the merchant cancelled is called back with
// status 5), and the beneficiary (userid, userstatus). Signed with
// CallbackSignature when the application has a callback secret, and
// retried until the merchant's server answers 2xx.
func (a *API) notifier(n core.Notice) ([]guichet.Delivery, error) {
	o, t, e := n.Order, n.Transaction, n.Event
	seq := 0
	cancelled := false
	switch e.Type {
	case guichet.EventAuthorized, guichet.EventRefused, guichet.EventVerified:
		// An instalment records "authorized" too: it is notified by its
		// own event, which says which it is.
		if o.TransactionID != t.ID {
			return nil, nil
		}
		if len(dataOf(o).plan()) > 1 {
			seq = 1
		}
	case guichet.EventInstalment:
		var ie core.InstalmentEvent
		if err := json.Unmarshal(e.Data, &ie); err != nil {
			return nil, err
		}
		seq = ie.Payment
	case guichet.EventInstalmentChanged:
		// A cancelled instalment changes status (5); one moved or
		// re-priced stays waiting, and its charge will be called back.
		var ce core.InstalmentChangeEvent
		if err := json.Unmarshal(e.Data, &ce); err != nil {
			return nil, err
		}
		if !ce.Cancelled {
			return nil, nil
		}
		seq, cancelled = ce.Payment, true
	case guichet.EventCancelled, guichet.EventRefunded, guichet.EventOrderClosed:
	default:
		return nil, nil
	}
	target := o.Content.Extra(extraURLCallback)
	if target == "" {
		return nil, nil
	}
	acct, _, err := AccountOf(n.Shop)
	if err != nil {
		return nil, err
	}
	st := paymentState(o, t, e.At)
	if cancelled {
		st = state{status: statusCancelled}
	}
	typ := callbackType
	if dataOf(o).registration() {
		typ = registrationType
	}
	fields := map[string]string{"id": o.Reference, "error": strconv.Itoa(st.errorCode), "type": typ,
		"status": strconv.Itoa(st.status), "userid": beneficiaryOf(o), "userstatus": "1"}
	if seq > 0 {
		fields["sequencenumber"] = strconv.Itoa(seq)
	}
	if acct != nil && acct.CallbackSecret != "" {
		fields["CallbackSignature"] = callbackSignature(fields, acct.CallbackSecret)
	}
	form := url.Values{}
	for k, v := range fields {
		form.Set(k, v)
	}
	return []guichet.Delivery{{Method: "POST", URL: target, ContentType: "application/x-www-form-urlencoded",
		Body: []byte(form.Encode())}}, nil
}

// callbackSignature signs a callback's fields (spec §7): the SHA-1, in
// hexadecimal, of their values in the byte order of their names, then the
// secret, joined by "+".
func callbackSignature(fields map[string]string, secret string) string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	values := make([]string, 0, len(names)+1)
	for _, k := range names {
		values = append(values, fields[k])
	}
	sum := sha1.Sum([]byte(strings.Join(append(values, secret), "+")))
	return hex.EncodeToString(sum[:])
}

// beneficiaryOf is the beneficiary's account of a payment: its
// AppAccountId, else the user of the path it was made under.
func beneficiaryOf(o *guichet.Order) string {
	if b := o.Content.Extra(extraBeneficiary); b != "" {
		return b
	}
	return o.Content.Extra(extraUser)
}

// state is a card payment's Status and ErrorCode, with the ExecCode they
// come from.
type state struct {
	status, errorCode int
	exec              string
}

// paymentState is where a card payment stands at now: waiting for its
// payer, cancelled (abandoned, or its page expired), completed, refused, or refunded when it was
// cancelled before its funds were sent (the refund of a payment whose
// funds were sent is an operation of its own, and leaves it completed).
func paymentState(o *guichet.Order, t *guichet.Transaction, now time.Time) state {
	if t == nil {
		expired := !o.ExpiresAt.IsZero() && now.After(o.ExpiresAt)
		switch {
		case o.Status == guichet.OrderCancelled:
			return state{status: statusCancelled, exec: "4004", errorCode: errorClass("4004")}
		case o.Status == guichet.OrderOpen && !expired:
			return state{status: statusWaiting, exec: "0001"}
		}
		// The payer let the page expire.
		return state{status: statusCancelled, exec: "4017", errorCode: errorClass("4017")}
	}
	switch t.Status {
	case guichet.StatusRefused:
		exec := execOf(t.ResponseCode)
		return state{status: statusRefused, exec: exec, errorCode: errorClass(exec)}
	case guichet.StatusCancelled:
		return state{status: statusRefunded, exec: "0000"}
	case guichet.StatusAuthorized, guichet.StatusWaiting:
		return state{status: statusValidation, exec: "0000"}
	}
	return state{status: statusCompleted, exec: "0000"}
}
