package qomonsim

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// limiter is Qomon's token bucket (see RateLimit), one per bearer token. It runs on the
// real clock so that a frozen test clock cannot stall it.
type limiter struct {
	mu      sync.Mutex
	cfg     RateLimit
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(cfg RateLimit) *limiter {
	l := &limiter{now: time.Now}
	l.reset(cfg)
	return l
}

func (l *limiter) reset(cfg RateLimit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cfg = cfg.withDefaults()
	l.cfg.Disabled = cfg.Disabled
	l.buckets = map[string]*bucket{}
}

// take charges cost tokens to token's bucket and sets the rate-limit headers. When the
// bucket holds too few tokens nothing is charged, Retry-After is set and it returns false.
func (l *limiter) take(w http.ResponseWriter, token string, cost int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cfg.Disabled {
		return true
	}
	now := l.now()
	b := l.buckets[token]
	if b == nil {
		b = &bucket{tokens: l.cfg.Burst, last: now}
		l.buckets[token] = b
	}
	b.tokens = math.Min(l.cfg.Burst, b.tokens+now.Sub(b.last).Seconds()*l.cfg.PerSecond)
	b.last = now

	c := float64(cost)
	allowed := b.tokens >= c
	if allowed {
		b.tokens -= c
	} else {
		wait := (c - b.tokens) / l.cfg.PerSecond
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Max(1, math.Ceil(wait)))))
	}
	l.writeHeaders(w.Header(), now, b.tokens, cost)
	return allowed
}

// writeHeaders describes the bucket after a request in the shape RateLimit.Headers selects.
func (l *limiter) writeHeaders(h http.Header, now time.Time, tokens float64, cost int) {
	remaining := strconv.Itoa(int(math.Floor(tokens)))
	untilFull := (l.cfg.Burst - tokens) / l.cfg.PerSecond
	burst := strconv.FormatFloat(l.cfg.Burst, 'f', -1, 64)
	switch l.cfg.Headers {
	case RateLimitHeadersQomon:
		h.Set("X-Ratelimit-Limit", l.cfg.header())
		h.Set("X-Ratelimit-Cost", strconv.Itoa(cost))
		h.Set("X-Ratelimit-Remaining", remaining)
		h.Set("X-Ratelimit-Reset", strconv.FormatFloat(math.Ceil(untilFull*1000)/1000, 'f', -1, 64))
	case RateLimitHeadersPlain:
		h.Set("X-Ratelimit-Limit", burst)
		h.Set("X-Ratelimit-Remaining", remaining)
		h.Set("X-Ratelimit-Reset", strconv.FormatInt(now.Add(time.Duration(untilFull*float64(time.Second))).Unix()+1, 10))
	case RateLimitHeadersIETF:
		window := strconv.FormatFloat(math.Ceil(l.cfg.Burst/l.cfg.PerSecond), 'f', -1, 64)
		h.Set("RateLimit-Limit", burst)
		h.Set("RateLimit-Remaining", remaining)
		h.Set("RateLimit-Reset", strconv.Itoa(int(math.Ceil(untilFull))))
		h.Set("RateLimit-Policy", burst+";w="+window)
	}
}
