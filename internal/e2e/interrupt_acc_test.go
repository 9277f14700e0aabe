package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
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
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{Tokens: []string{acctest.Token}, RateLimit: qomonsim.RateLimit{Disabled: true}})
	w := newCLIWork(t, url, acctest.Token, loadConfig(n, `  rate_limit = { enabled = false }`))
	sim.InjectFault(qomonsim.Fault{Method: "POST", Path: "/contacts", Kind: qomonsim.FaultDelay, Delay: 1500 * time.Millisecond})

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := w.command(ctx, nil, "apply", "-auto-approve", "-no-color", "-input=false")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	figures.add(figApplies, 1)
	// Interrupt once some contacts exist and more creates are on their way.
	deadline := time.Now().Add(2 * time.Minute)
	for sim.ContactCount() < 8 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the apply stored only %d contacts in 2 minutes\n%s\n%s", sim.ContactCount(), out.String(), errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	interruptedAt := sim.ContactCount()
	err := cmd.Wait()
	if err == nil {
		t.Fatalf("the interrupted apply exited 0:\n%s", out.String())
	}
	// Let the requests Qomon received before the interruption finish (their delay).
	time.Sleep(2 * time.Second)
	stored := sim.ContactCount()
	inState := len(w.stateResources())
	t.Logf("SIGINT with %d contacts stored; the CLI exited (%v) with %d in state; Qomon then held %d", interruptedAt, err, inState, stored)
	if !strings.Contains(out.String()+errb.String(), "nterrupt") {
		t.Logf("the CLI output does not mention the interruption:\n%s\n%s", tail(out.String(), 2000), tail(errb.String(), 2000))
	}
	if inState >= n {
		t.Fatalf("every contact was applied before the interruption took effect: the scenario did not happen")
	}
	orphans := stored - inState

	if orphans > 0 {
		t.Logf("the interrupted apply said:\n%s", errorLines(out.String()+errb.String()))
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
