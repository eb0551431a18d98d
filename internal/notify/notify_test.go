package notify_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"guichet"
	"guichet/internal/notify"
)

func TestSend(t *testing.T) {
	release := make(chan struct{})
	var gotBody, gotType string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			b, _ := io.ReadAll(r.Body)
			gotBody, gotType = string(b), r.Header.Get("Content-Type")
		case "/fail":
			w.WriteHeader(http.StatusInternalServerError)
		case "/moved":
			http.Redirect(w, r, "/ok", http.StatusFound)
		case "/slow":
			<-release
		}
	}))
	defer srv.Close()
	defer close(release)

	s := notify.New(200 * time.Millisecond)
	tests := []struct {
		path   string
		status int
		err    bool
	}{
		{"/ok", 200, false},
		{"/fail", 500, false},
		// A redirect is not an acknowledgement: it is not followed.
		{"/moved", 302, false},
		// No answer within the timeout: no status, an error.
		{"/slow", 0, true},
	}
	for _, tt := range tests {
		d := &guichet.Delivery{ID: "d1", Method: "POST", URL: srv.URL + tt.path, ContentType: "application/x-www-form-urlencoded", Body: []byte("Mt=100&Sign=x")}
		a := s.Send(context.Background(), d)
		if a.StatusCode != tt.status || (a.Error != "") != tt.err || a.DeliveryID != "d1" {
			t.Errorf("%s: attempt %+v, want status %d, error %v", tt.path, a, tt.status, tt.err)
		}
	}
	if gotBody != "Mt=100&Sign=x" || gotType != "application/x-www-form-urlencoded" {
		t.Errorf("merchant received %q (%s)", gotBody, gotType)
	}
	if a := s.Send(context.Background(), &guichet.Delivery{Method: "GET", URL: "http://127.0.0.1:1/unreachable"}); a.StatusCode != 0 || a.Error == "" {
		t.Errorf("unreachable endpoint: %+v", a)
	}
}
