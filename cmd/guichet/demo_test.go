package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"guichet/internal/paybox"
)

// TestDemoAccounts logs in to the demo Paybox Direct accounts as public
// client suites do: activemerchant's logs in as 199988899 (SITE 1999888,
// RANG 99) and, in its newest fixtures, as SITE 1999888 RANG 222, both
// with CLE 1999888I and without CVV; its rang 100 takes HMAC only and
// answers a CLE with "HMAC requis" (remote_paybox_direct_test.rb, live).
// Rang 43 requires the CVV.
func TestDemoAccounts(t *testing.T) {
	base, _, _, stop := startServe(t, map[string]string{}, "-data", t.TempDir())
	defer stop()
	q := 700
	purchase := func(rang string, extra ...string) map[string]string {
		q++
		v := request("00003", q, append([]string{"RANG", rang, "MONTANT", "100", "REFERENCE", "demo " + rang,
			"PORTEUR", "1111222233334444", "DATEVAL", "1230"}, extra...)...)
		return ppps(t, base, v)
	}
	for _, rang := range []string{"99", "222", "32"} {
		if a := purchase(rang); a["CODEREPONSE"] != "00000" {
			t.Errorf("rang %s without CVV: %v", rang, a)
		}
	}
	if a := purchase("43"); a["CODEREPONSE"] != "00020" {
		t.Errorf("rang 43 without CVV: %v", a)
	}
	if a := purchase("43", "CVV", "123"); a["CODEREPONSE"] != "00000" {
		t.Errorf("rang 43 with CVV: %v", a)
	}
	if a := purchase("100"); a["CODEREPONSE"] != "00006" || a["COMMENTAIRE"] != "HMAC requis" {
		t.Errorf("rang 100 with CLE: %v", a)
	}

	// Rang 100 with the frame signed by the demo HMAC key.
	body := "VERSION=00104&TYPE=00003&SITE=1999888&RANG=100&NUMQUESTION=900&DATEQ=01012026&MONTANT=100&DEVISE=978" +
		"&REFERENCE=signed&PORTEUR=1111222233334444&DATEVAL=1230&HASH=SHA512"
	sig, ok := paybox.Sign(paybox.DemoHMACKey, "SHA512", body)
	if !ok {
		t.Fatal("cannot sign")
	}
	resp, err := http.Post(base+"/PPPS.php", "application/x-www-form-urlencoded", strings.NewReader(body+"&HMAC="+sig))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if a := parseAnswer(raw); a["CODEREPONSE"] != "00000" {
		t.Errorf("rang 100 with HMAC: %s", raw)
	}
}
