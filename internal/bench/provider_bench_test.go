package bench

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestDriver checks that the benchmarks measure what they claim: a create through the driver
// stores the contact and makes one POST (after the provider's configuration check, one POST /kpi
// per provider process), a read makes one GET, an update one PATCH (merge) or one GET and one
// PATCH (replace). Without it a benchmark could time an error path.
func TestDriver(t *testing.T) {
	for _, mode := range []string{"replace", "merge"} {
		t.Run(mode, func(t *testing.T) {
			ctx := context.Background()
			d := newDriver(t, mode)

			s, err := d.create(ctx, contactConfig(1))
			if err != nil {
				t.Fatal(err)
			}
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
			if s, err = d.read(ctx, s); err != nil {
				t.Fatal(err)
			}
			assertCalls(t, d, map[string]int{"GET /contacts": 1})

			d.sim.ResetRequests()
			if _, err = d.update(ctx, s, contactConfig(1, "volunteer", "donor")); err != nil {
				t.Fatal(err)
			}
			want := map[string]int{"PATCH /contacts": 1}
			if mode == "replace" {
				want["GET /contacts"] = 1
			}
			assertCalls(t, d, want)
			c := d.sim.Contacts()[0]
			tags, _ := c["tags"].([]any)
			if len(tags) != 2 {
				t.Fatalf("stored tags after the update: %v, want volunteer and donor", c["tags"])
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
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := d.create(ctx, contactConfig(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkProviderRead is what one contact costs the provider during a refresh (one GET).
func BenchmarkProviderRead(b *testing.B) {
	ctx := context.Background()
	d := newDriver(b, "replace")
	s, err := d.create(ctx, contactConfig(0))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.read(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProviderUpdate is what one changed contact costs the provider during apply, in each
// update mode: a plan and an apply that flips a tag (replace: GET + PATCH; merge: PATCH).
func BenchmarkProviderUpdate(b *testing.B) {
	for _, mode := range []string{"replace", "merge"} {
		b.Run(mode, func(b *testing.B) {
			ctx := context.Background()
			d := newDriver(b, mode)
			s, err := d.create(ctx, contactConfig(0))
			if err != nil {
				b.Fatal(err)
			}
			variants := [][]string{{"volunteer", "donor"}, {"volunteer", "door-to-door"}}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if s, err = d.update(ctx, s, contactConfig(0, variants[i%2]...)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
