package qomon

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

const testToken = "tok-3f9a7c21"

// retryLog is a client Logger that records the retries the client announces ("retrying Qomon
// request") and the wait before each, so that retry tests can assert the waits chosen.
type retryLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *retryLog) Log(_ context.Context, _ Level, msg string, fields map[string]any) {
	if msg != "retrying Qomon request" {
		return
	}
	ms, _ := fields["retry_in_ms"].(int64)
	r.mu.Lock()
	r.waits = append(r.waits, time.Duration(ms)*time.Millisecond)
	r.mu.Unlock()
}

func (r *retryLog) recorded() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.waits...)
}

// newTestClient builds a client for an httptest server: no pacing (the tests of pacing build
// their own), fast retries, retries recorded.
func newTestClient(t *testing.T, url string, edit ...func(*Config)) (*Client, *retryLog) {
	t.Helper()
	rec := &retryLog{}
	cfg := Config{
		Endpoint:  url,
		Token:     testToken,
		UserAgent: "terraform-provider-qomon/test (+terraform 1.5.7)",
		RateLimit: RateLimit{Disabled: true},
		Retry:     Retry{MaxRetries: DefaultMaxRetries, MinWait: 10 * time.Millisecond, MaxWait: 80 * time.Millisecond},
		Logger:    rec,
	}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, rec
}

// recordedRequest is what a fake server saw.
type recordedRequest struct {
	Method, Path string
	Header       http.Header
	Body         string
}

// fakeServer answers each request with the next scripted handler (the last one repeats) and
// records every request.
type fakeServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []recordedRequest
	script   []http.HandlerFunc
}

func newFakeServer(t *testing.T, script ...http.HandlerFunc) *fakeServer {
	t.Helper()
	f := &fakeServer{script: script}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body)) // handlers may read it again
		f.mu.Lock()
		n := len(f.requests)
		f.requests = append(f.requests, recordedRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: string(body)})
		h := f.script[min(n, len(f.script)-1)]
		f.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeServer) seen() []recordedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recordedRequest(nil), f.requests...)
}

// reply answers status with body.
func reply(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// contactAnswer is a GET/PATCH/POST answer for contact id.
func contactAnswer(id int64) string { return fmt.Sprintf(contactJSON, id) }

func withHeader(key, value string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(key, value)
		h(w, r)
	}
}

// resetConnection drops the connection without an answer, after the request was read: what a
// crashed proxy or a lost response looks like to the client.
func resetConnection(w http.ResponseWriter, r *http.Request) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("no hijacker")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(err)
	}
	if tcp, ok := conn.(interface{ SetLinger(int) error }); ok {
		_ = tcp.SetLinger(0) // RST rather than FIN
	}
	conn.Close()
}

const contactJSON = `{"status":"success","data":{"contact":{"id":%d,"firstname":"Ada","UpdatedAt":"2026-01-01T00:00:00.000001Z"}}}`
