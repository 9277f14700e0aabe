package contact_test

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// queryCLIEnv names a Terraform 1.14 or later, the first version with `terraform query`. No
// such binary is installed or fetched by this repository: Terraform 1.6 and later are under the
// BUSL, so whoever runs this test brings their own.
const queryCLIEnv = "QOMON_ACC_TERRAFORM_QUERY"

// queryCLI returns the Terraform that runs the query tests, or skips the test. OpenTofu reports
// its own version number where the testing library reads Terraform's, so a version check alone
// would let an OpenTofu 1.14 through: the CLI is asked its name.
func queryCLI(t *testing.T) string {
	t.Helper()
	cli := os.Getenv(queryCLIEnv)
	if cli == "" {
		t.Skipf("%s does not name a Terraform 1.14 or later: `terraform query` is not run", queryCLIEnv)
	}
	out, err := exec.Command(cli, "version").Output() //nolint:gosec // G702: the CLI the person running the tests named
	if err != nil {
		t.Fatalf("%s=%s: %v", queryCLIEnv, cli, err)
	}
	if text := string(out); strings.Contains(text, "OpenTofu") || !strings.Contains(text, "Terraform v") {
		t.Skipf("%s names %q, not Terraform: list blocks are Terraform's", queryCLIEnv, strings.TrimSpace(text))
	}
	t.Setenv("TF_ACC_TERRAFORM_PATH", cli)
	t.Setenv("TF_ACC_PROVIDER_HOST", "registry.terraform.io")
	return cli
}

// `terraform query` lists the contacts tagged volunteer, each with its identity, its display
// name and, with include_resource, its attributes; the limit bounds the list.
func TestAccContact_query(t *testing.T) {
	queryCLI(t)
	env := acctest.New(t, qomonsim.Options{})
	ada := env.Sim.SeedContact(map[string]any{"firstname": "Ada", "surname": "Lovelace", "mail": "ada@example.org",
		"tags": []any{map[string]any{"name": "volunteer"}}, "address": map[string]any{"city": "Paris"}})
	grace := env.Sim.SeedContact(map[string]any{"firstname": "Grace", "surname": "Hopper",
		"tags": []any{map[string]any{"name": "volunteer"}}})
	env.Sim.SeedContact(map[string]any{"firstname": "Cy", "surname": "Other", "tags": []any{map[string]any{"name": "volunteers"}}})

	byID := func(id int64) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.Int64Exact(id)})
	}
	env.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{
				// A query runs in an initialised configuration that names the provider; the
				// query file configures it, as the testing library's own query tests do.
				Config: fmt.Sprintf("terraform {\n  required_providers {\n    qomon = {\n      source = %q\n    }\n  }\n}\n",
					acctest.ProviderSource()),
			},
			{
				Query: true,
				Config: `
provider "qomon" {}

list "qomon_contact" "volunteers" {
  provider         = qomon
  include_resource = true

  config {
    tag = "volunteer"
  }
}

list "qomon_contact" "one" {
  provider = qomon
  limit    = 1
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("qomon_contact.volunteers", 2),
					querycheck.ExpectIdentity("qomon_contact.volunteers", map[string]knownvalue.Check{"id": knownvalue.Int64Exact(ada)}),
					querycheck.ExpectIdentity("qomon_contact.volunteers", map[string]knownvalue.Check{"id": knownvalue.Int64Exact(grace)}),
					querycheck.ExpectResourceDisplayName("qomon_contact.volunteers", byID(ada), knownvalue.StringExact("Ada Lovelace (a***@example.org)")),
					querycheck.ExpectResourceDisplayName("qomon_contact.volunteers", byID(grace), knownvalue.StringExact("Grace Hopper")),
					querycheck.ExpectResourceKnownValues("qomon_contact.volunteers", byID(ada), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("mail"), KnownValue: knownvalue.StringExact("ada@example.org")},
						{Path: tfjsonpath.New("address").AtMapKey("city"), KnownValue: knownvalue.StringExact("Paris")},
					}),
					querycheck.ExpectLength("qomon_contact.one", 1),
				},
			},
		},
	})
}
