// Package pgtest gives tests a PostgreSQL database of their own. It lives
// apart from the store so that the production binary never links the
// testing package.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// URL creates a database of its own for the test, named guichet_test_
// and random hex, on the server that GUICHET_TEST_POSTGRES (a postgres://
// URL) points to, drops it when the test ends, and returns its URL. Without
// GUICHET_TEST_POSTGRES it skips the test, except on CI (CI=true), where a
// test that silently never ran would pass for one that works.
func URL(t testing.TB) string {
	t.Helper()
	server := os.Getenv("GUICHET_TEST_POSTGRES")
	if server == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("GUICHET_TEST_POSTGRES is not set, and CI must not skip the PostgreSQL tests")
		}
		t.Skip("GUICHET_TEST_POSTGRES is not set")
	}
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("GUICHET_TEST_POSTGRES must be a postgres:// URL, not %q", server)
	}
	var b [8]byte
	rand.Read(b[:])
	name := "guichet_test_" + hex.EncodeToString(b[:])

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to GUICHET_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	// Cleanup functions run last registered first, so the stores a test
	// opens after this call are closed before the database is dropped;
	// FORCE ends any connection left behind anyway. The test's context is
	// already cancelled by then, hence a context of its own.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Errorf("connect to drop test database: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
