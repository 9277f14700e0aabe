package serve

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestTuneGC checks that the collector is tuned when the environment leaves it alone, and left
// as the user set it otherwise.
func TestTuneGC(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	for _, env := range []map[string]string{{"GOGC": "50"}, {"GOMEMLIMIT": "1GiB"}, {"GOGC": "off", "GOMEMLIMIT": "80MiB"}} {
		if tuneGC(func(k string) (string, bool) { v, ok := env[k]; return v, ok }) {
			t.Errorf("with %v set, tuneGC changed the collector's settings", env)
		}
		if got := debug.SetGCPercent(100); got != 100 {
			t.Errorf("with %v set, GOGC became %d", env, got)
		}
	}
	if !tuneGC(func(k string) (string, bool) { return map[string]string{"GOGC": "", "TF_LOG": "trace"}[k], k == "GOGC" }) {
		t.Fatal("with GOGC empty, tuneGC did not tune the collector")
	}
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("GOGC is %d after tuneGC, want %d", got, gcPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != memoryLimit {
		t.Errorf("the memory limit is %d after tuneGC, want %d", got, memoryLimit)
	}
}
