package qomon

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock whose sleeps advance time instantly; the limiter tests run in one
// goroutine, so the order of events is exact.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.advance(d)
	return nil
}

// waited returns how long Wait made the caller wait, in fake time.
func waited(t *testing.T, l *Limiter, c *fakeClock, cost int) time.Duration {
	t.Helper()
	start := c.now()
	if err := l.Wait(context.Background(), cost); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	return c.now().Sub(start)
}

func near(a, b time.Duration) bool { return math.Abs(float64(a-b)) < float64(time.Millisecond) }

func TestLimiterBurstThenRate(t *testing.T) {
	c := newFakeClock()
	l := newLimiter(RateLimit{}, c) // Qomon's bucket: 100 tokens, 10/s, 5 kept as headroom
	for i := range 19 {             // 19 creates of 5 tokens go at once
		if d := waited(t, l, c, 5); d != 0 {
			t.Fatalf("create %d waited %s with tokens left", i, d)
		}
	}
	if d := waited(t, l, c, 5); !near(d, 500*time.Millisecond) {
		t.Errorf("first create on an empty bucket waited %s, want 0.5s", d)
	}
	if d := waited(t, l, c, 1); !near(d, 100*time.Millisecond) {
		t.Errorf("a GET on an empty bucket waited %s, want 0.1s", d)
	}
	// Idle for a minute: the bucket refills to its burst, not beyond.
	c.advance(time.Minute)
	for range 95 {
		if d := waited(t, l, c, 1); d != 0 {
			t.Fatalf("GET on a refilled bucket waited %s", d)
		}
	}
	if d := waited(t, l, c, 1); !near(d, 100*time.Millisecond) {
		t.Errorf("the bucket held more than its burst: waited %s", d)
	}
}

// Reservations are served in arrival order: a cheap GET arriving after an expensive PATCH
// does not overtake it, so PATCHes are never starved by a stream of GETs. (A limiter that
// lets whoever fits go first would clear the GET after 0.1 s and the PATCH after 0.5 s.)
func TestLimiterIsFIFO(t *testing.T) {
	l := NewLimiter(RateLimit{Burst: 5, PerSecond: 10})
	ctx := context.Background()
	if err := l.Wait(ctx, 5); err != nil { // empty the bucket
		t.Fatal(err)
	}
	done := make(chan string, 2)
	go func() {
		if err := l.Wait(ctx, 5); err == nil {
			done <- "patch"
		}
	}()
	for l.Stats().Requests < 2 {
		time.Sleep(time.Millisecond)
	}
	go func() {
		if err := l.Wait(ctx, 1); err == nil {
			done <- "get"
		}
	}()
	if first, second := <-done, <-done; first != "patch" || second != "get" {
		t.Errorf("cleared %s before %s", first, second)
	}
}

func TestLimiterPauseStopsEveryone(t *testing.T) {
	c := newFakeClock()
	l := newLimiter(RateLimit{}, c)
	l.Pause(2 * time.Second)
	// The bucket is taken as empty at the end of the pause: Retry-After only promises Qomon
	// will have enough for one request by then. Requests go at the refill rate from there.
	if d := waited(t, l, c, 1); !near(d, 2100*time.Millisecond) {
		t.Errorf("waited %s during a 2s pause", d)
	}
	if d := waited(t, l, c, 1); !near(d, 100*time.Millisecond) {
		t.Errorf("waited %s after the pause", d)
	}
	// A shorter pause does not shorten a running one; a longer one extends it.
	l.Pause(3 * time.Second)
	l.Pause(time.Second)
	if d := waited(t, l, c, 1); !near(d, 3100*time.Millisecond) {
		t.Errorf("waited %s, want the longer pause", d)
	}
}

// Regression: a pause used to release, at its end, every request queued during it, all at
// once, tripping Qomon's bucket (which refills only to its burst) into a 429 storm. The queue
// now keeps its spacing across the pause.
func TestLimiterPauseKeepsTheQueueSpaced(t *testing.T) {
	l := NewLimiter(RateLimit{Burst: 10, PerSecond: 100}) // 5 creates of 5 tokens per 50 ms
	ctx := context.Background()
	for range 2 { // empty the bucket (9.5 usable tokens)
		if err := l.Wait(ctx, 5); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	var mu sync.Mutex
	var released []time.Duration
	var wg sync.WaitGroup
	for range 8 { // queued at 50 ms intervals
		wg.Go(func() {
			if err := l.Wait(ctx, 5); err != nil {
				t.Error(err)
			}
			mu.Lock()
			released = append(released, time.Since(start))
			mu.Unlock()
		})
	}
	for l.Stats().Requests < 10 {
		time.Sleep(time.Millisecond)
	}
	l.Pause(300 * time.Millisecond) // a 429 arrives while they wait
	wg.Wait()
	slices.Sort(released)
	// 8 creates of 5 tokens at 100 tokens/s, each 50 ms after the other, pushed back by the
	// 0.3 s pause: about 0.35, 0.40, ... 0.70 s. A herd releases most of them together at
	// 0.3 s. Scheduling jitter can only delay a release, so count the early ones.
	early := 0
	for _, r := range released {
		if r < 430*time.Millisecond {
			early++
		}
	}
	if early > 2 || released[len(released)-1] < 600*time.Millisecond {
		t.Errorf("released at %v: the queue did not keep its spacing", released)
	}
}

func TestLimiterFollowsRemainingHeader(t *testing.T) {
	c := newFakeClock()
	l := newLimiter(RateLimit{}, c)
	h := http.Header{}
	h.Set("X-Ratelimit-Remaining", "10") // another integration spent 90 tokens
	l.Observe(h)
	waited(t, l, c, 5)
	waited(t, l, c, 5)
	if d := waited(t, l, c, 5); !near(d, 500*time.Millisecond) {
		t.Errorf("waited %s; the server said only 10 tokens were left", d)
	}
	if s := l.Stats(); s.Clamps != 1 {
		t.Errorf("clamps = %d", s.Clamps)
	}
	// A server reporting more than the client holds changes nothing: in-flight requests
	// already count locally but not yet there.
	h.Set("X-Ratelimit-Remaining", "100")
	l.Observe(h)
	if d := waited(t, l, c, 1); !near(d, 100*time.Millisecond) {
		t.Errorf("waited %s; a higher remaining must not add tokens", d)
	}
}

func TestLimiterFollowsResetHeader(t *testing.T) {
	c := newFakeClock()
	l := newLimiter(RateLimit{}, c)
	h := http.Header{}
	h.Set("X-Ratelimit-Reset", "9") // 9 s until full at 10/s: 10 tokens left
	l.Observe(h)
	waited(t, l, c, 5)
	waited(t, l, c, 5)
	if d := waited(t, l, c, 5); !near(d, 500*time.Millisecond) {
		t.Errorf("waited %s; the server's reset said 10 tokens were left", d)
	}
	// Both headers: the lower count wins.
	l = newLimiter(RateLimit{}, c)
	h.Set("X-Ratelimit-Remaining", "50")
	h.Set("X-Ratelimit-Reset", "9.5") // 5 tokens
	l.Observe(h)
	waited(t, l, c, 5)
	if d := waited(t, l, c, 5); !near(d, 500*time.Millisecond) {
		t.Errorf("waited %s; the lower of remaining and reset is 5 tokens", d)
	}
}

func TestLimiterAdoptsAdvertisedBucket(t *testing.T) {
	h := http.Header{}
	h.Set("X-Ratelimit-Limit", "burst:40;rate:400.0")
	c := newFakeClock()
	auto := newLimiter(RateLimit{}, c)
	auto.Observe(h)
	if got := auto.Shape(); got.Burst != 40 || got.PerSecond != 400 {
		t.Errorf("default limiter did not follow the advertised bucket: %+v", got)
	}
	explicit := newLimiter(RateLimit{Burst: 100, PerSecond: 10}, c)
	explicit.Observe(h)
	if got := explicit.Shape(); got.Burst != 40 || got.PerSecond != 10 {
		t.Errorf("explicit limits are a ceiling; got %+v", got)
	}
	for _, bad := range []string{"", "burst:;rate:x", "rate:5", "burst:-1;rate:5", "nonsense"} {
		l := newLimiter(RateLimit{}, c)
		h.Set("X-Ratelimit-Limit", bad)
		l.Observe(h)
		if got := l.Shape(); got.Burst != DefaultBurst || got.PerSecond != DefaultPerSecond {
			t.Errorf("%q changed the bucket to %+v", bad, got)
		}
	}
}

func TestLimiterCancelAndDeadline(t *testing.T) {
	c := newFakeClock()
	l := newLimiter(RateLimit{Burst: 1, PerSecond: 1}, c)
	waited(t, l, c, 1) // bucket now empty
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Wait(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait returned %v", err)
	}
	dctx, dcancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer dcancel()
	if err := l.Wait(dctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("wait past the deadline returned %v", err)
	}
	// A deadline that the wait would pass fails at once and gives the tokens back.
	c2 := newFakeClock()
	l2 := newLimiter(RateLimit{Burst: 1, PerSecond: 1}, c2)
	waited(t, l2, c2, 1)
	short, scancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer scancel()
	if err := l2.Wait(short, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("wait that cannot meet its deadline returned %v", err)
	}
	if d := waited(t, l2, c2, 1); !near(d, time.Second) {
		t.Errorf("next waiter waited %s: the abandoned reservation was not returned", d)
	}
}

func TestLimiterDisabled(t *testing.T) {
	c := newFakeClock()
	l := newLimiter(RateLimit{Disabled: true}, c)
	for range 1000 {
		if d := waited(t, l, c, 5); d != 0 {
			t.Fatalf("disabled limiter waited %s", d)
		}
	}
	l.Pause(time.Second) // Qomon's Retry-After still applies
	if d := waited(t, l, c, 1); !near(d, time.Second) {
		t.Errorf("disabled limiter ignored a 429 pause: waited %s", d)
	}
}

func TestCostOf(t *testing.T) {
	cases := map[string]int{
		"POST /contacts": 5, "PATCH /contacts/12": 5, "GET /contacts/12": 1, "DELETE /contacts/12": 1,
		"POST /search": 1, "GET /v1/forms/type/consent": 1, "GET /forms/3": 1, "POST /contacts/upsert": 1,
	}
	for req, want := range cases {
		method, path, _ := strings.Cut(req, " ")
		if got := costOf(method, path); got != want {
			t.Errorf("%s costs %d, want %d", req, got, want)
		}
	}
}

// bucketServer is an httptest Qomon stand-in with Qomon's bucket semantics: it answers 429
// with Retry-After when a request costs more than it holds, and reports X-Ratelimit-*.
type bucketServer struct {
	burst, rate float64

	mu       sync.Mutex
	tokens   float64
	last     time.Time
	spent    float64
	ok, r429 int
	first    time.Time
	lastOK   time.Time
	created  atomic.Int64
}

func newBucketServer(burst, rate float64) *bucketServer {
	return &bucketServer{burst: burst, rate: rate, tokens: burst, last: time.Now()}
}

func (b *bucketServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cost := float64(costOf(r.Method, r.URL.Path))
	b.mu.Lock()
	now := time.Now()
	b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.first.IsZero() {
		b.first = now
	}
	w.Header().Set("X-Ratelimit-Limit", fmt.Sprintf("burst:%g;rate:%g", b.burst, b.rate))
	if b.tokens < cost {
		b.r429++
		retry := math.Ceil((cost - b.tokens) / b.rate)
		b.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(int(retry)))
		w.Header().Set("X-Ratelimit-Remaining", "0")
		http.Error(w, `{"title":"Too Many Requests","status":429}`, http.StatusTooManyRequests)
		return
	}
	b.tokens -= cost
	b.spent += cost
	b.ok++
	b.lastOK = now
	w.Header().Set("X-Ratelimit-Remaining", strconv.Itoa(int(math.Floor(b.tokens))))
	w.Header().Set("X-Ratelimit-Cost", strconv.Itoa(int(cost)))
	b.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	id := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/contacts"), "/")
	if id == "" { // a create
		id = strconv.Itoa(int(b.created.Add(1)))
	}
	fmt.Fprintf(w, `{"status":"success","data":{"contact":{"id":%s,"firstname":"x"}}}`, id)
}

// rateLimited is the number of 429s answered so far.
func (b *bucketServer) rateLimited() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.r429
}

// The goal of issue 7: a large apply keeps the bucket's ceiling busy (>= 95 %) and never
// trips it. Ten workers mixing GETs (1 token) and PATCHes (5 tokens) run against a server
// with Qomon's bucket semantics, scaled up 20x so that the test takes about 2 seconds.
func TestLimiterKeepsBucketBusyWithoutTripping(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about two seconds")
	}
	const burst, rate, run = 100, 200, 2 * time.Second
	srv := newBucketServer(burst, rate)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client, err := New(Config{Endpoint: ts.URL, Token: "t", RateLimit: RateLimit{Burst: burst, PerSecond: rate}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	deadline := time.Now().Add(run)
	var wg sync.WaitGroup
	var failures atomic.Int64
	for w := range 10 {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				id := int64(w*100000 + i + 1)
				var err error
				if i%2 == 0 {
					_, err = client.UpdateContact(ctx, id, Contact{Firstname: Some("x")})
				} else {
					_, err = client.GetContact(ctx, id)
				}
				if err != nil {
					failures.Add(1)
				}
			}
		})
	}
	wg.Wait()
	srv.mu.Lock()
	defer srv.mu.Unlock()
	elapsed := srv.lastOK.Sub(srv.first).Seconds()
	ceiling := burst + rate*elapsed
	utilisation := srv.spent / ceiling
	t.Logf("%d requests, %.0f tokens in %.2fs, ceiling %.0f tokens: %.1f%% of the ceiling, %d 429s",
		srv.ok, srv.spent, elapsed, ceiling, 100*utilisation, srv.r429)
	if srv.r429 != 0 {
		t.Errorf("the server answered %d 429s", srv.r429)
	}
	if failures.Load() != 0 {
		t.Errorf("%d requests failed", failures.Load())
	}
	if utilisation < 0.95 {
		t.Errorf("used %.1f%% of the bucket's ceiling, want >= 95%%", 100*utilisation)
	}
}

// BenchmarkLimiterWait measures the limiter's own cost per request when tokens are available.
func BenchmarkLimiterWait(b *testing.B) {
	l := NewLimiter(RateLimit{Burst: 1e12, PerSecond: 1e12})
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := l.Wait(ctx, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A new provider process starts with a limiter that knows nothing of the space's bucket:
// Terraform starts one per walk, so an apply of a saved plan right after its plan, or two
// commands in a row, used to send a first wave of -parallelism requests into the bucket the
// previous process had emptied (measured: 5 429s at once, then one more after the pause). The
// first request now goes alone and the others wait for its X-Ratelimit-Remaining.
func TestLimiterFirstWaveAfterADrainedBucket(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about two seconds")
	}
	// Qomon's bucket at 5 times its rate, so that the test takes a second or two.
	srv := newBucketServer(DefaultBurst, 5*DefaultPerSecond)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	newClient := func() *Client {
		c, err := New(Config{Endpoint: ts.URL, Token: "t", Retry: Retry{MaxRetries: DefaultMaxRetries}}) // the provider's defaults
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	run := func(workers int, work func(w int) error) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() { errs <- work(w) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
	}
	// The previous process: 20 creates, 100 tokens, the whole bucket.
	previous := newClient()
	run(10, func(w int) error {
		for range 2 {
			if _, err := previous.CreateContact(ctx, Contact{Surname: Some("Drain")}); err != nil {
				return err
			}
		}
		return nil
	})
	before := srv.rateLimited()
	// The next process: 10 workers, each a read then an update (20 GETs, 20 PATCHes).
	next := newClient()
	start := time.Now()
	run(10, func(w int) error {
		for i := range 2 {
			id := int64(w*10 + i + 1)
			if _, err := next.GetContact(ctx, id); err != nil {
				return err
			}
			if _, err := next.UpdateContact(ctx, id, Contact{Firstname: Some("x")}); err != nil {
				return err
			}
		}
		return nil
	})
	got := srv.rateLimited() - before
	t.Logf("the drained bucket answered %d 429s to the next process (in %s; %d while draining it)",
		got, time.Since(start).Round(time.Millisecond), before)
	if got != 0 {
		t.Errorf("the next process collected %d 429s, want none", got)
	}
}

// within fails the test unless ch yields within d: a gate left closed hangs, it does not fail.
func within[T any](t *testing.T, d time.Duration, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(d):
		t.Fatalf("%s: still waiting after %s", what, d)
		panic("unreachable")
	}
}

// eventually polls cond for up to two seconds.
func eventually(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
	}
}

// The first request of a fresh client goes alone; the others are held until its attempt has
// ended, whichever way it ends, and then all go. Each case holds the probe's answer at the
// server until the others are seen held.
func TestFirstAnswerGateOpensOnEveryPath(t *testing.T) {
	withBucket := func(h http.HandlerFunc) http.HandlerFunc {
		return withHeader("X-Ratelimit-Remaining", "80", withHeader("X-Ratelimit-Limit", "burst:100;rate:1000.0", h))
	}
	cases := []struct {
		name     string
		probe    http.HandlerFunc // the answer to the first request
		rest     http.HandlerFunc // every later answer
		wantErrs int
	}{
		{"answer with the bucket's count", withBucket(reply(200, contactAnswer(7))), withBucket(reply(200, contactAnswer(7))), 0},
		{"bucket's count on a 429", withHeader("X-Ratelimit-Remaining", "0", withHeader("X-Ratelimit-Limit", "burst:100;rate:1000.0",
			withHeader("Retry-After", "0", reply(429, `{"title":"Too Many Requests"}`)))),
			withBucket(reply(200, contactAnswer(7))), 0},
		{"server that never sends the headers", reply(200, contactAnswer(7)), reply(200, contactAnswer(7)), 0},
		{"only X-Ratelimit-Limit", withHeader("X-Ratelimit-Limit", "burst:100;rate:10.0", reply(200, contactAnswer(7))),
			withHeader("X-Ratelimit-Limit", "burst:100;rate:10.0", reply(200, contactAnswer(7))), 0},
		{"503 without headers, then retried", reply(503, `upstream unavailable`), withBucket(reply(200, contactAnswer(7))), 0},
		{"404 without headers", reply(404, `{"title":"Not Found","status":404}`), reply(200, contactAnswer(7)), 1},
		{"transport error, then retried", resetConnection, withBucket(reply(200, contactAnswer(7))), 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			release := make(chan struct{})
			srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
				<-release
				tc.probe(w, r)
			}, tc.rest)
			c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.RateLimit = RateLimit{} })
			const n = 10
			errs := make(chan error, n)
			for range n {
				go func() { _, err := c.GetContact(context.Background(), 7); errs <- err }()
			}
			eventually(t, func() bool { return c.limiter.Stats().Held == n-1 && len(srv.seen()) == 1 }, "nine requests held behind the first")
			time.Sleep(20 * time.Millisecond)
			if got := len(srv.seen()); got != 1 {
				t.Fatalf("%d requests reached the server before the first was answered", got)
			}
			close(release)
			failed := 0
			for range n {
				if err := within(t, 5*time.Second, errs, "a request held at the gate"); err != nil {
					failed++
				}
			}
			if failed != tc.wantErrs {
				t.Errorf("%d requests failed, want %d", failed, tc.wantErrs)
			}
			// The gate is open for good: a second wave goes at once, nobody held.
			for range n {
				go func() { _, err := c.GetContact(context.Background(), 7); errs <- err }()
			}
			for range n {
				_ = within(t, 5*time.Second, errs, "the second wave") // answered as the first wave was; only that it finishes matters
			}
			if s := c.limiter.Stats(); s.Held != n-1 {
				t.Errorf("held %d requests in all, want %d (the first wave only)", s.Held, n-1)
			}
		})
	}
}

// A request held at the gate returns as soon as its context ends; a probe that gives up before
// it is sent hands its role to the next held request instead of releasing everyone.
func TestFirstAnswerGateCancellation(t *testing.T) {
	t.Run("held request cancelled", func(t *testing.T) {
		release := make(chan struct{})
		srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
			<-release
			withHeader("X-Ratelimit-Remaining", "90", reply(200, contactAnswer(7)))(w, r)
		})
		c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.RateLimit = RateLimit{} })
		probe := make(chan error, 1)
		go func() { _, err := c.GetContact(context.Background(), 7); probe <- err }()
		eventually(t, func() bool { return len(srv.seen()) == 1 }, "the probe sent")

		other := make(chan error, 1)
		go func() { _, err := c.GetContact(context.Background(), 7); other <- err }()
		eventually(t, func() bool { return c.limiter.Stats().Held == 1 }, "a request held")
		ctx, cancel := context.WithCancel(context.Background())
		held := make(chan error, 1)
		go func() { _, err := c.GetContact(ctx, 7); held <- err }()
		eventually(t, func() bool { return c.limiter.Stats().Held == 2 }, "a second request held")
		start := time.Now()
		cancel()
		if err := within(t, time.Second, held, "the cancelled request"); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled while held: %v", err)
		}
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("returned %s after the cancel", d)
		}
		deadlineCtx, dcancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer dcancel()
		if _, err := c.GetContact(deadlineCtx, 7); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("deadline while held: %v", err)
		}
		if got := c.limiter.Stats().Held; got != 1 {
			t.Errorf("held = %d after two gave up, want 1", got)
		}
		close(release)
		if err := within(t, 5*time.Second, probe, "the probe"); err != nil {
			t.Error(err)
		}
		if err := within(t, 5*time.Second, other, "the request still held"); err != nil {
			t.Error(err)
		}
		if got := len(srv.seen()); got != 2 {
			t.Errorf("the server saw %d requests, want 2 (the cancelled ones were never sent)", got)
		}
		if s := c.limiter.Stats(); s.Requests != 2 || s.Tokens != 2 {
			t.Errorf("%d reservations for %g tokens, want 2 for 2", s.Requests, s.Tokens)
		}
	})

	t.Run("probe cancelled before it is sent", func(t *testing.T) {
		l := NewLimiter(RateLimit{})
		l.Pause(150 * time.Millisecond) // keeps the probe in the limiter
		ctx, cancel := context.WithCancel(context.Background())
		first := make(chan error, 1)
		go func() { _, err := l.acquire(ctx, 1); first <- err }()
		eventually(t, func() bool { return l.Stats().Requests == 1 }, "the probe reserved")
		type result struct {
			done func()
			err  error
		}
		second := make(chan result, 1)
		go func() { done, err := l.acquire(context.Background(), 1); second <- result{done, err} }()
		eventually(t, func() bool { return l.Stats().Held == 1 }, "the second request held")
		cancel()
		if err := within(t, time.Second, first, "the cancelled probe"); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled probe: %v", err)
		}
		// The second request is the probe now: it waits out the pause, goes, and a third
		// request is held behind it until its done.
		r := within(t, time.Second, second, "the new probe")
		if r.err != nil {
			t.Fatal(r.err)
		}
		third := make(chan error, 1)
		go func() {
			done, err := l.acquire(context.Background(), 1)
			done()
			third <- err
		}()
		eventually(t, func() bool { return l.Stats().Held == 2 }, "the third request held behind the new probe")
		r.done()
		r.done() // idempotent
		if err := within(t, time.Second, third, "the third request"); err != nil {
			t.Error(err)
		}
	})

	t.Run("context already cancelled", func(t *testing.T) {
		l := NewLimiter(RateLimit{})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := l.acquire(ctx, 1); !errors.Is(err, context.Canceled) {
			t.Errorf("got %v", err)
		}
		done, err := l.acquire(context.Background(), 1) // the probe's role is still free
		if err != nil {
			t.Fatal(err)
		}
		done()
	})
}

// Held requests are released in arrival order once Qomon's count is known, and paced from it:
// an expensive PATCH that arrived first is not overtaken by a GET.
func TestFirstAnswerGateKeepsFIFOAndPacesFromQomonsCount(t *testing.T) {
	l := NewLimiter(RateLimit{Burst: 100, PerSecond: 100})
	done, err := l.acquire(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	order := make(chan string, 3)
	for i, req := range []struct {
		name string
		cost int
	}{{"patch", 5}, {"get", 1}, {"patch2", 5}} {
		go func() {
			d, err := l.acquire(context.Background(), req.cost)
			if err != nil {
				t.Error(err)
			}
			d()
			order <- req.name
		}()
		eventually(t, func() bool { return l.Stats().Held == int64(i+1) }, req.name+" held")
	}
	start := time.Now()
	h := http.Header{}
	h.Set("X-Ratelimit-Remaining", "0") // the previous process emptied the bucket
	l.Observe(h)
	got := []string{<-order, <-order, <-order}
	elapsed := time.Since(start)
	done() // after the gate opened: a no-op
	if !slices.Equal(got, []string{"patch", "get", "patch2"}) {
		t.Errorf("released in the order %v", got)
	}
	// 11 tokens from an empty bucket at 100 tokens/s.
	if elapsed < 100*time.Millisecond {
		t.Errorf("released in %s: not paced from Qomon's count of 0", elapsed)
	}
}

// A disabled limiter has no gate: nobody is held, nobody has to report.
func TestFirstAnswerGateDisabled(t *testing.T) {
	l := NewLimiter(RateLimit{Disabled: true})
	for range 100 {
		if _, err := l.acquire(context.Background(), 5); err != nil {
			t.Fatal(err)
		}
	}
	if s := l.Stats(); s.Held != 0 {
		t.Errorf("held %d", s.Held)
	}
}

// Run under -race: many fresh limiters, each met by a crowd whose requests end every way at
// once (answer with or without the count, cancelled while held or while probing, done called
// twice), with Observe and Pause racing the gate. Every request must return.
func TestFirstAnswerGateConcurrency(t *testing.T) {
	var held, cancelled atomic.Int64
	for round := range 50 {
		l := NewLimiter(RateLimit{Burst: 1e6, PerSecond: 1e6})
		var wg sync.WaitGroup
		for g := range 20 {
			wg.Go(func() {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				if g%4 == 1 {
					go func() { time.Sleep(time.Duration(g) * 100 * time.Microsecond); cancel() }()
				}
				done, err := l.acquire(ctx, 1+g%5)
				if err != nil {
					cancelled.Add(1)
					return
				}
				time.Sleep(time.Duration(1+g%3) * 200 * time.Microsecond) // the answer's round trip
				h := http.Header{}
				switch (round + g) % 3 {
				case 0:
					h.Set("X-Ratelimit-Remaining", "1000")
				case 1:
					l.Pause(time.Microsecond)
				}
				l.Observe(h)
				done()
				done()
			})
		}
		finished := make(chan struct{})
		go func() { wg.Wait(); close(finished) }()
		within(t, 10*time.Second, finished, fmt.Sprintf("round %d", round))
		l.mu.Lock()
		if len(l.held) != 0 {
			t.Errorf("round %d: %d requests left held", round, len(l.held))
		}
		l.mu.Unlock()
		held.Add(l.Stats().Held)
	}
	t.Logf("%d requests held at a gate, %d cancelled", held.Load(), cancelled.Load())
}
