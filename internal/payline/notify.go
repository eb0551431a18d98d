package payline

import (
	"net/url"

	"guichet"
	"guichet/internal/core"
)

// notifier writes the notification of the end of a web payment: a GET of
// the merchant's notificationURL with notificationType=WEBTRS and the
// token, which the merchant answers by asking getWebPaymentDetails. It is
// retried until the merchant's server acknowledges it with a 2xx. A
// refused attempt the buyer may still follow with another card ends
// nothing and is not notified.
func notifier(n core.Notice) ([]guichet.Delivery, error) {
	o, t, e := n.Order, n.Transaction, n.Event
	switch e.Type {
	case guichet.EventAuthorized, guichet.EventRefused:
	default:
		return nil, nil
	}
	if o.TransactionID != t.ID || o.Status == guichet.OrderOpen {
		return nil, nil
	}
	target := o.Content.Extra(extraNotificationURL)
	if target == "" {
		// The merchant's account may name the URL of every payment.
		acct, ok, err := AccountOf(n.Shop)
		if err != nil || !ok {
			return nil, err
		}
		target = acct.NotificationURL
	}
	if target == "" || o.Content.Extra(extraReturnURL) == "" {
		// Only web payments are notified this way.
		return nil, nil
	}
	to := withParams(target, "notificationType=WEBTRS&token="+url.QueryEscape(o.ID))
	return []guichet.Delivery{{Method: "GET", URL: to}}, nil
}
