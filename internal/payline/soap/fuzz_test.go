package soap_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"guichet/internal/payline/soap"
)

// FuzzDecode feeds arbitrary bytes to both decoders: nothing may panic, an
// error comes without a message, and whatever decodes must marshal,
// decode again to the same operation and value, and marshal to the same
// bytes. The corpus starts from every recorded fixture and every file
// under testdata.
func FuzzDecode(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{
		filepath.Join("testdata", "*.xml"),
		filepath.Join("..", "..", "..", "..", "shared", "vectors", "payline", "fixtures", "*", "*", "*.xml"),
	} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, files...)
	}
	for _, file := range seeds {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(""))
	f.Add([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><getWebPaymentDetailsRequest><token xsi:nil="1"/></getWebPaymentDetailsRequest></s:Body></s:Envelope>`))
	f.Add([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><doWebPaymentRequest><order><details><details><ref>&#xD;x&#9;</ref></details></details></order></doWebPaymentRequest></s:Body></s:Envelope>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, decode := range []func([]byte) (soap.Message, error){soap.DecodeRequest, soap.DecodeResponse} {
			m, err := decode(data)
			if err != nil {
				if m != nil {
					t.Fatalf("decode() = %v and error %v", m, err)
				}
				continue
			}
			out, err := soap.Marshal(m)
			if err != nil {
				t.Fatalf("Marshal() error = %v", err)
			}
			again, err := decode(out)
			if err != nil {
				t.Fatalf("decode(Marshal()) error = %v\n%s", err, out)
			}
			if again.Operation() != m.Operation() {
				t.Fatalf("decode(Marshal()) is %s, want %s", again.Operation(), m.Operation())
			}
			if !reflect.DeepEqual(again, m) {
				t.Fatalf("decode(Marshal()) = %#v, want %#v", again, m)
			}
			if out2, _ := soap.Marshal(again); !bytes.Equal(out2, out) {
				t.Fatalf("Marshal() is not stable:\n%s\n%s", out, out2)
			}
		}
	})
}
