package payline

import (
	"encoding/json"
	"io"
	"net/http"

	"guichet/internal/web"
)

// settings are what a merchant sets of its account without the
// administration centre: the notification URL of every payment that names
// none, which the wallet operations, naming none, always use (BILL).
type settings struct {
	NotificationURL string `json:"notificationUrl"`
}

// serveSettings shows (GET) or sets (POST) a merchant's settings, for the
// merchant's Basic credentials.
func (a *API) serveSettings(w http.ResponseWriter, r *http.Request) {
	shop, acct, ok := a.authenticate(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Basic realm="Payline"`)
		web.WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "unknown merchant id or access key"})
		return
	}
	if r.Method == http.MethodPost {
		var in settings
		if err := json.NewDecoder(io.LimitReader(r.Body, 16<<10)).Decode(&in); err != nil {
			web.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "the body must be a JSON object"})
			return
		}
		u, err := readURL("notificationUrl", in.NotificationURL, false)
		if err != nil {
			web.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "notificationUrl must be an absolute http or https URL"})
			return
		}
		acct.NotificationURL = u
		if _, err := a.svc.SetCredential(r.Context(), shop.ID, acct.Credential()); err != nil {
			a.log.Error("payline: settings not saved", "err", err)
			web.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "the settings could not be saved; try again"})
			return
		}
	}
	web.WriteJSON(w, http.StatusOK, settings{NotificationURL: acct.NotificationURL})
}
