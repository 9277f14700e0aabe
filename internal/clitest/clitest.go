// Package clitest runs a real Terraform or OpenTofu CLI against the provider built from this
// tree, through github.com/hashicorp/terraform-exec: the one way the end-to-end tests
// (internal/e2e) and the CLI benchmarks (internal/bench) drive a CLI. It is imported by tests
// only.
//
// The CLI finds the provider through dev_overrides (no `init`, nothing downloaded), under both
// registry hosts, so the same folder works with terraform and with tofu:
// https://developer.hashicorp.com/terraform/cli/config/config-file#development-overrides-for-provider-developers
package clitest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// ProviderName is the binary name the CLI looks for in a dev_overrides folder.
const ProviderName = "terraform-provider-qomon"

// BuildProvider builds the provider of this module into dir/terraform-provider-qomon.
func BuildProvider(dir string) error {
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, ProviderName), "github.com/qomon/terraform-provider-qomon") //nolint:gosec // the go command, building this module
	// A static binary, as released: the CLI runs it, not the test binary.
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build of the provider: %w\n%s", err, out)
	}
	return nil
}

// New returns a terraform-exec handle running cli in dir, where the CLI serves the provider
// found in providerDir (a folder holding a terraform-provider-qomon binary), with the
// environment SetEnv describes.
func New(dir, cli, providerDir string, env map[string]string) (*tfexec.Terraform, error) {
	if err := os.WriteFile(filepath.Join(dir, cliConfig), []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/qomon/qomon" = %[1]q
    "registry.opentofu.org/qomon/qomon" = %[1]q
  }
  direct {}
}
`, providerDir)), 0o600); err != nil {
		return nil, err
	}
	tf, err := tfexec.NewTerraform(dir, cli)
	if err != nil {
		return nil, err
	}
	return tf, SetEnv(tf, env)
}

// cliConfig is the file New writes in the working directory (the CLI reads it through
// TF_CLI_CONFIG_FILE only, never from there).
const cliConfig = "cli.tfrc"

// SetEnv sets the environment of tf's next runs: the caller's without any TF_* or QOMON_*
// variable, so that nothing inherited redirects a run (logging, data dir, provider settings),
// the CLI configuration New wrote, and env. terraform-exec itself sets TF_IN_AUTOMATION and
// the TF_LOG* variables (tfexec.Terraform.SetLog).
func SetEnv(tf *tfexec.Terraform, env map[string]string) error {
	full := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "TF_") && !strings.HasPrefix(k, "QOMON_") {
			full[k] = v
		}
	}
	full["TF_CLI_CONFIG_FILE"] = filepath.Join(tf.WorkingDir(), cliConfig)
	full["CHECKPOINT_DISABLE"] = "1"
	for k, v := range env {
		full[k] = v
	}
	return tf.SetEnv(full)
}

// ExitCode is the CLI's exit status behind an error terraform-exec returned: 0 for nil, -1
// when the CLI did not run or was killed.
func ExitCode(err error) int {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	return -1
}
