// Package front says what a front is: a package that speaks one
// provider's protocol to merchants (Paybox, Lyra, …), translating its wire
// format to the core and back, and nothing else.
//
// To add a front, write a package with a constructor of type New that
// returns a Front: its Register mounts the protocol's endpoints, its
// Notifiers build the notifications of the orders it takes, its Errors
// table maps the core's refusal reasons to the protocol's codes, and its
// Demo returns the shops and credentials a sandbox starts with. Then add
// the constructor to the list in cmd/guichet (one line). A front touches
// no other package: business rules stay in the core, storage in the
// stores.
package front

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"guichet"
	"guichet/internal/checkout"
	"guichet/internal/core"
)

// Deps are what a front is built with.
type Deps struct {
	Service *core.Service
	Log     *slog.Logger
	// Pages are the hosted payment pages, for fronts that serve some.
	Pages *checkout.Pages
	// Data is the instance's data directory, where a front may keep keys
	// of its own (shared through the store by instances of one gateway).
	Data string
}

// New builds a front. ctx bounds what it does at start-up (reading or
// creating its keys).
type New func(ctx context.Context, d Deps) (Front, error)

// Plug registers in the core what the front's orders and operations need:
// their notifiers and their names.
func Plug(svc *core.Service, f Front) {
	for protocol, n := range f.Notifiers() {
		svc.RegisterNotifier(protocol, n)
	}
	for name, r := range f.Refs() {
		svc.RegisterRefs(name, r)
	}
	svc.RegisterCredentialReader(f.Name(), f.ReadCredential)
}

// Front is one provider's protocol, served on the core.
type Front interface {
	// Name is the protocol's name, as shop credentials name it
	// ("paybox", "lyra").
	Name() string
	// Register mounts the front's endpoints.
	Register(mux *http.ServeMux)
	// Notifiers are the notifiers of the orders the front takes, by
	// order protocol (guichet.Order.Protocol).
	Notifiers() map[string]core.Notifier
	// Refs are how the front names its operations, by the front name
	// operations record (guichet.Operation.Front), for protocols that give
	// each payment an identifier of their own; nil for the others.
	Refs() map[string]core.RefFunc
	// Errors maps every refusal reason of the core to the front's wire
	// code for it, in words where the protocol has several.
	Errors() map[guichet.Reason]string
	// ReadCredential reads the front's credential as a user edited it in
	// the back office (its account's fields in JSON, unknown ones
	// refused), checks it as the provider's administration pages would,
	// and returns it to store.
	ReadCredential(data []byte) (guichet.Credential, error)
	// Demo returns the demo shops of the front's provider, with their
	// credentials, for a sandbox's first start.
	Demo(now time.Time) []guichet.Shop
	// Banner describes the front for the start-up banner: its endpoints
	// under base and the demo shops' credentials, one line each.
	Banner(base string, demo []guichet.Shop) []string
}
