package backoffice

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"time"

	"guichet"
	"guichet/internal/core"
)

type loginData struct {
	Token, Name, Next, Error string
}

func (o *Office) loginForm(v *visit) error {
	o.showLogin(v, loginData{Next: v.r.URL.Query().Get("next")}, 0)
	return nil
}

// showLogin renders the sign-in form with the token of the browser's login
// cookie, which it sets first when there is none.
func (o *Office) showLogin(v *visit, d loginData, status int) {
	if c, err := v.r.Cookie(loginCookie); err == nil && len(c.Value) >= 32 {
		d.Token = c.Value
	} else {
		b := make([]byte, 32)
		rand.Read(b)
		d.Token = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(v.w, &http.Cookie{Name: loginCookie, Value: d.Token, Path: "/backoffice/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: isTLS(v.r)})
	}
	o.render(v, "login", d, status)
}

func (o *Office) login(v *visit) error {
	name := strings.TrimSpace(v.r.PostFormValue("name"))
	d := loginData{Name: name, Next: v.r.PostFormValue("next")}
	c, err := v.r.Cookie(loginCookie)
	if err != nil || !sameToken(v.r.PostFormValue("csrf"), c.Value) {
		return errForbidden
	}
	keys := []string{"user:" + name, "ip:" + clientIP(v.r)}
	if !o.throttle.allowed(keys...) {
		d.Error = "tooManyAttempts"
		o.showLogin(v, d, http.StatusTooManyRequests)
		return nil
	}
	_, secret, err := o.svc.SignIn(v.ctx, name, v.r.PostFormValue("password"))
	if guichet.ErrorCode(err) == guichet.CodeUnauthorized {
		o.throttle.failed(keys...)
		d.Error = "wrongPassword"
		o.showLogin(v, d, http.StatusUnauthorized)
		return nil
	}
	if err != nil {
		return err
	}
	o.throttle.succeeded(keys[0])
	http.SetCookie(v.w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/backoffice/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: isTLS(v.r), MaxAge: int(core.SessionLife / time.Second)})
	http.SetCookie(v.w, &http.Cookie{Name: loginCookie, Path: "/backoffice/", MaxAge: -1})
	http.Redirect(v.w, v.r, safeNext(d.Next), http.StatusSeeOther)
	return nil
}

// safeNext keeps a return address within the back office, so that the
// sign-in form cannot send a user elsewhere.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/backoffice/") || strings.ContainsAny(next, "\\\r\n") || strings.Contains(next, "//") {
		return "/backoffice/"
	}
	return next
}

func (o *Office) logout(v *visit) error {
	if c, err := v.r.Cookie(sessionCookie); err == nil {
		if err := o.svc.SignOut(v.ctx, c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(v.w, &http.Cookie{Name: sessionCookie, Path: "/backoffice/", MaxAge: -1})
	http.Redirect(v.w, v.r, "/backoffice/login", http.StatusSeeOther)
	return nil
}

// Sign-in throttling: after maxFailures wrong passwords for one user name,
// or maxFailures×4 from one address, within throttleWindow, sign-in is
// refused for that name or address until the window has passed since the
// last failure. The counts are kept by each instance: behind a load
// balancer an attacker gets each instance's allowance, which still bounds
// guessing to a few attempts a minute.
const (
	maxFailures    = 5
	throttleWindow = 15 * time.Minute
)

type throttle struct {
	now func() time.Time
	mu  sync.Mutex
	// failures holds, per key, the failures of the current window and when
	// the last one happened.
	failures map[string]failures
}

type failures struct {
	count int
	last  time.Time
}

func newThrottle(now func() time.Time) *throttle {
	return &throttle{now: now, failures: map[string]failures{}}
}

func (t *throttle) limit(key string) int {
	if strings.HasPrefix(key, "ip:") {
		return 4 * maxFailures
	}
	return maxFailures
}

func (t *throttle) allowed(keys ...string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, k := range keys {
		f, ok := t.failures[k]
		if !ok {
			continue
		}
		if now.Sub(f.last) >= throttleWindow {
			delete(t.failures, k)
			continue
		}
		if f.count >= t.limit(k) {
			return false
		}
	}
	return true
}

func (t *throttle) failed(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, k := range keys {
		f := t.failures[k]
		if now.Sub(f.last) >= throttleWindow {
			f.count = 0
		}
		f.count++
		f.last = now
		t.failures[k] = f
	}
	// The table is swept when it grows, so that a flood of names cannot
	// grow it without bound.
	if len(t.failures) > 100_000 {
		for k, f := range t.failures {
			if now.Sub(f.last) >= throttleWindow {
				delete(t.failures, k)
			}
		}
	}
}

func (t *throttle) succeeded(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, key)
}
