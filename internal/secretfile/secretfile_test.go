package secretfile_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"guichet/internal/secretfile"
)

// only checks that dir holds exactly the named files: no temporary file
// is left behind.
func only(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("directory holds %v, want %v", got, names)
	}
}

func TestWriteAndCreate(t *testing.T) {
	secret := bytes.Repeat([]byte("0123456789abcdef"), 4096) // larger than one write buffer
	tests := []struct {
		name  string
		write func(path string, data []byte) error
		// before is what is at the path already, if anything.
		before  []byte
		want    []byte
		wantErr error
	}{
		{"write new", secretfile.Write, nil, secret, nil},
		{"write replaces", secretfile.Write, []byte("old"), secret, nil},
		{"create new", secretfile.Create, nil, secret, nil},
		{"create keeps", secretfile.Create, []byte("old"), []byte("old"), fs.ErrExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "master.key")
			if tt.before != nil {
				if err := os.WriteFile(path, tt.before, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := tt.write(path, secret)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("file holds %d bytes, want %d", len(got), len(tt.want))
			}
			info, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if tt.before == nil && info.Mode().Perm() != 0o600 {
				t.Errorf("mode %04o, want 0600", info.Mode().Perm())
			}
			only(t, dir, "master.key")
		})
	}
}

func TestWriteFailsCleanly(t *testing.T) {
	dir := t.TempDir()
	// A directory in the way: the rename fails, and the temporary file
	// must not stay behind.
	if err := os.Mkdir(filepath.Join(dir, "admin.token"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "admin.token", "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := secretfile.Write(filepath.Join(dir, "admin.token"), []byte("secret")); err == nil {
		t.Error("writing over a non-empty directory succeeded")
	}
	only(t, dir, "admin.token")
	if err := secretfile.Write(filepath.Join(dir, "missing", "admin.token"), []byte("secret")); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}

// TestReadersSeeWholeSecrets replaces a secret again and again while
// readers read it: each read must find one of the values written, whole,
// never an empty or truncated file, as a write in place would show.
func TestReadersSeeWholeSecrets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "admin.token")
	values := [][]byte{bytes.Repeat([]byte("a"), 64<<10), bytes.Repeat([]byte("b"), 64<<10)}
	if err := secretfile.Write(path, values[0]); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var bad []int
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				got, err := os.ReadFile(path)
				if err != nil || (!bytes.Equal(got, values[0]) && !bytes.Equal(got, values[1])) {
					mu.Lock()
					bad = append(bad, len(got))
					mu.Unlock()
				}
			}
		})
	}
	for i := range 200 {
		if err := secretfile.Write(path, values[i%2]); err != nil {
			t.Error(err)
			break
		}
	}
	close(done)
	wg.Wait()
	if len(bad) > 0 {
		t.Errorf("%d reads saw a partial secret (lengths %v)", len(bad), bad[:min(len(bad), 5)])
	}
}

// TestCreateRace has several goroutines create the same secret at once:
// exactly one wins, and the file holds its value.
func TestCreateRace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "master.key")
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = secretfile.Create(path, []byte{byte('0' + i)}) })
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Errorf("both %d and %d created the file", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, fs.ErrExist):
			t.Errorf("create %d: %v", i, err)
		}
	}
	got, _ := os.ReadFile(path)
	if winner < 0 || string(got) != string(rune('0'+winner)) {
		t.Errorf("file holds %q, winner %d", got, winner)
	}
	only(t, dir, "master.key")
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		mode    os.FileMode
		wantErr string
	}{
		{"owner only", 0o600, ""},
		{"owner read only", 0o400, ""},
		{"group readable", 0o640, "chmod 600"},
		{"world readable", 0o644, "chmod 600"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			if err := os.WriteFile(path, []byte("secret"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			got, err := secretfile.Read(path)
			switch {
			case tt.wantErr == "" && (err != nil || string(got) != "secret"):
				t.Errorf("Read = %q, %v", got, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Read err = %v, want one saying %q", err, tt.wantErr)
			}
		})
	}
	if _, err := secretfile.Read(filepath.Join(dir, "none")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Read of a missing file: %v", err)
	}
}
