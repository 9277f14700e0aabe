package e2e

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// authRecorder is a server on another host that notes every Authorization header it receives.
type authRecorder struct {
	mu    sync.Mutex
	auths []string
	hits  int
}

func (a *authRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.hits++
	if v := r.Header.Get("Authorization"); v != "" {
		a.auths = append(a.auths, v)
	}
	a.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"success","data":{"contact":{"id":42,"firstname":"Mallory"}}}`))
}

// newOtherHost starts a server on 127.0.0.2: another host for the client (redirect checks
// compare hosts), still on loopback so that no test leaves the machine.
func newOtherHost(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2 (no 127/8 loopback on this machine): %v", err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: h}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestTokenNeverSentToAnotherHost: a Qomon (or something impersonating it on the path) that
// redirects to another host must not receive the API token there, whatever the redirect code.
// The same checks run against "localhost" (another name for the same machine: a different
// host to an HTTP client) and for a downgrade from the endpoint's host to another port.
func TestTokenNeverSentToAnotherHost(t *testing.T) {
	const token = "token-that-must-not-travel"
	rec := &authRecorder{}
	other := newOtherHost(t, rec)
	otherByName := strings.Replace(other, "127.0.0.2", "localhost", 1)

	for _, code := range []int{301, 302, 303, 307, 308} {
		for _, target := range []string{other, otherByName} {
			t.Run(http.StatusText(code)+" to "+target, func(t *testing.T) {
				figures.add(figBadInputs, 1)
				src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, target+r.URL.Path, code)
				}))
				defer src.Close()
				c, err := qomon.New(qomon.Config{
					Endpoint:  src.URL,
					Token:     token,
					UserAgent: "terraform-provider-qomon/test",
					RateLimit: qomon.RateLimit{Disabled: true},
					Retry:     qomon.Retry{MaxRetries: 0},
				})
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				got, err := c.GetContact(ctx, 42)
				rec.mu.Lock()
				auths := append([]string(nil), rec.auths...)
				rec.mu.Unlock()
				for _, a := range auths {
					if strings.Contains(a, token) {
						t.Fatalf("the token reached another host after a %d redirect: Authorization %q", code, a)
					}
				}
				// Following the redirect without the token is acceptable; a contact served by
				// the other host must then not be taken for Qomon's, so an error is expected.
				if err == nil {
					t.Errorf("a %d redirect to another host was followed and its answer used (%+v): want an error naming the redirect", code, got)
				} else if !regexp.MustCompile(`(?i)redirect`).MatchString(err.Error()) {
					t.Errorf("the error does not say a redirect was refused: %v", err)
				}
				if strings.Contains(err.Error(), token) {
					t.Errorf("the error shows the token: %v", err)
				}
			})
		}
	}
}

// TestPlainHTTPRefused: the client refuses plain http to anything but loopback, so the token
// cannot cross a network in clear text (the provider checks the same at plan time: see the
// bad-input table).
func TestPlainHTTPRefused(t *testing.T) {
	cases := []struct {
		endpoint string
		ok       bool
	}{
		{"http://incoming.qomon.app", false},
		{"http://10.0.0.8:8787", false},
		{"http://[2001:db8::1]", false},
		{"http://127.0.0.1.nip.io", false},
		{"http://localhost.example.org", false},
		{"ftp://incoming.qomon.app", false},
		{"incoming.qomon.app", false},
		{"https://incoming.qomon.app", true},
		{"http://127.0.0.1:8787", true},
		{"http://127.8.9.10", true},
		{"http://localhost:8787", true},
		{"http://[::1]:8787", true},
	}
	for _, tc := range cases {
		t.Run(tc.endpoint, func(t *testing.T) {
			figures.add(figBadInputs, 1)
			_, err := qomon.New(qomon.Config{Endpoint: tc.endpoint, Token: "t", UserAgent: "ua"})
			if tc.ok && err != nil {
				t.Errorf("want accepted, got %v", err)
			}
			if !tc.ok {
				if err == nil {
					t.Errorf("want refused, it was accepted")
				} else if !strings.Contains(err.Error(), tc.endpoint) {
					t.Errorf("the error does not name the endpoint: %v", err)
				}
			}
		})
	}
}
