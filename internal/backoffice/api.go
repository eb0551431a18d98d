// Package backoffice serves the sandbox controls under /_guichet/v1/: the
// test clock, and what happened (transactions, notifications and their
// attempts, recorded exchanges), for merchants testing an integration and
// operators looking into one.
package backoffice

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/core"
)

// API is the JSON sandbox-control API.
type API struct {
	svc   *core.Service
	log   *slog.Logger
	token string
}

// Register mounts the API on mux. Every route needs the bearer token.
func Register(mux *http.ServeMux, svc *core.Service, log *slog.Logger, token string) {
	a := &API{svc: svc, log: log, token: token}
	mux.Handle("POST /_guichet/v1/clock/advance", a.auth(a.advance))
	mux.Handle("GET /_guichet/v1/transactions", a.auth(a.transactions))
	mux.Handle("GET /_guichet/v1/notifications", a.auth(a.notifications))
	mux.Handle("POST /_guichet/v1/notifications/{id}/resend", a.auth(a.resend))
	mux.Handle("GET /_guichet/v1/exchanges", a.auth(a.exchanges))
	mux.Handle("POST /_guichet/v1/exchanges/purge", a.auth(a.purgeExchanges))
	mux.Handle("POST /_guichet/v1/shops/{id}/reset", a.auth(a.resetShop))
}

func (a *API) auth(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(a.token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="guichet"`)
			writeJSON(w, http.StatusUnauthorized, errorBody("unauthorized", "a valid bearer token is required"))
			return
		}
		if err := h(w, r); err != nil {
			a.writeError(w, err)
		}
	})
}

type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Param   string `json:"param,omitempty"`
	} `json:"error"`
}

func errorBody(code, msg string) apiError {
	var e apiError
	e.Error.Code, e.Error.Message = code, msg
	return e
}

// writeError maps an error code to an HTTP status, in this one place.
func (a *API) writeError(w http.ResponseWriter, err error) {
	status := map[guichet.Code]int{
		guichet.CodeInvalid: http.StatusBadRequest, guichet.CodeUnauthorized: http.StatusUnauthorized,
		guichet.CodeNotFound: http.StatusNotFound, guichet.CodeConflict: http.StatusConflict,
		guichet.CodeUnavailable: http.StatusServiceUnavailable,
	}[guichet.ErrorCode(err)]
	if status == 0 {
		status = http.StatusInternalServerError
		a.log.Error("sandbox api", "err", err)
	}
	body := errorBody(string(guichet.ErrorCode(err)), guichet.ErrorMessage(err))
	var e *guichet.Error
	if errors.As(err, &e) {
		body.Error.Param = e.Param
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func invalid(param, msg string) error {
	return &guichet.Error{Code: guichet.CodeInvalid, Param: param, Message: msg}
}

func (a *API) advance(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Seconds *int64 `json:"seconds"`
		Shop    string `json:"shop"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return invalid("", "the body must be JSON like {\"seconds\": 3600, \"shop\": \"…\"}")
	}
	if req.Seconds == nil || *req.Seconds < 0 || *req.Seconds > 10*365*86400 {
		return invalid("seconds", "seconds must be a number between 0 and ten years")
	}
	var ids []string
	if req.Shop != "" {
		ids = []string{req.Shop}
	} else {
		shops, err := a.shops(r)
		if err != nil {
			return err
		}
		for _, s := range shops {
			if s.IsTest() {
				ids = append(ids, s.ID)
			}
		}
	}
	type shopClock struct {
		Shop          string    `json:"shop"`
		Now           time.Time `json:"now"`
		OffsetSeconds int64     `json:"offset_seconds"`
		JobsRun       int       `json:"jobs_run"`
	}
	out := struct {
		Shops []shopClock `json:"shops"`
	}{Shops: []shopClock{}}
	for _, id := range ids {
		shop, ran, err := a.svc.AdvanceClock(r.Context(), id, time.Duration(*req.Seconds)*time.Second)
		if err != nil {
			return err
		}
		out.Shops = append(out.Shops, shopClock{Shop: shop.ID, Now: a.svc.Now(shop).UTC(),
			OffsetSeconds: int64(shop.ClockOffset / time.Second), JobsRun: ran})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// resetShop forgets everything a TEST shop did, as the back office's
// button does, for test suites that start each run from a clean shop.
func (a *API) resetShop(w http.ResponseWriter, r *http.Request) error {
	n, err := a.svc.ResetShop(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"shop": r.PathValue("id"), "transactions_deleted": n})
	return nil
}

func (a *API) shops(r *http.Request) ([]guichet.Shop, error) {
	return a.svc.Shops(r.Context())
}

func limit(r *http.Request) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return 100, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1000 {
		return 0, invalid("limit", "limit must be between 1 and 1000")
	}
	return n, nil
}
