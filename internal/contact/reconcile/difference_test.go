package reconcile

import (
	"slices"
	"strings"
	"testing"
)

func TestDifferences(t *testing.T) {
	for _, tc := range []struct {
		name, planned, stored string
		paths                 []string
		want                  []string
	}{
		{"spaces removed", `{"firstname": " Ada "}`, `{"firstname": "Ada"}`, nil,
			[]string{"firstname: stored without the spaces around it"}},
		{"capitals changed", `{"surname": "de la Tour"}`, `{"surname": "De La Tour"}`, nil,
			[]string{"surname: stored with other capitals"}},
		{"shortened", `{"phone": "0102030405 ext. 12"}`, `{"phone": "0102030405"}`, nil,
			[]string{"phone: stored shortened"}},
		{"not stored", `{"address": {"city": "Paris", "street": "rue"}}`, `{"address": {"street": "rue"}}`, nil,
			[]string{"address.city: not stored: Qomon holds no value"}},
		{"a number", `{"age_category": 3}`, `{"age_category": 4}`, nil,
			[]string{"age_category: stored as another value"}},
		{"only the paths asked for", `{"firstname": " Ada ", "surname": "Lovelace"}`, `{"firstname": "Ada", "surname": "LOVELACE"}`,
			[]string{"surname"}, []string{"surname: stored with other capitals"}},
		{"a tag among others", `{"tags": [{"name": "alpha"}, {"name": "Beta"}, {"name": "gamma"}]}`,
			`{"tags": [{"name": "alpha"}, {"name": "beta"}]}`, nil,
			[]string{"tags: a tag: stored with other capitals", "tags: a tag not stored"}},
		{"a tag Qomon added", `{"tags": [{"name": "alpha"}]}`, `{"tags": [{"name": "alpha"}, {"name": "auto"}]}`, nil,
			[]string{"tags: Qomon holds a tag that was not sent"}},
		{"a note by its position", `{"notes": [{"content": "first"}, {"content": "  second  ", "pinned": true}]}`,
			`{"notes": [{"id": 1, "content": "first"}, {"id": 2, "content": "second", "pinned": false}]}`, nil,
			[]string{"notes[1].content: stored without the spaces around it", "notes[1].pinned: stored as false"}},
		{"a note lost", `{"notes": [{"content": "first"}, {"content": "second"}]}`, `{"notes": [{"id": 1, "content": "first"}]}`, nil,
			[]string{"notes[1] not stored"}},
		{"an answer's data", `{"formdatas": [{"form_id": 11241, "form_ref_id": 17876, "data": "Yes"}]}`,
			`{"formdatas": [{"form_id": 11241, "form_ref_id": 17876, "data": "yes", "date": "2026-01-01T00:00:00Z"}]}`, nil,
			[]string{"formdatas: the answer to form 11241 with option 17876: data stored with other capitals"}},
		{"an answer's date", `{"custom_fields": [{"form_id": 11395, "form_ref_id": 17903, "data": "x", "date": "2026-01-01T00:00:00Z"}]}`,
			`{"custom_fields": [{"form_id": 11395, "form_ref_id": 17903, "data": "x", "date": "2026-01-02T00:00:00Z"}]}`, nil,
			[]string{"custom_fields: the answer to form 11395 with option 17903: dated differently"}},
		{"two answers not stored", `{"formdatas": [{"form_id": 1, "form_ref_id": 2}, {"form_id": 1, "form_ref_id": 3}]}`, `{"formdatas": []}`, nil,
			[]string{"formdatas: the answer to form 1 with option 2 not stored", "formdatas: the answer to form 1 with option 3 not stored"}},
		{"repeated lines are counted", `{"tags": [{"name": "a"}, {"name": "b"}]}`, `{"tags": []}`, nil,
			[]string{"tags: a tag not stored (2 times)"}},
		{"an action id", `{"action_ids": [101, 102]}`, `{"action_ids": [101]}`, nil,
			[]string{"action_ids: id 102 not stored"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Differences(tfContact(t, tc.planned), Canonical(decodeContact(t, tc.stored)), tc.paths)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// The lines name attributes and elements, never a value: they end up in logs.
func TestDifferencesNeverShowAValue(t *testing.T) {
	const secret = "Dupont-Secret"
	planned := tfContact(t, `{"surname": " Dupont-Secret ", "tags": [{"name": "Dupont-Secret"}], "notes": [{"content": "Dupont-Secret x"}],
		"formdatas": [{"form_id": 1, "form_ref_id": 2, "data": "Dupont-Secret"}]}`)
	stored := Canonical(decodeContact(t, `{"surname": "dupont-secret", "tags": [{"name": "dupont-secret"}], "notes": [{"content": "Dupont-Secret"}],
		"formdatas": [{"form_id": 1, "form_ref_id": 2, "data": "Zzqq"}]}`))
	lines := Differences(planned, stored, nil)
	if len(lines) < 4 {
		t.Fatalf("lines %q", lines)
	}
	for _, l := range lines {
		if strings.Contains(strings.ToLower(l), strings.ToLower(secret)) || strings.Contains(l, "Zzqq") {
			t.Errorf("a line repeats a value: %q", l)
		}
	}
}
