package reconcile

import (
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// testCatalogue is a space with a radio consent, a checkbox, a free-text form and a custom
// field, shaped like the simulator's default forms.
func testCatalogue() Catalogue {
	return NewCatalogue(map[string][]qomon.Form{
		"consent": {
			{ID: 11241, Label: "Newsletter", Type: "radio", RefValues: []qomon.RefValue{{ID: 17876, Label: "Yes", Value: "yes"}, {ID: 17877, Label: "No", Value: "no"}}},
			{ID: 11240, Label: "Consents", Type: "checkbox", RefValues: []qomon.RefValue{{ID: 17871, Label: "Consent e-mail", Value: "consent_email"}}},
		},
		"level_of_support": {{ID: 11302, Label: "Support comment", Type: "text", RefValues: []qomon.RefValue{{ID: 17886}}}},
		"custom_fields":    {{ID: 11391, Label: "Job", Type: "radio", RefValues: []qomon.RefValue{{ID: 17894, Label: "Architect", Value: "Architect"}}}},
	})
}

func answer(form, ref int64, data Value) Object {
	return Object{"form_id": form, "form_ref_id": ref, "data": data, "date": nil}
}

func TestResolveAnswers(t *testing.T) {
	for _, tc := range []struct {
		name      string
		formdatas []Value
		custom    []Value
		wantData  []Value  // formdatas' data after resolution, in order
		problems  []string // a fragment of each problem's detail, in order
	}{
		{name: "the option's value is kept", formdatas: []Value{answer(11241, 17876, "yes")}, wantData: []Value{"yes"}},
		{name: "the option's label becomes its value", formdatas: []Value{answer(11241, 17876, "Yes")}, wantData: []Value{"yes"}},
		{name: "a checkbox option's label", formdatas: []Value{answer(11240, 17871, "Consent e-mail")}, wantData: []Value{"consent_email"}},
		{name: "data left to Qomon", formdatas: []Value{answer(11241, 17876, nil)}, wantData: []Value{nil}},
		{name: "free text is never rewritten", formdatas: []Value{answer(11302, 17886, "Yes")}, wantData: []Value{"Yes"}},
		{name: "unknown parts are left alone", formdatas: []Value{answer(11241, 17876, Unknown), Object{"form_id": Unknown, "form_ref_id": int64(1), "data": nil, "date": nil}},
			wantData: []Value{Unknown, nil}},
		{name: "data that is neither value nor label", formdatas: []Value{answer(11241, 17876, "YES!")}, wantData: []Value{"YES!"},
			problems: []string{`form 11241 ("Newsletter") with option 17876 ("Yes") is neither the option's value nor its label. Qomon stores the option's value, "yes"`}},
		{name: "two answers to a radio form", formdatas: []Value{answer(11241, 17876, "yes"), answer(11241, 17877, nil)}, wantData: []Value{"yes", nil},
			problems: []string{`formdatas holds 2 answers to form 11241 ("Newsletter"), a single-choice (radio) form: 17876 ("Yes"), 17877 ("No")`}},
		{name: "the label and the value of one radio option are one answer", formdatas: []Value{answer(11241, 17876, "yes"), answer(11241, 17876, "Yes")},
			wantData: []Value{"yes", "yes"}},
		{name: "two answers with one checkbox option", formdatas: []Value{answer(11240, 17871, nil), answer(11240, 17871, "consent_email")},
			wantData: []Value{nil, "consent_email"},
			problems: []string{`formdatas holds 2 answers to form 11240 ("Consents") with option 17871 ("Consent e-mail")`}},
		{name: "an option of another form", formdatas: []Value{answer(11241, 17871, nil)}, wantData: []Value{nil},
			problems: []string{`17871 is not an option of form 11241 ("Newsletter"). Its options: 17876 ("Yes"), 17877 ("No")`}},
		{name: "a form the space does not have", formdatas: []Value{answer(99, 1, nil)}, wantData: []Value{nil},
			problems: []string{"no form of this Qomon space has id 99"}},
		{name: "a custom field in formdatas", formdatas: []Value{answer(11391, 17894, nil)}, wantData: []Value{nil},
			problems: []string{`form 11391 ("Job") is a custom field: its answers go in custom_fields`}},
		{name: "a consent in custom_fields", custom: []Value{answer(11241, 17876, nil)},
			problems: []string{`form 11241 ("Newsletter") is a consent form, not a custom field: its answers go in formdatas`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			config := Object{"formdatas": nil, "custom_fields": nil}
			if tc.formdatas != nil {
				config["formdatas"] = tc.formdatas
			}
			if tc.custom != nil {
				config["custom_fields"] = tc.custom
			}
			if !HasAnswers(config) {
				t.Fatal("HasAnswers = false")
			}
			got, problems := ResolveAnswers(config, testCatalogue())
			if tc.formdatas != nil {
				elems := got["formdatas"].([]Value)
				for i, want := range tc.wantData {
					if d := elems[i].(Object)["data"]; !equalValues(d, want) {
						t.Errorf("answer %d: data %#v, want %#v", i, d, want)
					}
				}
			}
			if len(problems) != len(tc.problems) {
				t.Fatalf("problems %+v, want %d", problems, len(tc.problems))
			}
			for i, p := range problems {
				if !strings.Contains(p.Detail, tc.problems[i]) {
					t.Errorf("problem %d: %q does not say %q", i, p.Detail, tc.problems[i])
				}
			}
			// The configuration it was given is not changed.
			if tc.formdatas != nil && !equalValues(config["formdatas"], tc.formdatas) {
				t.Error("ResolveAnswers changed its input")
			}
		})
	}
}

// A problem never repeats the data of an answer: it may be personal.
func TestAnswerProblemsHideData(t *testing.T) {
	const secret = "Mme Dupont's private remark"
	config := Object{"formdatas": []Value{answer(11241, 17876, secret), answer(11241, 17877, secret+" again")}, "custom_fields": nil}
	_, problems := ResolveAnswers(config, testCatalogue())
	if len(problems) == 0 {
		t.Fatal("no problem found")
	}
	for _, p := range problems {
		if strings.Contains(p.Detail+p.Summary, "Dupont") {
			t.Errorf("the problem repeats the answer's data: %s", p.Detail)
		}
	}
}

func TestHasAnswers(t *testing.T) {
	for _, c := range []Object{
		{"formdatas": nil, "custom_fields": nil},
		{"formdatas": []Value{}, "custom_fields": nil},
		{"formdatas": Unknown, "custom_fields": nil},
	} {
		if HasAnswers(c) {
			t.Errorf("HasAnswers(%v) = true", c)
		}
	}
}
