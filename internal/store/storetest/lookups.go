package storetest

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"guichet"
)

// testJobByID reads jobs back by their ID, due or not, sees a job written
// earlier in the same unit of work, and finds nothing once it is deleted.
func testJobByID(t *testing.T, h *harness) {
	shop := randomID("shop")
	at := base()
	due := &guichet.Job{ID: randomID("job"), ShopID: shop, Kind: "recurring", Ref: randomID("ord"), DueAt: at.Add(-time.Hour),
		Data: []byte(`{"done":1}`)}
	later := &guichet.Job{ID: randomID("job"), ShopID: shop, Kind: "recurring", Ref: randomID("ord"), DueAt: at.Add(30 * 24 * time.Hour),
		Group: "https://merchant.example"}
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.PutJob(due); err != nil {
			return err
		}
		got, err := tx.Job(due.ID)
		if err != nil {
			return err
		}
		sameJobs(t, []guichet.Job{*got}, []*guichet.Job{due}, "Job in the Update that wrote it")
		return tx.PutJob(later)
	})
	for _, c := range []struct {
		name string
		id   string
		want *guichet.Job
	}{
		{"due", due.ID, due},
		{"not due yet", later.ID, later},
		{"unknown", randomID("job"), nil},
	} {
		h.view(t, func(tx guichet.Tx) error {
			got, err := tx.Job(c.id)
			if c.want == nil {
				wantCode(t, err, guichet.CodeNotFound, c.name)
				return nil
			}
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				return nil
			}
			sameJobs(t, []guichet.Job{*got}, []*guichet.Job{c.want}, c.name)
			return nil
		})
	}
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.DeleteJob(due.ID); err != nil {
			return err
		}
		_, err := tx.Job(due.ID)
		wantCode(t, err, guichet.CodeNotFound, "Job after DeleteJob, same Update")
		return nil
	})
}

// testJobUpdatesSerialize has several Updates read a job and write it back
// with one more in its data at once: each must see the previous one's
// write, or an increment is lost.
func testJobUpdatesSerialize(t *testing.T, h *harness) {
	j := &guichet.Job{ID: randomID("job"), ShopID: randomID("shop"), Kind: "recurring", DueAt: base().Add(time.Hour), Data: []byte("0")}
	h.update(t, func(tx guichet.Tx) error { return tx.PutJob(j) })
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = h.store.Update(t.Context(), func(tx guichet.Tx) error {
				got, err := tx.Job(j.ID)
				if err != nil {
					return err
				}
				count, err := strconv.Atoi(string(got.Data))
				if err != nil {
					return err
				}
				got.Data = []byte(strconv.Itoa(count + 1))
				return tx.PutJob(got)
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Update %d: %v", i, err)
		}
	}
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.Job(j.ID)
		if err != nil || string(got.Data) != strconv.Itoa(n) {
			t.Errorf("after %d increments: %v %v", n, got, err)
		}
		return nil
	})
}

// testPendingCardRead reads an order's pending card without taking it:
// it is still there to be taken afterwards, expired or not.
func testPendingCardRead(t *testing.T, h *harness) {
	shop := randomID("shop")
	at := base()
	held := newPendingCard(shop, randomID("ord"), at)
	expired := newPendingCard(shop, randomID("ord"), at.Add(-time.Hour))
	h.update(t, func(tx guichet.Tx) error {
		if err := tx.PutPendingCard(held); err != nil {
			return err
		}
		return tx.PutPendingCard(expired)
	})
	for _, p := range []*guichet.PendingCard{held, expired} {
		for range 2 {
			h.view(t, func(tx guichet.Tx) error {
				got, err := tx.PendingCard(p.OrderID)
				if err != nil {
					t.Errorf("PendingCard(%s): %v", p.OrderID, err)
					return nil
				}
				samePendingCard(t, got, p, "PendingCard")
				return nil
			})
		}
	}
	h.update(t, func(tx guichet.Tx) error {
		got, err := tx.TakePendingCard(held.OrderID)
		if err == nil {
			samePendingCard(t, got, held, "taken after being read")
		}
		return err
	})
	h.view(t, func(tx guichet.Tx) error {
		_, err := tx.PendingCard(held.OrderID)
		wantCode(t, err, guichet.CodeNotFound, "PendingCard once taken")
		_, err = tx.PendingCard(randomID("ord"))
		wantCode(t, err, guichet.CodeNotFound, "PendingCard of an order without one")
		return nil
	})
}
