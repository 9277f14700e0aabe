package reconcile

import (
	"slices"
	"testing"
)

func TestJudgePatch(t *testing.T) {
	before := `{"id": 1, "firstname": "Ada", "surname": "Lovelace", "mobile": "+33600000000", "address": {"city": "Paris"}, "tags": [{"name": "a"}]}`
	for _, tc := range []struct {
		name, before, body, after string
		want                      Semantics
		lost                      []string
	}{
		{"a replacing PATCH clears what it did not carry", before, `{"firstname": "Grace"}`,
			`{"id": 1, "firstname": "Grace", "tags": [], "notes": [], "address": null}`,
			Replaces, []string{"surname", "mobile", "address.city", "tags"}},
		{"a merging PATCH keeps it", before, `{"firstname": "Grace"}`,
			`{"id": 1, "firstname": "Grace", "surname": "Lovelace", "mobile": "+33600000000", "address": {"city": "Paris"}, "tags": [{"name": "a"}]}`,
			Merges, nil},
		{"a field edited meanwhile is not a replacement", before, `{"firstname": "Grace"}`,
			`{"id": 1, "firstname": "Grace", "surname": "King", "mobile": "+33600000000", "address": {"city": "Paris"}, "tags": [{"name": "a"}]}`,
			Merges, nil},
		{"one field lost is enough", before, `{"firstname": "Grace"}`,
			`{"id": 1, "firstname": "Grace", "surname": "Lovelace", "address": {"city": "Paris"}, "tags": [{"name": "a"}]}`,
			Replaces, []string{"mobile"}},
		{"a contact holding only what was sent cannot tell", `{"id": 1, "firstname": "Ada"}`, `{"firstname": "Grace"}`,
			`{"id": 1, "firstname": "Grace"}`, Undecided, nil},
		{"a field sent as null is sent", `{"id": 1, "firstname": "Ada", "phone": "0102"}`, `{"firstname": "Grace", "phone": null}`,
			`{"id": 1, "firstname": "Grace"}`, Undecided, nil},
		{"an address part left out counts on its own", `{"id": 1, "address": {"city": "Paris", "street": "rue"}}`, `{"address": {"street": "avenue"}}`,
			`{"id": 1, "address": {"street": "avenue"}}`, Replaces, []string{"address.city"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := JudgePatch(Canonical(decodeContact(t, tc.before)), decodeContact(t, tc.body), Canonical(decodeContact(t, tc.after)))
			if got.Semantics != tc.want || !slices.Equal(got.Lost, tc.lost) {
				t.Errorf("got %v lost %v, want %v lost %v", got.Semantics, got.Lost, tc.want, tc.lost)
			}
		})
	}
}
