package contact_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// identityCLIs gates the tests of resource identity: Terraform and OpenTofu both store it and
// accept `identity` in import blocks from 1.12 on. OpenTofu reports its own version where the
// testing library reads Terraform's (`tofu version -json` says "terraform_version": "1.12.6"),
// and OpenTofu's identity support came in its 1.12.0 too, so one version check gates both
// correctly: Terraform 1.5.7 skips, OpenTofu 1.12.6 runs.
var identityCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// The identity is the contact id from creation on, through updates, refreshes and imports by
// identity (which plan no change), including one whose configuration the CLI generates.
func TestAccContact_identity(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	provider := env.ProviderConfig("")
	var id int64
	identity := func() statecheck.StateCheck {
		return statecheck.ExpectIdentity("qomon_contact.c", map[string]knownvalue.Check{
			"id": knownvalue.Int64Func(func(v int64) error {
				if v != id {
					return fmt.Errorf("identity id %d, want the contact id %d", v, id)
				}
				return nil
			}),
		})
	}
	env.Test(t, resource.TestCase{
		TerraformVersionChecks: identityCLIs,
		Steps: []resource.TestStep{
			{
				Config: provider + importable,
				Check:  noteID(t, env, &id),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesState("qomon_contact.c", tfjsonpath.New("id")),
				},
			},
			{
				// An update in place keeps the identity.
				Config:            provider + strings.Replace(importable, `surname    = "Lovelace"`, `surname    = "King"`, 1),
				ConfigPlanChecks:  beforeApply(plansUpdate),
				ConfigStateChecks: []statecheck.StateCheck{identity()},
			},
			{
				// import { to = qomon_contact.c, identity = { id = <id> } }: a no-op import whose
				// planned identity is the one in state.
				Config:          provider + strings.Replace(importable, `surname    = "Lovelace"`, `surname    = "King"`, 1),
				ResourceName:    "qomon_contact.c",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				// The same import into a configuration the CLI writes (-generate-config-out).
				Config:          provider,
				ResourceName:    "qomon_contact.c",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				GenerateConfig:  true,
			},
			{
				// A refresh and plan leave it as it is.
				Config:            provider + strings.Replace(importable, `surname    = "Lovelace"`, `surname    = "King"`, 1),
				ConfigPlanChecks:  beforeApply(emptyPlan),
				ConfigStateChecks: []statecheck.StateCheck{identity()},
			},
		},
	})
}

// Import blocks by identity that cannot succeed fail with the provider's own words, and import
// nothing.
func TestAccContact_importByIdentityErrors(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	block := func(identity string) string {
		return env.ProviderConfig("") + fmt.Sprintf(`
import {
  to       = qomon_contact.c
  identity = %s
}

resource "qomon_contact" "c" {}
`, identity)
	}
	env.Test(t, resource.TestCase{
		TerraformVersionChecks: identityCLIs,
		Steps: []resource.TestStep{
			{
				Config:      block(`{ id = 99999999 }`),
				ExpectError: regexp.MustCompile(`Cannot import non-existent remote object`),
			},
			{
				Config:      block(`{ id = 0 }`),
				ExpectError: regexp.MustCompile(`Invalid import identity`),
			},
			{
				// id is required for import: the CLI refuses the block before the provider
				// sees it.
				Config:      block(`{}`),
				ExpectError: regexp.MustCompile(`attribute "id" is required`),
			},
		},
	})
	if n := env.Sim.ContactCount(); n != 0 {
		t.Errorf("the simulator holds %d contacts", n)
	}
}
