package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
)

// The figures the fault tests report: how much went wrong on purpose, and what it cost. Every test
// adds what it injected and what it observed; TestMain prints the totals once the package has
// run, and writes them as JSON to $QOMON_E2E_FIGURES when that is set (the report of a CI run).
type figureSet struct {
	mu     sync.Mutex
	counts map[string]int64
}

var figures = &figureSet{counts: map[string]int64{}}

// Names of the figures, so that a typo cannot open a new column.
const (
	figFaultsInjected     = "faults_injected"       // requests the simulator answered with a fault (status, reset, drop, delay)
	figRateLimited        = "requests_rate_limited" // 429 answers
	figRequestsRetried    = "requests_retried"      // failed requests the client sent again
	figContactsDuplicated = "contacts_duplicated"   // contacts stored more than once for one configuration
	figFieldsLost         = "fields_lost"           // configured or out-of-band values missing afterwards
	figBadInputs          = "bad_inputs_tried"      // bad-input cases run, each with its diagnostic asserted
	figSoakRequests       = "soak_requests"         // requests the soak test sent
	figApplies            = "cli_runs"              // plan/apply/import runs of a real CLI
)

func (f *figureSet) add(name string, n int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts[name] += n
}

func (f *figureSet) snapshot() map[string]int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int64, len(f.counts))
	for k, v := range f.counts {
		out[k] = v
	}
	return out
}

func TestMain(m *testing.M) {
	// Provider settings from the shell would make a test depend on who runs it. Cleared once
	// here, rather than with t.Setenv in each test, so that the tests can run in parallel.
	for _, k := range []string{"QOMON_API_TOKEN", "QOMON_ENDPOINT", "QOMON_UPDATE_MODE", "QOMON_REFRESH_MODE"} {
		_ = os.Unsetenv(k)
	}
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	snap := figures.snapshot()
	if len(snap) > 0 {
		names := make([]string, 0, len(snap))
		for k := range snap {
			names = append(names, k)
		}
		sort.Strings(names)
		fmt.Println("e2e figures:")
		for _, k := range names {
			fmt.Printf("  %-24s %d\n", k, snap[k])
		}
		if path := os.Getenv("QOMON_E2E_FIGURES"); path != "" {
			if b, err := json.MarshalIndent(snap, "", "  "); err == nil {
				_ = os.WriteFile(path, append(b, '\n'), 0o644)
			}
		}
	}
	os.Exit(code)
}
