package payline

import (
	"crypto/rand"
	"strings"

	"guichet"
	"guichet/internal/payline/soap"
)

// This file runs the web wallet operations: a session of the payment page
// where the buyer registers the card of a wallet, without paying.

// The extras of a web wallet session's order.
const (
	extraWebWallet = "webWallet" // "create" or "update"
)

// webWallet is the wallet a web session registers a card for.
type webWallet struct {
	id string
	// fresh is a new wallet, which must not exist when the card is
	// kept.
	fresh        bool
	contracts    []string
	languageCode string
	buyer        *soap.Buyer
}

// webWalletRequest is what the three web wallet calls have in common.
type webWalletRequest struct {
	contract        string
	selected        *soap.SelectedContractList
	buyer           *soap.Buyer
	walletID        string
	languageCode    string
	returnURL       string
	cancelURL       string
	notificationURL string
	private         *soap.PrivateDataList
}

// webWalletOf is the wallet of a web session's order, from the request
// that opened it.
func webWalletOf(o *guichet.Order, m soap.Message) (*webWallet, bool) {
	r, ok := webWalletFields(m)
	if !ok {
		return nil, false
	}
	w := &webWallet{id: o.Reference, fresh: o.Content.Extra(extraWebWallet) == "create", languageCode: r.languageCode, buyer: r.buyer}
	if r.contract != "" {
		w.contracts = []string{r.contract}
	}
	if r.selected != nil && len(r.selected.SelectedContract) > 0 {
		w.contracts = r.selected.SelectedContract
	}
	if len(w.contracts) == 0 {
		// The request named none: the contract chosen when the session
		// opened.
		w.contracts = []string{o.Content.Extra(extraContract)}
	}
	return w, true
}

// webWalletFields reads the fields of a web wallet request.
func webWalletFields(m soap.Message) (webWalletRequest, bool) {
	switch r := m.(type) {
	case *soap.CreateWebWalletRequest:
		return webWalletRequest{contract: r.ContractNumber, selected: r.SelectedContractList, buyer: r.Buyer, walletID: buyerWallet(r.Buyer),
			languageCode: r.LanguageCode, returnURL: r.ReturnURL, cancelURL: r.CancelURL, notificationURL: r.NotificationURL,
			private: r.PrivateDataList}, true
	case *soap.ManageWebWalletRequest:
		return webWalletRequest{contract: r.ContractNumber, selected: r.SelectedContractList, buyer: r.Buyer, walletID: buyerWallet(r.Buyer),
			languageCode: r.LanguageCode, returnURL: r.ReturnURL, cancelURL: r.CancelURL, notificationURL: r.NotificationURL,
			private: r.PrivateDataList}, true
	case *soap.UpdateWebWalletRequest:
		return webWalletRequest{contract: r.ContractNumber, buyer: r.Buyer, walletID: r.WalletID,
			languageCode: r.LanguageCode, returnURL: r.ReturnURL, cancelURL: r.CancelURL, notificationURL: r.NotificationURL,
			private: r.PrivateDataList}, true
	}
	return webWalletRequest{}, false
}

func buyerWallet(b *soap.Buyer) string {
	if b == nil {
		return ""
	}
	return strings.TrimSpace(b.WalletID)
}

// createWebWallet opens a page where the buyer registers the card of a
// new wallet: buyer.walletId, or one guichet names when the merchant
// gives none.
func (a *API) createWebWallet(c *call) (soap.Message, error) {
	return a.openWebWallet(c, "create")
}

// updateWebWallet opens a page where the buyer registers a new card for
// an existing wallet (walletId).
func (a *API) updateWebWallet(c *call) (soap.Message, error) {
	return a.openWebWallet(c, "update")
}

// manageWebWallet opens a page where the buyer registers a card for the
// wallet buyer.walletId: a new wallet, or a new card for an existing one.
func (a *API) manageWebWallet(c *call) (soap.Message, error) {
	return a.openWebWallet(c, "manage")
}

// openWebWallet opens a web wallet session: an order of amount zero whose
// ID is the token, as a web payment's.
func (a *API) openWebWallet(c *call, mode string) (soap.Message, error) {
	r, _ := webWalletFields(c.req)
	var err error
	if r.returnURL, err = readURL("returnURL", r.returnURL, true); err != nil {
		return nil, err
	}
	if r.cancelURL, err = readURL("cancelURL", r.cancelURL, true); err != nil {
		return nil, err
	}
	if r.notificationURL, err = readURL("notificationURL", r.notificationURL, false); err != nil {
		return nil, err
	}
	if err := readPrivateData(r.private); err != nil {
		return nil, err
	}
	// The contract: the one named, else the first card contract selected.
	var k *Contract
	numbers := []string{r.contract}
	if r.selected != nil {
		numbers = append(numbers, r.selected.SelectedContract...)
	}
	for _, n := range numbers {
		if n == "" {
			continue
		}
		if k = c.acct.contract(n); k == nil || k.Payconiq() {
			return nil, fail("02303")
		}
	}
	if k == nil {
		// None named: the account's first card contract.
		cards := c.acct.cardContracts()
		if len(cards) == 0 {
			return nil, invalidFormat("contractNumber", "missing")
		}
		k = &cards[0]
	}
	id := r.walletID
	if id == "" && mode == "update" {
		return nil, invalidFormat("walletId", "missing")
	}
	if id == "" {
		id = newWalletID()
	}
	if id, err = readWalletID("walletId", id); err != nil {
		return nil, err
	}
	c.reference = id
	_, err = a.wallet(c, id)
	exists := err == nil
	switch {
	case err != nil && !isFailure(err, "02503"):
		return nil, err
	case mode == "create" && exists:
		return nil, fail("02502")
	case mode == "update" && !exists:
		return nil, fail("02503")
	case mode == "manage" && exists:
		mode = "update"
	case mode == "manage":
		mode = "create"
	}
	request, err := kept(c.req)
	if err != nil {
		return nil, err
	}
	now := a.svc.Now(c.shop)
	currency := "EUR"
	if cur, ok := guichet.CurrencyByNumeric(k.Currency); ok {
		currency = cur.Code
	}
	o := &guichet.Order{ID: a.newToken(now), Protocol: protocol, Reference: id, Amount: guichet.Money{Currency: currency},
		Request: request, MaxAttempts: sessionAttempts, ExpiresAt: now.Add(sessionLife), Content: content(r.buyer, nil, r.private)}
	o.Content.Extras = []guichet.Field{{Name: extraReturnURL, Value: r.returnURL}, {Name: extraCancelURL, Value: r.cancelURL},
		{Name: extraNotificationURL, Value: r.notificationURL}, {Name: extraWebWallet, Value: mode},
		{Name: extraWalletID, Value: id}, {Name: extraContract, Value: k.Number}}
	if _, err := a.svc.OpenOrder(c.ctx, c.shop, o); err != nil {
		return nil, err
	}
	redirect := c.host + pagePath + "?token=" + o.ID
	res := wireResult("00000")
	switch c.req.(type) {
	case *soap.CreateWebWalletRequest:
		return &soap.CreateWebWalletResponse{Result: res, Token: o.ID, RedirectURL: redirect}, nil
	case *soap.UpdateWebWalletRequest:
		return &soap.UpdateWebWalletResponse{Result: res, Token: o.ID, RedirectURL: redirect}, nil
	}
	return &soap.ManageWebWalletResponse{Result: res, Token: o.ID, RedirectURL: redirect}, nil
}

// newWalletID names a wallet the merchant did not name: letters, so that
// no card masker takes it for a number.
func newWalletID() string {
	var b [12]byte
	rand.Read(b[:])
	return "W" + guichet.Letters(b[:])
}

// getWebWallet tells how a web wallet session stands: the wallet once the
// buyer registered its card (02500), else the session's state.
func (a *API) getWebWallet(c *call) (soap.Message, error) {
	r := c.req.(*soap.GetWebWalletRequest)
	if strings.TrimSpace(r.Token) == "" {
		return nil, invalidFormat("token", "missing")
	}
	o, err := a.svc.Order(c.ctx, c.shop, strings.TrimSpace(r.Token))
	if err != nil && guichet.ErrorCode(err) == guichet.CodeNotFound || err == nil && o.Content.Extra(extraWebWallet) == "" {
		return nil, fail("02304")
	}
	if err != nil {
		return nil, err
	}
	c.reference = o.Reference
	expired := !o.ExpiresAt.IsZero() && a.svc.Now(c.shop).After(o.ExpiresAt)
	switch {
	case o.Status == guichet.OrderCancelled:
		return nil, fail("02536")
	case o.Status == guichet.OrderOpen && o.SeenAt.IsZero() && expired:
		return nil, fail("02534")
	case o.Status == guichet.OrderOpen && o.SeenAt.IsZero():
		return nil, fail("02533")
	case o.Status == guichet.OrderOpen && expired:
		return nil, fail("02535")
	case o.Status == guichet.OrderOpen:
		return nil, fail("02306")
	}
	list, err := a.svc.Transactions(c.ctx, guichet.TransactionFilter{ShopID: c.shop.ID, OrderID: o.ID, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fail("02304")
	}
	if t := &list[0]; t.Status == guichet.StatusRefused {
		return nil, &failure{paymentResult(t)}
	}
	tok, err := a.wallet(c, o.Reference)
	if err != nil {
		return nil, err
	}
	v, err := a.view(c.ctx, c, tok)
	if err != nil {
		return nil, err
	}
	return &soap.GetWebWalletResponse{Result: wireResult("02500"), Wallet: v.wallet, PrivateDataList: v.private,
		ExtendedCard: extendedCard(tok.Card), ContractNumberWalletList: v.contracts()}, nil
}
