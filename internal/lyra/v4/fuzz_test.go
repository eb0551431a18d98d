package v4_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guichet/internal/lyra/v4"
)

// FuzzSignedAnswer feeds arbitrary form bodies to the parser and the
// verifier: nothing may panic, a parsed answer must survive Encode and
// ParseSignedAnswer unchanged, and any answer must verify once signed.
func FuzzSignedAnswer(f *testing.F) {
	f.Add(v4.Sign(v4.AnswerTypePayment, []byte(payfanoutPayment), v4.HashKeyPassword, demoPassword).Encode())
	f.Add("kr-answer=%7B%22a%22%3A%22%5C%2F%22%7D&kr-hash=00&kr-hash-algorithm=sha256_hmac&kr-src=PAY")
	f.Add("kr-answer=&kr-hash=")
	f.Add("kr-answer=%ZZ")
	f.Add("")
	for _, raw := range recordedFiles(f, "requests", func(name string) bool { return !strings.HasSuffix(name, "_answer.json") }) {
		var fields map[string]string
		if err := json.Unmarshal(raw, &fields); err != nil {
			f.Fatal(err)
		}
		form := url.Values{}
		for k, v := range fields {
			form.Set(k, v)
		}
		f.Add(form.Encode())
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		s, err := v4.ParseSignedAnswer(form)
		if err != nil {
			return
		}
		_ = s.Verify(demoPassword)
		again, err := url.ParseQuery(s.Encode())
		if err != nil {
			t.Fatalf("ParseQuery(Encode()) error = %v", err)
		}
		if s2, err := v4.ParseSignedAnswer(again); err != nil || s2 != s {
			t.Fatalf("ParseSignedAnswer(Encode()) = %+v, %v; want %+v", s2, err, s)
		}
		signed := v4.Sign(s.AnswerType, []byte(s.Answer), s.HashKey, "key")
		if err := signed.Verify("key"); err != nil {
			t.Fatalf("Verify() of a fresh signature = %v", err)
		}
	})
}

// FuzzDecodePayment decodes arbitrary bytes into a Payment: nothing may
// panic, and what decodes must encode, decode again and encode to the same
// bytes.
func FuzzDecodePayment(f *testing.F) {
	for _, s := range []string{phpSDKHMACAnswer, phpSDKPasswordAnswer, phpExamplesAnswer, javaSDKAnswer,
		payfanoutPayment, `{}`, `null`, `{"transactions":[{"creationDate":"2024-04-11T08:31:08.5+02:00"}]}`,
		`{"orderDetails":{"metadata":{"b":"1","a":"<&>"}},"subMerchantDetails":{ "x" : [1, 2.50e3] }}`} {
		f.Add([]byte(s))
	}
	for _, raw := range recordedFiles(f, "requests", func(name string) bool { return strings.HasSuffix(name, "_answer.json") }) {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p v4.Payment
		if err := json.Unmarshal(data, &p); err != nil {
			return
		}
		first, err := v4.Marshal(p)
		if err != nil {
			t.Fatalf("Marshal() of a decoded payment: %v", err)
		}
		var again v4.Payment
		if err := json.Unmarshal(first, &again); err != nil {
			t.Fatalf("Unmarshal(Marshal()) error = %v\n%s", err, first)
		}
		second, err := v4.Marshal(again)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("encoding is not stable:\n%s\n%s", first, second)
		}
	})
}

// recordedFiles returns the recorded files of a subdirectory whose names
// keep accepts, none when the recordings are absent: the fuzz targets then
// start from their built-in seeds only.
func recordedFiles(f *testing.F, sub string, keep func(name string) bool) [][]byte {
	dir, err := findRecorded()
	if err != nil {
		return nil
	}
	files, err := filepath.Glob(filepath.Join(dir, sub, "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	var out [][]byte
	for _, file := range files {
		if !keep(filepath.Base(file)) {
			continue
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, raw)
	}
	return out
}
