package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"guichet"
)

// take runs TakeJobs in an Update of its own, as a worker does.
func (h *harness) take(t *testing.T, c guichet.JobClaim) []guichet.Job {
	t.Helper()
	var got []guichet.Job
	h.update(t, func(tx guichet.Tx) (err error) {
		got, err = tx.TakeJobs(c)
		return err
	})
	return got
}

func testTakeJobs(t *testing.T, h *harness) {
	shop, other := randomID("shop"), randomID("shop")
	at := base()
	job := func(kind, group string, due time.Time) *guichet.Job {
		return &guichet.Job{ID: randomID("job"), ShopID: shop, Kind: kind, Ref: randomID("ref"), DueAt: due, Group: group,
			Data: []byte(`{"n":1}`)}
	}
	// a1, a2 and a3 go to one destination, b1 to another; zero is due at
	// once; future is not due.
	zero := job("capture", "", time.Time{})
	a1 := job("deliver", "http://a:80", at.Add(-3*time.Minute))
	a2 := job("deliver", "http://a:80", at.Add(-2*time.Minute))
	b1 := job("deliver", "http://b:80", at.Add(-2*time.Minute))
	a3 := job("deliver", "http://a:80", at.Add(-time.Minute))
	review := job("review", "", at.Add(-time.Minute))
	future := job("deliver", "http://b:80", at.Add(time.Hour))
	foreign := job("deliver", "http://a:80", at.Add(-time.Hour))
	foreign.ShopID = other
	h.update(t, func(tx guichet.Tx) error {
		for _, j := range []*guichet.Job{future, a1, a2, b1, a3, review, zero, foreign} {
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		return nil
	})
	now := at // real time, for the leases
	lease := now.Add(5 * time.Minute)
	claim := func(c guichet.JobClaim) guichet.JobClaim {
		c.ShopID, c.Due, c.Now, c.LeaseUntil = shop, at, now, lease
		return c
	}
	deliveries := []string{"deliver"}

	// One job per destination, the earliest of each, in due order; the
	// leased jobs keep their due time.
	sameJobs(t, h.take(t, claim(guichet.JobClaim{Kinds: deliveries, GroupLimit: 1})), []*guichet.Job{a1, b1}, "one per group")
	// Leased jobs are hidden; a group whose running jobs fill its limit
	// is left out.
	sameJobs(t, h.take(t, claim(guichet.JobClaim{Kinds: deliveries, GroupLimit: 2,
		Running: map[string]int{"http://a:80": 1, "http://b:80": 1}})), []*guichet.Job{a2}, "limit 2 with one running each")
	sameJobs(t, h.take(t, claim(guichet.JobClaim{Kinds: deliveries, GroupLimit: 2,
		Running: map[string]int{"http://a:80": 2}})), nil, "group full")
	// Other kinds, the zero due time first; Limit caps the claim.
	sameJobs(t, h.take(t, claim(guichet.JobClaim{ExceptKinds: deliveries, Limit: 1})), []*guichet.Job{zero}, "other kinds, limit 1")
	// Without a group limit, whatever is due, in order.
	sameJobs(t, h.take(t, claim(guichet.JobClaim{})), []*guichet.Job{a3, review}, "the rest")
	sameJobs(t, h.take(t, claim(guichet.JobClaim{})), nil, "everything leased")
	// Another shop's jobs are its own.
	other1 := h.take(t, guichet.JobClaim{ShopID: other, Due: at, Now: now, LeaseUntil: lease})
	sameJobs(t, other1, []*guichet.Job{foreign}, "other shop")

	// A lease ends at its time (real time, whatever the shop's clock
	// says): a1 and b1, taken with RetryAt, are due again only then.
	h.update(t, func(tx guichet.Tx) error {
		got, err := tx.TakeJobs(guichet.JobClaim{ShopID: shop, Due: at.Add(24 * time.Hour), Now: lease.Add(-time.Microsecond),
			LeaseUntil: lease.Add(time.Hour)})
		sameJobs(t, got, []*guichet.Job{future}, "before the leases end, with the shop's clock a day ahead")
		return err
	})
	sameJobs(t, h.take(t, guichet.JobClaim{ShopID: shop, Due: at, Now: lease, LeaseUntil: lease.Add(time.Minute),
		RetryAt: at.Add(10 * time.Minute), Kinds: deliveries, GroupLimit: 1}), []*guichet.Job{a1, b1}, "after the lease")
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.DueJobs(shop, at.Add(10*time.Minute-time.Microsecond), 0)
		// a1 and b1 now fall due again only at RetryAt.
		sameJobs(t, got, []*guichet.Job{zero, a2, a3, review}, "due jobs after RetryAt pushed a1 and b1")
		return err
	})
	// Putting a job ends its lease: it can be taken again at once.
	h.update(t, func(tx guichet.Tx) error { return tx.PutJob(a1) })
	sameJobs(t, h.take(t, guichet.JobClaim{ShopID: shop, Due: at, Now: now, LeaseUntil: lease}),
		[]*guichet.Job{a1}, "a job put again")

	err := h.store.View(t.Context(), func(tx guichet.Tx) error {
		_, err := tx.TakeJobs(claim(guichet.JobClaim{}))
		return err
	})
	if err == nil {
		t.Error("TakeJobs in View succeeded")
	}
}

// testTakeJobsConcurrently has many takers race for the same jobs: each job
// is taken by exactly one.
func testTakeJobsConcurrently(t *testing.T, h *harness) {
	shop := randomID("shop")
	at := base()
	const n = 200
	h.update(t, func(tx guichet.Tx) error {
		for i := range n {
			j := &guichet.Job{ID: fmt.Sprintf("%s_%03d", shop, i), ShopID: shop, Kind: "deliver",
				Group: fmt.Sprintf("g%d", i%7), DueAt: at.Add(-time.Duration(i) * time.Millisecond)}
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		return nil
	})
	var mu sync.Mutex
	taken := map[string]int{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				var got []guichet.Job
				err := h.store.Update(t.Context(), func(tx guichet.Tx) (err error) {
					got, err = tx.TakeJobs(guichet.JobClaim{ShopID: shop, Due: at, Now: at, LeaseUntil: at.Add(time.Hour),
						GroupLimit: 2, Limit: 5})
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, j := range got {
					taken[j.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(taken) != n {
		t.Errorf("%d jobs taken, want %d", len(taken), n)
	}
	for id, c := range taken {
		if c != 1 {
			t.Errorf("job %s taken %d times", id, c)
		}
	}
}

func testJobBacklog(t *testing.T, h *harness) {
	shop := randomID("shop")
	at := base()
	jobs := []*guichet.Job{
		{ID: randomID("job"), ShopID: shop, Kind: "deliver", DueAt: at.Add(-time.Hour)},
		{ID: randomID("job"), ShopID: shop, Kind: "deliver", DueAt: at.Add(-time.Minute)},
		{ID: randomID("job"), ShopID: shop, Kind: "deliver", DueAt: at.Add(time.Minute)},
		{ID: randomID("job"), ShopID: shop, Kind: "review", DueAt: at},
		{ID: randomID("job"), ShopID: shop, Kind: "capture"},
	}
	h.update(t, func(tx guichet.Tx) error {
		for _, j := range jobs {
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		// Leased jobs are still due: they are not done.
		_, err := tx.TakeJobs(guichet.JobClaim{ShopID: shop, Due: at, Now: at, LeaseUntil: at.Add(time.Hour), Kinds: []string{"review"}})
		return err
	})
	h.view(t, func(tx guichet.Tx) error {
		got, err := tx.JobBacklog(shop, at)
		if err != nil {
			return err
		}
		want := []guichet.JobBacklog{{Kind: "capture", Due: 1}, {Kind: "deliver", Due: 2, Oldest: at.Add(-time.Hour)}, {Kind: "review", Due: 1, Oldest: at}}
		if len(got) != len(want) {
			t.Fatalf("JobBacklog: %+v, want %+v", got, want)
		}
		for i := range got {
			if got[i].Kind != want[i].Kind || got[i].Due != want[i].Due || !got[i].Oldest.Equal(want[i].Oldest) {
				t.Errorf("JobBacklog[%d]: %+v, want %+v", i, got[i], want[i])
			}
		}
		return nil
	})
}
