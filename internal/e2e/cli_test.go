package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/clitest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// The tests of this package run a real CLI through internal/clitest (terraform-exec,
// dev_overrides: no init, no network) and choose its runs themselves. Some need the provider
// as a user runs it, built as a binary: a SIGINT to the terraform process, TF_LOG=trace
// capturing the log lines of a provider running as its own plugin process, default timings.
// The others serve the provider from the test process (serveInProcess), so that they can tune
// its client, with a few CLI runs a case where resource.Test would make ten.

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
		binDir, binErr = os.MkdirTemp("", "qomon-e2e-bin-") //nolint:usetesting // see above
		if binErr == nil {
			binErr = clitest.BuildProvider(binDir)
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
	tf  *tfexec.Terraform
	env map[string]string // the provider's settings, for every run
	// inProcess, when set, serves the provider to each run from this process.
	inProcess func() (tfprotov6.ProviderServer, error)
}

// newCLIWork prepares a folder with main.tf for the freshly built provider. endpoint/token
// reach the provider through its environment variables, as a user's CI would pass them.
func newCLIWork(t *testing.T, endpoint, token, config string) *cliWork {
	t.Helper()
	cli := cliBinary(t)
	bin := providerBinary(t)
	dir := t.TempDir()
	env := map[string]string{"QOMON_ENDPOINT": endpoint, "QOMON_API_TOKEN": token}
	tf, err := clitest.New(dir, cli, bin, env)
	must(t, err)
	w := &cliWork{t: t, cli: cli, dir: dir, tf: tf, env: env}
	w.write("main.tf", config)
	// Without a source address both CLIs would look for hashicorp/qomon.
	w.write("versions.tf", `terraform {
  required_providers {
    qomon = { source = "qomon/qomon" }
  }
}
`)
	return w
}

// serveInProcess makes the CLI runs of w use the provider of factories, served from this test
// process through go-plugin's reattach (as terraform-plugin-testing serves it), rather than
// the built binary: a test can then tune the client (fast retries, a retry counter) and still
// choose its CLI runs. An apply, a plan and a destroy are three runs, where resource.Test
// makes ten (a plan and a show around each apply, a plan without and one with refresh).
func (w *cliWork) serveInProcess(factories map[string]func() (tfprotov6.ProviderServer, error)) {
	w.inProcess = factories["qomon"]
}

// envWork is a folder with config whose CLI runs use env's provider, served in process.
func envWork(t *testing.T, env *acctest.Env, config string) *cliWork {
	t.Helper()
	w := newCLIWork(t, env.URL, acctest.Token, config)
	w.serveInProcess(env.Factories)
	return w
}

// serve starts a provider server for one CLI run, as the CLI starts the binary for each run,
// and returns the option that points the run at it and the function that stops it.
func (w *cliWork) serve() (*tfexec.ReattachOption, func(), error) {
	server, err := w.inProcess()
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve("registry.terraform.io/qomon/qomon", func() tfprotov6.ProviderServer { return server },
			tf6server.WithDebug(ctx, reattach, closed), tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			// The provider's log lines go where TF_LOG says, as under resource.Test (nowhere by default).
			tf6server.WithLoggingSink(w.t), tf6server.WithoutLogStderrOverride())
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-reattach:
	case err := <-served:
		cancel()
		return nil, nil, fmt.Errorf("serving the provider in process: %w", err)
	case <-time.After(time.Minute):
		cancel()
		return nil, nil, errors.New("the provider served in process gave no reattach configuration in a minute")
	}
	cfg := tfexec.ReattachConfig{
		Protocol: string(rc.Protocol), ProtocolVersion: rc.ProtocolVersion, Pid: rc.Pid, Test: rc.Test,
		Addr: tfexec.ReattachConfigAddr{Network: rc.Addr.Network(), String: rc.Addr.String()},
	}
	stop := func() {
		cancel()
		<-closed
	}
	return tfexec.Reattach(tfexec.ReattachInfo{
		"registry.terraform.io/qomon/qomon": cfg,
		"registry.opentofu.org/qomon/qomon": cfg,
	}), stop, nil
}

// with is opts and, when the provider is served in process, the option that points the run at
// it (one value for every command: it implements each command's option interface).
func with[O any](reattach *tfexec.ReattachOption, opts ...O) []O {
	if reattach != nil {
		opts = append(opts, any(reattach).(O))
	}
	return opts
}

// write writes a configuration file of the folder (main.tf, or another .tf file beside it).
func (w *cliWork) write(name, config string) {
	w.t.Helper()
	must(w.t, os.WriteFile(filepath.Join(w.dir, name), []byte(config), 0o600))
}

// simWork starts a simulator with opts (its token: acctest.Token) and a folder with config for a
// CLI that drives the provider against it.
func simWork(t *testing.T, opts qomonsim.Options, config string) (*qomonsim.Server, *cliWork) {
	t.Helper()
	opts.Tokens = []string{acctest.Token}
	sim, url := qomonsim.NewTestServer(t, opts)
	return sim, newCLIWork(t, url, acctest.Token, config)
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

// run runs the CLI to completion. args name a command as a user would type it, "apply",
// "apply PLANFILE", "plan", "refresh", "destroy", "import ADDR ID", "state rm ADDR" or "show":
// terraform-exec adds the flags of a non-interactive run itself (-input=false, -no-color,
// -auto-approve), so those are accepted; -detailed-exitcode (plan: 2 when it has changes),
// -out=FILE (plan) and -refresh=false (plan, apply) are honoured; any other flag fails the test
// rather than being dropped.
// extraEnv entries ("K=V", TF_LOG and TF_LOG_PATH included) apply to this run only.
func (w *cliWork) run(extraEnv []string, args ...string) cliResult {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	res, err := w.runContext(ctx, extraEnv, args...)
	if err != nil {
		w.t.Fatalf("running %s %v: %v", w.cli, args, err)
	}
	return res
}

// runContext is run without the test's helpers, for a run in another goroutine; cancelling
// ctx sends the CLI an interrupt (SIGINT), as Ctrl-C does. err is set only when the command
// cannot be run at all; the CLI's own failures are in the result's code.
func (w *cliWork) runContext(ctx context.Context, extraEnv []string, args ...string) (cliResult, error) {
	res := cliResult{args: args}
	var words []string
	var planOut string // plan -out=FILE
	refresh := true    // plan or apply -refresh=false
	detailed := slices.Contains(args, "-detailed-exitcode")
	for _, a := range args {
		switch {
		case !strings.HasPrefix(a, "-"), len(words) == 2 && words[0] == "import": // an import id may start with "-"
			words = append(words, a)
		case strings.HasPrefix(a, "-out="):
			planOut = strings.TrimPrefix(a, "-out=")
		case a == "-refresh=false":
			refresh = false
		case !slices.Contains([]string{"-auto-approve", "-no-color", "-input=false", "-detailed-exitcode"}, a):
			return res, fmt.Errorf("flag %s is not supported by this harness", a)
		}
	}
	env := map[string]string{}
	for k, v := range w.env {
		env[k] = v
	}
	logLevel, logPath := "", ""
	for _, kv := range extraEnv {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "TF_LOG":
			logLevel = v
		case "TF_LOG_PATH":
			logPath = v
		default:
			env[k] = v
		}
	}
	// terraform-exec owns the TF_LOG* variables: set them through it (it asks the CLI for its
	// version first). An empty path turns logging off again.
	if logLevel != "" {
		if err := w.tf.SetLog(logLevel); err != nil {
			return res, err
		}
	}
	if err := w.tf.SetLogPath(logPath); err != nil {
		return res, err
	}
	if err := clitest.SetEnv(w.tf, env); err != nil {
		return res, err
	}
	var out, errb bytes.Buffer
	w.tf.SetStdout(&out)
	w.tf.SetStderr(&errb)
	var err error
	var reattach *tfexec.ReattachOption
	if w.inProcess != nil {
		var stop func()
		if reattach, stop, err = w.serve(); err != nil {
			return res, err
		}
		defer stop()
	}
	switch {
	case len(words) == 1 && words[0] == "apply":
		err = w.tf.Apply(ctx, with[tfexec.ApplyOption](reattach, tfexec.Refresh(refresh))...)
	case len(words) == 2 && words[0] == "apply": // apply a saved plan
		err = w.tf.Apply(ctx, with[tfexec.ApplyOption](reattach, tfexec.DirOrPlan(words[1]))...)
	case len(words) == 1 && words[0] == "destroy":
		err = w.tf.Destroy(ctx, with[tfexec.DestroyOption](reattach)...)
	case len(words) == 1 && words[0] == "plan":
		opts := with[tfexec.PlanOption](reattach, tfexec.Refresh(refresh))
		if planOut != "" {
			opts = append(opts, tfexec.Out(planOut))
		}
		var changes bool
		if changes, err = w.tf.Plan(ctx, opts...); err == nil && changes && detailed {
			res.code = 2 // -detailed-exitcode: changes
		}
	case len(words) == 1 && words[0] == "refresh":
		err = w.tf.Refresh(ctx, with[tfexec.RefreshCmdOption](reattach)...)
	case len(words) == 3 && words[0] == "state" && words[1] == "rm":
		err = w.tf.StateRm(ctx, words[2])
	case len(words) == 3 && words[0] == "import":
		err = w.tf.Import(ctx, words[1], words[2], with[tfexec.ImportOption](reattach)...)
	case len(words) == 1 && words[0] == "show":
		_, err = w.tf.Show(ctx, with[tfexec.ShowOption](reattach)...)
	default:
		return res, fmt.Errorf("command %q is not supported by this harness", strings.Join(words, " "))
	}
	figures.add(figApplies, 1)
	res.stdout, res.stderr = out.String(), errb.String()
	if code := clitest.ExitCode(err); code != 0 {
		res.code = code
	}
	return res, nil
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

// planIsEmpty runs plan -detailed-exitcode, with env added to the CLI's environment: 0 means
// nothing to do, 2 means changes.
func (w *cliWork) planIsEmpty(env ...string) (bool, cliResult) {
	w.t.Helper()
	res := w.run(env, "plan", "-detailed-exitcode", "-no-color", "-input=false")
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
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	must(w.t, clitest.SetEnv(w.tf, w.env))
	var reattach *tfexec.ReattachOption
	if w.inProcess != nil {
		var stop func()
		var err error
		reattach, stop, err = w.serve()
		must(w.t, err)
		defer stop()
	}
	st, err := w.tf.Show(ctx, with[tfexec.ShowOption](reattach)...)
	if err != nil {
		w.t.Fatalf("show -json failed: %v", err)
	}
	if st.Values == nil || st.Values.RootModule == nil {
		return nil
	}
	// terraform-exec decodes numbers as json.Number: a round trip gives the float64 of
	// encoding/json, which the tests compare against.
	b, err := json.Marshal(st.Values.RootModule.Resources)
	must(w.t, err)
	var out []stateResource
	must(w.t, json.Unmarshal(b, &out))
	return out
}

type stateResource struct {
	Address string         `json:"address"`
	Type    string         `json:"type"`
	Values  map[string]any `json:"values"` // tfjson.StateResource.AttributeValues
}
