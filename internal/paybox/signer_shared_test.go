package paybox_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/paybox"
	"guichet/internal/sim"
	"guichet/internal/store/sqlite"
	"guichet/internal/vault"
)

// TestSharedSigner starts instances on one store, each with a data
// directory of its own, some holding a key file from before the key was
// kept in the database.
func TestSharedSigner(t *testing.T) {
	legacy, err := paybox.GenerateSignerKey()
	if err != nil {
		t.Fatal(err)
	}
	other, err := paybox.GenerateSignerKey()
	if err != nil {
		t.Fatal(err)
	}
	legacySigner, _ := paybox.NewSigner(legacy)
	type start struct {
		// file is the data directory's paybox-return.pem, if any, and
		// mode its mode.
		file []byte
		mode os.FileMode
		// want is the key the instance must sign with: "legacy", "first"
		// (the key of the first instance) or "" for an error saying
		// wantErr.
		want    string
		wantErr string
	}
	tests := []struct {
		name   string
		starts []start
	}{
		{"generated once, shared", []start{{want: "first"}, {want: "first"}}},
		{"legacy file imported", []start{{file: legacy, mode: 0o600, want: "legacy"}, {want: "legacy"}}},
		{"same file on both", []start{{file: legacy, mode: 0o600, want: "legacy"}, {file: legacy, mode: 0o600, want: "legacy"}}},
		{"other file refused", []start{{file: legacy, mode: 0o600, want: "legacy"}, {file: other, mode: 0o600, wantErr: "not the key the other instances sign"}}},
		{"file after a generated key refused", []start{{want: "first"}, {file: legacy, mode: 0o600, wantErr: "paybox-return.pem"}}},
		{"readable file refused", []start{{file: legacy, mode: 0o644, wantErr: "chmod 600"}, {want: "first"}}},
		{"corrupt file refused", []start{{file: []byte("garbage"), mode: 0o600, wantErr: "PRIVATE KEY"}, {want: "first"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "guichet.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			var first []byte
			for i, st := range tt.starts {
				v, _ := vault.New(bytes.Repeat([]byte{7}, 32))
				svc := core.New(store, sim.New(fixedClock{testNow}.Now), v, fixedClock{testNow}, slog.New(slog.NewTextHandler(io.Discard, nil)))
				dir := t.TempDir()
				if st.file != nil {
					path := filepath.Join(dir, "paybox-return.pem")
					if err := os.WriteFile(path, st.file, 0o600); err != nil {
						t.Fatal(err)
					}
					if err := os.Chmod(path, st.mode); err != nil {
						t.Fatal(err)
					}
				}
				s, err := paybox.SharedSigner(ctx, svc, dir)
				if st.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), st.wantErr) {
						t.Errorf("start %d: err = %v, want one saying %q", i, err, st.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("start %d: %v", i, err)
				}
				if first == nil {
					first = s.PublicKeyPEM()
				}
				want := first
				if st.want == "legacy" {
					want = legacySigner.PublicKeyPEM()
				}
				if !bytes.Equal(s.PublicKeyPEM(), want) {
					t.Errorf("start %d signs with another key than %s", i, st.want)
				}
				// Nothing is written to the data directory: the key lives
				// in the database.
				if entries, _ := os.ReadDir(dir); len(entries) != map[bool]int{true: 1, false: 0}[st.file != nil] {
					t.Errorf("start %d: the data directory holds %d files", i, len(entries))
				}
			}
			// The database holds the key sealed, not in clear.
			store.View(ctx, func(tx guichet.Tx) error {
				v, err := tx.Setting("secret.paybox.return-key")
				if err != nil || bytes.Contains(v, []byte("PRIVATE KEY")) {
					t.Errorf("stored key: %.40q, %v", v, err)
				}
				return nil
			})
		})
	}
}
