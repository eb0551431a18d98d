// Package secretfile writes and reads the files that hold secrets in the
// data directory: the card-vault master key, the sandbox API token.
//
// A secret file is written completely under a temporary name in its own
// directory, with mode 0600 from the start, synced, then moved into place,
// and the directory is synced too. A reader thus sees either no file or the
// whole secret, never a truncated one, and once a write has returned the
// secret survives a crash or a power cut: losing the master key after cards
// were sealed with it would lose those cards.
package secretfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Write stores data at path, replacing what was there. Readers see the old
// content or the new one, whole.
func Write(path string, data []byte) error {
	return write(path, data, os.Rename)
}

// Create stores data at path only if nothing is there yet; otherwise it
// returns an error that matches fs.ErrExist and leaves the file alone. Two
// processes creating the same secret at once thus end with one of the two
// values, which both can read back, rather than each believing its own.
func Create(path string, data []byte) error {
	// A hard link, unlike a rename, fails when the target exists.
	return write(path, data, os.Link)
}

// write puts data in a temporary file next to path, then gives it the name
// path with place.
func write(path string, data []byte, place func(oldpath, newpath string) error) (err error) {
	dir := filepath.Dir(path)
	// CreateTemp makes the file with mode 0600: the secret is never
	// readable by others, not even for an instant.
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("secret file %s: %w", path, err)
	}
	tmp := f.Name()
	// Whatever happens, the temporary name goes: after a rename it no
	// longer exists, after a link it is a second name of the secret.
	defer os.Remove(tmp)
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("secret file %s: %w", path, err)
	}
	if err := place(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
		}
		return fmt.Errorf("secret file %s: %w", path, err)
	}
	// The new name is durable only once the directory is: without this a
	// crash could leave the old file, or none, after Write had returned.
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("secret file %s: %w", path, err)
	}
	return nil
}

// syncDir flushes the directory's entries to disk. Windows cannot open a
// directory for syncing; there the rename is as durable as NTFS makes it.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// Read returns the content of a secret file. It refuses a file that group
// or others may read or write: a permissive mode is more likely a mistake
// to fix than a choice to respect, and the error says how to fix it. An
// absent file gives an error matching fs.ErrNotExist.
func Read(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	// Windows has no Unix permission bits to check; its ACLs are the
	// operator's business.
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s has mode %04o, which lets other users read a secret; run chmod 600 %s",
			path, info.Mode().Perm(), path)
	}
	return os.ReadFile(path)
}
