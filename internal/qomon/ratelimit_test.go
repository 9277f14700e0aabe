package qomon

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// The pure limiter tests run in a synctest bubble: time is fake and moves only when every
// goroutine of the test waits, so waits are measured exactly and cost nothing.

// waited returns how long acquiring cost tokens took, in the bubble's time.
func waited(t *testing.T, l *Limiter, cost int) time.Duration {
	t.Helper()
	start := time.Now()
	if err := l.wait(context.Background(), cost); err != nil {
		t.Fatalf("wait: %v", err)
	}
	return time.Since(start)
}

func TestLimiterBurstThenRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := (NewLimiter(RateLimit{})) // Qomon's bucket: 100 tokens, 10/s, 5 kept as headroom
		for i := range 19 {
			if d := waited(t, l, WriteCost); d != 0 {
				t.Fatalf("create %d of the first 95 tokens waited %s", i, d)
			}
		}
		if d := waited(t, l, WriteCost); d != 500*time.Millisecond {
			t.Errorf("the create after the burst waited %s, want 500ms (5 tokens at 10/s)", d)
		}
		if d := waited(t, l, costDefault); d != 100*time.Millisecond {
			t.Errorf("a read then waited %s, want 100ms", d)
		}
	})
}

func TestLimiterPauseStopsEveryoneAndEmptiesTheBucket(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := (NewLimiter(RateLimit{Burst: 100, PerSecond: 10}))
		l.Pause(2 * time.Second)
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				if d := waited(t, l, costDefault); d < 2*time.Second {
					t.Errorf("a request went out %s into a 2 s pause", d)
				}
			})
		}
		wg.Wait()
		// After 2 s the bucket has refilled 20 tokens, 3 of which the requests above took.
		if d := waited(t, l, 17); d != 0 {
			t.Errorf("the refill of the pause was not available: waited %s", d)
		}
		if d := waited(t, l, costDefault); d != 100*time.Millisecond {
			t.Errorf("the bucket held more than the pause's refill: waited %s", d)
		}
	})
}

// A request that reserved its slot before a pause does not go out inside it, and takes a new
// slot after it.
func TestLimiterPauseVoidsEarlierSlots(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := (NewLimiter(RateLimit{Burst: 20, PerSecond: 10})) // capacity 15
		waited(t, l, 15)
		done := make(chan time.Duration)
		go func() { done <- waited(t, l, WriteCost) }() // due at 500ms
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		l.Pause(time.Second) // until 1.1 s, the bucket empty from 0.1 s
		if d := <-done; d < 1100*time.Millisecond {
			t.Errorf("a request reserved before the pause went out after %s, inside it", d)
		}
	})
}

func TestLimiterFollowsQomonsCount(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := func(key, value string) http.Header { return http.Header{key: {value}} }
		l := NewLimiter(RateLimit{})
		l.Observe(h("X-Ratelimit-Remaining", "10"))
		if d := waited(t, l, 10); d != 0 {
			t.Errorf("the 10 tokens Qomon reported were not available: waited %s", d)
		}
		if d := waited(t, l, 1); d != 100*time.Millisecond {
			t.Errorf("the local bucket held more than Qomon reported: waited %s", d)
		}
		// X-Ratelimit-Reset: 9 s until full, so 100 - 90 = 10 tokens now.
		l = NewLimiter(RateLimit{})
		l.Observe(h("X-Ratelimit-Reset", "9"))
		if d := waited(t, l, 11); d != 100*time.Millisecond {
			t.Errorf("after Reset: 9, 11 tokens waited %s, want 100ms", d)
		}
		// A count above the local one changes nothing: the local count deducts requests in flight.
		l = (NewLimiter(RateLimit{}))
		waited(t, l, 50)
		l.Observe(h("X-Ratelimit-Remaining", "100"))
		if d := waited(t, l, 46); d != 100*time.Millisecond {
			t.Errorf("a higher count from Qomon raised the local one: waited %s", d)
		}
	})
}

func TestLimiterFollowsAnAdvertisedBucketOnlyDownwards(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for _, tc := range []struct {
			header      string
			burst, rate float64
		}{
			{"burst:40;rate:5.0", 40, 5},
			{"burst:400;rate:50.0", 100, 10}, // the configured bucket is a ceiling
			{" Burst: 40 ; Rate: 5 ", 40, 5},
			{"rate:5.0;burst:40;window:60", 40, 5},
			{"40/5", 100, 10},
			{"burst:40", 100, 10},
			{"burst:-1;rate:5", 100, 10},
			{"burst:NaN;rate:Inf", 100, 10},
			{"", 100, 10},
		} {
			l := NewLimiter(RateLimit{Burst: 100, PerSecond: 10})
			l.Observe(http.Header{"X-Ratelimit-Limit": {tc.header}})
			if l.burst != tc.burst || l.rate != tc.rate {
				t.Errorf("X-Ratelimit-Limit %q: bucket %g/%g, want %g/%g", tc.header, l.burst, l.rate, tc.burst, tc.rate)
			}
			if got := float64(l.lim.Limit()); got != tc.rate {
				t.Errorf("X-Ratelimit-Limit %q: the rate.Limiter refills %g/s, want %g", tc.header, got, tc.rate)
			}
		}
	})
}

func TestLimiterCancelAndDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := (NewLimiter(RateLimit{Burst: 5, PerSecond: 1}))
		waited(t, l, 5)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := l.wait(ctx, 1); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled: %v", err)
		}
		short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		if err := l.wait(short, 5); err == nil {
			t.Error("a wait of 5 s within a 100 ms deadline succeeded")
		}
		if d := time.Since(start); d != 0 {
			t.Errorf("a wait that cannot meet the deadline took %s to fail", d)
		}
		l.Pause(time.Minute)
		if err := l.wait(short, 1); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("a pause past the deadline: %v", err)
		}
	})
}

func TestLimiterDisabledStillHonoursPauses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(RateLimit{Disabled: true})
		for range 100 {
			if d := waited(t, l, WriteCost); d != 0 {
				t.Fatalf("a disabled limiter made a request wait %s", d)
			}
		}
		l.Pause(3 * time.Second)
		if d := waited(t, l, 1); d != 3*time.Second {
			t.Errorf("a disabled limiter waited %s after a 429's 3 s Retry-After", d)
		}
	})
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
	if r.URL.Path == "/kpi" {
		fmt.Fprint(w, `{"status":"success","data":{"total":0}}`)
		return
	}
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

// The goal of pacing: a large apply keeps the bucket's ceiling busy (>= 95 %) and never
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

// A new provider process starts with a limiter that knows nothing of the space's bucket:
// Terraform starts one per walk, so an apply of a saved plan right after its plan, or two
// commands in a row, used to send a first wave of -parallelism requests into the bucket the
// previous process had emptied (measured: 5 429s at once, then one more after the pause). The
// provider's first request is its configuration check (Probe), alone, and its answer's
// X-Ratelimit-Remaining paces the wave that follows.
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
	// The next process: the provider's configuration check, then 10 workers, each a read then
	// an update (20 GETs, 20 PATCHes).
	next := newClient()
	start := time.Now()
	if _, err := next.Probe(ctx); err != nil {
		t.Fatal(err)
	}
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

// BenchmarkLimiterWait is the pacing bookkeeping per request when the bucket never makes anyone
// wait, from many goroutines at once (the CLI's -parallelism): the limiter's lock, not its sleeps.
func BenchmarkLimiterWait(b *testing.B) {
	l := NewLimiter(RateLimit{Burst: 1e12, PerSecond: 1e12})
	ctx := context.Background()
	b.ReportAllocs()
	b.SetParallelism(10)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := l.wait(ctx, WriteCost); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
