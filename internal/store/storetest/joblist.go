package storetest

import (
	"fmt"
	"testing"
	"time"

	"guichet"
)

// testListJobs checks Jobs, the back office's list of a shop's jobs: the
// shop's own only, due at or before until, of the kinds asked for, in the
// order DueJobs takes them, leased ones included, and as many as the limit
// says.
func testListJobs(t *testing.T, h *harness) {
	shop, other := randomID("shop"), randomID("shop")
	at := base()
	job := func(prefix, kind string, due time.Time) *guichet.Job {
		return &guichet.Job{ID: randomID(prefix), ShopID: shop, Kind: kind, Ref: randomID("ref"), DueAt: due,
			Data: []byte(`{"n":1}`)}
	}
	// zero has the zero due time, which sorts first. tieZ and tieA fall due
	// together, and their IDs sort against their insertion order, so that
	// the order cannot come from the IDs; now falls due at at exactly.
	zero := job("job", "capture", time.Time{})
	past := job("job", "deliver", at.Add(-2*time.Minute))
	tieZ := job("job_z", "instalment", at.Add(-time.Minute))
	tieA := job("job_a", "deliver", at.Add(-time.Minute))
	now := job("job", "review", at)
	future := job("job", "instalment", at.Add(time.Hour))
	far := job("job", "subscription", at.Add(48*time.Hour))
	foreign := job("job", "deliver", at.Add(-time.Hour))
	foreign.ShopID = other
	all := []*guichet.Job{zero, past, tieZ, tieA, now, future, far}
	h.update(t, func(tx guichet.Tx) error {
		// Inserted out of due order, so that the order comes from the due
		// times and, for ties, from the insertion.
		for _, j := range []*guichet.Job{far, future, tieZ, tieA, past, zero, now, foreign} {
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		// The unit of work sees the jobs it wrote.
		got, err := tx.Jobs(shop, time.Time{}, nil, 0)
		sameJobs(t, got, all, "Jobs in the Update that wrote them")
		return err
	})
	// past is leased; without a RetryAt, it keeps its due time.
	sameJobs(t, h.take(t, guichet.JobClaim{ShopID: shop, Due: at, Now: at, LeaseUntil: at.Add(time.Hour),
		Kinds: []string{"deliver"}, Limit: 1}), []*guichet.Job{past}, "TakeJobs")

	check := func(tx guichet.Tx) error {
		for _, c := range []struct {
			name  string
			shop  string
			until time.Time
			kinds []string
			limit int
			want  []*guichet.Job
		}{
			{"everything, the leased job included", shop, time.Time{}, nil, 0, all},
			{"empty kinds", shop, time.Time{}, []string{}, 0, all},
			{"negative limit", shop, time.Time{}, nil, -1, all},
			{"until now", shop, at, nil, 0, []*guichet.Job{zero, past, tieZ, tieA, now}},
			{"until just before now", shop, at.Add(-time.Microsecond), nil, 0, []*guichet.Job{zero, past, tieZ, tieA}},
			{"until the ties exactly", shop, at.Add(-time.Minute), nil, 0, []*guichet.Job{zero, past, tieZ, tieA}},
			{"until just before the ties", shop, at.Add(-time.Minute - time.Microsecond), nil, 0, []*guichet.Job{zero, past}},
			{"until long ago", shop, at.Add(-24 * time.Hour), nil, 0, []*guichet.Job{zero}},
			{"until later", shop, at.Add(2 * time.Hour), nil, 0, []*guichet.Job{zero, past, tieZ, tieA, now, future}},
			{"one kind", shop, time.Time{}, []string{"deliver"}, 0, []*guichet.Job{past, tieA}},
			{"two kinds", shop, time.Time{}, []string{"subscription", "instalment"}, 0, []*guichet.Job{tieZ, future, far}},
			{"kind and until", shop, at, []string{"instalment"}, 0, []*guichet.Job{tieZ}},
			{"kind of the zero due time", shop, at.Add(-24 * time.Hour), []string{"capture"}, 0, []*guichet.Job{zero}},
			{"unknown kind", shop, time.Time{}, []string{"refund"}, 0, nil},
			{"limit", shop, time.Time{}, nil, 3, []*guichet.Job{zero, past, tieZ}},
			{"limit with kinds", shop, time.Time{}, []string{"instalment", "subscription"}, 2, []*guichet.Job{tieZ, future}},
			{"other shop", other, time.Time{}, nil, 0, []*guichet.Job{foreign}},
			{"other shop, another kind", other, time.Time{}, []string{"capture"}, 0, nil},
			{"unknown shop", randomID("shop"), time.Time{}, nil, 0, nil},
		} {
			got, err := tx.Jobs(c.shop, c.until, c.kinds, c.limit)
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			sameJobs(t, got, c.want, "Jobs, "+c.name)
		}
		return nil
	}
	h.view(t, check)
	h.update(t, check)

	// Listing leases nothing: the jobs listed in an Update can still be
	// taken by the next one.
	sameJobs(t, h.take(t, guichet.JobClaim{ShopID: shop, Due: at, Now: at, LeaseUntil: at.Add(time.Hour)}),
		[]*guichet.Job{zero, tieZ, tieA, now}, "TakeJobs after Jobs")
}

// testListJobsLimit checks the default and the cap of Jobs' limit, on more
// jobs than the cap, many of which fall due together.
func testListJobsLimit(t *testing.T, h *harness) {
	shop := randomID("shop")
	at := base()
	const n, ticks = 1010, 7
	// The jobs are inserted in turn across ticks due times, so that in
	// due order each tick lists its jobs in the order they were inserted:
	// job i is the (i/ticks)-th of tick i%ticks.
	jobs := make([]*guichet.Job, n)
	for i := range jobs {
		jobs[i] = &guichet.Job{ID: fmt.Sprintf("%s_%04d", shop, n-i), ShopID: shop, Kind: "deliver",
			DueAt: at.Add(time.Duration(i%ticks) * time.Minute)}
	}
	var ordered []*guichet.Job
	for tick := range ticks {
		for i := tick; i < n; i += ticks {
			ordered = append(ordered, jobs[i])
		}
	}
	h.update(t, func(tx guichet.Tx) error {
		for _, j := range jobs {
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		return nil
	})
	h.view(t, func(tx guichet.Tx) error {
		for _, c := range []struct {
			limit, want int
		}{{0, 100}, {-5, 100}, {1, 1}, {999, 999}, {1000, 1000}, {1001, 1000}, {1 << 30, 1000}} {
			got, err := tx.Jobs(shop, time.Time{}, nil, c.limit)
			if err != nil {
				return err
			}
			if len(got) != c.want {
				t.Errorf("Jobs(limit %d): %d jobs, want %d", c.limit, len(got), c.want)
				continue
			}
			sameJobs(t, got, ordered[:c.want], fmt.Sprintf("Jobs(limit %d)", c.limit))
		}
		return nil
	})
}
