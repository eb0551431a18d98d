package checkout

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func posted(values url.Values) *http.Request {
	r, _ := http.NewRequest("POST", "/", strings.NewReader(values.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.ParseForm()
	return r
}

// TestReadCard: the card form's fields, each with its message when
// wrong, in the page's language; a card a protocol takes without a code
// needs none.
func TestReadCard(t *testing.T) {
	for _, c := range []struct {
		name   string
		form   url.Values
		lang   string
		errors string
	}{
		{"right", url.Values{"number": {"4970 1011 2233 4455"}, "expiry": {"12/30"}, "cvv": {"123"}}, "fr", ""},
		{"four-digit year", url.Values{"number": {"4970101122334455"}, "expiry": {"12/2030"}, "cvv": {"1234"}}, "fr", ""},
		{"Luhn", url.Values{"number": {"4970101122334456"}, "expiry": {"12/30"}, "cvv": {"123"}}, "en", "number=Invalid card number."},
		{"expiry", url.Values{"number": {"4970101122334455"}, "expiry": {"13/30"}, "cvv": {"123"}}, "fr", "expiry=Date d'expiration invalide (MM/AA)."},
		{"no code", url.Values{"number": {"4970101122334455"}, "expiry": {"12/30"}}, "en", "cvv=Enter the security code."},
		{"bad code", url.Values{"number": {"4970101122334455"}, "expiry": {"12/30"}, "cvv": {"12a"}}, "fr", "cvv=Cryptogramme invalide."},
		{"no code needed", url.Values{"number": {"6703000000000007"}, "expiry": {"12/30"}}, "fr", ""},
	} {
		optional := func(pan string) bool { return strings.HasPrefix(pan, "6703") }
		card, errs := ReadCard(posted(c.form), c.lang, optional)
		var got []string
		for k, v := range errs {
			got = append(got, k+"="+v)
		}
		if strings.Join(got, ";") != c.errors {
			t.Errorf("%s: errors %v, want %q", c.name, got, c.errors)
		}
		if c.errors == "" && (card.ExpMonth != 12 || card.ExpYear != 2030 || card.PAN != strings.ReplaceAll(c.form.Get("number"), " ", "")) {
			t.Errorf("%s: card %v %d/%d", c.name, card, card.ExpMonth, card.ExpYear)
		}
	}
}

// TestChallengeCode: the buttons of the 3-D Secure page stand for the
// right code and for none; without them the code typed counts.
func TestChallengeCode(t *testing.T) {
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"outcome": {"ok"}}, "1234"},
		{url.Values{"outcome": {"fail"}, "otp": {"1234"}}, ""},
		{url.Values{"otp": {"9999"}}, "9999"},
	} {
		if got := ChallengeCode(posted(c.form), "1234"); got != c.want {
			t.Errorf("%v: %q, want %q", c.form, got, c.want)
		}
	}
}
