package web_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"guichet/internal/web"
)

func TestMaskCards(t *testing.T) {
	type form struct{ Porteur, Ref string }
	for _, tt := range []struct {
		name string
		log  func(l *slog.Logger)
		want string
	}{
		{"message", func(l *slog.Logger) { l.Info("refused porteur=4012001037141112") }, "porteur=401200XXXXXX1112"},
		{"string", func(l *slog.Logger) { l.Info("x", "signed", "PORTEUR=4012001037141112X&CVV=123") }, "PORTEUR=401200XXXXXX1112X"},
		{"error", func(l *slog.Logger) { l.Error("x", "err", errors.New(`bad card "4012 0010 3714 1112"`)) }, "4012 00XX XXXX 1112"},
		{"struct", func(l *slog.Logger) { l.Info("x", "form", form{"4012001037141112", "r"}) }, "401200XXXXXX1112"},
		{"bytes", func(l *slog.Logger) { l.Info("x", "body", []byte("pan=4012001037141112")) }, "pan=401200XXXXXX1112"},
		{"group", func(l *slog.Logger) { l.Info("x", slog.Group("req", "porteur", "4012001037141112")) }, "401200XXXXXX1112"},
		{"with", func(l *slog.Logger) {
			l.With("pan", "4012001037141112").WithGroup("g").Info("x", "v", "1111222233334444")
		}, "111122XXXXXX4444"},
		{"cvv attribute", func(l *slog.Logger) { l.Info("x", "cvv", "737", "Cvv2", "738", "CRYPTOGRAMME", "739", "ok", 1) }, `"ok":1`},
		{"number", func(l *slog.Logger) { l.Info("x", "n", 4012001037141112, "m", 42, "ok", true) }, `"n":"401200XXXXXX1112","m":42,"ok":true`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			// The time is left out: its digits could hold a secret's by
			// chance ("…264773978" holds "739").
			noTime := func(_ []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey {
					return slog.Attr{}
				}
				return a
			}
			tt.log(slog.New(web.MaskCards(slog.NewJSONHandler(&b, &slog.HandlerOptions{ReplaceAttr: noTime}))))
			out := b.String()
			if !strings.Contains(out, tt.want) {
				t.Errorf("logged %s, want %s in it", out, tt.want)
			}
			for _, secret := range []string{"4012001037141112", "0010 3714", "1111222233334444", "737", "738", "739"} {
				if strings.Contains(out, secret) {
					t.Errorf("logged %s, holding %s", out, secret)
				}
			}
		})
	}
}
