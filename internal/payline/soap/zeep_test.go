package soap_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/payline/soap"
)

// debianPython is the interpreter Debian's python3-zeep is installed for.
const debianPython = "/usr/bin/python3"

// TestZeep lets zeep, a client that validates answers against the WSDL,
// play a merchant against a server built on this package: the server
// serves the generated WSDL, decodes zeep's requests and answers with
// Marshal. zeep first loads the generated WSDL from the server, then
// Payline's own WSDL pointed at the server; both must accept every
// answer, and the server must read every request.
func TestZeep(t *testing.T) {
	if err := exec.Command(debianPython, "-c", "import zeep").Run(); err != nil {
		t.Skipf("no zeep for %s: %v", debianPython, err)
	}
	answers := sampleAnswers()
	var mu sync.Mutex
	requests := make(map[string]soap.Message)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.RawQuery == "wsdl" {
			doc, err := soap.WSDL(path.Base(r.URL.Path), "http://"+r.Host+r.URL.Path)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			w.Write(doc)
			return
		}
		body, _ := io.ReadAll(r.Body)
		m, err := soap.DecodeRequest(body)
		if err != nil {
			t.Errorf("DecodeRequest() of zeep's request: %v\n%s", err, body)
			w.Header().Set("Content-Type", soap.ContentType)
			w.WriteHeader(http.StatusInternalServerError)
			w.Write((&soap.Fault{Code: soap.Client, String: err.Error()}).Marshal())
			return
		}
		if got, want := r.Header.Get("SOAPAction"), strconv.Quote(m.Operation()); got != want {
			t.Errorf("SOAPAction = %s, want %s", got, want)
		}
		mu.Lock()
		requests[m.Operation()] = m
		mu.Unlock()
		out, err := soap.Marshal(answers[m.Operation()])
		if err != nil {
			t.Errorf("Marshal(): %v", err)
		}
		w.Header().Set("Content-Type", soap.ContentType)
		w.Write(out)
	}))
	defer srv.Close()

	run := func(t *testing.T, wsdl, address string) {
		mu.Lock()
		clear(requests)
		mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, debianPython, filepath.Join("testdata", "zeep_client.py"), wsdl, address)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("zeep: %v\n%s", err, stderr.String())
		}
		var got map[string]any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("zeep's output: %v\n%s", err, out)
		}
		for p, want := range map[string]string{
			"doWebPayment/token":                                                                      "1hK2pGZtq3XhNYv3C2a91742826700000",
			"doWebPayment/redirectURL":                                                                "https://pay.example/webpayment/?reqCode=prepareStep2&token=1hK2pGZtq3XhNYv3C2a91742826700000",
			"getWebPaymentDetails/order/details/details[0]/ref":                                       "SKU-1",
			"getWebPaymentDetails/privateDataList/privateData[0]/value":                               `17 & "18"`,
			"getWebPaymentDetails/buyer/shippingAdress/cityName":                                      "Lyon",
			"getWebPaymentDetails/card/token":                                                         "4970toarLkqb1646",
			"getWebPaymentDetails/linkedTransactionId":                                                "<nil>",
			"doAuthorization/result/longMessage":                                                      "Erreur <interne>",
			"doAuthorization/transaction":                                                             "<nil>",
			"getMerchantSettings/listPointOfSell/pointOfSell[0]/contracts/contract[0]/settlementType": "Now",
			"getMerchantSettings/listPointOfSell/pointOfSell[0]/virtualTerminal/functions/function[0]/functionParameter[0]/id": "p<1>",
			"getBalance/balance/amount":                                        "12200",
			"transactionsSearch/transactionList/transaction[1]/payment/amount": "1250",
			"getAlertDetails/CustomerTransHist/CustomerTrans[0]/Amount":        "20.40 EUR",
		} {
			if v := jsonPath(got, p); v != want {
				t.Errorf("zeep read %s = %q, want %q", p, v, want)
			}
		}
		for p, want := range map[string]string{
			"doWebPayment/returnURL":                                "https://shop.example/return?a=1&b=2",
			"doWebPayment/order/details/details[1]/ref":             "SKU-2",
			"doWebPayment/selectedContractList/selectedContract[1]": "PAYCONIQ_MNXT",
			"doWebPayment/privateDataList/privateData[0]/key":       "cart",
			"doWebPayment/buyer/shippingAdress/cityName":            "Lyon",
			"doWebPayment/owner":                                    "<nil>",
			"doAuthorization/card/cvx":                              "123",
			"doAuthorization/bankAccountData":                       "<nil>",
			"transactionsSearch/endDate":                            "31/03/2025",
			"getAlertDetails/AlertId":                               "998587002",
		} {
			op, rest, _ := strings.Cut(p, "/")
			mu.Lock()
			m, ok := requests[op]
			mu.Unlock()
			if !ok {
				t.Errorf("no %s request", op)
				continue
			}
			if v, err := lookup(m, rest); err != nil || v != want {
				t.Errorf("the server read %s = %q, %v; want %q", p, v, err, want)
			}
		}
	}
	t.Run("generated WSDL", func(t *testing.T) {
		address := srv.URL + "/V4/services/" + soap.DirectPaymentAPI
		run(t, address+"?wsdl", address)
	})
	t.Run("vendor WSDL", func(t *testing.T) {
		wsdl, err := filepath.Abs(filepath.Join(vectorsDir(t), "wsdl", "WebPaymentAPI.wsdl"))
		if err != nil {
			t.Fatal(err)
		}
		run(t, wsdl, srv.URL+"/V4/services/"+soap.WebPaymentAPI)
	})
}

// jsonPath returns the value at p in v, a path of keys and [index]
// suffixes: a string, "<nil>" for null, or a Go rendering of anything
// else.
func jsonPath(v any, p string) string {
	for _, seg := range strings.Split(p, "/") {
		key, index, indexed := strings.Cut(strings.TrimSuffix(seg, "]"), "[")
		obj, ok := v.(map[string]any)
		if !ok {
			return fmt.Sprintf("<no %s>", seg)
		}
		v = obj[key]
		if indexed {
			n, _ := strconv.Atoi(index)
			list, ok := v.([]any)
			if !ok || n >= len(list) {
				return fmt.Sprintf("<no %s>", seg)
			}
			v = list[n]
		}
	}
	switch v := v.(type) {
	case nil:
		return "<nil>"
	case string:
		return v
	}
	return fmt.Sprint(v)
}
