package bench

import (
	"fmt"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// BenchmarkCLIBulkRefresh is the refresh suite at Qomon's own bucket (100 tokens, 10 per
// second, for the simulator and the provider's pacing alike): a no-change `plan` of N managed
// contacts in a Qomon space of `space` contacts, with the provider's refresh_mode. Each op
// seeds the space's other contacts, applies the N contacts with the bucket off (untimed),
// then refills the bucket and times the plan. The simulator answers a search page of 1,000
// in a second, as Qomon does, so a sweep costs its real time too.
//
// The cases are the targets of BENCHMARKS.md: 2,000 of 20,000 (a sweep: at most 30 s and 50
// tokens), 20 of 100,000 under auto and get (auto must cost no more tokens than the GETs), and
// a space of 50,000 for the provider's memory (provider-peak-MiB, at most 100).
//
// tokens/op leaves out the configuration check (POST /kpi, one per provider process) as the
// other suites do; all-tokens/op counts it.
func BenchmarkCLIBulkRefresh(b *testing.B) {
	qomonRate := qomonsim.RateLimit{Burst: qomonBurst, PerSecond: qomonPerSecond}
	off := qomonsim.RateLimit{Disabled: true}
	for _, c := range []struct {
		n, space int
		mode     string
	}{
		{2000, 20000, "auto"},
		{20, 100000, "auto"},
		{20, 100000, "get"},
		{200, 50000, "auto"},
	} {
		b.Run(fmt.Sprintf("n=%d/space=%d/mode=%s", c.n, c.space, c.mode), func(b *testing.B) {
			rep := report{}
			for range b.N {
				w := newWorkspace(b, off, true)
				w.sim.Configure(func(o *qomonsim.Options) { o.SearchPageTime = time.Second })
				seedSpace(b, w.sim, c.space-c.n)
				w.writeConfig(c.n, off)
				w.untimed(w.apply)
				w.checkStoredSpace(c.space)
				w.sim.Configure(func(o *qomonsim.Options) { o.RateLimit = qomonRate }) // a full bucket
				w.writeConfig(c.n, qomonRate)
				w.setRefreshMode(c.mode)
				w.sim.ResetRequests()
				w.measure(w.planNoChanges)
				rep.add(w.last)
				reqs := w.sim.Requests()
				rep.addRequests(reqs, qomonRate)
				// A plan of a few dozen requests never nears the bucket's ceiling: the
				// fractions of the ceiling suite mean nothing here (window-sec, the time from
				// the first request to the last, is Qomon's share of the plan).
				delete(rep, "ceiling-fraction")
				delete(rep, "steady-fraction")
				all := 0
				for _, r := range reqs {
					if !r.RateLimited {
						all += r.Cost
					}
				}
				rep["all-tokens/op"] += float64(all)
			}
			rep.emit(b)
		})
	}
}

// seedSpace stores n contacts that the configuration does not manage, as people who use the
// Qomon app would have, without requests or tokens.
func seedSpace(b *testing.B, sim *qomonsim.Server, n int) {
	b.Helper()
	for i := range n {
		if _, err := sim.TrySeedContact(map[string]any{"firstname": "Dominique", "surname": fmt.Sprintf("Other %06d", i),
			"mail": fmt.Sprintf("other.%07d@example.org", i)}); err != nil {
			b.Fatalf("seeding contact %d of the space: %v", i, err)
		}
	}
}

// checkStoredSpace fails unless the simulator holds the whole space.
func (w *workspace) checkStoredSpace(n int) {
	w.b.Helper()
	if got := w.sim.ContactCount(); got != n {
		w.b.Fatalf("the simulator holds %d contacts, want a space of %d", got, n)
	}
}
