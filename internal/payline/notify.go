package payline

import (
	"encoding/json"
	"net/url"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/web"
)

// notifier writes the notification of the end of a web session: a GET of
// the merchant's notificationURL with notificationType=WEBTRS and the
// token, which the merchant answers by asking getWebPaymentDetails
// (WEBWALLET and getWebWallet for a web wallet's session). It is retried
// until the merchant's server acknowledges it with a 2xx. A refused
// attempt the buyer may still follow with another card ends nothing and
// is not notified. The instalments of payment records are notified their
// own way (billNotifier).
func notifier(n core.Notice) ([]guichet.Delivery, error) {
	o, t, e := n.Order, n.Transaction, n.Event
	if o.Content.Extra(extraRecord) != "" {
		return billNotifier(n)
	}
	switch e.Type {
	case guichet.EventAuthorized, guichet.EventRefused, guichet.EventVerified:
	default:
		return nil, nil
	}
	if o.TransactionID != t.ID || o.Status == guichet.OrderOpen {
		return nil, nil
	}
	target := o.Content.Extra(extraNotificationURL)
	if target == "" {
		var err error
		if target, err = accountURL(n.Shop); err != nil {
			return nil, err
		}
	}
	if target == "" || o.Content.Extra(extraReturnURL) == "" {
		// Only web payments are notified this way.
		return nil, nil
	}
	kind := "WEBTRS"
	if o.Content.Extra(extraWebWallet) != "" {
		kind = "WEBWALLET"
	}
	to := web.WithQuery(target, "notificationType="+kind+"&token="+url.QueryEscape(o.ID))
	return []guichet.Delivery{{Method: "GET", URL: to}}, nil
}

// accountURL is the notification URL the merchant's account names for
// every payment that names none.
func accountURL(shop *guichet.Shop) (string, error) {
	acct, ok, err := AccountOf(shop)
	if err != nil || !ok {
		return "", err
	}
	return acct.NotificationURL, nil
}

// billNotifier writes the notification of each instalment of a payment
// record (payline.md §4): a GET of the notification URL with
// notificationType=BILL, the record, the wallet, the instalment's
// transaction and date, and the order's reference, which the merchant
// answers by asking getPaymentRecord. The wallet requests name no
// notification URL: the account's is used, and without one nothing is
// sent.
func billNotifier(n core.Notice) ([]guichet.Delivery, error) {
	o, t, e := n.Order, n.Transaction, n.Event
	if e.Type != guichet.EventRecurring {
		return nil, nil
	}
	var occ core.RecurringEvent
	if err := json.Unmarshal(e.Data, &occ); err != nil {
		return nil, err
	}
	target := o.Content.Extra(extraNotificationURL)
	if target == "" {
		var err error
		if target, err = accountURL(n.Shop); err != nil || target == "" {
			return nil, err
		}
	}
	record, date := billDate(o, occ.Occurrence)
	wallet := o.Content.Extra(extraWalletID)
	if wallet == "" && n.Token != nil {
		wallet = n.Token.Reference
	}
	q := "notificationType=BILL&paymentRecordId=" + url.QueryEscape(record) + "&walletId=" + url.QueryEscape(wallet) +
		"&transactionId=" + url.QueryEscape(t.First().Ref) + "&billingRecordDate=" + url.QueryEscape(date) +
		"&orderRef=" + url.QueryEscape(o.Reference)
	return []guichet.Delivery{{Method: "GET", URL: web.WithQuery(target, q)}}, nil
}
