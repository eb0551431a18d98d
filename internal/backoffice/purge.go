package backoffice

import "net/http"

// purgeExchanges runs the exchange log's purge now, with the retention the
// gateway was started with, rather than at its next turn: an operator
// sees at once what a new limit keeps, and tests need not wait.
func (a *API) purgeExchanges(w http.ResponseWriter, r *http.Request) error {
	deleted, left, err := a.svc.PurgeExchanges(r.Context())
	if err != nil {
		return err
	}
	type totals struct {
		Count int64 `json:"count"`
		Bytes int64 `json:"bytes"`
	}
	out := struct {
		Deleted totals `json:"deleted"`
		Left    totals `json:"left"`
	}{totals(deleted), totals(left)}
	writeJSON(w, http.StatusOK, out)
	return nil
}
