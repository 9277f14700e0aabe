package qomonsim

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestValidationErrors(t *testing.T) {
	cases := []struct {
		name    string
		contact any // the value of data.contact
		loc     string
	}{
		{"malformed mail", map[string]any{"mail": "ada.example.org"}, "body.data.contact.mail"},
		{"mail with a name", map[string]any{"mail": "Ada <ada@example.org>"}, "body.data.contact.mail"},
		{"mail without dotted domain", map[string]any{"mail": "ada@localhost"}, "body.data.contact.mail"},
		{"gender not M/F/O", map[string]any{"gender": "X"}, "body.data.contact.gender"},
		{"gender lower case", map[string]any{"gender": "f"}, "body.data.contact.gender"},
		{"age_category above 6", map[string]any{"age_category": 7}, "body.data.contact.age_category"},
		{"age_category below 0", map[string]any{"age_category": -1}, "body.data.contact.age_category"},
		{"age_category not integer", map[string]any{"age_category": 2.5}, "body.data.contact.age_category"},
		{"bad birthdate", map[string]any{"birthdate": "10/12/1815"}, "body.data.contact.birthdate"},
		{"impossible birthdate", map[string]any{"birthdate": "1815-02-30"}, "body.data.contact.birthdate"},
		{"firstname not a string", map[string]any{"firstname": 12}, "body.data.contact.firstname"},
		{"phone as number", map[string]any{"phone": 102030405}, "body.data.contact.phone"},
		{"black_list as string", map[string]any{"black_list": "true"}, "body.data.contact.black_list"},
		{"user_contact_id as string", map[string]any{"user_contact_id": "7"}, "body.data.contact.user_contact_id"},
		{"address not an object", map[string]any{"address": "Paris"}, "body.data.contact.address"},
		{"address city as number", map[string]any{"address": map[string]any{"city": 75}}, "body.data.contact.address.city"},
		{"address postal code as float", map[string]any{"address": map[string]any{"postalcode": 75001.5}}, "body.data.contact.address.postalcode"},
		{"tags not an array", map[string]any{"tags": "a"}, "body.data.contact.tags"},
		{"tag without name", map[string]any{"tags": []any{map[string]any{"label": "a"}}}, "body.data.contact.tags[0].name"},
		{"empty tag", map[string]any{"tags": []any{" "}}, "body.data.contact.tags[0]"},
		{"note without text", map[string]any{"notes": []any{map[string]any{"pinned": true}}}, "body.data.contact.notes[0].content"},
		{"empty note", map[string]any{"notes": []any{map[string]any{"content": ""}}}, "body.data.contact.notes[0].content"},
		{"note id as string", map[string]any{"notes": []any{map[string]any{"content": "x", "id": "1"}}}, "body.data.contact.notes[0].id"},
		{"action_ids with a string", map[string]any{"action_ids": []any{1, "2"}}, "body.data.contact.action_ids[1]"},
		{"unknown form_id", map[string]any{"formdatas": []any{map[string]any{"form_id": 1, "form_ref_id": 17880}}}, "body.data.contact.formdatas[0].form_id"},
		{"missing form_id", map[string]any{"formdatas": []any{map[string]any{"form_ref_id": 17880}}}, "body.data.contact.formdatas[0].form_id"},
		{"form_ref_id of another form", map[string]any{"formdatas": []any{map[string]any{"form_id": 11300, "form_ref_id": 17871}}}, "body.data.contact.formdatas[0].form_ref_id"},
		{"form_ref_id missing", map[string]any{"formdatas": []any{map[string]any{"form_id": 11300}}}, "body.data.contact.formdatas[0].form_ref_id"},
		{"custom field in formdatas", map[string]any{"formdatas": []any{map[string]any{"form_id": 11391, "form_ref_id": 17894}}}, "body.data.contact.formdatas[0].form_id"},
		{"formdata in custom_fields", map[string]any{"custom_fields": []any{map[string]any{"form_id": 11300, "form_ref_id": 17880}}}, "body.data.contact.custom_fields[0].form_id"},
		{"unknown custom field, old spelling", map[string]any{"customfields": []any{map[string]any{"form_id": 5, "form_ref_id": 17894}}}, "body.data.contact.customfields[0].form_id"},
		{"free text without data", map[string]any{"custom_fields": []any{map[string]any{"form_id": 11393, "form_ref_id": 17901}}}, "body.data.contact.custom_fields[0].data"},
		{"numeric form with text", map[string]any{"custom_fields": []any{map[string]any{"form_id": 11394, "form_ref_id": 17902, "data": "forty"}}}, "body.data.contact.custom_fields[0].data"},
		{"date form with text", map[string]any{"custom_fields": []any{map[string]any{"form_id": 11395, "form_ref_id": 17903, "data": "last year"}}}, "body.data.contact.custom_fields[0].data"},
		{"answer date malformed", map[string]any{"formdatas": []any{map[string]any{"form_id": 11300, "form_ref_id": 17880, "date": "yesterday"}}}, "body.data.contact.formdatas[0].date"},
		{"form_id as string", map[string]any{"formdatas": []any{map[string]any{"form_id": "11300", "form_ref_id": 17880}}}, "body.data.contact.formdatas[0].form_id"},
		{"both spellings", map[string]any{"birthcity": "Paris", "birth_city": "Lyon"}, "body.data.contact.birth"},
		{"contact not an object", []any{}, "body.data.contact"},
		{"contact null", nil, "body.data.contact"},
	}
	c := newTC(t, Options{RateLimit: RateLimit{Disabled: true}})
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			for _, call := range []struct{ method, path string }{{"POST", "/contacts"}, {"PATCH", ""}} {
				path := call.path
				if call.method == "PATCH" {
					path = fmt.Sprintf("/contacts/%d", c.s.SeedContact(map[string]any{"surname": "Seed"}))
				}
				r := c.do(call.method, path, map[string]any{"data": map[string]any{"contact": tt.contact}}).want(t, 422)
				if r.body["type"] != "about:blank" || r.body["title"] != "Unprocessable Entity" || r.body["status"] != float64(422) || r.body["instance"] != path {
					t.Errorf("%s: problem shape: %s", call.method, r.raw)
				}
				locs := r.errorLocations()
				if len(locs) != 1 || !strings.HasPrefix(locs[0], tt.loc) {
					t.Errorf("%s: locations %v, want %s", call.method, locs, tt.loc)
				}
			}
		})
	}
	if n := c.s.ContactCount(); n != len(cases) { // the seeded ones only
		t.Errorf("%d contacts stored; an invalid body stored something", n)
	}
}

func TestValidationReportsEveryError(t *testing.T) {
	c := newTC(t, Options{})
	r := c.do("POST", "/contacts", wrap(map[string]any{"mail": "nope", "gender": "X", "age_category": 9})).want(t, 422)
	locs := r.errorLocations()
	want := []string{"body.data.contact.age_category", "body.data.contact.gender", "body.data.contact.mail"}
	if !slices.Equal(locs, want) {
		t.Errorf("locations %v, want %v (sorted)", locs, want)
	}
	errs := r.body["errors"].([]any)
	if errs[2].(map[string]any)["value"] != "nope" {
		t.Errorf("error value %v", errs[2])
	}
}

func TestEnvelopeAndJSONErrors(t *testing.T) {
	c := newTC(t, Options{})
	r := c.do("POST", "/contacts", `{"data": {"contact": {"surname": "Ada"`).want(t, 400)
	if r.body["status"] != float64(400) || r.body["title"] != "Bad Request" {
		t.Errorf("400 problem: %s", r.raw)
	}
	c.do("POST", "/contacts", `{"data":{"contact":{}}} trailing`).want(t, 400)
	for body, loc := range map[string]string{
		`{}`:                         "body.data",
		`{"data": 1}`:                "body.data",
		`{"data": {}}`:               "body.data.contact",
		`{"data": {"contacts": {}}}`: "body.data.contact",
		`[]`:                         "body",
	} {
		r := c.do("POST", "/contacts", body).want(t, 422)
		if locs := r.errorLocations(); len(locs) != 1 || locs[0] != loc {
			t.Errorf("%s: locations %v, want %s", body, locs, loc)
		}
	}
	if c.s.ContactCount() != 0 {
		t.Error("a rejected body stored a contact")
	}
}

func TestRequestSpellingsAndShapes(t *testing.T) {
	c := newTC(t, Options{})
	old := c.create(map[string]any{
		"birthcity": "Paris", "birthdept": "Seine", "birthcountry": "France",
		"customfields": []any{map[string]any{"form_id": 11393, "form_ref_id": 17901, "data": "Ada"}},
		"actions_ids":  []any{3},
		"address":      map[string]any{"housenumber": 12, "postalcode": 75001, "floor": 2, "city": "Paris"},
		"notes":        []any{map[string]any{"data": "text in data"}},
		"tags":         []any{"plain", map[string]any{"name": "object"}},
	})
	renew := c.create(map[string]any{
		"birth_city": "Paris", "birth_dept": "Seine", "birth_country": "France",
		"custom_fields": []any{map[string]any{"form_id": 11393, "form_ref_id": 17901, "data": "Ada"}},
		"action_ids":    []any{3},
		"address":       map[string]any{"housenumber": "12", "postalcode": "75001", "floor": "2", "city": "Paris"},
		"notes":         []any{map[string]any{"content": "text in data"}},
		"tags":          []any{map[string]any{"name": "plain"}, "object"},
	})
	for _, got := range []map[string]any{old, renew} {
		if got["birth_city"] != "Paris" || got["birth_dept"] != "Seine" || got["birth_country"] != "France" {
			t.Errorf("birth fields %v %v %v", got["birth_city"], got["birth_dept"], got["birth_country"])
		}
		if cf := got["custom_fields"].([]any); len(cf) != 1 || cf[0].(map[string]any)["data"] != "Ada" {
			t.Errorf("custom_fields %v", got["custom_fields"])
		}
		if a := got["action_ids"].([]any); len(a) != 1 || a[0] != float64(3) {
			t.Errorf("action_ids %v", got["action_ids"])
		}
		addr := got["address"].(map[string]any)
		if addr["housenumber"] != "12" || addr["postalcode"] != "75001" || addr["floor"] != "2" {
			t.Errorf("address numbers not stored as strings: %v", addr)
		}
		if n := got["notes"].([]any)[0].(map[string]any); n["data"] != "text in data" {
			t.Errorf("note %v", n)
		}
		if tags := got["tags"].([]any); len(tags) != 2 {
			t.Errorf("tags %v", tags)
		}
	}
}

func TestChoiceAnswersStoreTheOptionValue(t *testing.T) {
	c := newTC(t, Options{})
	got := c.create(map[string]any{"formdatas": []any{
		map[string]any{"form_id": 11300, "form_ref_id": 17880, "data": "Support (label)"},
		map[string]any{"form_id": 11240, "form_ref_id": 17871},
	}})
	fd := got["formdatas"].([]any)
	if fd[0].(map[string]any)["data"] != "support" || fd[1].(map[string]any)["data"] != "consent_email" {
		t.Errorf("choice answers data %v", fd)
	}
}

func TestEmptyValidatedStringsClear(t *testing.T) {
	c := newTC(t, Options{})
	got := c.create(map[string]any{"mail": " ", "gender": "", "birthdate": "", "surname": ""})
	for _, k := range []string{"mail", "gender", "birthdate"} {
		if _, ok := got[k]; ok {
			t.Errorf("%s = %v, want absent", k, got[k])
		}
	}
	if got["surname"] != "" {
		t.Errorf("plain string surname = %v, want kept as empty", got["surname"])
	}
}

func TestBirthdateNormalised(t *testing.T) {
	c := newTC(t, Options{})
	for in, want := range map[string]string{
		"1815-12-10":                "1815-12-10T00:00:00Z",
		"1999-12-31T23:00:00.000Z":  "1999-12-31T23:00:00Z",
		"2000-01-01T01:00:00+02:00": "1999-12-31T23:00:00Z",
	} {
		if got := c.create(map[string]any{"birthdate": in})["birthdate"]; got != want {
			t.Errorf("birthdate %q stored as %v, want %s", in, got, want)
		}
	}
}
