package vault_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guichet"
	"guichet/internal/vault"
)

const pan = "4012001037141112"

func newVault(t *testing.T, fill byte) *vault.Vault {
	t.Helper()
	v, err := vault.New(bytes.Repeat([]byte{fill}, vault.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNewKeySize(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := vault.New(make([]byte, n)); err == nil {
			t.Errorf("New with a %d-byte key succeeded", n)
		}
	}
}

func TestSealOpenRoundTrip(t *testing.T) {
	v := newVault(t, 1)
	c := guichet.Card{PAN: pan, ExpMonth: 12, ExpYear: 2030, CVV: "123", Holder: "J DOE"}
	s, err := v.Seal(c)
	if err != nil {
		t.Fatal(err)
	}
	if s.Masked != "401200XXXXXX1112" || s.ExpMonth != 12 || s.ExpYear != 2030 {
		t.Errorf("sealed card = %+v", s)
	}
	if s.Fingerprint != v.Fingerprint(pan) || len(s.Fingerprint) != 64 {
		t.Errorf("fingerprint = %q, want %q", s.Fingerprint, v.Fingerprint(pan))
	}
	got, err := v.Open(s)
	if err != nil {
		t.Fatal(err)
	}
	if want := (guichet.Card{PAN: pan, ExpMonth: 12, ExpYear: 2030}); got != want {
		t.Errorf("Open = %+v, want %+v (no CVV, no holder)", got, want)
	}
}

func TestSealEmptyPAN(t *testing.T) {
	if _, err := newVault(t, 1).Seal(guichet.Card{}); guichet.ErrorCode(err) != guichet.CodeInvalid {
		t.Errorf("Seal of an empty PAN: err = %v, want invalid", err)
	}
}

func TestSealsDifferFingerprintsMatch(t *testing.T) {
	v := newVault(t, 1)
	a, _ := v.Seal(guichet.Card{PAN: pan})
	b, _ := v.Seal(guichet.Card{PAN: pan})
	if bytes.Equal(a.Sealed, b.Sealed) {
		t.Error("two seals of the same PAN are equal; the nonce is not random")
	}
	if a.Fingerprint != b.Fingerprint {
		t.Error("two seals of the same PAN have different fingerprints")
	}
	if c, _ := v.Seal(guichet.Card{PAN: "4012001038443335"}); c.Fingerprint == a.Fingerprint {
		t.Error("two PANs have the same fingerprint")
	}
}

func TestFingerprintDependsOnKey(t *testing.T) {
	if newVault(t, 1).Fingerprint(pan) == newVault(t, 2).Fingerprint(pan) {
		t.Error("different master keys give the same fingerprint")
	}
}

// TestFingerprintKeyIsNotMasterKey checks that the fingerprint is not a
// plain HMAC under the master key, which would mean the same key serves two
// purposes.
func TestFingerprintKeyIsNotMasterKey(t *testing.T) {
	master := bytes.Repeat([]byte{1}, vault.KeySize)
	v, _ := vault.New(master)
	if v.Fingerprint(pan) == plainHMAC(master, pan) {
		t.Error("fingerprint is keyed with the master key itself")
	}
}

func TestOpenFailures(t *testing.T) {
	v := newVault(t, 1)
	s, _ := v.Seal(guichet.Card{PAN: pan, ExpMonth: 1, ExpYear: 2031})
	other, _ := v.Seal(guichet.Card{PAN: "4012001038443335"})
	flip := func(i int) []byte {
		b := bytes.Clone(s.Sealed)
		b[i] ^= 1
		return b
	}
	tests := map[string]guichet.StoredCard{
		"tampered ciphertext": {Sealed: flip(len(s.Sealed) - 1), Fingerprint: s.Fingerprint},
		"tampered nonce":      {Sealed: flip(1)},
		"unknown version":     {Sealed: flip(0)},
		"truncated":           {Sealed: s.Sealed[:10]},
		"empty":               {},
		"wrong key":           {Sealed: func() []byte { x, _ := newVault(t, 2).Seal(guichet.Card{PAN: pan}); return x.Sealed }()},
		"swapped record":      {Sealed: other.Sealed, Fingerprint: s.Fingerprint},
	}
	for name, st := range tests {
		_, err := v.Open(st)
		if guichet.ErrorCode(err) != guichet.CodeInternal {
			t.Errorf("%s: err = %v, want internal", name, err)
			continue
		}
		if strings.Contains(err.Error(), pan) || strings.Contains(guichet.ErrorMessage(err), "4012") {
			t.Errorf("%s: error %q leaks the card", name, err)
		}
	}
}

func TestSealedNeverHoldsClearPAN(t *testing.T) {
	v := newVault(t, 1)
	for i := 0; i < 200; i++ {
		s, _ := v.Seal(guichet.Card{PAN: pan, CVV: "987"})
		for _, field := range []string{string(s.Sealed), s.Masked, s.Fingerprint, string(s.Brand), s.Country} {
			if strings.Contains(field, pan) {
				t.Fatalf("stored card holds the clear PAN: %+v", s)
			}
		}
		if strings.Contains(hex.EncodeToString(s.Sealed), pan) || strings.Contains(base64.StdEncoding.EncodeToString(s.Sealed), pan) {
			t.Fatal("encoded sealed bytes hold the clear PAN")
		}
		if s.Sealed[0] != 1 || len(s.Sealed) != 1+12+len(pan)+16 {
			t.Fatalf("sealed layout: version %d, length %d", s.Sealed[0], len(s.Sealed))
		}
	}
}

func TestKeyFileCreatedAndReused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	noEnv := func(string) string { return "" }
	k1, err := vault.LoadOrCreateKey(noEnv, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(k1) != vault.KeySize {
		t.Fatalf("key length %d", len(k1))
	}
	info, err := os.Stat(filepath.Join(dir, vault.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %04o, want 0600", info.Mode().Perm())
	}
	if dinfo, _ := os.Stat(dir); dinfo.Mode().Perm() != 0o700 {
		t.Errorf("data dir mode %04o, want 0700", dinfo.Mode().Perm())
	}
	k2, err := vault.LoadOrCreateKey(noEnv, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1, k2) {
		t.Error("second call made a new key instead of reusing the file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data dir holds %d entries, want only the key file", len(entries))
	}
}

func TestKeyFileRefusedWhenReadableByOthers(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, vault.KeyFile)
	if err := os.WriteFile(path, []byte(strings.Repeat("ab", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := vault.LoadOrCreateKey(func(string) string { return "" }, dir)
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("err = %v, want a hint to chmod 600", err)
	}
}

func TestKeyFileMalformed(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, vault.KeyFile), []byte("not hex"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := vault.LoadOrCreateKey(func(string) string { return "" }, dir); err == nil {
		t.Error("malformed key file accepted")
	}
}

func TestEnvKey(t *testing.T) {
	raw := bytes.Repeat([]byte{0x5a}, 32)
	for name, val := range map[string]string{
		"hex":          hex.EncodeToString(raw),
		"hex upper":    strings.ToUpper(hex.EncodeToString(raw)),
		"base64":       base64.StdEncoding.EncodeToString(raw),
		"base64 raw":   base64.RawURLEncoding.EncodeToString(raw),
		"spaces round": "  " + hex.EncodeToString(raw) + "\n",
	} {
		dir := t.TempDir()
		// A key file already there must not be used: the environment wins.
		if _, err := vault.LoadOrCreateKey(func(string) string { return "" }, dir); err != nil {
			t.Fatal(err)
		}
		env := func(k string) string {
			if k == vault.EnvMasterKey {
				return val
			}
			return ""
		}
		got, err := vault.LoadOrCreateKey(env, dir)
		if err != nil || !bytes.Equal(got, raw) {
			t.Errorf("%s: key = %x, %v; want %x", name, got, err, raw)
		}
	}
}

func TestEnvKeyRejected(t *testing.T) {
	for _, val := range []string{
		"abc",
		strings.Repeat("zz", 32), // 64 chars, not hex nor 32 bytes of base64
		strings.Repeat("ab", 31), // 31 bytes of hex
		base64.StdEncoding.EncodeToString(make([]byte, 16)), // 16 bytes
	} {
		dir := t.TempDir()
		_, err := vault.LoadOrCreateKey(func(string) string { return val }, dir)
		if err == nil {
			t.Errorf("env key %q accepted", val)
		}
		if _, serr := os.Stat(filepath.Join(dir, vault.KeyFile)); serr == nil {
			t.Errorf("env key %q rejected but a key file was created", val)
		}
		if err != nil && strings.Contains(err.Error(), val) {
			t.Errorf("error %q repeats the key", err)
		}
	}
}
