package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// A few scenarios need the CLI as a user runs it, not as terraform-plugin-testing drives it: a
// SIGINT to the terraform process, and TF_LOG=trace capturing the log lines of a provider
// running as its own plugin process. For those, the provider is built as a binary and the CLI
// finds it through dev_overrides (no init, no network).

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

// providerBinary builds the provider once per test process and returns the folder holding it.
func providerBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		// Shared by every test of the process, so not a t.TempDir; TestMain removes it.
		dir, err := os.MkdirTemp("", "qomon-e2e-bin-") //nolint:usetesting // see above
		if err != nil {
			binErr = err
			return
		}
		binDir = dir
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-qomon"), "github.com/qomon/terraform-provider-qomon")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build of the provider: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binDir
}

// cliBinary returns the CLI acceptance tests use, or skips when acceptance tests are off.
func cliBinary(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH")
	}
	p := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if p == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is not set: this test runs a real terraform or tofu binary")
	}
	return p
}

// cliWork is one configuration folder driven by a real CLI process.
type cliWork struct {
	t   *testing.T
	cli string
	dir string
	env []string
}

// newCLIWork prepares a folder with main.tf and a CLI configuration whose dev_overrides point
// both registry addresses at the freshly built provider. endpoint/token reach the provider
// through its environment variables, as a user's CI would pass them.
func newCLIWork(t *testing.T, endpoint, token, config string) *cliWork {
	t.Helper()
	cli := cliBinary(t)
	bin := providerBinary(t)
	dir := t.TempDir()
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/qomon/qomon" = %q
    "registry.opentofu.org/qomon/qomon" = %q
  }
  direct {}
}
`, bin, bin)
	must(t, os.WriteFile(filepath.Join(dir, "cli.tfrc"), []byte(rc), 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600))
	// Without a source address both CLIs would look for hashicorp/qomon.
	must(t, os.WriteFile(filepath.Join(dir, "versions.tf"), []byte(`terraform {
  required_providers {
    qomon = { source = "qomon/qomon" }
  }
}
`), 0o600))
	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		// Nothing inherited may redirect this run: logging, data dir, provider settings.
		if strings.HasPrefix(k, "TF_") || strings.HasPrefix(k, "QOMON_") || k == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"TF_CLI_CONFIG_FILE="+filepath.Join(dir, "cli.tfrc"),
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"QOMON_ENDPOINT="+endpoint,
		"QOMON_API_TOKEN="+token,
	)
	return &cliWork{t: t, cli: cli, dir: dir, env: env}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// cliResult is one finished CLI run.
type cliResult struct {
	args   []string
	code   int
	stdout string
	stderr string
}

func (r cliResult) String() string {
	return fmt.Sprintf("%s exited %d\nstdout:\n%s\nstderr:\n%s", strings.Join(r.args, " "), r.code, tail(r.stdout, 4000), tail(r.stderr, 4000))
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// command builds the CLI command; extraEnv entries override the folder's environment.
func (w *cliWork) command(ctx context.Context, extraEnv []string, args ...string) *exec.Cmd {
	full := append([]string{"-chdir=" + w.dir}, args...)
	cmd := exec.CommandContext(ctx, w.cli, full...)
	cmd.Env = append(append([]string{}, w.env...), extraEnv...)
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// run runs the CLI to completion.
func (w *cliWork) run(extraEnv []string, args ...string) cliResult {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := w.command(ctx, extraEnv, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	figures.add(figApplies, 1)
	res := cliResult{args: args, stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
	default:
		w.t.Fatalf("running %s %v: %v", w.cli, args, err)
	}
	return res
}

// apply runs apply -auto-approve and fails the test unless it succeeds.
func (w *cliWork) apply(extraEnv ...string) cliResult {
	w.t.Helper()
	res := w.run(extraEnv, "apply", "-auto-approve", "-no-color", "-input=false")
	if res.code != 0 {
		w.t.Fatalf("apply failed: %s", res)
	}
	return res
}

// planIsEmpty runs plan -detailed-exitcode: 0 means nothing to do, 2 means changes.
func (w *cliWork) planIsEmpty() (bool, cliResult) {
	w.t.Helper()
	res := w.run(nil, "plan", "-detailed-exitcode", "-no-color", "-input=false")
	switch res.code {
	case 0:
		return true, res
	case 2:
		return false, res
	}
	w.t.Fatalf("plan failed: %s", res)
	return false, res
}

// stateResources returns the resources recorded in the state (terraform show -json).
func (w *cliWork) stateResources() []stateResource {
	w.t.Helper()
	res := w.run(nil, "show", "-json", "-no-color")
	if res.code != 0 {
		w.t.Fatalf("show -json failed: %s", res)
	}
	var doc struct {
		Values struct {
			RootModule struct {
				Resources []stateResource `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if strings.TrimSpace(res.stdout) == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		w.t.Fatalf("show -json: %v\n%s", err, tail(res.stdout, 2000))
	}
	return doc.Values.RootModule.Resources
}

type stateResource struct {
	Address string         `json:"address"`
	Type    string         `json:"type"`
	Values  map[string]any `json:"values"`
}
