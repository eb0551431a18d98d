package sim_test

import (
	"context"
	"testing"

	"guichet"
	"guichet/internal/sim"
)

// TestPayconiq: a Payconiq payment is paid with the partner's details,
// except at the test amounts; a production shop's payment of a test
// amount is paid too; an unknown partner is an invalid request.
func TestPayconiq(t *testing.T) {
	a := sim.New(clock)
	pay := func(shop *guichet.Shop, amount int64) guichet.AcquirerResult {
		t.Helper()
		res, err := a.Process(context.Background(), guichet.AcquirerRequest{Shop: shop, Kind: guichet.OpAuthorize,
			Amount: eur(amount), Partner: sim.PartnerPayconiq, Key: "k1"})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := pay(testShop(), 1000)
	if !res.Approved || res.Code != sim.CodeApproved || res.Details["cardMaskedPan"] != "670999XXXXXX9999" ||
		res.Details["cardExpiry"] != "12/29" || res.Details["bankCode"] != "GKCCBEBB" || res.Details["accountNumber"] != "BE12XXXXXXXXXX92" ||
		res.Details["transactionFlow"] != "ecommerce" {
		t.Errorf("payment of 10 EUR: %+v", res)
	}
	for amount, code := range map[int64]string{2020: "05", 2106: "96", 2012: "12"} {
		if res := pay(testShop(), amount); res.Approved || res.Code != code || res.Details != nil {
			t.Errorf("test amount %d: %+v, want refused with %s", amount, res, code)
		}
	}
	if res := pay(prodShop(), 2020); !res.Approved || res.AuthCode == "" || res.AuthCode == sim.TestAuthCode {
		t.Errorf("production payment of a test amount: %+v, want paid with an authorization number", res)
	}
	_, err := a.Process(context.Background(), guichet.AcquirerRequest{Shop: testShop(), Kind: guichet.OpAuthorize,
		Amount: eur(100), Partner: "NOPE"})
	if guichet.ErrorCode(err) != guichet.CodeInvalid {
		t.Errorf("unknown partner: %v, want invalid", err)
	}
}
