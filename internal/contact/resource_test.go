package contact_test

import (
	"fmt"
	"regexp"
	"strconv"
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

// Form ids of the simulator's default catalogue (qomonsim.DefaultForms).
const (
	formConsent     = 11240 // checkbox; option consent_email = 17871, consent_sms = 17872
	formSupport     = 11300 // radio; option support = 17880, opposed = 17882
	formJob         = 11391 // custom field, radio; Architect = 17894, Teacher = 17895
	formNickname    = 11393 // custom field, free text; option 17901
	refConsentEmail = 17871
	refConsentSMS   = 17872
	refSupport      = 17880
	refArchitect    = 17894
	refTeacher      = 17895
	refNickname     = 17901
)

// everyField sets every writable attribute, with values that exercise normalisation: a mail
// with capitals (Qomon lowers it), a birthdate as a date (Qomon stores a timestamp), a postal
// code with a leading zero, number-like address parts (old-spelling Qomon returns numbers),
// accents, a radio answer without its data (Qomon fills it in).
const everyField = `
resource "qomon_contact" "c" {
  firstname       = "Ada"
  surname         = "Lovelace"
  married_name    = "King"
  gender          = "F"
  birthdate       = "1815-12-10"
  age_category    = 6
  birth_city      = "London"
  birth_dept      = "Middlesex"
  birth_country   = "United Kingdom"
  nationality     = "British"
  mail            = "Ada.Lovelace@Example.org"
  phone           = "0102030405"
  mobile          = "+33601020304"
  phone_invalid   = false
  mobile_invalid  = true
  black_list      = false
  user_contact_id = 77

  address = {
    housenumber    = "12"
    street         = "rue de la République"
    addition       = "Bâtiment B"
    infos          = "code 1234"
    building       = "B"
    floor          = "3"
    door           = "12"
    postalcode     = "01000"
    city           = "Bourg-en-Bresse"
    county         = "Ain"
    state          = "Auvergne-Rhône-Alpes"
    country        = "France"
    pollingstation = "Bureau 4"
  }

  tags  = ["volunteer", "élue"]
  notes = [
    { content = "Met at the market" },
    { content = "Call back in May", pinned = true },
  ]
  formdatas = [
    { form_id = 11240, form_ref_id = 17871 },
    { form_id = 11300, form_ref_id = 17880, data = "support" },
  ]
  custom_fields = [
    { form_id = 11393, form_ref_id = 17901, data = "Countess" },
    { form_id = 11391, form_ref_id = 17894 },
  ]
  action_ids = [101, 102]
}
`

// Scenario 1: create with every field, in both response spellings; one POST; state holds
// what was configured and what Qomon computed; the plan after apply is empty (checked by
// the testing library after every step).
func TestAccContact_createEveryField(t *testing.T) {
	t.Parallel()
	for _, spelling := range []qomonsim.Spelling{qomonsim.SpellingNew, qomonsim.SpellingOld} {
		t.Run(string(spelling), func(t *testing.T) {
			env := acctest.Parallel(t, qomonsim.Options{Spelling: spelling})
			var id int64
			env.Test(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config:           env.ProviderConfig("") + everyField,
					ConfigPlanChecks: beforeApply(plansCreate, planHook(env.Sim.ResetRequests)),
					ConfigStateChecks: []statecheck.StateCheck{
						holds("mail", knownvalue.StringExact("Ada.Lovelace@Example.org")),
						holds("birthdate", knownvalue.StringExact("1815-12-10")),
						holds("address.postalcode", knownvalue.StringExact("01000")),
						holds("address.housenumber", knownvalue.StringExact("12")),
						holds("address.geocoding.latitude", knownvalue.NotNull()),
						holds("address.geocoding.invalid", knownvalue.Bool(false)),
						holds("tags", knownvalue.SetExact([]knownvalue.Check{
							knownvalue.StringExact("volunteer"), knownvalue.StringExact("élue"),
						})),
						holds("notes", knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"id": knownvalue.NotNull(), "content": knownvalue.StringExact("Met at the market"), "pinned": knownvalue.Bool(false),
							}),
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"id": knownvalue.NotNull(), "content": knownvalue.StringExact("Call back in May"), "pinned": knownvalue.Bool(true),
							}),
						})),
						holds("formdatas", knownvalue.SetExact([]knownvalue.Check{
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"form_id": knownvalue.Int64Exact(formConsent), "form_ref_id": knownvalue.Int64Exact(refConsentEmail),
								"data": knownvalue.Null(), "date": knownvalue.Null(),
							}),
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"form_id": knownvalue.Int64Exact(formSupport), "form_ref_id": knownvalue.Int64Exact(refSupport),
								"data": knownvalue.StringExact("support"), "date": knownvalue.Null(),
							}),
						})),
						holds("action_ids", knownvalue.SetExact([]knownvalue.Check{
							knownvalue.Int64Exact(101), knownvalue.Int64Exact(102),
						})),
						holds("group_id", knownvalue.NotNull()),
						holds("created_at", knownvalue.NotNull()),
					},
					Check: func(s *terraform.State) error {
						var err error
						if id, err = stateID(s, "qomon_contact.c"); err != nil {
							return err
						}
						if err := expectRequests(env.Sim, func() int64 { return id }, "POST /contacts"); err != nil {
							return err
						}
						stored, ok := env.Sim.Contact(id)
						if !ok {
							return fmt.Errorf("contact %d is not stored", id)
						}
						for k, want := range map[string]any{
							"firstname": "Ada", "surname": "Lovelace", "mail": "ada.lovelace@example.org",
							"birthdate": "1815-12-10T00:00:00Z", "mobile_invalid": true, "user_contact_id": float64(77),
						} {
							if stored[k] != want {
								return fmt.Errorf("stored %s = %v, want %v", k, stored[k], want)
							}
						}
						return nil
					},
				}},
			})
		})
	}
}

// Bad input (scenario 9, plan-time part): each invalid value — or one Qomon would refuse, or
// store differently — is refused at plan time, before anything reaches Qomon, with an error on the line of the attribute (the source line shows in
// the error) that names the part at fault in words. Terraform can only point at a top-level
// attribute or a list element, so a part of the address or of a form answer is named in the
// text.
func TestAccContact_badInput(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	cases := []struct {
		hcl     string
		summary string
		detail  string
	}{
		{`gender = "X"`, "Invalid value", "gender value must be one of M, F, O."},
		{`mail = "not-an-address"`, "Invalid e-mail address", "mail must be a bare e-mail address such as jane@example.org"},
		{`mail = "Jane <jane@example.org>"`, "Invalid e-mail address", "mail must be a bare e-mail address"},
		{`birthdate = "10/12/1815"`, "Invalid date", "birthdate must be a date written YYYY-MM-DD"},
		{`age_category = 7`, "Value out of range", "age_category must be between 0 and 6, not 7."},
		{`tags = ["ok", ""]`, "Empty value", "An element of tags must not be empty. To give the contact no tag, write tags = []"},
		{`formdatas = [{ form_id = 0, form_ref_id = 1 }]`, "Value out of range", "form_id of an element of formdatas must be at least 1, not 0."},
		{`custom_fields = [{ form_id = 11393, form_ref_id = -3, data = "x" }]`, "Value out of range", "form_ref_id of an element of custom_fields must be at least 1, not -3."},
		{`formdatas = [{ form_id = 11242, form_ref_id = 17878, date = "yesterday" }]`, "Invalid date", "date of an element of formdatas must be a date"},
		{`notes = [{ content = "" }]`, "Empty value", "notes[0].content must not be empty. A note needs a text: to have no note, leave the element out of notes."},
		{`action_ids = [0]`, "Value out of range", "An element of action_ids must be at least 1, not 0."},
		{`user_contact_id = 0`, "Value out of range", "user_contact_id must be at least 1, not 0."},
		// What Qomon would refuse at apply time, or store in another form on every apply.
		{`mail = "a@b"`, "Invalid e-mail address", "a domain name with a dot (Qomon refuses addresses such as a@b or jane@localhost)"},
		{`mail = "jane@localhost"`, "Invalid e-mail address", "mail must be a bare e-mail address"},
		{`tags = [" spaced "]`, "Spaces around a value", "An element of tags must not start or end with spaces: Qomon removes them"},
	}
	// One plan of a contact per case: each is refused on its own (the CLI validates every
	// resource and reports every error), and the CLI prints errors in the order of the lines
	// they point at (tfdiags.Diagnostics.Sort, which both CLIs call before printing), so the
	// cases' errors follow one another in the order of the configuration.
	config := env.ProviderConfig("")
	var want []string
	for i, c := range cases {
		config += fmt.Sprintf("resource \"qomon_contact\" \"bad%d\" {\n  surname = \"Doe\"\n  %s\n}\n", i, c.hcl)
		// The error names the summary, shows the attribute's line, then the detail (which
		// Terraform may wrap), all within the error's own box (which ends with ╵).
		want = append(want, "Error: "+regexp.QuoteMeta(c.summary)+`[^╵]*\d+:\s+`+regexp.QuoteMeta(c.hcl)+"[^╵]*"+
			strings.Join(strings.Fields(regexp.QuoteMeta(c.detail)), `\s+`))
	}
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      config,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile("(?s)" + strings.Join(want, ".*")),
		}},
		CheckDestroy: qomonCheck(func() error {
			if reqs := env.Sim.Requests(); len(reqs) > 0 {
				return fmt.Errorf("invalid configurations reached Qomon: %s", requestsLine(reqs))
			}
			return nil
		}),
	})
}

// contactHCL renders a qomon_contact "c" from attribute lines.
func contactHCL(lines ...string) string {
	out := "resource \"qomon_contact\" \"c\" {\n"
	for _, l := range lines {
		out += "  " + l + "\n"
	}
	return out + "}\n"
}

// Scenario 2: update each kind of field, in both update modes against the matching PATCH
// semantics. For every step: the request log holds exactly the expected calls (merge: one
// PATCH; replace: one GET and one PATCH), the PATCH carries what it must (merge: only the
// change; replace: the whole contact), and Qomon's store changed in that field only
// (geocoding aside, recomputed when an address part changes).
func TestAccContact_updateEachKind(t *testing.T) {
	base := map[string]string{
		"firstname":     `firstname = "Ada"`,
		"surname":       `surname = "Lovelace"`,
		"mail":          `mail = "ada@example.org"`,
		"address":       `address = { street = "rue de Rivoli", city = "Paris", postalcode = "75001" }`,
		"tags":          `tags = ["alpha", "beta"]`,
		"notes":         `notes = [{ content = "first note" }, { content = "second note", pinned = true }]`,
		"custom_fields": `custom_fields = [{ form_id = 11393, form_ref_id = 17901, data = "Countess" }]`,
	}
	order := []string{"firstname", "surname", "mail", "address", "tags", "notes", "custom_fields"}
	config := func(overrides map[string]string) []string {
		var lines []string
		for _, k := range order {
			l := base[k]
			if o, ok := overrides[k]; ok {
				l = o
			}
			lines = append(lines, l)
		}
		return lines
	}
	steps := []struct {
		name      string
		overrides map[string]string
		mergeBody string   // the exact merge PATCH body
		changed   []string // what changes in Qomon's store
		geocoded  bool     // an address part changes: geocoding is recomputed
	}{
		{"a scalar", map[string]string{"firstname": `firstname = "Augusta"`},
			`{"firstname":"Augusta"}`, []string{"firstname"}, false},
		{"an address part", map[string]string{"address": `address = { street = "rue de Rivoli", city = "Lyon", postalcode = "75001" }`},
			`{"address":{"city":"Lyon"}}`, []string{"address.city"}, true},
		{"tags added and removed", map[string]string{"tags": `tags = ["beta", "gamma"]`},
			`{"tags":[{"name":"beta"},{"name":"gamma"}]}`, []string{"tags"}, false},
		{"a note edited", map[string]string{"notes": `notes = [{ content = "first note, edited" }, { content = "second note", pinned = true }]`},
			// Both notes go with their ids (read from Qomon before the step): the edited one is
			// that note edited, the other one unchanged; Qomon keeps both.
			`{"notes":[{"id":{note0},"content":"first note, edited","pinned":false},{"id":{note1},"content":"second note","pinned":true}]}`, []string{"notes"}, false},
		{"a custom field changed", map[string]string{"custom_fields": `custom_fields = [{ form_id = 11393, form_ref_id = 17901, data = "Enchantress" }]`},
			`{"custom_fields":[{"form_id":11393,"form_ref_id":17901,"data":"Enchantress"}]}`, []string{"custom_fields"}, false},
	}

	// Both update modes in the same CLI commands, each with its contact and simulator: each
	// mode's provider is a process of its own in every CLI command, so each simulator's log
	// holds exactly its mode's requests.
	runs, factories := bothModes(t)
	before := map[string]map[string]any{}
	// The requests each mode's apply makes. Merge: each step's apply is a new provider process,
	// whose first merge PATCH reads the contact first, to find out how Qomon's PATCH behaves
	// (merge.go). Replace: the PATCH sends the whole contact, read just before.
	applyRequests := map[string][]string{
		"merge":   {"GET /contacts/{id}", "PATCH /contacts/{id}"},
		"replace": {"GET /contacts/{id}", "PATCH /contacts/{id}"},
	}
	testSteps := []resource.TestStep{{
		Config: modesConfig(runs, config(nil)...),
		Check:  noteIDs(t, runs),
	}}
	overrides := map[string]string{}
	for _, st := range steps {
		for k, v := range st.overrides {
			overrides[k] = v
		}
		checks := eachContact(runs, func(address string) []plancheck.PlanCheck {
			geocoding := plancheck.ExpectKnownValue(address, attr("address.geocoding.latitude"), knownvalue.NotNull())
			if st.geocoded {
				geocoding = plancheck.ExpectUnknownValue(address, attr("address.geocoding"))
			}
			return []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
				plancheck.ExpectUnknownValue(address, attr("updated_at")),
				plancheck.ExpectKnownValue(address, attr("created_at"), knownvalue.NotNull()),
				plancheck.ExpectKnownValue(address, attr("id"), knownvalue.NotNull()),
				geocoding,
			}
		})
		testSteps = append(testSteps, resource.TestStep{
			Config:           modesConfig(runs, config(overrides)...),
			ConfigPlanChecks: beforeApply(append(checks, snapshotEach(t, runs, before))...),
			Check: eachMode(runs, func(run *modeRun, s *terraform.State) error {
				idf := func() int64 { return run.id }
				if err := expectRequests(run.env.Sim, idf, applyRequests[run.mode]...); err != nil {
					return fmt.Errorf("%s: %w", st.name, err)
				}
				body, err := lastBody(run.env.Sim, "PATCH")
				if err != nil {
					return err
				}
				if run.mode == "merge" {
					if err := sameJSONText(body, withNoteIDs(st.mergeBody, before[run.mode])); err != nil {
						return fmt.Errorf("%s: merge body: %w", st.name, err)
					}
				} else {
					// The whole contact goes back: every writable key Qomon held.
					for _, k := range []string{"firstname", "surname", "mail", "address", "tags", "notes", "custom_fields", "formdatas"} {
						if _, ok := body[k]; !ok {
							return fmt.Errorf("%s: replace body lacks %s: %v", st.name, k, sortedKeys(body))
						}
					}
					for _, k := range []string{"id", "CreatedAt", "UpdatedAt", "lastchange", "group_id"} {
						if _, ok := body[k]; ok {
							return fmt.Errorf("%s: replace body carries read-only %s", st.name, k)
						}
					}
				}
				after, _ := run.env.Sim.Contact(run.id)
				if got := changedKeys(before[run.mode], after); !equalStrings(got, st.changed) {
					return fmt.Errorf("%s: Qomon's store changed in %v, want %v", st.name, got, st.changed)
				}
				beforeAddr, _ := before[run.mode]["address"].(map[string]any)
				afterAddr, _ := after["address"].(map[string]any)
				if moved := beforeAddr["latitude"] != afterAddr["latitude"]; moved != st.geocoded {
					return fmt.Errorf("%s: geocoding moved = %v, want %v", st.name, moved, st.geocoded)
				}
				rs := s.RootModule().Resources[run.address()].Primary.Attributes
				if rs["address.geocoding.latitude"] != afterAddr["latitude"] {
					return fmt.Errorf("%s: state latitude %q, Qomon %v", st.name, rs["address.geocoding.latitude"], afterAddr["latitude"])
				}
				return nil
			}),
		})
	}
	runs[0].env.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps:                    testSteps,
	})
}

// withNoteIDs writes the ids of the notes a stored contact holds into an expected body, where
// it says {note0}, {note1}...
func withNoteIDs(body string, stored map[string]any) string {
	notes, _ := stored["notes"].([]any)
	for i, n := range notes {
		m, _ := n.(map[string]any)
		id, _ := m["id"].(float64)
		body = strings.ReplaceAll(body, fmt.Sprintf("{note%d}", i), strconv.FormatInt(int64(id), 10))
	}
	return body
}

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
	// Both update modes in the same CLI commands, each with its contact and simulator.
	runs, factories := bothModes(t)
	housing, transport, environment := answerHCL(formTopics, refHousing, "housing"), answerHCL(formTopics, refTransport, "transport"),
		answerHCL(formTopics, refEnvironment, "environment")
	transportDated := knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"form_ref_id": knownvalue.Int64Exact(refTransport), "date": knownvalue.StringExact(date),
	})
	config := func(answers ...string) string {
		return modesConfig(runs, `firstname = "Ada"`, "formdatas = ["+strings.Join(answers, ", ")+"]")
	}
	keepsDate := eachContact(runs, func(address string) []plancheck.PlanCheck {
		return []plancheck.PlanCheck{plancheck.ExpectKnownValue(address, attr("formdatas"), knownvalue.SetPartial([]knownvalue.Check{transportDated}))}
	})
	changesAnswer := eachContact(runs, func(address string) []plancheck.PlanCheck {
		return []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
			plancheck.ExpectKnownValue(address, attr("formdatas"), knownvalue.SetExact([]knownvalue.Check{
				knownvalue.ObjectExact(map[string]knownvalue.Check{
					"form_id": knownvalue.Int64Exact(formTopics), "form_ref_id": knownvalue.Int64Exact(refEnvironment),
					"data": knownvalue.StringExact("environment"), "date": knownvalue.Null(),
				}),
				transportDated,
			})),
		}
	})
	runs[0].env.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{Config: config(housing), Check: noteIDs(t, runs)},
			{
				// Someone answers "transport" in the app, which dates the answer.
				PreConfig: func() {
					for _, run := range runs {
						must(t, run.env.Sim.EditContact(run.id, func(c map[string]any) {
							c["formdatas"] = append(c["formdatas"].([]any), map[string]any{
								"form_id": formTopics, "form_ref_id": refTransport, "data": "transport", "date": date})
						}))
					}
				},
				Config:           config(housing, transport),
				ConfigPlanChecks: beforeApply(append(keepsDate, emptyPlan)...),
			},
			{
				Config:           config(environment, transport),
				ConfigPlanChecks: beforeApply(changesAnswer...),
				ConfigStateChecks: eachContact(runs, func(address string) []statecheck.StateCheck {
					return []statecheck.StateCheck{expectState(address, "formdatas", knownvalue.SetPartial([]knownvalue.Check{transportDated}))}
				}),
				Check: eachMode(runs, func(run *modeRun, _ *terraform.State) error {
					c, _ := run.env.Sim.Contact(run.id)
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
	// Both update modes in the same CLI commands, each with its contact and simulator.
	runs, factories := bothModes(t)
	config := func(notes string) string { return modesConfig(runs, `firstname = "Ada"`, "notes = "+notes) }
	before := map[string]map[string]string{}
	snapshot := planHook(func() {
		for _, run := range runs {
			var c map[string]any
			run.id, c = onlyContact(t, run.env.Sim)
			before[run.mode] = noteIdentity(c)
		}
	})
	keeps := func(run *modeRun, texts ...string) error {
		c, _ := run.env.Sim.Contact(run.id)
		after := noteIdentity(c)
		for _, text := range texts {
			if after[text] != before[run.mode][text] {
				return fmt.Errorf("note %q was %s, is now %s: Qomon recreated it", text, before[run.mode][text], after[text])
			}
		}
		return nil
	}
	// The plan's note ids: the first two known, the third known or unknown (a note added).
	plansNoteIDs := func(third func(address string, p tfjsonpath.Path) plancheck.PlanCheck) resource.ConfigPlanChecks {
		return beforeApply(append(eachContact(runs, func(address string) []plancheck.PlanCheck {
			return []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(address, attr("notes.0.id"), knownvalue.NotNull()),
				plancheck.ExpectKnownValue(address, attr("notes.1.id"), knownvalue.NotNull()),
				third(address, attr("notes.2.id")),
			}
		}), snapshot)...)
	}
	known := func(address string, p tfjsonpath.Path) plancheck.PlanCheck {
		return plancheck.ExpectKnownValue(address, p, knownvalue.NotNull())
	}
	runs[0].env.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{Config: config(`[{ content = "first" }, { content = "second", pinned = true }]`)},
			{
				// A note added at the end: the plan keeps the others' ids, only the new one is unknown.
				Config:           config(`[{ content = "first" }, { content = "second", pinned = true }, { content = "third" }]`),
				ConfigPlanChecks: plansNoteIDs(plancheck.ExpectUnknownValue),
				Check:            eachMode(runs, func(run *modeRun, _ *terraform.State) error { return keeps(run, "first", "second") }),
			},
			{
				// The second note edited: it keeps its id and creation date; so do the others.
				Config:           config(`[{ content = "first" }, { content = "second, edited", pinned = true }, { content = "third" }]`),
				ConfigPlanChecks: plansNoteIDs(known),
				Check: eachMode(runs, func(run *modeRun, _ *terraform.State) error {
					if err := keeps(run, "first", "third"); err != nil {
						return err
					}
					c, _ := run.env.Sim.Contact(run.id)
					after, was := noteIdentity(c), before[run.mode]
					if strings.Fields(after["second, edited"])[0] != strings.Fields(was["second"])[0] {
						return fmt.Errorf("the edited note is %s, was %s: want the same note", after["second, edited"], was["second"])
					}
					return nil
				}),
			},
			{
				// A Qomon that renews every note on every write: the apply gives every note a new
				// id, which the next refresh shows.
				PreConfig: func() {
					for _, run := range runs {
						run.env.Sim.Configure(func(o *qomonsim.Options) { o.NoteIDs = qomonsim.NoteIDsRenew })
					}
				},
				Config: config(`[{ content = "first" }, { content = "second, edited", pinned = true }]`),
			},
			{
				RefreshState: true,
				Check: eachMode(runs, func(run *modeRun, s *terraform.State) error {
					c, _ := run.env.Sim.Contact(run.id)
					attrs := s.RootModule().Resources[run.address()].Primary.Attributes
					notes, _ := c["notes"].([]any)
					for i, n := range notes {
						m, _ := n.(map[string]any)
						if got, want := attrs[fmt.Sprintf("notes.%d.id", i)], fmt.Sprintf("%.0f", m["id"]); got != want {
							return fmt.Errorf("after a refresh, state holds note id %s, Qomon %s", got, want)
						}
					}
					return nil
				}),
			},
		},
	})
}

// Handing notes back to people: remove them from the configuration and list them in
// lifecycle.ignore_changes. Terraform then gives the provider the notes in state as if
// configured, so nothing is planned or sent for them; the next apply that updates the contact
// records them as unmanaged (Terraform hands apply the configuration as written), and from
// then on the lifecycle block can go too. Notes people write in Qomon survive throughout.
func TestAccContact_handNotesBackToPeople(t *testing.T) {
	// Both update modes in the same CLI commands, each with its contact and simulator.
	runs, factories := bothModes(t)
	ignore := "lifecycle {\n    ignore_changes = [notes]\n  }"
	config := func(lines ...string) string { return modesConfig(runs, lines...) }
	peopleNotes := func(want ...string) resource.TestCheckFunc {
		return qomonCheck(func() error {
			for _, run := range runs {
				c, _ := run.env.Sim.Contact(run.id)
				if got := noteTexts(c); strings.Join(got, "|") != strings.Join(want, "|") {
					return fmt.Errorf("%s: Qomon holds the notes %q, want %q", run.mode, got, want)
				}
			}
			return nil
		})
	}
	addNote := func(text string) func() {
		return func() {
			for _, run := range runs {
				must(t, run.env.Sim.EditContact(run.id, func(c map[string]any) {
					c["notes"] = append(c["notes"].([]any), map[string]any{"content": text})
				}))
			}
		}
	}
	empty := beforeApply(emptyPlan)
	runs[0].env.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{
				Config: config(`firstname = "Ada"`, `notes = [{ content = "from Terraform" }]`),
				Check:  noteIDs(t, runs),
			},
			// notes leave the configuration, into ignore_changes: no change planned.
			{Config: config(`firstname = "Ada"`, ignore), ConfigPlanChecks: empty, Check: peopleNotes("from Terraform")},
			// Someone adds a note in the app; still nothing planned.
			{PreConfig: addNote("from the app"), Config: config(`firstname = "Ada"`, ignore), ConfigPlanChecks: empty,
				Check: peopleNotes("from Terraform", "from the app")},
			// Another change is applied: the notes stay as people left them.
			{Config: config(`firstname = "Augusta"`, ignore), Check: peopleNotes("from Terraform", "from the app")},
			// The lifecycle block goes: notes are no longer managed, nothing is planned.
			{Config: config(`firstname = "Augusta"`), ConfigPlanChecks: empty, Check: peopleNotes("from Terraform", "from the app")},
			{PreConfig: addNote("later"), Config: config(`firstname = "Augusta"`), ConfigPlanChecks: empty,
				Check: peopleNotes("from Terraform", "from the app", "later")},
		},
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
				ConfigPlanChecks:   afterRefresh(plansUpdate),
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

// A value that means the same as state never plans a change, whatever spelling the
// configuration moves to: the mail's case, a birthdate as a timestamp, a postal code's leading
// zero, accents composed differently, tags in another order. Each respelling has a contact of
// its own, created with the first spelling and then planned with that one respelling: no
// change (the testing library also checks that the plans after the apply, with and without a
// refresh, are empty). In the same plan qomon_contact.c takes every respelling at once plus a
// real change: only the change is planned and sent, and state keeps the spelling the plan kept.
func TestAccContact_respellingPlansNothing(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	type spelling struct{ mail, birthdate, postalcode, tags string }
	contact := func(name string, s spelling, extra ...string) string {
		return strings.Replace(contactHCL(append([]string{
			`firstname = "Ada"`, `mail = "` + s.mail + `"`, `birthdate = "` + s.birthdate + `"`,
			`address = { postalcode = "` + s.postalcode + `", city = "Bourg-en-Bresse" }`, `tags = ` + s.tags,
		}, extra...)...), `"c"`, `"`+name+`"`, 1)
	}
	first := spelling{"Ada@Example.ORG", "1990-02-28", "1000", `["élue", "alpha"]`}
	// Each contact's first spelling, with a mail of its own, then that spelling with one value
	// respelled.
	respelled := []struct {
		name        string
		first, then spelling
	}{
		{"mail_case", spelling{"Ada1@Example.ORG", first.birthdate, first.postalcode, first.tags},
			spelling{"ADA1@EXAMPLE.org", first.birthdate, first.postalcode, first.tags}},
		{"birthdate_utc", spelling{"Ada2@Example.ORG", first.birthdate, first.postalcode, first.tags},
			spelling{"Ada2@Example.ORG", "1990-02-28T00:00:00Z", first.postalcode, first.tags}},
		{"birthdate_offset", spelling{"Ada3@Example.ORG", first.birthdate, first.postalcode, first.tags},
			spelling{"Ada3@Example.ORG", "1990-02-28T01:00:00+01:00", first.postalcode, first.tags}},
		{"postalcode_zero", spelling{"Ada4@Example.ORG", first.birthdate, first.postalcode, first.tags},
			spelling{"Ada4@Example.ORG", first.birthdate, "01000", first.tags}},
		{"tags_order_accents", spelling{"Ada5@Example.ORG", first.birthdate, first.postalcode, first.tags},
			spelling{"Ada5@Example.ORG", first.birthdate, first.postalcode, "[\"alpha\", \"e\u0301lue\"]"}},
	}
	firstConfig, respelledConfig := env.ProviderConfig("")+contact("c", first), env.ProviderConfig("")
	// Every respelling at once, plus a real change.
	respelledConfig += contact("c", spelling{"ada@example.ORG", "1990-02-28T00:00:00.000Z", "01000", "[\"alpha\", \"e\u0301lue\"]"}, `surname = "King"`)
	untouched := expectActions{}
	for _, r := range respelled {
		firstConfig += contact(r.name, r.first)
		respelledConfig += contact(r.name, r.then)
		untouched["qomon_contact."+r.name] = "no-op"
	}
	var id int64
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: firstConfig,
				Check: func(s *terraform.State) error {
					var err error
					id, err = stateID(s, theContact)
					return err
				},
			},
			{
				Config: respelledConfig,
				ConfigPlanChecks: beforeApply(
					untouched,
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
					// One write, to qomon_contact.c: nothing for the contacts respelled only.
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
