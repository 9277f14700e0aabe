package contact_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
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

// cliDirectory copies a configuration folder into one for the CLI under test: a .tofu file
// (what only OpenTofu reads, such as `identity` in an import block, which Terraform 1.5 cannot
// parse) becomes a .tf file for Terraform, as the examples' comments tell Terraform users to do.
// edits are pairs of old and new text, replaced in every file copied.
func cliDirectory(t *testing.T, src string, edits ...string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(edits); i += 2 {
			if !bytes.Contains(raw, []byte(edits[i])) {
				t.Fatalf("%s has no %q to replace", e.Name(), edits[i])
			}
			raw = bytes.ReplaceAll(raw, []byte(edits[i]), []byte(edits[i+1]))
		}
		name := e.Name()
		if base, ok := strings.CutSuffix(name, ".tofu"); ok && !acctest.IsOpenTofu() {
			name = base + ".tf"
		}
		if err := os.WriteFile(filepath.Join(dst, name), raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func volunteerAddr(id int64) string {
	return fmt.Sprintf("qomon_contact.volunteer[%q]", fmt.Sprint(id))
}

// TestAccAdoptExample_identity runs examples/adopt-existing/identity as published, under
// OpenTofu 1.12.6 (and any Terraform from 1.12): 50 contacts tagged volunteer, found by the
// qomon_contacts data source, are imported by identity with for_each; Qomon receives no write;
// the next plan is empty. A contact tagged later is imported by the next apply; one whose tag is
// removed stops the plan instead of being deleted.
func TestAccAdoptExample_identity(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	const n = 50
	ids := make([]int64, 0, n)
	for i := range n {
		c := map[string]any{
			"firstname": fmt.Sprintf("Volunteer%d", i), "surname": "Helper", "phone": "0102030405",
			"tags": []any{map[string]any{"name": "volunteer"}, map[string]any{"name": "kept"}},
		}
		switch i % 5 {
		case 1:
			c["mail"] = fmt.Sprintf("Volunteer%d@Example.org", i)
		case 2:
			c["address"] = map[string]any{"housenumber": "12", "street": "rue de Rivoli", "postalcode": "75001", "city": "Paris"}
		case 3:
			c["notes"] = []any{map[string]any{"content": "Canvassed in May", "pinned": true}}
			c["formdatas"] = []any{map[string]any{"form_id": formSupport, "form_ref_id": refSupport}}
		case 4:
			c["black_list"] = true
			c["birthdate"] = "1990-04-01T00:00:00Z"
		}
		id, err := env.Sim.TrySeedContact(c)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for _, c := range []map[string]any{
		{"surname": "NotAVolunteer", "tags": []any{map[string]any{"name": "volunteers"}}},
		{"surname": "Untagged"},
	} {
		env.Sim.SeedContact(c)
	}
	before := env.Sim.Contacts()
	dir := config.StaticDirectory(cliDirectory(t, adoptExample+"identity"))

	imports := expectActions{}
	var identities []statecheck.StateCheck
	for _, id := range ids {
		imports[volunteerAddr(id)] = "no-op"
		identities = append(identities,
			statecheck.ExpectIdentity(volunteerAddr(id), map[string]knownvalue.Check{"id": knownvalue.Int64Exact(id)}),
			statecheck.ExpectIdentityValueMatchesState(volunteerAddr(id), tfjsonpath.New("id")),
			// Unmanaged attributes mirror Qomon.
			expectState(volunteerAddr(id), "tags", knownvalue.SetSizeExact(2)),
		)
	}
	const late = 30000001 // tagged after the adoption
	env.Test(t, resource.TestCase{
		TerraformVersionChecks: identityCLIs,
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: env.Factories,
				ConfigDirectory:          dir,
				ConfigPlanChecks:         beforeApply(imports),
				ConfigStateChecks:        append(identities, noWrites(env.Sim, &before)),
			},
			{
				ProtoV6ProviderFactories: env.Factories,
				ConfigDirectory:          dir,
				ConfigPlanChecks:         beforeApply(emptyPlan),
			},
			{
				// Someone tags another contact: the next apply adopts it, and only it.
				PreConfig: func() {
					if _, err := env.Sim.TrySeedContact(map[string]any{"id": late, "surname": "Late",
						"tags": []any{map[string]any{"name": "volunteer"}}}); err != nil {
						t.Fatal(err)
					}
					env.Sim.ResetRequests()
					before = env.Sim.Contacts()
				},
				ProtoV6ProviderFactories: env.Factories,
				ConfigDirectory:          dir,
				ConfigPlanChecks:         beforeApply(expectActions{volunteerAddr(late): "no-op"}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(volunteerAddr(late), map[string]knownvalue.Check{"id": knownvalue.Int64Exact(late)}),
					noWrites(env.Sim, &before),
				},
			},
			{
				// Someone removes the tag of a volunteer: the plan fails rather than delete it.
				PreConfig: func() {
					if err := env.Sim.EditContact(ids[7], func(c map[string]any) { delete(c, "tags") }); err != nil {
						t.Fatal(err)
					}
				},
				ProtoV6ProviderFactories: env.Factories,
				ConfigDirectory:          dir,
				// "Resource instance cannot be destroyed" (OpenTofu), "Instance cannot be
				// destroyed" (Terraform), each naming the instance.
				ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)[Ii]nstance cannot be destroyed.*volunteer\["%d"\]`, ids[7])),
			},
			{
				// Stop managing the group without deleting it from Qomon (and leave the state
				// empty: the testing library's final destroy cannot read for_each instances).
				ProtoV6ProviderFactories: env.Factories,
				ConfigDirectory:          config.StaticDirectory(cliDirectory(t, "testdata/data_source_adopt_removed")),
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					if got, want := env.Sim.ContactCount(), n+3; got != want {
						return fmt.Errorf("the simulator holds %d contacts, want %d", got, want)
					}
					return nil
				})},
			},
		},
	})
}

// When more contacts are tagged volunteer than the example's max_results, its postcondition
// stops the plan before anything is imported, rather than leave contacts out silently. The
// example's bound (5000) is lowered to 3 in the test's copy, to keep the test small.
func TestAccAdoptExample_identityTruncated(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	for i := range 4 {
		env.Sim.SeedContact(map[string]any{"surname": fmt.Sprintf("V%d", i), "tags": []any{map[string]any{"name": "volunteer"}}})
	}
	dir := cliDirectory(t, adoptExample+"identity", "max_results = 5000", "max_results = 3")
	env.Test(t, resource.TestCase{
		TerraformVersionChecks: identityCLIs,
		Steps: []resource.TestStep{{
			ProtoV6ProviderFactories: env.Factories,
			ConfigDirectory:          config.StaticDirectory(dir),
			ExpectError:              regexp.MustCompile(`More than max_results contacts are tagged volunteer`),
		}},
	})
	for _, r := range env.Sim.Requests() {
		if r.Method == "GET" {
			t.Fatalf("a contact was read (%s): the plan went on after the postcondition", r.Path)
		}
	}
}

// The adoption example (examples/adopt-existing) runs here as it is published: its folders are
// the test configurations, with their own terraform and provider blocks, whose source address
// qomon/qomon is the one acctest.Main serves the provider under.
const adoptExample = "../../examples/adopt-existing/"

// TestAccAdoptExample_find runs step 1 under each CLI: the search finds the volunteers (and
// only them), and the outputs hold what the next steps need.
func TestAccAdoptExample_find(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	volunteer := func(name string) int64 {
		return env.Sim.SeedContact(map[string]any{"firstname": name, "surname": "Helper", "tags": []any{map[string]any{"name": "volunteer"}}})
	}
	a, b := volunteer("Ann"), volunteer("Bob")
	env.Sim.SeedContact(map[string]any{"firstname": "Cy", "surname": "Other", "tags": []any{map[string]any{"name": "volunteers"}}})

	env.Test(t, resource.TestCase{
		// The example's own terraform block names the provider, so the testing library wants
		// the factories on the step.
		Steps: []resource.TestStep{{
			ProtoV6ProviderFactories: env.Factories,
			ConfigDirectory:          config.StaticDirectory(adoptExample + "find"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("volunteers_truncated", knownvalue.Bool(false)),
				statecheck.ExpectKnownOutputValue("volunteer_ids", knownvalue.SetExact([]knownvalue.Check{
					knownvalue.Int64Exact(a), knownvalue.Int64Exact(b),
				})),
				statecheck.ExpectKnownOutputValue("import_blocks", knownvalue.StringFunc(func(text string) error {
					for _, id := range []int64{a, b} {
						block := fmt.Sprintf("import {\n  to = qomon_contact.contact_%d\n  id = \"%d\"\n}\n", id, id)
						if !strings.Contains(text, block) {
							return fmt.Errorf("import_blocks lacks\n%s\nin\n%s", block, text)
						}
					}
					if n := strings.Count(text, "import {"); n != 2 {
						return fmt.Errorf("import_blocks holds %d blocks, want 2:\n%s", n, text)
					}
					return nil
				})),
			},
		}},
	})
}

// TestAccAdoptExample_forEach runs the for_each route (OpenTofu; Terraform 1.5 has no for_each
// in import blocks): the contacts of volunteers.json are imported, Qomon receives no write, and
// the next plan is empty.
func TestAccAdoptExample_forEach(t *testing.T) {
	if !acctest.IsOpenTofu() {
		t.Skip("import blocks with for_each need Terraform 1.7 or OpenTofu; the Terraform run uses 1.5.7")
	}
	env := acctest.Parallel(t, qomonsim.Options{})
	raw, err := os.ReadFile(adoptExample + "for-each/volunteers.json")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if err := json.Unmarshal(raw, &ids); err != nil || len(ids) == 0 {
		t.Fatalf("volunteers.json: %v (%d ids)", err, len(ids))
	}
	for i, id := range ids {
		got, err := env.Sim.TrySeedContact(map[string]any{
			"id": id, "firstname": fmt.Sprintf("Volunteer%d", i), "surname": "Helper", "black_list": false,
			"phone": "0102030405", "tags": []any{map[string]any{"name": "volunteer"}, map[string]any{"name": "kept"}},
		})
		if err != nil || got != id {
			t.Fatalf("seeding contact %d: %v (got %d)", id, err, got)
		}
	}
	before := env.Sim.Contacts()

	var checks []statecheck.StateCheck
	for _, id := range ids {
		addr := fmt.Sprintf("qomon_contact.volunteer[%q]", fmt.Sprint(id))
		checks = append(checks,
			expectState(addr, "id", knownvalue.Int64Exact(id)),
			// Unmanaged attributes mirror Qomon.
			expectState(addr, "phone", knownvalue.StringExact("0102030405")),
			expectState(addr, "tags", knownvalue.SetSizeExact(2)),
		)
	}
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			ProtoV6ProviderFactories: env.Factories,
			ConfigDirectory:          config.StaticDirectory(adoptExample + "for-each"),
			ConfigPlanChecks:         beforeApply(expectActions{volunteerAddr(ids[0]): "no-op"}),
			// A state check, not Check: the testing library's legacy state cannot hold
			// for_each instances.
			ConfigStateChecks: append(checks, noWrites(env.Sim, &before)),
		}, {
			// Stop managing the group without deleting it from Qomon, as the guide says. This
			// also leaves the state empty: the testing library's final destroy cannot read
			// for_each instances.
			ProtoV6ProviderFactories: env.Factories,
			ConfigDirectory:          config.StaticDirectory("testdata/data_source_adopt_removed"),
			ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
				if n := len(env.Sim.Contacts()); n != len(ids) {
					return fmt.Errorf("the simulator holds %d contacts after removed, want %d", n, len(ids))
				}
				return nil
			})},
		}},
	})
}

// noWrites checks that Qomon received no write since the simulator held *before (read when the
// check runs): only reads, searches and the configuration check, the same contacts, none of
// them updated.
func noWrites(sim *qomonsim.Server, snapshot *[]map[string]any) statecheck.StateCheck {
	return stateCheckFunc(func() error {
		before := *snapshot
		for _, r := range sim.Requests() {
			if r.Method != "GET" && r.Method != "POST" || r.Method == "POST" && r.Path != "/search" && !configurationCheck(r) {
				return fmt.Errorf("adoption wrote to Qomon: %s %s", r.Method, r.Path)
			}
		}
		after := sim.Contacts()
		if len(after) != len(before) {
			return fmt.Errorf("the simulator holds %d contacts, had %d", len(after), len(before))
		}
		for i := range before {
			if b, a := before[i]["UpdatedAt"], after[i]["UpdatedAt"]; b != a {
				return fmt.Errorf("contact %v was written (UpdatedAt %v -> %v)", before[i]["id"], b, a)
			}
		}
		return nil
	})
}

// stateCheckFunc runs fn as a state check, after the step's apply.
type stateCheckFunc func() error

func (f stateCheckFunc) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}
