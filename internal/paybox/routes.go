package paybox

import (
	"log/slog"
	"net/http"

	"guichet/internal/core"
)

// Register mounts the Paybox Direct endpoints on mux, and those of Paybox
// System when sys is not nil.
func Register(mux *http.ServeMux, svc *core.Service, log *slog.Logger, sys *System) {
	mux.Handle("POST /PPPS.php", NewDirect(svc, log))
	mux.HandleFunc("GET /load.html", serveLoad)
	(&ResAbon{svc: svc, log: log}).register(mux)
	if sys != nil {
		sys.register(mux)
	}
}

// serveLoad answers the availability probe many clients call before each
// payment: they look for an element with id server_status holding "OK".
func serveLoad(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte("<!DOCTYPE html>\n<html><head><title>guichet</title></head><body><div id=\"server_status\">OK</div></body></html>\n"))
}
