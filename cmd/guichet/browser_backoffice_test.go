package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/payline/soap"
)

// TestBrowserBackOffice signs in to the back office in a real headless
// chromium with the credentials the banner prints, as a newcomer would,
// and works on payments made through the four fronts: it filters the
// journal, captures part of a Paybox Direct payment, cancels a Payline one,
// advances a Lyra shop's clock so that its payment is captured, then
// refunds part of it; captures part of a KWIXO payment made on Paybox
// System's pages once its review allows it, and sees the capture pending,
// then confirmed after a clock advance; resends the callback of an
// S-money payment made on its page, and refunds part of it. A merchant user made with `guichet
// user add` sees only its shop, by the journal and by URL. Every page
// passes axe-core without a serious or critical violation
// (e2e/backoffice.mjs).
func TestBrowserBackOffice(t *testing.T) {
	node, root, script := browserScript(t, "backoffice.mjs")
	data := t.TempDir()
	base, stdout, serverLog, stop := startServe(t, map[string]string{}, "-data", data)
	defer stop()

	m := regexp.MustCompile(`back office +(\S+)/backoffice/ +user (\S+) +password (\S+)\n`).FindStringSubmatch(stdout.String())
	if m == nil || m[1] != base {
		t.Fatalf("the banner names no back office:\n%s", stdout)
	}
	user, password := m[2], m[3]
	kept, err := os.ReadFile(filepath.Join(data, "backoffice.password"))
	if err != nil || strings.TrimSpace(string(kept)) != password {
		t.Fatalf("the password kept in the data directory: %q, %v", kept, err)
	}
	if info, _ := os.Stat(filepath.Join(data, "backoffice.password")); info.Mode().Perm() != 0o600 {
		t.Errorf("backoffice.password has mode %v, want 0600", info.Mode().Perm())
	}

	// A payment through each of three fronts.
	if a := ppps(t, base, request("00001", 901, "MONTANT", "1250", "REFERENCE", "bo-paybox",
		"PORTEUR", "1111222233334444", "DATEVAL", "1230")); a["CODEREPONSE"] != "00000" {
		t.Fatalf("Paybox payment: %v", a)
	}
	res, err := paylineCall(base, &soap.DoAuthorizationRequest{Version: "34",
		Payment: &soap.Payment{Amount: "3000", Currency: "978", Action: "100", Mode: "CPT", ContractNumber: paylineCards},
		Card:    &soap.Card{Number: "4970100000000055", Type: "CB", ExpirationDate: "1230", CVX: "123"},
		Order:   &soap.Order{Ref: "bo-payline", Amount: "3000", Currency: "978", Date: "23/11/2026 11:00"}})
	if a, ok := res.(*soap.DoAuthorizationResponse); err != nil || !ok || a.Result.Code != "00000" {
		t.Fatalf("Payline payment: %#v %v", res, err)
	}
	form := lyraCall(t, base, "Charge/CreatePayment", map[string]any{"amount": 4990, "currency": "EUR", "orderId": "bo-lyra"})
	pay, _ := json.Marshal(map[string]any{"publicKey": "69876357:testpublickey_DEMOPUBLICKEY95me92597fd28tGD4r5",
		"pan": "4970100000000055", "expiryMonth": 12, "expiryYear": 2030, "securityCode": "123"})
	resp, err := http.Post(base+"/_guichet/v1/lyra/formtokens/"+form["formToken"].(string)+"/pay", "application/json", bytes.NewReader(pay))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("Lyra payment: %v %v", resp, err)
	}
	resp.Body.Close()

	// A KWIXO payment and an S-money one, each through its pages in the
	// browser, by the scenarios of their own tests.
	pm := newBrowserMerchant(t, base)
	var paybox browserResult
	runBrowser(t, node, root, filepath.Join(root, "e2e", "paybox_system.mjs"), serverLog, &paybox, pm.URL, "kwixo")
	sm := newSmoneyMerchant(t, base)
	smoney := map[string]smoneyResult{}
	runBrowser(t, node, root, filepath.Join(root, "e2e", "smoney_cardpayment.mjs"), serverLog, &smoney, sm.URL, "paid")
	kwixoRef, smoneyRef := paybox["kwixo"].Ref, smoney["paid"].Ref
	if kwixoRef == "" || smoneyRef == "" {
		t.Fatalf("payments made in the browser: %v %v", paybox, smoney)
	}
	flushSmoney := func() {
		t.Helper()
		if status, body := sandbox(t, base, data, "POST", "/_guichet/v1/clock/advance", `{"seconds":1,"shop":"`+smoneyShop+`"}`); status != http.StatusOK {
			t.Fatalf("clock advance: %d %s", status, body)
		}
	}
	flushSmoney()
	if got := sm.callbacksOf(smoneyRef); len(got) != 1 {
		t.Fatalf("S-money callbacks before the resend: %v", got)
	}

	// A merchant user of the Paybox shop only, made as an operator would.
	pwFile := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pwFile, []byte("merchant-password-42\n"), 0o600)
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"user", "add", "-data", data, "-role", "merchant", "-shop", "paybox-1999888-32",
		"-password-file", pwFile, "alice"}, func(string) string { return "" }, &out, &errs); err != nil {
		t.Fatalf("user add: %v\n%s", err, errs.String())
	}

	var office browserResult
	runBrowser(t, node, root, script, serverLog, &office, base, user, password, "alice", "merchant-password-42", kwixoRef, smoneyRef)
	if office["operator"].URL == "" || office["merchant"].URL == "" {
		t.Fatalf("the back office scenarios did not all run: %v", office)
	}

	// The resent callback is the first one again; the refund made in
	// the back office is called back too, with the payment's state (a
	// partial refund leaves it completed: status 1).
	flushSmoney()
	got := sm.callbacksOf(smoneyRef)
	if len(got) != 3 || got[1].Encode() != got[0].Encode() || got[2].Get("id") != smoneyRef || got[2].Get("status") != "1" {
		t.Errorf("S-money callbacks after the resend and the refund: %v, want the first one twice, then the refund's", got)
	}

	want := map[string]struct {
		status             string
		captured, refunded int64
	}{
		"bo-paybox":  {"captured", 500, 0},
		"bo-payline": {"cancelled", 0, 0},
		"bo-lyra":    {"captured", 4990, 100},
		kwixoRef:     {"captured", 100, 0},
		smoneyRef:    {"captured", 1500, 250},
	}
	for _, tr := range sandboxTransactions(t, base, data) {
		w, ok := want[tr.Reference]
		if !ok {
			continue
		}
		delete(want, tr.Reference)
		if tr.Status != w.status || tr.Captured != w.captured || tr.Refunded != w.refunded {
			t.Errorf("%s after the browser: %s captured %d refunded %d, want %+v", tr.Reference, tr.Status, tr.Captured, tr.Refunded, w)
		}
	}
	if len(want) != 0 {
		t.Errorf("not listed by the sandbox API: %v", want)
	}
}
