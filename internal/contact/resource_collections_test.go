package contact_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// Collections do what the plan says: an element Qomon filled in is the same element, an option
// written by its label is its value, a radio form takes one answer, notes keep their identity.

// Options of the simulator's default catalogue used below (qomonsim.DefaultForms).
const (
	formTopics     = 11301 // level_of_support, checkbox
	refEnvironment = 17883
	refHousing     = 17884
	refTransport   = 17885
	formNewsletter = 11241 // consent, radio: Yes/yes, No/no
	refYes         = 17876
	refNo          = 17877
)

// storedAnswer finds the answer to form/ref in a stored contact's key ("formdatas").
func storedAnswer(c map[string]any, key string, form, ref int64) map[string]any {
	list, _ := c[key].([]any)
	for _, item := range list {
		m, _ := item.(map[string]any)
		if m["form_id"] == float64(form) && m["form_ref_id"] == float64(ref) {
			return m
		}
	}
	return nil
}

func answerHCL(form, ref int64, data string) string {
	return fmt.Sprintf("{ form_id = %d, form_ref_id = %d, data = %q }", form, ref, data)
}

// An answer that Qomon dated (someone answered in the app) is the same answer as the one the
// configuration lists without a date: managing it plans no change, and when another answer
// changes, the plan and state keep its date, and Qomon keeps it.
func TestAccContact_answerDatedByQomon(t *testing.T) {
	const date = "2026-11-30T10:00:00Z"
	modes(t, func(t *testing.T, env *acctest.Env, provider string) {
		var id int64
		housing, transport, environment := answerHCL(formTopics, refHousing, "housing"), answerHCL(formTopics, refTransport, "transport"),
			answerHCL(formTopics, refEnvironment, "environment")
		transportDated := knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"form_ref_id": knownvalue.Int64Exact(refTransport), "date": knownvalue.StringExact(date),
		})
		env.Test(t, resource.TestCase{
			Steps: []resource.TestStep{
				{Config: provider + contactHCL(`firstname = "Ada"`, "formdatas = ["+housing+"]")},
				{
					// Someone answers "transport" in the app, which dates the answer.
					PreConfig: func() {
						id, _ = onlyContact(t, env.Sim)
						must(t, env.Sim.EditContact(id, func(c map[string]any) {
							c["formdatas"] = append(c["formdatas"].([]any), map[string]any{
								"form_id": formTopics, "form_ref_id": refTransport, "data": "transport", "date": date})
						}))
					},
					Config: provider + contactHCL(`firstname = "Ada"`, "formdatas = ["+housing+", "+transport+"]"),
					ConfigPlanChecks: beforeApply(
						emptyPlan,
						plans("formdatas", knownvalue.SetPartial([]knownvalue.Check{transportDated})),
					),
				},
				{
					Config: provider + contactHCL(`firstname = "Ada"`, "formdatas = ["+environment+", "+transport+"]"),
					ConfigPlanChecks: beforeApply(
						plansUpdate,
						plans("formdatas", knownvalue.SetExact([]knownvalue.Check{
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"form_id": knownvalue.Int64Exact(formTopics), "form_ref_id": knownvalue.Int64Exact(refEnvironment),
								"data": knownvalue.StringExact("environment"), "date": knownvalue.Null(),
							}),
							transportDated,
						})),
					),
					ConfigStateChecks: []statecheck.StateCheck{
						holds("formdatas", knownvalue.SetPartial([]knownvalue.Check{transportDated})),
					},
					Check: qomonCheck(func() error {
						c, _ := env.Sim.Contact(id)
						a := storedAnswer(c, "formdatas", formTopics, refTransport)
						if a == nil || a["date"] != "2026-11-30T10:00:00.000000Z" {
							return fmt.Errorf("Qomon holds the transport answer as %v, want it with its date", a)
						}
						if storedAnswer(c, "formdatas", formTopics, refHousing) != nil || storedAnswer(c, "formdatas", formTopics, refEnvironment) == nil {
							return fmt.Errorf("Qomon holds %v, want environment and transport", c["formdatas"])
						}
						return nil
					}),
				},
			},
		})
	})
}

// An option written by its label (what the qomon_form data source's options map is keyed by)
// is the same answer as the option's value, which Qomon stores: the plan shows the value,
// state and Qomon hold it, and the next plan is empty (checked after every step). Data that is
// neither is refused at plan time.
func TestAccContact_optionLabel(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	newsletter := `
data "qomon_form" "newsletter" {
  type  = "consent"
  label = "Newsletter"
}
`
	withData := func(data string) string {
		return env.ProviderConfig("") + newsletter + contactHCL(`firstname = "Ada"`,
			fmt.Sprintf(`formdatas = [{ form_id = data.qomon_form.newsletter.id, form_ref_id = data.qomon_form.newsletter.options["Yes"], data = %q }]`, data))
	}
	yes := knownvalue.SetExact([]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"form_ref_id": knownvalue.Int64Exact(refYes), "data": knownvalue.StringExact("yes"),
	})})
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:            withData("Yes"),
				ConfigPlanChecks:  beforeApply(plans("formdatas", yes)),
				ConfigStateChecks: []statecheck.StateCheck{holds("formdatas", yes)},
				Check: qomonCheck(func() error {
					_, c := onlyContact(t, env.Sim)
					if a := storedAnswer(c, "formdatas", formNewsletter, refYes); a == nil || a["data"] != "yes" {
						return fmt.Errorf("Qomon holds %v", c["formdatas"])
					}
					return nil
				}),
			},
			// Writing the value instead changes nothing.
			{Config: withData("yes"), ConfigPlanChecks: beforeApply(emptyPlan)},
			{Config: withData("Oui"), ExpectError: regexp.MustCompile(
				`(?s)Invalid form answer.*form\s+11241\s+\("Newsletter"\)\s+with\s+option\s+17876\s+\("Yes"\)\s+is\s+neither\s+the\s+option's\s+value\s+nor\s+its\s+label`)},
		},
	})
}

// Two answers to a radio form (Qomon keeps one) are refused at plan time, naming the form and
// the options; nothing is sent.
func TestAccContact_radioTakesOneAnswer(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.ProviderConfig("") + contactHCL(`firstname = "Ada"`,
				"formdatas = ["+answerHCL(formNewsletter, refYes, "yes")+", "+answerHCL(formNewsletter, refNo, "no")+"]"),
			ExpectError: regexp.MustCompile(`(?s)Several answers to a single-choice form.*formdatas\s+holds\s+2\s+answers\s+to\s+form\s+11241\s+` +
				`\("Newsletter"\),\s+a\s+single-choice\s+\(radio\)\s+form:\s+17876\s+\("Yes"\),\s+17877\s+\("No"\)`),
		}},
		// Nothing was created by the refused plan, nor sent.
		CheckDestroy: qomonCheck(func() error {
			if n, sent := env.Sim.ContactCount(), countRequests(env.Sim, "POST", "/contacts"); n != 0 || sent != 0 {
				return fmt.Errorf("%d contacts created, %d sent", n, sent)
			}
			return nil
		}),
	})
}

// noteIdentity reads the id and creation date of each stored note, by text.
func noteIdentity(c map[string]any) map[string]string {
	out := map[string]string{}
	notes, _ := c["notes"].([]any)
	for _, n := range notes {
		m, _ := n.(map[string]any)
		text, _ := m["data"].(string)
		out[text] = fmt.Sprint(m["id"], " ", m["created_at"])
	}
	return out
}

// Notes keep their identity: an added note leaves the others as they were (same ids, same
// creation dates), in the plan, in the request and in Qomon; an edited note stays that note.
// In both modes, against a Qomon that keeps the ids of notes sent with them (the simulator's
// default); against one that renews them, the next refresh shows Qomon's new ids.
func TestAccContact_notesKeepTheirIdentity(t *testing.T) {
	modes(t, func(t *testing.T, env *acctest.Env, provider string) {
		var id int64
		var before map[string]string
		snapshot := planHook(func() {
			var c map[string]any
			id, c = onlyContact(t, env.Sim)
			before = noteIdentity(c)
		})
		keeps := func(texts ...string) resource.TestCheckFunc {
			return qomonCheck(func() error {
				c, _ := env.Sim.Contact(id)
				after := noteIdentity(c)
				for _, text := range texts {
					if after[text] != before[text] {
						return fmt.Errorf("note %q was %s, is now %s: Qomon recreated it", text, before[text], after[text])
					}
				}
				return nil
			})
		}
		stateID := func(i int) plancheck.PlanCheck {
			return plancheck.ExpectKnownValue("qomon_contact.c", tfjsonpath.New("notes").AtSliceIndex(i).AtMapKey("id"), knownvalue.NotNull())
		}
		env.Test(t, resource.TestCase{
			Steps: []resource.TestStep{
				{Config: provider + contactHCL(`firstname = "Ada"`, `notes = [{ content = "first" }, { content = "second", pinned = true }]`)},
				{
					// A note added at the end: the plan keeps the others' ids, only the new one is unknown.
					Config: provider + contactHCL(`firstname = "Ada"`, `notes = [{ content = "first" }, { content = "second", pinned = true }, { content = "third" }]`),
					ConfigPlanChecks: beforeApply(
						stateID(0), stateID(1),
						plansUnknown("notes.2.id"),
						snapshot,
					),
					Check: keeps("first", "second"),
				},
				{
					// The second note edited: it keeps its id and creation date; so do the others.
					Config:           provider + contactHCL(`firstname = "Ada"`, `notes = [{ content = "first" }, { content = "second, edited", pinned = true }, { content = "third" }]`),
					ConfigPlanChecks: beforeApply(stateID(0), stateID(1), stateID(2), snapshot),
					Check: func(s *terraform.State) error {
						if err := keeps("first", "third")(s); err != nil {
							return err
						}
						c, _ := env.Sim.Contact(id)
						after := noteIdentity(c)
						if strings.Fields(after["second, edited"])[0] != strings.Fields(before["second"])[0] {
							return fmt.Errorf("the edited note is %s, was %s: want the same note", after["second, edited"], before["second"])
						}
						return nil
					},
				},
				{
					// A Qomon that renews every note on every write: the apply gives every note a new
					// id, which the next refresh shows.
					PreConfig: func() { env.Sim.Configure(func(o *qomonsim.Options) { o.NoteIDs = qomonsim.NoteIDsRenew }) },
					Config:    provider + contactHCL(`firstname = "Ada"`, `notes = [{ content = "first" }, { content = "second, edited", pinned = true }]`),
				},
				{
					RefreshState: true,
					Check: func(s *terraform.State) error {
						c, _ := env.Sim.Contact(id)
						attrs := s.RootModule().Resources["qomon_contact.c"].Primary.Attributes
						notes, _ := c["notes"].([]any)
						for i, n := range notes {
							m, _ := n.(map[string]any)
							if got, want := attrs[fmt.Sprintf("notes.%d.id", i)], fmt.Sprintf("%.0f", m["id"]); got != want {
								return fmt.Errorf("after a refresh, state holds note id %s, Qomon %s", got, want)
							}
						}
						return nil
					},
				},
			},
		})
	})
}

// Handing notes back to people: remove them from the configuration and list them in
// lifecycle.ignore_changes. Terraform then gives the provider the notes in state as if
// configured, so nothing is planned or sent for them; the next apply that updates the contact
// records them as unmanaged (Terraform hands apply the configuration as written), and from
// then on the lifecycle block can go too. Notes people write in Qomon survive throughout.
func TestAccContact_handNotesBackToPeople(t *testing.T) {
	modes(t, func(t *testing.T, env *acctest.Env, provider string) {
		var id int64
		ignore := "lifecycle {\n    ignore_changes = [notes]\n  }"
		peopleNotes := func(want ...string) resource.TestCheckFunc {
			return qomonCheck(func() error {
				c, _ := env.Sim.Contact(id)
				if got := noteTexts(c); strings.Join(got, "|") != strings.Join(want, "|") {
					return fmt.Errorf("Qomon holds the notes %q, want %q", got, want)
				}
				return nil
			})
		}
		addNote := func(text string) func() {
			return func() {
				must(t, env.Sim.EditContact(id, func(c map[string]any) {
					c["notes"] = append(c["notes"].([]any), map[string]any{"content": text})
				}))
			}
		}
		empty := beforeApply(emptyPlan)
		env.Test(t, resource.TestCase{
			Steps: []resource.TestStep{
				createStep(t, env, provider+contactHCL(`firstname = "Ada"`, `notes = [{ content = "from Terraform" }]`), &id),
				// notes leave the configuration, into ignore_changes: no change planned.
				{Config: provider + contactHCL(`firstname = "Ada"`, ignore), ConfigPlanChecks: empty, Check: peopleNotes("from Terraform")},
				// Someone adds a note in the app; still nothing planned.
				{PreConfig: addNote("from the app"), Config: provider + contactHCL(`firstname = "Ada"`, ignore), ConfigPlanChecks: empty,
					Check: peopleNotes("from Terraform", "from the app")},
				// Another change is applied: the notes stay as people left them.
				{Config: provider + contactHCL(`firstname = "Augusta"`, ignore), Check: peopleNotes("from Terraform", "from the app")},
				// The lifecycle block goes: notes are no longer managed, nothing is planned.
				{Config: provider + contactHCL(`firstname = "Augusta"`), ConfigPlanChecks: empty, Check: peopleNotes("from Terraform", "from the app")},
				{PreConfig: addNote("later"), Config: provider + contactHCL(`firstname = "Augusta"`), ConfigPlanChecks: empty,
					Check: peopleNotes("from Terraform", "from the app", "later")},
			},
		})
	})
}

// The hand-over needs an apply that updates the contact while the lifecycle block is there:
// until then the notes are still recorded as managed (Terraform calls the provider's apply
// only when something changes), so removing the block at once plans to clear them, as the
// guide warns. Nothing is applied here: the notes stay in Qomon.
func TestAccContact_handNotesBackTooEarly(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	provider := env.ProviderConfig("")
	ignore := "lifecycle {\n    ignore_changes = [notes]\n  }"
	empty := beforeApply(emptyPlan)
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: provider + contactHCL(`firstname = "Ada"`, `notes = [{ content = "from Terraform" }]`)},
			{Config: provider + contactHCL(`firstname = "Ada"`, ignore), ConfigPlanChecks: empty},
			{
				Config:             provider + contactHCL(`firstname = "Ada"`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plansUpdate,
				}},
			},
		},
	})
}

// noteTexts lists a stored contact's note texts, in order.
func noteTexts(c map[string]any) []string {
	var out []string
	notes, _ := c["notes"].([]any)
	for _, n := range notes {
		m, _ := n.(map[string]any)
		text, _ := m["data"].(string)
		out = append(out, text)
	}
	return out
}

// The forms catalogue costs one request per family (six), once per provider process, and
// only when a configuration holds form answers: three contacts with answers cost six GETs
// in the apply's process, a configuration without answers none.
func TestAccContact_formsCatalogueCost(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	countListings := func(want int) resource.TestCheckFunc {
		return qomonCheck(func() error {
			n := 0
			for _, r := range env.Sim.Requests() {
				if formsListing(r) {
					n++
				}
			}
			if n != want {
				return fmt.Errorf("%d forms listings in the apply, want %d", n, want)
			}
			return nil
		})
	}
	three := func(answers string) string {
		return env.ProviderConfig("") + `
resource "qomon_contact" "c" {
  count     = 3
  firstname = "Ada ${count.index}"
` + answers + `
}
`
	}
	reset := beforeApply(planHook(env.Sim.ResetRequests))
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: three("  custom_fields = [{ form_id = 11391, form_ref_id = 17894, data = \"Architect\" }]"), ConfigPlanChecks: reset,
				Check: countListings(6)},
			{Config: three(""), ConfigPlanChecks: reset, Check: countListings(0)},
		},
	})
}

// A search for text with accents finds the contact whichever Unicode form Qomon holds it in,
// as the resource treats both forms as the same name: composed ("é") and decomposed ("e" and
// a combining accent).
func TestAccContactsDataSource_unicodeForms(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	decomposed := env.Sim.SeedContact(map[string]any{"firstname": "Zoe\u0301", "surname": "Dupre\u0301", "mail": "zoe\u0301.dupre\u0301@example.org",
		"address": map[string]any{"city": "Orle\u0301ans"}})
	composed := env.Sim.SeedContact(map[string]any{"firstname": "Ren\u00e9", "surname": "Lef\u00e8vre", "mail": "rene@example.org"})
	other := env.Sim.SeedContact(map[string]any{"firstname": "Zoe", "surname": "Dupre", "mail": "zoe@example.org"})
	if decomposed == 0 || composed == 0 || other == 0 {
		t.Fatal("seeding failed")
	}
	step := searchStep(env, []searchCase{
		// Composed in the configuration, decomposed in Qomon, and the other way round.
		{"surname = \"Dupr\u00e9\"", []int64{decomposed}},
		{"surname = \"Lefe\u0300vre\"", []int64{composed}},
		{"firstname = \"Zo\u00e9\"\ncity = \"Orl\u00e9ans\"", []int64{decomposed}},
		{"any_of = [{ surname = \"Dupr\u00e9\" }, { firstname = \"Rene\u0301\" }]", []int64{decomposed, composed}},
		// Without accents, only the name without accents.
		{`surname = "Dupre"`, []int64{other}},
	})
	// The mail lookup of qomon_contact too.
	step.Config += "data \"qomon_contact\" \"one\" {\n  mail = \"Zo\u00e9.Dupr\u00e9@example.org\"\n}\n"
	step.ConfigStateChecks = []statecheck.StateCheck{
		expectState("data.qomon_contact.one", "id", knownvalue.Int64Exact(decomposed)),
	}
	env.Test(t, resource.TestCase{Steps: []resource.TestStep{step}})
}
