package qomonsim

import (
	"strconv"
	"testing"
	"time"
)

func TestRateLimitHeadersAndCosts(t *testing.T) {
	c := newTC(t, Options{})
	r := c.do("POST", "/contacts", wrap(map[string]any{"surname": "A"})).want(t, 200)
	if got := r.header.Get("X-Ratelimit-Limit"); got != "burst:100;rate:10.0" {
		t.Errorf("X-Ratelimit-Limit = %q", got)
	}
	if r.header.Get("X-Ratelimit-Cost") != "5" {
		t.Errorf("POST /contacts cost %q", r.header.Get("X-Ratelimit-Cost"))
	}
	if rem, _ := strconv.Atoi(r.header.Get("X-Ratelimit-Remaining")); rem != 95 {
		t.Errorf("remaining %d, want 95", rem)
	}
	if reset, err := strconv.ParseFloat(r.header.Get("X-Ratelimit-Reset"), 64); err != nil || reset <= 0.4 || reset > 0.5 {
		t.Errorf("reset %q, want about 0.5 s", r.header.Get("X-Ratelimit-Reset"))
	}
	id := idOf(t, r.contact(t))
	costs := map[string]string{}
	for _, call := range []struct{ method, path string }{
		{"GET", "/contacts/" + strconv.FormatInt(id, 10)},
		{"PATCH", "/contacts/" + strconv.FormatInt(id, 10)},
		{"POST", "/search"},
		{"GET", "/v1/forms/type/consent"},
		{"DELETE", "/contacts/" + strconv.FormatInt(id, 10)},
		{"GET", "/nowhere"},
	} {
		r := c.do(call.method, call.path, wrap(map[string]any{"surname": "B"}))
		costs[call.method+" "+call.path[:4]] = r.header.Get("X-Ratelimit-Cost")
	}
	want := map[string]string{"GET /con": "1", "PATCH /con": "5", "POST /sea": "1", "GET /v1/": "1", "DELETE /con": "1", "GET /now": "1"}
	for k, v := range want {
		if costs[k] != v {
			t.Errorf("%s cost %q, want %s", k, costs[k], v)
		}
	}
}

func TestRateLimitExhausted(t *testing.T) {
	// A bucket that refills so slowly that the test cannot see it refill.
	c := newTC(t, Options{RateLimit: RateLimit{Burst: 12, PerSecond: 0.01}})
	c.do("POST", "/contacts", wrap(map[string]any{"surname": "A"})).want(t, 200)
	c.do("POST", "/contacts", wrap(map[string]any{"surname": "B"})).want(t, 200)
	r := c.do("POST", "/contacts", wrap(map[string]any{"surname": "C"})).want(t, 429)
	if r.body["status"] != float64(429) || r.body["title"] != "Too Many Requests" {
		t.Errorf("429 problem %s", r.raw)
	}
	ra, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || ra < 290 || ra > 300 { // 3 tokens missing at 0.01/s
		t.Errorf("Retry-After %q, want about 300 s", r.header.Get("Retry-After"))
	}
	if r.header.Get("X-Ratelimit-Remaining") != "2" || r.header.Get("X-Ratelimit-Cost") != "5" {
		t.Errorf("headers on 429: %v", r.header)
	}
	// A cheaper request still fits; the rejected one cost nothing.
	c.do("GET", "/forms/11240", nil).want(t, 200)
	c.do("GET", "/forms/11240", nil).want(t, 200)
	c.do("GET", "/forms/11240", nil).want(t, 429)
	if n := c.s.ContactCount(); n != 2 {
		t.Errorf("%d contacts; a 429 stored one", n)
	}
	st := c.s.Stats()
	if st.RateLimited != 2 || st.TokensSpent != 12 || st.ByStatus[429] != 2 {
		t.Errorf("stats %+v", st)
	}

	// Buckets are per token.
	c2 := newTC(t, Options{Tokens: []string{"one", "two"}, RateLimit: RateLimit{Burst: 5, PerSecond: 0.01}})
	c2.token = "one"
	c2.do("POST", "/contacts", wrap(map[string]any{"surname": "A"})).want(t, 200)
	c2.do("POST", "/contacts", wrap(map[string]any{"surname": "A"})).want(t, 429)
	c2.token = "two"
	c2.do("POST", "/contacts", wrap(map[string]any{"surname": "A"})).want(t, 200)

	// Reshaping refills.
	c.s.Configure(func(o *Options) { o.RateLimit = RateLimit{Burst: 50, PerSecond: 1} })
	r = c.do("POST", "/contacts", wrap(map[string]any{"surname": "D"})).want(t, 200)
	if r.header.Get("X-Ratelimit-Limit") != "burst:50;rate:1.0" || r.header.Get("X-Ratelimit-Remaining") != "45" {
		t.Errorf("after Configure: %v", r.header)
	}
}

func TestRateLimitRefills(t *testing.T) {
	c := newTC(t, Options{RateLimit: RateLimit{Burst: 10, PerSecond: 2}})
	clock := time.Unix(1700000000, 0)
	c.s.limiter.mu.Lock()
	c.s.limiter.now = func() time.Time { return clock }
	c.s.limiter.mu.Unlock()
	advance := func(d time.Duration) {
		c.s.limiter.mu.Lock()
		clock = clock.Add(d)
		c.s.limiter.mu.Unlock()
	}
	c.do("POST", "/contacts", wrap(map[string]any{"surname": "A"})).want(t, 200)
	c.do("POST", "/contacts", wrap(map[string]any{"surname": "B"})).want(t, 200)
	r := c.do("POST", "/contacts", wrap(map[string]any{"surname": "C"})).want(t, 429)
	if r.header.Get("Retry-After") != "3" { // 5 tokens at 2/s: 2.5 s, rounded up
		t.Errorf("Retry-After %q, want 3", r.header.Get("Retry-After"))
	}
	advance(2 * time.Second) // 4 tokens: not yet
	c.do("POST", "/contacts", wrap(map[string]any{"surname": "C"})).want(t, 429)
	advance(500 * time.Millisecond)
	r = c.do("POST", "/contacts", wrap(map[string]any{"surname": "C"})).want(t, 200)
	if r.header.Get("X-Ratelimit-Remaining") != "0" || r.header.Get("X-Ratelimit-Reset") != "5" {
		t.Errorf("after refill: remaining %q reset %q", r.header.Get("X-Ratelimit-Remaining"), r.header.Get("X-Ratelimit-Reset"))
	}
	advance(time.Hour) // never above the burst
	r = c.do("GET", "/forms/11240", nil).want(t, 200)
	if r.header.Get("X-Ratelimit-Remaining") != "9" {
		t.Errorf("remaining %q, want the burst minus one", r.header.Get("X-Ratelimit-Remaining"))
	}
}

func TestRateLimitDisabled(t *testing.T) {
	c := newTC(t, Options{RateLimit: RateLimit{Burst: 1, PerSecond: 0.001, Disabled: true}})
	for i := 0; i < 30; i++ {
		r := c.do("POST", "/contacts", wrap(map[string]any{"surname": "A"})).want(t, 200)
		if r.header.Get("X-Ratelimit-Limit") != "" {
			t.Fatal("headers sent while disabled")
		}
	}
}
