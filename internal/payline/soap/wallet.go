package soap

// This file declares the objects of wallets.

// Wallet is a card a merchant keeps for a customer under a wallet
// identifier.
type Wallet struct {
	WalletID        string   `xsd:"walletId"`
	LastName        string   `xsd:"lastName,optional,nillable"`
	FirstName       string   `xsd:"firstName,optional,nillable"`
	Email           string   `xsd:"email,optional,nillable"`
	ShippingAddress *Address `xsd:"shippingAddress,optional,nillable"`
	Card            *Card    `xsd:"card"`
	Comment         string   `xsd:"comment,optional,nillable"`
	Default         string   `xsd:"default,optional,nillable"`
	CardStatus      string   `xsd:"cardStatus,optional,nillable"`
	CardBrand       string   `xsd:"cardBrand,optional,nillable"`
}

// Cards is one card of a wallet as getCards lists it.
type Cards struct {
	WalletID        string            `xsd:"walletId"`
	LastName        string            `xsd:"lastName,nillable"`
	FirstName       string            `xsd:"firstName,nillable"`
	Email           string            `xsd:"email,nillable"`
	ShippingAddress *Address          `xsd:"shippingAddress,nillable"`
	Card            *Card             `xsd:"card"`
	CardInd         string            `xsd:"cardInd,nillable"`
	Comment         string            `xsd:"comment,nillable"`
	IsDisabled      string            `xsd:"isDisabled,nillable"`
	DisableDate     string            `xsd:"disableDate,nillable"`
	ExtendedCard    *ExtendedCardType `xsd:"extendedCard,nillable"`
	Default         string            `xsd:"default,nillable"`
}

// CardsList lists the cards of a wallet.
type CardsList struct {
	Cards []Cards `xsd:"cards,optional,max=99"`
}

// WalletIDList lists wallet identifiers.
type WalletIDList struct {
	WalletID []string `xsd:"walletId,max=500"`
}
