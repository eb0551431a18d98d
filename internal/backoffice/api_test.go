package backoffice_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/backoffice"
	"guichet/internal/core"
	"guichet/internal/sim"
	"guichet/internal/store/sqlite"
	"guichet/internal/vault"
)

type clock struct{}

func (clock) Now() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }

const token = "0123456789abcdef0123"

func newAPI(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	v, _ := vault.New(bytes.Repeat([]byte{3}, 32))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := core.New(store, sim.New(clock{}.Now), v, clock{}, log)
	for _, s := range []guichet.Shop{{ID: "test", Name: "t", Mode: guichet.ModeTest}, {ID: "prod", Name: "p", Mode: guichet.ModeProduction}} {
		if err := svc.PutShop(ctx, &s); err != nil {
			t.Fatal(err)
		}
	}
	mux := http.NewServeMux()
	backoffice.Register(mux, svc, log, token)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func call(t *testing.T, method, url, auth, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestAPI(t *testing.T) {
	base := newAPI(t)
	tests := []struct {
		name, method, path, auth, body string
		status                         int
		code                           string
	}{
		{"no token", "GET", "/_guichet/v1/transactions", "", "", 401, "unauthorized"},
		{"wrong token", "GET", "/_guichet/v1/transactions", "nope-nope-nope-nope", "", 401, "unauthorized"},
		{"list", "GET", "/_guichet/v1/transactions?shop=test", token, "", 200, ""},
		{"bad limit", "GET", "/_guichet/v1/exchanges?limit=0", token, "", 400, "invalid"},
		{"not json", "POST", "/_guichet/v1/clock/advance", token, "seconds=5", 400, "invalid"},
		{"negative", "POST", "/_guichet/v1/clock/advance", token, `{"seconds":-1}`, 400, "invalid"},
		{"unknown field", "POST", "/_guichet/v1/clock/advance", token, `{"seconds":1,"shops":"x"}`, 400, "invalid"},
		{"production clock", "POST", "/_guichet/v1/clock/advance", token, `{"seconds":1,"shop":"prod"}`, 409, "conflict"},
		{"unknown shop", "POST", "/_guichet/v1/clock/advance", token, `{"seconds":1,"shop":"nobody"}`, 404, "not_found"},
		{"unknown notification", "POST", "/_guichet/v1/notifications/dlv_x/resend", token, "", 404, "not_found"},
		{"purge without token", "POST", "/_guichet/v1/exchanges/purge", "", "", 401, "unauthorized"},
		{"purge", "POST", "/_guichet/v1/exchanges/purge", token, "", 200, ""},
		{"reset without token", "POST", "/_guichet/v1/shops/test/reset", "", "", 401, "unauthorized"},
		{"reset production", "POST", "/_guichet/v1/shops/prod/reset", token, "", 409, "conflict"},
		{"reset unknown shop", "POST", "/_guichet/v1/shops/nobody/reset", token, "", 404, "not_found"},
		{"reset", "POST", "/_guichet/v1/shops/test/reset", token, "", 200, ""},
	}
	for _, tt := range tests {
		status, out := call(t, tt.method, base+tt.path, tt.auth, tt.body)
		if status != tt.status {
			t.Errorf("%s: status %d, want %d (%v)", tt.name, status, tt.status, out)
		}
		if tt.code != "" {
			if e, _ := out["error"].(map[string]any); e["code"] != tt.code {
				t.Errorf("%s: body %v, want code %s", tt.name, out, tt.code)
			}
		}
	}
	// Without "shop", every TEST shop moves, and only them.
	status, out := call(t, "POST", base+"/_guichet/v1/clock/advance", token, `{"seconds":3600}`)
	shops, _ := out["shops"].([]any)
	if status != 200 || len(shops) != 1 {
		t.Fatalf("advance all: %d %v", status, out)
	}
	if s := shops[0].(map[string]any); s["shop"] != "test" || s["offset_seconds"] != float64(3600) || s["now"] != "2026-11-23T11:00:00Z" {
		t.Errorf("advance all: %v", s)
	}
}

// TestSharedToken starts instances on one store, each with a data
// directory of its own: they all accept one token, and each keeps it in
// its admin.token.
func TestSharedToken(t *testing.T) {
	const legacy = "legacy-token-from-an-admin.token-file"
	type start struct {
		env, file string
		// want is the token the instance must accept: "first" for the
		// one the first instance got, or a literal; "" wants an error.
		want string
		// fileAfter is what admin.token must hold afterwards ("first"
		// as above, "" for no file).
		fileAfter string
	}
	tests := []struct {
		name   string
		starts []start
	}{
		{"generated once, shared", []start{{want: "first", fileAfter: "first"}, {want: "first", fileAfter: "first"}}},
		{"existing file imported", []start{{file: legacy, want: legacy, fileAfter: legacy}, {want: legacy, fileAfter: legacy}}},
		{"other file replaced", []start{{want: "first", fileAfter: "first"}, {file: legacy, want: "first", fileAfter: "first"}}},
		{"environment wins", []start{{env: "from-the-environment-0123456789ab", want: "from-the-environment-0123456789ab"}, {env: "from-the-environment-0123456789ab", file: legacy, want: "from-the-environment-0123456789ab", fileAfter: legacy}}},
		{"environment leaves the shared token alone", []start{{want: "first", fileAfter: "first"}, {env: "from-the-environment-0123456789ab", want: "from-the-environment-0123456789ab"}, {want: "first", fileAfter: "first"}}},
		{"short environment token refused", []start{{env: "short"}}},
		{"short file refused", []start{{file: "short"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			first := ""
			resolve := func(s string) string {
				if s == "first" {
					return first
				}
				return s
			}
			for i, st := range tt.starts {
				v, _ := vault.New(bytes.Repeat([]byte{3}, 32))
				svc := core.New(store, sim.New(clock{}.Now), v, clock{}, log)
				dir := t.TempDir()
				path := filepath.Join(dir, backoffice.TokenFile)
				if st.file != "" {
					if err := os.WriteFile(path, []byte(st.file+"\n"), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				getenv := func(k string) string { return map[string]string{"GUICHET_ADMIN_TOKEN": st.env}[k] }
				got, err := backoffice.SharedToken(ctx, svc, log, getenv, dir)
				if st.want == "" {
					if err == nil {
						t.Errorf("start %d: token %q accepted", i, got)
					}
					continue
				}
				if err != nil {
					t.Fatalf("start %d: %v", i, err)
				}
				if first == "" {
					first = got
				}
				if got != resolve(st.want) || len(got) < 32 {
					t.Errorf("start %d: token %q, want %q", i, got, resolve(st.want))
				}
				b, err := os.ReadFile(path)
				if want := resolve(st.fileAfter); want == "" && err == nil || want != "" && string(b) != want+"\n" {
					t.Errorf("start %d: admin.token holds %q (%v), want %q", i, b, err, want)
				}
				if info, err := os.Stat(path); err == nil && info.Mode().Perm() != 0o600 {
					t.Errorf("start %d: admin.token has mode %04o", i, info.Mode().Perm())
				}
			}
		})
	}
}
