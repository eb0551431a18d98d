// Package lyra serves Lyra's REST API V4, the JSON API of PayZen,
// Systempay, Sogecommerce and the other white labels of the Lyra
// platform: its web services, its IPN, and an embedded payment form that
// loads where merchants' pages look for Lyra's own.
package lyra

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"time"

	"guichet"
	"guichet/internal/core"
	"guichet/internal/front"
)

// The public demo shop of Lyra's documentation, whose keys merchants'
// examples and tests carry.
const (
	demoShopID        = "69876357"
	demoTestPassword  = "testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M"
	demoTestPublicKey = "69876357:testpublickey_DEMOPUBLICKEY95me92597fd28tGD4r5"
	demoTestHMACKey   = "38453613e7f44dc58732bad3dca2bca3"
)

//go:embed static
var static embed.FS

// Front is the Lyra front.
type Front struct {
	api *API
}

var _ front.Front = (*Front)(nil)

// New returns the Lyra front.
func New(_ context.Context, d front.Deps) (front.Front, error) {
	return &Front{api: &API{svc: d.Service, log: d.Log, newUUID: newUUID}}, nil
}

// Name is the protocol of the front's credentials.
func (f *Front) Name() string { return protocol }

// Register mounts the REST API, the form endpoints and the form script.
func (f *Front) Register(mux *http.ServeMux) {
	mux.Handle("/api-payment/V4/{service...}", f.api)
	mux.Handle("/api-payment/V4.1/{service...}", f.api)
	f.api.registerForm(mux)
	files, _ := fs.Sub(static, "static")
	// The script is where Lyra's static hosts serve theirs, so that a
	// page changes only its host to load it.
	mux.Handle("GET /static/js/krypton-client/", http.StripPrefix("/static/js/krypton-client/", http.FileServerFS(files)))
}

// Notifiers are the IPN of the front's orders.
func (f *Front) Notifiers() map[string]core.Notifier {
	return map[string]core.Notifier{protocol: f.api.notifier}
}

// Refs name the operations the core makes on its own (recurring payments,
// later instalments) with a uuid, as the front names its own.
func (f *Front) Refs() map[string]core.RefFunc {
	return map[string]core.RefFunc{protocol: func(int64) string { return newUUID() }}
}

// Errors maps the core's refusals to the front's codes.
func (f *Front) Errors() map[guichet.Reason]string { return reasonCodes[opAny] }

// Demo returns Lyra's public demo shop.
func (f *Front) Demo(now time.Time) []guichet.Shop {
	acct := Account{ShopID: demoShopID, TestPassword: demoTestPassword, TestPublicKey: demoTestPublicKey,
		TestHMACKey: demoTestHMACKey, Name: "Demo shop"}
	return []guichet.Shop{{ID: "lyra-" + demoShopID, Name: "Lyra demo shop", Mode: guichet.ModeTest,
		Credentials: []guichet.Credential{acct.Credential()}, CreatedAt: now}}
}

// Banner describes the REST API and the demo shop's keys.
func (f *Front) Banner(base string, demo []guichet.Shop) []string {
	lines := []string{
		fmt.Sprintf("Lyra REST API V4       %s/api-payment/V4/  (SDK endpoint %s)", base, base),
		fmt.Sprintf("Lyra embedded form     %s/static/js/krypton-client/V4.0/stable/kr-payment-form.min.js", base),
	}
	for i := range demo {
		acct, ok, _ := AccountOf(&demo[i])
		if !ok {
			continue
		}
		lines = append(lines, fmt.Sprintf("  Lyra shop %s  password %s", acct.ShopID, acct.TestPassword),
			fmt.Sprintf("    public key %s  HMAC key %s", acct.TestPublicKey, acct.TestHMACKey))
	}
	return lines
}
