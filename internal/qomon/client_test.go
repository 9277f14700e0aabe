package qomon

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestNewValidatesEndpoint(t *testing.T) {
	// base: what the client sends requests to; err: what the error about the endpoint says.
	for _, tc := range []struct{ in, base, err string }{
		{in: "", base: "https://incoming.qomon.app"},
		{in: "https://incoming.qomon.app/", base: "https://incoming.qomon.app"},
		{in: "https://proxy.example.org/qomon", base: "https://proxy.example.org/qomon"},
		{in: "http://127.0.0.1:8787", base: "http://127.0.0.1:8787"},
		{in: "http://127.4.5.6:8787/", base: "http://127.4.5.6:8787"},
		{in: "http://localhost:8787", base: "http://localhost:8787"},
		{in: "http://LOCALHOST", base: "http://LOCALHOST"},
		{in: "http://[::1]:8787", base: "http://[::1]:8787"},
		{in: " https://incoming.qomon.app ", base: "https://incoming.qomon.app"},
		{in: "http://incoming.qomon.app", err: "plain http"},
		{in: "http://10.0.0.1:8787", err: "plain http"},
		{in: "http://127.0.0.1.evil.example", err: "plain http"},
		{in: "http://localhost.evil.example", err: "plain http"},
		{in: "ftp://incoming.qomon.app", err: "must start with https://"},
		{in: "incoming.qomon.app", err: "must start with https://"},
		{in: "https://", err: "has no host"},
		{in: "https://user:pw@incoming.qomon.app", err: "credentials"},
		{in: "https://incoming.qomon.app/?x=1", err: "query"},
		{in: "https://incoming.qomon.app/#x", err: "fragment"},
		{in: "https://incoming.qomon.app:99999", err: "invalid port"},
		{in: "https://incoming.qomon.app:port", err: "not a valid URL"},
		{in: "://nothing", err: "not a valid URL"},
	} {
		c, err := New(Config{Endpoint: tc.in, Token: testToken})
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: got %v, want an error about %q", tc.in, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case tc.err == "" && c.base != tc.base:
			t.Errorf("%q: base %q, want %q", tc.in, c.base, tc.base)
		}
	}
}

func TestNewValidatesToken(t *testing.T) {
	for _, tok := range []string{"", "   "} {
		if _, err := New(Config{Token: tok}); err == nil || !strings.Contains(err.Error(), "QOMON_API_TOKEN") {
			t.Errorf("token %q: %v", tok, err)
		}
	}
	for _, tok := range []string{"abc def", "abc\ndef", "abc\x00"} {
		_, err := New(Config{Token: tok})
		if err == nil {
			t.Errorf("token %q accepted", tok)
		} else if strings.Contains(err.Error(), tok) {
			t.Errorf("error repeats the token: %v", err)
		}
	}
}

func TestRequestHeaders(t *testing.T) {
	srv := newFakeServer(t, reply(200, contactAnswer(7)))
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()
	if _, err := c.GetContact(ctx, 7); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateContact(ctx, 7, Contact{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.seen() {
		if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
			t.Errorf("%s: Authorization %q", r.Method, got)
		}
		if got := r.Header.Get("User-Agent"); got != "terraform-provider-qomon/test (+terraform 1.5.7)" {
			t.Errorf("%s: User-Agent %q", r.Method, got)
		}
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("%s: Accept %q", r.Method, got)
		}
		wantCT := ""
		if r.Method == http.MethodPatch {
			wantCT = "application/json"
		}
		if got := r.Header.Get("Content-Type"); got != wantCT {
			t.Errorf("%s: Content-Type %q", r.Method, got)
		}
	}
	// Without a configured one, the client still announces itself (Qomon's edge has refused
	// generic user agents).
	c2, err := New(Config{Endpoint: srv.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.GetContact(ctx, 7); err != nil {
		t.Fatal(err)
	}
	seen := srv.seen()
	if got := seen[len(seen)-1].Header.Get("User-Agent"); got != "terraform-provider-qomon" {
		t.Errorf("default User-Agent %q", got)
	}
}

func TestEndpointPathPrefix(t *testing.T) {
	srv := newFakeServer(t, reply(200, contactAnswer(7)))
	c, _ := newTestClient(t, srv.URL+"/prefix/")
	if _, err := c.GetContact(context.Background(), 7); err != nil {
		t.Fatal(err)
	}
	if p := srv.seen()[0].Path; p != "/prefix/contacts/7" {
		t.Errorf("path %q", p)
	}
}

// The token never leaves for another host: a redirect off the endpoint's host is refused
// before anything is sent there.
func TestRedirects(t *testing.T) {
	other := newFakeServer(t, reply(200, contactAnswer(7)))
	away := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})
	c, _ := newTestClient(t, away.URL)
	_, err := c.GetContact(context.Background(), 7)
	var refused *errRedirectRefused
	if !errors.As(err, &refused) {
		t.Fatalf("cross-host redirect: %v", err)
	}
	if n := len(other.seen()); n != 0 {
		t.Errorf("the other host received %d requests", n)
	}
	if n := len(away.seen()); n != 1 {
		t.Errorf("a refused redirect was retried: %d requests", n)
	}
	if !strings.Contains(err.Error(), "endpoint") {
		t.Errorf("message: %v", err)
	}

	var mu sync.Mutex
	var auth []string
	same := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.URL.Path == "/old/contacts/7" {
			http.Redirect(w, r, "/contacts/7", http.StatusMovedPermanently)
			return
		}
		reply(200, contactAnswer(7))(w, r)
	})
	c, _ = newTestClient(t, same.URL+"/old")
	if _, err := c.GetContact(context.Background(), 7); err != nil {
		t.Fatalf("same-host redirect: %v", err)
	}
	if len(auth) != 2 || auth[1] != "Bearer "+testToken {
		t.Errorf("same-host redirect lost the token: %q", auth)
	}
}
