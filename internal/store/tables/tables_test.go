package tables

import (
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"time"

	"guichet"
)

// testDialect numbers its parameters like PostgreSQL and passes times as
// they are.
type testDialect struct{}

func (testDialect) AppendParam(b []byte, n int) []byte { return append(b, "$"+strconv.Itoa(n)...) }

func (testDialect) Time(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func (testDialect) ScanTime(t *time.Time) any { return (*testTime)(t) }

type testTime time.Time

// row is a row whose columns hold the arguments a write was given, as a
// database would give them back.
type row []any

func (r row) Scan(dest ...any) error {
	if len(dest) != len(r) {
		return fmt.Errorf("%d destinations for %d columns", len(dest), len(r))
	}
	for i, d := range dest {
		if t, ok := d.(*testTime); ok {
			v, _ := r[i].(time.Time)
			*t = testTime(v)
			continue
		}
		dv := reflect.ValueOf(d).Elem()
		if r[i] == nil {
			dv.SetZero()
			continue
		}
		sv := reflect.ValueOf(r[i])
		if !sv.Type().ConvertibleTo(dv.Type()) {
			return fmt.Errorf("column %d: %T into %T", i, r[i], d)
		}
		dv.Set(sv.Convert(dv.Type()))
	}
	return nil
}

// roundTrip writes v, reads it back with extra columns after the table's,
// and checks that the value read is v.
func roundTrip[T any](t *testing.T, tab Table[T], v T, extra ...any) {
	t.Helper()
	args := tab.Append(testDialect{}, nil, v)
	if len(args) != tab.Len() {
		t.Fatalf("%s: %d column values for %d columns", tab.Name, len(args), tab.Len())
	}
	seen := map[string]bool{}
	for _, name := range tab.names() {
		if seen[name] {
			t.Errorf("%s: column %s listed twice", tab.Name, name)
		}
		seen[name] = true
	}
	if tab.Scan == nil {
		return
	}
	var got T
	if err := tab.Scan(testDialect{}, append(row(args), extra...), &got); err != nil {
		t.Fatalf("%s: Scan: %v", tab.Name, err)
	}
	if !reflect.DeepEqual(got, v) {
		t.Errorf("%s: read back\n%+v\nwrote\n%+v", tab.Name, got, v)
	}
}

func TestRoundTrip(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 29, h, 0, 0, 0, time.UTC) }
	card := guichet.StoredCard{Masked: "497010XXXXXX0014", Fingerprint: "fp", Brand: guichet.BrandVisa, Country: "FRA",
		ExpMonth: 12, ExpYear: 2031, Sealed: []byte("sealed")}

	roundTrip(t, Shops, guichet.Shop{ID: "shop", Name: "Shop", Mode: guichet.ModeTest, CaptureDelay: 2, AutoCaptureDays: 3,
		ClockOffset: time.Minute, ThreeDS: true, RequireCVV: true, NotifyAttempts: 4, Brands: []guichet.Brand{guichet.BrandCB},
		Kwixo: &guichet.KwixoContract{Options: []string{guichet.KwixoStandard}}, CreatedAt: at(1),
		Credentials: []guichet.Credential{{Protocol: "paybox", Key: "1/2", Data: []byte(`{"a":1}`)}}},
		`[{"p":"paybox","k":"1/2","d":"{\"a\":1}"}]`)
	roundTrip(t, Shops, guichet.Shop{ID: "bare", Mode: guichet.ModeProduction}, "[]")
	roundTrip(t, Credentials, Credential{Protocol: "paybox", Key: "1/2", ShopID: "shop", Data: "{}"})
	roundTrip(t, Transactions, guichet.Transaction{ID: "tx", ShopID: "shop", Number: 1000001, Reference: "ref", Front: "lyra", Currency: "EUR",
		Amount: 1000, Captured: 400, Refunded: 100, Status: guichet.StatusCaptured, Card: card, TokenID: "tok", OrderID: "order",
		Method: "card", Option: "opt", Review: "review", ThreeDS: "Y", AuthCode: "123456", ResponseCode: "00",
		RemitAt: at(2), CaptureBy: at(3), RefundBy: at(8), Details: map[string]string{"cardMaskedPan": "670999XXXXXX9999"},
		CreatedAt: at(4), UpdatedAt: at(5)})
	roundTrip(t, Operations, guichet.Operation{ID: "op", TransactionID: "tx", Number: 1000002, Kind: guichet.OpCapture,
		Amount: 400, Approved: true, Code: "00", Front: "paybox", Ref: "r", CreatedAt: at(6)})
	roundTrip(t, Claims, guichet.Claim{ShopID: "shop", Key: "key", At: at(7), State: guichet.ClaimPending, Request: []byte("req"),
		TransactionID: "tx", SettleAfter: at(8)})
	roundTrip(t, Tokens, guichet.Token{ID: "tok", ShopID: "shop", Reference: "ref", Handle: "h", Card: card, OrderID: "order",
		CancelledAt: at(9), CreatedAt: at(10), UpdatedAt: at(11)})
	roundTrip(t, PendingCards, guichet.PendingCard{OrderID: "order", ShopID: "shop", Card: card, CreatedAt: at(12), ExpiresAt: at(13)})
	roundTrip(t, Orders, guichet.Order{ID: "order", ShopID: "shop", Protocol: "paybox-system", Reference: "ref",
		Amount: guichet.Money{Amount: 1000, Currency: "EUR"}, Status: guichet.OrderPaid, Request: []byte("req"), TransactionID: "tx",
		Content: guichet.OrderContent{Metadata: []guichet.Field{{Name: "k", Value: "v"}}}, Attempts: 1, MaxAttempts: 3,
		ExpiresAt: at(14), SeenAt: at(13), Method: "PAYCONIQFP", CreatedAt: at(15), UpdatedAt: at(16)})
	roundTrip(t, Jobs, guichet.Job{ID: "job", ShopID: "shop", Kind: "deliver", Ref: "ref", DueAt: at(17), Data: []byte("d"), Group: "g"})
	roundTrip(t, Deliveries, guichet.Delivery{ID: "del", ShopID: "shop", EventID: "ev", TransactionID: "tx", OrderRef: "ref",
		Method: "POST", URL: "https://example.com", ContentType: "text/plain", Body: []byte("b"), RetryBody: []byte("r"),
		ResendBody: []byte("s"), SuccessCodes: []int{200, 302}, RetryMarks: 15 * time.Minute, MaxAttempts: 5, Status: guichet.DeliveryFailed,
		Attempts: 2, CreatedAt: at(18), UpdatedAt: at(19)})
	roundTrip(t, Attempts, guichet.Attempt{DeliveryID: "del", At: at(20), StatusCode: 500, Error: "e", Duration: time.Second, Answer: "a"})

	roundTrip(t, Users, guichet.User{Name: "alice", Role: guichet.RoleMerchant, Shops: []string{"shop_b", "shop_a"},
		Password: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", CreatedAt: at(23)})
	roundTrip(t, Users, guichet.User{Name: "root", Role: guichet.RoleOperator, Password: "$argon2id$x"})
	roundTrip(t, Sessions, guichet.Session{ID: "sess", User: "alice", CSRF: "csrf", CreatedAt: at(1), ExpiresAt: at(2)})
	roundTrip(t, Audit, guichet.AuditEntry{ID: "aud", At: at(3), User: "alice", ShopID: "shop", TransactionID: "tx",
		Action: "refund", Detail: "100 EUR: ok"})

	// An event's next_attempt_at and an exchange's size are written but
	// not read back into the value.
	roundTrip(t, Events, guichet.Event{ID: "ev", ShopID: "shop", TransactionID: "tx", Type: "transaction.captured", At: at(21),
		Data: []byte("{}")})
	roundTrip(t, Exchanges, guichet.Exchange{ID: "ex", ShopID: "shop", Protocol: "ppps", Operation: "00003", Reference: "ref",
		Code: "00000", Request: "req", Response: "resp", At: at(22), Duration: time.Millisecond})

	// The zero time and an empty blob are NULL, and read back as such.
	roundTrip(t, Jobs, guichet.Job{ID: "job", ShopID: "shop", Kind: "deliver"})
}

func TestStatements(t *testing.T) {
	d := testDialect{}
	for _, c := range []struct{ got, want string }{
		{Attempts.Insert(d, 2), "INSERT INTO attempts (delivery_id, at, status_code, error, duration_ns, answer) VALUES ($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12)"},
		{Jobs.Excluded("id"), "shop_id = excluded.shop_id, kind = excluded.kind, ref = excluded.ref, due_at = excluded.due_at, data = excluded.data, group_key = excluded.group_key"},
		{Jobs.Qualified("c"), "c.id, c.shop_id, c.kind, c.ref, c.due_at, c.data, c.group_key"},
		{Params(d, 3, 2), "$3, $4"},
		{Attempts.Update(d, "delivery_id", "at").SQL, "UPDATE attempts SET status_code = $1, error = $2, duration_ns = $3, answer = $4 WHERE delivery_id = $5"},
	} {
		if c.got != c.want {
			t.Errorf("got  %s\nwant %s", c.got, c.want)
		}
	}

	u := Transactions.Update(d, "id", "shop_id", "number", "created_at")
	args := u.Args(Transactions.Append(d, nil, guichet.Transaction{ID: "tx", ShopID: "shop", Number: 7, Reference: "ref",
		UpdatedAt: time.Unix(1, 0)}))
	if len(args) != Transactions.Len()-3 || args[0] != "ref" || args[len(args)-2] != time.Unix(1, 0) || args[len(args)-1] != "tx" {
		t.Errorf("transaction update arguments: %v", args)
	}
}
