package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `guichet — a self-hostable payment gateway speaking the French PSPs' protocols.

Usage:
  guichet serve [flags]   run the gateway (guichet serve -h for the flags)
  guichet user add NAME   create a back-office user (guichet user add -h for the flags)
  guichet bench ppps      measure Paybox Direct authorizations against a running gateway
  guichet version         print the version
`

// run dispatches a subcommand. Everything the program needs from the
// outside (arguments, environment, output) comes in as parameters, so that
// tests can run the whole program in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("missing command")
	}
	var err error
	switch args[0] {
	case "serve":
		tuneGC(getenv)
		err = serve(ctx, args[1:], getenv, stdout, stderr, nil)
	case "user":
		err = user(ctx, args[1:], getenv, stdout, stderr)
	case "bench":
		err = bench(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "guichet", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprint(stderr, usage)
		err = fmt.Errorf("unknown command %q", args[0])
	}
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

// The garbage collector's settings for serve, unless GOGC or GOMEMLIMIT
// say otherwise. A payment allocates some 45 KB that die with its request,
// over a live heap of some 20 MB: with Go's default GOGC of 100 the
// collector runs about twenty times a second under load, on cores the
// database and the clients share. With 400, PostgreSQL's p99 at 50 clients
// went from 21–22 ms to 17.5–19.7 ms, and the resident memory from 55 to
// 100 MB (BENCHMARKS.md). The memory limit has the collector work harder
// rather than let a larger live heap grow five times over.
const (
	gcPercent   = 400
	memoryLimit = 512 << 20
)

func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
