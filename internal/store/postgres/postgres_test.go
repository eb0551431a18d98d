package postgres_test

import (
	"context"
	"sync"
	"testing"

	"guichet"
	"guichet/internal/store/postgres"
	"guichet/internal/store/storetest"
)

func TestStore(t *testing.T) {
	url := postgres.TestURL(t)
	storetest.Run(t, func(t *testing.T) guichet.Store {
		s, err := postgres.Open(t.Context(), url)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}

// TestConcurrentOpen starts several stores on a new database at once: the
// advisory lock must let exactly one of them create the schema.
func TestConcurrentOpen(t *testing.T) {
	url := postgres.TestURL(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	stores := make([]*postgres.Store, n)
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(context.Background(), url) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
			continue
		}
		if err := stores[i].Close(); err != nil {
			t.Errorf("Close %d: %v", i, err)
		}
	}
}
