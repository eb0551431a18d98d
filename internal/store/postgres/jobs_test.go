package postgres_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/store/postgres"
	"guichet/internal/store/postgres/pgtest"
)

// TestTakeJobsAcrossInstances has two stores on one database, as two
// instances of guichet, race to take the same due jobs: every job is taken
// once, by one of them.
func TestTakeJobsAcrossInstances(t *testing.T) {
	url := pgtest.URL(t)
	var stores [2]*postgres.Store
	for i := range stores {
		s, err := postgres.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores[i] = s
	}
	at := time.Now().UTC().Truncate(time.Microsecond)
	const n = 400
	err := stores[0].Update(t.Context(), func(tx guichet.Tx) error {
		for i := range n {
			j := &guichet.Job{ID: fmt.Sprintf("job_%03d", i), ShopID: "s1", Kind: "deliver", Group: fmt.Sprintf("g%d", i%5),
				DueAt: at.Add(-time.Duration(i) * time.Millisecond)}
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	takenBy := map[string][]int{}
	var wg sync.WaitGroup
	for i, s := range stores {
		for range 4 {
			wg.Go(func() {
				for {
					var got []guichet.Job
					err := s.Update(t.Context(), func(tx guichet.Tx) (err error) {
						got, err = tx.TakeJobs(guichet.JobClaim{ShopID: "s1", Due: at, Now: at, LeaseUntil: at.Add(time.Hour), GroupLimit: 3, Limit: 7})
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
						takenBy[j.ID] = append(takenBy[j.ID], i)
					}
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	per := [2]int{}
	for id, by := range takenBy {
		if len(by) != 1 {
			t.Errorf("job %s taken by instances %v", id, by)
		}
		per[by[0]]++
	}
	if len(takenBy) != n {
		t.Errorf("%d jobs taken, want %d", len(takenBy), n)
	}
	t.Logf("jobs taken per instance: %v", per)
}
