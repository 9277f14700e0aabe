package qomon

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry shapes the retries of a request that failed for a reason that may pass: a 429, a
// 502/503/504, or a transport error. MaxRetries is taken literally (0: no retry), so that a
// user's max_retries = 0 means what it says; DefaultMaxRetries is the recommended value. Zero
// waits mean the defaults (backoff from 0.5 s to 15 s), the values the most careful public
// Qomon client uses.
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
	// missingRetryAfter is the pause after a 429 that does not say how long to wait.
	missingRetryAfter = 5 * time.Second
	// maxRetryAfter bounds a Retry-After we are willing to sleep through; a longer one ends the
	// request with its error instead of hanging an apply.
	maxRetryAfter = 5 * time.Minute
)

func (r Retry) withDefaults() Retry {
	if r.MaxRetries < 0 {
		r.MaxRetries = 0
	}
	if r.MinWait <= 0 {
		r.MinWait = DefaultMinWait
	}
	if r.MaxWait <= 0 {
		r.MaxWait = DefaultMaxWait
	}
	if r.MaxWait < r.MinWait {
		r.MaxWait = r.MinWait
	}
	return r
}

// backoff is the wait before retry n (0 for the first retry): "full jitter", a uniform draw in
// [0, min(MaxWait, MinWait*2^n)), so that many callers failing together do not retry together.
// rnd returns a number in [0, 1).
func (r Retry) backoff(n int, rnd func() float64) time.Duration {
	ceiling := float64(r.MaxWait)
	if n < 62 {
		ceiling = math.Min(ceiling, float64(r.MinWait)*math.Exp2(float64(n)))
	}
	return time.Duration(rnd() * ceiling)
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if math.IsNaN(secs) || secs < 0 {
			return 0, false
		}
		if secs > maxRetryAfter.Seconds() {
			return maxRetryAfter + time.Second, true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// retryableStatus lists the statuses worth another try: the rate limit and the gateway-type
// failures that say nothing about the request itself.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// errRedirectRefused marks a redirect the client would not follow.
type errRedirectRefused struct{ from, to string }

func (e *errRedirectRefused) Error() string {
	return "refused to follow a redirect from " + e.from + " to " + e.to +
		": the API token is only ever sent to the configured endpoint; check the provider's endpoint"
}

// retryableTransport reports whether a transport error may pass on its own. Certificate
// problems and refused redirects will not.
func retryableTransport(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var redirect *errRedirectRefused
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var recordHeader tls.RecordHeaderError
	switch {
	case errors.As(err, &redirect), errors.As(err, &unknownCA), errors.As(err, &hostname),
		errors.As(err, &invalid), errors.As(err, &verify), errors.As(err, &recordHeader):
		return false
	}
	return true
}

// isDialError reports a connection that could not be opened: nothing was sent.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
