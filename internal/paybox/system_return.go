package paybox

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"guichet"
	"guichet/internal/core"
)

// values are the PBX_RETOUR letters of an outcome. t is nil when no
// payment was attempted (a cancellation, a forced platform error).
func (s *System) values(ss *session, t *guichet.Transaction, code string, tok *guichet.Token, at time.Time) map[byte]string {
	at = at.In(s.svc.Paris())
	v := map[byte]string{
		'M': strconv.FormatInt(ss.req.Amount, 10),
		'R': ss.req.Reference,
		'E': code,
		'B': "0",
		'P': "CARTE",
		'Q': at.Format("15:04:05"),
		'W': at.Format("02012006"),
		'I': "FRA",
		'T': "0",
		'S': "0",
	}
	if t == nil {
		return v
	}
	if ss.req.Subscription != nil && ss.order != nil && t.ID == ss.order.TransactionID && t.Status != guichet.StatusRefused {
		// An accepted first payment created the subscription, which is
		// numbered after it; the number is what ResAbon.cgi takes.
		v['B'] = subscriptionNumber(t.Number)
	}
	// M is the amount of this charge: an instalment's, not PBX_TOTAL.
	v['M'] = strconv.FormatInt(t.Amount, 10)
	v['T'] = strconv.FormatInt(t.Number, 10)
	if op := t.First(); op != nil {
		v['S'] = strconv.FormatInt(op.Number, 10)
	}
	if t.Status != guichet.StatusRefused && t.AuthCode != "" {
		v['A'] = t.AuthCode
	}
	if t.Method != "" {
		v['P'] = t.Method
	}
	if t.Method == "KWIXO" {
		// No card: C is the KWIXO option, and the card's letters are
		// left out.
		v['C'] = t.Option
		return v
	}
	// C is the card type the merchant forced, else the brand of the
	// card number.
	v['C'] = orUnknown(brandTypes[t.Card.Brand])
	if ss.req.PaymentType == "CARTE" && ss.req.CardType != "" {
		v['C'] = ss.req.CardType
	}
	v['D'] = pad2(t.Card.ExpYear%100) + pad2(t.Card.ExpMonth)
	if m := t.Card.Masked; len(m) >= 10 {
		v['N'], v['J'] = m[:6], m[len(m)-2:]
	}
	v['H'] = t.Card.Fingerprint
	v['Y'] = orUnknown(t.Card.Country)
	switch t.ThreeDS {
	case "":
		v['O'], v['F'], v['G'] = "N", "", "N"
	case "Y":
		v['O'], v['F'], v['G'] = "Y", "Y", "O"
	default:
		v['O'], v['F'], v['G'] = "Y", t.ThreeDS, "N"
	}
	if tok != nil {
		// The handle the merchant sends back as PORTEUR with REFABONNE.
		v['U'] = tok.Handle + "++" + v['D'] + "++---"
	}
	return v
}

// returnURL is the merchant page the buyer goes back to, with the signed
// return variables appended to its query string.
func (s *System) returnURL(ss *session, target string, t *guichet.Transaction, tok *guichet.Token, code string) string {
	if target == "" {
		return ""
	}
	values := s.values(ss, t, code, tok, s.svc.Now(ss.shop))
	u, err := AppendQuery(target, func(prefix string) (string, error) {
		return BuildReturn(ss.req.Retour, values, prefix, s.signer.Sign)
	})
	if err != nil {
		s.log.Error("paybox system: return", "err", err)
		return target
	}
	return u
}

// notifier prepares the IPN of a payment attempt on a Paybox System order:
// the PBX_RETOUR variables, signed, to PBX_REPONDRE_A by GET or, with
// PBX_RUF1=POST, in a form body. Only the return variables are signed.
//
// A KWIXO payment is pending when recorded, so its first IPN says
// E=99999 (spec §2.8.2); each later state of its review is another IPN
// whose E is the state code (guide §3.2) and S, as in every IPN, the
// number of the operation the state is about: the payment's, or that of
// the capture, cancellation or refund whose outcome KWIXO gives.
func (s *System) notifier(n core.Notice) ([]guichet.Delivery, error) {
	o, t, e := n.Order, n.Transaction, n.Event
	if t == nil {
		// An order closed without a payment: the platform calls no
		// IPN for a buyer who gave up.
		return nil, nil
	}
	var code string
	var renewal *core.SubscriptionEvent
	var op *core.ReviewEvent // a KWIXO operation's state: its S and M
	switch {
	case t.Method == "KWIXO" && e.Type == guichet.EventAuthorized:
		code = "99999"
	case t.Method == "KWIXO" && (e.Type == guichet.EventReview || e.Type == guichet.EventKwixo):
		var d core.ReviewEvent
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return nil, err
		}
		code = kwixoCode(d.Review)
		if e.Type == guichet.EventKwixo {
			op = &d
		}
	case e.Type == guichet.EventRenewal:
		// A subscription's renewal: its own IPN, with its own amount, T
		// and S, and ETAT_PBX in front (spec §2.8.2).
		renewal = new(core.SubscriptionEvent)
		if err := json.Unmarshal(e.Data, renewal); err != nil {
			return nil, err
		}
		code = codeOf0(t)
	case e.Type == guichet.EventInstalment:
		// Each later payment of a payment in several times gets its own
		// IPN, with its own amount, T and S.
		code = codeOf0(t)
	case (e.Type == guichet.EventAuthorized || e.Type == guichet.EventRefused) && t.ID == o.TransactionID:
		// Only the order's own payment: an instalment's transaction is
		// announced by its transaction.instalment event.
		code = codeOf0(t)
	default:
		return nil, nil
	}
	var f Form
	if err := json.Unmarshal(o.Request, &f); err != nil {
		return nil, err
	}
	req, err := ParseSystem(f)
	if err != nil || req.RepondreA == "" {
		return nil, err
	}
	var tok *guichet.Token
	if req.Subscriber != "" && renewal == nil {
		// The subscriber's token, which the payment registered.
		tok = n.Token
	}
	ss := &session{order: o, req: req, shop: &guichet.Shop{ID: o.ShopID}}
	// Only the return variables are signed, not the query the URL may
	// already have.
	values := s.values(ss, t, code, tok, e.At)
	if op != nil {
		// A capture, cancellation or refund is known to the merchant by
		// the NUMTRANS its PPPS answer gave, and is of its own amount.
		values['S'], values['M'] = strconv.FormatInt(op.Operation, 10), strconv.FormatInt(op.Amount, 10)
	}
	prefix := ""
	if renewal != nil {
		values['B'] = subscriptionNumber(renewal.Number)
		prefix = renewalState
	}
	ret, err := BuildReturn(req.Retour, values, prefix, s.signer.Sign)
	if err != nil {
		return nil, err
	}
	if prefix != "" {
		// ETAT_PBX leads, and is signed with the variables that follow,
		// so that a merchant checking K over everything before it, as
		// official modules do, accepts a renewal too.
		ret = prefix + "&" + ret
	}
	d := guichet.Delivery{Method: "GET", URL: escapeURLBytes(req.RepondreA)}
	if req.IPNPost {
		d.Method, d.ContentType, d.Body = "POST", "application/x-www-form-urlencoded", []byte(ret)
	} else if d.URL, err = AppendQuery(d.URL, func(string) (string, error) { return ret, nil }); err != nil {
		return nil, err
	}
	return []guichet.Delivery{d}, nil
}

// renewalState leads the IPN of a subscription's renewal.
const renewalState = "ETAT_PBX=PBX_RECONDUCTION_ABT"

// subscriptionNumber renders a subscription number as the platform's B:
// nine digits.
func subscriptionNumber(n int64) string {
	return fmt.Sprintf("%09d", n)
}
