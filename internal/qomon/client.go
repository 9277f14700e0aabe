package qomon

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// DefaultEndpoint is Qomon's API host, the server of every request in Qomon's API reference
// (https://developers.qomon.com).
const DefaultEndpoint = "https://incoming.qomon.app"

const (
	defaultUserAgent      = "terraform-provider-qomon"
	defaultRequestTimeout = 2 * time.Minute
	// Response bodies are read up to a cap so that a runaway answer cannot exhaust memory. A
	// search page of 1000 contacts carries every contact's form answers, hence its larger cap.
	maxBody       = 8 << 20
	maxSearchBody = 64 << 20
)

func maxBodyFor(path string) int64 {
	if path == "/search" {
		return maxSearchBody
	}
	return maxBody
}

// Config configures a Client. Only Token is required.
type Config struct {
	Endpoint   string       // base URL (default DefaultEndpoint); https unless the host is loopback
	Token      string       // the API key, sent as a bearer token to Endpoint's host only
	UserAgent  string       // e.g. "terraform-provider-qomon/0.1.0 (+terraform 1.5.7)"
	HTTPClient *http.Client // optional; copied, never modified
	RateLimit  RateLimit    // shape of the client's own bucket, when Limiter is nil
	Limiter    *Limiter     // optional bucket shared by several clients
	Retry      Retry
	Logger     Logger // optional; receives masked messages only
	// RequestTimeout bounds one attempt, answer included (default 2 minutes).
	RequestTimeout time.Duration
}

// Qomon's documented bucket (https://developers.qomon.com/pages/v1/rate-limits): 100 tokens,
// refilled at 10 per second, shared by every key of a space.
const (
	DefaultBurst     = 100
	DefaultPerSecond = 10
)

// RateLimit shapes the client-side bucket. Zero values mean Qomon's documented bucket. The
// values are a ceiling: the client follows a bucket Qomon advertises in X-Ratelimit-Limit only
// when it is smaller.
type RateLimit struct {
	Burst     float64 // bucket capacity in tokens (default 100)
	PerSecond float64 // refill rate in tokens per second (default 10)
	Disabled  bool    // no client-side pacing; a 429's Retry-After is still honoured
}

// Retry shapes the retries of a call (go-retryablehttp does them; checkRetry decides). What is
// retried: a 429 (after the pause Qomon asks for), a transport error, a 502, 503 or 504, and a
// 500 on the idempotent calls (reads, searches, forms, deletes). A create is retried only when
// Qomon provably did not process it: a 429, or a connection that failed before the request was
// sent whole. A PATCH is not retried on a 500, which may be Qomon refusing its body.
//
// MaxRetries is taken literally (0: no retry), so that a user's max_retries = 0 means what it
// says. Zero waits mean the defaults (0.5 s to 15 s), the values the most careful public Qomon
// client uses.
type Retry struct {
	MaxRetries int           // retries after the first attempt (DefaultMaxRetries = 4); 0 or less: none
	MinWait    time.Duration // ceiling of the first backoff (default 500ms)
	MaxWait    time.Duration // ceiling of any backoff (default 15s)
}

// Retry defaults.
const (
	DefaultMaxRetries = 4
	DefaultMinWait    = 500 * time.Millisecond
	DefaultMaxWait    = 15 * time.Second
)

const (
	missingRetryAfter = 5 * time.Second // the pause after a 429 without Retry-After
	// maxRetryAfter bounds a Retry-After worth waiting for; a longer one ends the call with its
	// error instead of hanging an apply.
	maxRetryAfter = 5 * time.Minute
)

func (r Retry) withDefaults() Retry {
	r.MaxRetries = max(r.MaxRetries, 0)
	r.MinWait = cmp.Or(max(r.MinWait, 0), DefaultMinWait)
	r.MaxWait = max(cmp.Or(max(r.MaxWait, 0), DefaultMaxWait), r.MinWait)
	return r
}

// Client talks to Qomon's API. It is safe for concurrent use; all its requests share one rate
// limiter.
type Client struct {
	base      string // scheme://host[/prefix], no trailing slash
	host      string // url.URL.Host of base, for the redirect check
	token     string
	userAgent string
	http      *http.Client
	limiter   *Limiter
	retry     Retry
	logger    Logger
	timeout   time.Duration
	rnd       func() float64
}

// New validates cfg and returns a client. It refuses a malformed endpoint, and plain http to
// any host but a loopback one, because the token would cross the network in clear.
func New(cfg Config) (*Client, error) {
	endpoint := strings.TrimSpace(cfg.Endpoint)
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	u, err := ValidateEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	token := strings.TrimSpace(cfg.Token)
	if err := ValidateToken(token); err != nil {
		return nil, err
	}
	c := &Client{
		base:      strings.TrimSuffix(u.String(), "/"),
		host:      u.Host,
		token:     token,
		userAgent: strings.TrimSpace(cfg.UserAgent),
		limiter:   cfg.Limiter,
		retry:     cfg.Retry.withDefaults(),
		logger:    cfg.Logger,
		timeout:   cfg.RequestTimeout,
		rnd:       rand.Float64,
	}
	if c.userAgent == "" {
		c.userAgent = defaultUserAgent
	}
	if c.limiter == nil {
		c.limiter = NewLimiter(cfg.RateLimit)
	}
	if c.timeout <= 0 {
		c.timeout = defaultRequestTimeout
	}
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		hc.Transport = newTransport()
	}
	hc.CheckRedirect = c.checkRedirect(hc.CheckRedirect)
	// The configured transport carries every attempt; meter paces and reads each one.
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = meter{c: c, next: next}
	c.http = &hc
	return c, nil
}

// ValidateToken refuses an API key the client cannot send: empty, or with spaces or control
// characters (a key copied with its neighbours).
func ValidateToken(token string) error {
	if strings.TrimSpace(token) == "" {
		return errors.New("a Qomon API token is required: set the provider's api_token argument or the QOMON_API_TOKEN environment variable")
	}
	if strings.ContainsFunc(strings.TrimSpace(token), func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return errors.New("the Qomon API token contains spaces or control characters: check that it was copied whole and alone")
	}
	return nil
}

// ValidateEndpoint parses an API base URL: http or https, a host, no credentials, query or
// fragment, and https unless the host is loopback (127.0.0.0/8, ::1, localhost).
func ValidateEndpoint(endpoint string) (*url.URL, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("the Qomon endpoint %q is not a valid URL: %v", endpoint, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("the Qomon endpoint %q must start with https:// (for example %s)", endpoint, DefaultEndpoint)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("the Qomon endpoint %q has no host (for example %s)", endpoint, DefaultEndpoint)
	case u.User != nil:
		return nil, fmt.Errorf("the Qomon endpoint must not carry credentials; give the token as api_token")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, fmt.Errorf("the Qomon endpoint %q must not have a query or fragment", endpoint)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("the Qomon endpoint %q uses plain http: the API token would travel unencrypted. "+
			"Use https://, or http:// only towards this machine (127.0.0.1, ::1, localhost)", endpoint)
	}
	if port := u.Port(); port != "" {
		if _, err := net.LookupPort("tcp", port); err != nil {
			return nil, fmt.Errorf("the Qomon endpoint %q has an invalid port", endpoint)
		}
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newTransport is Go's default transport with room for Terraform's parallelism (10 by
// default) in its idle pool, so that a busy apply reuses connections instead of opening one
// per request.
func newTransport() http.RoundTripper {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t := base.Clone()
	t.MaxIdleConnsPerHost = 32
	t.ResponseHeaderTimeout = 90 * time.Second
	return t
}

// checkRedirect refuses any redirect that leaves the endpoint's host or drops TLS: Go would
// follow it and, for a same-domain target, replay the Authorization header.
// MaxRetries is how many times the client retries a failed request (the provider's
// max_retries): callers that retry an operation themselves, such as a create whose answer was
// lost, keep to the same budget.
func (c *Client) MaxRetries() int { return c.retry.MaxRetries }

func (c *Client) checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		from := via[0].URL
		if !strings.EqualFold(req.URL.Host, c.host) || (from.Scheme == "https" && req.URL.Scheme != "https") {
			return &errRedirectRefused{from: from.Scheme + "://" + from.Host, to: req.URL.Scheme + "://" + req.URL.Host}
		}
		if len(via) >= 5 {
			return errors.New("stopped after 5 redirects")
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}

// request is one API call.
type request struct {
	method string
	path   string // from the API root, e.g. /contacts/42
	body   []byte // JSON, or nil
	// create marks POST /contacts: Qomon has no idempotency key, so the request is retried only
	// when Qomon provably did not process it (a 429, or a connection never opened).
	create bool
}

type response struct {
	status    int
	header    http.Header
	body      []byte
	truncated bool
	attempts  int
}

// exchange is one call on its way through go-retryablehttp: the transport (meter) records how
// each attempt ended, the retry policy (checkRetry) reads it. Attempts are sequential.
type exchange struct {
	request
	cost       int
	attempts   int
	sent       bool          // the last attempt's request may have reached Qomon whole
	retryAfter time.Duration // the pause the last 429 asked for
	last       *response     // the last answer, body read
}

type exchangeKey struct{}

func exchangeFrom(ctx context.Context) *exchange {
	ex, _ := ctx.Value(exchangeKey{}).(*exchange)
	if ex == nil {
		return &exchange{} // not a call of ours: retried like a read
	}
	return ex
}

// do sends r through the rate limiter, retrying what may be retried, and returns a 2xx
// response or an error (*APIError for any other status).
func (c *Client) do(ctx context.Context, r request) (*response, error) {
	ex := &exchange{request: r, cost: costOf(r.method, r.path)}
	ctx = context.WithValue(ctx, exchangeKey{}, ex)
	var body any
	if r.body != nil {
		body = r.body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.method, c.base+r.path, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.retrier(ctx).Do(req)
	if resp != nil {
		_ = resp.Body.Close() // the body was read by meter, into ex.last
	}
	switch {
	case err != nil && r.create && ex.sent:
		return nil, &OutcomeUnknownError{Method: r.method, Path: r.path, Err: err}
	case err != nil && ctx.Err() != nil:
		return nil, fmt.Errorf("%s %s: %w", r.method, r.path, ctx.Err())
	case err != nil:
		return nil, fmt.Errorf("%s %s: %w (after %d attempt(s))", r.method, r.path, err, ex.attempts)
	}
	res := ex.last
	res.attempts = ex.attempts
	if res.status < 200 || res.status > 299 {
		apiErr := parseAPIError(r.method, r.path, res.status, res.body, res.truncated)
		apiErr.Attempts = res.attempts
		if r.create && res.status >= 500 {
			// A gateway may answer 5xx after the backend created the contact.
			return nil, &OutcomeUnknownError{Method: r.method, Path: r.path, Err: apiErr}
		}
		return nil, apiErr
	}
	if res.truncated {
		err := c.unusable(r, res, "the answer is larger than the client accepts")
		if r.create {
			return nil, &OutcomeUnknownError{Method: r.method, Path: r.path, Err: err}
		}
		return nil, err
	}
	return res, nil
}

// unusable is the error for a 2xx answer whose body is not what the endpoint promises.
func (c *Client) unusable(r request, res *response, reason string) *APIError {
	return &APIError{
		Method: r.method, Path: r.path, StatusCode: res.status, Detail: reason,
		Excerpt: excerpt(res.body), Attempts: res.attempts, BodyTruncated: res.truncated,
		Format: formatOf(res.status, res.body),
	}
}

// meter is the client's http.RoundTripper, around the configured one. For each attempt of a
// call it waits for the rate limiter, bounds the attempt in time, reads the answer whole (so
// that an answer cut mid-body is an error go-retryablehttp can retry), passes its
// X-Ratelimit-* headers to the limiter, pauses everyone on a 429, and logs the attempt.
type meter struct {
	c    *Client
	next http.RoundTripper
}

func (m meter) RoundTrip(req *http.Request) (*http.Response, error) {
	c := m.c
	ex := exchangeFrom(req.Context())
	ex.attempts++
	ex.sent = false
	if err := c.limiter.wait(req.Context(), ex.cost); err != nil {
		return nil, errFinal{fmt.Errorf("waiting for Qomon's rate limit: %w", err)}
	}
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			wrote.Store(true)
		}
	}}
	ctx, cancel := context.WithTimeout(httptrace.WithClientTrace(req.Context(), trace), c.timeout)
	defer cancel()
	if req.Body != nil && c.enabled(ctx, LevelTrace) {
		c.log(ctx, LevelTrace, "Qomon request body", map[string]any{"method": ex.method, "path": ex.path, "body": MaskBody(ex.body)})
	}

	start := time.Now()
	resp, err := m.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		ex.sent = wrote.Load() && !isDialError(err)
		c.logAttempt(req.Context(), ex, 0, time.Since(start), err)
		return nil, err
	}
	ex.sent = true // Qomon answered: whatever the request was, it arrived
	limit := maxBodyFor(ex.path)
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	_ = resp.Body.Close()
	c.limiter.Observe(resp.Header)
	if err != nil {
		err = fmt.Errorf("reading Qomon's answer (status %d): %w", resp.StatusCode, err)
		c.logAttempt(req.Context(), ex, 0, time.Since(start), err)
		return nil, err
	}
	res := &response{status: resp.StatusCode, header: resp.Header, body: data}
	if int64(len(data)) > limit {
		res.body, res.truncated = data[:limit], true
	}
	ex.last = res
	if res.status == http.StatusTooManyRequests {
		wait, ok := RetryAfter(res.header)
		if !ok {
			wait = missingRetryAfter
		}
		ex.retryAfter = wait
		if wait <= maxRetryAfter {
			// Everyone waits, not only this request: the bucket is Qomon's, shared.
			c.limiter.Pause(wait)
			c.log(req.Context(), LevelDebug, "Qomon rate limit hit, pausing every request", map[string]any{
				"method": ex.method, "path": ex.path, "attempt": ex.attempts, "retry_in_ms": wait.Milliseconds(),
			})
		}
	}
	c.logAttempt(req.Context(), ex, res.status, time.Since(start), nil)
	if c.enabled(ctx, LevelTrace) {
		c.log(ctx, LevelTrace, "Qomon response body", map[string]any{
			"method": ex.method, "path": ex.path, "status": res.status, "body": MaskBody(res.body),
		})
	}
	resp.Body = io.NopCloser(bytes.NewReader(res.body))
	return resp, nil
}

// errRedirectRefused marks a redirect the client would not follow.
type errRedirectRefused struct{ from, to string }

func (e *errRedirectRefused) Error() string {
	return "refused to follow a redirect from " + e.from + " to " + e.to +
		": the API token is only ever sent to the configured endpoint; check the provider's endpoint"
}

// isDialError reports a connection that could not be opened: nothing was sent.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
