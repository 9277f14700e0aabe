package qomon

import (
	"bytes"
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
)

// DefaultEndpoint is Qomon's API host (qomon-api.md §1.1).
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
	clock     clock
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
	if token == "" {
		return nil, errors.New("a Qomon API token is required: set the provider's api_token argument or the QOMON_API_TOKEN environment variable")
	}
	if strings.ContainsFunc(token, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return nil, errors.New("the Qomon API token contains spaces or control characters: check that it was copied whole and alone")
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
		clock:     realClock{},
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
	c.http = &hc
	return c, nil
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

// do sends r through the rate limiter, retrying what may be retried, and returns a 2xx
// response or an error (*APIError for any other status).
func (c *Client) do(ctx context.Context, r request) (*response, error) {
	cost := costOf(r.method, r.path)
	for attempt := 1; ; attempt++ {
		done, err := c.limiter.acquire(ctx, cost)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
		start := c.clock.now()
		res, sent, err := c.exchange(ctx, r, done)
		elapsed := c.clock.now().Sub(start)
		canRetry := attempt <= c.retry.MaxRetries

		if err != nil {
			c.logAttempt(ctx, r, attempt, cost, 0, elapsed, err)
			switch {
			case r.create && sent:
				return nil, &OutcomeUnknownError{Method: r.method, Path: r.path, Err: err}
			case ctx.Err() != nil:
				return nil, fmt.Errorf("%s %s: %w", r.method, r.path, ctx.Err())
			case !canRetry || !retryableTransport(err):
				return nil, fmt.Errorf("%s %s: %w (after %d attempt(s))", r.method, r.path, err, attempt)
			}
			if err := c.backoff(ctx, r, attempt, c.retry.backoff(attempt-1, c.rnd), "transport error"); err != nil {
				return nil, err
			}
			continue
		}
		res.attempts = attempt
		c.logAttempt(ctx, r, attempt, cost, res.status, elapsed, nil)

		if res.status == http.StatusTooManyRequests {
			wait, ok := parseRetryAfter(res.header.Get("Retry-After"), c.clock.now())
			if !ok {
				wait = missingRetryAfter
			}
			if wait <= maxRetryAfter {
				// Everyone waits, not only this request: the bucket is Qomon's, shared.
				c.limiter.Pause(wait)
			}
			if canRetry && wait <= maxRetryAfter {
				c.log(ctx, LevelDebug, "Qomon rate limit hit, pausing every request", map[string]any{
					"method": r.method, "path": r.path, "attempt": attempt, "retry_in_ms": wait.Milliseconds(),
				})
				continue
			}
		}
		if !r.create && canRetry && res.status != http.StatusTooManyRequests && retryableStatus(res.status) {
			wait := c.retry.backoff(attempt-1, c.rnd)
			if ra, ok := parseRetryAfter(res.header.Get("Retry-After"), c.clock.now()); ok && ra > wait && ra <= maxRetryAfter {
				wait = ra
			}
			if err := c.backoff(ctx, r, attempt, wait, http.StatusText(res.status)); err != nil {
				return nil, err
			}
			continue
		}
		if res.status < 200 || res.status > 299 {
			apiErr := parseAPIError(r.method, r.path, res.status, res.body, res.truncated)
			apiErr.Attempts = attempt
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
}

// exchange makes one attempt and passes its answer's X-Ratelimit-* headers, whatever the
// status, to the limiter. Then, on every path (answer, transport error, cancelled context,
// panic), it calls done, which opens the limiter's first-answer gate when this attempt is the
// probe: a gate left closed would hold every later request.
func (c *Client) exchange(ctx context.Context, r request, done func()) (res *response, sent bool, err error) {
	defer done()
	res, sent, err = c.send(ctx, r)
	if err == nil {
		c.limiter.Observe(res.header)
	}
	return res, sent, err
}

// backoff sleeps before a retry; only ctx's end interrupts it.
func (c *Client) backoff(ctx context.Context, r request, attempt int, wait time.Duration, reason string) error {
	c.log(ctx, LevelDebug, "retrying Qomon request", map[string]any{
		"method": r.method, "path": r.path, "attempt": attempt, "reason": reason, "retry_in_ms": wait.Milliseconds(),
	})
	if err := c.clock.sleep(ctx, wait); err != nil {
		return fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	return nil
}

// unusable is the error for a 2xx answer whose body is not what the endpoint promises.
func (c *Client) unusable(r request, res *response, reason string) *APIError {
	return &APIError{
		Method: r.method, Path: r.path, StatusCode: res.status, Detail: reason,
		Excerpt: excerpt(res.body), Attempts: res.attempts, BodyTruncated: res.truncated,
	}
}

// send makes one attempt. sent reports whether Qomon may have received the whole request: false
// when the connection could not be opened or the request could not be written in full.
func (c *Client) send(ctx context.Context, r request) (res *response, sent bool, err error) {
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				wrote.Store(true)
			}
		},
	}
	actx, cancel := context.WithTimeout(httptrace.WithClientTrace(ctx, trace), c.timeout)
	defer cancel()

	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, r.method, c.base+r.path, body)
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.logger != nil && r.body != nil && c.enabled(ctx, LevelTrace) {
		c.log(ctx, LevelTrace, "Qomon request body", map[string]any{"method": r.method, "path": r.path, "body": MaskBody(r.body)})
	}

	resp, err := c.http.Do(req)
	if err != nil {
		return nil, wrote.Load() && !isDialError(err), err
	}
	defer resp.Body.Close()
	limit := maxBodyFor(r.path)
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		// Qomon answered: whatever the request was, it arrived.
		return nil, true, fmt.Errorf("reading Qomon's answer (status %d): %w", resp.StatusCode, err)
	}
	res = &response{status: resp.StatusCode, header: resp.Header, body: data}
	if int64(len(data)) > limit {
		res.body, res.truncated = data[:limit], true
	}
	if c.logger != nil && c.enabled(ctx, LevelTrace) {
		c.log(ctx, LevelTrace, "Qomon response body", map[string]any{
			"method": r.method, "path": r.path, "status": res.status, "body": MaskBody(res.body),
		})
	}
	return res, true, nil
}
