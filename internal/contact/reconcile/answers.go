package reconcile

import (
	"fmt"
	"sort"
	"strings"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Catalogue is the forms of a Qomon space, by id, with the family each was listed under
// (qomon.FormTypes): what the plan needs to judge a contact's form answers.
type Catalogue map[int64]CatalogueForm

// CatalogueForm is a form and its family.
type CatalogueForm struct {
	qomon.Form
	Family string
}

// NewCatalogue indexes the forms of each family.
func NewCatalogue(byFamily map[string][]qomon.Form) Catalogue {
	c := Catalogue{}
	for family, forms := range byFamily {
		for _, f := range forms {
			c[f.ID] = CatalogueForm{Form: f, Family: family}
		}
	}
	return c
}

// AnswerProblem is an answer the plan refuses, on the attribute Field ("formdatas",
// "custom_fields"). Its texts name forms and options by id and label — the space's own
// configuration — and never repeat an answer's data, which may be personal.
type AnswerProblem struct {
	Field, Summary, Detail string
}

// answerFields are the fields whose elements are form answers, and whether they take the
// custom_fields family.
var answerFields = []struct {
	path   string
	custom bool
}{{"formdatas", false}, {"custom_fields", true}}

// HasAnswers reports whether a configuration sets form answers that the catalogue could judge.
func HasAnswers(config Object) bool {
	for _, af := range answerFields {
		if elems, ok := config[af.path].([]Value); ok && len(elems) > 0 {
			return true
		}
	}
	return false
}

// ResolveAnswers checks the form answers of a configuration (or of the plan Terraform proposes
// for it) against the forms of the space, at plan time, and returns it with each choice
// answer written as Qomon stores it:
//
//   - an answer whose data is its option's label is the same answer as the option's value,
//     which is what Qomon stores for a radio or checkbox form whatever text it is sent: its
//     data becomes the value, so the plan, the request and state agree with Qomon;
//   - data that is neither the option's value nor its label would be stored as the value and
//     differ on every plan: refused;
//   - two different answers to one radio form, of which Qomon keeps one: refused;
//   - a form of the other family (a custom field in formdatas, a consent in custom_fields), an
//     option of another form, a form the space does not have: Qomon refuses them; refused here.
//
// Parts only known at apply time are left alone.
func ResolveAnswers(config Object, cat Catalogue) (Object, []AnswerProblem) {
	out := clone(config)
	var problems []AnswerProblem
	for _, af := range answerFields {
		elems, ok := config[af.path].([]Value)
		if !ok {
			continue
		}
		resolved := make([]Value, 0, len(elems))
		radio := map[int64][]int64{}   // radio form -> options of its distinct answers
		checkbox := map[[2]int64]int{} // checkbox form and option -> distinct answers
		seen := map[string]bool{}
		for _, e := range elems {
			m, ok := e.(Object)
			if !ok {
				resolved = append(resolved, e)
				continue
			}
			m, problem := resolveAnswer(m, af.path, af.custom, cat)
			if problem != "" {
				problems = append(problems, AnswerProblem{Field: af.path, Summary: "Invalid form answer", Detail: problem})
			}
			resolved = append(resolved, m)
			formID, okForm := m["form_id"].(int64)
			refID, okRef := m["form_ref_id"].(int64)
			f, known := cat[formID]
			key := fmt.Sprint(m["form_id"], "/", m["form_ref_id"], "/", m["data"], "/", m["date"])
			if !okForm || !okRef || !known || seen[key] {
				continue
			}
			seen[key] = true
			switch f.Type {
			case "radio":
				radio[formID] = append(radio[formID], refID)
			case "checkbox":
				checkbox[[2]int64{formID, refID}]++
			}
		}
		out[af.path] = resolved
		for _, formID := range sortedKeys(radio) {
			if refs := radio[formID]; len(refs) > 1 {
				f := cat[formID]
				problems = append(problems, AnswerProblem{Field: af.path, Summary: "Several answers to a single-choice form",
					Detail: fmt.Sprintf("%s holds %d answers to form %s, a single-choice (radio) form: %s. Qomon keeps one answer "+
						"per radio form, so the others would be added again on every plan. Keep one of them.",
						af.path, len(refs), formName(f), optionList(f, refs))})
			}
		}
		for _, k := range sortedPairs(checkbox) {
			if n := checkbox[k]; n > 1 {
				f := cat[k[0]]
				problems = append(problems, AnswerProblem{Field: af.path, Summary: "Several answers with one option",
					Detail: fmt.Sprintf("%s holds %d answers to form %s with option %s. Qomon keeps one answer per option of a "+
						"multiple-choice (checkbox) form, so the others would be added again on every plan. Keep one of them.",
						af.path, n, formName(f), optionList(f, []int64{k[1]}))})
			}
		}
	}
	return out, problems
}

// resolveAnswer checks one answer and rewrites its data as Qomon stores it; problem is "" when
// the answer is fine.
func resolveAnswer(m Object, field string, custom bool, cat Catalogue) (Object, string) {
	formID, ok := m["form_id"].(int64)
	if !ok {
		return m, ""
	}
	f, known := cat[formID]
	switch {
	case !known:
		return m, fmt.Sprintf("%s: no form of this Qomon space has id %d (the qomon_form data source finds forms by label).", field, formID)
	case custom && f.Family != qomon.CustomFields:
		return m, fmt.Sprintf("custom_fields: form %s is a %s form, not a custom field: its answers go in formdatas.", formName(f), f.Family)
	case !custom && f.Family == qomon.CustomFields:
		return m, fmt.Sprintf("formdatas: form %s is a custom field: its answers go in custom_fields.", formName(f))
	}
	refID, ok := m["form_ref_id"].(int64)
	if !ok {
		return m, ""
	}
	opt, ok := option(f.Form, refID)
	if !ok {
		return m, fmt.Sprintf("%s: %d is not an option of form %s. Its options: %s.", field, refID, formName(f), optionList(f, nil))
	}
	data, ok := m["data"].(string)
	if !ok || blank(data) || (f.Type != "radio" && f.Type != "checkbox") || Answer.Same(data, opt.Value) {
		return m, ""
	}
	if opt.Label != "" && sameText(data, opt.Label) {
		out := clone(m)
		out["data"] = opt.Value
		return out, ""
	}
	return m, fmt.Sprintf("%s: the data of the answer to form %s with option %s is neither the option's value nor its label. "+
		"Qomon stores the option's value, %q, whatever data says, so the answer would differ on every plan. Write the option's "+
		"value or label in data, or leave data out.", field, formName(f), optionName(opt), opt.Value)
}

func option(f qomon.Form, id int64) (qomon.RefValue, bool) {
	for _, rv := range f.RefValues {
		if rv.ID == id {
			return rv, true
		}
	}
	return qomon.RefValue{}, false
}

// formName names a form for a message: its id and label.
func formName(f CatalogueForm) string { return fmt.Sprintf("%d (%q)", f.ID, f.Label) }

// optionName names an option for a message: its id and label.
func optionName(o qomon.RefValue) string {
	if o.Label == "" {
		return fmt.Sprint(o.ID)
	}
	return fmt.Sprintf("%d (%q)", o.ID, o.Label)
}

// optionList names the options of f with these ids (every option when ids is nil).
func optionList(f CatalogueForm, ids []int64) string {
	var names []string
	for _, rv := range f.RefValues {
		if ids == nil || containsInt(ids, rv.ID) {
			names = append(names, optionName(rv))
		}
	}
	return strings.Join(names, ", ")
}

func containsInt(list []int64, n int64) bool {
	for _, v := range list {
		if v == n {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[int64]V) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

func sortedPairs(m map[[2]int64]int) [][2]int64 {
	keys := make([][2]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	return keys
}
