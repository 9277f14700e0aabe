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
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/qomon/terraform-provider-qomon/internal/provider"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
	"github.com/qomon/terraform-provider-qomon/internal/serve"
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
// the provider's settings are cleared here, the provider is served under its own namespace
// (see ProviderSource) and the CLI configuration made safe (see PreCheck).
func Main(m *testing.M) int {
	for _, k := range Settings {
		_ = os.Unsetenv(k)
	}
	if os.Getenv(namespaceEnv) == "" {
		_ = os.Setenv(namespaceEnv, Namespace)
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
// provider per server, behind the wrappers main serves it with (internal/serve). It sets no
// endpoint or token of its own, so that tests of the provider's own settings see exactly what
// their configuration says.
func Factories(opts provider.Options) map[string]func() (tfprotov6.ProviderServer, error) {
	newProvider := provider.NewWithOptions("test", opts)
	return map[string]func() (tfprotov6.ProviderServer, error){
		"qomon": func() (tfprotov6.ProviderServer, error) {
			return serve.NewServer(newProvider()), nil
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
