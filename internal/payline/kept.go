package payline

import "guichet/internal/payline/soap"

// kept is a request as an order keeps it: without the card number and
// the security code, which only the vault may hold (sealed, the number
// only), so that the wallet's answers can echo the rest.
func kept(m soap.Message) ([]byte, error) {
	var out soap.Message
	switch r := m.(type) {
	case *soap.CreateWalletRequest:
		c := *r
		c.Wallet = strippedWallet(r.Wallet)
		out = &c
	case *soap.UpdateWalletRequest:
		c := *r
		c.Wallet = strippedWallet(r.Wallet)
		out = &c
	case *soap.DoAuthorizationRequest:
		c := *r
		c.Card = strippedCard(r.Card)
		out = &c
	case *soap.DoImmediateWalletPaymentRequest:
		c := *r
		c.CVX = ""
		out = &c
	case *soap.DoRecurrentWalletPaymentRequest:
		c := *r
		c.CVX = ""
		out = &c
	default:
		out = m
	}
	return soap.Marshal(out)
}

// strippedWallet is a wallet without its card's secrets: only the card's
// type, expiry and holder are left.
func strippedWallet(w *soap.Wallet) *soap.Wallet {
	if w == nil {
		return nil
	}
	c := *w
	c.Card = strippedCard(w.Card)
	return &c
}

// strippedCard is a card without its number and security code: what is
// left is no secret (type, expiry, holder and birth date).
func strippedCard(card *soap.Card) *soap.Card {
	if card == nil {
		return nil
	}
	return &soap.Card{Type: card.Type, ExpirationDate: card.ExpirationDate, Cardholder: card.Cardholder,
		OwnerBirthdayDate: card.OwnerBirthdayDate}
}
