package payline_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// debianPython is the interpreter Debian's python3-zeep is installed for.
const debianPython = "/usr/bin/python3"

// zeepResults is what testdata/zeep_merchant.py prints.
type zeepResults struct {
	Web struct {
		Create, Before, After, Transaction, Card, Order, Private string
	}
	Direct struct {
		Authorize, Capture, Refund, Details, Refused string
		Types                                        []string
	}
	Payconiq struct {
		Code, Partner, Bank, Buyer, Refund string
	}
	Wallet struct {
		Create, Pay string
	}
}

// TestZeep: zeep, a client that validates every answer against the WSDL,
// plays a merchant's integration end to end against guichet: a web
// payment by card through the hosted page and 3-D Secure, a direct
// payment cycle, a Payconiq payment and its refund, and a wallet payment.
// It loads guichet's own WSDL (?wsdl), then Payline's published one.
func TestZeep(t *testing.T) {
	if err := exec.Command(debianPython, "-c", "import zeep").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs Debian's python3-zeep: %v", err)
		}
		t.Skipf("no zeep for %s: %v", debianPython, err)
	}
	run := func(t *testing.T, wsdl string) {
		g := newGateway(t)
		if strings.HasSuffix(wsdl, "?wsdl") {
			wsdl = g.url + wsdl
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, debianPython, filepath.Join("testdata", "zeep_merchant.py"), wsdl, g.url,
			"web", "direct", "payconiq", "wallet")
		out, err := cmd.Output()
		if err != nil {
			var stderr string
			if e, ok := err.(*exec.ExitError); ok {
				stderr = string(e.Stderr)
			}
			t.Fatalf("zeep: %v\n%s", err, stderr)
		}
		var r zeepResults
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatalf("zeep's output: %v\n%s", err, out)
		}
		if r.Web.Create != "00000" || r.Web.Before != "02533" || r.Web.After != "00000" || !paylineID.MatchString(r.Web.Transaction) ||
			r.Web.Card != "497010XXXXXXXX55" || r.Web.Order != "ZEEP-WEB" || r.Web.Private != "7" {
			t.Errorf("web payment: %+v", r.Web)
		}
		if r.Direct.Authorize != "00000" || r.Direct.Capture != "00000" || r.Direct.Refund != "00000" || r.Direct.Details != "00000" ||
			strings.Join(r.Direct.Types, ",") != "AUTHOR,CAPTURE,REFUND" || r.Direct.Refused != "01100" {
			t.Errorf("direct payment: %+v", r.Direct)
		}
		if r.Payconiq.Code != "00000" || !strings.Contains(r.Payconiq.Partner, "670999XXXXXX9999") || r.Payconiq.Bank != "GKCCBEBB" ||
			r.Payconiq.Buyer != "Doe" || r.Payconiq.Refund != "00000" {
			t.Errorf("Payconiq: %+v", r.Payconiq)
		}
		if r.Wallet.Create != "02500" || r.Wallet.Pay != "00000" {
			t.Errorf("wallet: %+v", r.Wallet)
		}
	}
	t.Run("guichet's WSDL", func(t *testing.T) { run(t, "/V4/services/WebPaymentAPI?wsdl") })
	t.Run("Payline's WSDL", func(t *testing.T) {
		wsdl, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "vectors", "payline", "wsdl", "WebPaymentAPI.wsdl"))
		if err == nil {
			_, err = os.Stat(wsdl)
		}
		if err != nil {
			t.Skipf("no vectors folder beside the checkout: %v", err)
		}
		run(t, wsdl)
	})
}
