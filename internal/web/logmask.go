package web

import (
	"context"
	"fmt"
	"log/slog"

	"guichet"
)

// MaskCards wraps a log handler so that nothing it writes holds a card
// number or a CVV, whoever logs what: card numbers are masked
// (guichet.MaskCards) in the message and in every attribute, however deep
// in groups, and the attributes named like a CVV (guichet.CVVField) are
// left out. The code that logs is careful already (requests are never
// logged, cards log masked); this is what keeps a mistake, an error
// message quoting its input or a panic value from writing a card number
// to the log.
func MaskCards(h slog.Handler) slog.Handler { return maskHandler{h} }

type maskHandler struct{ next slog.Handler }

func (m maskHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return m.next.Enabled(ctx, level)
}

func (m maskHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, guichet.MaskCards(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		if a, ok := maskAttr(a); ok {
			out.AddAttrs(a)
		}
		return true
	})
	return m.next.Handle(ctx, out)
}

func (m maskHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return maskHandler{m.next.WithAttrs(maskAttrs(attrs))}
}

func (m maskHandler) WithGroup(name string) slog.Handler {
	return maskHandler{m.next.WithGroup(name)}
}

func maskAttrs(attrs []slog.Attr) []slog.Attr {
	out := make([]slog.Attr, 0, len(attrs))
	for _, a := range attrs {
		if a, ok := maskAttr(a); ok {
			out = append(out, a)
		}
	}
	return out
}

// maskAttr returns a with its card numbers masked, or false when a is a
// CVV and must go. Values of other kinds than strings are checked as they
// print: an error, a struct or any other value is written as its masked
// text, and so is a number that reads as a card number; the other kinds
// are written as they were.
func maskAttr(a slog.Attr) (slog.Attr, bool) {
	if guichet.CVVField(a.Key) {
		return a, false
	}
	a.Key = guichet.MaskCards(a.Key)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(guichet.MaskCards(v.String()))
	case slog.KindGroup:
		a.Value = slog.GroupValue(maskAttrs(v.Group())...)
	case slog.KindAny:
		var s string
		switch x := v.Any().(type) {
		case error:
			s = x.Error()
		case []byte:
			s = string(x)
		default:
			s = fmt.Sprint(x)
		}
		// Always the masked text, never the value itself: a value with
		// an encoding of its own (MarshalJSON, MarshalText) would be
		// written by the handler as that, which was not checked.
		a.Value = slog.StringValue(guichet.MaskCards(s))
	case slog.KindInt64, slog.KindUint64:
		// A card number fits in an int64, and is no safer as one.
		if s := v.String(); guichet.MaskCards(s) != s {
			a.Value = slog.StringValue(guichet.MaskCards(s))
		} else {
			a.Value = v
		}
	default:
		a.Value = v
	}
	return a, true
}
