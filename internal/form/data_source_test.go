package form_test

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// form returns a form of the simulator's default catalogue; expected ids come from there, not
// from constants copied into the test.
func form(t *testing.T, label string) qomonsim.Form {
	t.Helper()
	f, ok := qomonsim.FindForm(qomonsim.DefaultForms(), label)
	if !ok {
		t.Fatalf("the simulator's catalogue has no form %q", label)
	}
	return f
}

func option(t *testing.T, f qomonsim.Form, labelOrValue string) int64 {
	t.Helper()
	o, ok := f.Option(labelOrValue)
	if !ok {
		t.Fatalf("form %q has no option %q", f.Label, labelOrValue)
	}
	return o.ID
}

func attr(name string, path tfjsonpath.Path, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue("data.qomon_form."+name, path, check)
}

// TestAccFormDataSource_lookups finds a form of every type by label, and one by id, and checks
// what each exposes: the kind of input, the options by label and by value, the values list.
func TestAccFormDataSource_lookups(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	job, food, nickname := form(t, "Job"), form(t, "Favorite food"), form(t, "Nickname")
	volunteer, strengths := form(t, "Would you volunteer?"), form(t, "What are the strengths of the town/city in your opinion?")
	legacy := form(t, "Legacy task")

	foodOptions := map[string]knownvalue.Check{}
	var foodValues []knownvalue.Check
	for _, rv := range food.RefValues {
		foodOptions[rv.Label] = knownvalue.Int64Exact(rv.ID)
		foodOptions[rv.Value] = knownvalue.Int64Exact(rv.ID)
		foodValues = append(foodValues, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.Int64Exact(rv.ID), "label": knownvalue.StringExact(rv.Label), "value": knownvalue.StringExact(rv.Value),
		}))
	}
	if len(foodOptions) != 2*len(food.RefValues) {
		t.Fatalf("the test needs a form whose labels and values all differ")
	}

	config := env.ProviderConfig("") + `
data "qomon_form" "consent" {
  type  = "consent"
  label = "Newsletter"
}
data "qomon_form" "support" {
  type  = "level_of_support"
  label = "Level of support"
}
data "qomon_form" "presence" {
  type  = "presence_status"
  label = "Presence"
}
data "qomon_form" "job" {
  type  = "custom_fields"
  label = "Job"
}
data "qomon_form" "food" {
  type  = "custom_fields"
  label = "Favorite food"
}
data "qomon_form" "nickname" {
  type  = "custom_fields"
  label = "Nickname"
}
data "qomon_form" "volunteer" {
  type  = "survey"
  label = "Would you volunteer?"
}
data "qomon_form" "legacy" {
  type  = "tasks"
  label = "Legacy task"
}
data "qomon_form" "by_id" {
  type = "survey"
  id   = ` + fmt.Sprint(strengths.ID) + `
}
`
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				attr("consent", tfjsonpath.New("id"), knownvalue.Int64Exact(form(t, "Newsletter").ID)),
				attr("consent", tfjsonpath.New("input_type"), knownvalue.StringExact("radio")),
				attr("support", tfjsonpath.New("id"), knownvalue.Int64Exact(form(t, "Level of support").ID)),
				attr("support", tfjsonpath.New("options").AtMapKey("Strong support"), knownvalue.Int64Exact(option(t, form(t, "Level of support"), "strong_support"))),
				attr("presence", tfjsonpath.New("id"), knownvalue.Int64Exact(form(t, "Presence").ID)),
				attr("presence", tfjsonpath.New("options").AtMapKey("come_back"), knownvalue.Int64Exact(option(t, form(t, "Presence"), "Come back later"))),
				// Job's labels are its values: one key per option.
				attr("job", tfjsonpath.New("id"), knownvalue.Int64Exact(job.ID)),
				attr("job", tfjsonpath.New("options"), knownvalue.MapSizeExact(len(job.RefValues))),
				attr("job", tfjsonpath.New("options").AtMapKey("Architect"), knownvalue.Int64Exact(option(t, job, "Architect"))),
				// A checkbox whose labels and values differ: both lead to the option.
				attr("food", tfjsonpath.New("input_type"), knownvalue.StringExact("checkbox")),
				attr("food", tfjsonpath.New("options"), knownvalue.MapExact(foodOptions)),
				attr("food", tfjsonpath.New("values"), knownvalue.ListExact(foodValues)),
				// A free-text form: one entry, no options.
				attr("nickname", tfjsonpath.New("input_type"), knownvalue.StringExact("text")),
				attr("nickname", tfjsonpath.New("options"), knownvalue.MapSizeExact(0)),
				attr("nickname", tfjsonpath.New("values"), knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id": knownvalue.Int64Exact(nickname.RefValues[0].ID), "label": knownvalue.StringExact(""), "value": knownvalue.StringExact(""),
				})})),
				attr("volunteer", tfjsonpath.New("id"), knownvalue.Int64Exact(volunteer.ID)),
				attr("volunteer", tfjsonpath.New("section"), knownvalue.StringExact("My city and me")),
				attr("legacy", tfjsonpath.New("hidden"), knownvalue.Bool(true)),
				attr("legacy", tfjsonpath.New("id"), knownvalue.Int64Exact(legacy.ID)),
				attr("job", tfjsonpath.New("hidden"), knownvalue.Bool(false)),
				attr("job", tfjsonpath.New("section"), knownvalue.Null()),
				// By id: the label and the rest are read.
				attr("by_id", tfjsonpath.New("label"), knownvalue.StringExact(strengths.Label)),
				attr("by_id", tfjsonpath.New("input_type"), knownvalue.StringExact("checkbox")),
				attr("by_id", tfjsonpath.New("options").AtMapKey("Education"), knownvalue.Int64Exact(option(t, strengths, "education"))),
			},
		}},
	})
}

// TestAccFormDataSource_feedsContact applies the data source's example as published
// (examples/data-sources/qomon_form), and a contact with two answers to one checkbox form, end
// to end: the contacts Qomon stores carry the right form and option ids, and a second plan is
// empty.
func TestAccFormDataSource_feedsContact(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	job, nickname, newsletter := form(t, "Job"), form(t, "Nickname"), form(t, "Newsletter")
	support, topics := form(t, "Level of support"), form(t, "Topics of support")
	example, err := os.ReadFile("../../examples/data-sources/qomon_form/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	config := env.ProviderConfig("") + string(example) + `
data "qomon_form" "support" {
  type  = "level_of_support"
  label = "Level of support"
}
data "qomon_form" "topics" {
  type  = "level_of_support"
  label = "Topics of support"
}

resource "qomon_contact" "grace" {
  firstname = "Grace"
  formdatas = [
    { form_id = data.qomon_form.support.id, form_ref_id = data.qomon_form.support.options["Support"], data = "support" },
    { form_id = data.qomon_form.topics.id, form_ref_id = data.qomon_form.topics.options["housing"], data = "housing" },
    { form_id = data.qomon_form.topics.id, form_ref_id = data.qomon_form.topics.options["Transport"], data = "transport" },
  ]
}
`
	// By contact (first name), then by key: form id, option id, data.
	want := map[string]map[string][][3]any{
		"Ada": {
			"custom_fields": {
				{job.ID, option(t, job, "Architect"), "Architect"},
				{nickname.ID, nickname.RefValues[0].ID, "Countess"},
			},
			"formdatas": {{newsletter.ID, option(t, newsletter, "yes"), "yes"}},
		},
		"Grace": {
			"formdatas": {
				{support.ID, option(t, support, "support"), "support"},
				{topics.ID, option(t, topics, "housing"), "housing"},
				{topics.ID, option(t, topics, "transport"), "transport"},
			},
		},
	}
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(*terraform.State) error {
				all := env.Sim.Contacts()
				if len(all) != len(want) {
					return fmt.Errorf("the simulator holds %d contacts, want %d", len(all), len(want))
				}
				for _, c := range all {
					name, _ := c["firstname"].(string)
					if err := storedAnswers(c, want[name]); err != nil {
						return fmt.Errorf("%s: %w", name, err)
					}
				}
				return nil
			},
		}},
	})
}

// storedAnswers checks a stored contact's answers, by key.
func storedAnswers(c map[string]any, want map[string][][3]any) error {
	if want == nil {
		return fmt.Errorf("not a contact of the configuration")
	}
	for key, answers := range want {
		got := answerTriples(c[key])
		for _, w := range answers {
			triple := fmt.Sprint(w[0], "/", w[1], "/", w[2])
			if !slices.Contains(got, triple) {
				return fmt.Errorf("%s stored %v, missing %s", key, got, triple)
			}
		}
		if len(got) != len(answers) {
			return fmt.Errorf("%s stored %v, want %d answers", key, got, len(answers))
		}
	}
	return nil
}

// answerTriples renders stored answers as "form_id/form_ref_id/data".
func answerTriples(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, item := range list {
		m, _ := item.(map[string]any)
		out = append(out, fmt.Sprint(m["form_id"], "/", m["form_ref_id"], "/", m["data"]))
	}
	return out
}

// TestAccFormDataSource_errors covers every way a lookup fails, each with a message that says
// what exists.
func TestAccFormDataSource_errors(t *testing.T) {
	forms := append(qomonsim.DefaultForms(),
		qomonsim.Form{ID: 90001, Category: qomonsim.CategoryCustomFields, Type: qomonsim.TypeText, Label: "Twin", RefValues: []qomonsim.RefValue{{ID: 99001}}},
		qomonsim.Form{ID: 90002, Category: qomonsim.CategoryCustomFields, Type: qomonsim.TypeRadio, Label: "Twin",
			RefValues: []qomonsim.RefValue{{ID: 99002, Label: "A", Value: "a"}}},
	)
	env := acctest.Parallel(t, qomonsim.Options{Forms: forms}, func(c *qomon.Config) { c.Retry.MaxRetries = 0 })
	lookup := func(args string) string {
		return env.ProviderConfig("") + acctest.Block("data", "qomon_form", "f", args)
	}
	bad := func(args, want string) resource.TestStep { return acctest.Refused(lookup(args), want) }
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			bad("type = \"hobbies\"\nlabel = \"Job\"", `(?s)type.*value must be one of.*custom_fields`),
			bad(`label = "Job"`, `(?s)The argument "type" is required`),
			bad(`type = "custom_fields"`, `(?s)Exactly one of these attributes must be configured: \[label,id\]`),
			bad("type = \"custom_fields\"\nlabel = \"Job\"\nid = 11391", `(?s)Invalid Attribute Combination`),
			bad("type = \"custom_fields\"\nlabel = \"\"", `(?s)label.*length must be at least 1`),
			bad("type = \"custom_fields\"\nid = 0", `(?s)id.*at least 1`),
			// No such label: the message lists the forms of the type.
			bad("type = \"custom_fields\"\nlabel = \"Pets\"", `(?s)Qomon form not found.*"Pets".*"Favorite food" \(id 11392, checkbox\)`),
			// Case differs: the near miss is offered.
			bad("type = \"custom_fields\"\nlabel = \"job\"", `(?s)Qomon form not found.*Did you mean "Job" \(id 11391\)`),
			// A label of another type is not found in this one.
			bad("type = \"consent\"\nlabel = \"Job\"", `(?s)Qomon form not found.*No form of type "consent".*"Newsletter"`),
			bad("type = \"custom_fields\"\nlabel = \"Twin\"", `(?s)Several Qomon forms match.*\(id 90001, text\).*\(id 90002, radio\).*Set id instead`),
			// The id exists under another type: the message says which, and what to write.
			bad("type = \"survey\"\nid = 11391", `(?s)Qomon form not found.*No form of type "survey" has id 11391, but a form of type "custom_fields" does: "Job" \(radio\)\. Set type = "custom_fields"`),
			bad("type = \"consent\"\nid = 11391", `(?s)Qomon form not found.*No form of type "consent" has id 11391, but a form of type "custom_fields" does`),
			// An id of no form: the forms of the type are listed.
			bad("type = \"consent\"\nid = 99999", `(?s)Qomon form not found.*No form of type "consent" has id 99999\.\s+Forms of type "consent" in this Qomon space: .*"Newsletter"`),
			{
				// Two forms share the label; the id picks one.
				Config:            lookup("type = \"custom_fields\"\nid = 90002"),
				ConfigStateChecks: []statecheck.StateCheck{attr("f", tfjsonpath.New("label"), knownvalue.StringExact("Twin"))},
			},
			{
				PreConfig: func() {
					env.Sim.InjectFault(qomonsim.Fault{Method: "GET", Path: "/v1/forms/", Kind: qomonsim.FaultStatus, Status: 503})
				},
				Config:      lookup("type = \"tasks\"\nlabel = \"Next step\""),
				ExpectError: acctest.Wrapped(`(?s)Could not list Qomon forms.*"tasks".*503`),
			},
		},
	})
}
