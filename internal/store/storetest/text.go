package storetest

import (
	"testing"
	"time"

	"guichet"
)

// testUnsafeText writes Latin-1 bytes and NUL, which no front should let
// through but one may, in the text of every kind of record: the store must
// keep them as StorableText has them, and find each record again by the
// bytes it was written with. PostgreSQL refuses such text outright.
func testUnsafeText(t *testing.T, h *harness) {
	bad := "caf\xe9 \x00 fin"
	want := guichet.StorableText(bad)
	if want == bad {
		t.Fatalf("StorableText(%q) kept it", bad)
	}
	shop := newShop(randomSite())
	shop.Name = bad
	at := base()
	var tr *guichet.Transaction
	order := newOrder(shop.ID, at)
	order.Reference = bad
	delivery := newDelivery("dl", shop.ID, bad, at)
	delivery.URL = "https://merchant.example/ipn?r=" + bad
	tok := &guichet.Token{ID: randomID("tok"), ShopID: shop.ID, Reference: bad, Handle: "h" + bad,
		Card: guichet.StoredCard{Masked: "497010XXXXXX0014", Fingerprint: "fp" + bad, Sealed: []byte(bad)}, CreatedAt: at, UpdatedAt: at}
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.PutShop(shop); err != nil {
			return err
		}
		var err error
		if tr, err = newTransaction(tx, shop.ID, bad, 1990, at); err != nil {
			return err
		}
		tr.AuthCode = "A\x00\xff"
		for _, put := range []func() error{
			func() error { return tx.PutTransaction(tr) },
			func() error { return tx.PutToken(tok) },
			func() error { return tx.PutOrder(order) },
			func() error { return tx.PutDelivery(delivery) },
			func() error { return tx.Claim(shop.ID, "key "+bad, at) },
			func() error {
				return tx.Emit(guichet.Event{ID: randomID("evt"), ShopID: shop.ID, TransactionID: tr.ID, Type: guichet.EventType("type " + bad), At: at, Data: []byte(bad)})
			},
			func() error {
				return tx.AddAttempt(guichet.Attempt{DeliveryID: delivery.ID, At: at, StatusCode: 500, Error: "error " + bad, Duration: time.Millisecond})
			},
		} {
			if err := put(); err != nil {
				return err
			}
		}
		return nil
	})
	if err := h.store.RecordExchange(t.Context(), guichet.Exchange{ID: randomID("exc"), ShopID: shop.ID, Protocol: "ppps",
		Operation: "00003", Reference: bad, Code: "00000", Request: "REFERENCE=" + bad, Response: "X=" + bad, At: at}); err != nil {
		t.Fatalf("RecordExchange: %v", err)
	}

	h.view(t, func(tx guichet.Tx) error {
		s, err := tx.Shop(shop.ID)
		if err != nil || s.Name != want {
			t.Errorf("Shop: name %q, %v; want %q", s.Name, err, want)
		}
		got, err := tx.FindTransaction(shop.ID, bad, 1990)
		if err != nil || got.ID != tr.ID || got.Reference != want || got.AuthCode != guichet.StorableText("A\x00\xff") {
			t.Errorf("FindTransaction by the bytes written: %+v, %v", got, err)
		}
		list, err := tx.Transactions(guichet.TransactionFilter{ShopID: shop.ID, Reference: bad})
		if err != nil || len(list) != 1 {
			t.Errorf("Transactions by the bytes written: %d, %v", len(list), err)
		}
		k, err := tx.Token(shop.ID, bad)
		if err != nil || k.Reference != want || k.Handle != "h"+want || k.Card.Fingerprint != "fp"+want || string(k.Card.Sealed) != bad {
			t.Errorf("Token by the bytes written: %+v, %v", k, err)
		}
		o, err := tx.Order(order.ID)
		if err != nil || o.Reference != want {
			t.Errorf("Order: %+v, %v", o, err)
		}
		ds, err := tx.Deliveries(guichet.DeliveryFilter{ShopID: shop.ID, OrderRef: bad})
		if err != nil || len(ds) != 1 || ds[0].OrderRef != want || ds[0].URL != "https://merchant.example/ipn?r="+want {
			t.Errorf("Deliveries by the bytes written: %+v, %v", ds, err)
		}
		as, err := tx.Attempts(delivery.ID)
		if err != nil || len(as) != 1 || as[0].Error != "error "+want {
			t.Errorf("Attempts: %+v, %v", as, err)
		}
		ev, err := tx.Events(tr.ID)
		if err != nil || len(ev) != 1 || string(ev[0].Type) != "type "+want || string(ev[0].Data) != bad {
			t.Errorf("Events: %+v, %v", ev, err)
		}
		return nil
	})
	err := h.store.Update(t.Context(), func(tx guichet.Tx) error { return tx.Claim(shop.ID, "key "+bad, at) })
	wantCode(t, err, guichet.CodeConflict, "Claim of the same bytes again")
	h.update(t, func(tx guichet.Tx) error { return tx.DeleteToken(shop.ID, bad) })

	list, err := h.store.Exchanges(t.Context(), guichet.ExchangeFilter{Reference: bad})
	if err != nil || len(list) != 1 || list[0].Reference != want || list[0].Request != "REFERENCE="+want || list[0].Response != "X="+want {
		t.Errorf("Exchanges by the bytes written: %+v, %v", list, err)
	}
}
