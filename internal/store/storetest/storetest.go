// Package storetest is the conformance suite of guichet.Store: every store
// runs the same tests, so that the core can rely on the contract rather than
// on one implementation.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"guichet"
)

// Run runs the conformance suite. open must return a new Store on the same
// database every time it is called, so that the suite can close a store and
// find its data again in the next one; Run closes every store it opens, and
// never has two open at once. The tests share the database and keep out of
// each other's way with random shop IDs.
func Run(t *testing.T, open func(t *testing.T) guichet.Store) {
	h := &harness{open: open}
	h.store = open(t)
	t.Cleanup(func() {
		if err := h.store.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	tests := []struct {
		name string
		fn   func(t *testing.T, h *harness)
	}{
		{"Shops", testShops},
		{"ShopConflictKeepsTx", testShopConflictKeepsTx},
		{"TransactionRoundTrip", testTransactionRoundTrip},
		{"AppendOperations", testAppendOperations},
		{"NotFound", testNotFound},
		{"Claim", testClaim},
		{"PendingClaims", testPendingClaims},
		{"PurgeClaims", testPurgeClaims},
		{"NextNumber", testNextNumber},
		{"FindTransactionLatest", testFindTransactionLatest},
		{"Transactions", testTransactions},
		{"FailureRollsBack", testFailureRollsBack},
		{"FailureIsolatedInBatch", testFailureIsolatedInBatch},
		{"SerializedUpdates", testSerializedUpdates},
		{"Panic", testPanic},
		{"Cancelled", testCancelled},
		{"ViewIsReadOnly", testViewIsReadOnly},
		{"Tokens", testTokens},
		{"Events", testEvents},
		{"Exchanges", testExchanges},
		{"Reopen", testReopen},
		{"TransactionNewFields", testTransactionNewFields},
		{"Orders", testOrders},
		{"ListOrders", testListOrders},
		{"Jobs", testJobs},
		{"Deliveries", testDeliveries},
		{"Attempts", testAttempts},
		{"NewRowsRollBack", testNewRowsRollBack},
		{"SerializedOrderUpdates", testSerializedOrderUpdates},
		{"Settings", testSettings},
		{"SettingsRace", testSettingsRace},
		{"PendingCards", testPendingCards},
		{"PendingCardTakenOnce", testPendingCardTakenOnce},
		{"UnsafeText", testUnsafeText},
		{"PurgeExchanges", testPurgeExchanges},
		{"PurgeExchangesBatches", testPurgeExchangesBatches},
		{"TakeJobs", testTakeJobs},
		{"TakeJobsConcurrently", testTakeJobsConcurrently},
		{"JobBacklog", testJobBacklog},
		{"JobByID", testJobByID},
		{"JobUpdatesSerialize", testJobUpdatesSerialize},
		{"PendingCardRead", testPendingCardRead},
		{"ListJobs", testListJobs},
		{"ListJobsLimit", testListJobsLimit},
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"Audit", testAudit},
		{"ShopAudit", testShopAudit},
		{"ShopAuditLimit", testShopAuditLimit},
		{"BackOfficeWritesInView", testBackOfficeWritesInView},
		{"Journal", testJournal},
		{"JournalLimit", testJournalLimit},
		{"ResetShop", testResetShop},
		{"ResetShopInUnitOfWork", testResetShopInUnitOfWork},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, h) })
	}
}

// harness holds the store under test, which testReopen and testExchanges
// replace with a fresh one on the same database.
type harness struct {
	open  func(t *testing.T) guichet.Store
	store guichet.Store
}

// reopen closes the store and opens a new one on the same database.
func (h *harness) reopen(t *testing.T) {
	t.Helper()
	if err := h.store.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	h.store = h.open(t)
}

func (h *harness) update(t *testing.T, fn func(tx guichet.Tx) error) {
	t.Helper()
	if err := h.store.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func (h *harness) view(t *testing.T, fn func(tx guichet.Tx) error) {
	t.Helper()
	if err := h.store.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func randomID(prefix string) string {
	var b [8]byte
	rand.Read(b[:])
	return prefix + "_" + hex.EncodeToString(b[:])
}

// base is a time with microsecond precision, the finest PostgreSQL keeps.
func base() time.Time {
	return time.Now().UTC().Truncate(time.Microsecond)
}

// wantCode reports an error unless err carries code. It does not stop the
// test, because it runs inside Update functions, which a store may run on
// a goroutine of its own, where t.FailNow must not be called.
func wantCode(t *testing.T, err error, code guichet.Code, doing string) {
	t.Helper()
	var ge *guichet.Error
	if !errors.As(err, &ge) {
		t.Errorf("%s: got %v (%T), want a *guichet.Error with code %s", doing, err, err, code)
		return
	}
	if ge.Code != code {
		t.Errorf("%s: got code %s (%v), want %s", doing, ge.Code, err, code)
	}
}

func newShop(site string) *guichet.Shop {
	s := &guichet.Shop{
		ID:              randomID("shop"),
		Name:            "Boulangerie",
		Mode:            guichet.ModeTest,
		CaptureDelay:    3,
		ClockOffset:     90 * time.Minute,
		ThreeDS:         true,
		RequireCVV:      true,
		NotifyAttempts:  4,
		AutoCaptureDays: 6,
		Kwixo:           &guichet.KwixoContract{Options: []string{guichet.KwixoStandard, guichet.KwixoCredit}, AutoCapture: true, CaptureDays: 2},
		CreatedAt:       base(),
	}
	if site != "" {
		// Two protocols' credentials, data as the fronts write it.
		s.Credentials = []guichet.Credential{
			{Protocol: "lyra", Key: "shop-" + site, Data: []byte(`{"shop_id":"` + site + `","password":"testpassword_X"}`)},
			{Protocol: "paybox", Key: site + "/32", Data: []byte(`{"site":"` + site + `","rang":"32","identifiants":["107904482","2"],"cle":"1999888I","hmac_only":true}`)},
		}
	}
	return s
}

// randomSite returns a seven-digit Paybox site no other test uses.
func randomSite() string {
	var b [4]byte
	rand.Read(b[:])
	n := (uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])) % 9000000
	return fmt.Sprintf("%07d", 1000000+n)
}

// newTransaction builds an authorized transaction with its authorization,
// numbered from tx.
func newTransaction(tx guichet.Tx, shopID, reference string, amount int64, at time.Time) (*guichet.Transaction, error) {
	number, err := tx.NextNumber()
	if err != nil {
		return nil, err
	}
	opNumber, err := tx.NextNumber()
	if err != nil {
		return nil, err
	}
	id := randomID("tx")
	return &guichet.Transaction{
		ID:        id,
		ShopID:    shopID,
		Number:    number,
		Reference: reference,
		Front:     "lyra",
		Currency:  "EUR",
		Amount:    amount,
		Status:    guichet.StatusAuthorized,
		Card: guichet.StoredCard{
			Masked:      "497010XXXXXX0014",
			Fingerprint: "fp-" + id,
			Brand:       guichet.BrandVisa,
			Country:     "FRA",
			ExpMonth:    12,
			ExpYear:     2031,
			Sealed:      []byte{0, 1, 2, 0xfe, 0xff, 'p', 'a', 'n'},
		},
		TokenID:      "",
		OrderID:      "ord-" + id,
		Method:       "CARTE",
		Review:       "200",
		ThreeDS:      "Y",
		AuthCode:     "XXXXXX",
		ResponseCode: "00",
		RemitAt:      at.Add(24 * time.Hour),
		CaptureBy:    at.Add(6 * 24 * time.Hour),
		RefundBy:     at.Add(365 * 24 * time.Hour),
		Details:      map[string]string{"bankCode": "GKCCBEBB"},
		CreatedAt:    at,
		UpdatedAt:    at,
		Operations: []guichet.Operation{{
			ID:            randomID("op"),
			TransactionID: id,
			Number:        opNumber,
			Kind:          guichet.OpAuthorize,
			Amount:        amount,
			Approved:      true,
			Code:          "00",
			Front:         "lyra",
			Ref:           randomID("uuid"),
			CreatedAt:     at,
		}},
	}, nil
}

// sameTransaction reports an error unless got and want hold the same data.
// Times are compared as instants, and an empty byte slice equals nil.
func sameTransaction(t *testing.T, got, want *guichet.Transaction) {
	t.Helper()
	g, w := normalize(*got), normalize(*want)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("transaction differs:\n got %+v\nwant %+v", g, w)
	}
}

func normalize(tr guichet.Transaction) guichet.Transaction {
	tr.RemitAt, tr.CaptureBy, tr.RefundBy = instant(tr.RemitAt), instant(tr.CaptureBy), instant(tr.RefundBy)
	tr.CreatedAt, tr.UpdatedAt = instant(tr.CreatedAt), instant(tr.UpdatedAt)
	if len(tr.Card.Sealed) == 0 {
		tr.Card.Sealed = nil
	}
	ops := make([]guichet.Operation, len(tr.Operations))
	for i, op := range tr.Operations {
		op.CreatedAt = instant(op.CreatedAt)
		ops[i] = op
	}
	if len(ops) == 0 {
		ops = nil
	}
	tr.Operations = ops
	return tr
}

func instant(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.Unix(0, t.UnixNano()).UTC()
}

func testShops(t *testing.T, h *harness) {
	site := randomSite()
	withPaybox, without := newShop(site), newShop("")
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.PutShop(withPaybox); err != nil {
			return err
		}
		return tx.PutShop(without)
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Shop(withPaybox.ID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(normalizeShop(*got), normalizeShop(*withPaybox)) {
			t.Errorf("Shop: got %+v, want %+v", got, withPaybox)
		}
		for _, c := range withPaybox.Credentials {
			got, err = tx.ShopByCredential(c.Protocol, c.Key)
			if err != nil {
				return err
			}
			if got.ID != withPaybox.ID || !reflect.DeepEqual(got.Credentials, withPaybox.Credentials) {
				t.Errorf("ShopByCredential(%s, %s): got %+v", c.Protocol, c.Key, got)
			}
		}
		_, err = tx.ShopByCredential("paybox", "shop-"+site)
		wantCode(t, err, guichet.CodeNotFound, "a key of another protocol")
		got, err = tx.Shop(without.ID)
		if err != nil {
			return err
		}
		if len(got.Credentials) != 0 {
			t.Errorf("shop without credentials came back with %+v", got.Credentials)
		}
		if !reflect.DeepEqual(normalizeShop(*got), normalizeShop(*without)) {
			t.Errorf("Shop: got %+v, want %+v", got, without)
		}
		all, err := tx.Shops()
		if err != nil {
			return err
		}
		found := 0
		for _, s := range all {
			if s.ID == withPaybox.ID || s.ID == without.ID {
				found++
			}
		}
		if found != 2 {
			t.Errorf("Shops lists %d of the 2 shops", found)
		}
		return nil
	})

	// PutShop saves changes to an existing shop.
	withPaybox.Name = "Pâtisserie"
	withPaybox.Mode = guichet.ModeProduction
	// The shop changes its Paybox key and drops its Lyra credential.
	paybox := withPaybox.Credentials[1]
	paybox.Data = []byte(`{"site":"` + site + `","rang":"32","hmac_key":"FEDCBA9876543210"}`)
	withPaybox.Credentials = []guichet.Credential{paybox}
	withPaybox.ThreeDS, withPaybox.NotifyAttempts = false, 0
	without.ThreeDS, without.NotifyAttempts = true, 11
	without.Kwixo = &guichet.KwixoContract{Options: []string{guichet.KwixoRNP}, RNPPilotable: true}
	without.AutoCaptureDays = 7
	without.Brands = []guichet.Brand{guichet.BrandCB, guichet.BrandVisa}
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.PutShop(withPaybox); err != nil {
			return err
		}
		return tx.PutShop(without)
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.ShopByCredential("paybox", site+"/32")
		if err != nil {
			return err
		}
		if got.Name != "Pâtisserie" || got.Mode != guichet.ModeProduction || !reflect.DeepEqual(got.Credentials, withPaybox.Credentials) ||
			got.ThreeDS || got.NotifyAttempts != 0 || !reflect.DeepEqual(got.Kwixo, withPaybox.Kwixo) {
			t.Errorf("updated shop: got %+v", got)
		}
		_, err = tx.ShopByCredential("lyra", "shop-"+site)
		wantCode(t, err, guichet.CodeNotFound, "a credential the shop dropped")
		got, err = tx.Shop(without.ID)
		if err != nil {
			return err
		}
		if !got.ThreeDS || got.NotifyAttempts != 11 || !reflect.DeepEqual(got.Kwixo, without.Kwixo) || got.AutoCaptureDays != 7 ||
			!reflect.DeepEqual(got.Brands, without.Brands) {
			t.Errorf("updated shop: ThreeDS %v, NotifyAttempts %d, Kwixo %+v, want true, 11, %+v",
				got.ThreeDS, got.NotifyAttempts, got.Kwixo, without.Kwixo)
		}
		list, err := tx.Shops()
		if err != nil {
			return err
		}
		for _, s := range list {
			if s.ID == without.ID && !reflect.DeepEqual(normalizeShop(s), normalizeShop(*without)) {
				t.Errorf("Shops: got %+v, want %+v", s, without)
			}
		}
		return nil
	})
}

func normalizeShop(s guichet.Shop) guichet.Shop {
	s.CreatedAt = instant(s.CreatedAt)
	return s
}

// testShopConflictKeepsTx checks that a constraint violation is reported as
// a conflict and leaves the unit of work usable, as PostgreSQL would not by
// itself.
func testShopConflictKeepsTx(t *testing.T, h *harness) {
	site := randomSite()
	first, second, third := newShop(site), newShop(site), newShop("")
	h.update(t, func(tx guichet.Tx) error { return tx.PutShop(first) })
	h.update(t, func(tx guichet.Tx) error {
		wantCode(t, tx.PutShop(second), guichet.CodeConflict, "PutShop with credentials another shop holds")
		return tx.PutShop(third)
	})
	h.view(t, func(tx guichet.Tx) error {
		if _, err := tx.Shop(third.ID); err != nil {
			t.Errorf("shop written after a conflict was lost: %v", err)
		}
		_, err := tx.Shop(second.ID)
		wantCode(t, err, guichet.CodeNotFound, "conflicting shop")
		return nil
	})
	// Credentials a shop cannot hold are refused before anything is
	// written.
	for name, creds := range map[string][]guichet.Credential{
		"two of one protocol": {{Protocol: "paybox", Key: "1/1", Data: []byte(`{}`)}, {Protocol: "paybox", Key: "1/2", Data: []byte(`{}`)}},
		"no key":              {{Protocol: "lyra", Data: []byte(`{}`)}},
		"no protocol":         {{Key: "k", Data: []byte(`{}`)}},
		"data not JSON":       {{Protocol: "lyra", Key: "k", Data: []byte(`{"shop_id":`)}},
	} {
		bad := newShop("")
		bad.Credentials = creds
		h.update(t, func(tx guichet.Tx) error {
			wantCode(t, tx.PutShop(bad), guichet.CodeInvalid, "PutShop with "+name)
			return nil
		})
		h.view(t, func(tx guichet.Tx) error {
			_, err := tx.Shop(bad.ID)
			wantCode(t, err, guichet.CodeNotFound, "shop with "+name)
			return nil
		})
	}
}

func testTransactionRoundTrip(t *testing.T, h *harness) {
	shop := randomID("shop")
	var want *guichet.Transaction
	h.update(t, func(tx guichet.Tx) error {
		var err error
		if want, err = newTransaction(tx, shop, "order-1", 1250, base()); err != nil {
			return err
		}
		want.TokenID = "tok_1"
		return tx.PutTransaction(want)
	})
	check := func(tx guichet.Tx) error {
		for name, load := range map[string]func() (*guichet.Transaction, error){
			"Transaction":         func() (*guichet.Transaction, error) { return tx.Transaction(want.ID) },
			"TransactionByNumber": func() (*guichet.Transaction, error) { return tx.TransactionByNumber(shop, want.Number) },
			"TransactionByOperation": func() (*guichet.Transaction, error) {
				return tx.TransactionByOperation(shop, want.Operations[0].Number)
			},
			"FindTransaction": func() (*guichet.Transaction, error) { return tx.FindTransaction(shop, "order-1", 1250) },
			"TransactionByRef": func() (*guichet.Transaction, error) {
				return tx.TransactionByRef("lyra", want.Operations[0].Ref)
			},
		} {
			got, err := load()
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			sameTransaction(t, got, want)
		}
		return nil
	}
	h.view(t, check)
	h.update(t, check)

	// The numbers belong to one shop: another shop cannot reach them.
	h.view(t, func(tx guichet.Tx) error {
		_, err := tx.TransactionByNumber("other", want.Number)
		wantCode(t, err, guichet.CodeNotFound, "TransactionByNumber of another shop")
		_, err = tx.TransactionByOperation("other", want.Operations[0].Number)
		wantCode(t, err, guichet.CodeNotFound, "TransactionByOperation of another shop")
		// The card's transactions, by its fingerprint.
		list, err := tx.Transactions(guichet.TransactionFilter{ShopID: shop, Fingerprint: want.Card.Fingerprint})
		if err != nil || len(list) != 1 || list[0].ID != want.ID {
			t.Errorf("Transactions of the card: %d, %v", len(list), err)
		}
		list, err = tx.Transactions(guichet.TransactionFilter{ShopID: shop, Fingerprint: "another card"})
		if err != nil || len(list) != 0 {
			t.Errorf("Transactions of another card: %d, %v", len(list), err)
		}
		list, err = tx.Transactions(guichet.TransactionFilter{ShopID: shop, OrderID: want.OrderID})
		if err != nil || len(list) != 1 || list[0].ID != want.ID {
			t.Errorf("Transactions of the order: %d, %v", len(list), err)
		}
		// A reference belongs to its front.
		_, err = tx.TransactionByRef("payline", want.Operations[0].Ref)
		wantCode(t, err, guichet.CodeNotFound, "TransactionByRef of another front")
		_, err = tx.TransactionByRef("", "")
		wantCode(t, err, guichet.CodeNotFound, "TransactionByRef without a reference")
		return nil
	})

	// A second insert of the same transaction is a conflict.
	err := h.store.Update(t.Context(), func(tx guichet.Tx) error {
		dup := *want
		dup.Operations = nil
		return tx.PutTransaction(&dup)
	})
	wantCode(t, err, guichet.CodeConflict, "inserting a transaction twice")

	// A front's reference names one operation only.
	err = h.store.Update(t.Context(), func(tx guichet.Tx) error {
		other, err := newTransaction(tx, shop, "order-1b", 100, base())
		if err != nil {
			return err
		}
		other.Operations[0].Ref = want.Operations[0].Ref
		return tx.PutTransaction(other)
	})
	wantCode(t, err, guichet.CodeConflict, "a second operation with the same reference")
}

func testAppendOperations(t *testing.T, h *harness) {
	shop := randomID("shop")
	at := base()
	var want *guichet.Transaction
	h.update(t, func(tx guichet.Tx) error {
		var err error
		if want, err = newTransaction(tx, shop, "order-2", 5000, at); err != nil {
			return err
		}
		return tx.PutTransaction(want)
	})
	for i, amount := range []int64{2000, 3000} {
		h.update(t, func(tx guichet.Tx) error {
			tr, err := tx.Transaction(want.ID)
			if err != nil {
				return err
			}
			n, err := tx.NextNumber()
			if err != nil {
				return err
			}
			tr.Captured += amount
			tr.Status = guichet.StatusCaptured
			tr.UpdatedAt = at.Add(time.Duration(i+1) * time.Minute)
			tr.Operations = append(tr.Operations, guichet.Operation{
				ID: randomID("op"), TransactionID: tr.ID, Number: n, Kind: guichet.OpCapture,
				Amount: amount, Approved: true, Code: "00", CreatedAt: tr.UpdatedAt,
			})
			if err := tx.PutTransaction(tr); err != nil {
				return err
			}
			want = tr
			return nil
		})
	}
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Transaction(want.ID)
		if err != nil {
			return err
		}
		sameTransaction(t, got, want)
		if got.Captured != 5000 || len(got.Operations) != 3 || got.Status != guichet.StatusCaptured {
			t.Errorf("after two captures: captured %d, %d operations, status %s", got.Captured, len(got.Operations), got.Status)
		}
		for i := 1; i < len(got.Operations); i++ {
			if got.Operations[i].Number <= got.Operations[i-1].Number {
				t.Errorf("operations not in number order: %+v", got.Operations)
			}
		}
		got, err = tx.TransactionByOperation(shop, want.Operations[2].Number)
		if err != nil {
			return err
		}
		if got.ID != want.ID {
			t.Errorf("TransactionByOperation found %s, want %s", got.ID, want.ID)
		}
		return nil
	})

	// A transaction saved twice in one unit of work gets its operations
	// inserted once.
	h.update(t, func(tx guichet.Tx) error {
		tr, err := newTransaction(tx, shop, "order-2b", 100, at)
		if err != nil {
			return err
		}
		if err := tx.PutTransaction(tr); err != nil {
			return err
		}
		tr.Status = guichet.StatusCancelled
		if err := tx.PutTransaction(tr); err != nil {
			return err
		}
		got, err := tx.Transaction(tr.ID)
		if err != nil {
			return err
		}
		if got.Status != guichet.StatusCancelled || len(got.Operations) != 1 {
			t.Errorf("saved twice: status %s, %d operations", got.Status, len(got.Operations))
		}
		return nil
	})
}

func testNotFound(t *testing.T, h *harness) {
	for name, fn := range map[string]func(tx guichet.Tx) error{
		"Shop":                   func(tx guichet.Tx) error { _, err := tx.Shop("missing"); return err },
		"ShopByCredential":       func(tx guichet.Tx) error { _, err := tx.ShopByCredential("paybox", "0000000/99"); return err },
		"Transaction":            func(tx guichet.Tx) error { _, err := tx.Transaction("missing"); return err },
		"TransactionByNumber":    func(tx guichet.Tx) error { _, err := tx.TransactionByNumber("missing", 42); return err },
		"TransactionByOperation": func(tx guichet.Tx) error { _, err := tx.TransactionByOperation("missing", 42); return err },
		"FindTransaction":        func(tx guichet.Tx) error { _, err := tx.FindTransaction("missing", "ref", 100); return err },
		"Token":                  func(tx guichet.Tx) error { _, err := tx.Token("missing", "ref"); return err },
		"DeleteToken":            func(tx guichet.Tx) error { return tx.DeleteToken("missing", "ref") },
		"Order":                  func(tx guichet.Tx) error { _, err := tx.Order("missing"); return err },
		"Delivery":               func(tx guichet.Tx) error { _, err := tx.Delivery("missing"); return err },
	} {
		// Update, because only there may DeleteToken run, and because in
		// PostgreSQL a failed lookup must not spoil the transaction.
		h.update(t, func(tx guichet.Tx) error {
			wantCode(t, fn(tx), guichet.CodeNotFound, name)
			return nil
		})
		if name == "DeleteToken" {
			continue
		}
		h.view(t, func(tx guichet.Tx) error {
			wantCode(t, fn(tx), guichet.CodeNotFound, name)
			return nil
		})
	}
	h.view(t, func(tx guichet.Tx) error {
		list, err := tx.Transactions(guichet.TransactionFilter{ShopID: "missing"})
		if err != nil || len(list) != 0 {
			t.Errorf("Transactions of an unknown shop: %v, %v", list, err)
		}
		events, err := tx.Events("missing")
		if err != nil || len(events) != 0 {
			t.Errorf("Events of an unknown transaction: %v, %v", events, err)
		}
		return nil
	})
}

func testClaim(t *testing.T, h *harness) {
	shop, other := randomID("shop"), randomID("shop")
	at := base()
	h.update(t, func(tx guichet.Tx) error { return tx.Claim(shop, "key-1", at) })
	err := h.store.Update(t.Context(), func(tx guichet.Tx) error { return tx.Claim(shop, "key-1", at) })
	wantCode(t, err, guichet.CodeConflict, "second Claim")
	if r := guichet.ErrorReason(err); r != guichet.ReasonDuplicate {
		t.Errorf("second Claim: reason %q, want %q", r, guichet.ReasonDuplicate)
	}
	// Keys belong to a shop.
	h.update(t, func(tx guichet.Tx) error { return tx.Claim(other, "key-1", at) })
	// A duplicate inside a unit of work leaves the rest of it usable.
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.Claim(shop, "key-2", at); err != nil {
			return err
		}
		wantCode(t, tx.Claim(shop, "key-2", at), guichet.CodeConflict, "Claim twice in one Update")
		return tx.Claim(shop, "key-3", at)
	})
	err = h.store.Update(t.Context(), func(tx guichet.Tx) error { return tx.Claim(shop, "key-3", at) })
	wantCode(t, err, guichet.CodeConflict, "Claim of a key claimed after a duplicate")
}

func testNextNumber(t *testing.T, h *harness) {
	const callers = 200
	numbers := make([]int64, callers)
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for i := range callers {
		wg.Go(func() {
			errs <- h.store.Update(t.Context(), func(tx guichet.Tx) error {
				n, err := tx.NextNumber()
				numbers[i] = n
				return err
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
	seen := make(map[int64]bool)
	for _, n := range numbers {
		if seen[n] {
			t.Fatalf("number %d handed out twice", n)
		}
		seen[n] = true
		if n <= 1000000 || n > 9999999999 {
			t.Fatalf("number %d is outside (1000000, 9999999999]", n)
		}
	}
	h.update(t, func(tx guichet.Tx) error {
		last := int64(0)
		for range 10 {
			n, err := tx.NextNumber()
			if err != nil {
				return err
			}
			if n <= last {
				t.Errorf("NextNumber went from %d to %d", last, n)
			}
			last = n
		}
		return nil
	})
}

func testFindTransactionLatest(t *testing.T, h *harness) {
	shop := randomID("shop")
	at := base()
	var latest *guichet.Transaction
	h.update(t, func(tx guichet.Tx) error {
		// Saved out of order, so that insertion order cannot pass for
		// time order.
		for _, d := range []time.Duration{time.Minute, 3 * time.Minute, 2 * time.Minute} {
			tr, err := newTransaction(tx, shop, "order-3", 700, at.Add(d))
			if err != nil {
				return err
			}
			if err := tx.PutTransaction(tr); err != nil {
				return err
			}
			if d == 3*time.Minute {
				latest = tr
			}
		}
		// Later still, but for another amount or another shop.
		for _, shopID := range []string{shop, randomID("shop")} {
			amount := int64(700)
			if shopID == shop {
				amount = 701
			}
			tr, err := newTransaction(tx, shopID, "order-3", amount, at.Add(time.Hour))
			if err != nil {
				return err
			}
			if err := tx.PutTransaction(tr); err != nil {
				return err
			}
		}
		return nil
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.FindTransaction(shop, "order-3", 700)
		if err != nil {
			return err
		}
		if got.ID != latest.ID {
			t.Errorf("FindTransaction found the one created at %v, want %v", got.CreatedAt, latest.CreatedAt)
		}
		return nil
	})
	// With equal creation times, the higher number wins.
	var last *guichet.Transaction
	h.update(t, func(tx guichet.Tx) error {
		for range 3 {
			var err error
			if last, err = newTransaction(tx, shop, "order-4", 700, at); err != nil {
				return err
			}
			if err := tx.PutTransaction(last); err != nil {
				return err
			}
		}
		return nil
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.FindTransaction(shop, "order-4", 700)
		if err != nil {
			return err
		}
		if got.ID != last.ID {
			t.Errorf("FindTransaction among equal times found number %d, want %d", got.Number, last.Number)
		}
		return nil
	})
}

func testTransactions(t *testing.T, h *harness) {
	shop := randomID("shop")
	at := base()
	var ids []string
	h.update(t, func(tx guichet.Tx) error {
		for i := range 5 {
			ref := "even"
			if i%2 == 1 {
				ref = "odd"
			}
			tr, err := newTransaction(tx, shop, ref, 100, at.Add(time.Duration(i)*time.Second))
			if err != nil {
				return err
			}
			if err := tx.PutTransaction(tr); err != nil {
				return err
			}
			ids = append(ids, tr.ID)
		}
		return nil
	})
	h.view(t, func(tx guichet.Tx) error {
		list, err := tx.Transactions(guichet.TransactionFilter{ShopID: shop})
		if err != nil {
			return err
		}
		if len(list) != 5 {
			t.Fatalf("Transactions: %d, want 5", len(list))
		}
		for i, tr := range list {
			if tr.ID != ids[4-i] {
				t.Errorf("Transactions[%d] is %s, want %s (newest first)", i, tr.ID, ids[4-i])
			}
			if len(tr.Operations) != 1 {
				t.Errorf("Transactions[%d] has %d operations, want 1", i, len(tr.Operations))
			}
		}
		list, err = tx.Transactions(guichet.TransactionFilter{ShopID: shop, Limit: 2})
		if err != nil {
			return err
		}
		if len(list) != 2 || list[0].ID != ids[4] {
			t.Errorf("Transactions with Limit 2: %d", len(list))
		}
		list, err = tx.Transactions(guichet.TransactionFilter{ShopID: shop, Reference: "odd"})
		if err != nil {
			return err
		}
		if len(list) != 2 || list[0].ID != ids[3] || list[1].ID != ids[1] {
			t.Errorf("Transactions by reference: %d", len(list))
		}
		return nil
	})
}

// errDeliberate is what the failing functions of the tests return.
type errDeliberate struct{}

func (errDeliberate) Error() string { return "deliberate failure" }

// writeAll does what an authorization does: claim the request, store the
// transaction and its first operation, emit an event.
func writeAll(tx guichet.Tx, shop, key string) (*guichet.Transaction, error) {
	at := base()
	if err := tx.Claim(shop, key, at); err != nil {
		return nil, err
	}
	tr, err := newTransaction(tx, shop, key, 100, at)
	if err != nil {
		return nil, err
	}
	if err := tx.PutTransaction(tr); err != nil {
		return nil, err
	}
	return tr, tx.Emit(guichet.Event{ID: randomID("ev"), ShopID: shop, TransactionID: tr.ID, Type: "transaction.authorized", At: at, Data: []byte(`{}`)})
}

// checkAbsent fails t unless nothing writeAll wrote for key remains.
func checkAbsent(t *testing.T, h *harness, shop, key string, tr *guichet.Transaction) {
	t.Helper()
	h.view(t, func(tx guichet.Tx) error {
		_, err := tx.Transaction(tr.ID)
		wantCode(t, err, guichet.CodeNotFound, "transaction of a failed Update")
		events, err := tx.Events(tr.ID)
		if err != nil {
			return err
		}
		if len(events) != 0 {
			t.Errorf("a failed Update left %d events", len(events))
		}
		return nil
	})
	h.update(t, func(tx guichet.Tx) error { return tx.Claim(shop, key, base()) })
}

func testFailureRollsBack(t *testing.T, h *harness) {
	shop := randomID("shop")
	var tr *guichet.Transaction
	err := h.store.Update(t.Context(), func(tx guichet.Tx) error {
		var err error
		if tr, err = writeAll(tx, shop, "key"); err != nil {
			return err
		}
		return errDeliberate{}
	})
	if !errors.Is(err, errDeliberate{}) {
		t.Fatalf("Update returned %v, want the function's error", err)
	}
	checkAbsent(t, h, shop, "key", tr)
}

// testFailureIsolatedInBatch runs failing and succeeding Updates together, so
// that a store committing them in one batch must undo the failures alone.
func testFailureIsolatedInBatch(t *testing.T, h *harness) {
	shop := randomID("shop")
	const n = 100
	type outcome struct {
		key string
		tr  *guichet.Transaction
		err error
	}
	outcomes := make([]outcome, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			key := fmt.Sprintf("key-%d", i)
			var tr *guichet.Transaction
			err := h.store.Update(t.Context(), func(tx guichet.Tx) error {
				var err error
				if tr, err = writeAll(tx, shop, key); err != nil {
					return err
				}
				if i%2 == 1 {
					return errDeliberate{}
				}
				return nil
			})
			outcomes[i] = outcome{key, tr, err}
		})
	}
	close(start)
	wg.Wait()
	for i, o := range outcomes {
		if i%2 == 1 {
			if !errors.Is(o.err, errDeliberate{}) {
				t.Fatalf("failing Update %d returned %v", i, o.err)
			}
			checkAbsent(t, h, shop, o.key, o.tr)
			continue
		}
		if o.err != nil {
			t.Fatalf("succeeding Update %d returned %v", i, o.err)
		}
		h.view(t, func(tx guichet.Tx) error {
			if _, err := tx.Transaction(o.tr.ID); err != nil {
				t.Errorf("transaction of succeeding Update %d: %v", i, err)
			}
			events, err := tx.Events(o.tr.ID)
			if err != nil {
				return err
			}
			if len(events) != 1 {
				t.Errorf("succeeding Update %d left %d events, want 1", i, len(events))
			}
			return nil
		})
		err := h.store.Update(t.Context(), func(tx guichet.Tx) error { return tx.Claim(shop, o.key, base()) })
		wantCode(t, err, guichet.CodeConflict, "claim of a succeeding Update")
	}
}

// testSerializedUpdates has concurrent Updates read, change and save one
// transaction: any lost update shows in the totals.
func testSerializedUpdates(t *testing.T, h *harness) {
	shop := randomID("shop")
	id := randomID("tx")
	h.update(t, func(tx guichet.Tx) error {
		n, err := tx.NextNumber()
		if err != nil {
			return err
		}
		return tx.PutTransaction(&guichet.Transaction{
			ID: id, ShopID: shop, Number: n, Reference: "order-5", Currency: "EUR",
			Amount: 1000, Status: guichet.StatusAuthorized, CreatedAt: base(),
		})
	})
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			errs <- h.store.Update(t.Context(), func(tx guichet.Tx) error {
				tr, err := tx.Transaction(id)
				if err != nil {
					return err
				}
				number, err := tx.NextNumber()
				if err != nil {
					return err
				}
				tr.Captured++
				tr.Operations = append(tr.Operations, guichet.Operation{
					ID: randomID("op"), TransactionID: id, Number: number, Kind: guichet.OpCapture,
					Amount: 1, Approved: true, Code: "00", CreatedAt: base(),
				})
				return tx.PutTransaction(tr)
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
		tr, err := tx.Transaction(id)
		if err != nil {
			return err
		}
		if tr.Captured != n || len(tr.Operations) != n {
			t.Errorf("after %d concurrent captures of 1: captured %d, %d operations", n, tr.Captured, len(tr.Operations))
		}
		return nil
	})
}

func testPanic(t *testing.T, h *harness) {
	shop := randomID("shop")
	err := h.store.Update(t.Context(), func(tx guichet.Tx) error {
		if err := tx.Claim(shop, "key", base()); err != nil {
			return err
		}
		panic("deliberate panic")
	})
	wantCode(t, err, guichet.CodeInternal, "Update whose function panicked")
	// The store still works, and the claim was undone.
	h.update(t, func(tx guichet.Tx) error { return tx.Claim(shop, "key", base()) })
}

func testCancelled(t *testing.T, h *harness) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ran := false
	err := h.store.Update(ctx, func(tx guichet.Tx) error {
		ran = true
		return nil
	})
	if err == nil {
		t.Fatal("Update with a cancelled context succeeded")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update with a cancelled context: %v, want context.Canceled", err)
	}
	if ran {
		t.Error("Update ran its function despite a cancelled context")
	}
}

func testViewIsReadOnly(t *testing.T, h *harness) {
	err := h.store.View(t.Context(), func(tx guichet.Tx) error {
		return tx.PutShop(newShop(""))
	})
	if err == nil {
		t.Error("PutShop in View succeeded")
	}
	err = h.store.View(t.Context(), func(tx guichet.Tx) error {
		_, err := tx.NextNumber()
		return err
	})
	if err == nil {
		t.Error("NextNumber in View succeeded")
	}
	// View returns its function's error.
	err = h.store.View(t.Context(), func(tx guichet.Tx) error { return errDeliberate{} })
	if !errors.Is(err, errDeliberate{}) {
		t.Errorf("View returned %v, want the function's error", err)
	}
	// A Tx kept beyond its function is dead.
	var kept guichet.Tx
	h.update(t, func(tx guichet.Tx) error { kept = tx; return nil })
	if err := kept.Claim(randomID("shop"), "key", base()); err == nil {
		t.Error("Claim on a Tx whose function returned succeeded")
	}
}

func testTokens(t *testing.T, h *harness) {
	shop := randomID("shop")
	at := base()
	tok := &guichet.Token{
		ID: randomID("tok"), ShopID: shop, Reference: "subscriber-1", Handle: "handle-1",
		Card: guichet.StoredCard{
			Masked: "497010XXXXXX0014", Fingerprint: "fp1", Brand: guichet.BrandCB, Country: "FRA",
			ExpMonth: 1, ExpYear: 2030, Sealed: []byte("sealed-1"),
		},
		OrderID: "ord-1", CancelledAt: at.Add(time.Minute),
		CreatedAt: at, UpdatedAt: at,
	}
	id := tok.ID
	h.update(t, func(tx guichet.Tx) error { return tx.PutToken(tok) })
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Token(shop, "subscriber-1")
		if err != nil {
			return err
		}
		want := *tok
		want.CancelledAt, want.CreatedAt, want.UpdatedAt = instant(want.CancelledAt), instant(want.CreatedAt), instant(want.UpdatedAt)
		got.CancelledAt, got.CreatedAt, got.UpdatedAt = instant(got.CancelledAt), instant(got.CreatedAt), instant(got.UpdatedAt)
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("Token: got %+v, want %+v", got, want)
		}
		_, err = tx.Token(randomID("shop"), "subscriber-1")
		wantCode(t, err, guichet.CodeNotFound, "Token of another shop")
		byID, err := tx.TokenByID(tok.ID)
		if err != nil || byID.Reference != "subscriber-1" || byID.ShopID != shop {
			t.Errorf("TokenByID: %+v, %v", byID, err)
		}
		_, err = tx.TokenByID(randomID("tok"))
		wantCode(t, err, guichet.CodeNotFound, "TokenByID of an unknown token")
		return nil
	})

	// Saving the reference again replaces the card, and the token keeps
	// its identity.
	later := at.Add(time.Hour)
	again := &guichet.Token{
		ID: randomID("tok"), ShopID: shop, Reference: "subscriber-1", Handle: "handle-2",
		Card:      guichet.StoredCard{Masked: "511111XXXXXX1118", Fingerprint: "fp2", Brand: guichet.BrandMastercard, ExpMonth: 6, ExpYear: 2033, Sealed: []byte("sealed-2")},
		CreatedAt: later, UpdatedAt: later,
	}
	h.update(t, func(tx guichet.Tx) error { return tx.PutToken(again) })
	if again.ID != id || !again.CreatedAt.Equal(at) {
		t.Errorf("PutToken over an existing reference: ID %s created %v, want the first token's %s %v", again.ID, again.CreatedAt, id, at)
	}
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Token(shop, "subscriber-1")
		if err != nil {
			return err
		}
		// The token was reactivated: the new one has no cancellation.
		if got.ID != id || got.Handle != "handle-2" || got.Card.Fingerprint != "fp2" || string(got.Card.Sealed) != "sealed-2" ||
			!got.CreatedAt.Equal(at) || !got.UpdatedAt.Equal(later) || !got.CancelledAt.IsZero() || got.OrderID != "" {
			t.Errorf("replaced token: %+v", got)
		}
		return nil
	})

	h.update(t, func(tx guichet.Tx) error { return tx.DeleteToken(shop, "subscriber-1") })
	h.view(t, func(tx guichet.Tx) error {
		_, err := tx.Token(shop, "subscriber-1")
		wantCode(t, err, guichet.CodeNotFound, "deleted Token")
		return nil
	})
	err := h.store.Update(t.Context(), func(tx guichet.Tx) error { return tx.DeleteToken(shop, "subscriber-1") })
	wantCode(t, err, guichet.CodeNotFound, "DeleteToken twice")
}

func testEvents(t *testing.T, h *harness) {
	shop, txID := randomID("shop"), randomID("tx")
	at := base()
	want := []guichet.Event{
		{ID: randomID("ev"), ShopID: shop, TransactionID: txID, Type: "transaction.authorized", At: at, Data: []byte(`{"amount":100}`)},
		{ID: randomID("ev"), ShopID: shop, TransactionID: txID, Type: "transaction.captured", At: at.Add(time.Second), Data: []byte(`{"amount":50}`)},
	}
	h.update(t, func(tx guichet.Tx) error { return tx.Emit(want[0]) })
	h.update(t, func(tx guichet.Tx) error {
		return tx.Emit(want[1], guichet.Event{ShopID: shop, TransactionID: txID, Type: "transaction.refunded", At: at.Add(2 * time.Second)})
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Events(txID)
		if err != nil {
			return err
		}
		if len(got) != 3 {
			t.Fatalf("Events: %d, want 3", len(got))
		}
		for i, w := range want {
			g := got[i]
			g.At = instant(g.At)
			w.At = instant(w.At)
			if !reflect.DeepEqual(g, w) {
				t.Errorf("Events[%d]: got %+v, want %+v", i, g, w)
			}
		}
		if got[2].ID == "" || got[2].Type != "transaction.refunded" {
			t.Errorf("event emitted without an ID: %+v", got[2])
		}
		return nil
	})
	err := h.store.Update(t.Context(), func(tx guichet.Tx) error { return tx.Emit(want[0]) })
	wantCode(t, err, guichet.CodeConflict, "emitting an event twice")
}

func testExchanges(t *testing.T, h *harness) {
	shop, other := randomID("shop"), randomID("shop")
	at := base()
	for i := range 3 {
		e := guichet.Exchange{
			ID: randomID("ex"), ShopID: shop, Protocol: "ppps", Operation: fmt.Sprintf("0000%d", i+1),
			Reference: fmt.Sprintf("order %d", i%2), Code: "00000", Request: "VERSION=00104&TYPE=00001", Response: "NUMTRANS=0001000001",
			At: at.Add(time.Duration(i) * time.Second), Duration: time.Duration(i+1) * time.Millisecond,
		}
		if err := h.store.RecordExchange(t.Context(), e); err != nil {
			t.Fatalf("RecordExchange: %v", err)
		}
	}
	if err := h.store.RecordExchange(t.Context(), guichet.Exchange{ShopID: other, Protocol: "ppps", At: at}); err != nil {
		t.Fatalf("RecordExchange: %v", err)
	}
	// Recording may be asynchronous, but Close must write what was queued.
	h.reopen(t)
	list, err := h.store.Exchanges(t.Context(), guichet.ExchangeFilter{ShopID: shop})
	if err != nil {
		t.Fatalf("Exchanges: %v", err)
	}
	if len(list) != 3 {
		t.Fatalf("Exchanges: %d, want 3", len(list))
	}
	for i, e := range list {
		if e.Operation != fmt.Sprintf("0000%d", 3-i) || e.Duration != time.Duration(3-i)*time.Millisecond ||
			!e.At.Equal(at.Add(time.Duration(2-i)*time.Second)) || e.Request != "VERSION=00104&TYPE=00001" {
			t.Errorf("Exchanges[%d] = %+v (want newest first)", i, e)
		}
	}
	// By reference: orders 0 (exchanges 1 and 3) and 1 (exchange 2).
	list, err = h.store.Exchanges(t.Context(), guichet.ExchangeFilter{ShopID: shop, Reference: "order 0"})
	if err != nil || len(list) != 2 || list[0].Operation != "00003" || list[1].Operation != "00001" || list[0].Reference != "order 0" {
		t.Errorf("Exchanges of order 0: %+v, %v", list, err)
	}
	list, err = h.store.Exchanges(t.Context(), guichet.ExchangeFilter{Reference: "order 1"})
	if err != nil || len(list) != 1 || list[0].Operation != "00002" {
		t.Errorf("Exchanges of order 1, every shop: %+v, %v", list, err)
	}
	list, err = h.store.Exchanges(t.Context(), guichet.ExchangeFilter{ShopID: other, Reference: "order 1"})
	if err != nil || len(list) != 0 {
		t.Errorf("Exchanges of order 1 in the other shop: %+v, %v", list, err)
	}
	list, err = h.store.Exchanges(t.Context(), guichet.ExchangeFilter{ShopID: shop, Limit: 1})
	if err != nil || len(list) != 1 {
		t.Errorf("Exchanges with Limit 1: %d, %v", len(list), err)
	}
	list, err = h.store.Exchanges(t.Context(), guichet.ExchangeFilter{ShopID: other})
	if err != nil || len(list) != 1 || list[0].ID == "" {
		t.Errorf("Exchanges of the other shop: %+v, %v", list, err)
	}
	list, err = h.store.Exchanges(t.Context(), guichet.ExchangeFilter{})
	if err != nil || len(list) < 4 {
		t.Errorf("all Exchanges: %d, %v", len(list), err)
	}
}

func testReopen(t *testing.T, h *harness) {
	shop := newShop(randomSite())
	var want *guichet.Transaction
	var numbers []int64
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.PutShop(shop); err != nil {
			return err
		}
		var err error
		if want, err = newTransaction(tx, shop.ID, "order-6", 4200, base()); err != nil {
			return err
		}
		numbers = append(numbers, want.Number, want.Operations[0].Number)
		if err := tx.PutTransaction(want); err != nil {
			return err
		}
		return tx.Claim(shop.ID, "key", base())
	})
	h.reopen(t)
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Transaction(want.ID)
		if err != nil {
			return err
		}
		sameTransaction(t, got, want)
		if _, err := tx.ShopByCredential("paybox", shop.Credentials[1].Key); err != nil {
			t.Errorf("shop after reopening: %v", err)
		}
		return nil
	})
	err := h.store.Update(t.Context(), func(tx guichet.Tx) error { return tx.Claim(shop.ID, "key", base()) })
	wantCode(t, err, guichet.CodeConflict, "Claim after reopening")
	// Numbers keep increasing across a restart.
	h.update(t, func(tx guichet.Tx) error {
		n, err := tx.NextNumber()
		if err != nil {
			return err
		}
		for _, old := range numbers {
			if n <= old {
				t.Errorf("NextNumber after reopening gave %d, not above %d", n, old)
			}
		}
		return nil
	})
}
