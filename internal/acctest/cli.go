package acctest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Which CLI a run drives, and under which address it serves the provider.

// ProviderSource is the address the testing library serves the provider under:
// TF_ACC_PROVIDER_HOST (registry.terraform.io) / TF_ACC_PROVIDER_NAMESPACE / qomon.
func ProviderSource() string {
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	namespace := os.Getenv(namespaceEnv)
	if namespace == "" {
		namespace = Namespace
	}
	return host + "/" + namespace + "/qomon"
}

// Namespace is the provider's own namespace, qomon/qomon, which the examples' source addresses
// name. Main serves the provider under it when TF_ACC_PROVIDER_NAMESPACE is unset (the testing
// library's default is hashicorp), under both CLIs, so that a test can run a published example
// as it is without changing the environment, which a parallel test cannot do.
const Namespace = "qomon"

// namespaceEnv is the testing library's setting of the namespace it serves providers under.
const namespaceEnv = "TF_ACC_PROVIDER_NAMESPACE"

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
