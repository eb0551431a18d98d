package main

import (
	"context"
	"errors"
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

// builtFronts builds every front wired in, on a service of its own.
func builtFronts(t *testing.T) []front.Front {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	v, _ := vault.New(make([]byte, 32))
	svc := core.New(store, sim.New(time.Now), v, realClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	pages, err := checkout.New()
	if err != nil {
		t.Fatal(err)
	}
	var out []front.Front
	for _, build := range fronts {
		f, err := build(ctx, front.Deps{Service: svc, Log: slog.New(slog.DiscardHandler), Pages: pages, Data: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

// TestFronts checks every front wired in: its errors table maps every
// reason of the core, its demo shops hold its credentials, and its
// notifiers cover the orders it takes.
func TestFronts(t *testing.T) {
	names := map[string]bool{}
	for _, f := range builtFronts(t) {
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
			c := s.Credential(f.Name())
			if c == nil {
				t.Errorf("%s demo shop %s holds no %s credential", f.Name(), s.ID, f.Name())
				continue
			}
			// What the back office shows of a credential reads back
			// unchanged when saved as it is.
			if got, err := f.ReadCredential(c.Data); err != nil || got.Key != c.Key || got.Protocol != c.Protocol || string(got.Data) != string(c.Data) {
				t.Errorf("%s demo shop %s: its credential read back as %+v, %v", f.Name(), s.ID, got, err)
			}
		}
		if len(f.Banner("http://127.0.0.1:8080", demo)) == 0 {
			t.Errorf("%s writes no banner", f.Name())
		}
	}
}

// TestCredentialEdits: each front refuses, naming the field, the
// credentials its provider's administration pages would not save.
func TestCredentialEdits(t *testing.T) {
	byName := map[string]front.Front{}
	for _, f := range builtFronts(t) {
		byName[f.Name()] = f
	}
	tests := []struct {
		protocol, data, param, key string
	}{
		{"paybox", `{"site":"1999888","rang":"7","cle":"1999888I","hmac_key":"0A1B"}`, "", "1999888/07"},
		{"paybox", `{"site":"199988","rang":"32","cle":"x"}`, "site", ""},
		{"paybox", `{"site":"1999888","rang":"3200","cle":"x"}`, "rang", ""},
		{"paybox", `{"site":"1999888","rang":"32"}`, "cle", ""},
		{"paybox", `{"site":"1999888","rang":"32","hmac_only":true}`, "hmac_key", ""},
		{"paybox", `{"site":"1999888","rang":"32","cle":"x","hmac_key":"not hex"}`, "hmac_key", ""},
		{"paybox", `{"site":"1999888","rang":"32","cle":"x","identifiants":["12a"]}`, "identifiants", ""},
		{"paybox", `{"site":"1999888","rang":"32","cle":"x","rank":"1"}`, "", ""},
		{"paybox", `{"site":"1999888","rang":"32","cle":"x"} {}`, "", ""},
		{"lyra", `{"shop_id":"69876357","test_password":"testpassword_ABC","ipn_url":"https://shop.example/ipn"}`, "", "69876357"},
		{"lyra", `{"shop_id":"6987635","test_password":"testpassword_ABC"}`, "shop_id", ""},
		{"lyra", `{"shop_id":"69876357"}`, "test_password", ""},
		{"lyra", `{"shop_id":"69876357","test_password":"prodpassword_ABC"}`, "test_password", ""},
		{"lyra", `{"shop_id":"69876357","test_password":"testpassword_A","test_public_key":"11111111:testpublickey_X"}`, "test_public_key", ""},
		{"lyra", `{"shop_id":"69876357","test_password":"testpassword_A","ipn_url":"ftp://x/"}`, "ipn_url", ""},
		{"lyra", `{"shop_id":"69876357","test_password":"testpassword_A","currencies":["EURO"]}`, "currencies", ""},
		{"payline", `{"merchant_id":"12345678912345","access_key":"K","notification_url":"http://localhost:3000/n"}`, "", "12345678912345"},
		{"payline", `{"merchant_id":"12345678912345"}`, "", ""},
		{"payline", `{"merchant_id":"1","access_key":"K","contracts":[{"number":"1","card_code":"CB"},{"number":"1","card_code":"CB"}]}`, "", ""},
		{"payline", `{"merchant_id":"1","access_key":"K","notification_url":"localhost"}`, "notification_url", ""},
		{"smoney", `{"partner":"sandbox","token":"0123456789abcdef","callback_domain":"Shop.Example"}`, "", "0123456789abcdef"},
		{"smoney", `{"partner":"Sand Box","token":"0123456789abcdef"}`, "partner", ""},
		{"smoney", `{"partner":"sandbox","token":"short"}`, "token", ""},
		{"smoney", `{"partner":"sandbox","token":"0123456789abcdef","callback_domain":"https://shop.example/cb"}`, "callback_domain", ""},
	}
	for _, tt := range tests {
		c, err := byName[tt.protocol].ReadCredential([]byte(tt.data))
		if tt.key != "" {
			if err != nil || c.Key != tt.key || c.Protocol != tt.protocol {
				t.Errorf("%s %s: %+v, %v; want key %s", tt.protocol, tt.data, c, err, tt.key)
			}
			continue
		}
		var e *guichet.Error
		if !errors.As(err, &e) || e.Code != guichet.CodeInvalid || e.Param != tt.param {
			t.Errorf("%s %s: %v, want invalid %q", tt.protocol, tt.data, err, tt.param)
		}
	}
}
