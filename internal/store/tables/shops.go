package tables

import (
	"bytes"
	"encoding/json"
	"fmt"

	"guichet"
)

// Shops maps shops. A shop is read with its credentials: a query selects
// Columns, then the shop's credentials aggregated in a JSON array of
// {"p": protocol, "k": key, "d": data} objects, in protocol and key order,
// "[]" when it has none. Each store builds that array with its own JSON
// functions; Scan reads it last. The credentials are written apart, as rows
// of Credentials.
//
// The shop's KWIXO contract and card brands are kept as JSON, "null" when
// it has none.
var Shops = Table[guichet.Shop]{
	Name: "shops",
	Columns: `id, name, mode, capture_delay, clock_offset_ns, three_ds, require_cvv, notify_attempts, kwixo,
		auto_capture_days, brands, created_at`,
	Append: func(d Dialect, args []any, s guichet.Shop) []any {
		kwixo, _ := json.Marshal(s.Kwixo)
		brands, _ := json.Marshal(s.Brands)
		return append(args, s.ID, s.Name, string(s.Mode), s.CaptureDelay, int64(s.ClockOffset), s.ThreeDS, s.RequireCVV,
			s.NotifyAttempts, string(kwixo), s.AutoCaptureDays, string(brands), d.Time(s.CreatedAt))
	},
	Scan: func(d Dialect, row Row, s *guichet.Shop) error {
		var kwixo, brands, credentials string
		err := row.Scan(&s.ID, &s.Name, (*string)(&s.Mode), &s.CaptureDelay, (*int64)(&s.ClockOffset), &s.ThreeDS, &s.RequireCVV,
			&s.NotifyAttempts, &kwixo, &s.AutoCaptureDays, &brands, d.ScanTime(&s.CreatedAt), &credentials)
		if err != nil {
			return err
		}
		if kwixo != "" {
			if err := json.Unmarshal([]byte(kwixo), &s.Kwixo); err != nil {
				return fmt.Errorf("shop %s: KWIXO contract: %w", s.ID, err)
			}
		}
		if brands != "" {
			if err := json.Unmarshal([]byte(brands), &s.Brands); err != nil {
				return fmt.Errorf("shop %s: brands: %w", s.ID, err)
			}
		}
		s.Credentials, err = decodeCredentials(credentials)
		return err
	},
}

// Credential is a row of credentials: a credential of a shop, its data the
// compact JSON that ShopCredentials makes of it.
type Credential struct {
	Protocol, Key, ShopID, Data string
}

// Credentials maps the credentials of shops. A store writes a shop's
// credentials with the shop, in place of those it had, and reads them with
// the shop (see Shops).
var Credentials = Table[Credential]{
	Name:    "credentials",
	Columns: "protocol, key, shop_id, data",
	Append: func(_ Dialect, args []any, c Credential) []any {
		return append(args, c.Protocol, c.Key, c.ShopID, c.Data)
	},
}

// ShopCredentials checks the credentials of a shop, one per protocol, each
// with its key, and returns them as rows of Credentials. Their data is
// compacted, so that what comes back compares equal to what the front
// wrote, whatever the store's JSON functions make of spaces.
func ShopCredentials(s *guichet.Shop) ([]Credential, error) {
	rows := make([]Credential, len(s.Credentials))
	for i, c := range s.Credentials {
		invalid := func(format string, args ...any) error {
			return &guichet.Error{Code: guichet.CodeInvalid, Param: "credentials",
				Message: fmt.Sprintf("shop %s, %s credential %q: ", s.ID, c.Protocol, c.Key) + fmt.Sprintf(format, args...)}
		}
		if c.Protocol == "" || c.Key == "" {
			return nil, invalid("protocol and key are required")
		}
		if s.Credential(c.Protocol) != &s.Credentials[i] {
			return nil, invalid("the shop already holds a credential of that protocol")
		}
		var b bytes.Buffer
		if err := json.Compact(&b, c.Data); err != nil {
			return nil, invalid("data is not JSON: %v", err)
		}
		rows[i] = Credential{Protocol: c.Protocol, Key: c.Key, ShopID: s.ID, Data: b.String()}
	}
	return rows, nil
}

// credential is one credential as the shop queries aggregate them. The data
// is kept as a string, so that its bytes come back as they were written.
type credential struct {
	Protocol string `json:"p"`
	Key      string `json:"k"`
	Data     string `json:"d"`
}

// decodeCredentials decodes the credentials of a shop as the shop queries
// aggregate them; an empty aggregate is no credential.
func decodeCredentials(aggregate string) ([]guichet.Credential, error) {
	if aggregate == "" || aggregate == "null" {
		return nil, nil
	}
	var list []credential
	if err := json.Unmarshal([]byte(aggregate), &list); err != nil {
		return nil, fmt.Errorf("shop credentials: %w", err)
	}
	var out []guichet.Credential
	for _, c := range list {
		out = append(out, guichet.Credential{Protocol: c.Protocol, Key: c.Key, Data: []byte(c.Data)})
	}
	return out, nil
}
