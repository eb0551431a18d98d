package backoffice

import (
	"net/http"
	"time"

	"guichet"
)

type operationJSON struct {
	Number   int64  `json:"number"`
	Kind     string `json:"kind"`
	Amount   int64  `json:"amount"`
	Approved bool   `json:"approved"`
	Code     string `json:"code"`
	// Front and Ref are the identifier a front gave the operation
	// (Lyra's uuid).
	Front string    `json:"front,omitempty"`
	Ref   string    `json:"ref,omitempty"`
	At    time.Time `json:"at"`
}

type transactionJSON struct {
	ID         string          `json:"id"`
	Shop       string          `json:"shop"`
	Number     int64           `json:"number"`
	Reference  string          `json:"reference"`
	Currency   string          `json:"currency"`
	Amount     int64           `json:"amount"`
	Captured   int64           `json:"captured"`
	Refunded   int64           `json:"refunded"`
	Status     string          `json:"status"`
	Method     string          `json:"method,omitempty"`
	Option     string          `json:"option,omitempty"`
	Review     string          `json:"review,omitempty"`
	Card       string          `json:"card,omitempty"`
	Brand      string          `json:"brand,omitempty"`
	AuthCode   string          `json:"auth_code,omitempty"`
	Order      string          `json:"order,omitempty"`
	CreatedAt  time.Time       `json:"created_at"`
	Operations []operationJSON `json:"operations"`
}

func (a *API) transactions(w http.ResponseWriter, r *http.Request) error {
	n, err := limit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, err := a.svc.Transactions(r.Context(), guichet.TransactionFilter{ShopID: q.Get("shop"), Reference: q.Get("reference"), Limit: n})
	if err != nil {
		return err
	}
	out := []transactionJSON{}
	for _, t := range list {
		j := transactionJSON{ID: t.ID, Shop: t.ShopID, Number: t.Number, Reference: t.Reference, Currency: t.Currency,
			Amount: t.Amount, Captured: t.Captured, Refunded: t.Refunded, Status: string(t.Status), Method: t.Method, Option: t.Option,
			Review: t.Review, Card: t.Card.Masked, Brand: string(t.Card.Brand), AuthCode: t.AuthCode, Order: t.OrderID,
			CreatedAt: t.CreatedAt.UTC(), Operations: []operationJSON{}}
		for _, o := range t.Operations {
			j.Operations = append(j.Operations, operationJSON{Number: o.Number, Kind: string(o.Kind), Amount: o.Amount, Approved: o.Approved,
				Code: o.Code, Front: o.Front, Ref: o.Ref, At: o.CreatedAt.UTC()})
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"transactions": out})
	return nil
}

type attemptJSON struct {
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code"`
	Error      string    `json:"error,omitempty"`
	DurationMS float64   `json:"duration_ms"`
}

type deliveryJSON struct {
	ID          string        `json:"id"`
	Shop        string        `json:"shop"`
	Transaction string        `json:"transaction"`
	Reference   string        `json:"reference"`
	Method      string        `json:"method"`
	URL         string        `json:"url"`
	Body        string        `json:"body,omitempty"`
	Status      string        `json:"status"`
	Attempts    []attemptJSON `json:"attempts"`
	CreatedAt   time.Time     `json:"created_at"`
}

func (a *API) notifications(w http.ResponseWriter, r *http.Request) error {
	n, err := limit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, err := a.svc.Notifications(r.Context(), guichet.DeliveryFilter{ShopID: q.Get("shop"), OrderRef: q.Get("reference"), Limit: n})
	if err != nil {
		return err
	}
	out := []deliveryJSON{}
	for _, d := range list {
		out = append(out, toDeliveryJSON(d.Delivery, d.Attempts))
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": out})
	return nil
}

func toDeliveryJSON(d guichet.Delivery, attempts []guichet.Attempt) deliveryJSON {
	j := deliveryJSON{ID: d.ID, Shop: d.ShopID, Transaction: d.TransactionID, Reference: d.OrderRef, Method: d.Method,
		URL: d.URL, Body: string(d.Body), Status: string(d.Status), Attempts: []attemptJSON{}, CreatedAt: d.CreatedAt.UTC()}
	for _, a := range attempts {
		j.Attempts = append(j.Attempts, attemptJSON{a.At.UTC(), a.StatusCode, a.Error, float64(a.Duration.Microseconds()) / 1000})
	}
	return j
}

func (a *API) resend(w http.ResponseWriter, r *http.Request) error {
	d, err := a.svc.Delivery(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	shop, err := a.svc.ShopByID(r.Context(), d.ShopID)
	if err != nil {
		return err
	}
	if d, err = a.svc.Resend(r.Context(), shop, d.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, toDeliveryJSON(*d, nil))
	return nil
}

type exchangeJSON struct {
	ID         string    `json:"id"`
	Shop       string    `json:"shop,omitempty"`
	Protocol   string    `json:"protocol"`
	Operation  string    `json:"operation"`
	Reference  string    `json:"reference,omitempty"`
	Code       string    `json:"code"`
	Request    string    `json:"request"`
	Response   string    `json:"response"`
	At         time.Time `json:"at"`
	DurationMS float64   `json:"duration_ms"`
}

func (a *API) exchanges(w http.ResponseWriter, r *http.Request) error {
	n, err := limit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, err := a.svc.Exchanges(r.Context(), guichet.ExchangeFilter{ShopID: q.Get("shop"), Reference: q.Get("reference"), Limit: n})
	if err != nil {
		return err
	}
	out := []exchangeJSON{}
	for _, e := range list {
		out = append(out, exchangeJSON{e.ID, e.ShopID, e.Protocol, e.Operation, e.Reference, e.Code, e.Request, e.Response, e.At.UTC(),
			float64(e.Duration.Microseconds()) / 1000})
	}
	writeJSON(w, http.StatusOK, map[string]any{"exchanges": out})
	return nil
}
