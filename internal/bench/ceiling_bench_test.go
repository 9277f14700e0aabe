package bench

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// BenchmarkClientCeiling measures the client's pacing alone, without a CLI: ten goroutines (the
// CLI's default -parallelism) create contacts through one client whose bucket matches the
// simulator's (burst 100, cost 5 per create, refill scaled to 1000 tokens/s). Each iteration
// spends 1100 tokens, one burst plus one second of refill. It reports the fraction of the
// bucket's ceiling achieved between the first and the last request, and the 429s received:
// pacing that is too cautious shows as a fraction below 1, pacing that is too eager as 429s.
func BenchmarkClientCeiling(b *testing.B) {
	const (
		burst, rate = 100.0, 1000.0
		workers     = 10
		perIter     = 220 // creates: 1100 tokens
	)
	shape := qomonsim.RateLimit{Burst: burst, PerSecond: rate}
	sim, url := qomonsim.NewTestServer(b, qomonsim.Options{Tokens: []string{benchToken}, RateLimit: shape})
	c, err := qomon.New(qomon.Config{Endpoint: url, Token: benchToken, UserAgent: "bench",
		RateLimit: qomon.RateLimit{Burst: burst, PerSecond: rate},
		Retry:     qomon.Retry{MaxRetries: 4, MinWait: 50 * time.Millisecond, MaxWait: time.Second}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var fractions []float64
	total429 := 0
	next := 0
	for b.Loop() {
		// Start each iteration from a full bucket on both sides, as a new command would.
		b.StopTimer()
		time.Sleep(time.Duration(burst/rate*float64(time.Second)) + 50*time.Millisecond)
		sim.ResetRequests()
		b.StartTimer()

		jobs := make(chan int)
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range jobs {
					if _, err := c.CreateContact(ctx, wireContact(i)); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		for i := 0; i < perIter; i++ {
			jobs <- next
			next++
		}
		close(jobs)
		wg.Wait()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}

		var first, last time.Time
		tokens := 0
		for _, r := range sim.Requests() {
			if r.RateLimited {
				total429++
				continue
			}
			tokens += r.Cost
			if first.IsZero() || r.Time.Before(first) {
				first = r.Time
			}
			if r.Time.After(last) {
				last = r.Time
			}
		}
		fractions = append(fractions, float64(tokens)/(burst+rate*last.Sub(first).Seconds()))
	}
	b.ReportMetric(median(fractions), "ceiling-fraction")
	b.ReportMetric(float64(total429)/float64(len(fractions)), "429s/op")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
