package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// TestAccBulkRefreshWarnsOnce: when Qomon's search hits carry no UpdatedAt, the sweep of
// refresh_mode = "search" cannot be used; a plan of 30 contacts reads each with a GET, shows
// the same empty plan, and says why exactly once (the testing library used by internal/contact
// cannot see warnings, the CLI's output can).
func TestAccBulkRefreshWarnsOnce(t *testing.T) {
	t.Parallel()
	const n = 30
	sim, w := simWork(t, qomonsim.Options{RateLimit: qomonsim.RateLimit{Disabled: true}}, loadConfig(n, `  refresh_mode = "search"
  rate_limit   = { enabled = false }`))
	w.apply()
	sim.Configure(func(o *qomonsim.Options) { o.SearchOmits = []string{"UpdatedAt"} })
	start := len(sim.Requests())
	empty, res := w.planIsEmpty()
	if !empty {
		t.Errorf("the plan is not empty: %s", res)
	}
	out := res.stdout + res.stderr
	if got := strings.Count(out, "Warning: Refreshing contacts one request each"); got != 1 {
		t.Errorf("%d warnings, want 1:\n%s", got, tail(out, 3000))
	}
	if !regexp.MustCompile(wrapped("search hits carry no usable UpdatedAt")).MatchString(out) {
		t.Errorf("the warning does not say why:\n%s", tail(out, 3000))
	}
	gets, pages := 0, 0
	for _, r := range sim.Requests()[start:] {
		switch {
		case r.Method == "GET":
			gets++
		case r.Path == "/search":
			pages++
		}
	}
	if gets != n || pages != 1 {
		t.Errorf("%d GETs and %d search pages, want %d and 1", gets, pages, n)
	}

	// With faithful hits the same plan spares the GETs, and the provider says nothing (the
	// CLI warns of its development overrides, as in every plan of these tests).
	sim.Configure(func(o *qomonsim.Options) { o.SearchOmits = nil })
	start = len(sim.Requests())
	empty, res = w.planIsEmpty()
	out = res.stdout + res.stderr
	if !empty || strings.Count(out, "Warning:") != strings.Count(out, "Warning: Provider development overrides") {
		t.Errorf("plan with faithful hits: %s", res)
	}
	gets = 0
	for _, r := range sim.Requests()[start:] {
		if r.Method == "GET" {
			gets++
		}
	}
	if gets > 3 {
		t.Errorf("%d GETs with faithful hits, want at most the sweep's 3 samples", gets)
	}
}
