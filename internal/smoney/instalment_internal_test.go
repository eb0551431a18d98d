package smoney

import (
	"testing"
	"time"
)

func TestReadInstalmentChange(t *testing.T) {
	loc := paris(t)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		name   string
		body   string
		cancel bool
		amount int64 // -1 when absent
		fee    int64 // -1 when absent
		date   time.Time
		code   int // the refusal's Code, 0 when accepted
		path   string
	}{
		{"cancel", `{"Status":5}`, true, -1, -1, time.Time{}, 0, ""},
		{"cancel, lower case, whatever else", `{"status":5,"amount":0,"date":"soon"}`, true, -1, -1, time.Time{}, 0, ""},
		{"amount", `{"Amount":1100}`, false, 1100, -1, time.Time{}, 0, ""},
		{"status 0 and amount", `{"Status":0,"amount":1100}`, false, 1100, -1, time.Time{}, 0, ""},
		{"fee", `{"Fee":10}`, false, -1, 10, time.Time{}, 0, ""},
		{"v1 fee object", `{"Fee":{"AmountWithVAT":12,"VAT":2}}`, false, -1, 12, time.Time{}, 0, ""},
		{"date", `{"Date":"2027-01-05"}`, false, -1, -1, day(2027, 1, 5), 0, ""},
		{"PaymentDate", `{"PaymentDate":"2027-01-05T00:00:00.000000+01:00"}`, false, -1, -1, day(2027, 1, 5), 0, ""},
		// 23:30 UTC on the 4th is already the 5th in Paris.
		{"date in UTC", `{"Date":"2027-01-04T23:30:00Z"}`, false, -1, -1, day(2027, 1, 5), 0, ""},
		{"Date wins over PaymentDate", `{"Date":"2027-01-05","PaymentDate":"2027-01-06"}`, false, -1, -1, day(2027, 1, 5), 0, ""},
		{"null status", `{"Status":null,"Amount":5}`, false, 5, -1, time.Time{}, 0, ""},
		{"empty body", ``, false, 0, 0, time.Time{}, 704, "Amount"},
		{"nothing", `{"OrderId":"x"}`, false, 0, 0, time.Time{}, 704, "Amount"},
		{"status 1", `{"Status":1}`, false, 0, 0, time.Time{}, 177, "Status"},
		{"status -1", `{"Status":-1}`, false, 0, 0, time.Time{}, 177, "Status"},
		{"status text", `{"Status":"5"}`, false, 0, 0, time.Time{}, 178, "Status"},
		{"amount 0", `{"Amount":0}`, false, 0, 0, time.Time{}, 704, "Amount"},
		{"amount negative", `{"Amount":-5}`, false, 0, 0, time.Time{}, 704, "Amount"},
		{"amount fraction", `{"Amount":1.5}`, false, 0, 0, time.Time{}, 178, "Amount"},
		{"fee negative", `{"Fee":-1}`, false, 0, 0, time.Time{}, 178, "Fee"},
		{"date garbage", `{"Date":"tomorrow"}`, false, 0, 0, time.Time{}, 178, "Date"},
		{"date number", `{"Date":20270105}`, false, 0, 0, time.Time{}, 178, "Date"},
		{"array", `[1]`, false, 0, 0, time.Time{}, 178, ""},
		{"not JSON", `{"Amount":`, false, 0, 0, time.Time{}, 178, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ch, e := readInstalmentChange([]byte(c.body), loc)
			if c.code != 0 {
				if e == nil || e.Code != c.code || e.Status != 400 || (c.path != "" && !startsWith(e.Message, c.path)) {
					t.Fatalf("got %+v %v, want Code %d on %s", ch, e, c.code, c.path)
				}
				return
			}
			if e != nil {
				t.Fatal(e)
			}
			opt := func(p *int64) int64 {
				if p == nil {
					return -1
				}
				return *p
			}
			if ch.cancel != c.cancel || opt(ch.amount) != c.amount || opt(ch.fee) != c.fee || !ch.date.Equal(c.date) {
				t.Errorf("got cancel %v amount %d fee %d date %v", ch.cancel, opt(ch.amount), opt(ch.fee), ch.date)
			}
		})
	}
}

func startsWith(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

// FuzzReadInstalmentChange: whatever the body, the reader answers a
// change or a refusal with a code of the API's, never panics, and a
// change it accepts asks for something.
func FuzzReadInstalmentChange(f *testing.F) {
	for _, seed := range []string{`{"Status":5}`, `{"amount":1100,"fee":10,"date":"2027-01-05"}`, `{"PaymentDate":"2027-01-05T00:00:00.000000+01:00"}`,
		`{"Fee":{"AmountWithVAT":12}}`, `{"Status":"5"}`, `{"Amount":1e3}`, `[]`, `null`, ``, `{"a":{"b":[{"c":1}]}}`} {
		f.Add([]byte(seed))
	}
	loc := paris(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		ch, e := readInstalmentChange(body, loc)
		switch {
		case e != nil:
			if e.Status != 400 || (e.Code != 177 && e.Code != 178 && e.Code != 704) || ch != nil {
				t.Fatalf("refusal %+v with %+v", e, ch)
			}
		case ch == nil:
			t.Fatal("neither a change nor a refusal")
		case !ch.cancel && ch.amount == nil && ch.fee == nil && ch.date.IsZero():
			t.Fatal("a change asking for nothing")
		case ch.amount != nil && *ch.amount <= 0, ch.fee != nil && *ch.fee < 0:
			t.Fatalf("accepted amount %v fee %v", ch.amount, ch.fee)
		}
	})
}
