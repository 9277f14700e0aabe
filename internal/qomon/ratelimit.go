package qomon

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Qomon's documented bucket (qomon-api.md §5): 100 tokens, refilled at 10 per second, shared by
// every key of a space; a create or a PATCH costs 5 tokens, anything else 1.
const (
	DefaultBurst     = 100
	DefaultPerSecond = 10
	costExpensive    = 5
	costDefault      = 1
)

// RateLimit shapes the client-side token bucket. The zero value means Qomon's documented bucket,
// and lets the client adopt whatever bucket Qomon advertises in X-Ratelimit-Limit. Explicit
// values are a ceiling: the client then follows an advertised bucket only when it is smaller.
type RateLimit struct {
	Burst     float64 // bucket capacity in tokens (default 100)
	PerSecond float64 // refill rate in tokens per second (default 10)
	Disabled  bool    // no client-side pacing; a 429's Retry-After is still honoured
}

// costOf is the number of tokens Qomon charges for a request.
func costOf(method, path string) int {
	switch {
	case method == http.MethodPost && path == "/contacts":
		return costExpensive
	case method == http.MethodPatch && strings.HasPrefix(path, "/contacts/"):
		return costExpensive
	}
	return costDefault
}

// Limiter is a token bucket shaped like Qomon's, shared by every request of a process (or of
// several clients, through Config.Limiter), so that a large apply paces itself at the bucket's
// ceiling instead of collecting 429s.
//
// It is a reservation scheduler: each request takes its tokens at once, possibly going into
// debt, and waits until the bucket has refilled the debt. Requests are therefore served in
// arrival order, and an expensive PATCH is never starved by a stream of cheap GETs. The local
// bucket never believes it holds more tokens than Qomon last reported (X-Ratelimit-Remaining),
// which covers other integrations spending from the same space, and a 429 pauses every caller
// until its Retry-After.
//
// A new limiter knows nothing of Qomon's bucket, which the previous provider process (Terraform
// starts one per walk) or another integration may have just emptied. Until an answer has told it
// how many tokens Qomon holds (X-Ratelimit-Remaining or X-Ratelimit-Reset), the client's first
// request therefore goes out alone, as a probe, and the others are held, in arrival order, until
// its answer has been observed; they are then paced from Qomon's count.
// When the probe's attempt ends without that answer (a transport error, an answer without the
// headers, a cancelled request) the held requests are released at once, as if there were no
// gate; a probe that gives up before it is sent hands its role to the next held request. This
// costs one round trip per process. Wait, which cannot learn how its request ended, is not gated.
type Limiter struct {
	clock clock

	mu       sync.Mutex
	burst    float64
	rate     float64 // tokens per second
	auto     bool    // follow the advertised bucket both ways
	maxBurst float64 // configured ceiling when !auto
	maxRate  float64
	disabled bool
	// zero is the instant at which the bucket, every reservation made so far deducted, holds
	// zero tokens: at time t it holds rate*(t-zero), capped at burst. A zero in the future is
	// the debt the queued requests are waiting out.
	zero        time.Time
	pausedUntil time.Time
	// shift is the total delay pauses have added to queued reservations: a waiter's slot is
	// its reserved instant plus the growth of shift since it reserved.
	shift time.Duration
	// The first-answer gate: until open, one request (the probe) is out and the others wait in
	// held, in arrival order. It opens for good, reserving the held requests' tokens in order,
	// when Observe first sees Qomon's count or the probe's attempt ends.
	open    bool
	probing bool
	held    []*heldRequest

	stats LimiterStats
}

// heldRequest is a request waiting at the first-answer gate.
type heldRequest struct {
	cost   int
	ready  chan struct{} // closed once slot and shift0 are set (or the probe's role handed over)
	slot   time.Time
	shift0 time.Duration
	probe  bool // the request was handed the probe's role
}

// LimiterStats counts what the limiter did, for benchmarks and tests.
type LimiterStats struct {
	Requests int64         // reservations made
	Tokens   float64       // tokens reserved
	Waited   time.Duration // total time requests spent waiting for tokens or a pause
	Pauses   int64         // 429 pauses applied
	Clamps   int64         // times Qomon reported fewer tokens than the local bucket held
	Held     int64         // requests held at the first-answer gate until Qomon's count was known
}

// NewLimiter returns a full bucket shaped by rl.
func NewLimiter(rl RateLimit) *Limiter {
	return newLimiter(rl, realClock{})
}

func newLimiter(rl RateLimit, c clock) *Limiter {
	l := &Limiter{clock: c, disabled: rl.Disabled}
	l.auto = rl.Burst == 0 && rl.PerSecond == 0
	l.burst, l.rate = rl.Burst, rl.PerSecond
	if l.burst <= 0 || math.IsNaN(l.burst) || math.IsInf(l.burst, 0) {
		l.burst = DefaultBurst
	}
	if l.rate <= 0 || math.IsNaN(l.rate) || math.IsInf(l.rate, 0) {
		l.rate = DefaultPerSecond
	}
	l.maxBurst, l.maxRate = l.burst, l.rate
	l.zero = c.now().Add(-l.span(l.capacity()))
	return l
}

// capacity is the most the local bucket lets itself hold: the burst less a small headroom.
// While Qomon's bucket is full, the refill that accrues as the first requests of a burst travel
// to it is lost (it is capped), whereas the local bucket starts refilling the moment it
// reserves them. The headroom absorbs that difference, so that the burst following an idle
// period does not trip a 429: the refill of 50 ms of latency, at least one create's cost (half
// a second at Qomon's 10 tokens/s), at most a quarter of the burst.
func (l *Limiter) capacity() float64 {
	headroom := math.Max(costExpensive, l.rate*0.05)
	return l.burst - math.Min(headroom, l.burst/4)
}

// span is the time the bucket takes to refill n tokens.
func (l *Limiter) span(n float64) time.Duration {
	return time.Duration(n / l.rate * float64(time.Second))
}

// tokensAt is what the bucket holds at now, every reservation deducted (negative: debt).
func (l *Limiter) tokensAt(now time.Time) float64 {
	return math.Min(l.capacity(), now.Sub(l.zero).Seconds()*l.rate)
}

// Wait blocks until the bucket can pay cost tokens and no 429 pause is running, or until ctx
// ends. It fails at once, and gives the tokens back, when ctx's deadline would pass first.
//
// Wait does not take part in the first-answer gate (see Limiter): it cannot tell the limiter
// when its request has been answered. The client's own requests go through acquire.
func (l *Limiter) Wait(ctx context.Context, cost int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	now := l.clock.now()
	slot, shift0 := l.reserve(now, cost)
	l.mu.Unlock()
	return l.waitFor(ctx, now, slot, shift0, cost)
}

// noDone is the done function of a request that is not the probe.
func noDone() {}

// acquire is Wait behind the first-answer gate (see Limiter). On success the caller must call
// done once its attempt has ended, whichever way, after passing any answer's headers to
// Observe: for the probe, done opens the gate. done is a no-op for every other request, and
// safe to call more than once.
func (l *Limiter) acquire(ctx context.Context, cost int) (done func(), err error) {
	if err := ctx.Err(); err != nil {
		return noDone, err
	}
	l.mu.Lock()
	now := l.clock.now()
	if l.disabled || l.open || !l.probing {
		probe := !l.disabled && !l.open // the gate is closed and nobody probes: this one does
		if probe {
			l.probing = true
		}
		slot, shift0 := l.reserve(now, cost)
		l.mu.Unlock()
		return l.finish(ctx, now, slot, shift0, cost, probe)
	}
	h := &heldRequest{cost: cost, ready: make(chan struct{})}
	l.held = append(l.held, h)
	l.stats.Held++
	l.mu.Unlock()

	select {
	case <-h.ready:
		return l.finish(ctx, now, h.slot, h.shift0, cost, h.probe)
	case <-ctx.Done():
	}
	l.mu.Lock()
	if i := slices.Index(l.held, h); i >= 0 {
		l.held = slices.Delete(l.held, i, i+1)
		l.stats.Held--
		l.mu.Unlock()
		return noDone, ctx.Err()
	}
	l.mu.Unlock()
	// Released (or made the probe) as ctx ended: give the reservation back.
	<-h.ready
	l.cancel(h.slot, h.shift0, cost)
	if h.probe {
		l.handOff()
	}
	return noDone, ctx.Err()
}

// finish waits out a reservation made by acquire and returns its done function.
func (l *Limiter) finish(ctx context.Context, start, slot time.Time, shift0 time.Duration, cost int, probe bool) (func(), error) {
	if err := l.waitFor(ctx, start, slot, shift0, cost); err != nil {
		if probe {
			l.handOff() // it will not be sent: the next held request probes instead
		}
		return noDone, err
	}
	if !probe {
		return noDone, nil
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.openGate(l.clock.now())
		})
	}, nil
}

// openGate opens the first-answer gate for good and reserves the held requests' tokens in
// their arrival order. The caller holds l.mu.
func (l *Limiter) openGate(now time.Time) {
	if l.open {
		return
	}
	l.open, l.probing = true, false
	for _, h := range l.held {
		h.slot, h.shift0 = l.reserve(now, h.cost)
		close(h.ready)
	}
	l.held = nil
}

// handOff gives the probe's role, when the probe gave up before being sent, to the first held
// request, or frees it for the next request to arrive.
func (l *Limiter) handOff() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open {
		return
	}
	l.probing = false
	if len(l.held) == 0 {
		return
	}
	h := l.held[0]
	l.held = l.held[1:]
	l.probing, h.probe = true, true
	h.slot, h.shift0 = l.reserve(l.clock.now(), h.cost)
	close(h.ready)
}

// reserve takes cost tokens from the bucket, going into debt if need be, and returns the
// instant the debt is paid and the pause shift at reservation (see waitFor). The caller holds
// l.mu. A disabled limiter reserves nothing: the zero slot.
func (l *Limiter) reserve(now time.Time, cost int) (slot time.Time, shift0 time.Duration) {
	if l.disabled {
		return time.Time{}, l.shift
	}
	if full := now.Add(-l.span(l.capacity())); l.zero.Before(full) {
		l.zero = full
	}
	l.zero = l.zero.Add(l.span(float64(cost)))
	l.stats.Requests++
	l.stats.Tokens += float64(cost)
	return l.zero, l.shift
}

// waitFor sleeps until the reservation's slot, moved back by any pause since, and the end of
// any running pause; on failure it gives the tokens back. start is when the caller arrived.
func (l *Limiter) waitFor(ctx context.Context, start, slot time.Time, shift0 time.Duration, cost int) error {
	for {
		l.mu.Lock()
		now := l.clock.now()
		target := slot.Add(l.shift - shift0)
		if l.pausedUntil.After(target) {
			target = l.pausedUntil
		}
		l.mu.Unlock()
		d := target.Sub(now)
		if d <= 0 {
			l.mu.Lock()
			l.stats.Waited += now.Sub(start)
			l.mu.Unlock()
			return nil
		}
		if deadline, ok := ctx.Deadline(); ok && deadline.Before(target) {
			l.cancel(slot, shift0, cost)
			return fmt.Errorf("waiting %s for Qomon's rate limit would pass the deadline: %w",
				d.Round(time.Millisecond), context.DeadlineExceeded)
		}
		if err := l.clock.sleep(ctx, d); err != nil {
			l.cancel(slot, shift0, cost)
			return err
		}
	}
}

// cancel gives back the tokens of a reservation nobody will use, when no later reservation
// was scheduled on top of it (those already count on their own slot).
func (l *Limiter) cancel(slot time.Time, shift0 time.Duration, cost int) {
	if slot.IsZero() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.zero.Equal(slot.Add(l.shift - shift0)) {
		l.zero = l.zero.Add(-l.span(float64(cost)))
		l.stats.Requests--
		l.stats.Tokens -= float64(cost)
	}
}

// Pause stops every caller for d, as Qomon asks with a 429's Retry-After. Qomon had too few
// tokens for the request, so the local bucket is taken as empty, and the queue of waiting
// requests moves back by the time the pause adds, keeping its order and spacing: releasing
// everyone at the pause's end would overrun Qomon's bucket, which refills only up to its burst
// however long the pause.
func (l *Limiter) Pause(d time.Duration) {
	if d <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.now()
	until := now.Add(d)
	from := now
	if l.pausedUntil.After(from) {
		from = l.pausedUntil
	}
	if !until.After(from) {
		return // a running pause already covers this one
	}
	ext := until.Sub(from)
	l.pausedUntil = until
	if l.zero.Before(now) {
		l.zero = now
	}
	l.zero = l.zero.Add(ext)
	l.shift += ext
	l.stats.Pauses++
}

// Observe aligns the bucket with the X-Ratelimit-* headers of a Qomon response:
// X-Ratelimit-Limit ("burst:100;rate:10.0") reshapes it (see RateLimit), and
// X-Ratelimit-Remaining (or X-Ratelimit-Reset, the seconds until Qomon's bucket is full) lowers
// the local count when Qomon has fewer tokens left than the client believes (another
// integration spends from the same space). The local count already deducts
// requests still in flight, so in steady state it stays below Qomon's and nothing is clamped.
// The first count seen opens the first-answer gate (see Limiter).
func (l *Limiter) Observe(h http.Header) {
	limit := h.Get("X-Ratelimit-Limit")
	remaining := h.Get("X-Ratelimit-Remaining")
	reset := h.Get("X-Ratelimit-Reset")
	if limit == "" && remaining == "" && reset == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.disabled {
		return
	}
	now := l.clock.now()
	if burst, rate, ok := parseRateLimitHeader(limit); ok {
		if !l.auto {
			burst, rate = math.Min(burst, l.maxBurst), math.Min(rate, l.maxRate)
		}
		if burst != l.burst || rate != l.rate {
			tokens := l.tokensAt(now)
			queueEnd := l.zero
			l.burst, l.rate = burst, rate
			l.zero = now.Add(-l.span(math.Min(tokens, l.capacity())))
			// Requests already queued keep the slots the old rate gave them; new ones go
			// after them, never among them.
			if queueEnd.After(now) && queueEnd.After(l.zero) {
				l.zero = queueEnd
			}
		}
	}
	// What Qomon holds: X-Ratelimit-Remaining, or else what X-Ratelimit-Reset (seconds until
	// full) implies; the lower of the two when both are there.
	serverTokens, known := math.Inf(1), false
	if r, err := strconv.ParseFloat(strings.TrimSpace(remaining), 64); err == nil && r >= 0 && !math.IsInf(r, 0) {
		serverTokens, known = r, true
	}
	if s, err := strconv.ParseFloat(strings.TrimSpace(reset), 64); err == nil && s >= 0 && !math.IsInf(s, 0) {
		serverTokens, known = math.Min(serverTokens, math.Max(0, l.burst-s*l.rate)), true
	}
	if known && l.tokensAt(now) > serverTokens {
		l.zero = now.Add(-l.span(serverTokens))
		l.stats.Clamps++
	}
	if known {
		l.openGate(now) // the held requests are now paced from Qomon's count
	}
}

// parseRateLimitHeader reads "burst:100;rate:10.0".
func parseRateLimitHeader(v string) (burst, rate float64, ok bool) {
	for part := range strings.SplitSeq(v, ";") {
		k, val, found := strings.Cut(strings.TrimSpace(part), ":")
		if !found {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || f <= 0 || math.IsInf(f, 0) {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "burst":
			burst = f
		case "rate":
			rate = f
		}
	}
	return burst, rate, burst > 0 && rate > 0
}

// Stats returns a snapshot of the counters.
func (l *Limiter) Stats() LimiterStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stats
}

// Shape returns the bucket currently applied (after any X-Ratelimit-Limit adoption).
func (l *Limiter) Shape() RateLimit {
	l.mu.Lock()
	defer l.mu.Unlock()
	return RateLimit{Burst: l.burst, PerSecond: l.rate, Disabled: l.disabled}
}

// clock is time, injectable so that tests of the limiter and of backoff need not sleep.
type clock interface {
	now() time.Time
	sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) now() time.Time { return time.Now() }

// sleep waits d or until ctx ends, whichever comes first.
func (realClock) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
