// Package columns holds what the SQL stores share of the mapping between
// domain values and column values: the encodings that do not depend on
// the SQL dialect, so that each store keeps only its queries, its
// placeholders and its driver's types.
package columns

import (
	"bytes"
	"encoding/json"
	"fmt"

	"guichet"
)

// credential is one credential as the shop queries aggregate them, in a
// JSON array: both stores build it with their own JSON functions, the data
// kept as a string so that its bytes come back as they were written.
type credential struct {
	Protocol string `json:"p"`
	Key      string `json:"k"`
	Data     string `json:"d"`
}

// Credentials decodes the credentials of a shop as the shop queries
// aggregate them; an empty or null aggregate is no credential.
func Credentials(aggregate string) ([]guichet.Credential, error) {
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

// CredentialsData checks the credentials of a shop, one per protocol,
// each with its key, and returns the column values of their data: compact
// JSON, so that what comes back compares equal to what the front wrote.
func CredentialsData(s *guichet.Shop) ([]string, error) {
	datas := make([]string, len(s.Credentials))
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
		datas[i] = b.String()
	}
	return datas, nil
}

// ShopJSON fills the fields of a shop that the stores keep as JSON: its
// KWIXO contract and its card brands ("null" or empty when it has none),
// and its credentials as the shop queries aggregate them.
func ShopJSON(s *guichet.Shop, kwixo, brands, credentials string) error {
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
	var err error
	s.Credentials, err = Credentials(credentials)
	return err
}

// ShopContract is the column values of a shop's KWIXO contract and card
// brands, "null" when it has none.
func ShopContract(s *guichet.Shop) (kwixo, brands string) {
	k, _ := json.Marshal(s.Kwixo)
	b, _ := json.Marshal(s.Brands)
	return string(k), string(b)
}

// OrderContent is the column value of an order's content: JSON, or "" for
// an order without any.
func OrderContent(o *guichet.Order) string {
	c := o.Content
	if c.Customer == nil && c.Cart == nil && c.SubMerchant == nil && len(c.Metadata) == 0 && len(c.Extras) == 0 {
		return ""
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// SetOrderContent fills an order's content from its column value.
func SetOrderContent(o *guichet.Order, content string) error {
	if content == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(content), &o.Content); err != nil {
		return fmt.Errorf("order %s: content: %w", o.ID, err)
	}
	return nil
}
