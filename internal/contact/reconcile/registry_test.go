package reconcile

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// fieldCase is one field's row of the registry test: a value as a configuration writes it, the
// same value in another spelling, Qomon's answer holding it (JSON members of a contact), a
// value that means something else, and how a merge request carries that other value.
type fieldCase struct {
	config, same Value
	qomon        string
	other        Value
	otherQomon   string // Qomon's answer holding other
	mergeBody    string // the merge PATCH body that sets other
}

// text is the row of a text field compared as text: accents composed or not are the same.
func textRow(name string) fieldCase {
	return fieldCase{
		config: "Zoé", same: "Zoe\u0301", qomon: fmt.Sprintf(`%q: "Zoe\u0301"`, name),
		other: "Zoë", otherQomon: fmt.Sprintf(`%q: "Zoë"`, name), mergeBody: fmt.Sprintf(`{%q: "Zoë"}`, name),
	}
}

func addressTextRow(name string) fieldCase {
	return fieldCase{
		config: "Zoé", same: "Zoe\u0301", qomon: fmt.Sprintf(`"address": {%q: "Zoe\u0301"}`, name),
		other: "Zoë", otherQomon: fmt.Sprintf(`"address": {%q: "Zoë"}`, name), mergeBody: fmt.Sprintf(`{"address": {%q: "Zoë"}}`, name),
	}
}

func addressDigitsRow(name, config, same string, qomon int, other string) fieldCase {
	return fieldCase{
		config: config, same: same, qomon: fmt.Sprintf(`"address": {%q: %d}`, name, qomon),
		other: other, otherQomon: fmt.Sprintf(`"address": {%q: %q}`, name, other), mergeBody: fmt.Sprintf(`{"address": {%q: %q}}`, name, other),
	}
}

func flagRow(name string) fieldCase {
	return fieldCase{
		config: true, same: true, qomon: fmt.Sprintf(`%q: "1"`, name),
		other: false, otherQomon: fmt.Sprintf(`%q: false`, name), mergeBody: fmt.Sprintf(`{%q: false}`, name),
	}
}

// fieldCases has a row for every writable field of the registry (TestEveryFieldHasARow).
var fieldCases = map[string]fieldCase{
	"firstname":    textRow("firstname"),
	"surname":      textRow("surname"),
	"married_name": textRow("married_name"),
	"gender": {config: "F", same: "F", qomon: `"gender": "F"`,
		other: "M", otherQomon: `"gender": "M"`, mergeBody: `{"gender": "M"}`},
	"birthdate": {config: "1990-02-28", same: "1990-02-28T00:00:00Z", qomon: `"birthdate": "1990-02-28T00:00:00.000Z"`,
		other: "1990-03-01", otherQomon: `"birthdate": "1990-03-01T00:00:00Z"`, mergeBody: `{"birthdate": "1990-03-01T00:00:00Z"}`},
	"age_category": {config: int64(3), same: int64(3), qomon: `"age_category": "3"`,
		other: int64(4), otherQomon: `"age_category": 4`, mergeBody: `{"age_category": 4}`},
	"birth_city":    {config: "Zoé", same: "Zoe\u0301", qomon: `"birthcity": "Zoe\u0301"`, other: "Zoë", otherQomon: `"birth_city": "Zoë"`, mergeBody: `{"birth_city": "Zoë"}`},
	"birth_dept":    textRow("birth_dept"),
	"birth_country": textRow("birth_country"),
	"nationality":   textRow("nationality"),
	"mail": {config: "Person12@Example.org", same: "PERSON12@EXAMPLE.ORG", qomon: `"mail": "person12@example.org"`,
		other: "person13@example.org", otherQomon: `"mail": "person13@example.org"`, mergeBody: `{"mail": "person13@example.org"}`},
	"phone":          textRow("phone"),
	"mobile":         textRow("mobile"),
	"phone_invalid":  flagRow("phone_invalid"),
	"mobile_invalid": flagRow("mobile_invalid"),
	"black_list":     flagRow("black_list"),
	"user_contact_id": {config: int64(77), same: int64(77), qomon: `"user_contact_id": "77"`,
		other: int64(78), otherQomon: `"user_contact_id": 78`, mergeBody: `{"user_contact_id": 78}`},

	"address.housenumber":    addressDigitsRow("housenumber", "012", "12", 12, "13"),
	"address.street":         addressTextRow("street"),
	"address.addition":       addressTextRow("addition"),
	"address.infos":          addressTextRow("infos"),
	"address.building":       addressTextRow("building"),
	"address.floor":          addressDigitsRow("floor", "03", "3", 3, "4"),
	"address.door":           addressTextRow("door"),
	"address.postalcode":     addressDigitsRow("postalcode", "01000", "1000", 1000, "10000"),
	"address.city":           addressTextRow("city"),
	"address.county":         addressTextRow("county"),
	"address.state":          addressTextRow("state"),
	"address.country":        addressTextRow("country"),
	"address.pollingstation": addressTextRow("pollingstation"),

	"tags": {config: texts("élue", "alpha"), same: texts("alpha", "e\u0301lue"),
		qomon: `"tags": [{"name": "alpha", "color": "#fff", "appearance_count": 3}, {"name": "e\u0301lue"}]`,
		other: texts("alpha"), otherQomon: `"tags": ["alpha"]`, mergeBody: `{"tags": [{"name": "alpha"}]}`},
	"notes": {config: []Value{Object{"id": nil, "content": "café", "pinned": nil}},
		same:  []Value{Object{"id": nil, "content": "cafe\u0301", "pinned": false}},
		qomon: `"notes": [{"id": 8, "data": "cafe\u0301", "pinned": false, "created_at": "2026-01-01T00:00:00.000Z"}]`,
		other: []Value{Object{"id": nil, "content": "thé", "pinned": true}}, otherQomon: `"notes": [{"id": 9, "content": "thé", "pinned": true}]`,
		// The note changed in place is that note edited: it is sent with its id, so Qomon keeps it.
		mergeBody: `{"notes": [{"id": 8, "content": "thé", "pinned": true}]}`},
	"formdatas": {config: []Value{Object{"form_id": int64(1), "form_ref_id": int64(10), "data": "2026-01-01T00:00:00.000Z", "date": nil}},
		same:       []Value{Object{"form_id": int64(1), "form_ref_id": int64(10), "data": "2026-01-01T01:00:00+01:00", "date": nil}},
		qomon:      `"formdatas": [{"id": 5, "form_id": 1, "form_ref_id": 10, "data": "2026-01-01T00:00:00.000000Z", "date": "2026-02-01T00:00:00Z", "deleted_at": null}]`,
		other:      []Value{Object{"form_id": int64(1), "form_ref_id": int64(11), "data": nil, "date": nil}},
		otherQomon: `"formdatas": [{"id": 6, "form_id": 1, "form_ref_id": 11, "data": "no"}]`,
		mergeBody:  `{"formdatas": [{"form_id": 1, "form_ref_id": 11}]}`},
	"custom_fields": {config: []Value{Object{"form_id": int64(3), "form_ref_id": int64(30), "data": "Architect", "date": nil},
		Object{"form_id": int64(4), "form_ref_id": int64(40), "data": "Zoé", "date": nil}},
		same: []Value{Object{"form_id": int64(4), "form_ref_id": int64(40), "data": "Zoé", "date": nil},
			Object{"form_id": int64(3), "form_ref_id": int64(30), "data": "Architect", "date": nil}},
		qomon:      `"customfields": [{"id": 5, "form_id": 3, "form_ref_id": 30, "data": "Architect"}, {"id": 6, "form_id": 4, "form_ref_id": 40, "data": "Zoé"}]`,
		other:      []Value{Object{"form_id": int64(3), "form_ref_id": int64(31), "data": "Teacher", "date": nil}},
		otherQomon: `"custom_fields": [{"form_id": 3, "form_ref_id": 31, "data": "Teacher"}]`,
		mergeBody:  `{"custom_fields": [{"form_id": 3, "form_ref_id": 31, "data": "Teacher"}]}`},
	"action_ids": {config: []Value{int64(1), int64(2)}, same: []Value{int64(2), int64(1)}, qomon: `"actions_ids": ["2", 1]`,
		other: []Value{int64(1)}, otherQomon: `"action_ids": [1]`, mergeBody: `{"action_ids": [1]}`},
}

func TestEveryFieldHasARow(t *testing.T) {
	for _, f := range WritableFields() {
		if _, ok := fieldCases[f.Path]; !ok {
			t.Errorf("field %s has no row in fieldCases", f.Path)
		}
	}
	for path := range fieldCases {
		if f, ok := FieldNamed(path); !ok || !f.Writable() {
			t.Errorf("fieldCases has a row for %s, which is no writable field", path)
		}
	}
}

// TestEveryFieldKeepsItsWord walks every field through the three places a value meets another
// one — the configuration meets state (a plan), Qomon's answer meets state (a refresh), an
// import meets the configuration — with the engine functions the resource calls, in the order
// it calls them. A value that means the same never shows as a difference; one that means
// something else does, and the request sends it.
func TestEveryFieldKeepsItsWord(t *testing.T) {
	for _, f := range WritableFields() {
		tc, ok := fieldCases[f.Path]
		if !ok {
			continue
		}
		t.Run(f.Path, func(t *testing.T) {
			answer := decodeContact(t, `{"id": 1, "external_id": "crm-1", `+tc.qomon+`}`)
			configure := func(v Value) (Object, Object) {
				return configOf(map[string]Value{f.Path: v})
			}

			// Create: state holds the configured spelling, whatever Qomon answered.
			config, proposed := configure(tc.config)
			planned := PlanCreate(config, proposed)
			state, _ := FillUnknown(planned, ObjectOf(KeepSpelling(Canonical(answer), ContactOf(planned)))).(Object)
			if got := ValueAt(state, f.Path); !f.Equal(tc.config, got) || !sameSpelling(f, tc.config, got) {
				t.Fatalf("after create, state holds %#v, want the configured %#v", got, tc.config)
			}

			// State meets Qomon's answer (a refresh): same meaning, no drift.
			refreshed := ObjectOf(KeepSpelling(Canonical(answer), ContactOf(state)))
			if !sameSpelling(f, ValueAt(refreshed, f.Path), ValueAt(state, f.Path)) {
				t.Errorf("refresh: state %#v became %#v", ValueAt(state, f.Path), ValueAt(refreshed, f.Path))
			}
			// ... and another meaning shows.
			changed := decodeContact(t, `{"id": 1, "external_id": "crm-1", `+tc.otherQomon+`}`)
			drifted := ObjectOf(KeepSpelling(Canonical(changed), ContactOf(state)))
			if f.Equal(ValueAt(state, f.Path), ValueAt(drifted, f.Path)) {
				t.Errorf("refresh: Qomon's other value %s did not reach state", tc.otherQomon)
			}
			config, proposed = configure(tc.config)
			if p := PlanUpdate(drifted, config, proposed, []string{f.Path}); equalValues(ValueAt(p, f.Path), ValueAt(drifted, f.Path)) {
				t.Errorf("a value changed in Qomon plans no change back")
			}

			// The configuration meets state: another spelling of the same value plans nothing.
			config, proposed = configure(tc.same)
			if p := PlanUpdate(refreshed, config, proposed, []string{f.Path}); !equalValues(p, refreshed) {
				t.Errorf("configuration %#v: planned %#v, want state's %#v", tc.same, ValueAt(p, f.Path), ValueAt(refreshed, f.Path))
			}
			// Another value is planned, and sent.
			config, proposed = configure(tc.other)
			p := PlanUpdate(refreshed, config, proposed, []string{f.Path})
			if f.Equal(ValueAt(p, f.Path), ValueAt(refreshed, f.Path)) {
				t.Fatalf("configuration %#v plans no change", tc.other)
			}
			checkSent(t, f, refreshed, p, answer, tc.mergeBody)

			// An import meets the configuration: state is what Qomon holds, in Qomon's spelling.
			imported := ObjectOf(KeepSpelling(Canonical(answer), ContactOf(Object{"id": int64(1)})))
			for _, v := range []Value{tc.config, tc.same} {
				config, proposed = configure(v)
				if p := PlanUpdate(imported, config, proposed, nil); !equalValues(p, imported) {
					t.Errorf("import with %#v: planned %#v, want Qomon's %#v", v, ValueAt(p, f.Path), ValueAt(imported, f.Path))
				}
			}
			config, proposed = configure(tc.other)
			p = PlanUpdate(imported, config, proposed, nil)
			if f.Equal(ValueAt(p, f.Path), ValueAt(imported, f.Path)) {
				t.Fatalf("import with %#v plans no change", tc.other)
			}
			checkSent(t, f, imported, p, answer, tc.mergeBody)
		})
	}
}

// checkSent checks that both update modes send the planned value of f.
func checkSent(t *testing.T, f Field, state, planned Object, fresh qomon.Contact, mergeBody string) {
	t.Helper()
	prior, plan := ContactOf(state), ContactOf(planned)
	merge, err := BuildUpdate(prior, plan, nil, Merge)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, merge.Body, mergeBody)
	current := Canonical(fresh)
	replace, err := BuildUpdate(prior, plan, &current, Replace)
	if err != nil {
		t.Fatalf("replace: %v", err)
	}
	if !f.w.equal(&plan, &replace.Body) || len(replace.Changed) != 1 || replace.Changed[0] != f.Path {
		b, _ := json.Marshal(replace.Body)
		t.Errorf("replace sends %s (changed %v)", b, replace.Changed)
	}
	if b, _ := json.Marshal(replace.Body); !strings.Contains(string(b), `"external_id":"crm-1"`) {
		t.Errorf("replace drops what the plan does not change: %s", b)
	}
}

// sameSpelling reports whether two values of f are spelt the same (elements in any order).
func sameSpelling(f Field, a, b Value) bool {
	if f.w == nil {
		return equalValues(a, b)
	}
	var ca, cb = ContactOf(Object{"address": Object{}}), ContactOf(Object{"address": Object{}})
	f.Put(&ca, a)
	f.Put(&cb, b)
	return f.w.same(&ca, &cb)
}

// An answer whose data the configuration leaves to Qomon matches the answer Qomon holds, with
// whatever data: importing it plans no change.
func TestImportedAnswerLeftToQomon(t *testing.T) {
	imported := ObjectOf(Canonical(decodeContact(t, `{"id": 1, "formdatas": [{"form_id": 1, "form_ref_id": 10, "data": "yes", "date": "2026-02-01T00:00:00Z"}]}`)))
	config, proposed := configOf(map[string]Value{"formdatas": []Value{Object{"form_id": int64(1), "form_ref_id": int64(10), "data": nil, "date": nil}}})
	if p := PlanUpdate(imported, config, proposed, nil); !equalValues(p, imported) {
		t.Errorf("planned %v, want state", p["formdatas"])
	}
}
