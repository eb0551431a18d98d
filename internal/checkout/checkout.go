// Package checkout renders the hosted payment pages buyers see: the choice
// of a payment method, the card form, a simulated 3-D Secure bank page, a
// simulated Kwixo login and result or error messages.
//
// The pages are plain server-rendered HTML with one inline style sheet and
// no script, so that they work with JavaScript disabled, inside an iframe
// and on the small browsers of older phones. Every text comes from a
// message table in French or English; the data the caller gives (merchant
// name, amount, error texts) is shown as is.
//
// The package only draws pages, and speaks the domain's words (card brands,
// Kwixo options), never a protocol's: reading the posted fields, checking
// them, deciding what comes next and translating to and from a PSP's own
// names belong to the protocol front that calls it.
package checkout

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"guichet"
)

// files holds the templates and the style sheet, so that the binary needs
// nothing on disk to show a page.
//
//go:embed templates/*.html static/checkout.css
var files embed.FS

// Pages renders the checkout pages. It is safe for concurrent use: its
// templates and tables are built once in New and only read afterwards.
type Pages struct {
	pages map[string]*template.Template
	css   template.CSS
	text  map[string]map[string]string
}

// New parses every template once, so that a broken template stops the
// program at start-up rather than on a buyer's screen.
func New() (*Pages, error) {
	text := messages()
	if err := sameKeys(text); err != nil {
		return nil, err
	}
	css, err := files.ReadFile("static/checkout.css")
	if err != nil {
		return nil, fmt.Errorf("checkout: %w", err)
	}
	base, err := template.New("layout").Option("missingkey=error").
		ParseFS(files, "templates/layout.html", "templates/icons.html")
	if err != nil {
		return nil, fmt.Errorf("checkout: %w", err)
	}
	p := &Pages{pages: make(map[string]*template.Template), css: template.CSS(css), text: text}
	// Each page template defines the "content" block of the shared layout,
	// so each gets its own copy of the layout.
	for _, name := range []string{"choice", "card", "challenge", "kwixo", "partner", "message"} {
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("checkout: %s: %w", name, err)
		}
		if _, err := t.ParseFS(files, "templates/"+name+".html"); err != nil {
			return nil, fmt.Errorf("checkout: %w", err)
		}
		p.pages[name] = t
	}
	return p, nil
}

// sameKeys checks that every language has the same texts, since a key
// present in one table only would make the other language fail to render.
func sameKeys(text map[string]map[string]string) error {
	ref := text["fr"]
	for lang, table := range text {
		for k, v := range table {
			if _, ok := ref[k]; !ok {
				return fmt.Errorf("checkout: message %q exists in %s but not in fr", k, lang)
			}
			if v == "" {
				return fmt.Errorf("checkout: message %q is empty in %s", k, lang)
			}
		}
		for k := range ref {
			if _, ok := table[k]; !ok {
				return fmt.Errorf("checkout: message %q is missing in %s", k, lang)
			}
		}
	}
	return nil
}

// Common is what every page shows: the shop, the order and the context the
// page is displayed in.
type Common struct {
	Lang      string // "fr" or "en"; anything else falls back to French, the pages' default
	Test      bool   // TEST shop: show a visible "***TEST***" banner, as PSPs' test platforms do
	Merchant  string // shop's trade name
	Amount    string // already formatted by Amount, e.g. "12,50 €"
	Reference string
	Email     string
	Layout    Layout
}

// Layout is how much of the page's frame is drawn around its content. A
// front picks it from what its protocol says of the page's display; an
// unknown value draws the full layout.
type Layout string

const (
	// LayoutFull is a page of its own: header and footer, and a floating
	// card on wide screens.
	LayoutFull Layout = ""
	// LayoutMobile is a compact page for small screens and old mobile
	// browsers: the header but no footer, and no floating card however
	// wide the screen.
	LayoutMobile Layout = "mobile"
	// LayoutFrame is a page shown inside the shop's own page, in an
	// iframe: the shop's page is the frame, so neither header nor footer.
	LayoutFrame Layout = "frame"
)

// Kind is what a payment method is: a card, or an alternative means of
// payment named after its provider. It decides the method's pictogram and,
// when the method has no label, its name.
type Kind int

const (
	// KindCard is a payment card, of the method's Brand.
	KindCard Kind = iota
	// KindKwixo is a Kwixo account, whose login Pages.Kwixo draws.
	KindKwixo
	// KindPayconiq is the Payconiq app, whose simulator Pages.Partner
	// draws.
	KindPayconiq
)

// Method is one payment method offered on the choice page, e.g.
// {Value: "v1", Kind: KindCard, Brand: guichet.BrandVisa} or
// {Value: "v2", Kind: KindKwixo, Label: "Kwixo comptant"}.
type Method struct {
	// Value is what the page posts back, as the "method" field, when the
	// buyer picks this method. It is opaque to the pages: the front
	// chooses it and maps it back, so that it can keep its protocol's own
	// names for the means of payment.
	Value string
	Kind  Kind
	// Brand is the card's brand, for a KindCard method. A brand without a
	// pictogram of its own gets a generic card.
	Brand guichet.Brand
	// Label names the method on its button; when empty, the brand's name
	// does, or the provider's for an alternative means of payment.
	Label string
}

// ChoiceData is the content of the payment method choice page.
type ChoiceData struct {
	Common
	Action       string
	Hidden       map[string]string
	Methods      []Method
	CancelAction string
}

// CardData is the content of the card form. Errors is keyed by field:
// "number", "expiry", "cvv", "holder", and "form" for an error about the
// whole form; other keys are shown in the error summary only.
type CardData struct {
	Common
	Action string
	Hidden map[string]string
	// Brand is the brand of the card the buyer chose, BrandUnknown when
	// the buyer chose none before typing the number.
	Brand guichet.Brand
	// Label names the chosen card when its brand does not, such as a
	// store card guichet has no Brand for; when empty, the brand's name
	// is shown. With neither, the page names no card.
	Label        string
	Holder       string // shown again after an error; the number and CVV never are
	Expiry       string // the expiry as typed, e.g. "09/28", shown again after an error
	Errors       map[string]string
	CancelAction string
}

// ChallengeData is the content of the simulated 3-D Secure page. Errors is
// keyed "otp" and "form".
type ChallengeData struct {
	Common
	Action string
	Hidden map[string]string
	Errors map[string]string
}

// KwixoData is the content of the simulated Kwixo login. Option is the
// Kwixo option (guichet.KwixoStandard, KwixoRNP or KwixoCredit; anything
// else is shown as given). Errors is keyed "kwixo_email", "kwixo_password"
// and "form".
type KwixoData struct {
	Common
	Action string
	Hidden map[string]string
	Option string
	// RNP tells who pays for receive-and-pay, for the options that
	// include it: "buyer", "merchant", or "" when it does not apply.
	RNP          string
	Errors       map[string]string
	CancelAction string
}

// PartnerData is the content of the simulator of a partner's app, where
// the buyer pays without a card: Label is the text of the payment's
// ticket. The page posts "outcome" "pay" or "abort".
type PartnerData struct {
	Common
	Action string
	Hidden map[string]string
	Kind   Kind
	Label  string
}

// MessageData is the content of a result or error page. Text may hold line
// breaks, which are kept.
type MessageData struct {
	Common
	Title, Text string
	Kind        string // "error", "success", "refused", "pending" or "info" (the default)
	Links       []Link
}

// Link is a button on a message page, e.g. "Retour boutique".
type Link struct{ URL, Label string }

// view is what the templates receive. One flat struct serves every page so
// that the layout can read the same fields whatever the page.
type view struct {
	Lang         string
	Layout       Layout
	T            map[string]string
	CSS          template.CSS
	Title        string // the document title, prefixed when there are errors
	Heading      string // the page's h1
	Common       Common
	Action       string
	CancelAction string
	Hidden       map[string]string
	Problems     []problem
	Fields       []field
	Methods      []method
	Icon         string // pictogram of the card or Kwixo page
	Brand        string // brand name on the card page
	Option       string // Kwixo option, translated, or the label of a partner's ticket
	RNP          string // who pays for Kwixo's receive-and-pay, translated
	Kind         string
	Message      string
	Links        []Link
}

// problem is one line of the error summary. ID is the field it links to,
// empty for errors that belong to no field.
type problem struct{ ID, Text string }

// field is one visible input. Building fields in Go and drawing them with a
// single template keeps labels, hints, errors and ARIA attributes
// consistent on every page. The input's name is its ID.
type field struct {
	ID, Type, Label, Optional, Hint, Error string
	Autocomplete, InputMode, Placeholder   string
	Value                                  string
	Required                               bool
	MaxLength                              int
	Class                                  string
}

// Describedby lists the hint and the error, which screen readers read
// after the label.
func (f field) Describedby() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// method is a Method ready to draw.
type method struct{ Value, Label, Icon string }

// Choice renders the payment method choice page: one submit button per
// method given, posting method=<Value> to Action.
//
// On every page with a cancel button, Hidden goes into the cancel form as
// well, so that the cancel handler finds the same session fields as the
// payment handler. The cancel form is drawn only when CancelAction is set.
//
// Choice, Card, Challenge and Kwixo write no status line, so the answer is
// 200 unless the caller has called WriteHeader before; a caller doing so
// must also set Content-Type itself, since headers set afterwards are lost.
func (p *Pages) Choice(w http.ResponseWriter, d ChoiceData) error {
	v := p.view(d.Common, "choiceTitle")
	v.Action, v.CancelAction, v.Hidden = d.Action, d.CancelAction, d.Hidden
	for _, m := range d.Methods {
		v.Methods = append(v.Methods, method{Value: m.Value, Label: m.label(), Icon: m.icon()})
	}
	return p.render(w, 0, "choice", v)
}

// Card renders the card form. The number and the CVV are never written
// back into the page, even after an error, so that they cannot end up in a
// cache, a screenshot or the browser history. The expiry is written back
// only when it is short and made of digits and slashes, so that a card
// number typed into the wrong field is never echoed either.
func (p *Pages) Card(w http.ResponseWriter, d CardData) error {
	v := p.view(d.Common, "cardTitle")
	v.Action, v.CancelAction, v.Hidden = d.Action, d.CancelAction, d.Hidden
	name := d.Label
	if name == "" {
		name = brandName(d.Brand)
	}
	if name != "" {
		v.Icon, v.Brand = brandIcon(d.Brand), name
	}
	cvvHint := "cvvHint"
	if d.Brand == guichet.BrandAmex {
		cvvHint = "cvvHintAmex"
	}
	t := v.T
	v.Fields = []field{
		{ID: "number", Type: "text", Label: t["number"], Hint: t["numberHint"], Error: d.Errors["number"],
			Autocomplete: "cc-number", InputMode: "numeric", Required: true, MaxLength: 23},
		{ID: "expiry", Type: "text", Label: t["expiry"], Hint: t["expiryHint"], Error: d.Errors["expiry"],
			Autocomplete: "cc-exp", InputMode: "numeric", Placeholder: t["expiryHolder"], Value: safeExpiry(d.Expiry),
			Required: true, MaxLength: 7, Class: "short"},
		{ID: "cvv", Type: "text", Label: t["cvv"], Hint: t[cvvHint], Error: d.Errors["cvv"],
			Autocomplete: "cc-csc", InputMode: "numeric", Required: true, MaxLength: 4, Class: "short"},
		{ID: "holder", Type: "text", Label: t["holder"], Optional: t["optional"], Hint: t["holderHint"], Error: d.Errors["holder"],
			Autocomplete: "cc-name", Value: d.Holder, MaxLength: 64},
	}
	v.setProblems(d.Errors)
	return p.render(w, 0, "card", v)
}

// safeExpiry returns s when it can only be an expiry date: at most seven
// characters (the input's maxlength), digits and slashes only. Anything
// else, which could be part of a card number, is dropped.
func safeExpiry(s string) string {
	if len(s) > 7 || strings.Trim(s, "0123456789/") != "" {
		return ""
	}
	return s
}

// Challenge renders the simulated 3-D Secure page. Both buttons submit the
// same form with outcome=ok or outcome=fail; the failing one skips the
// browser's check of the code, since a tester failing on purpose should
// not have to type one.
func (p *Pages) Challenge(w http.ResponseWriter, d ChallengeData) error {
	v := p.view(d.Common, "challengeTitle")
	v.Action, v.Hidden = d.Action, d.Hidden
	v.Fields = []field{
		{ID: "otp", Type: "text", Label: v.T["otp"], Hint: v.T["otpHint"], Error: d.Errors["otp"],
			Autocomplete: "one-time-code", InputMode: "numeric", Required: true, MaxLength: 8, Class: "short"},
	}
	v.setProblems(d.Errors)
	return p.render(w, 0, "challenge", v)
}

// Kwixo renders the simulated Kwixo login. The e-mail field starts with the
// buyer's address, which is what Kwixo itself proposes.
func (p *Pages) Kwixo(w http.ResponseWriter, d KwixoData) error {
	v := p.view(d.Common, "kwixoTitle")
	v.Action, v.CancelAction, v.Hidden = d.Action, d.CancelAction, d.Hidden
	v.Icon = "KWIXO"
	switch d.Option {
	case guichet.KwixoStandard, "":
		v.Option = v.T["kwixoStandard"]
	case guichet.KwixoRNP:
		v.Option = v.T["kwixoReception"]
	case guichet.KwixoCredit:
		v.Option = v.T["kwixoCredit"]
	default:
		v.Option = d.Option
	}
	switch d.RNP {
	case "buyer":
		v.RNP = v.T["kwixoRNPBuyer"]
	case "merchant":
		v.RNP = v.T["kwixoRNPMerchant"]
	}
	v.Fields = []field{
		{ID: "kwixo_email", Type: "email", Label: v.T["kwixoEmail"], Error: d.Errors["kwixo_email"],
			Autocomplete: "email", Value: d.Email, Required: true, MaxLength: 254},
		{ID: "kwixo_password", Type: "password", Label: v.T["kwixoPassword"], Error: d.Errors["kwixo_password"],
			Autocomplete: "current-password", Required: true, MaxLength: 128},
	}
	v.setProblems(d.Errors)
	return p.render(w, 0, "kwixo", v)
}

// Partner renders the simulator of a partner's app: as on the
// providers' test platforms, it offers a payment that succeeds and one the
// buyer abandons.
func (p *Pages) Partner(w http.ResponseWriter, d PartnerData) error {
	m := Method{Kind: d.Kind}
	v := p.view(d.Common, "")
	v.Title = fmt.Sprintf(v.T["partnerTitle"], m.label())
	v.Heading = v.Title
	v.Action, v.Hidden, v.Icon, v.Option = d.Action, d.Hidden, m.icon(), d.Label
	return p.render(w, 0, "partner", v)
}

// Message renders a result or error page with the given status; 0 means
// 200. It takes the status because error pages are the ones callers most
// often answer with something other than 200.
func (p *Pages) Message(w http.ResponseWriter, status int, d MessageData) error {
	v := p.view(d.Common, "")
	v.Title, v.Heading = d.Title, d.Title
	v.Message, v.Links = d.Text, d.Links
	switch d.Kind {
	case "error", "success", "refused", "pending":
		v.Kind = d.Kind
	default:
		v.Kind = "info"
	}
	return p.render(w, status, "message", v)
}

// Unavailable renders the page of a payment page that could not be served
// (the store failed): HTTP 503, the buyer asked to try again shortly.
func (p *Pages) Unavailable(w http.ResponseWriter) error {
	return p.Message(w, http.StatusServiceUnavailable, MessageData{Common: Common{Lang: "fr"}, Kind: "error",
		Title: "Service indisponible", Text: "Le service de paiement est momentanément indisponible. Réessayez dans quelques instants."})
}

// Text chooses a page's text by its language: en for English, when there
// is one, else fr.
func Text(lang, fr, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return fr
}

// view fills what every page shares. title is a message key, or "" when the
// caller sets the title.
func (p *Pages) view(c Common, title string) *view {
	c.Lang = normLang(c.Lang)
	switch c.Layout {
	case LayoutMobile, LayoutFrame:
	default:
		c.Layout = LayoutFull
	}
	v := &view{Lang: c.Lang, Layout: c.Layout, T: p.text[c.Lang], CSS: p.css, Common: c}
	if title != "" {
		v.Title, v.Heading = v.T[title], v.T[title]
	}
	return v
}

// normLang maps the caller's language to a table, French being the pages'
// default.
func normLang(s string) string {
	s = strings.ToLower(s)
	if s == "en" || strings.HasPrefix(s, "en-") {
		return "en"
	}
	return "fr"
}

// setProblems builds the error summary: the form error first, then one link
// per field in error, then any other error so that none is silently lost.
// It also prefixes the document title, which is the first thing a screen
// reader announces when the page comes back with errors; the visible
// heading stays as it was.
func (v *view) setProblems(errs map[string]string) {
	if msg := errs["form"]; msg != "" {
		v.Problems = append(v.Problems, problem{Text: msg})
	}
	known := map[string]bool{"form": true}
	for _, f := range v.Fields {
		known[f.ID] = true
	}
	// Field errors follow the order of the fields on the page.
	for _, f := range v.Fields {
		if f.Error != "" {
			v.Problems = append(v.Problems, problem{ID: f.ID, Text: f.Error})
		}
	}
	var rest []string
	for k, msg := range errs {
		if !known[k] && msg != "" {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		v.Problems = append(v.Problems, problem{Text: errs[k]})
	}
	if len(v.Problems) > 0 {
		v.Title = v.T["errorTitle"] + v.Title
	}
}

// render executes a page into a buffer first, so that a template error
// never leaves half a page on the wire; the caller gets the error and can
// still answer with an error page of its own.
func (p *Pages) render(w http.ResponseWriter, status int, name string, v *view) error {
	t, ok := p.pages[name]
	if !ok {
		return fmt.Errorf("checkout: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "page", v); err != nil {
		return fmt.Errorf("checkout: %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	// Payment pages hold personal data and one-time forms: no cache may
	// keep them or serve them again on "back".
	h.Set("Cache-Control", "no-store")
	if status != 0 {
		w.WriteHeader(status)
	}
	_, err := buf.WriteTo(w)
	return err
}

// label is the name of a method on its button.
func (m Method) label() string {
	switch {
	case m.Label != "":
		return m.Label
	case m.Kind == KindKwixo:
		return "Kwixo"
	case m.Kind == KindPayconiq:
		return "Payconiq"
	}
	return brandName(m.Brand)
}

// icon names the pictogram of a method (a template in icons.html).
func (m Method) icon() string {
	switch m.Kind {
	case KindKwixo:
		return "KWIXO"
	case KindPayconiq:
		return "PAYCONIQ"
	}
	return brandIcon(m.Brand)
}

// brandIcon names the pictogram of a card brand; brands without one of
// their own get a generic card.
func brandIcon(b guichet.Brand) string {
	switch b {
	case guichet.BrandCB, guichet.BrandVisa, guichet.BrandMastercard, guichet.BrandMaestro,
		guichet.BrandAmex, guichet.BrandJCB, guichet.BrandDiners:
		return string(b)
	}
	return "GENERIC"
}

// brandName is the name a buyer knows a brand by; a brand guichet does not
// know is shown as given. Brand names are the same in every language.
func brandName(b guichet.Brand) string {
	switch b {
	case guichet.BrandCB:
		return "CB"
	case guichet.BrandVisa:
		return "Visa"
	case guichet.BrandMastercard:
		return "Mastercard"
	case guichet.BrandMaestro:
		return "Maestro"
	case guichet.BrandAmex:
		return "American Express"
	case guichet.BrandJCB:
		return "JCB"
	case guichet.BrandDiners:
		return "Diners Club"
	case guichet.BrandDiscover:
		return "Discover"
	}
	return string(b)
}
