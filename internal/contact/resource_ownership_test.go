package contact_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// patchModeOf is how the simulator's PATCH behaves for an update mode's tests.
func patchModeOf(mode string) qomonsim.PatchMode {
	if mode == "merge" {
		return qomonsim.PatchMerge
	}
	return qomonsim.PatchReplace
}

// modeRun is one update mode's part of a test that runs both modes in the same CLI commands
// (bothModes): its simulator, with the matching PATCH, and the id of its contact,
// qomon_contact.<mode>, whose provider is served under its own local name.
type modeRun struct {
	mode string
	env  *acctest.Env
	id   int64
}

// modeProvider is the provider local name of a mode's contact: the provider's own for replace,
// a second provider server for merge.
func modeProvider(mode string) string {
	if mode == "replace" {
		return "qomon"
	}
	return "qomon" + mode
}

// bothModes starts a simulator for each update mode and returns the two runs, and the provider
// factories that serve each run's provider under its local name (modeProvider), for a test
// case whose configurations (modesConfig) manage a contact in each mode: every check is made
// of both, every CLI command serves both.
func bothModes(t *testing.T) ([]*modeRun, map[string]func() (tfprotov6.ProviderServer, error)) {
	t.Helper()
	t.Parallel()
	var runs []*modeRun
	factories := map[string]func() (tfprotov6.ProviderServer, error){}
	for _, mode := range []string{"replace", "merge"} {
		run := &modeRun{mode: mode, env: acctest.Start(t, qomonsim.Options{PatchMode: patchModeOf(mode)})}
		runs = append(runs, run)
		factories[modeProvider(mode)] = run.env.Factories["qomon"]
	}
	return runs, factories
}

// modesConfig is a configuration with a contact of these attribute lines in each mode.
func modesConfig(runs []*modeRun, lines ...string) string {
	config := requiredProviders(modeProvider(runs[0].mode), modeProvider(runs[1].mode))
	for _, run := range runs {
		config += fmt.Sprintf("\nprovider %q {\n  update_mode = %q\n}\n\n", modeProvider(run.mode), run.mode) +
			strings.Replace(contactHCL(append([]string{"provider = " + modeProvider(run.mode)}, lines...)...), `"c"`, `"`+run.mode+`"`, 1)
	}
	return config
}

// address is the address of the mode's contact in modesConfig's configurations.
func (run *modeRun) address() string { return "qomon_contact." + run.mode }

// eachMode is a step's check made for each mode (its errors name the mode).
func eachMode(runs []*modeRun, check func(run *modeRun, s *terraform.State) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, run := range runs {
			if err := check(run, s); err != nil {
				return fmt.Errorf("%s: %w", run.mode, err)
			}
		}
		return nil
	}
}

// eachContact gathers the plan or state checks made of each mode's contact, by its address.
func eachContact[Check any](runs []*modeRun, checks func(address string) []Check) []Check {
	var out []Check
	for _, run := range runs {
		out = append(out, checks(run.address())...)
	}
	return out
}

// noteIDs is a step's check that records the id of each mode's contact, the one contact its
// simulator holds.
func noteIDs(t *testing.T, runs []*modeRun) resource.TestCheckFunc {
	return qomonCheck(func() error {
		for _, run := range runs {
			run.id, _ = onlyContact(t, run.env.Sim)
		}
		return nil
	})
}

// updatesEach is the plan checks that each mode's contact is updated, with these planned
// values (by attribute path).
func updatesEach(runs []*modeRun, values map[string]knownvalue.Check) []plancheck.PlanCheck {
	var out []plancheck.PlanCheck
	for _, run := range runs {
		address := "qomon_contact." + run.mode
		out = append(out, plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate))
		for p, want := range values {
			out = append(out, plancheck.ExpectKnownValue(address, attr(p), want))
		}
	}
	return out
}

// holdEach is the state checks that each mode's contact holds these values.
func holdEach(runs []*modeRun, values map[string]knownvalue.Check) []statecheck.StateCheck {
	var out []statecheck.StateCheck
	for _, run := range runs {
		for p, want := range values {
			out = append(out, statecheck.ExpectKnownValue("qomon_contact."+run.mode, attr(p), want))
		}
	}
	return out
}

// snapshotEach is a plan check that records each mode's contact (its id, and how Qomon holds
// it before the apply, in before by mode) and clears the request logs, so that the step's
// checks see what the apply changed and asked.
func snapshotEach(t *testing.T, runs []*modeRun, before map[string]map[string]any) plancheck.PlanCheck {
	return planHook(func() {
		for _, run := range runs {
			run.id, before[run.mode] = onlyContact(t, run.env.Sim)
			run.env.Sim.ResetRequests()
		}
	})
}

// Scenario 3: a managed attribute removed from the configuration is cleared in Qomon once
// (the plan shows it going to null); from then on it is unmanaged: a value someone enters in
// Qomon later stays, and the plan is empty.
func TestAccContact_removeManagedAttribute(t *testing.T) {
	// Both update modes in the same CLI commands, each with its contact and simulator.
	runs, factories := bothModes(t)
	before := map[string]map[string]any{}
	removes := append(updatesEach(runs, map[string]knownvalue.Check{
		"phone": knownvalue.Null(), "tags": knownvalue.Null(), "address.street": knownvalue.Null(),
		"address.city": knownvalue.StringExact("Paris"),
	}), snapshotEach(t, runs, before))
	kept := holdEach(runs, map[string]knownvalue.Check{
		"phone": knownvalue.StringExact("0999999999"),
		"tags":  knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("from-the-app")}),
	})
	managed := modesConfig(runs, `firstname = "Ada"`, `surname = "Lovelace"`, `address = { city = "Paris" }`)
	runs[0].env.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{
				Config: modesConfig(runs, `firstname = "Ada"`, `surname = "Lovelace"`, `phone = "0102030405"`,
					`address = { street = "rue de Rivoli", city = "Paris" }`, `tags = ["alpha"]`),
			},
			{
				Config:           managed,
				ConfigPlanChecks: beforeApply(removes...),
				Check: qomonCheck(func() error {
					for _, run := range runs {
						after, _ := run.env.Sim.Contact(run.id)
						if got, want := changedKeys(before[run.mode], after), []string{"address.street", "phone", "tags"}; !equalStrings(got, want) {
							return fmt.Errorf("%s: Qomon's store changed in %v, want %v", run.mode, got, want)
						}
						if _, ok := after["phone"]; ok {
							return fmt.Errorf("%s: phone still stored: %v", run.mode, after["phone"])
						}
						if tags, _ := after["tags"].([]any); len(tags) != 0 {
							return fmt.Errorf("%s: %d tags still stored", run.mode, len(tags))
						}
					}
					return nil
				}),
			},
			{
				// Someone enters a phone and a tag in Qomon: no longer managed, they stay.
				PreConfig: func() {
					for _, run := range runs {
						must(t, run.env.Sim.EditContact(run.id, func(c map[string]any) {
							c["phone"] = "0999999999"
							c["tags"] = []any{map[string]any{"name": "from-the-app"}}
						}))
					}
				},
				Config: managed,
				ConfigPlanChecks: beforeApply(
					emptyPlan,
					planHook(func() {
						for _, run := range runs {
							run.env.Sim.ResetRequests()
						}
					}),
				),
				ConfigStateChecks: kept,
				Check: qomonCheck(func() error {
					// An empty plan writes nothing.
					for _, run := range runs {
						if err := expectRequests(run.env.Sim, func() int64 { return run.id }); err != nil {
							return fmt.Errorf("%s: %w", run.mode, err)
						}
					}
					return nil
				}),
			},
		},
	})
}

// Scenario 4: fields set in Qomon (a mobile, a consent answer) on a contact whose configuration
// does not set them survive an update of another field; the plan carries them unchanged and
// state shows them.
func TestAccContact_outOfBandUnmanagedFieldsSurvive(t *testing.T) {
	// Both update modes in the same CLI commands, each with its contact and simulator.
	runs, factories := bothModes(t)
	before := map[string]map[string]any{}
	consent := map[string]any{"form_id": formConsent, "form_ref_id": refConsentEmail, "data": "consent_email"}
	carried := append(updatesEach(runs, map[string]knownvalue.Check{
		"mobile": knownvalue.StringExact("0611223344"),
		"formdatas": knownvalue.SetExact([]knownvalue.Check{
			knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"form_id": knownvalue.Int64Exact(formConsent), "data": knownvalue.StringExact("consent_email"),
			}),
		}),
	}), snapshotEach(t, runs, before))
	shown := holdEach(runs, map[string]knownvalue.Check{
		"mobile": knownvalue.StringExact("0611223344"), "formdatas": knownvalue.SetSizeExact(1),
	})
	runs[0].env.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{
				Config: modesConfig(runs, `firstname = "Ada"`, `surname = "Lovelace"`),
				Check:  noteIDs(t, runs),
			},
			{
				PreConfig: func() {
					for _, run := range runs {
						must(t, run.env.Sim.EditContact(run.id, func(c map[string]any) {
							c["mobile"] = "0611223344"
							c["formdatas"] = []any{consent}
						}))
					}
				},
				Config:            modesConfig(runs, `firstname = "Ada"`, `surname = "King"`),
				ConfigPlanChecks:  beforeApply(carried...),
				ConfigStateChecks: shown,
				Check: qomonCheck(func() error {
					for _, run := range runs {
						after, _ := run.env.Sim.Contact(run.id)
						if got, want := changedKeys(before[run.mode], after), []string{"surname"}; !equalStrings(got, want) {
							return fmt.Errorf("%s: Qomon's store changed in %v, want %v", run.mode, got, want)
						}
						if formdatas, _ := after["formdatas"].([]any); after["mobile"] != "0611223344" || len(formdatas) != 1 {
							return fmt.Errorf("%s: out-of-band data lost: mobile %v, formdatas %v", run.mode, after["mobile"], after["formdatas"])
						}
					}
					return nil
				}),
			},
		},
	})
}

// Scenario 5: an out-of-band edit of a managed field shows in the plan as a correction, which
// the apply makes. Other spellings of the same value (Unicode composed differently) are no
// edit: the plan stays empty.
func TestAccContact_outOfBandEditOfManagedField(t *testing.T) {
	// Both update modes in the same CLI commands, each with its contact and simulator.
	runs, factories := bothModes(t)
	config := modesConfig(runs, `firstname = "Ada"`, `surname = "Hélène"`, `mail = "ada@example.org"`)
	before := map[string]map[string]any{}
	editEach := func(change func(c map[string]any)) func() {
		return func() {
			for _, run := range runs {
				must(t, run.env.Sim.EditContact(run.id, change))
			}
		}
	}
	corrects := append(updatesEach(runs, map[string]knownvalue.Check{"firstname": knownvalue.StringExact("Ada")}),
		snapshotEach(t, runs, before))
	runs[0].env.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  noteIDs(t, runs),
			},
			{
				PreConfig:        editEach(func(c map[string]any) { c["firstname"] = "Ado" }),
				Config:           config,
				ConfigPlanChecks: beforeApply(corrects...),
				Check: qomonCheck(func() error {
					for _, run := range runs {
						after, _ := run.env.Sim.Contact(run.id)
						if before[run.mode]["firstname"] != "Ado" || after["firstname"] != "Ada" {
							return fmt.Errorf("%s: firstname: %v before the apply, %v after; want Ado then Ada", run.mode, before[run.mode]["firstname"], after["firstname"])
						}
						if got, want := changedKeys(before[run.mode], after), []string{"firstname"}; !equalStrings(got, want) {
							return fmt.Errorf("%s: Qomon's store changed in %v, want %v", run.mode, got, want)
						}
					}
					return nil
				}),
			},
			{
				// The same surname with decomposed accents (e + U+0301) is not a change.
				PreConfig:        editEach(func(c map[string]any) { c["surname"] = "He\u0301le\u0300ne" }),
				Config:           config,
				ConfigPlanChecks: beforeApply(emptyPlan),
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

// The CSV roster example (examples/csv-roster) runs as published: the empty cells are sent as
// nothing, an address of empty cells is no address, what someone enters in the app afterwards
// in a field whose cell is empty stays, and emptying a cell that held a value clears it once.
func TestAccCSVRosterExample(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
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
				// People enter Grace's mobile and Alan's tags and address in the app: their cells
				// are empty, so nothing is planned for them and nothing is cleared. Meanwhile
				// Ada's mobile cell is emptied: managed until now, it is cleared once.
				PreConfig: func() {
					gid, _ := byMail("grace@example.org")
					aid, _ := byMail("alan@example.org")
					must(t, env.Sim.EditContact(gid, func(c map[string]any) { c["mobile"] = "+33699999999" }))
					must(t, env.Sim.EditContact(aid, func(c map[string]any) {
						c["tags"] = []any{map[string]any{"name": "donor"}}
						c["address"] = map[string]any{"city": "Wilmslow"}
					}))
					writeRoster(regexp.MustCompile(`\+33601020304`).ReplaceAllString(published, ""))
				},
				ProtoV6ProviderFactories: env.Factories,
				ConfigDirectory:          config.StaticDirectory(dir),
				ConfigPlanChecks: beforeApply(expectActions{
					`qomon_contact.member["ada@example.org"]`:   "update",
					`qomon_contact.member["grace@example.org"]`: "no-op",
					`qomon_contact.member["alan@example.org"]`:  "no-op",
				}),
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					_, ada := byMail("ada@example.org")
					_, grace := byMail("grace@example.org")
					_, alan := byMail("alan@example.org")
					if ada["mobile"] != nil || grace["mobile"] != "+33699999999" {
						return fmt.Errorf("ada's mobile %v (want cleared), grace's %v (want kept)", ada["mobile"], grace["mobile"])
					}
					addr, _ := alan["address"].(map[string]any)
					if tags, _ := alan["tags"].([]any); addr["city"] != "Wilmslow" || len(tags) != 1 {
						return fmt.Errorf("alan's address %v and tags %v, want the app's kept", alan["address"], alan["tags"])
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
