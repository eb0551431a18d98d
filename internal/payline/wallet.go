package payline

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/payline/soap"
	"guichet/internal/sim"
)

// This file runs the wallet operations of the direct payment service. A
// wallet is the core's token of the shop: its Reference is the merchant's
// walletId, so that a wallet, a Paybox subscriber and a Lyra token of one
// name are one stored card. The card is sealed by the vault, its security
// code never kept; who holds it is told by the order the card was
// checked with (Token.OrderID), whose request keeps the wallet's names,
// email, address and comment, without the card number.
//
// A wallet holds one card: cardInd may only name the first (1).

// The extras of the orders the wallet operations open.
const (
	extraWalletID   = "walletId"
	extraCardholder = "cardholder"
)

// walletDateLayout is how the platform dates a wallet's or payment
// record's deactivation: "dd/mm/yy HH24:MI" (AN14, documented with
// getWalletResponse.disableDate).
const walletDateLayout = "02/01/06 15:04"

// readWalletID reads a walletId: mandatory, at most 50 characters (AN50).
func readWalletID(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", invalidFormat(field, "missing")
	case utf8.RuneCountInString(s) > 50:
		return "", invalidFormat(field, "longer than 50 characters")
	}
	return s, nil
}

// readCardInd checks a cardInd: a wallet holds one card, the first.
func readCardInd(s string) error {
	switch strings.TrimSpace(s) {
	case "", "1", "01":
		return nil
	}
	return fail("02503")
}

// cardContract finds the card contract a wallet operation names: one of
// the merchant's (02303), not Payconiq's, whose payments store no card.
func (a *API) cardContract(c *call, number string) (*Contract, error) {
	number = strings.TrimSpace(number)
	if number == "" {
		return nil, invalidFormat("contractNumber", "missing")
	}
	k := c.acct.contract(number)
	if k == nil || k.Payconiq() {
		return nil, fail("02303")
	}
	return k, nil
}

// knownContract checks the contract number an operation on an existing
// wallet or payment record may name: when given, one of the merchant's.
func (a *API) knownContract(c *call, number string) error {
	if strings.TrimSpace(number) == "" {
		return nil
	}
	_, err := a.cardContract(c, number)
	return err
}

// wallet finds a wallet of the shop (02503 when there is none).
func (a *API) wallet(c *call, id string) (*guichet.Token, error) {
	tok, err := a.svc.Token(c.ctx, c.shop, id)
	if guichet.ErrorReason(err) == guichet.ReasonTokenMissing {
		return nil, fail("02503")
	}
	return tok, err
}

// usableWallet finds a wallet that may pay: not disabled (02505).
func (a *API) usableWallet(c *call, id string) (*guichet.Token, error) {
	tok, err := a.wallet(c, id)
	if err != nil {
		return nil, err
	}
	if !tok.CancelledAt.IsZero() {
		return nil, fail("02505")
	}
	return tok, nil
}

// walletCard reads the card a createWallet or updateWallet stores, and
// checks that the contract takes its brand.
func walletCard(w *soap.Wallet, k *Contract, now time.Time) (guichet.Card, error) {
	typed, err := readCard(w.Card, now)
	if err != nil {
		return typed, err
	}
	// The card is checked with a zero-amount verification: its security
	// code goes to the issuer and is never kept.
	if b := sim.Brand(typed.PAN); b != guichet.BrandUnknown && !k.takes(b) && !k.takes(guichet.BrandCB) {
		return typed, fail("02303")
	}
	return typed, nil
}

// walletOrder opens the order a wallet's card is checked with: nothing to
// pay, in the contract's currency; its content tells who holds the card,
// and its request (without the card number) what the wallet shows.
func (a *API) walletOrder(c *call, id string, k *Contract, w *soap.Wallet, buyer *soap.Buyer, private *soap.PrivateDataList) (*guichet.Order, error) {
	currency := "EUR"
	if cur, ok := guichet.CurrencyByNumeric(k.Currency); ok {
		currency = cur.Code
	}
	request, err := kept(c.req)
	if err != nil {
		return nil, err
	}
	o := &guichet.Order{ID: a.svc.NewID("plw_"), Protocol: protocol, Reference: id, Amount: guichet.Money{Currency: currency},
		Request: request, MaxAttempts: 1, Content: content(buyer, nil, private)}
	cu := o.Content.Customer
	if cu == nil {
		cu = &guichet.Customer{}
		o.Content.Customer = cu
	}
	if w.Email != "" {
		cu.Email = w.Email
	}
	if w.FirstName != "" || w.LastName != "" {
		if cu.Billing == nil {
			cu.Billing = &guichet.Address{}
		}
		cu.Billing.FirstName, cu.Billing.LastName = w.FirstName, w.LastName
	}
	if s := address(w.ShippingAddress); s != nil {
		cu.Shipping = s
	}
	o.Content.Extras = []guichet.Field{{Name: extraContract, Value: k.Number}, {Name: extraWalletID, Value: id},
		{Name: extraCardholder, Value: strings.TrimSpace(cardholder(w.Card))}}
	return a.svc.OpenOrder(c.ctx, c.shop, o)
}

// saveWallet checks the card of a createWallet or updateWallet with a
// zero-amount verification, which keeps it under the walletId once the
// issuer approves: a new wallet (fresh) or the card of an existing one.
// A refusal of the issuer is the answer's result, and keeps nothing.
func (a *API) saveWallet(c *call, req core.PayRequest, id string, fresh bool, k *Contract, holder string) (soap.Message, error) {
	req.SaveAs, req.SaveAsNew = id, fresh
	_, t, tok, err := a.svc.PayOrder(c.ctx, req)
	if err != nil {
		return nil, err
	}
	res := paymentResult(t)
	if t.Status == guichet.StatusRefused || tok == nil {
		return soap.NewResponse(c.op, res.wire()), nil
	}
	list := &soap.ContractNumberWalletList{ContractNumberWallet: []string{k.Number}}
	out, ext := card(tok.Card, holder), extendedCard(tok.Card)
	if fresh {
		return &soap.CreateWalletResponse{Result: wireResult("02500"), Card: out, ExtendedCard: ext, ContractNumberWalletList: list}, nil
	}
	return &soap.UpdateWalletResponse{Result: wireResult("02500"), Card: out, ExtendedCard: ext, ContractNumberWalletList: list}, nil
}

// createWallet stores a card under the merchant's walletId (02502 when the
// shop has one of that name): the card typed, or that of an earlier
// transaction (transactionID).
func (a *API) createWallet(c *call) (soap.Message, error) {
	r := c.req.(*soap.CreateWalletRequest)
	w := r.Wallet
	k, id, err := a.walletArgs(c, r.ContractNumber, w)
	if err != nil {
		return nil, err
	}
	if err := readPrivateData(r.PrivateDataList); err != nil {
		return nil, err
	}
	now := a.svc.Now(c.shop)
	req := core.PayRequest{Shop: c.shop}
	if noCard(w.Card) && strings.TrimSpace(r.TransactionID) != "" {
		// The card of an earlier payment of the shop.
		t, _, err := a.transaction(c, r.TransactionID)
		if err != nil {
			return nil, err
		}
		// Reading the transaction made its reference the call's; the
		// call is about the wallet.
		c.reference = id
		req.CardOf = t.ID
	} else {
		if w.Card == nil {
			return nil, invalidFormat("wallet.card", "missing")
		}
		if req.Card, err = walletCard(w, k, now); err != nil {
			return nil, err
		}
		req.ForceCode = forcedCode(c.shop, req.Card.PAN, 0)
	}
	if _, err := a.wallet(c, id); err == nil {
		return nil, fail("02502")
	} else if !isFailure(err, "02503") {
		return nil, err
	}
	o, err := a.walletOrder(c, id, k, w, r.Buyer, r.PrivateDataList)
	if err != nil {
		return nil, err
	}
	req.OrderID = o.ID
	return a.saveWallet(c, req, id, true, k, strings.TrimSpace(cardholder(w.Card)))
}

// updateWallet replaces the card of a wallet and what it tells of its
// holder. The card is mandatory, as on the platform, and checked again;
// a disabled wallet is refused (02505), as it would be by a payment.
func (a *API) updateWallet(c *call) (soap.Message, error) {
	r := c.req.(*soap.UpdateWalletRequest)
	w := r.Wallet
	k, id, err := a.walletArgs(c, r.ContractNumber, w)
	if err != nil {
		return nil, err
	}
	if err := readCardInd(r.CardInd); err != nil {
		return nil, err
	}
	if err := readPrivateData(r.PrivateDataList); err != nil {
		return nil, err
	}
	if _, err := a.usableWallet(c, id); err != nil {
		return nil, err
	}
	typed, err := walletCard(w, k, a.svc.Now(c.shop))
	if err != nil {
		return nil, err
	}
	o, err := a.walletOrder(c, id, k, w, r.Buyer, r.PrivateDataList)
	if err != nil {
		return nil, err
	}
	req := core.PayRequest{Shop: c.shop, OrderID: o.ID, Card: typed, ForceCode: forcedCode(c.shop, typed.PAN, 0)}
	return a.saveWallet(c, req, id, false, k, strings.TrimSpace(cardholder(w.Card)))
}

// walletArgs reads the card contract and the wallet that createWallet
// and updateWallet name, and keeps the walletId as the call's reference.
func (a *API) walletArgs(c *call, contract string, w *soap.Wallet) (*Contract, string, error) {
	k, err := a.cardContract(c, contract)
	if err != nil {
		return nil, "", err
	}
	if w == nil {
		return nil, "", invalidFormat("wallet", "missing")
	}
	id, err := readWalletID("wallet.walletId", w.WalletID)
	if err != nil {
		return nil, "", err
	}
	c.reference = id
	return k, id, nil
}

// noCard tells a card object that names no card: absent, or sent empty
// (SOAP stacks send every object of the schema, nil-filled).
func noCard(c *soap.Card) bool {
	return c == nil || strings.TrimSpace(c.Number) == "" && strings.TrimSpace(c.Token) == ""
}

// isFailure tells an error that answers with the given code.
func isFailure(err error, code string) bool {
	var f *failure
	return errors.As(err, &f) && f.r.Code == code
}

// walletView is what the wallet answers show of a wallet: the wallet
// object (its holder's details and its card, masked), the card's owner
// and private data as the merchant stored them, and the contract.
type walletView struct {
	wallet   *soap.Wallet
	owner    *soap.Owner
	private  *soap.PrivateDataList
	contract string
	disabled string
	since    string
}

// view describes a wallet. A wallet registered through another protocol
// shows what its order's content tells of the buyer.
func (a *API) view(ctx context.Context, c *call, tok *guichet.Token) (*walletView, error) {
	v := &walletView{wallet: &soap.Wallet{WalletID: tok.Reference}, disabled: "0"}
	var o *guichet.Order
	if tok.OrderID != "" {
		var err error
		o, err = a.svc.Order(ctx, c.shop, tok.OrderID)
		if err != nil && guichet.ErrorCode(err) != guichet.CodeNotFound {
			return nil, err
		}
	}
	holder := ""
	if o != nil {
		holder = o.Content.Extra(extraCardholder)
		v.contract = o.Content.Extra(extraContract)
		var stored *soap.Wallet
		if len(o.Request) > 0 && o.Protocol == protocol {
			if m, err := soap.DecodeRequest(o.Request); err == nil {
				switch r := m.(type) {
				case *soap.CreateWalletRequest:
					stored, v.owner, v.private = r.Wallet, r.Owner, r.PrivateDataList
				case *soap.UpdateWalletRequest:
					stored, v.owner, v.private = r.Wallet, r.Owner, r.PrivateDataList
				default:
					// A web wallet's request tells of its buyer.
					if f, ok := webWalletFields(m); ok {
						stored, v.private = buyerWalletOf(f.buyer), f.private
					}
				}
			}
		}
		switch {
		case stored != nil:
			w := *stored
			v.wallet = &w
		case o.Content.Customer != nil:
			cu := o.Content.Customer
			v.wallet.Email = cu.Email
			if b := cu.Billing; b != nil {
				v.wallet.FirstName, v.wallet.LastName = b.FirstName, b.LastName
			}
			if s := cu.Shipping; s != nil {
				v.wallet.ShippingAddress = &soap.Address{FirstName: s.FirstName, LastName: s.LastName, Name: s.LegalName,
					Street1: s.Street, Street2: s.Street2, StreetNumber: s.StreetNumber, CityName: s.City, ZipCode: s.ZipCode,
					Country: s.Country, Phone: s.Phone, State: s.State}
			}
		}
	}
	v.wallet.WalletID = tok.Reference
	if out := card(tok.Card, holder); out != nil {
		// The card's type is the one the merchant registered it as
		// (CB for a co-branded card), else its brand.
		if given := v.wallet.Card; given != nil && strings.TrimSpace(given.Type) != "" {
			out.Type = strings.TrimSpace(given.Type)
		}
		birth := ""
		if given := v.wallet.Card; given != nil {
			birth = given.OwnerBirthdayDate
		}
		v.wallet.Card = &soap.Card{Number: out.Number, Type: out.Type, ExpirationDate: out.ExpirationDate,
			Cardholder: out.Cardholder, Token: out.Token, OwnerBirthdayDate: birth}
		v.wallet.CardBrand = cardType(tok.Card.Brand)
	}
	if v.wallet.Default == "" {
		v.wallet.Default = "Y"
	}
	// cardStatus is documented as MAN (disabled by hand), EXP (expired),
	// OPP (blocked) or INT (internal rules); a card in order has none.
	v.wallet.CardStatus = ""
	expired := (guichet.Card{ExpMonth: tok.Card.ExpMonth, ExpYear: tok.Card.ExpYear}).Expired(a.svc.Now(c.shop))
	switch {
	case !tok.CancelledAt.IsZero():
		v.disabled, v.since = "1", tok.CancelledAt.In(a.svc.Paris()).Format(walletDateLayout)
		v.wallet.CardStatus = "MAN"
	case expired:
		v.wallet.CardStatus = "EXP"
	}
	return v, nil
}

// contracts is the contractNumberWalletList of a wallet's answers.
func (v *walletView) contracts() *soap.ContractNumberWalletList {
	if v.contract == "" {
		return nil
	}
	return &soap.ContractNumberWalletList{ContractNumberWallet: []string{v.contract}}
}

// getWallet describes a wallet. A disabled wallet is described too, with
// isDisabled 1, the date it was disabled and cardStatus MAN: the answer
// has the fields for it (getWalletResponse.isDisabled, disableDate), and
// 02505 is what a payment from it answers.
func (a *API) getWallet(c *call) (soap.Message, error) {
	r := c.req.(*soap.GetWalletRequest)
	tok, v, err := a.lookWallet(c, r.WalletID, r.ContractNumber, r.CardInd)
	if err != nil {
		return nil, err
	}
	if v.contract == "" {
		v.contract = strings.TrimSpace(r.ContractNumber)
	}
	return &soap.GetWalletResponse{Result: wireResult("02500"), Wallet: v.wallet, Owner: v.owner, IsDisabled: v.disabled,
		DisableDate: v.since, PrivateDataList: v.private, ExtendedCard: extendedCard(tok.Card), ContractNumberWalletList: v.contracts()}, nil
}

// lookWallet reads the wallet a getWallet or getCards names, and
// describes it.
func (a *API) lookWallet(c *call, walletID, contract, cardInd string) (*guichet.Token, *walletView, error) {
	id, err := readWalletID("walletId", walletID)
	if err != nil {
		return nil, nil, err
	}
	c.reference = id
	if err := a.knownContract(c, contract); err != nil {
		return nil, nil, err
	}
	if err := readCardInd(cardInd); err != nil {
		return nil, nil, err
	}
	tok, err := a.wallet(c, id)
	if err != nil {
		return nil, nil, err
	}
	v, err := a.view(c.ctx, c, tok)
	return tok, v, err
}

// getCards lists the cards of a wallet: its one card.
func (a *API) getCards(c *call) (soap.Message, error) {
	r := c.req.(*soap.GetCardsRequest)
	tok, v, err := a.lookWallet(c, r.WalletID, r.ContractNumber, r.CardInd)
	if err != nil {
		return nil, err
	}
	w := v.wallet
	one := soap.Cards{WalletID: w.WalletID, LastName: w.LastName, FirstName: w.FirstName, Email: w.Email,
		ShippingAddress: w.ShippingAddress, Card: w.Card, CardInd: "1", Comment: w.Comment, IsDisabled: v.disabled,
		DisableDate: v.since, ExtendedCard: extendedCard(tok.Card), Default: w.Default}
	return &soap.GetCardsResponse{Result: wireResult("02500"), CardsList: &soap.CardsList{Cards: []soap.Cards{one}},
		Owner: v.owner, PrivateDataList: v.private}, nil
}

// disableWallet disables wallets: none of them may pay until enabled
// again. When some could not be (unknown, or disabled already), the
// result is 02517 and walletIdList lists those, whatever became of the
// others; the list is left out when all were.
func (a *API) disableWallet(c *call) (soap.Message, error) {
	r := c.req.(*soap.DisableWalletRequest)
	if err := a.knownContract(c, r.ContractNumber); err != nil {
		return nil, err
	}
	if err := readCardInd(r.CardInd); err != nil {
		return nil, err
	}
	if r.WalletIDList == nil || len(r.WalletIDList.WalletID) == 0 {
		return nil, invalidFormat("walletIdList", "missing")
	}
	var left []string
	for _, raw := range r.WalletIDList.WalletID {
		id := strings.TrimSpace(raw)
		if c.reference == "" {
			c.reference = id
		}
		if id == "" {
			left = append(left, raw)
			continue
		}
		_, err := a.svc.CancelToken(c.ctx, c.shop, id)
		switch guichet.ErrorReason(err) {
		case "":
			if err != nil {
				return nil, err
			}
		case guichet.ReasonTokenMissing, guichet.ReasonTokenCancelled:
			left = append(left, id)
		default:
			return nil, err
		}
	}
	if len(left) > 0 {
		return &soap.DisableWalletResponse{Result: wireResult("02517"), WalletIDList: &soap.WalletIDList{WalletID: left}}, nil
	}
	return &soap.DisableWalletResponse{Result: wireResult("02500")}, nil
}

// enableWallet lets a disabled wallet pay again: 02503 when there is no
// such wallet, 02520 when it was not disabled.
func (a *API) enableWallet(c *call) (soap.Message, error) {
	r := c.req.(*soap.EnableWalletRequest)
	id, err := readWalletID("walletId", r.WalletID)
	if err != nil {
		return nil, err
	}
	c.reference = id
	if err := a.knownContract(c, r.ContractNumber); err != nil {
		return nil, err
	}
	if err := readCardInd(r.CardInd); err != nil {
		return nil, err
	}
	_, err = a.svc.ReactivateToken(c.ctx, c.shop, id)
	switch guichet.ErrorReason(err) {
	case guichet.ReasonTokenMissing:
		return nil, fail("02503")
	case guichet.ReasonTokenActive:
		return nil, fail("02520")
	}
	if err != nil {
		return nil, err
	}
	return &soap.EnableWalletResponse{Result: wireResult("02500")}, nil
}

// buyerWalletOf is the wallet a web wallet request's buyer describes: the
// card comes from the page.
func buyerWalletOf(b *soap.Buyer) *soap.Wallet {
	if b == nil {
		return nil
	}
	return &soap.Wallet{LastName: b.LastName, FirstName: b.FirstName, Email: b.Email, ShippingAddress: b.ShippingAddress}
}
