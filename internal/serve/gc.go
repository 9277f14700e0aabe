package serve

import (
	"runtime/debug"
)

// The garbage collector's settings for a provider process, unless the user set their own.
//
// terraform-plugin-framework v1.19.0 allocates about 10 MB for each resource of a `plan` that
// changes nothing (the ValidateResourceConfig, UpgradeResourceState, ReadResource and
// PlanResourceChange of one qomon_contact, internal/bench's BenchmarkProviderPlanUnchanged:
// half of it copies of the schema's attribute map made at every step of every attribute path it
// resolves), while the provider's live heap stays at a few MiB. Go's default (GOGC=100: collect
// when the heap has doubled since the last collection) then collects several times per
// resource. GOGC=400 measured 32 % less CPU per resource in that benchmark (800 only 2 % more),
// so a process collects at five times its live heap instead of twice, with a ceiling on the
// heap so that a live heap larger than any measured (the bulk refresh keeps two integers per
// contact of the space, 20,000 contacts about 1 MiB) cannot make that five times costly: near
// the ceiling the collector runs as often as it must (BENCHMARKS.md, "Bulk refresh").
const (
	gcPercent   = 400
	memoryLimit = 64 << 20 // bytes
)

// gcSwitches are the environment variables with which a user (or a benchmark's
// -provider-env) chooses the collector's settings; when either is set, tuneGC changes nothing.
var gcSwitches = []string{"GOGC", "GOMEMLIMIT"}

// tuneGC applies gcPercent and memoryLimit unless the environment chooses the collector's
// settings, and reports whether it did.
func tuneGC(lookup func(string) (string, bool)) bool {
	for _, name := range gcSwitches {
		if v, ok := lookup(name); ok && v != "" {
			return false
		}
	}
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(memoryLimit)
	return true
}
