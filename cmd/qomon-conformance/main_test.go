package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/conformance"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// TestMain lets a test run this command as a process of its own (to send it signals).
func TestMain(m *testing.M) {
	if os.Getenv("QOMON_CONFORMANCE_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestRefusesUnlessConfirmed: without QOMON_CONFORMANCE_CONFIRM=1 (or without a token) the
// command states its budget and sends nothing.
func TestRefusesUnlessConfirmed(t *testing.T) {
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{})
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"QOMON_API_TOKEN": qomonsim.DefaultToken, "QOMON_ENDPOINT": url}, "Set QOMON_CONFORMANCE_CONFIRM=1"},
		{map[string]string{"QOMON_API_TOKEN": qomonsim.DefaultToken, "QOMON_ENDPOINT": url, "QOMON_CONFORMANCE_CONFIRM": "yes"}, "Set QOMON_CONFORMANCE_CONFIRM=1"},
		{map[string]string{"QOMON_ENDPOINT": url, "QOMON_CONFORMANCE_CONFIRM": "1"}, "set QOMON_API_TOKEN"},
	} {
		var out, errOut bytes.Buffer
		code := run(t.Context(), []string{"-report", filepath.Join(t.TempDir(), "r.md")}, env(tt.env), &out, &errOut)
		if code != exitUsage || !strings.Contains(out.String()+errOut.String(), tt.want) {
			t.Errorf("%v: exit %d\n%s%s", tt.env, code, &out, &errOut)
		}
	}
	if n := len(sim.Requests()); n != 0 {
		t.Errorf("%d requests sent without confirmation", n)
	}
}

// TestBudgetIsWhatTheSimulatorCounts: the budget is printed before the first request, and
// the tokens the command says it spent are what the simulator's request log charged.
func TestBudgetIsWhatTheSimulatorCounts(t *testing.T) {
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{})
	report := filepath.Join(t.TempDir(), "report.md")
	var out, errOut bytes.Buffer
	version = "v9.9.9-test"
	defer func() { version = "dev" }()
	code := run(t.Context(), []string{"-report", report}, env(map[string]string{
		"QOMON_API_TOKEN": qomonsim.DefaultToken, "QOMON_ENDPOINT": url, "QOMON_CONFORMANCE_CONFIRM": "1",
	}), &out, &errOut)
	if code != exitPass {
		t.Fatalf("exit %d\n%s\n%s", code, &out, &errOut)
	}
	stated := regexp.MustCompile(`Token budget: (\d+) tokens at most`).FindStringSubmatch(out.String())
	spent := regexp.MustCompile(`Spent (\d+) tokens of the budget of (\d+)`).FindStringSubmatch(out.String())
	if stated == nil || spent == nil || stated[1] != spent[2] || stated[1] != strconv.Itoa(conformance.Budget()) {
		t.Fatalf("budget lines missing or inconsistent:\n%s", &out)
	}
	n, _ := strconv.Atoi(spent[1])
	if logged := sim.Stats().TokensSpent; n != logged || n > conformance.Budget() {
		t.Errorf("spent %d by the command, %d by the simulator's request log, budget %d", n, logged, conformance.Budget())
	}
	md, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"terraform-provider-qomon v9.9.9-test", "| Endpoint | " + url, `update_mode = "replace"`, "replace: ", "17 passed, 0 failed"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("the report lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(string(md)+out.String()+errOut.String(), qomonsim.DefaultToken) {
		t.Error("the token shows in the output")
	}
	if sim.ContactCount() != 0 {
		t.Errorf("%d contacts left", sim.ContactCount())
	}
}

// TestSignalsCleanUp runs the command as a process and sends it SIGINT, then SIGTERM, while
// it waits on a slow PATCH with its two contacts created: it deletes them and exits 130.
func TestSignalsCleanUp(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			sim, url := qomonsim.NewTestServer(t, qomonsim.Options{})
			sim.InjectFault(qomonsim.Fault{Method: "PATCH", Kind: qomonsim.FaultDelay, Delay: time.Minute})
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			// This test binary, run as the command (see TestMain).
			cmd := exec.CommandContext(ctx, os.Args[0], "-report", filepath.Join(t.TempDir(), "r.md")) //nolint:gosec // G702: our own binary
			cmd.Env = append(os.Environ(), "QOMON_CONFORMANCE_TEST_MAIN=1", "QOMON_API_TOKEN="+qomonsim.DefaultToken,
				"QOMON_ENDPOINT="+url, "QOMON_CONFORMANCE_CONFIRM=1")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			for sim.ContactCount() < 2 {
				if ctx.Err() != nil {
					t.Fatalf("the run did not create its contacts:\n%s", &out)
				}
				time.Sleep(10 * time.Millisecond)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
				t.Errorf("exit %d (%v), want %d\n%s", code, err, exitInterrupted, &out)
			}
			if sim.ContactCount() != 0 {
				t.Errorf("%d contacts left after %s\n%s", sim.ContactCount(), sig, &out)
			}
			for _, want := range []string{"interrupted; deleting the contacts", "deleted every contact this run created (2)", "stopped early"} {
				if !strings.Contains(out.String(), want) && !strings.Contains(readReport(t, cmd), want) {
					t.Errorf("output lacks %q:\n%s", want, &out)
				}
			}
		})
	}
}

func readReport(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	b, _ := os.ReadFile(cmd.Args[2])
	return string(b)
}

// TestExitsOneWhenACheckFails: a space that differs (here, one that recreates notes) gives
// exit 1 and the advice that goes with it.
func TestExitsOneWhenACheckFails(t *testing.T) {
	_, url := qomonsim.NewTestServer(t, qomonsim.Options{NoteIDs: qomonsim.NoteIDsRenew})
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"-report", filepath.Join(t.TempDir(), "r.md")}, env(map[string]string{
		"QOMON_API_TOKEN": qomonsim.DefaultToken, "QOMON_ENDPOINT": url, "QOMON_CONFORMANCE_CONFIRM": "1",
	}), &out, &errOut)
	if code != exitFailed || !strings.Contains(out.String(), "16 passed, 1 failed") || !strings.Contains(out.String(), "recreates notes") {
		t.Errorf("exit %d\n%s", code, &out)
	}
}
