package soap_test

import (
	"reflect"
	"strings"
	"testing"

	"guichet/internal/payline/soap"
)

// TestEveryOperation builds, marshals and decodes the request and the
// answer of each of the 42 operations.
func TestEveryOperation(t *testing.T) {
	ops := soap.Operations()
	seen := make(map[string]bool)
	for _, op := range ops {
		t.Run(op, func(t *testing.T) {
			if seen[op] {
				t.Fatalf("listed twice")
			}
			seen[op] = true
			req := soap.NewRequest(op)
			if req == nil || req.Operation() != op || !strings.EqualFold(reflect.TypeOf(req).Elem().Name(), op+"Request") {
				t.Fatalf("NewRequest() = %T", req)
			}
			result := &soap.Result{Code: "02305", ShortMessage: "INVALID", LongMessage: "Invalid field format : " + op}
			resp := soap.NewResponse(op, result)
			if resp == nil || resp.Operation() != op || !strings.EqualFold(reflect.TypeOf(resp).Elem().Name(), op+"Response") {
				t.Fatalf("NewResponse() = %T", resp)
			}
			if got, _ := lookup(resp, "result/longMessage"); got != result.LongMessage {
				t.Errorf("NewResponse() result/longMessage = %q", got)
			}
			for _, m := range []soap.Message{req, resp} {
				out, err := soap.Marshal(m)
				if err != nil {
					t.Fatal(err)
				}
				decode := soap.DecodeRequest
				if m == resp {
					decode = soap.DecodeResponse
				}
				back, err := decode(out)
				if err != nil {
					t.Fatalf("decoding %T: %v\n%s", m, err, out)
				}
				if !reflect.DeepEqual(back, m) {
					t.Errorf("decoding %T gives %#v", m, back)
				}
			}
		})
	}
	if len(ops) != 42 {
		t.Errorf("Operations() lists %d operations, want 42", len(ops))
	}
	for _, op := range []string{"", "doMagic", "doWebPaymentRequest", "DoWebPayment"} {
		if m := soap.NewRequest(op); m != nil {
			t.Errorf("NewRequest(%q) = %T, want nil", op, m)
		}
		if m := soap.NewResponse(op, nil); m != nil {
			t.Errorf("NewResponse(%q) = %T, want nil", op, m)
		}
	}
}

// foreign implements Message without being one of the package's types.
type foreign struct{}

func (*foreign) Operation() string { return "doWebPayment" }

func TestMarshalRejects(t *testing.T) {
	for _, m := range []soap.Message{nil, &foreign{}} {
		if out, err := soap.Marshal(m); err == nil {
			t.Errorf("Marshal(%T) = %s, want an error", m, out)
		}
	}
	// A nil pointer of a message type is an empty message.
	out, err := soap.Marshal((*soap.GetWebPaymentDetailsRequest)(nil))
	if err != nil || !strings.Contains(string(out), "<impl:getWebPaymentDetailsRequest ") {
		t.Errorf("Marshal(nil request) = %s, %v", out, err)
	}
}

// TestDecodeResponseFault reads faults as other servers write them.
func TestDecodeResponseFault(t *testing.T) {
	body := `<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault>` +
		`<faultcode>e:Server</faultcode><faultstring>busy</faultstring><detail><x/></detail></e:Fault></e:Body></e:Envelope>`
	m, err := soap.DecodeResponse([]byte(body))
	f, ok := err.(*soap.Fault)
	if m != nil || !ok || f.Code != soap.Server || f.String != "busy" {
		t.Errorf("DecodeResponse() = %v, %v; want a Server fault", m, err)
	}
	// A request cannot be a fault.
	if _, err := soap.DecodeRequest([]byte(body)); err == nil || !strings.Contains(err.Error(), "Fault") {
		t.Errorf("DecodeRequest() error = %v, want an unknown operation", err)
	}
}
