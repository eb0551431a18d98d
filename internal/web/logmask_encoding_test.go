package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

// panJSON prints without the card number but encodes it.
type panJSON struct{ pan string }

func (p panJSON) MarshalJSON() ([]byte, error) { return json.Marshal(map[string]string{"pan": p.pan}) }
func (p panJSON) String() string               { return "card" }

// TestMaskCardsEncodedValue: a value whose JSON encoding differs from how
// it prints cannot slip a card number past the masking handler.
func TestMaskCardsEncodedValue(t *testing.T) {
	var buf bytes.Buffer
	slog.New(MaskCards(slog.NewJSONHandler(&buf, nil))).Info("x", "body", panJSON{"4111111111111111"})
	if strings.Contains(buf.String(), "4111111111111111") {
		t.Errorf("card number in clear: %s", buf.String())
	}
}
