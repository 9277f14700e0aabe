package contact

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// The model and the attribute types built by hand must match the schema exactly, or the
// framework fails at run time.
func TestModelMatchesSchema(t *testing.T) {
	ctx := context.Background()
	m, diags := flattenContact(ctx, qomon.Contact{})
	if diags.HasError() {
		t.Fatal(diags)
	}
	obj, diags := types.ObjectValueFrom(ctx, contactAttrTypes(), m)
	if diags.HasError() {
		t.Fatalf("model does not fit the schema: %v", diags)
	}
	if !obj.Type(ctx).Equal(resourceSchema().Type()) {
		t.Errorf("model type %s\nschema type %s", obj.Type(ctx), resourceSchema().Type())
	}
	schemaAttrs := resourceSchema().Type().(types.ObjectType).AttrTypes
	if !schemaAttrs["address"].Equal(types.ObjectType{AttrTypes: addressAttrTypes}) {
		t.Error("addressAttrTypes differ from the schema")
	}
	if !schemaAttrs["notes"].Equal(types.ListType{ElemType: noteType}) {
		t.Error("noteAttrTypes differ from the schema")
	}
	if !schemaAttrs["formdatas"].Equal(types.SetType{ElemType: formAnswerType}) ||
		!schemaAttrs["custom_fields"].Equal(types.SetType{ElemType: formAnswerType}) {
		t.Error("formAnswerAttrTypes differ from the schema")
	}
	// Every writable field is an attribute of the schema, and every address input is a field.
	for _, f := range fields {
		if keyPath(f.key()).String() == "" {
			t.Errorf("field %s has no path", f.key())
		}
	}
	for _, name := range addressInputs {
		if _, ok := fieldByKey("address." + name); !ok {
			t.Errorf("address.%s is not a field", name)
		}
		if _, ok := addressAttrTypes[name]; !ok {
			t.Errorf("address.%s is not in the schema", name)
		}
	}
}

// A contact read from Qomon, flattened to state and expanded again, gives back every writable
// value.
func TestFlattenExpandRoundTrip(t *testing.T) {
	ctx := context.Background()
	in := decodeContact(t, `{
		"id": 42, "firstname": "Ada", "surname": "Lovelace", "gender": "F", "birthdate": "1815-12-10",
		"age_category": 6, "birth_city": "London", "mail": "ada@example.org", "mobile": "0601",
		"phone_invalid": false, "black_list": true, "user_contact_id": 9,
		"address": {"street": "rue de Rivoli", "postalcode": "01000", "citycode": "01053", "latitude": "46.2", "score": 0.9, "invalid": false},
		"tags": [{"name": "a"}, {"name": "b"}],
		"notes": [{"id": 3, "content": "hello", "pinned": true}],
		"formdatas": [{"form_id": 1, "form_ref_id": 10, "data": "yes", "date": "2026-01-01T00:00:00Z"}],
		"custom_fields": [{"form_id": 2, "form_ref_id": 20}],
		"action_ids": [5, 6]
	}`)
	m, diags := flattenContact(ctx, canonicalContact(in))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if m.ID.ValueInt64() != 42 || m.Address.Attributes()["citycode"].(types.String).ValueString() != "01053" {
		t.Errorf("computed values lost: id %v, address %v", m.ID, m.Address)
	}
	out, diags := expandContact(ctx, m)
	if diags.HasError() {
		t.Fatal(diags)
	}
	for _, f := range fields {
		if !f.same(&in, &out) {
			t.Errorf("%s differs after the round trip", f.key())
		}
	}
	if n := out.Notes.Value; len(n) != 1 || n[0].Content != "hello" || !pinned(n[0]) {
		t.Errorf("notes = %+v", n)
	}
	// Fields Qomon did not send come back as explicit nulls, which is what the update needs.
	if !out.MarriedName.Set || !out.MarriedName.Null {
		t.Errorf("married_name = %+v, want null", out.MarriedName)
	}
}

func TestCanonicalContact(t *testing.T) {
	c := canonicalContact(decodeContact(t, `{
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

// reconcileContact keeps the spelling state or configuration used wherever Qomon's answer means
// the same thing, and Qomon's value wherever it does not.
func TestReconcileContact(t *testing.T) {
	prior := tfContact(t, `{
		"firstname": "Hélène", "mail": "Ada@Example.org", "birthdate": "1815-12-10", "phone": "0102",
		"address": {"postalcode": "01000", "city": "Paris"},
		"tags": [{"name": "élue"}, {"name": "alpha"}],
		"notes": [{"content": "café"}],
		"formdatas": [{"form_id": 1, "form_ref_id": 10}, {"form_id": 2, "form_ref_id": 20, "data": "2026-01-01T00:00:00.000Z"}],
		"custom_fields": [{"form_id": 3, "form_ref_id": 30, "data": "old"}],
		"action_ids": []
	}`)
	fresh := canonicalContact(decodeContact(t, `{
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
	got := reconcileContact(fresh, prior)
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
	for _, f := range fields {
		want := !map[string]bool{"phone": true, "custom_fields": true}[f.key()]
		if f.equal(&prior, &got) != want {
			b, _ := json.Marshal(got)
			t.Errorf("%s: equal = %v, want %v (%s)", f.key(), !want, want, b)
		}
	}
}
