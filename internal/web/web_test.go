package web_test

import (
	"testing"

	"guichet/internal/web"
)

func TestWithQuery(t *testing.T) {
	for _, c := range []struct{ target, query, want string }{
		{"https://shop.example/back", "token=T", "https://shop.example/back?token=T"},
		{"https://shop.example/back?shop=1", "token=T", "https://shop.example/back?shop=1&token=T"},
		{"https://shop.example/back?", "token=T", "https://shop.example/back?token=T"},
		{"https://shop.example/back?a=1#done", "token=T", "https://shop.example/back?a=1&token=T#done"},
		{"https://shop.example/back#x?y", "token=T", "https://shop.example/back?token=T#x?y"},
		{"https://shop.example/back?a=1", "", "https://shop.example/back?a=1"},
		{"myapp://paid", "Id=1", "myapp://paid?Id=1"},
	} {
		if got := web.WithQuery(c.target, c.query); got != c.want {
			t.Errorf("WithQuery(%q, %q) = %q, want %q", c.target, c.query, got, c.want)
		}
	}
}
