package paybox

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/front"
)

// Front is the Paybox front: Paybox Direct and Direct Plus (PPPS), the
// subscriber operations of ResAbon, and Paybox System's hosted pages
// with KWIXO.
type Front struct {
	svc    *core.Service
	deps   front.Deps
	system *System
}

var _ front.Front = (*Front)(nil)

// New returns the Paybox front, with the key that signs Paybox System's
// returns, shared by the instances of one gateway.
func New(ctx context.Context, d front.Deps) (front.Front, error) {
	signer, err := SharedSigner(ctx, d.Service, d.Data)
	if err != nil {
		return nil, err
	}
	return &Front{svc: d.Service, deps: d, system: NewSystem(d.Service, d.Log, d.Pages, signer)}, nil
}

// Name is the protocol of the front's credentials.
func (f *Front) Name() string { return protocol }

// Register mounts Paybox's endpoints.
func (f *Front) Register(mux *http.ServeMux) { Register(mux, f.svc, f.deps.Log, f.system) }

// Notifiers are the IPN of Paybox System's orders.
func (f *Front) Notifiers() map[string]core.Notifier {
	return map[string]core.Notifier{protocolSystem: f.system.notifier}
}

// Refs is nil: Paybox names operations by their numbers.
func (f *Front) Refs() map[string]core.RefFunc { return nil }

// Errors maps the core's refusals to Paybox Direct's codes, KWIXO's for
// the reasons only KWIXO gives.
func (f *Front) Errors() map[guichet.Reason]string {
	m := map[guichet.Reason]string{}
	for r, c := range kwixoCodes {
		m[r] = c.code
	}
	for r, c := range reasonCodes {
		m[r] = c
	}
	return m
}

// Demo returns the public test accounts of Paybox and E-transactions.
func (f *Front) Demo(now time.Time) []guichet.Shop { return demoShops(now) }

// Banner describes Paybox's endpoints and the demo accounts.
func (f *Front) Banner(base string, demo []guichet.Shop) []string {
	lines := []string{
		fmt.Sprintf("Paybox System          %s/cgi/MYchoix_pagepaiement.cgi  (also /php/, RWD, mobile)", base),
		fmt.Sprintf("return-signature key   %s/pubkey.pem  (replace the pubkey.pem of your module)", base),
		fmt.Sprintf("Paybox Direct (PPPS)   %s/PPPS.php", base),
		fmt.Sprintf("availability probe     %s/load.html", base),
	}
	if len(demo) > 0 {
		lines = append(lines, fmt.Sprintf("  Paybox demo shops (TEST; HMAC key %s…, test card 1111222233334444):", DemoHMACKey[:16]))
	}
	for i := range demo {
		acct, ok, _ := AccountOf(&demo[i])
		if !ok {
			continue
		}
		line := fmt.Sprintf("    SITE %s RANG %-3s  CLE %s  IDENTIFIANT %-9s  %s", acct.Site, acct.Rang, acct.Key,
			acct.Identifiant(), demoNote(&demo[i], acct))
		lines = append(lines, strings.TrimRight(line, " "))
	}
	return lines
}
