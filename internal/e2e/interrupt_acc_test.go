package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// TestAccInterruptedApply sends SIGINT to a real terraform (or tofu) process in the middle of
// an apply, while creates are in flight (each takes over a second to be answered), as a user
// pressing Ctrl-C once does. The CLI stops the provider, which cancels its requests; Qomon
// still processes the ones it received. Applying again must converge: one contact per
// configuration (no twin of a create whose answer the interruption lost), every field as
// configured, and an empty plan.
func TestAccInterruptedApply(t *testing.T) {
	t.Parallel()
	const n = 30
	sim, w := simWork(t, qomonsim.Options{RateLimit: qomonsim.RateLimit{Disabled: true}}, loadConfig(n, `  rate_limit = { enabled = false }`))
	sim.InjectFault(qomonsim.Fault{Method: "POST", Path: "/contacts", Kind: qomonsim.FaultDelay, Delay: 1500 * time.Millisecond})

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// Cancelling runCtx makes terraform-exec send the CLI an interrupt (SIGINT).
	runCtx, interrupt := context.WithCancel(ctx)
	defer interrupt()
	done := make(chan cliResult, 1)
	go func() {
		res, err := w.runContext(runCtx, nil, "apply")
		if err != nil {
			res.code, res.stderr = -1, err.Error()
		}
		done <- res
	}()
	// Interrupt once some contacts exist and more creates are on their way.
	deadline := time.Now().Add(2 * time.Minute)
	for sim.ContactCount() < 8 {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the apply stored only %d contacts in 2 minutes\n%s", sim.ContactCount(), <-done)
		}
		time.Sleep(20 * time.Millisecond)
	}
	interrupt()
	interruptedAt := sim.ContactCount()
	res := <-done
	if res.code == 0 {
		t.Fatalf("the interrupted apply exited 0:\n%s", res.stdout)
	}
	out := res.stdout + res.stderr
	// Let the requests Qomon received before the interruption finish (their delay).
	time.Sleep(2 * time.Second)
	stored := sim.ContactCount()
	inState := len(w.stateResources())
	t.Logf("SIGINT with %d contacts stored; the CLI exited %d with %d in state; Qomon then held %d", interruptedAt, res.code, inState, stored)
	if !strings.Contains(out, "nterrupt") {
		t.Logf("the CLI output does not mention the interruption:\n%s", tail(out, 4000))
	}
	if inState >= n {
		t.Fatalf("every contact was applied before the interruption took effect: the scenario did not happen")
	}
	orphans := stored - inState

	if orphans > 0 {
		t.Logf("the interrupted apply said:\n%s", errorLines(out))
	}

	sim.ClearFaults()
	w.apply()
	summarize(sim.Requests()).record()
	if empty, res := w.planIsEmpty(); !empty {
		t.Errorf("the plan after the re-apply is not empty: %s", res)
	}
	if _, _, err := checkStoreCounts(sim, n, loadWant); err != nil {
		err = fmt.Errorf("after the re-apply (%d contact(s) were stored in Qomon but not in state after the interruption): %w", orphans, err)
		// Regression: creates in flight at SIGINT were stored by Qomon but never recorded (the
		// search that adopts them ran on the cancelled context), and the re-apply created twins.
		t.Fatal(err)
	}
}

// errorLines keeps the "Error: ..." lines of CLI output and the line after each.
func errorLines(out string) string {
	var keep []string
	seen := map[string]bool{}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "Error: ") && !strings.Contains(l, "nterrupt") {
			continue
		}
		entry := l
		for j := i + 1; j < len(lines) && j < i+8; j++ {
			s := strings.TrimSpace(lines[j])
			if s == "" || strings.HasPrefix(s, "with ") || strings.HasPrefix(s, "on ") || strings.Contains(s, "resource \"") {
				continue
			}
			if strings.HasPrefix(s, "Error: ") {
				break
			}
			entry += " / " + s
		}
		if !seen[entry] {
			seen[entry] = true
			keep = append(keep, entry)
		}
	}
	if len(keep) > 40 {
		keep = keep[:40]
	}
	return strings.Join(keep, "\n")
}
