package smoney

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"guichet/internal/web"
)

// settings are what an application registers with S-money besides its
// token: the domain its callbacks go to, and the secret that signs them.
type settings struct {
	CallbackDomain string `json:"callbackDomain"`
	CallbackSecret string `json:"callbackSecret,omitempty"`
}

// serveSettings shows (GET) or sets (POST) an application's settings, for
// its bearer token: /_guichet/v1/smoney/settings.
func (a *API) serveSettings(w http.ResponseWriter, r *http.Request) {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	shop, err := a.svc.ShopByCredential(r.Context(), protocol, strings.TrimSpace(token))
	var acct *Account
	ok := false
	if err == nil {
		acct, ok, err = AccountOf(shop)
	}
	if err != nil || !ok || !acct.tokenIs(strings.TrimSpace(token)) {
		web.WriteJSON(w, http.StatusUnauthorized, apiErrorBody{Code: 570, ErrorMessage: "the OAuth token is invalid", Title: "Unauthorized", Priority: 1})
		return
	}
	if r.Method == http.MethodPost {
		var in settings
		if err := json.NewDecoder(io.LimitReader(r.Body, 16<<10)).Decode(&in); err != nil {
			web.WriteJSON(w, http.StatusBadRequest, apiErrorBody{Code: 178, ErrorMessage: "the body must be a JSON object", Title: "Bad Request", Priority: 1})
			return
		}
		domain := strings.ToLower(strings.TrimSpace(in.CallbackDomain))
		if !hostName(domain) {
			web.WriteJSON(w, http.StatusBadRequest, apiErrorBody{Code: 178, ErrorMessage: "callbackDomain: a host name is expected", Title: "Bad Request", Priority: 1})
			return
		}
		acct.CallbackDomain, acct.CallbackSecret = domain, in.CallbackSecret
		if _, err := a.svc.SetCredential(r.Context(), shop.ID, acct.Credential()); err != nil {
			a.log.Error("smoney: settings not saved", "err", err)
			web.WriteJSON(w, http.StatusServiceUnavailable, apiErrorBody{Code: 1, ErrorMessage: "the settings could not be saved; try again", Title: "Service Unavailable", Priority: 1})
			return
		}
	}
	web.WriteJSON(w, http.StatusOK, settings{CallbackDomain: acct.CallbackDomain, CallbackSecret: acct.CallbackSecret})
}
