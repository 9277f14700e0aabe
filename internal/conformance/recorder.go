package conformance

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// errBudget stops the run when the next request would spend more tokens than the budget
// stated before the run allows.
var errBudget = errors.New("the token budget is spent")

// Qomon's documented costs (https://developers.qomon.com/pages/v1/rate-limits): 5 tokens for
// POST /contacts and PATCH /contacts/{id}, 1 for anything else. The token-costs check
// compares them with what Qomon reports.
const (
	costWrite = 5
	costOther = 1
)

func documentedCost(method, path string) int {
	if method == http.MethodPost && path == "/contacts" || method == http.MethodPatch && strings.HasPrefix(path, "/contacts/") {
		return costWrite
	}
	return costOther
}

// exchange is one request the suite made and what came back.
type exchange struct {
	method string
	path   string // from the API root, e.g. /contacts/42
	status int    // 0: no answer
	header http.Header
	body   []byte
	tokens int // what it cost
}

// recorder is the http.RoundTripper under the API client. It keeps every answer (the checks
// read headers and raw bodies the client does not expose), counts the tokens spent, and
// refuses a request that would take the run past its current limit: it cancels the run's
// context first, so that no retry follows.
type recorder struct {
	next     http.RoundTripper
	basePath string // the endpoint's path, stripped to get API paths
	cancel   context.CancelCauseFunc

	mu        sync.Mutex
	exchanges []exchange
	spent     int
	limit     int
}

// maxRecorded bounds the body kept per answer; the checks read small answers only.
const maxRecorded = 1 << 20

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	path := strings.TrimPrefix(req.URL.Path, r.basePath)
	cost := documentedCost(req.Method, path)
	r.mu.Lock()
	if r.spent+cost > r.limit {
		r.mu.Unlock()
		if r.cancel != nil {
			r.cancel(errBudget)
		}
		return nil, errBudget
	}
	r.spent += cost // reserved now, so that concurrent requests cannot overrun the limit
	r.mu.Unlock()

	// A request that never left this machine cost nothing; one sent whose answer was lost
	// may have been charged, and is counted.
	var wrote atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) { wrote.Store(info.Err == nil) },
	}))
	res, err := r.next.RoundTrip(req)
	ex := exchange{method: req.Method, path: path, tokens: cost}
	if err != nil && !wrote.Load() {
		ex.tokens = 0
	}
	if err == nil {
		var body []byte
		body, err = io.ReadAll(io.LimitReader(res.Body, maxRecorded))
		_ = res.Body.Close()
		res.Body = io.NopCloser(bytes.NewReader(body))
		ex.status, ex.header, ex.body = res.StatusCode, res.Header.Clone(), body
		ex.tokens = charged(res, cost)
	}
	r.mu.Lock()
	r.spent += ex.tokens - cost
	r.exchanges = append(r.exchanges, ex)
	r.mu.Unlock()
	return res, err
}

// charged is what an answered request cost: nothing for a 429 (the bucket refused it), what
// X-Ratelimit-Cost says when Qomon says it, else the documented cost.
func charged(res *http.Response, documented int) int {
	if res.StatusCode == http.StatusTooManyRequests {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(res.Header.Get("X-Ratelimit-Cost"))); err == nil && n >= 0 {
		return n
	}
	return documented
}

// setLimit moves the cap on tokens spent since the start of the run.
func (r *recorder) setLimit(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.limit = n
}

func (r *recorder) tokens() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.spent
}

// last returns the most recent exchange for method and path.
func (r *recorder) last(method, path string) (exchange, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.exchanges) - 1; i >= 0; i-- {
		if e := r.exchanges[i]; e.method == method && e.path == path {
			return e, true
		}
	}
	return exchange{}, false
}

// all returns every exchange so far.
func (r *recorder) all() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]exchange(nil), r.exchanges...)
}
