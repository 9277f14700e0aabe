package bench

import (
	"context"
	"strings"
	"syscall"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestDriver checks that the benchmarks measure what they claim: a create through the driver
// stores the contact and makes one POST (after the provider's configuration check, one POST /kpi
// per provider process), a read makes one GET, an update one PATCH (merge, after the process's
// first) or one GET and one PATCH (replace). Without it a benchmark could time an error path.
func TestDriver(t *testing.T) {
	for _, mode := range []string{"replace", "merge"} {
		t.Run(mode, func(t *testing.T) {
			ctx := context.Background()
			d, s := driverWithContact(t, mode, 1)
			var id tftypes.Value
			var attrs map[string]tftypes.Value
			if err := s.value.As(&attrs); err != nil {
				t.Fatal(err)
			}
			if id = attrs["id"]; id.IsNull() || !id.IsKnown() {
				t.Fatalf("no id in the state after create: %v", s.value)
			}
			if got := len(d.sim.Contacts()); got != 1 {
				t.Fatalf("simulator holds %d contacts after one create, want 1", got)
			}
			assertCalls(t, d, map[string]int{"POST /kpi": 1, "POST /contacts": 1})

			d.sim.ResetRequests()
			var err error
			if s, err = d.read(ctx, s); err != nil {
				t.Fatal(err)
			}
			assertCalls(t, d, map[string]int{"GET /contacts": 1})

			// Replace reads before each PATCH; merge reads before the first PATCH of a provider
			// process only (the check that Qomon's PATCH merges, internal/contact/merge.go).
			d.sim.ResetRequests()
			if s, err = d.update(ctx, s, contactConfig(1, "volunteer", "donor")); err != nil {
				t.Fatal(err)
			}
			assertCalls(t, d, map[string]int{"GET /contacts": 1, "PATCH /contacts": 1})
			d.sim.ResetRequests()
			if _, err = d.update(ctx, s, contactConfig(1, "volunteer", "donor", "canvasser")); err != nil {
				t.Fatal(err)
			}
			want := map[string]int{"PATCH /contacts": 1}
			if mode == "replace" {
				want["GET /contacts"] = 1
			}
			assertCalls(t, d, want)
			c := d.sim.Contacts()[0]
			tags, _ := c["tags"].([]any)
			if len(tags) != 3 {
				t.Fatalf("stored tags after the updates: %v, want volunteer, donor and canvasser", c["tags"])
			}
		})
	}
}

func assertCalls(t *testing.T, d *driver, want map[string]int) {
	t.Helper()
	got := map[string]int{}
	for _, r := range d.sim.Requests() {
		// The method and the path's first segment: /contacts/7 is a contact, /kpi the check.
		segment, _, _ := strings.Cut(strings.TrimPrefix(r.Path, "/"), "/")
		got[r.Method+" /"+segment]++
	}
	if len(got) != len(want) {
		t.Fatalf("requests %v, want %v", got, want)
	}
	for m, n := range want {
		if got[m] != n {
			t.Fatalf("requests %v, want %v", got, want)
		}
	}
}

// BenchmarkProviderCreate is what one new contact costs the provider during apply: its plan and
// its apply (one POST).
func BenchmarkProviderCreate(b *testing.B) {
	ctx := context.Background()
	d := newDriver(b, "replace")
	eachIteration(b, func(i int) error {
		_, err := d.create(ctx, contactConfig(i))
		return err
	})
}

// BenchmarkProviderApplyCreate is what one new contact costs the provider during a `terraform
// apply` that creates it, in the calls Terraform 1.5 and OpenTofu make for it (the CLI benchmark
// BenchmarkCLIApply, end to end): its configuration validated twice (in the validate and plan
// walks), planned twice (in the plan walk, and again in the apply walk), applied once (one
// POST). cpu-ms/op is the process's CPU time per contact, garbage collection included.
func BenchmarkProviderApplyCreate(b *testing.B) {
	ctx := context.Background()
	d := newDriver(b, "replace")
	cpu0 := cpuSeconds(syscall.RUSAGE_SELF)
	eachIteration(b, func(i int) error {
		_, err := d.applyCreate(ctx, contactConfig(i))
		return err
	})
	b.ReportMetric((cpuSeconds(syscall.RUSAGE_SELF)-cpu0)*1e3/float64(b.N), "cpu-ms/op")
}

// BenchmarkProviderRead is what one contact costs the provider during a refresh (one GET).
func BenchmarkProviderRead(b *testing.B) {
	ctx := context.Background()
	d, s := driverWithContact(b, "replace", 0)
	eachIteration(b, func(int) error {
		_, err := d.read(ctx, s)
		return err
	})
}

// BenchmarkProviderUpdate is what one changed contact costs the provider during apply, in each
// update mode: a plan and an apply that flips a tag (replace: GET + PATCH; merge: PATCH).
func BenchmarkProviderUpdate(b *testing.B) {
	for _, mode := range []string{"replace", "merge"} {
		b.Run(mode, func(b *testing.B) {
			ctx := context.Background()
			d, s := driverWithContact(b, mode, 0)
			variants := [][]string{{"volunteer", "donor"}, {"volunteer", "door-to-door"}}
			eachIteration(b, func(i int) (err error) {
				s, err = d.update(ctx, s, contactConfig(0, variants[i%2]...))
				return err
			})
		})
	}
}

// driverWithContact is a driver in updateMode whose provider has created contactConfig(n).
func driverWithContact(tb testing.TB, updateMode string, n int) (*driver, state) {
	tb.Helper()
	d := newDriver(tb, updateMode)
	s, err := d.create(context.Background(), contactConfig(n))
	if err != nil {
		tb.Fatal(err)
	}
	return d, s
}

// eachIteration runs op once per benchmark iteration, with 0, 1, 2..., reporting allocations
// and stopping at op's first error.
func eachIteration(b *testing.B, op func(i int) error) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := op(i); err != nil {
			b.Fatal(err)
		}
	}
}
