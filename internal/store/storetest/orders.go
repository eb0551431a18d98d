package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet"
)

// The tests of hosted payments: orders, jobs, deliveries and attempts, and
// the fields transactions and shops gained for them.

func testTransactionNewFields(t *testing.T, h *harness) {
	shop := randomID("shop")
	var want *guichet.Transaction
	h.update(t, func(tx guichet.Tx) error {
		var err error
		if want, err = newTransaction(tx, shop, "order-nf", 700, base()); err != nil {
			return err
		}
		return tx.PutTransaction(want)
	})
	// Saving a loaded transaction writes the new fields too.
	h.update(t, func(tx guichet.Tx) error {
		tr, err := tx.Transaction(want.ID)
		if err != nil {
			return err
		}
		sameTransaction(t, tr, want)
		tr.OrderID, tr.Method, tr.Option, tr.Review, tr.ThreeDS = "ord-other", "KWIXO", "CREDIT", "803", "A"
		tr.Front = "paybox-system"
		if err := tx.PutTransaction(tr); err != nil {
			return err
		}
		want = tr
		return nil
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Transaction(want.ID)
		if err != nil {
			return err
		}
		sameTransaction(t, got, want)
		list, err := tx.Transactions(guichet.TransactionFilter{ShopID: shop})
		if err != nil {
			return err
		}
		if len(list) != 1 {
			return fmt.Errorf("transactions listed: %d, want 1", len(list))
		}
		sameTransaction(t, &list[0], want)
		return nil
	})
}

func newOrder(shop string, at time.Time) *guichet.Order {
	return &guichet.Order{
		ID:        randomID("ord"),
		ShopID:    shop,
		Protocol:  "paybox-system",
		Reference: "cmd-42",
		Amount:    guichet.Money{Amount: 1990, Currency: "EUR"},
		Status:    guichet.OrderOpen,
		Request:   []byte(`[["PBX_TOTAL","1990"],["PBX_CMD","cmd-42"]]`),
		Content: guichet.OrderContent{
			Customer: &guichet.Customer{Reference: "C2383333540", Email: "sample@example.net",
				Billing:  &guichet.Address{Category: "PRIVATE", Title: "M", FirstName: "Laurent", LastName: "DURANT", StreetNumber: "109", Street: "rue de l'innovation", ZipCode: "31670", City: "LABEGE", Country: "FR", Language: "FR"},
				Shipping: &guichet.Address{ShippingMethod: "RELAY_POINT", ShippingSpeed: "STANDARD", Carrier: "Chronopost", City: "CROIX"},
				Browser:  &guichet.Browser{IP: "192.0.2.1", UserAgent: "Mozilla/5.0"}},
			Cart:        &guichet.Cart{Items: []guichet.CartItem{{Label: "myLabel1", Ref: "myRef1", Qty: ptr(int64(1)), Amount: ptr(int64(1200))}}, Shipping: ptr(int64(0))},
			SubMerchant: &guichet.SubMerchant{Name: "Épicerie", MCC: "5411", Country: "FR"},
			Metadata:    []guichet.Field{{Name: "zeta", Value: "1245KL-78/ZE"}, {Name: "alpha", Value: "<&>"}},
			Extras:      []guichet.Field{{Name: "contrib", Value: "module 1.2"}},
		},
		Attempts:    1,
		MaxAttempts: 3,
		ExpiresAt:   at.Add(15 * time.Minute),
		SeenAt:      at.Add(time.Minute),
		Method:      "CB",
		CreatedAt:   at,
		UpdatedAt:   at,
	}
}

func ptr[T any](v T) *T { return &v }

func normalizeOrder(o guichet.Order) guichet.Order {
	o.ExpiresAt, o.SeenAt, o.CreatedAt, o.UpdatedAt = instant(o.ExpiresAt), instant(o.SeenAt), instant(o.CreatedAt), instant(o.UpdatedAt)
	if len(o.Request) == 0 {
		o.Request = nil
	}
	return o
}

func sameOrder(t *testing.T, got, want *guichet.Order, doing string) {
	t.Helper()
	if g, w := normalizeOrder(*got), normalizeOrder(*want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got %+v\nwant %+v", doing, g, w)
	}
}

func testOrders(t *testing.T, h *harness) {
	shop := randomID("shop")
	at := base()
	full := newOrder(shop, at)
	// An order with nothing optional: zero times and no request.
	bare := &guichet.Order{ID: randomID("ord"), ShopID: shop, Protocol: "paybox-system", Reference: "cmd-0",
		Amount: guichet.Money{Currency: "EUR"}, Status: guichet.OrderOpen}
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.PutOrder(full); err != nil {
			return err
		}
		if err := tx.PutOrder(bare); err != nil {
			return err
		}
		// The unit of work sees its own writes.
		got, err := tx.Order(full.ID)
		if err != nil {
			return err
		}
		sameOrder(t, got, full, "Order in the Update that wrote it")
		return nil
	})
	check := func(tx guichet.Tx) error {
		for _, want := range []*guichet.Order{full, bare} {
			got, err := tx.Order(want.ID)
			if err != nil {
				return err
			}
			sameOrder(t, got, want, "Order")
		}
		return nil
	}
	h.view(t, check)
	h.update(t, check)

	// PutOrder saves changes to an existing order.
	h.update(t, func(tx guichet.Tx) error {
		o, err := tx.Order(full.ID)
		if err != nil {
			return err
		}
		o.Status, o.TransactionID, o.UpdatedAt = guichet.OrderPaid, "tx_paid", at.Add(time.Minute)
		o.Request = []byte(`[]`)
		o.Amount.Amount = 2000
		o.Attempts, o.Content.Metadata = 2, nil
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		full = o
		// Saved twice in one unit of work, the last one wins.
		o2 := *o
		o2.Status = guichet.OrderPending
		if err := tx.PutOrder(&o2); err != nil {
			return err
		}
		o2.Status = guichet.OrderPaid
		return tx.PutOrder(&o2)
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Order(full.ID)
		if err != nil {
			return err
		}
		sameOrder(t, got, full, "updated Order")
		protocols, err := tx.OrderProtocols()
		if err != nil || !slices.Contains(protocols, "paybox-system") {
			t.Errorf("OrderProtocols: %v, %v", protocols, err)
		}
		for i := 1; i < len(protocols); i++ {
			if protocols[i] <= protocols[i-1] {
				t.Errorf("OrderProtocols not distinct and sorted: %v", protocols)
			}
		}
		if !got.CreatedAt.Equal(at) {
			t.Errorf("updated Order: created %v, want %v", got.CreatedAt, at)
		}
		return nil
	})
}

func normalizeJob(j guichet.Job) guichet.Job {
	j.DueAt = instant(j.DueAt)
	if len(j.Data) == 0 {
		j.Data = nil
	}
	return j
}

// sameJobs reports an error unless got holds the jobs of want, in order.
func sameJobs(t *testing.T, got []guichet.Job, want []*guichet.Job, doing string) {
	t.Helper()
	g := make([]guichet.Job, len(got))
	for i := range got {
		g[i] = normalizeJob(got[i])
	}
	w := make([]guichet.Job, len(want))
	for i := range want {
		w[i] = normalizeJob(*want[i])
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got %s\nwant %s", doing, jobIDs(g), jobIDs(w))
		if len(g) == len(w) {
			for i := range g {
				if !reflect.DeepEqual(g[i], w[i]) {
					t.Errorf("%s[%d]: got %+v, want %+v", doing, i, g[i], w[i])
				}
			}
		}
	}
}

func jobIDs(list []guichet.Job) []string {
	ids := make([]string, len(list))
	for i, j := range list {
		ids[i] = j.ID
	}
	return ids
}

func testJobs(t *testing.T, h *harness) {
	shop, other := randomID("shop"), randomID("shop")
	at := base()
	job := func(prefix string, due time.Time, data string) *guichet.Job {
		j := &guichet.Job{ID: randomID(prefix), ShopID: shop, Kind: "deliver", Ref: randomID("dlv"), DueAt: due}
		if data != "" {
			j.Data = []byte(data)
		}
		return j
	}
	// zero has the zero due time, which is always due. tie1 and tie2 fall
	// due together, and their IDs sort against their insertion order, so
	// that the order cannot come from the IDs.
	zero := job("job", time.Time{}, "")
	first := job("job", at.Add(-2*time.Minute), `{"n":1}`)
	tie1 := job("job_z", at.Add(-time.Minute), `{"n":2}`)
	tie2 := job("job_a", at.Add(-time.Minute), "")
	future := job("job", at.Add(time.Hour), "")
	foreign := job("job", at.Add(-time.Hour), "")
	foreign.ShopID, foreign.Kind = other, "capture"
	h.update(t, func(tx guichet.Tx) error {
		for _, j := range []*guichet.Job{future, tie1, tie2, first, zero, foreign} {
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		// The unit of work sees the jobs it wrote.
		got, err := tx.DueJobs(shop, at, 0)
		if err != nil {
			return err
		}
		sameJobs(t, got, []*guichet.Job{zero, first, tie1, tie2}, "DueJobs in the Update that wrote them")
		return nil
	})
	check := func(tx guichet.Tx) error {
		for _, c := range []struct {
			shop  string
			now   time.Time
			limit int
			want  []*guichet.Job
		}{
			{shop, at, 0, []*guichet.Job{zero, first, tie1, tie2}},
			{shop, at, 2, []*guichet.Job{zero, first}},
			{shop, at, -1, []*guichet.Job{zero, first, tie1, tie2}},
			// Due at now exactly is due.
			{shop, at.Add(-time.Minute), 0, []*guichet.Job{zero, first, tie1, tie2}},
			{shop, at.Add(-time.Minute - time.Microsecond), 0, []*guichet.Job{zero, first}},
			{shop, at.Add(2 * time.Hour), 10, []*guichet.Job{zero, first, tie1, tie2, future}},
			{other, at, 0, []*guichet.Job{foreign}},
			{randomID("shop"), at, 0, nil},
		} {
			got, err := tx.DueJobs(c.shop, c.now, c.limit)
			if err != nil {
				return err
			}
			sameJobs(t, got, c.want, fmt.Sprintf("DueJobs(%s, now%+v, %d)", c.shop, c.now.Sub(at), c.limit))
		}
		return nil
	}
	h.view(t, check)
	h.update(t, check)

	// Rescheduling a job into the future makes it no longer due; changing
	// a job without moving it keeps its place among those due together.
	h.update(t, func(tx guichet.Tx) error {
		first.DueAt = at.Add(2 * time.Hour)
		if err := tx.PutJob(first); err != nil {
			return err
		}
		tie1.Data, tie1.Kind, tie1.Ref = []byte(`{"n":3}`), "review", "tx_1"
		if err := tx.PutJob(tie1); err != nil {
			return err
		}
		got, err := tx.DueJobs(shop, at, 0)
		if err != nil {
			return err
		}
		sameJobs(t, got, []*guichet.Job{zero, tie1, tie2}, "DueJobs after rescheduling, same Update")
		return nil
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.DueJobs(shop, at, 0)
		if err != nil {
			return err
		}
		sameJobs(t, got, []*guichet.Job{zero, tie1, tie2}, "DueJobs after rescheduling")
		got, err = tx.DueJobs(shop, at.Add(3*time.Hour), 0)
		if err != nil {
			return err
		}
		sameJobs(t, got, []*guichet.Job{zero, tie1, tie2, future, first}, "DueJobs later")
		return nil
	})

	// What a worker does: take the first due job and push it back.
	h.update(t, func(tx guichet.Tx) error {
		got, err := tx.DueJobs(shop, at, 1)
		if err != nil {
			return err
		}
		sameJobs(t, got, []*guichet.Job{zero}, "DueJobs with limit 1")
		if len(got) != 1 {
			return nil
		}
		leased := got[0]
		leased.DueAt = at.Add(5 * time.Minute)
		if err := tx.PutJob(&leased); err != nil {
			return err
		}
		zero = &leased
		got, err = tx.DueJobs(shop, at, 1)
		if err != nil {
			return err
		}
		sameJobs(t, got, []*guichet.Job{tie1}, "DueJobs after leasing the first")
		return nil
	})

	// DeleteJob removes a job; deleting it again, or a job that never
	// was, is no error.
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.DeleteJob(tie1.ID); err != nil {
			return err
		}
		got, err := tx.DueJobs(shop, at, 0)
		if err != nil {
			return err
		}
		sameJobs(t, got, []*guichet.Job{tie2}, "DueJobs after DeleteJob, same Update")
		return nil
	})
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.DeleteJob(tie1.ID); err != nil {
			t.Errorf("DeleteJob of a deleted job: %v", err)
		}
		if err := tx.DeleteJob(randomID("job")); err != nil {
			t.Errorf("DeleteJob of a missing job: %v", err)
		}
		return nil
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.DueJobs(shop, at.Add(3*time.Hour), 0)
		if err != nil {
			return err
		}
		sameJobs(t, got, []*guichet.Job{tie2, zero, future, first}, "DueJobs after DeleteJob")
		return nil
	})
	err := h.store.View(t.Context(), func(tx guichet.Tx) error { return tx.PutJob(job("job", at, "")) })
	if err == nil {
		t.Error("PutJob in View succeeded")
	}
}

func normalizeDelivery(d guichet.Delivery) guichet.Delivery {
	d.CreatedAt, d.UpdatedAt = instant(d.CreatedAt), instant(d.UpdatedAt)
	if len(d.Body) == 0 {
		d.Body = nil
	}
	if len(d.RetryBody) == 0 {
		d.RetryBody = nil
	}
	if len(d.ResendBody) == 0 {
		d.ResendBody = nil
	}
	return d
}

func sameDeliveries(t *testing.T, got []guichet.Delivery, want []*guichet.Delivery, doing string) {
	t.Helper()
	g := make([]guichet.Delivery, len(got))
	for i := range got {
		g[i] = normalizeDelivery(got[i])
	}
	w := make([]guichet.Delivery, len(want))
	for i := range want {
		w[i] = normalizeDelivery(*want[i])
	}
	if !reflect.DeepEqual(g, w) {
		gi, wi := make([]string, len(g)), make([]string, len(w))
		for i := range g {
			gi[i] = g[i].ID
		}
		for i := range w {
			wi[i] = w[i].ID
		}
		t.Errorf("%s:\n got %v\nwant %v", doing, gi, wi)
		if len(g) == len(w) {
			for i := range g {
				if !reflect.DeepEqual(g[i], w[i]) {
					t.Errorf("%s[%d]: got %+v, want %+v", doing, i, g[i], w[i])
				}
			}
		}
	}
}

func newDelivery(prefix, shop, ref string, at time.Time) *guichet.Delivery {
	return &guichet.Delivery{
		ID:            randomID(prefix),
		ShopID:        shop,
		EventID:       randomID("ev"),
		TransactionID: randomID("tx"),
		OrderRef:      ref,
		Method:        "POST",
		URL:           "https://merchant.example/ipn?x=1",
		ContentType:   "application/x-www-form-urlencoded",
		Body:          []byte("Mt=1990&Ref=cmd-42&Erreur=00000&Sign=abc%2B"),
		RetryBody:     []byte("kr-src=RETRY"),
		ResendBody:    []byte("kr-src=BO"),
		SuccessCodes:  []int{200, 201, 301},
		RetryMarks:    15 * time.Minute,
		MaxAttempts:   5,
		Status:        guichet.DeliveryPending,
		CreatedAt:     at,
		UpdatedAt:     at,
	}
}

func testDeliveries(t *testing.T, h *harness) {
	shop, other := randomID("shop"), randomID("shop")
	ref1, ref2 := randomID("ref"), randomID("ref")
	at := base()
	d1 := newDelivery("dlv", shop, ref1, at)
	d2 := newDelivery("dlv", shop, ref2, at.Add(time.Second))
	d2.Method, d2.Body, d2.ContentType = "GET", nil, ""
	// d3 and d4 are written at the same time: the greater ID comes first.
	d3 := newDelivery("dlv_a", shop, ref1, at.Add(2*time.Second))
	d4 := newDelivery("dlv_b", shop, ref1, at.Add(2*time.Second))
	foreign := newDelivery("dlv", other, ref1, at.Add(3*time.Second))
	h.update(t, func(tx guichet.Tx) error {
		for _, d := range []*guichet.Delivery{d3, d1, foreign, d4, d2} {
			if err := tx.PutDelivery(d); err != nil {
				return err
			}
		}
		got, err := tx.Delivery(d1.ID)
		if err != nil {
			return err
		}
		sameDeliveries(t, []guichet.Delivery{*got}, []*guichet.Delivery{d1}, "Delivery in the Update that wrote it")
		return nil
	})
	check := func(tx guichet.Tx) error {
		for _, want := range []*guichet.Delivery{d1, d2} {
			got, err := tx.Delivery(want.ID)
			if err != nil {
				return err
			}
			sameDeliveries(t, []guichet.Delivery{*got}, []*guichet.Delivery{want}, "Delivery")
		}
		for _, c := range []struct {
			f    guichet.DeliveryFilter
			want []*guichet.Delivery
		}{
			{guichet.DeliveryFilter{ShopID: shop}, []*guichet.Delivery{d4, d3, d2, d1}},
			{guichet.DeliveryFilter{ShopID: shop, Limit: 2}, []*guichet.Delivery{d4, d3}},
			{guichet.DeliveryFilter{ShopID: shop, OrderRef: ref1}, []*guichet.Delivery{d4, d3, d1}},
			{guichet.DeliveryFilter{ShopID: shop, OrderRef: ref2}, []*guichet.Delivery{d2}},
			{guichet.DeliveryFilter{OrderRef: ref1}, []*guichet.Delivery{foreign, d4, d3, d1}},
			{guichet.DeliveryFilter{ShopID: other}, []*guichet.Delivery{foreign}},
			{guichet.DeliveryFilter{ShopID: other, OrderRef: ref2}, nil},
		} {
			got, err := tx.Deliveries(c.f)
			if err != nil {
				return err
			}
			sameDeliveries(t, got, c.want, fmt.Sprintf("Deliveries(%+v)", c.f))
		}
		// Without filters: every shop's, ours in order among them.
		all, err := tx.Deliveries(guichet.DeliveryFilter{})
		if err != nil {
			return err
		}
		mine := map[string]bool{d1.ID: true, d2.ID: true, d3.ID: true, d4.ID: true, foreign.ID: true}
		var got []guichet.Delivery
		for _, d := range all {
			if mine[d.ID] {
				got = append(got, d)
			}
		}
		sameDeliveries(t, got, []*guichet.Delivery{foreign, d4, d3, d2, d1}, "Deliveries without filters")
		return nil
	}
	h.view(t, check)
	h.update(t, check)

	// PutDelivery saves changes to an existing delivery.
	h.update(t, func(tx guichet.Tx) error {
		d, err := tx.Delivery(d1.ID)
		if err != nil {
			return err
		}
		d.Status, d.Attempts, d.UpdatedAt = guichet.DeliveryFailed, 11, at.Add(48*time.Hour)
		d.URL, d.Body = "https://merchant.example/fixed", []byte("other")
		if err := tx.PutDelivery(d); err != nil {
			return err
		}
		d1 = d
		got, err := tx.Delivery(d1.ID)
		if err != nil {
			return err
		}
		sameDeliveries(t, []guichet.Delivery{*got}, []*guichet.Delivery{d1}, "updated Delivery, same Update")
		return nil
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Delivery(d1.ID)
		if err != nil {
			return err
		}
		sameDeliveries(t, []guichet.Delivery{*got}, []*guichet.Delivery{d1}, "updated Delivery")
		list, err := tx.Deliveries(guichet.DeliveryFilter{ShopID: shop})
		if err != nil {
			return err
		}
		// The listing order is by creation, which did not change.
		sameDeliveries(t, list, []*guichet.Delivery{d4, d3, d2, d1}, "Deliveries after an update")
		return nil
	})

	// Without a limit, a listing stops at 100.
	many := randomID("shop")
	h.update(t, func(tx guichet.Tx) error {
		for i := range 101 {
			if err := tx.PutDelivery(newDelivery("dlv", many, ref2, at.Add(-48*time.Hour+time.Duration(i)*time.Second))); err != nil {
				return err
			}
		}
		return nil
	})
	h.view(t, func(tx guichet.Tx) error {
		list, err := tx.Deliveries(guichet.DeliveryFilter{ShopID: many})
		if err != nil {
			return err
		}
		if len(list) != 100 {
			t.Errorf("Deliveries without a limit: %d, want 100", len(list))
		}
		return nil
	})
}

func testAttempts(t *testing.T, h *harness) {
	delivery, other := randomID("dlv"), randomID("dlv")
	at := base()
	// a2 and a3 are made at the same time: they stay in insertion order.
	a1 := guichet.Attempt{DeliveryID: delivery, At: at, StatusCode: 0, Error: "dial tcp: connection refused", Duration: 3 * time.Millisecond}
	// The answers are kept as they were given, whatever their characters
	// and up to guichet.MaxAnswer bytes.
	a2 := guichet.Attempt{DeliveryID: delivery, At: at.Add(time.Minute), StatusCode: 500, Error: "", Duration: 120 * time.Millisecond,
		Answer: "<h1>Erreur interne</h1>\n«\tcommande inconnue » 🙁"}
	a3 := guichet.Attempt{DeliveryID: delivery, At: at.Add(time.Minute), StatusCode: 503, Duration: time.Second,
		Answer: strings.Repeat("é", guichet.MaxAnswer/2)}
	a4 := guichet.Attempt{DeliveryID: delivery, At: at.Add(6 * time.Minute), StatusCode: 200, Duration: 45 * time.Millisecond, Answer: "OK"}
	foreign := guichet.Attempt{DeliveryID: other, At: at, StatusCode: 200}
	same := func(got, want []guichet.Attempt, doing string) {
		t.Helper()
		g := make([]guichet.Attempt, len(got))
		for i, a := range got {
			a.At = instant(a.At)
			g[i] = a
		}
		w := make([]guichet.Attempt, len(want))
		for i, a := range want {
			a.At = instant(a.At)
			w[i] = a
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got %+v\nwant %+v", doing, g, w)
		}
	}
	h.update(t, func(tx guichet.Tx) error {
		for _, a := range []guichet.Attempt{a2, a3, foreign, a1} {
			if err := tx.AddAttempt(a); err != nil {
				return err
			}
		}
		got, err := tx.Attempts(delivery)
		if err != nil {
			return err
		}
		same(got, []guichet.Attempt{a1, a2, a3}, "Attempts in the Update that added them")
		return nil
	})
	h.update(t, func(tx guichet.Tx) error { return tx.AddAttempt(a4) })
	check := func(tx guichet.Tx) error {
		got, err := tx.Attempts(delivery)
		if err != nil {
			return err
		}
		same(got, []guichet.Attempt{a1, a2, a3, a4}, "Attempts")
		got, err = tx.Attempts(other)
		if err != nil {
			return err
		}
		same(got, []guichet.Attempt{foreign}, "Attempts of another delivery")
		got, err = tx.Attempts(randomID("dlv"))
		if err != nil || len(got) != 0 {
			t.Errorf("Attempts of an unknown delivery: %v, %v", got, err)
		}
		return nil
	}
	h.view(t, check)
	h.update(t, check)
}

// testNewRowsRollBack checks that a failing Update keeps none of the
// orders, jobs, deliveries and attempts it wrote, nor its changes to those
// that existed, whether or not it read them back before failing.
func testNewRowsRollBack(t *testing.T, h *harness) {
	shop := randomID("shop")
	at := base()
	order := newOrder(shop, at)
	job := &guichet.Job{ID: randomID("job"), ShopID: shop, Kind: "deliver", Ref: "x", DueAt: at.Add(-time.Minute)}
	delivery := newDelivery("dlv", shop, "cmd-42", at)
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.PutOrder(order); err != nil {
			return err
		}
		if err := tx.PutJob(job); err != nil {
			return err
		}
		return tx.PutDelivery(delivery)
	})
	for _, read := range []bool{false, true} {
		newOrder := newOrder(shop, at)
		newJob := &guichet.Job{ID: randomID("job"), ShopID: shop, Kind: "deliver", Ref: "y", DueAt: at.Add(-time.Hour)}
		newDelivery := newDelivery("dlv", shop, "cmd-43", at)
		err := h.store.Update(t.Context(), func(tx guichet.Tx) error {
			changed := *order
			changed.Status = guichet.OrderCancelled
			changedDelivery := *delivery
			changedDelivery.Status = guichet.DeliveryDelivered
			for _, err := range []error{
				tx.PutOrder(newOrder),
				tx.PutOrder(&changed),
				tx.PutJob(newJob),
				tx.DeleteJob(job.ID),
				tx.PutDelivery(newDelivery),
				tx.PutDelivery(&changedDelivery),
				tx.AddAttempt(guichet.Attempt{DeliveryID: newDelivery.ID, At: at, StatusCode: 200}),
				tx.AddAttempt(guichet.Attempt{DeliveryID: delivery.ID, At: at, StatusCode: 200}),
			} {
				if err != nil {
					return err
				}
			}
			if read {
				if _, err := tx.Order(newOrder.ID); err != nil {
					return err
				}
				if _, err := tx.DueJobs(shop, at, 0); err != nil {
					return err
				}
			}
			return errDeliberate{}
		})
		if !errors.Is(err, errDeliberate{}) {
			t.Fatalf("Update (read %v) returned %v, want the function's error", read, err)
		}
		h.view(t, func(tx guichet.Tx) error {
			_, err := tx.Order(newOrder.ID)
			wantCode(t, err, guichet.CodeNotFound, "order of a failed Update")
			_, err = tx.Delivery(newDelivery.ID)
			wantCode(t, err, guichet.CodeNotFound, "delivery of a failed Update")
			got, err := tx.Order(order.ID)
			if err != nil {
				return err
			}
			sameOrder(t, got, order, "order changed by a failed Update")
			d, err := tx.Delivery(delivery.ID)
			if err != nil {
				return err
			}
			sameDeliveries(t, []guichet.Delivery{*d}, []*guichet.Delivery{delivery}, "delivery changed by a failed Update")
			jobs, err := tx.DueJobs(shop, at, 0)
			if err != nil {
				return err
			}
			sameJobs(t, jobs, []*guichet.Job{job}, "jobs after a failed Update")
			for _, id := range []string{newDelivery.ID, delivery.ID} {
				attempts, err := tx.Attempts(id)
				if err != nil {
					return err
				}
				if len(attempts) != 0 {
					t.Errorf("a failed Update left %d attempts", len(attempts))
				}
			}
			return nil
		})
	}
}

// testSerializedOrderUpdates has concurrent Updates read, change and save
// one order and one delivery, as paying an order and retrying a delivery
// do: any lost update shows in the totals.
func testSerializedOrderUpdates(t *testing.T, h *harness) {
	shop := randomID("shop")
	order := newOrder(shop, base())
	order.Amount.Amount = 0
	delivery := newDelivery("dlv", shop, "cmd-42", base())
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.PutOrder(order); err != nil {
			return err
		}
		return tx.PutDelivery(delivery)
	})
	// Each Update changes one of them, so that a lock on one cannot
	// serialise the changes of the other.
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range 2 * n {
		wg.Go(func() {
			errs <- h.store.Update(t.Context(), func(tx guichet.Tx) error {
				if i%2 == 0 {
					o, err := tx.Order(order.ID)
					if err != nil {
						return err
					}
					o.Amount.Amount++
					return tx.PutOrder(o)
				}
				d, err := tx.Delivery(delivery.ID)
				if err != nil {
					return err
				}
				d.Attempts++
				return tx.PutDelivery(d)
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
	}
	h.view(t, func(tx guichet.Tx) error {
		o, err := tx.Order(order.ID)
		if err != nil {
			return err
		}
		d, err := tx.Delivery(delivery.ID)
		if err != nil {
			return err
		}
		if o.Amount.Amount != n || d.Attempts != n {
			t.Errorf("after %d concurrent increments: order amount %d, delivery attempts %d", n, o.Amount.Amount, d.Attempts)
		}
		return nil
	})
}

// testListOrders: a shop's orders of a protocol, newest first, a page at
// a time, with their total; another shop's and another protocol's are
// not listed.
func testListOrders(t *testing.T, h *harness) {
	shop := randomID("shop")
	at := base()
	h.update(t, func(tx guichet.Tx) error {
		for i := range 5 {
			o := &guichet.Order{ID: randomID("ord"), ShopID: shop, Protocol: "smoney", Reference: fmt.Sprintf("o-%d", i),
				Amount: guichet.Money{Amount: 100, Currency: "EUR"}, Status: guichet.OrderOpen, CreatedAt: at.Add(time.Duration(i) * time.Second)}
			if err := tx.PutOrder(o); err != nil {
				return err
			}
		}
		other := &guichet.Order{ID: randomID("ord"), ShopID: shop, Protocol: "lyra", Reference: "lyra", Amount: guichet.Money{Currency: "EUR"},
			Status: guichet.OrderOpen, CreatedAt: at}
		if err := tx.PutOrder(other); err != nil {
			return err
		}
		elsewhere := &guichet.Order{ID: randomID("ord"), ShopID: randomID("shop"), Protocol: "smoney", Reference: "else",
			Amount: guichet.Money{Currency: "EUR"}, Status: guichet.OrderOpen, CreatedAt: at}
		return tx.PutOrder(elsewhere)
	})
	h.view(t, func(tx guichet.Tx) error {
		page, total, err := tx.Orders(guichet.OrderFilter{ShopID: shop, Protocol: "smoney", Limit: 2, Offset: 1})
		if err != nil {
			return err
		}
		if total != 5 || len(page) != 2 || page[0].Reference != "o-3" || page[1].Reference != "o-2" {
			t.Errorf("page of 2 after 1: total %d, %d orders %v", total, len(page), page)
		}
		return nil
	})
}
