package payline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"guichet/internal/payline/soap"
)

// FuzzServe sends arbitrary bodies to the services as the demo merchant:
// every answer is a SOAP answer with a result (HTTP 200) or a fault for a
// body that is not a call (HTTP 400), never a server error. The corpus
// starts from the recorded requests and a few valid calls.
func FuzzServe(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fixturesDir, "*", "*", "*Request*.xml"))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	for _, m := range []soap.Message{
		authorization("101", "1000", "4970101122334455"),
		&soap.DoCaptureRequest{Version: "34", TransactionID: "20000010000021", Payment: &soap.Payment{Amount: "1", Currency: "978", Action: "201", Mode: "CPT"}},
		&soap.GetWebPaymentDetailsRequest{Token: "x"},
	} {
		data, err := soap.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("<not xml"))
	g := newGateway(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		g.t = t
		status, out := g.post("DirectPaymentAPI", body, merchantID, accessKey)
		switch status {
		case 200:
			if _, err := soap.DecodeResponse(out); err != nil {
				t.Fatalf("HTTP 200 with an answer that is not one: %v\n%s", err, out)
			}
		case 400:
			if !bytes.Contains(out, []byte("Fault")) {
				t.Fatalf("HTTP 400 without a fault:\n%s", out)
			}
		default:
			t.Fatalf("HTTP %d for\n%s\n->\n%s", status, body, out)
		}
	})
}
