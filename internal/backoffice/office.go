package backoffice

import (
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"guichet"
	"guichet/internal/core"
)

// The merchant back office: the journal of every front's transactions,
// each transaction's page with its operations, notifications and
// exchanges, and the forms that capture, cancel, refund and resend. It is
// HTML served by html/template; every page works without JavaScript.

//go:embed templates/*.html static/*
var assets embed.FS

// Cookie names. The session cookie holds a secret whose hash names the
// session in the store; the login cookie carries the sign-in form's token
// before there is a session.
const (
	sessionCookie = "guichet_session"
	loginCookie   = "guichet_login"
	langCookie    = "guichet_lang"
)

// Office serves the back office under /backoffice/.
type Office struct {
	svc      *core.Service
	log      *slog.Logger
	pages    map[string]*template.Template
	throttle *throttle
	cross    *http.CrossOriginProtection
}

// NewOffice parses the back office's templates.
func NewOffice(svc *core.Service, log *slog.Logger) (*Office, error) {
	o := &Office{svc: svc, log: log, pages: map[string]*template.Template{},
		throttle: newThrottle(func() time.Time { return svc.Now(nil) }), cross: http.NewCrossOriginProtection()}
	for _, name := range []string{"login", "journal", "transaction", "shop", "message"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		o.pages[name] = t
	}
	return o, nil
}

// Register mounts the back office on mux.
func (o *Office) Register(mux *http.ServeMux) {
	mux.Handle("GET /backoffice/static/", http.StripPrefix("/backoffice/", http.FileServerFS(assets)))
	mux.Handle("GET /backoffice/login", o.page(o.loginForm))
	mux.Handle("POST /backoffice/login", o.page(o.login))
	mux.Handle("POST /backoffice/logout", o.signedIn(o.logout))
	mux.Handle("GET /backoffice/{$}", o.signedIn(o.journal))
	mux.Handle("GET /backoffice/transactions/{id}", o.signedIn(o.transaction))
	mux.Handle("GET /backoffice/transactions/{id}/exchanges/{exchange}", o.signedIn(o.exchange))
	mux.Handle("POST /backoffice/transactions/{id}/operations", o.signedIn(o.operate))
	mux.Handle("POST /backoffice/transactions/{id}/dispute", o.signedIn(o.dispute))
	mux.Handle("POST /backoffice/transactions/{id}/notifications/{delivery}/resend", o.signedIn(o.resend))
	mux.Handle("GET /backoffice/shops/{id}", o.signedIn(o.shop))
	mux.Handle("POST /backoffice/shops/{id}/clock", o.signedIn(o.advanceClock))
	mux.Handle("POST /backoffice/shops/{id}/settings", o.signedIn(o.settings))
	mux.Handle("POST /backoffice/shops/{id}/reset", o.signedIn(o.reset))
	mux.Handle("POST /backoffice/shops/{id}/credentials/{protocol}", o.signedIn(o.credential))
	mux.Handle("GET /backoffice", http.RedirectHandler("/backoffice/", http.StatusMovedPermanently))
}

// visit is one request of a signed-in user.
type visit struct {
	w       http.ResponseWriter
	r       *http.Request
	ctx     context.Context
	lang    string
	user    *guichet.User
	session *guichet.Session
}

// page wraps a handler of pages anybody may see: it sets the headers every
// page carries and turns an error into a page that says it.
func (o *Office) page(h func(*visit) error) http.Handler {
	return o.cross.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secure(w)
		// The back office's forms are a few short fields: a bigger body
		// is not one of them, and is not read further.
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		v := &visit{w: w, r: r, ctx: r.Context(), lang: language(w, r)}
		if err := h(v); err != nil {
			o.fail(v, err)
		}
	}))
}

// signedIn wraps a handler of a signed-in user's pages: without a live
// session the browser goes to the sign-in page, and a form posted without
// the session's token is refused before anything is done.
func (o *Office) signedIn(h func(*visit) error) http.Handler {
	return o.page(func(v *visit) error {
		c, err := v.r.Cookie(sessionCookie)
		if err == nil {
			v.session, v.user, err = o.svc.Session(v.ctx, c.Value)
		}
		if err != nil {
			if guichet.ErrorCode(err) != guichet.CodeUnauthorized && !errors.Is(err, http.ErrNoCookie) {
				return err
			}
			if v.r.Method != http.MethodGet {
				return errForbidden
			}
			http.Redirect(v.w, v.r, "/backoffice/login?next="+template.URLQueryEscaper(v.r.URL.RequestURI()), http.StatusSeeOther)
			return nil
		}
		if v.r.Method == http.MethodPost && !sameToken(v.r.PostFormValue("csrf"), v.session.CSRF) {
			return errForbidden
		}
		return h(v)
	})
}

// maxForm bounds the body of a back-office request.
const maxForm = 64 << 10

// errForbidden is a form that did not come from a page of this session.
var errForbidden = guichet.Errorf(guichet.CodeUnauthorized, "forbidden")

func sameToken(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// fail answers an error with a page. What the core refused shows its
// message; anything else is logged and shown as a temporary failure, never
// with its text.
func (o *Office) fail(v *visit, err error) {
	status, title, msg := http.StatusServiceUnavailable, "unavailable", "unavailableText"
	switch {
	case errors.Is(err, errForbidden):
		status, title, msg = http.StatusForbidden, "forbidden", "forbiddenText"
	case guichet.ErrorCode(err) == guichet.CodeNotFound:
		status, title, msg = http.StatusNotFound, "notFound", "notFoundText"
	default:
		o.log.Error("back office", "path", v.r.URL.Path, "err", err)
	}
	v.w.WriteHeader(status)
	o.render(v, "message", message{Title: title, Text: msg}, 0)
}

type message struct{ Title, Text string }

// view is what every page's template gets.
type view struct {
	Lang  string
	T     map[string]string
	Title string
	User  *guichet.User
	CSRF  string
	Data  any
}

// render writes a page. A status of 0 leaves the one already written.
func (o *Office) render(v *visit, name string, data any, status int) {
	vw := view{Lang: v.lang, T: texts[v.lang], User: v.user, Data: data}
	if v.session != nil {
		vw.CSRF = v.session.CSRF
	}
	v.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if status != 0 {
		v.w.WriteHeader(status)
	}
	if err := o.pages[name].Execute(v.w, vw); err != nil {
		o.log.Error("back office template", "page", name, "err", err)
	}
}

// secure sets the headers of every back-office answer: nothing cached,
// nothing framed, nothing loaded from elsewhere.
func secure(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
}

// language is the page's language: the one the user chose last (?lang=,
// kept in a cookie), else the browser's first choice of French or
// English, else French.
func language(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "fr" || l == "en" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/backoffice/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isTLS(r)})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "fr" || c.Value == "en") {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case tag == "fr" || strings.HasPrefix(tag, "fr-"):
			return "fr"
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			return "en"
		}
	}
	return "fr"
}

// isTLS reports whether the browser reached guichet over HTTPS, directly
// or through a proxy that says so: cookies are then marked Secure.
func isTLS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// clientIP is the address sign-in attempts are counted against.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
