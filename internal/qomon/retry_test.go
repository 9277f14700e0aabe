package qomon

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestBackoffIsFullJitterWithinBounds(t *testing.T) {
	r := Retry{MaxRetries: DefaultMaxRetries}.withDefaults()
	backoff := func(n int, draw float64) time.Duration {
		c := &Client{retry: r, rnd: func() float64 { return draw }}
		return c.backoff(r.MinWait, r.MaxWait, n, nil)
	}
	ceilings := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 15 * time.Second, 15 * time.Second}
	for n, ceiling := range ceilings {
		if got := backoff(n, 0); got != 0 {
			t.Errorf("retry %d: lowest draw gives %s, want 0", n, got)
		}
		high := backoff(n, 0.999999)
		if high > ceiling || high < ceiling*99/100 {
			t.Errorf("retry %d: highest draw gives %s, want just under %s", n, high, ceiling)
		}
	}
	if got := backoff(1000, 0.5); got != 7500*time.Millisecond {
		t.Errorf("a huge retry count gives %s", got)
	}
	c := &Client{retry: r, rnd: func() float64 { return 0 }}
	after := func(status int, retryAfter string) time.Duration {
		return c.backoff(r.MinWait, r.MaxWait, 0, &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {retryAfter}}})
	}
	if got := after(503, "2"); got != 2*time.Second {
		t.Errorf("a 503 with Retry-After: 2 waits %s", got)
	}
	if got := after(429, "2"); got != 0 {
		t.Errorf("a 429 waits %s here: the limiter's pause holds it", got)
	}
	if got := after(503, "3600"); got != 0 {
		t.Errorf("a Retry-After of an hour is not waited for: got %s", got)
	}
}

func TestRetryDefaults(t *testing.T) {
	cases := []struct{ in, want Retry }{
		{Retry{}, Retry{MaxRetries: 0, MinWait: 500 * time.Millisecond, MaxWait: 15 * time.Second}},
		{Retry{MaxRetries: -1}, Retry{MaxRetries: 0, MinWait: 500 * time.Millisecond, MaxWait: 15 * time.Second}},
		{Retry{MaxRetries: DefaultMaxRetries}, Retry{MaxRetries: 4, MinWait: 500 * time.Millisecond, MaxWait: 15 * time.Second}},
		{Retry{MaxRetries: 2, MinWait: time.Second, MaxWait: time.Millisecond}, Retry{MaxRetries: 2, MinWait: time.Second, MaxWait: time.Second}},
	}
	for _, tc := range cases {
		if got := tc.in.withDefaults(); got != tc.want {
			t.Errorf("%+v: got %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"1.5", 1500 * time.Millisecond, true},
		{"Thu, 26 Nov 2026 12:00:07 GMT", 7 * time.Second, true},
		{"Thu, 26 Nov 2026 11:00:00 GMT", 0, true}, // in the past: now
		{"86400", maxRetryAfter + time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"", 0, false},
		{"NaN", 0, false},
		{"+Inf", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q: got %s %v, want %s %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRetryableTransport(t *testing.T) {
	ctx := context.Background()
	urlErr := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://incoming.qomon.app/contacts/1", Err: err}
	}
	if !retryableTransport(ctx, urlErr(errors.New("read: connection reset by peer"))) || !retryableTransport(ctx, urlErr(context.DeadlineExceeded)) {
		t.Error("transient errors not retryable")
	}
	for _, err := range []error{
		urlErr(&errRedirectRefused{}),
		urlErr(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}),
		urlErr(errors.New(`unsupported protocol scheme "ftp"`)),
		urlErr(errFinal{context.DeadlineExceeded}),
	} {
		if retryableTransport(ctx, err) {
			t.Errorf("%v retried", err)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if retryableTransport(cancelled, urlErr(context.Canceled)) {
		t.Error("a cancelled request is retried")
	}
}

func TestGetRetriesGatewayErrors(t *testing.T) {
	srv := newFakeServer(t,
		reply(502, `<html>bad gateway</html>`),
		withHeader("Retry-After", "0.3", reply(503, `{"title":"Service Unavailable"}`)),
		reply(504, ``),
		reply(200, contactAnswer(7)))
	c, rec := newTestClient(t, srv.URL)
	got, err := c.GetContact(context.Background(), 7)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID.Value != 7 || len(srv.seen()) != 4 {
		t.Errorf("got %v after %d requests", got.ID, len(srv.seen()))
	}
	sleeps := rec.recorded()
	if len(sleeps) != 3 {
		t.Fatalf("slept %v", sleeps)
	}
	if sleeps[0] > 10*time.Millisecond || sleeps[2] > 40*time.Millisecond {
		t.Errorf("backoff beyond its ceiling: %v", sleeps)
	}
	if sleeps[1] != 300*time.Millisecond {
		t.Errorf("Retry-After: 0.3 on a 503 gave a wait of %s", sleeps[1])
	}
}

func TestRetriesGiveUpWithAClearError(t *testing.T) {
	srv := newFakeServer(t, reply(503, `{"title":"Service Unavailable","detail":"maintenance"}`))
	c, _ := newTestClient(t, srv.URL)
	_, err := c.GetContact(context.Background(), 7)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Attempts != 5 {
		t.Fatalf("got %v", err)
	}
	if n := len(srv.seen()); n != 5 {
		t.Errorf("%d requests, want 1 + 4 retries", n)
	}
	if !strings.Contains(err.Error(), "after 5 attempts") || !strings.Contains(err.Error(), "maintenance") {
		t.Errorf("message: %s", err)
	}
	// A 500 is retried on the idempotent calls (reads, searches, deletes), not on a PATCH: it
	// may be Qomon refusing the body, which a retry would not change.
	srv500 := newFakeServer(t, reply(500, `{"title":"Internal Server Error"}`), reply(200, contactAnswer(7)))
	c, _ = newTestClient(t, srv500.URL)
	if _, err := c.GetContact(context.Background(), 7); err != nil || len(srv500.seen()) != 2 {
		t.Errorf("GET after a 500: err %v after %d requests, want a retry that succeeds", err, len(srv500.seen()))
	}
	for name, call := range map[string]func(*Client) error{
		"search": func(c *Client) error { _, err := c.SearchContacts(context.Background(), SearchRequest{}); return err },
		"delete": func(c *Client) error { return c.DeleteContact(context.Background(), 7) },
		"forms":  func(c *Client) error { _, err := c.ListForms(context.Background(), "consent"); return err },
		"kpi":    func(c *Client) error { _, err := c.Probe(context.Background()); return err },
	} {
		always500 := newFakeServer(t, reply(500, `{"title":"Internal Server Error"}`))
		c, _ = newTestClient(t, always500.URL)
		if err := call(c); err == nil || len(always500.seen()) != 5 {
			t.Errorf("%s: err %v after %d requests, want 1 + 4 retries", name, err, len(always500.seen()))
		}
	}
	patch500 := newFakeServer(t, reply(500, `{"title":"Internal Server Error"}`))
	c, _ = newTestClient(t, patch500.URL)
	if _, err := c.UpdateContact(context.Background(), 7, Contact{Firstname: Some("Ada")}); err == nil || len(patch500.seen()) != 1 {
		t.Errorf("PATCH 500: err %v after %d requests, want no retry", err, len(patch500.seen()))
	}
	// MaxRetries 0 (a user's max_retries = 0) or less: one attempt only.
	for _, n := range []int{0, -1} {
		c, _ = newTestClient(t, srv.URL, func(cfg *Config) { cfg.Retry.MaxRetries = n })
		before := len(srv.seen())
		_, _ = c.GetContact(context.Background(), 7)
		if sent := len(srv.seen()) - before; sent != 1 {
			t.Errorf("MaxRetries %d sent %d requests", n, sent)
		}
	}
}

func TestTransportErrorsAreRetriedForIdempotentCalls(t *testing.T) {
	srv := newFakeServer(t, resetConnection, reply(200, contactAnswer(7)))
	c, _ := newTestClient(t, srv.URL)
	if _, err := c.UpdateContact(context.Background(), 7, Contact{Firstname: Some("Ada")}); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.seen()); n != 2 {
		t.Errorf("%d requests, want the reset one and its retry", n)
	}
}

// The no-blind-POST-retry rule: a create that reached Qomon and lost its answer is not sent
// again; the error says the contact may exist.
func TestCreateIsNotRetriedOnceSent(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"connection reset": resetConnection,
		"502":              reply(502, `<html>bad gateway</html>`),
		"503":              reply(503, `{"title":"Service Unavailable"}`),
		"500":              reply(500, `{"title":"Internal Server Error"}`),
		"body cut short": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "500")
			w.WriteHeader(200)
			fmt.Fprint(w, `{"status":"success","data":{"contact":{"id":`)
			panic(http.ErrAbortHandler)
		},
		"200 without contact": reply(200, `{"status":"success","data":{}}`),
		"timeout": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := newFakeServer(t, h, reply(200, contactAnswer(9)))
			c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.RequestTimeout = 200 * time.Millisecond })
			_, err := c.CreateContact(context.Background(), Contact{Firstname: Some("Ada")})
			if !IsOutcomeUnknown(err) {
				t.Fatalf("error %v is not an outcome-unknown error", err)
			}
			if n := len(srv.seen()); n != 1 {
				t.Errorf("the create was sent %d times", n)
			}
			if !strings.Contains(err.Error(), "may have been created") {
				t.Errorf("message: %s", err)
			}
		})
	}
}

// A create Qomon provably did not process is retried: a 429, or a connection never opened.
func TestCreateIsRetriedWhenProvablyNotProcessed(t *testing.T) {
	t.Run("429", func(t *testing.T) {
		srv := newFakeServer(t, withHeader("Retry-After", "0", reply(429, `{"title":"Too Many Requests"}`)), reply(200, contactAnswer(9)))
		c, _ := newTestClient(t, srv.URL)
		got, err := c.CreateContact(context.Background(), Contact{Firstname: Some("Ada")})
		if err != nil || got.ID.Value != 9 || len(srv.seen()) != 2 {
			t.Fatalf("got %v, %v after %d requests", got, err, len(srv.seen()))
		}
	})
	t.Run("dial error", func(t *testing.T) {
		srv := newFakeServer(t, reply(200, contactAnswer(9)))
		var dials atomic.Int32
		transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if dials.Add(1) == 1 {
				return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
			}
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}}
		c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: transport} })
		got, err := c.CreateContact(context.Background(), Contact{Firstname: Some("Ada")})
		if err != nil || got.ID.Value != 9 {
			t.Fatalf("got %v, %v", got, err)
		}
		if dials.Load() != 2 || len(srv.seen()) != 1 {
			t.Errorf("%d dials, %d requests received", dials.Load(), len(srv.seen()))
		}
	})
	t.Run("nothing listening", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		c, rec := newTestClient(t, "http://"+addr)
		_, err = c.CreateContact(context.Background(), Contact{Firstname: Some("Ada")})
		if err == nil || IsOutcomeUnknown(err) {
			t.Fatalf("got %v; a refused connection proves nothing was created", err)
		}
		if n := len(rec.recorded()); n != 4 {
			t.Errorf("%d retries, want 4", n)
		}
	})
}

func TestCancellationStopsAtOnce(t *testing.T) {
	srv := newFakeServer(t, reply(503, `{}`))
	c, err := New(Config{Endpoint: srv.URL, Token: testToken, RateLimit: RateLimit{Disabled: true},
		Retry: Retry{MaxRetries: DefaultMaxRetries, MinWait: time.Hour, MaxWait: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err = c.GetContact(ctx, 7)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s to notice the cancellation", d)
	}
	// A create cancelled while in flight may have been processed.
	slow := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	c, _ = newTestClient(t, slow.URL)
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err = c.CreateContact(ctx, Contact{Firstname: Some("Ada")})
	if !IsOutcomeUnknown(err) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled create: %v", err)
	}
}

// A 429 pauses every caller, not only the one that received it.
func TestRateLimitedAnswerPausesEveryone(t *testing.T) {
	var first atomic.Bool
	var pausedAt atomic.Int64
	var early atomic.Int32
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		now := time.Now().UnixNano()
		if first.CompareAndSwap(false, true) {
			pausedAt.Store(now)
			w.Header().Set("Retry-After", "1")
			reply(429, `{"title":"Too Many Requests"}`)(w, r)
			return
		}
		if now-pausedAt.Load() < int64(900*time.Millisecond) {
			early.Add(1)
		}
		reply(200, contactAnswer(7))(w, r)
	})
	c, _ := newTestClient(t, srv.URL)
	if _, err := c.GetContact(context.Background(), 7); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 5)
	for range 5 {
		go func() { _, err := c.GetContact(context.Background(), 7); errs <- err }()
	}
	for range 5 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if early.Load() != 0 {
		t.Errorf("%d requests went out during the pause", early.Load())
	}
}

func TestRateLimitedUntilTheEnd(t *testing.T) {
	srv := newFakeServer(t, withHeader("Retry-After", "0", reply(429, `{"title":"Too Many Requests","status":429}`)))
	c, _ := newTestClient(t, srv.URL)
	_, err := c.GetContact(context.Background(), 7)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || apiErr.Attempts != 5 {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "-parallelism") {
		t.Errorf("message does not say what to do: %s", err)
	}
}

// go-retryablehttp's own lines reach the client's Logger through the bridge, masked like the
// client's: its retry announcement at debug, the rest at trace.
func TestRetryLoggerBridge(t *testing.T) {
	var got []string
	c := &Client{logger: LoggerFunc(func(_ context.Context, level Level, msg string, fields map[string]any) {
		got = append(got, fmt.Sprintf("%s %s %v", level, msg, fields))
	})}
	l := retryLogger{ctx: context.Background(), c: c}
	l.Debug("retrying request", "request", "GET https://incoming.qomon.app/contacts/1 (status: 503)", "timeout", 1500*time.Millisecond, "remaining", 3)
	l.Error("request failed", "error", errors.New("ada.lovelace@example.org: connection reset"), "method", "GET")
	l.Debug("performing request", "method", "GET", "url", "https://incoming.qomon.app/contacts/1")
	want := []string{
		"debug retrying Qomon request map[remaining:3 request:GET https://incoming.qomon.app/contacts/1 (status: 503) retry_in_ms:1500]",
		"trace request failed map[error:***: connection reset method:GET]",
		"trace performing request map[method:GET url:https://incoming.qomon.app/contacts/1]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bridged lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
