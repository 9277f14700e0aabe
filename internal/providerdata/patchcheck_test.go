package providerdata

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Ten updates arrive at once, as Terraform's default -parallelism sends them: exactly one
// probes while the others wait, and the verdict decides what the others do.
func TestPatchCheckOneProbeAtATime(t *testing.T) {
	for _, tc := range []struct {
		name      string
		verdicts  []PatchVerdict // what the successive probes find
		wantProbe int            // how many callers probe
		want      PatchVerdict   // what the others are told
	}{
		{"the space merges", []PatchVerdict{PatchMerges}, 1, PatchMerges},
		{"the space replaces", []PatchVerdict{PatchReplaces}, 1, PatchReplaces},
		{"two probes cannot tell, the third can", []PatchVerdict{PatchUnknown, PatchUnknown, PatchReplaces}, 3, PatchReplaces},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var check PatchCheck
			var probes, inFlight, maxInFlight atomic.Int32
			var told sync.Map
			var wg sync.WaitGroup
			for i := range 10 {
				wg.Add(1)
				go func(contact int64) {
					defer wg.Done()
					probe, verdict, _, err := check.Begin(context.Background())
					if err != nil {
						t.Error(err)
						return
					}
					if !probe {
						told.Store(contact, verdict)
						return
					}
					n := inFlight.Add(1)
					if n > maxInFlight.Load() {
						maxInFlight.Store(n)
					}
					time.Sleep(5 * time.Millisecond) // the PATCH
					k := int(probes.Add(1)) - 1
					inFlight.Add(-1)
					v := PatchUnknown
					if k < len(tc.verdicts) {
						v = tc.verdicts[k]
					}
					check.End(true, v, contact)
				}(int64(i))
			}
			wg.Wait()
			if maxInFlight.Load() != 1 {
				t.Errorf("%d probes in flight at once, want 1", maxInFlight.Load())
			}
			if int(probes.Load()) != tc.wantProbe {
				t.Errorf("%d probes, want %d", probes.Load(), tc.wantProbe)
			}
			told.Range(func(_, v any) bool {
				if v.(PatchVerdict) != tc.want {
					t.Errorf("a waiting update was told %v, want %v", v, tc.want)
				}
				return true
			})
		})
	}
}

// A replacing verdict is final: a later merge answer does not lift it; and the contact that
// showed it is named.
func TestPatchCheckReplacesIsFinal(t *testing.T) {
	var check PatchCheck
	ctx := context.Background()
	probe, _, _, _ := check.Begin(ctx)
	check.End(probe, PatchReplaces, 42)
	check.End(false, PatchMerges, 43)
	if probe, verdict, contact, _ := check.Begin(ctx); probe || verdict != PatchReplaces || contact != 42 {
		t.Errorf("Begin = %v, %v, %d; want no probe, replaces, contact 42", probe, verdict, contact)
	}
}

// A caller waiting for the probe gives up with its context (Ctrl-C).
func TestPatchCheckWaitEndsWithContext(t *testing.T) {
	var check PatchCheck
	if probe, _, _, _ := check.Begin(context.Background()); !probe {
		t.Fatal("the first caller must probe")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, _, _, err := check.Begin(ctx); err == nil {
		t.Error("a waiting caller ignored its cancelled context")
	}
}
