package qomon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestNewValidatesEndpoint(t *testing.T) {
	ok := map[string]string{
		"":                                "https://incoming.qomon.app",
		"https://incoming.qomon.app/":     "https://incoming.qomon.app",
		"https://proxy.example.org/qomon": "https://proxy.example.org/qomon",
		"http://127.0.0.1:8787":           "http://127.0.0.1:8787",
		"http://127.4.5.6:8787/":          "http://127.4.5.6:8787",
		"http://localhost:8787":           "http://localhost:8787",
		"http://LOCALHOST":                "http://LOCALHOST",
		"http://[::1]:8787":               "http://[::1]:8787",
		" https://incoming.qomon.app ":    "https://incoming.qomon.app",
	}
	for in, want := range ok {
		c, err := New(Config{Endpoint: in, Token: testToken})
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if c.base != want {
			t.Errorf("%q: base %q, want %q", in, c.base, want)
		}
	}
	bad := map[string]string{
		"http://incoming.qomon.app":          "plain http",
		"http://10.0.0.1:8787":               "plain http",
		"http://127.0.0.1.evil.example":      "plain http",
		"http://localhost.evil.example":      "plain http",
		"ftp://incoming.qomon.app":           "must start with https://",
		"incoming.qomon.app":                 "must start with https://",
		"https://":                           "has no host",
		"https://user:pw@incoming.qomon.app": "credentials",
		"https://incoming.qomon.app/?x=1":    "query",
		"https://incoming.qomon.app/#x":      "fragment",
		"https://incoming.qomon.app:99999":   "invalid port",
		"https://incoming.qomon.app:port":    "not a valid URL",
		"://nothing":                         "not a valid URL",
	}
	for in, want := range bad {
		_, err := New(Config{Endpoint: in, Token: testToken})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error about %q", in, err, want)
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

type capturedLog struct {
	Level  Level
	Msg    string
	Fields map[string]any
}

type captureLogger struct {
	mu      sync.Mutex
	entries []capturedLog
	trace   bool
}

func (l *captureLogger) Log(_ context.Context, level Level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, capturedLog{level, msg, fields})
}

func (l *captureLogger) Enabled(_ context.Context, level Level) bool {
	return level != LevelTrace || l.trace
}

func (l *captureLogger) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, e := range l.entries {
		fmt.Fprintf(&b, "%s %s %v\n", e.Level, e.Msg, e.Fields)
	}
	return b.String()
}

// Logs carry what happened, never the token nor personal data.
func TestLoggingMasksSecretsAndPersonalData(t *testing.T) {
	personal := []string{"Ada", "Lovelace", "ada@example.org", "0612345678", "Rue de Rivoli", "75001", "1815-12-10", "Met at the fair"}
	answer := `{"status":"success","data":{"contact":{"id":7,"firstname":"Ada","surname":"Lovelace","mail":"ada@example.org",` +
		`"phone":"0612345678","birthdate":"1815-12-10T00:00:00Z","address":{"street":"Rue de Rivoli","postalcode":75001},"notes":[{"content":"Met at the fair"}]}}}`
	srv := newFakeServer(t,
		reply(503, `{"detail":"cannot store ada@example.org"}`),
		reply(200, answer),
		reply(422, `{"title":"Unprocessable Entity","errors":[{"location":"body.data.contact.phone","message":"0612345678 is not valid","value":"0612345678"}]}`))
	log := &captureLogger{trace: true}
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = log })
	in := Contact{Firstname: Some("Ada"), Surname: Some("Lovelace"), Mail: Some("ada@example.org"), Phone: Some("0612345678"),
		Birthdate: Some("1815-12-10"), Address: Some(Address{Street: Some("Rue de Rivoli"), PostalCode: Some("75001")}),
		Notes: Some([]Note{{Content: "Met at the fair"}})}
	ctx := context.Background()
	if _, err := c.UpdateContact(ctx, 7, in); err != nil {
		t.Fatal(err)
	}
	_, _ = c.UpdateContact(ctx, 7, in)
	out := log.all()
	for _, s := range append(personal, testToken) {
		if strings.Contains(out, s) {
			t.Errorf("the logs contain %q:\n%s", s, out)
		}
	}
	for _, s := range []string{"method:PATCH", "path:/contacts/7", "status:200", "status:503", "cost:5", "retrying Qomon request",
		"Qomon request body", "Qomon response body", `"firstname":"***"`} {
		if !strings.Contains(out, s) {
			t.Errorf("the logs lack %q:\n%s", s, out)
		}
	}
	// Trace off: bodies are not even masked, let alone logged.
	quiet := &captureLogger{}
	c, _ = newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = quiet })
	_, _ = c.GetContact(ctx, 7)
	if out := quiet.all(); strings.Contains(out, "body") || !strings.Contains(out, "Qomon request") {
		t.Errorf("trace disabled, logs:\n%s", out)
	}
}
