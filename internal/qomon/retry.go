package qomon

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// retrier is a go-retryablehttp client for one call: the policy below, the last answer passed
// through when retries run out, and its log lines sent to the call's context (tflog needs it).
func (c *Client) retrier(ctx context.Context) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   c.http,
		Logger:       retryLogger{ctx: ctx, c: c},
		RetryMax:     c.retry.MaxRetries,
		RetryWaitMin: c.retry.MinWait,
		RetryWaitMax: c.retry.MaxWait,
		CheckRetry:   checkRetry,
		Backoff:      c.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// checkRetry is the retry policy (see Retry). The exchange in ctx says what the request is and
// how its last attempt ended.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	ex := exchangeFrom(ctx)
	if err != nil {
		return (!ex.create || !ex.sent) && retryableTransport(ctx, err), nil
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		return ex.retryAfter <= maxRetryAfter, nil
	case ex.create:
		return false, nil
	case code == http.StatusBadGateway, code == http.StatusServiceUnavailable, code == http.StatusGatewayTimeout:
		return true, nil
	case code == http.StatusInternalServerError:
		return ex.method != http.MethodPatch, nil
	}
	return false, nil
}

// backoff is the wait before retry n (0 for the first): "full jitter", a uniform draw below
// go-retryablehttp's exponential ceiling, so that callers failing together do not retry
// together; a longer Retry-After wins. After a 429 there is none: the limiter's pause, which
// holds every request, holds this one too.
func (c *Client) backoff(lo, hi time.Duration, n int, resp *http.Response) time.Duration {
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		return 0
	}
	wait := time.Duration(c.rnd() * float64(retryablehttp.DefaultBackoff(lo, hi, n, nil)))
	if resp != nil {
		if ra, ok := RetryAfter(resp.Header); ok && ra > wait && ra <= maxRetryAfter {
			wait = ra
		}
	}
	return wait
}

// RetryAfter reads the Retry-After header of an answer as the client honours it: ok is false
// when there is none or it is neither delay-seconds nor an HTTP date.
func RetryAfter(h http.Header) (time.Duration, bool) {
	return parseRetryAfter(h.Get("Retry-After"), time.Now())
}

// parseRetryAfter reads a Retry-After header: delay-seconds (a finite, non-negative number,
// capped just past maxRetryAfter so that it still reads as too long) or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if secs, ok := number(v); ok {
		return time.Duration(math.Min(secs, maxRetryAfter.Seconds()+1) * float64(time.Second)), true
	}
	if t, err := http.ParseTime(strings.TrimSpace(v)); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// errFinal marks an attempt that must not be retried: waiting for the rate limiter failed.
type errFinal struct{ error }

func (e errFinal) Unwrap() error { return e.error }

// retryableTransport reports whether a transport error may pass on its own: go-retryablehttp's
// judgement (certificate problems, bad schemes, too many redirects will not), and neither will a
// redirect the client refused or a wait for the rate limiter that failed.
func retryableTransport(ctx context.Context, err error) bool {
	var final errFinal
	var redirect *errRedirectRefused
	if errors.As(err, &final) || errors.As(err, &redirect) {
		return false
	}
	retry, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	return retry
}
