package checkout

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"guichet"
)

// tag is one start tag of a rendered page, found by a deliberately small
// scanner: html/template always quotes attributes with double quotes, which
// is all the tests need to read them.
type tag struct {
	name  string
	attrs map[string]string
	pos   int
}

var (
	tagRE  = regexp.MustCompile(`<(input|button|label|form|a)\b([^>]*)>`)
	attrRE = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9_:-]*)(?:="([^"]*)")?`)
)

func tags(body, name string) []tag {
	var out []tag
	for _, m := range tagRE.FindAllStringSubmatchIndex(body, -1) {
		if body[m[2]:m[3]] != name {
			continue
		}
		attrs := make(map[string]string)
		for _, a := range attrRE.FindAllStringSubmatch(body[m[4]:m[5]], -1) {
			attrs[a[1]] = a[2]
		}
		out = append(out, tag{name: name, attrs: attrs, pos: m[0]})
	}
	return out
}

// input returns the visible input with the given id.
func input(t *testing.T, body, id string) tag {
	t.Helper()
	for _, in := range tags(body, "input") {
		if in.attrs["id"] == id {
			return in
		}
	}
	t.Fatalf("no input with id %q", id)
	return tag{}
}

func newPages(t *testing.T) *Pages {
	t.Helper()
	p, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

func record(t *testing.T, f func(http.ResponseWriter) error) (*httptest.ResponseRecorder, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	if err := f(rec); err != nil {
		t.Fatalf("render: %v", err)
	}
	return rec, rec.Body.String()
}

func common(lang string, test bool) Common {
	return Common{Lang: lang, Test: test, Merchant: "Boutique Démo", Amount: "12,50\u00a0€", Reference: "CMD-42", Email: "jean@example.com"}
}

// allPages renders every page with c, with enough data to show every field.
func allPages(t *testing.T, p *Pages, c Common) map[string]string {
	t.Helper()
	hidden := map[string]string{"session": "abc"}
	out := make(map[string]string)
	_, out["choice"] = record(t, func(w http.ResponseWriter) error {
		return p.Choice(w, ChoiceData{Common: c, Action: "/pay", Hidden: hidden, CancelAction: "/cancel",
			Methods: []Method{{Value: "card-cb", Brand: guichet.BrandCB}, {Value: "kwixo", Kind: KindKwixo, Label: "Kwixo comptant"}}})
	})
	_, out["card"] = record(t, func(w http.ResponseWriter) error {
		return p.Card(w, CardData{Common: c, Action: "/pay", Hidden: hidden, Brand: guichet.BrandVisa, CancelAction: "/cancel"})
	})
	_, out["challenge"] = record(t, func(w http.ResponseWriter) error {
		return p.Challenge(w, ChallengeData{Common: c, Action: "/3ds", Hidden: hidden})
	})
	_, out["kwixo"] = record(t, func(w http.ResponseWriter) error {
		return p.Kwixo(w, KwixoData{Common: c, Action: "/kwixo", Hidden: hidden, Option: guichet.KwixoStandard, CancelAction: "/cancel"})
	})
	_, out["partner"] = record(t, func(w http.ResponseWriter) error {
		return p.Partner(w, PartnerData{Common: c, Action: "/partner", Hidden: hidden, Kind: KindPayconiq, Label: "Monext Demo"})
	})
	_, out["message"] = record(t, func(w http.ResponseWriter) error {
		return p.Message(w, 0, MessageData{Common: c, Title: "Paiement accepté", Text: "Merci.", Kind: "success",
			Links: []Link{{"https://shop.example/ok", "Retour boutique"}}})
	})
	return out
}

func TestMessageTablesMatch(t *testing.T) {
	if err := sameKeys(messages()); err != nil {
		t.Fatal(err)
	}
	broken := messages()
	delete(broken["en"], "pay")
	if err := sameKeys(broken); err == nil {
		t.Error("sameKeys accepted an English table without \"pay\"")
	}
	broken = messages()
	broken["fr"]["pay"] = ""
	if err := sameKeys(broken); err == nil {
		t.Error("sameKeys accepted an empty text")
	}
}

func TestEveryPageIsWellFormedAndAccessible(t *testing.T) {
	p := newPages(t)
	for _, lang := range []string{"fr", "en"} {
		for _, test := range []bool{true, false} {
			for name, body := range allPages(t, p, common(lang, test)) {
				t.Run(lang+"/"+name, func(t *testing.T) {
					if !strings.Contains(body, `<html lang="`+lang+`">`) {
						t.Errorf("no lang=%q attribute", lang)
					}
					if n := strings.Count(body, "<h1"); n != 1 {
						t.Errorf("%d h1 headings, want 1", n)
					}
					if strings.Contains(body, "<script") {
						t.Error("page holds a script; it must work without JavaScript")
					}
					if got := strings.Contains(body, "***TEST***"); got != test {
						t.Errorf("TEST banner shown = %v, want %v", got, test)
					}
					if !strings.Contains(body, `<meta name="viewport"`) || !strings.Contains(body, "<style>") {
						t.Error("missing viewport or inline style sheet")
					}
					if !strings.Contains(body, ":focus{outline:") {
						t.Error("style sheet has no visible focus style")
					}
					checkLabels(t, body)
				})
			}
		}
	}
}

// checkLabels checks that every visible input has a unique id and exactly
// one label pointing at it.
func checkLabels(t *testing.T, body string) {
	t.Helper()
	fors := make(map[string]int)
	for _, l := range tags(body, "label") {
		fors[l.attrs["for"]]++
	}
	seen := make(map[string]bool)
	for _, in := range tags(body, "input") {
		if in.attrs["type"] == "hidden" {
			continue
		}
		id := in.attrs["id"]
		if id == "" {
			t.Errorf("input %v has no id", in.attrs)
			continue
		}
		if seen[id] {
			t.Errorf("id %q used twice", id)
		}
		seen[id] = true
		if in.attrs["name"] == "" {
			t.Errorf("input %q has no name", id)
		}
		if fors[id] != 1 {
			t.Errorf("input %q has %d labels, want 1", id, fors[id])
		}
	}
	for id := range fors {
		if !seen[id] {
			t.Errorf("label for %q points at no input", id)
		}
	}
}

func TestResponseHeaders(t *testing.T) {
	p := newPages(t)
	rec, _ := record(t, func(w http.ResponseWriter) error {
		return p.Card(w, CardData{Common: common("fr", false), Action: "/pay"})
	})
	if rec.Code != http.StatusOK {
		t.Errorf("status %d, want 200", rec.Code)
	}
	if got := rec.Header().Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
	for status, want := range map[int]int{0: 200, http.StatusForbidden: 403, http.StatusBadRequest: 400} {
		rec, _ := record(t, func(w http.ResponseWriter) error {
			return p.Message(w, status, MessageData{Common: common("fr", false), Title: "Accès refusé", Kind: "error"})
		})
		if rec.Code != want {
			t.Errorf("Message(%d): status %d, want %d", status, rec.Code, want)
		}
		if got := rec.Header().Get("Content-Type"); got != "text/html; charset=utf-8" {
			t.Errorf("Message(%d): Content-Type %q", status, got)
		}
	}
}

func TestCardFields(t *testing.T) {
	p := newPages(t)
	for lang, placeholder := range map[string]string{"fr": "MM/AA", "en": "MM/YY"} {
		_, body := record(t, func(w http.ResponseWriter) error {
			return p.Card(w, CardData{Common: common(lang, false), Action: "/pay", Holder: "Jean <Dupont>", Brand: guichet.BrandVisa})
		})
		for id, ac := range map[string]string{"number": "cc-number", "expiry": "cc-exp", "cvv": "cc-csc", "holder": "cc-name"} {
			in := input(t, body, id)
			if in.attrs["autocomplete"] != ac {
				t.Errorf("%s: %s autocomplete=%q, want %q", lang, id, in.attrs["autocomplete"], ac)
			}
			if in.attrs["name"] != id {
				t.Errorf("%s: input %s has name %q", lang, id, in.attrs["name"])
			}
		}
		for _, id := range []string{"number", "expiry", "cvv"} {
			if in := input(t, body, id); in.attrs["inputmode"] != "numeric" {
				t.Errorf("%s: %s inputmode=%q, want numeric", lang, id, in.attrs["inputmode"])
			}
		}
		for _, id := range []string{"number", "cvv"} {
			if _, ok := input(t, body, id).attrs["value"]; ok {
				t.Errorf("%s: %s input carries a value attribute", lang, id)
			}
		}
		if got := input(t, body, "expiry").attrs["placeholder"]; got != placeholder {
			t.Errorf("%s: expiry placeholder %q, want %q", lang, got, placeholder)
		}
		if got := input(t, body, "holder").attrs["value"]; got != "Jean &lt;Dupont&gt;" {
			t.Errorf("%s: holder value %q, want the escaped holder", lang, got)
		}
		if strings.Contains(body, "aria-invalid") || strings.Contains(body, `class="error-summary"`) {
			t.Errorf("%s: error markup on a page without errors", lang)
		}
		if !strings.Contains(body, "Visa") || !strings.Contains(body, "icon-visa") {
			t.Errorf("%s: the chosen brand is not shown", lang)
		}
	}
	_, body := record(t, func(w http.ResponseWriter) error {
		return p.Card(w, CardData{Common: common("fr", false), Action: "/pay"})
	})
	if !strings.Contains(body, ">Payer 12,50\u00a0€</button>") {
		t.Error("no Payer button with the amount")
	}
	_, body = record(t, func(w http.ResponseWriter) error {
		return p.Card(w, CardData{Common: common("en", false), Action: "/pay", Brand: guichet.BrandAmex})
	})
	if !strings.Contains(body, ">Pay 12,50\u00a0€</button>") {
		t.Error("no Pay button with the amount")
	}
	if !strings.Contains(body, "4 digits on the front") {
		t.Error("the Amex CVV hint is not shown for an Amex card")
	}
}

func TestCardNamesTheChosenCard(t *testing.T) {
	p := newPages(t)
	for _, c := range []struct {
		brand       guichet.Brand
		label, want string
		icon        string
	}{
		{guichet.BrandMastercard, "", "Carte\u00a0: Mastercard", "icon-mastercard"},
		{guichet.BrandDiners, "", "Carte\u00a0: Diners Club", "icon-diners"},
		{guichet.BrandDiscover, "", "Carte\u00a0: Discover", "icon-generic"},
		{guichet.BrandUnknown, "Aurore", "Carte\u00a0: Aurore", "icon-generic"},
		{guichet.BrandVisa, "Visa Electron", "Carte\u00a0: Visa Electron", "icon-visa"},
	} {
		_, body := record(t, func(w http.ResponseWriter) error {
			return p.Card(w, CardData{Common: common("fr", false), Action: "/pay", Brand: c.brand, Label: c.label})
		})
		if !strings.Contains(body, "<span>"+c.want+"</span>") || !strings.Contains(body, `class="icon `+c.icon+`"`) {
			t.Errorf("brand %q label %q: want %q with %s", c.brand, c.label, c.want, c.icon)
		}
	}
	_, body := record(t, func(w http.ResponseWriter) error {
		return p.Card(w, CardData{Common: common("fr", false), Action: "/pay"})
	})
	if strings.Contains(body, `class="brand"`) {
		t.Error("a card of no brand is named")
	}
}

func TestCardErrorsSitNextToTheirField(t *testing.T) {
	p := newPages(t)
	errs := map[string]string{
		"number": "Numéro de carte invalide",
		"expiry": "Carte expirée",
		"cvv":    "Cryptogramme <incomplet>",
		"holder": "Nom trop long",
		"form":   "Paiement refusé par la banque",
	}
	_, body := record(t, func(w http.ResponseWriter) error {
		return p.Card(w, CardData{Common: common("fr", true), Action: "/pay", Errors: errs})
	})
	for _, id := range []string{"number", "expiry", "cvv", "holder"} {
		in := input(t, body, id)
		if in.attrs["aria-invalid"] != "true" {
			t.Errorf("%s: aria-invalid=%q", id, in.attrs["aria-invalid"])
		}
		if !slices.Contains(strings.Fields(in.attrs["aria-describedby"]), id+"-error") {
			t.Errorf("%s: aria-describedby=%q lacks %s-error", id, in.attrs["aria-describedby"], id)
		}
		text := strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(errs[id])
		msg := `id="` + id + `-error">` + text + "<"
		at := strings.Index(body, msg)
		if at < 0 {
			t.Errorf("%s: no element %s-error holding %q", id, id, text)
			continue
		}
		label := strings.Index(body, `<label for="`+id+`"`)
		if !(label < at && at < in.pos) || strings.Contains(body[at:in.pos], "<input") {
			t.Errorf("%s: the error is not between the field's label and its input", id)
		}
		if !strings.Contains(body, `<a href="#`+id+`">`+text+"</a>") {
			t.Errorf("%s: the error summary does not link to the field", id)
		}
	}
	if !strings.Contains(body, `role="alert"`) || !strings.Contains(body, "<li>"+"Paiement refusé par la banque</li>") {
		t.Error("the form error is not in the error summary")
	}
	if !strings.Contains(body, "<title>***TEST*** Erreur") {
		t.Error("the document title does not announce the error")
	}
	if strings.Contains(body, "<h1>Erreur") {
		t.Error("the visible heading should not be prefixed")
	}
}

func TestHiddenFieldsAreEscaped(t *testing.T) {
	p := newPages(t)
	hidden := map[string]string{"token": `"><script>alert(1)</script>`, "total": "1250"}
	c := common("fr", false)
	c.Merchant = "<script>alert(2)</script>"
	bodies := map[string]string{}
	_, bodies["choice"] = record(t, func(w http.ResponseWriter) error {
		return p.Choice(w, ChoiceData{Common: c, Action: "/pay", Hidden: hidden, Methods: []Method{{Value: "cb", Brand: guichet.BrandCB}}, CancelAction: "/cancel"})
	})
	_, bodies["card"] = record(t, func(w http.ResponseWriter) error {
		return p.Card(w, CardData{Common: c, Action: "/pay", Hidden: hidden, CancelAction: "/cancel"})
	})
	_, bodies["kwixo"] = record(t, func(w http.ResponseWriter) error {
		return p.Kwixo(w, KwixoData{Common: c, Action: "/pay", Hidden: hidden, CancelAction: "/cancel"})
	})
	_, bodies["challenge"] = record(t, func(w http.ResponseWriter) error {
		return p.Challenge(w, ChallengeData{Common: c, Action: "/pay", Hidden: hidden})
	})
	for name, body := range bodies {
		if strings.Contains(body, "<script") {
			t.Errorf("%s: unescaped script", name)
		}
		forms := 2 // the payment form and the cancel form
		if name == "challenge" {
			forms = 1
		}
		want := `<input type="hidden" name="token" value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">`
		if n := strings.Count(body, want); n != forms {
			t.Errorf("%s: escaped hidden field found %d times, want %d", name, n, forms)
		}
		if n := strings.Count(body, `<input type="hidden" name="total" value="1250">`); n != forms {
			t.Errorf("%s: total found %d times, want %d", name, n, forms)
		}
	}
}

func TestChoiceListsExactlyTheMethodsGiven(t *testing.T) {
	p := newPages(t)
	// Values are the front's own tokens, posted back as given, escaping
	// aside.
	methods := []Method{
		{Value: "CARTE:CB", Brand: guichet.BrandCB, Label: "CB"}, {Value: "visa", Brand: guichet.BrandVisa, Label: "Visa"},
		{Value: "mc", Brand: guichet.BrandMastercard}, {Value: "3", Brand: guichet.BrandMaestro},
		{Value: "amex", Brand: guichet.BrandAmex}, {Value: "jcb", Brand: guichet.BrandJCB, Label: "JCB"},
		{Value: "diners", Brand: guichet.BrandDiners, Label: "Diners"}, {Value: "kwixo:standard", Kind: KindKwixo, Label: "Kwixo comptant"},
		{Value: "kwixo", Kind: KindKwixo}, {Value: "discover", Brand: guichet.BrandDiscover}, {Value: "a&b", Brand: "AURORE"},
	}
	icons := []string{"cb", "visa", "mastercard", "maestro", "amex", "jcb", "diners", "kwixo", "kwixo", "generic", "generic"}
	labels := []string{"CB", "Visa", "Mastercard", "Maestro", "American Express", "JCB", "Diners", "Kwixo comptant", "Kwixo", "Discover", "AURORE"}
	for _, n := range []int{1, 3, len(methods)} {
		_, body := record(t, func(w http.ResponseWriter) error {
			return p.Choice(w, ChoiceData{Common: common("en", false), Action: "/pay", Methods: methods[:n], CancelAction: "/cancel"})
		})
		var got []string
		for _, b := range tags(body, "button") {
			if b.attrs["name"] == "method" {
				if b.attrs["type"] != "submit" {
					t.Errorf("method button %q is not a submit button", b.attrs["value"])
				}
				got = append(got, b.attrs["value"])
			}
		}
		var want []string
		for i, m := range methods[:n] {
			want = append(want, strings.ReplaceAll(m.Value, "&", "&amp;"))
			button := `value="` + want[i] + `"><svg class="icon icon-` + icons[i] + `"`
			if !strings.Contains(body, button) || !strings.Contains(body, "<span>"+labels[i]+"</span>") {
				t.Errorf("%s: no button with the %s pictogram named %q", m.Value, icons[i], labels[i])
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("methods %v, want %v", got, want)
		}
		if n < len(methods) && strings.Contains(body, "<span>"+labels[n]+"</span>") {
			t.Errorf("method %s shown though not given", methods[n].Value)
		}
	}
	_, body := record(t, func(w http.ResponseWriter) error {
		return p.Choice(w, ChoiceData{Common: common("fr", false), Action: "/pay"})
	})
	if strings.Contains(body, `name="method"`) || !strings.Contains(body, "Aucun moyen de paiement") {
		t.Error("an empty choice does not say that no method is available")
	}
}

func TestCancelIsASeparateForm(t *testing.T) {
	p := newPages(t)
	_, body := record(t, func(w http.ResponseWriter) error {
		return p.Card(w, CardData{Common: common("en", false), Action: "/pay", CancelAction: "/cancel?s=1&t=2"})
	})
	forms := tags(body, "form")
	if len(forms) != 2 || forms[0].attrs["action"] != "/pay" || forms[1].attrs["action"] != "/cancel?s=1&amp;t=2" {
		t.Fatalf("forms %v, want the payment form then the cancel form", forms)
	}
	if forms[0].attrs["method"] != "post" || forms[1].attrs["method"] != "post" {
		t.Error("forms must post")
	}
	if end := strings.Index(body, "</form>"); end > forms[1].pos || !strings.Contains(body[forms[1].pos:], ">Cancel payment</button>") {
		t.Error("the cancel button is not in a form of its own")
	}
	_, body = record(t, func(w http.ResponseWriter) error {
		return p.Card(w, CardData{Common: common("en", false), Action: "/pay"})
	})
	if len(tags(body, "form")) != 1 || strings.Contains(body, "Cancel payment") {
		t.Error("a cancel form is drawn without a CancelAction")
	}
}

func TestChallenge(t *testing.T) {
	p := newPages(t)
	for lang, want := range map[string][2]string{"fr": {"Valider", "Échec de l&#39;authentification"}, "en": {"Confirm", "Fail authentication"}} {
		_, body := record(t, func(w http.ResponseWriter) error {
			return p.Challenge(w, ChallengeData{Common: common(lang, false), Action: "/3ds", Errors: map[string]string{"otp": "Code incorrect"}})
		})
		otp := input(t, body, "otp")
		if otp.attrs["autocomplete"] != "one-time-code" || otp.attrs["aria-invalid"] != "true" {
			t.Errorf("%s: otp attributes %v", lang, otp.attrs)
		}
		if _, ok := otp.attrs["value"]; ok {
			t.Errorf("%s: the code is echoed", lang)
		}
		if !strings.Contains(body, "1234") {
			t.Errorf("%s: the test code is not given", lang)
		}
		buttons := map[string]tag{}
		for _, b := range tags(body, "button") {
			if b.attrs["name"] == "outcome" {
				buttons[b.attrs["value"]] = b
			}
		}
		if len(buttons) != 2 {
			t.Fatalf("%s: outcome buttons %v", lang, buttons)
		}
		if _, ok := buttons["fail"].attrs["formnovalidate"]; !ok {
			t.Errorf("%s: failing needs a code", lang)
		}
		if !strings.Contains(body, ">"+want[0]+"</button>") || !strings.Contains(body, ">"+want[1]+"</button>") {
			t.Errorf("%s: buttons are not labelled %q and %q", lang, want[0], want[1])
		}
	}
}

// TestPartner: the simulator of a partner's app names the partner and the
// ticket's label, escaped, and offers the two outcomes of Payline's
// simulator.
func TestPartner(t *testing.T) {
	p := newPages(t)
	for lang, title := range map[string]string{"fr": "Simulateur Payconiq", "en": "Payconiq simulator"} {
		_, body := record(t, func(w http.ResponseWriter) error {
			return p.Partner(w, PartnerData{Common: common(lang, true), Action: "/partner", Kind: KindPayconiq, Label: "Tom & Co <shop>"})
		})
		for _, want := range []string{"<h1>" + title + "</h1>", "<strong>Tom &amp; Co &lt;shop&gt;</strong>",
			`name="outcome" value="pay">MAKE A PAYMENT</button>`, `name="outcome" value="abort">ABORT</button>`, "icon-payconiq"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: page lacks %q", lang, want)
			}
		}
	}
}

func TestKwixo(t *testing.T) {
	p := newPages(t)
	for option, want := range map[string]string{guichet.KwixoStandard: "Kwixo comptant", guichet.KwixoRNP: "Kwixo 1x à réception",
		guichet.KwixoCredit: "Kwixo crédit", "": "Kwixo comptant", "AUTRE": "AUTRE"} {
		_, body := record(t, func(w http.ResponseWriter) error {
			return p.Kwixo(w, KwixoData{Common: common("fr", false), Action: "/kwixo", Option: option,
				Errors: map[string]string{"kwixo_password": "Mot de passe incorrect"}})
		})
		if !strings.Contains(body, "<strong>"+want+"</strong>") {
			t.Errorf("option %s not shown as %q", option, want)
		}
		email, password := input(t, body, "kwixo_email"), input(t, body, "kwixo_password")
		if email.attrs["autocomplete"] != "email" || email.attrs["value"] != "jean@example.com" {
			t.Errorf("email input %v", email.attrs)
		}
		if password.attrs["autocomplete"] != "current-password" || password.attrs["type"] != "password" {
			t.Errorf("password input %v", password.attrs)
		}
		if _, ok := password.attrs["value"]; ok || password.attrs["aria-invalid"] != "true" {
			t.Errorf("password input %v", password.attrs)
		}
	}
}

func TestMessage(t *testing.T) {
	p := newPages(t)
	for kind, want := range map[string]string{"error": "error", "success": "success", "refused": "refused", "pending": "pending", "info": "info", "": "info", "bogus": "info"} {
		_, body := record(t, func(w http.ResponseWriter) error {
			return p.Message(w, 0, MessageData{Common: Common{Lang: "fr"}, Kind: kind, Title: "Accès refusé",
				Text: "Ligne 1\nLigne <2>", Links: []Link{{"https://shop.example/?a=1&b=2", "Retour boutique"}, {"javascript:alert(1)", "Piège"}}})
		})
		if !strings.Contains(body, `class="status status-`+want+`"`) {
			t.Errorf("kind %q not drawn as %q", kind, want)
		}
		if !strings.Contains(body, "<h1>Accès refusé</h1>") || !strings.Contains(body, "Ligne 1\nLigne &lt;2&gt;") {
			t.Errorf("kind %q: title or text missing", kind)
		}
		links := tags(body, "a")
		if len(links) != 2 || links[0].attrs["href"] != "https://shop.example/?a=1&amp;b=2" {
			t.Errorf("links %v", links)
		}
		if strings.Contains(body, "javascript:") {
			t.Error("a javascript: link was kept")
		}
		if strings.Contains(body, `class="order"`) {
			t.Error("an empty order summary is drawn")
		}
	}
}

func TestLayouts(t *testing.T) {
	p := newPages(t)
	for layout, want := range map[Layout][2]bool{LayoutFull: {true, true}, LayoutMobile: {true, false}, LayoutFrame: {false, false}, "unknown": {true, true}} {
		c := common("en", true)
		c.Layout = layout
		for name, body := range allPages(t, p, c) {
			if got := strings.Contains(body, "<header"); got != want[0] {
				t.Errorf("%s layout %q: header %v, want %v", name, layout, got, want[0])
			}
			if got := strings.Contains(body, "<footer"); got != want[1] {
				t.Errorf("%s layout %q: footer %v, want %v", name, layout, got, want[1])
			}
			if !strings.Contains(body, "***TEST***") {
				t.Errorf("%s layout %q: the TEST banner must show in every layout", name, layout)
			}
		}
	}
}

func TestLanguageFallsBackToFrench(t *testing.T) {
	for in, want := range map[string]string{"fr": "fr", "en": "en", "EN": "en", "en-GB": "en", "": "fr", "de": "fr", "english": "fr"} {
		if got := normLang(in); got != want {
			t.Errorf("normLang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFailedRenderWritesNothing(t *testing.T) {
	p := newPages(t)
	v := p.view(common("fr", false), "cardTitle")
	v.T = map[string]string{} // every lookup now fails under missingkey=error
	rec := httptest.NewRecorder()
	if err := p.render(rec, http.StatusTeapot, "card", v); err == nil {
		t.Fatal("render succeeded without texts")
	}
	if rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != "" || rec.Code != http.StatusOK {
		t.Errorf("a failed render wrote: status %d, headers %v, %d bytes", rec.Code, rec.Header(), rec.Body.Len())
	}
	if err := p.render(rec, 0, "nope", v); err == nil {
		t.Error("render of an unknown page succeeded")
	}
}

func TestConcurrentRenders(t *testing.T) {
	p := newPages(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			lang := []string{"fr", "en"}[i%2]
			rec := httptest.NewRecorder()
			if err := p.Card(rec, CardData{Common: common(lang, i%3 == 0), Action: "/pay"}); err != nil {
				t.Error(err)
			}
			if !strings.Contains(rec.Body.String(), `lang="`+lang+`"`) {
				t.Errorf("render %d lost its language", i)
			}
		})
	}
	wg.Wait()
}

func TestCardShowsTypedExpiryAgain(t *testing.T) {
	p := newPages(t)
	errs := map[string]string{"number": "Numéro de carte invalide."}
	for expiry, want := range map[string]string{
		"09/28":            "09/28",
		"0928":             "0928",
		"09/2028":          "09/2028",
		"":                 "",
		"4012001037141112": "", // a card number typed in the wrong field
		"09/28x":           "",
		`"><b>`:            "",
	} {
		_, body := record(t, func(w http.ResponseWriter) error {
			return p.Card(w, CardData{Common: common("fr", false), Action: "/pay", Expiry: expiry, Errors: errs})
		})
		got, ok := input(t, body, "expiry").attrs["value"]
		if got != want || ok != (want != "") {
			t.Errorf("Expiry %q: value %q (present %v), want %q", expiry, got, ok, want)
		}
		for _, id := range []string{"number", "cvv"} {
			if _, ok := input(t, body, id).attrs["value"]; ok {
				t.Errorf("Expiry %q: %s input carries a value attribute", expiry, id)
			}
		}
		if expiry != "" && want == "" && strings.Contains(body, expiry) {
			t.Errorf("Expiry %q is echoed somewhere in the page", expiry)
		}
	}
}

func TestEveryPageHasAnInlineFavicon(t *testing.T) {
	p := newPages(t)
	linkRE := regexp.MustCompile(`<link rel="icon" href="(data:image/svg\+xml,[^"]+)">`)
	for name, body := range allPages(t, p, common("fr", false)) {
		m := linkRE.FindStringSubmatch(body)
		if m == nil {
			t.Errorf("%s: no inline favicon", name)
			continue
		}
		if strings.Contains(m[1], "ZgotmplZ") || strings.ContainsAny(m[1], "<># ") {
			t.Errorf("%s: favicon URL %q is not a clean data URL", name, m[1])
		}
	}
}

func TestOrderSummaryAndThreeDSTypography(t *testing.T) {
	css, err := files.ReadFile("static/checkout.css")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`\.order \.row\{[^}]*\}`).Find(css)
	if !strings.Contains(string(row), "align-items:baseline") {
		t.Errorf("order rows %q do not align label and amount on their baseline", row)
	}
	p := newPages(t)
	for _, lang := range []string{"fr", "en"} {
		_, body := record(t, func(w http.ResponseWriter) error {
			return p.Challenge(w, ChallengeData{Common: common(lang, false), Action: "/3ds"})
		})
		// A non-breaking hyphen and a non-breaking space keep "3-D
		// Secure" on one line.
		if !strings.Contains(body, "3\u2011D\u00a0Secure") || strings.Contains(body, "3-D Secure") {
			t.Errorf("%s: \"3-D Secure\" may wrap", lang)
		}
	}
}
