package reconcile

import (
	"encoding/json"
	"testing"
)

func TestCanonicalContact(t *testing.T) {
	c := Canonical(decodeContact(t, `{
		"firstname": "", "surname": "  ", "married_name": "King",
		"birthdate": "1955-07-06T00:00:00.000Z",
		"CreatedAt": "2026-01-02T04:04:05.123456+01:00",
		"address": {"street": "", "city": "Paris", "latitude": ""},
		"tags": [{"name": "b"}, {"name": "a"}],
		"notes": [], "action_ids": [],
		"formdatas": [
			{"form_id": 1, "form_ref_id": 10, "data": "", "date": "2026-01-01T01:00:00+01:00"},
			{"form_id": 2, "form_ref_id": 20, "data": "gone", "deleted_at": "2026-01-01T00:00:00Z"}
		]
	}`))
	if c.Firstname.Present() || c.Surname.Present() || c.MarriedName.Value != "King" {
		t.Errorf("empty strings should be no value: firstname %+v surname %+v", c.Firstname, c.Surname)
	}
	if c.Birthdate.Value != "1955-07-06" {
		t.Errorf("birthdate = %q", c.Birthdate.Value)
	}
	if c.CreatedAt.Value != "2026-01-02T03:04:05.123456Z" {
		t.Errorf("CreatedAt = %q", c.CreatedAt.Value)
	}
	if c.Address.Value.Street.Present() || c.Address.Value.Latitude.Present() || c.Address.Value.City.Value != "Paris" {
		t.Errorf("address = %+v", c.Address.Value)
	}
	if len(c.Tags.Value) != 2 || c.Tags.Value[0].Name != "a" {
		t.Errorf("tags = %+v", c.Tags.Value)
	}
	if c.Notes.Present() || c.ActionIDs.Present() || c.CustomFields.Present() {
		t.Errorf("empty collections should be no value: notes %+v action_ids %+v", c.Notes, c.ActionIDs)
	}
	if len(c.Formdatas.Value) != 1 {
		t.Fatalf("the soft-deleted answer should be gone: %+v", c.Formdatas.Value)
	}
	if a := c.Formdatas.Value[0]; a.Data.Present() || a.Date.Value != "2026-01-01T00:00:00Z" {
		t.Errorf("answer = %+v", a)
	}
}

// KeepSpelling keeps the spelling state or configuration used wherever Qomon's answer means
// the same thing, and Qomon's value wherever it does not.
func TestKeepSpelling(t *testing.T) {
	prior := tfContact(t, `{
		"firstname": "Hélène", "mail": "Ada@Example.org", "birthdate": "1815-12-10", "phone": "0102",
		"address": {"postalcode": "01000", "city": "Paris"},
		"tags": [{"name": "élue"}, {"name": "alpha"}],
		"notes": [{"content": "café"}],
		"formdatas": [{"form_id": 1, "form_ref_id": 10}, {"form_id": 2, "form_ref_id": 20, "data": "2026-01-01T00:00:00.000Z"}],
		"custom_fields": [{"form_id": 3, "form_ref_id": 30, "data": "old"}],
		"action_ids": []
	}`)
	fresh := Canonical(decodeContact(t, `{
		"firstname": "He\u0301le\u0300ne", "mail": "ada@example.org", "birthdate": "1815-12-10T00:00:00Z", "phone": "0103",
		"address": {"postalcode": 1000, "city": "Paris", "latitude": "46.2"},
		"tags": [{"name": "alpha"}, {"name": "e\u0301lue"}],
		"notes": [{"id": 8, "data": "cafe\u0301"}],
		"formdatas": [
			{"form_id": 2, "form_ref_id": 20, "data": "2026-01-01T00:00:00.000000Z", "date": "2026-02-01T00:00:00Z"},
			{"form_id": 1, "form_ref_id": 10, "data": "yes", "date": "2026-02-01T00:00:00Z"}
		],
		"custom_fields": [{"form_id": 3, "form_ref_id": 30, "data": "new"}],
		"action_ids": []
	}`))
	got := KeepSpelling(fresh, prior)
	check := func(name, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	check("firstname", got.Firstname.Value, "Hélène")
	check("mail", got.Mail.Value, "Ada@Example.org")
	check("birthdate", got.Birthdate.Value, "1815-12-10")
	check("phone (really changed)", got.Phone.Value, "0103")
	check("postalcode", got.Address.Value.PostalCode.Value, "01000")
	check("latitude (Qomon's)", got.Address.Value.Latitude.Value, "46.2")
	names := map[string]bool{}
	for _, tag := range got.Tags.Value {
		names[tag.Name] = true
	}
	if !names["élue"] || !names["alpha"] || len(names) != 2 {
		t.Errorf("tags = %+v", got.Tags.Value)
	}
	if n := got.Notes.Value[0]; n.Content != "café" || n.ID.Value != 8 {
		t.Errorf("note = %+v", n)
	}
	for _, a := range got.Formdatas.Value {
		switch a.FormID {
		case 1:
			if a.Data.Present() || a.Date.Present() {
				t.Errorf("untracked data/date of answer 1 should stay unset: %+v", a)
			}
		case 2:
			check("answer 2 data", a.Data.Value, "2026-01-01T00:00:00.000Z")
		}
	}
	check("custom field (really changed)", got.CustomFields.Value[0].Data.Value, "new")
	if !got.ActionIDs.Present() || len(got.ActionIDs.Value) != 0 {
		t.Errorf("action_ids = %+v, want the configured []", got.ActionIDs)
	}
	// Every field the two contacts share now compares as the same value, except the real changes.
	for _, f := range WritableFields() {
		want := !map[string]bool{"phone": true, "custom_fields": true}[f.Path]
		if f.w.equal(&prior, &got) != want {
			b, _ := json.Marshal(got)
			t.Errorf("%s: equal = %v, want %v (%s)", f.Path, !want, want, b)
		}
	}
}

// Text the configuration left blank stays blank in state while Qomon holds nothing, and an
// address written with blank parts keeps its shape; a real value from Qomon replaces them.
func TestKeepSpellingOfBlanks(t *testing.T) {
	prior := ContactOf(Object{"phone": "", "address": Object{"city": "", "street": nil}})
	got := KeepSpelling(Canonical(decodeContact(t, `{"id":1,"phone":"","address":{"invalid":true,"score":0}}`)), prior)
	if v, ok := got.Phone.Get(); !ok || v != "" {
		t.Errorf("phone = %+v, want the configured blank", got.Phone)
	}
	if !got.Address.Present() || got.Address.Value.City.Value != "" || !got.Address.Value.City.Present() || got.Address.Value.Invalid.Set {
		t.Errorf("address = %+v, want the configured blank city and no geocoding", got.Address)
	}
	// The shape kept is the configuration's, not the geocoding state held of an older address.
	geocoded := ContactOf(Object{"address": Object{"city": "", "geocoding": Object{
		"citycode": "75056", "latitude": "48.8", "longitude": "2.3", "location": "48.8,2.3", "score": 0.9, "invalid": false}}})
	got = KeepSpelling(Canonical(decodeContact(t, `{"id":1,"address":{}}`)), geocoded)
	if a := got.Address.Value; !got.Address.Present() || !a.City.Present() ||
		a.CityCode.Set || a.Latitude.Set || a.Longitude.Set || a.Location.Set || a.Score.Set || a.Invalid.Set {
		t.Errorf("address = %+v, want the configured blank city and no geocoding", got.Address)
	}
	got = KeepSpelling(Canonical(decodeContact(t, `{"id":1,"phone":"0102","address":{"city":"Paris"}}`)), prior)
	if got.Phone.Value != "0102" || got.Address.Value.City.Value != "Paris" {
		t.Errorf("Qomon's values should win over blanks: %+v %+v", got.Phone, got.Address)
	}
	// An address with no part in state, none in Qomon: no address (not an object of nulls).
	got = KeepSpelling(Canonical(decodeContact(t, `{"id":1}`)), ContactOf(Object{"address": nil}))
	if got.Address.Present() {
		t.Errorf("address = %+v, want none", got.Address)
	}
	got = KeepSpelling(Canonical(decodeContact(t, `{"id":1}`)), ContactOf(stateOf(t, `{"address":{"street":"Rue"}}`)))
	if got.Address.Present() {
		t.Errorf("an address deleted in Qomon should be gone: %+v", got.Address)
	}
}
