package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"guichet"
	"guichet/internal/checkout"
	"guichet/internal/core"
	"guichet/internal/front"
	"guichet/internal/sim"
	"guichet/internal/store/sqlite"
	"guichet/internal/vault"
)

// TestFronts checks every front wired in: its errors table maps every
// reason of the core, its demo shops hold its credentials, and its
// notifiers cover the orders it takes.
func TestFronts(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	v, _ := vault.New(make([]byte, 32))
	svc := core.New(store, sim.New(time.Now), v, realClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	pages, err := checkout.New()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, build := range fronts {
		f, err := build(ctx, front.Deps{Service: svc, Log: slog.New(slog.DiscardHandler), Pages: pages, Data: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		if names[f.Name()] {
			t.Errorf("two fronts named %s", f.Name())
		}
		names[f.Name()] = true
		table := f.Errors()
		for _, r := range guichet.Reasons() {
			if table[r] == "" {
				t.Errorf("%s maps no code to reason %q", f.Name(), r)
			}
		}
		if len(f.Notifiers()) == 0 {
			t.Errorf("%s has no notifier", f.Name())
		}
		demo := f.Demo(time.Now())
		for _, s := range demo {
			if s.Credential(f.Name()) == nil {
				t.Errorf("%s demo shop %s holds no %s credential", f.Name(), s.ID, f.Name())
			}
		}
		if len(f.Banner("http://127.0.0.1:8080", demo)) == 0 {
			t.Errorf("%s writes no banner", f.Name())
		}
	}
}
