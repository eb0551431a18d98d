package paybox

import (
	"net/url"
	"reflect"
	"testing"
)

func TestParseForm(t *testing.T) {
	tests := []struct {
		in   string
		want Form
		ok   bool
	}{
		{"A=1&B=2", Form{{"A", "1"}, {"B", "2"}}, true},
		{"B=2&A=1&B=3", Form{{"B", "2"}, {"A", "1"}, {"B", "3"}}, true},
		{"A=x+y%26z%3D", Form{{"A", "x y&z="}}, true},
		{"A=caf%E9", Form{{"A", "caf\xe9"}}, true},
		{"A=&B", Form{{"A", ""}, {"B", ""}}, true},
		{"A=1&&B=2&", Form{{"A", "1"}, {"B", "2"}}, true},
		{"A=a=b", Form{{"A", "a=b"}}, true},
		{"", nil, true},
		{"A=%", nil, false},
		{"A=%G1", nil, false},
		{"A%2=1", nil, false},
	}
	for _, tt := range tests {
		got, err := ParseForm(tt.in)
		if (err == nil) != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseForm(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// FuzzParseForm checks that the parser never panics and agrees with
// net/url on every form both accept.
func FuzzParseForm(f *testing.F) {
	for _, s := range []string{"A=1&B=2", "VERSION=00104&TYPE=00003&PORTEUR=1111222233334444", "a=%zz", "x=+%20+", "=&=", ";=;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		form, err := ParseForm(s)
		if err != nil {
			return
		}
		want, uerr := url.ParseQuery(s)
		if uerr != nil {
			return
		}
		for _, p := range form {
			if _, ok := want[p.Name]; !ok && p.Name != "" {
				t.Fatalf("ParseForm(%q) has %q which net/url lacks", s, p.Name)
			}
		}
		for name, vals := range want {
			if v, ok := form.Get(name); !ok || v != vals[0] {
				t.Fatalf("ParseForm(%q)[%q] = %q, net/url has %q", s, name, v, vals[0])
			}
		}
	})
}

func TestMaskDigits(t *testing.T) {
	for in, want := range map[string]string{
		"4012001037141112":       "401200XXXXXX1112",
		"4012 0010 3714 1112":    "401200XXXXXX1112",
		"4012-0010-3714-1112":    "401200XXXXXX1112",
		"4012001037141112999999": "401200XXXXXXXXXXXX9999", // beyond int64
		"AbC123handle":           "AbC123handle",
		"12345":                  "12345",
		"":                       "",
	} {
		if got := maskDigits(in); got != want {
			t.Errorf("maskDigits(%q) = %q, want %q", in, got, want)
		}
	}
}
