package contact_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// A value that means the same as state never plans a change, whatever spelling the
// configuration moves to: the mail's case, a birthdate as a timestamp, a postal code's leading
// zero, accents composed differently, tags in another order. PlanOnly steps fail on any
// difference; the last step applies a real change and checks that state keeps the spelling the
// plan kept.
func TestAccContact_respellingPlansNothing(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	provider := env.ProviderConfig("")
	cfg := func(mail, birthdate, postalcode, city, tags string, extra ...string) string {
		return provider + contactHCL(append([]string{
			`firstname = "Ada"`, `mail = "` + mail + `"`, `birthdate = "` + birthdate + `"`,
			`address = { postalcode = "` + postalcode + `", city = "` + city + `" }`, `tags = ` + tags,
		}, extra...)...)
	}
	var id int64
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: cfg("Ada@Example.ORG", "1990-02-28", "1000", "Bourg-en-Bresse", `["élue", "alpha"]`),
				Check: qomonCheck(func() error {
					id, _ = onlyContact(t, env.Sim)
					env.Sim.ResetRequests()
					return nil
				}),
			},
			{Config: cfg("ADA@EXAMPLE.org", "1990-02-28", "1000", "Bourg-en-Bresse", `["élue", "alpha"]`), PlanOnly: true},
			{Config: cfg("Ada@Example.ORG", "1990-02-28T00:00:00Z", "1000", "Bourg-en-Bresse", `["élue", "alpha"]`), PlanOnly: true},
			{Config: cfg("Ada@Example.ORG", "1990-02-28T01:00:00+01:00", "1000", "Bourg-en-Bresse", `["élue", "alpha"]`), PlanOnly: true},
			{Config: cfg("Ada@Example.ORG", "1990-02-28", "01000", "Bourg-en-Bresse", `["élue", "alpha"]`), PlanOnly: true},
			{Config: cfg("Ada@Example.ORG", "1990-02-28", "1000", "Bourg-en-Bresse", "[\"alpha\", \"e\u0301lue\"]"), PlanOnly: true},
			{
				// Every respelling at once, plus a real change: only the change is planned and sent.
				Config: cfg("ada@example.ORG", "1990-02-28T00:00:00.000Z", "01000", "Bourg-en-Bresse", "[\"alpha\", \"e\u0301lue\"]", `surname = "King"`),
				ConfigPlanChecks: beforeApply(
					plansUpdate,
					plans("mail", knownvalue.StringExact("Ada@Example.ORG")),
					plans("address.geocoding", knownvalue.NotNull()),
					planHook(env.Sim.ResetRequests),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					holds("mail", knownvalue.StringExact("Ada@Example.ORG")),
					holds("birthdate", knownvalue.StringExact("1990-02-28")),
					holds("address.postalcode", knownvalue.StringExact("1000")),
					holds("surname", knownvalue.StringExact("King")),
				},
				Check: qomonCheck(func() error {
					if err := expectWrites(env.Sim, func() int64 { return id }, "PATCH /contacts/{id}"); err != nil {
						return err
					}
					body, err := lastBody(env.Sim, "PATCH")
					if err != nil {
						return err
					}
					if body["mail"] != "ada@example.org" || body["surname"] != "King" {
						return fmt.Errorf("PATCH sent mail %v, surname %v: want Qomon's mail kept and the new surname", body["mail"], body["surname"])
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
		t.Run(spelling.String(), func(t *testing.T) {
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

// The CSV roster example (examples/csv-roster) runs as published: the empty cells are sent as
// nothing, an address of empty cells is no address, what someone enters in the app afterwards
// in a field whose cell is empty stays, and emptying a cell that held a value clears it once.
func TestAccCSVRosterExample(t *testing.T) {
	exampleAddress(t)
	env := acctest.New(t, qomonsim.Options{})
	dir := t.TempDir()
	writeRoster := func(csv string) {
		copyExample(t, "../../examples/csv-roster", dir)
		writeFile(t, dir+"/roster.csv", csv)
	}
	published := readFile(t, "../../examples/csv-roster/roster.csv")
	byMail := func(mail string) (int64, map[string]any) {
		for _, c := range env.Sim.Contacts() {
			if c["mail"] == mail {
				id, _ := c["id"].(float64)
				return int64(id), c
			}
		}
		t.Fatalf("no contact %s in Qomon", mail)
		return 0, nil
	}
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				PreConfig:                func() { writeRoster(published) },
				ProtoV6ProviderFactories: env.Factories,
				ConfigDirectory:          config.StaticDirectory(dir),
				// State checks, not Check: the testing library's legacy state cannot hold
				// for_each instances.
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					if n := env.Sim.ContactCount(); n != 3 {
						return fmt.Errorf("%d contacts in Qomon, want 3", n)
					}
					for _, r := range env.Sim.Requests() {
						if r.Method == "POST" && regexp.MustCompile(`:""`).Match(r.Body) {
							return fmt.Errorf("a create sent an empty string: %s", r.Body)
						}
					}
					_, grace := byMail("grace@example.org")
					if addr, _ := grace["address"].(map[string]any); addr["postalcode"] != "01000" || addr["street"] != nil {
						return fmt.Errorf("grace's address = %v", grace["address"])
					}
					_, alan := byMail("alan@example.org")
					if alan["address"] != nil || alan["mobile"] != nil {
						return fmt.Errorf("alan has an address %v or a mobile %v from empty cells", alan["address"], alan["mobile"])
					}
					return nil
				})},
			},
			{
				// People enter Grace's mobile and Alan's tags in the app: their cells are empty,
				// so nothing is planned and nothing is cleared.
				PreConfig: func() {
					gid, _ := byMail("grace@example.org")
					aid, _ := byMail("alan@example.org")
					must(t, env.Sim.EditContact(gid, func(c map[string]any) { c["mobile"] = "+33699999999" }))
					must(t, env.Sim.EditContact(aid, func(c map[string]any) {
						c["tags"] = []any{map[string]any{"name": "donor"}}
						c["address"] = map[string]any{"city": "Wilmslow"}
					}))
				},
				ProtoV6ProviderFactories: env.Factories,
				ConfigDirectory:          config.StaticDirectory(dir),
				ConfigPlanChecks:         beforeApply(emptyPlan),
			},
			{
				// Ada's mobile cell is emptied: managed until now, it is cleared once.
				PreConfig: func() {
					writeRoster(regexp.MustCompile(`\+33601020304`).ReplaceAllString(published, ""))
				},
				ProtoV6ProviderFactories: env.Factories,
				ConfigDirectory:          config.StaticDirectory(dir),
				ConfigPlanChecks:         beforeApply(expectActions{`qomon_contact.member["ada@example.org"]`: "update", `qomon_contact.member["grace@example.org"]`: "no-op"}),
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					_, ada := byMail("ada@example.org")
					_, grace := byMail("grace@example.org")
					if ada["mobile"] != nil || grace["mobile"] != "+33699999999" {
						return fmt.Errorf("ada's mobile %v (want cleared), grace's %v (want kept)", ada["mobile"], grace["mobile"])
					}
					return nil
				})},
			},
			{
				// Every row removed: every contact is destroyed, which also leaves the state
				// empty for the testing library's final destroy (it cannot read for_each
				// instances).
				PreConfig:                func() { writeRoster("mail,firstname,surname,mobile,street,postalcode,city,tags\n") },
				ProtoV6ProviderFactories: env.Factories,
				ConfigDirectory:          config.StaticDirectory(dir),
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					if n := env.Sim.ContactCount(); n != 0 {
						return fmt.Errorf("%d contacts left in Qomon", n)
					}
					return nil
				})},
			},
		},
	})
}

// The ownership rule of an imported contact, as documented: Terraform does not call the
// provider to apply an import that changes nothing, so the managed attributes are recorded at
// the first apply that updates the contact. Until then, removing an attribute from the
// configuration leaves its value in Qomon; from then on, it clears it once.
func TestAccContact_importedRecordsOwnershipAtFirstUpdate(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	id := env.Sim.SeedContact(map[string]any{"firstname": "Ada", "surname": "Lovelace", "phone": "0102030405"})
	provider := env.ProviderConfig("")
	withPhone := provider + contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`, `phone = "0102030405"`)
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:             withPhone,
				ResourceName:       "qomon_contact.c",
				ImportState:        true,
				ImportStateId:      fmt.Sprint(id),
				ImportStatePersist: true,
			},
			{
				// No apply has updated the contact yet: removing phone changes nothing.
				Config:   provider + contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`),
				PlanOnly: true,
			},
			{
				// The first update records what the configuration manages, phone included.
				Config: provider + contactHCL(`firstname = "Augusta"`, `surname = "Lovelace"`, `phone = "0102030405"`),
			},
			{
				Config:           provider + contactHCL(`firstname = "Augusta"`, `surname = "Lovelace"`),
				ConfigPlanChecks: beforeApply(plans("phone", knownvalue.Null())),
				Check: qomonCheck(func() error {
					if c, _ := env.Sim.Contact(id); c["phone"] != nil {
						return fmt.Errorf("phone still stored: %v", c["phone"])
					}
					return nil
				}),
			},
		},
	})
}

// Clearing the last part of an address shows the address going to null, not to "known after
// apply", and Qomon is left with no address.
func TestAccContact_clearLastAddressPart(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	provider := env.ProviderConfig("")
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: provider + contactHCL(`surname = "Lovelace"`, `address = { city = "Paris" }`)},
			{
				Config:           provider + contactHCL(`surname = "Lovelace"`),
				ConfigPlanChecks: beforeApply(plans("address", knownvalue.Null())),
				ConfigStateChecks: []statecheck.StateCheck{
					holds("address", knownvalue.Null()),
				},
			},
		},
	})
}
