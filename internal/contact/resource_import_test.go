package contact_test

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// importable is written the way Qomon stores it (lower-case mail, answers with their data), so
// that an import, which can only know what Qomon holds, gives back exactly this state.
const importable = `
resource "qomon_contact" "c" {
  firstname  = "Ada"
  surname    = "Lovelace"
  mail       = "ada@example.org"
  birthdate  = "1815-12-10"
  mobile     = "0601020304"
  black_list = false
  address = {
    housenumber = "12"
    street      = "rue de Rivoli"
    postalcode  = "75001"
    city        = "Paris"
  }
  tags          = ["alpha", "élue"]
  notes         = [{ content = "first" }, { content = "second", pinned = true }]
  formdatas     = [{ form_id = 11240, form_ref_id = 17871, data = "consent_email" }]
  custom_fields = [{ form_id = 11391, form_ref_id = 17894, data = "Architect" }]
  action_ids    = [7]
}
`

// Scenario 8: import by id (one GET) and by e-mail, both verified against the state the create
// left; an import {} block whose plan is empty; bad import ids.
func TestAccContact_import(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	config := env.ProviderConfig("") + importable
	var id int64
	idFunc := func(*terraform.State) (string, error) { return strconv.FormatInt(id, 10), nil }
	env.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{
			createStep(t, env, config, &id),
			{
				PreConfig:         env.Sim.ResetRequests,
				ResourceName:      "qomon_contact.c",
				ImportState:       true,
				ImportStateIdFunc: idFunc,
				ImportStateVerify: true,
				ImportStateCheck: func([]*terraform.InstanceState) error {
					return expectRequests(env.Sim, func() int64 { return id }, "GET /contacts/{id}")
				},
			},
			{
				ResourceName:      "qomon_contact.c",
				ImportState:       true,
				ImportStateId:     "mail:ada@example.org",
				ImportStateVerify: true,
			},
			{
				// import { to = qomon_contact.c, id = "<id>" } with the configuration above: the
				// plan must be a no-op import.
				ResourceName:      "qomon_contact.c",
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: idFunc,
			},
			// The imports that fail in the provider run in the test's own folder
			// (ImportStatePersist), which spares each a new folder and its init: they fail
			// before anything is imported, so the state keeps only qomon_contact.c.
			{
				ResourceName:       "qomon_contact.c",
				ImportState:        true,
				ImportStatePersist: true,
				ImportStateId:      "ada",
				ExpectError:        regexp.MustCompile(`(?s)Invalid import ID.*mail:jane@example.org`),
			},
			{
				ResourceName:       "qomon_contact.c",
				ImportState:        true,
				ImportStatePersist: true,
				ImportStateId:      "mail:not-an-address",
				ExpectError:        regexp.MustCompile(`(?s)Invalid import ID`),
			},
			{
				ResourceName:       "qomon_contact.c",
				ImportState:        true,
				ImportStatePersist: true,
				ImportStateId:      "-4",
				ExpectError:        regexp.MustCompile(`(?s)Invalid import ID`),
			},
			{
				ResourceName:       "qomon_contact.c",
				ImportState:        true,
				ImportStatePersist: true,
				ImportStateId:      "mail:nobody@example.org",
				ExpectError:        regexp.MustCompile(`(?s)No contact with this e-mail address.*nothing\s+was\s+imported`),
			},
			{
				PreConfig: func() {
					env.Sim.SeedContact(map[string]any{"surname": "Lovelace", "mail": "twin@example.org"})
					env.Sim.SeedContact(map[string]any{"surname": "King", "mail": "twin@example.org"})
				},
				ResourceName:       "qomon_contact.c",
				ImportState:        true,
				ImportStatePersist: true,
				ImportStateId:      "mail:twin@example.org",
				ExpectError:        regexp.MustCompile(`(?s)found\s+2\s+contact\(s\)\s+\(ids\s+\d+,\s+\d+\)`),
			},
			{
				// An id Qomon does not hold: the provider's import passes, then Terraform's read
				// finds nothing. In a new folder, as Terraform refuses an address it already
				// manages once the provider's import has passed.
				ResourceName:  "qomon_contact.c",
				ImportState:   true,
				ImportStateId: "99999999",
				ExpectError:   regexp.MustCompile(`(?s)Cannot import non-existent remote object`),
			},
		},
	})
}

// Scenario 8, generated configuration: `-generate-config-out` on contacts made in Qomon gives
// configurations whose plan is empty.
func TestAccContact_importGeneratesConfig(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{Spelling: qomonsim.SpellingOld})
	id := env.Sim.SeedContact(map[string]any{
		"firstname": "Grace", "surname": "Hopper", "mail": "grace@example.org", "gender": "F",
		"birthdate": "1906-12-09T00:00:00Z", "age_category": 6, "birthcity": "New York", "mobile": "0601020304",
		"black_list": true,
		"address":    map[string]any{"housenumber": "7", "street": "Broadway", "postalcode": "10001", "city": "New York", "floor": "2"},
		"tags":       []any{map[string]any{"name": "navy"}, map[string]any{"name": "cobol"}},
		"notes":      []any{map[string]any{"content": "Invented the compiler"}},
		"formdatas":  []any{map[string]any{"form_id": formSupport, "form_ref_id": refSupport}},
		"custom_fields": []any{
			map[string]any{"form_id": formNickname, "form_ref_id": refNickname, "data": "Amazing Grace"},
			map[string]any{"form_id": formJob, "form_ref_id": refTeacher},
		},
		"action_ids": []any{3, 5},
	})
	if id == 0 {
		t.Fatal("the simulator refused the seeded contact")
	}
	// The regression of a contact whose address parts were all cleared: Qomon keeps only its
	// geocoding verdict ("invalid": true). The provider used to read that as an address with
	// every part null, which -generate-config-out wrote out and the "Empty address"
	// validation then refused.
	mary := env.Sim.SeedContact(map[string]any{
		"firstname": "Mary", "surname": "Jackson", "address": map[string]any{"city": "Hampton"},
	})
	if mary == 0 {
		t.Fatal("the simulator refused the seeded contact")
	}
	must(t, env.Sim.EditContact(mary, func(c map[string]any) {
		c["address"] = map[string]any{"invalid": true, "score": 0}
	}))
	geocodingOnly := generateConfig(env, "mary", mary)
	geocodingOnly.ImportStateCheck = func(states []*terraform.InstanceState) error {
		if len(states) != 1 {
			return fmt.Errorf("want one imported contact, got %d", len(states))
		}
		if n := states[0].Attributes["address.%"]; n != "" && n != "0" {
			return fmt.Errorf("an address with geocoding only must read as no address, got %v", states[0].Attributes)
		}
		return nil
	}
	// Each import its own case: an import step that is not the first of its case starts from a
	// copy of the state the case's earlier steps left, and these left none.
	for _, step := range []resource.TestStep{generateConfig(env, "grace", id), geocodingOnly} {
		env.Test(t, resource.TestCase{
			// Terraform 1.5's config generation edits the provider schema it caches when it
			// drops computed-only attributes of nested attributes (notes.id, the address
			// geocoding), and then fails with `attribute "notes": incorrect list element type:
			// attribute "id" is required`. OpenTofu fixed this in configschema.Block.Filter;
			// Terraform 1.5.7 is the newest Terraform these machines can build, so the test
			// runs under OpenTofu.
			TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_6_0)},
			Steps:                  []resource.TestStep{step},
		})
	}
}

// generateConfig imports contact id into qomon_contact.<name> with an import block and
// -generate-config-out; the testing library fails the step unless the plan of the generated
// configuration is empty.
func generateConfig(env *acctest.Env, name string, id int64) resource.TestStep {
	return resource.TestStep{
		Config:                 env.ProviderConfig("") + fmt.Sprintf("import {\n  to = qomon_contact.%s\n  id = \"%d\"\n}\n", name, id),
		ResourceName:           "qomon_contact." + name,
		ImportStateId:          strconv.FormatInt(id, 10),
		ImportState:            true,
		ImportStateKind:        resource.ImportBlockWithID,
		ImportStateConfigExact: true,
		GenerateConfig:         true,
	}
}

// After `terraform import`, the configuration plans nothing; attributes it leaves out are not
// managed (the import cannot know the configuration), so removing one later clears nothing;
// once an apply has recorded the configuration, removing a managed attribute clears it.
func TestAccContact_importThenManage(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	id := env.Sim.SeedContact(map[string]any{
		"firstname": "Ada", "surname": "Lovelace", "mail": "ada@example.org", "mobile": "0601020304", "phone": "0102030405",
	})
	provider := env.ProviderConfig("")
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:             provider + contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`, `mail = "ada@example.org"`, `phone = "0102030405"`),
				ResourceName:       "qomon_contact.c",
				ImportState:        true,
				ImportStateId:      strconv.FormatInt(id, 10),
				ImportStatePersist: true,
			},
			{
				// Empty plan after import; the mobile (not in the configuration) is not touched.
				Config:           provider + contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`, `mail = "ada@example.org"`, `phone = "0102030405"`),
				ConfigPlanChecks: beforeApply(emptyPlan),
			},
			{
				// phone leaves the configuration before any apply recorded it as managed: kept.
				Config:           provider + contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`, `mail = "ada@example.org"`),
				ConfigPlanChecks: beforeApply(emptyPlan),
			},
			{
				// An apply records the configuration...
				Config: provider + contactHCL(`firstname = "Ada"`, `surname = "King"`, `mail = "ada@example.org"`),
			},
			{
				// ...so removing mail from it now clears the mail, once.
				Config:           provider + contactHCL(`firstname = "Ada"`, `surname = "King"`),
				ConfigPlanChecks: beforeApply(plans("mail", knownvalue.Null())),
				Check: qomonCheck(func() error {
					stored, _ := env.Sim.Contact(id)
					if _, ok := stored["mail"]; ok {
						return fmt.Errorf("mail still stored")
					}
					if stored["phone"] != "0102030405" || stored["mobile"] != "0601020304" {
						return fmt.Errorf("unmanaged phone %v / mobile %v changed", stored["phone"], stored["mobile"])
					}
					return nil
				}),
			},
		},
	})
}

// An import whose configuration spells values differently from Qomon (the mail's capitals, a
// postal code with its leading zero where Qomon holds 1000) is a no-op import: 1 to import, 0 to
// change. Under both response spellings (the old one returns the postal code as a number).
func TestAccContact_importWithOtherSpellings(t *testing.T) {
	t.Parallel()
	for _, spelling := range []qomonsim.Spelling{qomonsim.SpellingNew, qomonsim.SpellingOld} {
		t.Run(string(spelling), func(t *testing.T) {
			env := acctest.Parallel(t, qomonsim.Options{Spelling: spelling})
			env.Sim.SeedContact(map[string]any{
				"firstname": "Person", "surname": "Twelve", "mail": "person12@example.org", "birthdate": "1990-02-28T00:00:00Z",
				"address":       map[string]any{"postalcode": "1000", "city": "Bourg-en-Bresse"},
				"tags":          []any{map[string]any{"name": "e\u0301lue"}},
				"custom_fields": []any{map[string]any{"form_id": formJob, "form_ref_id": refArchitect, "data": "Architect"}},
			})
			cfg := env.ProviderConfig("") + contactHCL(`firstname = "Person"`, `surname = "Twelve"`,
				`mail = "Person12@Example.org"`, `birthdate = "1990-02-28T00:00:00Z"`,
				`address = { postalcode = "01000", city = "Bourg-en-Bresse" }`, `tags = ["élue"]`,
				fmt.Sprintf(`custom_fields = [{ form_id = %d, form_ref_id = %d }]`, formJob, refArchitect))
			env.Test(t, resource.TestCase{
				TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
				Steps: []resource.TestStep{{
					Config:          cfg,
					ResourceName:    "qomon_contact.c",
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithID,
					ImportStateId:   "mail:Person12@Example.org",
				}},
			})
		})
	}
}
