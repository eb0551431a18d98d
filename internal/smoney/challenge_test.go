package smoney_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestChallengePending: between the card step of the page and the end of
// the 3-D Secure challenge, GET shows the payment waiting (Status 0,
// ErrorCode 0) with ExecCode 0001 and the card typed; before the card
// step, and once the held card has expired, it shows no outcome at all;
// after the challenge, the payment's.
func TestChallengePending(t *testing.T) {
	onBothStores(t, func(t *testing.T, g *gateway) {
		read := func(orderID string) (status, errorCode int64, extra, card map[string]any) {
			t.Helper()
			code, _, got := g.call("GET", "payins/cardpayments/"+orderID, nil)
			if code != http.StatusOK {
				t.Fatalf("GET: HTTP %d %v", code, got)
			}
			extra, _ = got["ExtraResults"].(map[string]any)
			card, _ = got["Card"].(map[string]any)
			return number(got["Status"]), number(got["ErrorCode"]), extra, card
		}
		// typeCard takes the payment's page to its challenge.
		typeCard := func(orderID string) (href string, form url.Values) {
			t.Helper()
			_, _, created := g.call("POST", "payins/cardpayments", g.payment(orderID, 1500))
			href = created["Href"].(string)
			if status, _, extra, _ := read(orderID); status != 0 || extra != nil {
				t.Errorf("before the card step: Status %d, ExtraResults %v", status, extra)
			}
			g.get(href)
			form = g.post(href+"/choose", url.Values{"method": {"VISA"}}).Hidden()
			form.Set("number", testCard)
			form.Set("expiry", "12/30")
			form.Set("cvv", "123")
			challenge := g.post(href+"/card", form)
			if challenge.Status != http.StatusOK {
				t.Fatalf("card step: HTTP %d", challenge.Status)
			}
			return href, challenge.Hidden()
		}

		href, form := typeCard("pending-1")
		status, errorCode, extra, card := read("pending-1")
		if status != 0 || errorCode != 0 || extra["ExecCode"] != "0001" || extra["ExecMessage"] == "" || extra["threedsecure"] != true ||
			number(extra["ThreeDsCardEnrolled"]) != 0 || number(extra["3dsecureversion"]) != 2 || card["Hint"] != "4XXXX5" {
			t.Errorf("during the challenge: Status %d ErrorCode %d ExtraResults %v Card %v", status, errorCode, extra, card)
		}
		form.Set("outcome", "ok")
		if done := g.post(href+"/3ds", form); done.Status != http.StatusSeeOther {
			t.Fatalf("challenge: HTTP %d", done.Status)
		}
		if status, _, extra, _ := read("pending-1"); status != 1 || extra["ExecCode"] != "0000" {
			t.Errorf("after the challenge: Status %d ExtraResults %v", status, extra)
		}

		// A card held past its life is forgotten: the payment waits for
		// a card again, without an outcome.
		typeCard("pending-2")
		g.advance(16 * time.Minute)
		if status, _, extra, card := read("pending-2"); status != 0 || extra != nil || card != nil {
			t.Errorf("after the held card expired: Status %d ExtraResults %v Card %v", status, extra, card)
		}
	})
}
