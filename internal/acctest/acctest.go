// Package acctest is what the acceptance tests share: it checks which Terraform CLI the run
// uses, starts a Qomon simulator for each test, and hands out provider factories wired to it.
//
// Acceptance tests run only with TF_ACC=1 and an explicit CLI (TF_ACC_TERRAFORM_PATH); see
// scripts/test.sh for the two runs (Terraform 1.5.7 and OpenTofu 1.12.6):
//
//	env := acctest.Parallel(t, qomonsim.Options{})
//	env.Test(t, resource.TestCase{
//		Steps: []resource.TestStep{{Config: env.ProviderConfig("") + `resource "qomon_contact" "x" { ... }`}},
//	})
//
// Each test has its own simulator, so tests run in parallel (Parallel) once their package's
// TestMain has called Main; a test that must change the environment uses New and runs alone.
package acctest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/qomon/terraform-provider-qomon/internal/provider"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// Token is the API token the simulator of an Env accepts and its provider sends.
const Token = "acctest-token"

// Env is one test's simulator and the provider wired to it.
type Env struct {
	// Sim is the simulator: its store and request log are what tests assert on.
	Sim *qomonsim.Server
	// URL is the simulator's base URL (http://127.0.0.1:port).
	URL string
	// Factories serve the provider, as "qomon", to resource.Test.
	Factories map[string]func() (tfprotov6.ProviderServer, error)
}

// New starts a simulator with opts (its token is always Token) and returns the provider
// factories pointed at it. The simulator stops when the test ends. tune, if given, adjusts the
// client configuration further (rate limits, retries) after the endpoint and token are set.
//
// Provider settings from the environment (QOMON_*) would make a test depend on the shell
// that runs it, so New blanks them for the test's duration.
func New(t *testing.T, opts qomonsim.Options, tune ...func(*qomon.Config)) *Env {
	t.Helper()
	for _, k := range Settings {
		t.Setenv(k, "")
	}
	return Start(t, opts, tune...)
}

// Settings are the provider's settings read from the environment.
var Settings = []string{"QOMON_API_TOKEN", "QOMON_ENDPOINT", "QOMON_UPDATE_MODE", "QOMON_REFRESH_MODE"}

// mainRan records that the package's TestMain went through Main.
var mainRan bool

// Main runs a package's tests (call it from TestMain) after making the environment what
// parallel tests need, once for all of them: t.Setenv is not allowed in a parallel test, so
// the provider's settings are cleared here and the CLI configuration made safe (see PreCheck).
func Main(m *testing.M) int {
	for _, k := range Settings {
		_ = os.Unsetenv(k)
	}
	if os.Getenv("CHECKPOINT_DISABLE") == "" {
		_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	}
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f != "" {
		if _, err := os.Stat(f); err != nil {
			// An empty file of our own, removed when the tests are done.
			if tmp, err := os.CreateTemp("", "empty-*.tfrc"); err == nil {
				_ = tmp.Close()
				_ = os.Setenv("TF_CLI_CONFIG_FILE", tmp.Name())
				defer os.Remove(tmp.Name())
			}
		}
	}
	mainRan = true
	return m.Run()
}

// Parallel is New for a test that runs in parallel with the others of its package: it marks
// the test parallel, then starts its simulator. The package's TestMain must call Main.
func Parallel(t *testing.T, opts qomonsim.Options, tune ...func(*qomon.Config)) *Env {
	t.Helper()
	if !mainRan {
		t.Fatal("acctest.Parallel needs the package's TestMain to run the tests through acctest.Main")
	}
	t.Parallel()
	return Start(t, opts, tune...)
}

// Test runs an acceptance test case against the Env's simulator: it fills in PreCheck and
// the provider factories when the case leaves them out.
//
// The testing library runs CheckDestroy only after destroying what the steps left in state;
// when they left nothing (every step failed, as expected, or planned only), Test runs it
// itself, with an empty state: a check that nothing reached Qomon must run then above all.
func (e *Env) Test(t *testing.T, c resource.TestCase) {
	t.Helper()
	if c.PreCheck == nil {
		c.PreCheck = func() { PreCheck(t) }
	}
	if c.ProtoV6ProviderFactories == nil && !stepsServe(c.Steps) {
		c.ProtoV6ProviderFactories = e.Factories
	}
	checkDestroy, checked := c.CheckDestroy, false
	if checkDestroy != nil {
		c.CheckDestroy = func(s *terraform.State) error {
			checked = true
			return checkDestroy(s)
		}
	}
	resource.Test(t, c)
	if checkDestroy != nil && !checked && !t.Failed() {
		if err := checkDestroy(terraform.NewState()); err != nil {
			t.Errorf("CheckDestroy, the steps having left nothing to destroy: %v", err)
		}
	}
}

// Wrapped compiles the pattern of an expected error message in which a space also matches the
// line breaks a CLI puts in long messages.
func Wrapped(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`))
}

// stepsServe reports whether the steps name their own providers (the testing library refuses
// a case that sets them at both levels).
func stepsServe(steps []resource.TestStep) bool {
	for _, s := range steps {
		if s.ProtoV6ProviderFactories != nil {
			return true
		}
	}
	return false
}

// Start is New without t.Setenv, for tests that run in parallel: their package must clear
// the QOMON_* variables itself (in TestMain) before any test starts.
func Start(t *testing.T, opts qomonsim.Options, tune ...func(*qomon.Config)) *Env {
	t.Helper()
	opts.Tokens = []string{Token}
	sim, url := qomonsim.NewTestServer(t, opts)
	return &Env{Sim: sim, URL: url, Factories: Factories(provider.Options{
		ClientConfig: func(c *qomon.Config) {
			c.Endpoint = url
			c.Token = Token
			for _, f := range tune {
				f(c)
			}
		},
		LostCreateSearchDelay: LostCreateSearchDelay,
	})}
}

// LostCreateSearchDelay shortens the step between the searches after a lost create answer
// (2 s, 4 s, 6 s by default, for Qomon's index) in tests; the simulator's index has no lag
// unless a test sets one.
const LostCreateSearchDelay = 50 * time.Millisecond

// Factories serves the provider with opts as "qomon", as a CLI process would get it: a fresh
// provider per server. It sets no endpoint or token of its own, so that tests of the
// provider's own settings see exactly what their configuration says.
func Factories(opts provider.Options) map[string]func() (tfprotov6.ProviderServer, error) {
	newProvider := provider.NewWithOptions("test", opts)
	return map[string]func() (tfprotov6.ProviderServer, error){
		"qomon": func() (tfprotov6.ProviderServer, error) {
			return providerserver.NewProtocol6WithError(newProvider())()
		},
	}
}

// ProviderConfig returns the provider's required_providers entry and a provider block holding
// extraHCL (for example `update_mode = "merge"`); the endpoint and token come from New, not
// from HCL.
//
// The testing library adds the required_providers entry itself to most steps, but not to a
// first step that imports: OpenTofu then looks for hashicorp/qomon in its registry and fails
// offline. Writing the entry here, with the address the library serves the provider under,
// makes every step alike.
func (e *Env) ProviderConfig(extraHCL string) string {
	return fmt.Sprintf("terraform {\n  required_providers {\n    qomon = {\n      source = %q\n    }\n  }\n}\n\n", ProviderSource()) +
		"provider \"qomon\" {\n" + extraHCL + "\n}\n"
}

// ProviderSource is the address the testing library serves the provider under:
// TF_ACC_PROVIDER_HOST (registry.terraform.io) / TF_ACC_PROVIDER_NAMESPACE (hashicorp) / qomon.
func ProviderSource() string {
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	namespace := os.Getenv("TF_ACC_PROVIDER_NAMESPACE")
	if namespace == "" {
		namespace = "hashicorp"
	}
	return host + "/" + namespace + "/qomon"
}

// IsOpenTofu reports whether the run drives OpenTofu rather than Terraform.
func IsOpenTofu() bool {
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		return true
	}
	return strings.Contains(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu")
}

// PreCheck fails a test whose run would not be hermetic: without TF_ACC_TERRAFORM_PATH the
// testing library would pick whatever terraform is on PATH (or download one). It also makes
// the CLI configuration safe: TF_CLI_CONFIG_FILE pointing at a missing file makes OpenTofu
// print a warning where the testing library expects its version, so it is pointed at an empty
// file instead, and the CLIs are told not to phone home.
func PreCheck(t *testing.T) {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH is not set: point it at .tools/bin/terraform-1.5.7 or .tools/bin/tofu-1.12.6 " +
			"(scripts/tools.sh installs them; scripts/test.sh sets everything)")
	}
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("TF_ACC_TERRAFORM_PATH: %v (run scripts/tools.sh)", err)
	}
	if strings.Contains(filepath.Base(cli), "tofu") && os.Getenv("TF_ACC_PROVIDER_HOST") != "registry.opentofu.org" {
		t.Fatal("OpenTofu needs TF_ACC_PROVIDER_HOST=registry.opentofu.org (and TF_ACC_PROVIDER_NAMESPACE=qomon)")
	}
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f != "" {
		if _, err := os.Stat(f); err != nil {
			empty := filepath.Join(t.TempDir(), "empty.tfrc")
			if err := os.WriteFile(empty, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv("TF_CLI_CONFIG_FILE", empty)
		}
	}
	if os.Getenv("CHECKPOINT_DISABLE") == "" {
		t.Setenv("CHECKPOINT_DISABLE", "1")
	}
}
