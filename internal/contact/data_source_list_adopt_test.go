package contact_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// The adoption example (examples/adopt-existing) runs here as it is published: its folders are
// the test configurations, with their own terraform and provider blocks.
const adoptExample = "../../examples/adopt-existing/"

// exampleAddress makes the examples' `source = "qomon/qomon"` name the provider under test.
// OpenTofu runs already use this namespace; Terraform runs default to hashicorp.
func exampleAddress(t *testing.T) {
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "qomon")
}

// TestAccAdoptExample_find runs step 1 under each CLI: the search finds the volunteers (and
// only them), and the outputs hold what the next steps need.
func TestAccAdoptExample_find(t *testing.T) {
	exampleAddress(t)
	env := acctest.New(t, qomonsim.Options{})
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
			},
			Check: func(s *terraform.State) error {
				out, ok := s.RootModule().Outputs["import_blocks"]
				if !ok {
					return fmt.Errorf("no import_blocks output")
				}
				text, _ := out.Value.(string)
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
	exampleAddress(t)
	env := acctest.New(t, qomonsim.Options{})
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
