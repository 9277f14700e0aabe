package qomon

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Tokens Qomon charges (https://developers.qomon.com/pages/v1/rate-limits): 5 for a create or a
// PATCH (WriteCost, also the smallest bucket that can pace every request), 1 for anything else.
const (
	WriteCost   = 5
	costDefault = 1
)

// costOf is the number of tokens Qomon charges for a request.
func costOf(method, path string) int {
	if (method == http.MethodPost && path == "/contacts") ||
		(method == http.MethodPatch && strings.HasPrefix(path, "/contacts/")) {
		return WriteCost
	}
	return costDefault
}

// Limiter is a rate.Limiter shaped like Qomon's bucket, shared by every request of a process
// (or of several clients, through Config.Limiter), with what Qomon adds to a plain limiter:
// requests cost what Qomon charges (costOf); the bucket follows Qomon's X-Ratelimit-* headers
// (Observe); a 429 pauses every request and empties the bucket (Pause).
//
// A new process knows nothing of the space's bucket, which the previous process (Terraform
// starts one per walk) may have just emptied: its first request goes alone, because it is the
// provider's configuration check (Probe), which every other request waits for, and its answer
// tells the limiter how many tokens Qomon holds.
type Limiter struct {
	mu                sync.Mutex
	lim               *rate.Limiter
	burst, rate       float64 // the bucket applied now
	maxBurst, maxRate float64 // the configured ceiling
	disabled          bool
	pausedUntil       time.Time
	epoch             int // bumped by each pause: slots reserved before it are void
}

// NewLimiter returns a full bucket shaped by rl.
func NewLimiter(rl RateLimit) *Limiter {
	l := &Limiter{burst: positive(rl.Burst, DefaultBurst), rate: positive(rl.PerSecond, DefaultPerSecond), disabled: rl.Disabled}
	l.maxBurst, l.maxRate = l.burst, l.rate
	l.lim = rate.NewLimiter(rate.Limit(l.rate), l.capacity())
	return l
}

// capacity is the most the local bucket lets itself hold: the burst less a small headroom.
// While Qomon's bucket is full, the refill that accrues as the first requests of a burst travel
// to it is lost, whereas the local bucket starts refilling the moment it lets them go. The
// headroom (50 ms of refill, at least one create's cost, at most a quarter of the burst) keeps
// the burst that follows an idle period from tripping a 429.
func (l *Limiter) capacity() int {
	headroom := math.Min(math.Max(WriteCost, l.rate*0.05), l.burst/4)
	return max(int(l.burst-headroom), WriteCost)
}

// wait takes cost tokens, waiting for them and for any pause. A slot reserved before a pause is
// given up and taken again after it: it was computed while Qomon's bucket was emptier than
// believed. Every use of the rate.Limiter reads the clock under l.mu: a rate.Limiter that sees
// time go backwards (two callers reading the clock, then locking in the other order) counts the
// same refill twice.
func (l *Limiter) wait(ctx context.Context, cost int) error {
	for {
		l.mu.Lock()
		now, epoch := time.Now(), l.epoch
		delay := l.pausedUntil.Sub(now)
		var r *rate.Reservation
		if delay <= 0 && !l.disabled {
			r = l.lim.ReserveN(now, cost)
			delay = r.DelayFrom(now)
		}
		l.mu.Unlock()
		if delay <= 0 {
			return ctx.Err()
		}
		err := ctx.Err()
		if deadline, ok := ctx.Deadline(); ok && deadline.Before(now.Add(delay)) {
			err = fmt.Errorf("waiting %s for Qomon's rate limit would pass the deadline: %w", delay.Round(time.Millisecond), context.DeadlineExceeded)
		} else {
			select {
			case <-ctx.Done():
				err = ctx.Err()
			case <-time.After(delay):
			}
		}
		if err != nil {
			if r != nil {
				l.mu.Lock()
				r.CancelAt(time.Now())
				l.mu.Unlock()
			}
			return err
		}
		l.mu.Lock()
		done := r != nil && l.epoch == epoch
		l.mu.Unlock()
		if done {
			return nil
		}
	}
}

// Pause stops every request for d, as Qomon asks with a 429's Retry-After. Qomon had too few
// tokens for the request, so the local bucket starts again from empty.
func (l *Limiter) Pause(d time.Duration) {
	if d <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if until := now.Add(d); until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
	l.epoch++
	l.lim = rate.NewLimiter(rate.Limit(l.rate), l.capacity())
	l.lim.ReserveN(now, l.capacity())
}

// Observe aligns the bucket with the X-Ratelimit-* headers of a Qomon answer:
// X-Ratelimit-Limit ("burst:100;rate:10.0") lowers the bucket's shape, and X-Ratelimit-Remaining
// (or X-Ratelimit-Reset, the seconds until Qomon's bucket is full) lowers the local count when
// Qomon holds fewer tokens than the client believes.
func (l *Limiter) Observe(h http.Header) {
	limit, remaining, reset := h.Get("X-Ratelimit-Limit"), h.Get("X-Ratelimit-Remaining"), h.Get("X-Ratelimit-Reset")
	if limit == "" && remaining == "" && reset == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.disabled {
		return
	}
	now := time.Now()
	if burst, perSecond, ok := parseRateLimitHeader(limit); ok {
		burst, perSecond = math.Min(burst, l.maxBurst), math.Min(perSecond, l.maxRate)
		if burst != l.burst || perSecond != l.rate {
			l.burst, l.rate = burst, perSecond
			l.lim.SetLimitAt(now, rate.Limit(perSecond))
			l.lim.SetBurstAt(now, l.capacity())
		}
	}
	server := math.Inf(1)
	if r, ok := number(remaining); ok {
		server = r
	}
	if s, ok := number(reset); ok {
		server = math.Min(server, math.Max(0, l.burst-s*l.rate))
	}
	if excess := l.lim.TokensAt(now) - server; excess > 0 {
		l.lim.ReserveN(now, int(math.Ceil(excess))) // spent elsewhere: never to be used here
	}
}

// parseRateLimitHeader reads "burst:100;rate:10.0"; other shapes are ignored.
func parseRateLimitHeader(v string) (burst, perSecond float64, ok bool) {
	for part := range strings.SplitSeq(v, ";") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), ":")
		switch f, _ := number(val); strings.ToLower(strings.TrimSpace(k)) {
		case "burst":
			burst = positive(f, 0)
		case "rate":
			perSecond = positive(f, 0)
		}
	}
	return burst, perSecond, burst > 0 && perSecond > 0
}

// number reads a header's non-negative, finite number.
func number(v string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	return f, err == nil && f >= 0 && !math.IsInf(f, 0)
}

// positive is v if it is a positive, finite number, def otherwise.
func positive(v, def float64) float64 {
	if v > 0 && !math.IsInf(v, 0) {
		return v
	}
	return def
}
