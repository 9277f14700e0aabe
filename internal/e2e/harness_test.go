package e2e

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// What the acceptance tests of this package share beyond internal/acctest.

// fastRetries makes the client's backoff short, so that fault scenarios take seconds; the
// policy (what is retried, how often, Retry-After honoured) stays the client's.
func fastRetries(c *qomon.Config) {
	c.Retry = qomon.Retry{MaxRetries: 6, MinWait: 20 * time.Millisecond, MaxWait: 400 * time.Millisecond}
}

// retryCounter wraps the client's logger (after the provider has set it) and counts the
// retries the client announces (go-retryablehttp's "retrying request", bridged): after a 5xx, a
// transport error or a 429. It is the client's own account of what it sent again, which the
// request log can only approximate.
type retryCounter struct {
	mu      sync.Mutex
	next    qomon.Logger
	retries atomic.Int64
}

func (r *retryCounter) tune(c *qomon.Config) {
	r.mu.Lock()
	r.next = c.Logger
	r.mu.Unlock()
	c.Logger = r
}

func (r *retryCounter) Log(ctx context.Context, level qomon.Level, msg string, fields map[string]any) {
	if msg == "retrying Qomon request" {
		r.retries.Add(1)
	}
	r.mu.Lock()
	next := r.next
	r.mu.Unlock()
	if next != nil {
		next.Log(ctx, level, msg, fields)
	}
}

func (r *retryCounter) count() int { return int(r.retries.Load()) }

// switchable is a handler in front of the simulator that a test can make misbehave: while a
// rule is set, matching requests get the rule's answer instead of (or after) the simulator's.
type switchable struct {
	next   http.Handler
	rule   atomic.Pointer[answerRule]
	served atomic.Int64 // requests the current rule answered
}

// answerRule replaces the answer to matching requests.
type answerRule struct {
	method, path string // path prefix
	// forward sends the request to the simulator first (it is processed), then discards the
	// simulator's answer.
	forward bool
	status  int
	ctype   string
	body    []byte
}

func (s *switchable) set(r *answerRule) {
	s.served.Store(0)
	s.rule.Store(r)
}

func (s *switchable) hits() int { return int(s.served.Load()) }

func (s *switchable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rule := s.rule.Load()
	if rule == nil || r.Method != rule.method || !strings.HasPrefix(r.URL.Path, rule.path) {
		s.next.ServeHTTP(w, r)
		return
	}
	s.served.Add(1)
	if rule.forward {
		s.next.ServeHTTP(discard{h: http.Header{}}, r)
	}
	ct := rule.ctype
	if ct == "" {
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(rule.status)
	_, _ = w.Write(rule.body)
}

// discard is a ResponseWriter that drops what it is given.
type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}
