package vault_test

import (
	"bytes"
	"strings"
	"testing"
)

func TestSecretRoundTrip(t *testing.T) {
	v := newVault(t, 1)
	secret := []byte("-----BEGIN PRIVATE KEY-----\nMIIC…\n-----END PRIVATE KEY-----\n")
	sealed, err := v.SealSecret("paybox.return-key", secret)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("PRIVATE KEY")) {
		t.Fatal("the sealed secret holds the secret in clear")
	}
	again, _ := v.SealSecret("paybox.return-key", secret)
	if bytes.Equal(sealed, again) {
		t.Error("two seals of one secret are equal: the nonce is not random")
	}
	got, err := v.OpenSecret("paybox.return-key", sealed)
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("OpenSecret = %q, %v", got, err)
	}

	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	tests := []struct {
		name   string
		vault  byte
		secret string
		sealed []byte
	}{
		{"other master key", 2, "paybox.return-key", sealed},
		{"other name", 1, "backoffice.admin-token", sealed},
		{"tampered", 1, "paybox.return-key", tampered},
		{"truncated", 1, "paybox.return-key", sealed[:20]},
		{"empty", 1, "paybox.return-key", nil},
		{"unknown version", 1, "paybox.return-key", append([]byte{9}, sealed[1:]...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := newVault(t, tt.vault).OpenSecret(tt.secret, tt.sealed)
			if err == nil {
				t.Fatalf("opened: %q", got)
			}
			if strings.Contains(err.Error(), "PRIVATE") {
				t.Errorf("error shows the secret: %v", err)
			}
		})
	}
}

func TestKeyCheck(t *testing.T) {
	a, b := newVault(t, 1), newVault(t, 2)
	if a.KeyCheck() != newVault(t, 1).KeyCheck() {
		t.Error("one master key gives two check values")
	}
	if a.KeyCheck() == b.KeyCheck() {
		t.Error("two master keys give one check value")
	}
	key := bytes.Repeat([]byte{1}, 32)
	for _, leak := range []string{plainHMAC(key, ""), strings.Repeat("01", 32)} {
		if a.KeyCheck() == leak {
			t.Errorf("the check value is %s, derived from the key directly", leak)
		}
	}
	if len(a.KeyCheck()) != 64 {
		t.Errorf("check value %q: want 64 hex digits", a.KeyCheck())
	}
}
