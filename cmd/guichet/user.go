package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"guichet"
	"guichet/internal/core"
)

const userUsage = `Usage: guichet user add [flags] NAME

Creates a back-office user. An operator sees every shop; a merchant sees
the shops named with -shop. The password is read from -password-file, or
generated and printed once.
`

// user runs "guichet user add": it opens the store serve would open, so
// that every instance sharing it knows the user at once.
func user(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprint(stderr, userUsage)
		return errors.New("user: the only subcommand is add")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, userUsage); fs.PrintDefaults() }
	var cfg config
	fs.StringVar(&cfg.data, "data", envOr(getenv, "GUICHET_DATA", "./guichet-data"), "data directory (SQLite database)")
	fs.StringVar(&cfg.db, "db", getenv("GUICHET_DB"), "database: empty for SQLite in the data directory, or postgres://…")
	role := fs.String("role", "merchant", "operator or merchant")
	var shops shopList
	fs.Var(&shops, "shop", "a shop the merchant user sees (repeat for several)")
	passwordFile := fs.String("password-file", "", "read the password from the first line of this file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("user add: give one user name")
	}
	password, generated := "", false
	if *passwordFile != "" {
		b, err := os.ReadFile(*passwordFile)
		if err != nil {
			return err
		}
		password, _, _ = strings.Cut(string(b), "\n")
		password = strings.TrimRight(password, "\r")
	} else {
		password, generated = rand.Text(), true
	}
	if err := os.MkdirAll(cfg.data, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	store, _, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := core.New(store, nil, nil, realClock{}, slog.New(slog.DiscardHandler))
	u, err := svc.AddUser(ctx, fs.Arg(0), guichet.Role(*role), shops, password)
	if err != nil {
		return fmt.Errorf("user add: %s", guichet.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "user %s (%s) created", u.Name, u.Role)
	if len(u.Shops) > 0 {
		fmt.Fprintf(stdout, ", shops %s", strings.Join(u.Shops, ", "))
	}
	fmt.Fprintln(stdout)
	if generated {
		fmt.Fprintf(stdout, "password %s\n", password)
	}
	return nil
}

// shopList collects the repeated -shop flags.
type shopList []string

func (l *shopList) String() string { return strings.Join(*l, ",") }

func (l *shopList) Set(s string) error {
	*l = append(*l, s)
	return nil
}
