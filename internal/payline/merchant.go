package payline

import (
	"guichet/internal/payline/soap"
)

// getMerchantSettings describes the merchant's account: its points of
// sale, each with the contracts bound to it.
func (a *API) getMerchantSettings(c *call) (soap.Message, error) {
	list := &soap.PointOfSellList{}
	for _, pos := range c.acct.PointsOfSale {
		p := soap.PointOfSell{Label: pos.Label, EndOfPaymentRedirection: "false",
			TicketSend: &soap.TicketSend{ToBuyer: "false", ToMerchant: "false"}, Contracts: &soap.ContractList{}}
		for _, k := range c.acct.Contracts {
			if k.PointOfSale != pos.Label {
				continue
			}
			p.Contracts.Contract = append(p.Contracts.Contract, soap.Contract{CardType: k.CardCode, Label: k.Label,
				ContractNumber: k.Number, Currency: k.Currency, SettlementType: "Manual", LogoEnable: "false",
				Contribution: &soap.Contribution{Enable: "false"}})
		}
		list.PointOfSell = append(list.PointOfSell, p)
	}
	return &soap.GetMerchantSettingsResponse{Result: wireResult("00000"), ListPointOfSell: list}, nil
}
