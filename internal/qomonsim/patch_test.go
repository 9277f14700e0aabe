package qomonsim

import (
	"fmt"
	"testing"
)

// full is a contact with something in every kind of field.
func full() map[string]any {
	return map[string]any{
		"firstname": "Ada", "surname": "Lovelace", "phone": "0102030405", "black_list": true,
		"age_category": 3, "external_id": "crm-42",
		"address":       map[string]any{"street": "Rue de la Paix", "housenumber": "3", "postalcode": "75002", "city": "Paris"},
		"tags":          []any{map[string]any{"name": "volunteer"}},
		"notes":         []any{map[string]any{"content": "met at the market"}},
		"formdatas":     []any{map[string]any{"form_id": 11300, "form_ref_id": 17880}},
		"custom_fields": []any{map[string]any{"form_id": 11393, "form_ref_id": 17901, "data": "Countess"}},
		"action_ids":    []any{7, 8},
	}
}

func TestPatchReplaceClearsEveryOmittedField(t *testing.T) {
	c := newTC(t, Options{})
	id := idOf(t, c.create(full()))
	got := c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{"surname": "King"})).want(t, 200).contact(t)

	if got["surname"] != "King" {
		t.Errorf("surname = %v", got["surname"])
	}
	for _, k := range []string{"firstname", "phone", "black_list", "age_category", "external_id", "address"} {
		if v, ok := got[k]; ok {
			t.Errorf("%s = %v, want cleared by a replace PATCH", k, v)
		}
	}
	for _, k := range []string{"tags", "notes", "formdatas", "custom_fields", "action_ids"} {
		if l, _ := got[k].([]any); len(l) != 0 {
			t.Errorf("%s = %v, want empty after a replace PATCH", k, got[k])
		}
	}
	stored, _ := c.s.Contact(id)
	if stored["firstname"] != nil {
		t.Errorf("store still holds firstname %v", stored["firstname"])
	}
}

func TestPatchMergeKeepsOmittedAndNullClears(t *testing.T) {
	c := newTC(t, Options{PatchMode: PatchMerge})
	before := c.create(full())
	id := idOf(t, before)
	got := c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{
		"surname": "King",
		"phone":   nil,
		"address": map[string]any{"city": "Lyon", "housenumber": nil},
		"tags":    []any{"speaker"},
	})).want(t, 200).contact(t)

	if got["surname"] != "King" || got["firstname"] != "Ada" || got["external_id"] != "crm-42" {
		t.Errorf("merge: surname %v firstname %v external_id %v", got["surname"], got["firstname"], got["external_id"])
	}
	if _, ok := got["phone"]; ok {
		t.Errorf("phone = %v, want cleared by null", got["phone"])
	}
	addr := got["address"].(map[string]any)
	if addr["city"] != "Lyon" || addr["street"] != "Rue de la Paix" || addr["postalcode"] != "75002" {
		t.Errorf("address not merged key by key: %v", addr)
	}
	if _, ok := addr["housenumber"]; ok {
		t.Errorf("address.housenumber = %v, want cleared by null", addr["housenumber"])
	}
	tags := got["tags"].([]any)
	if len(tags) != 1 || tags[0].(map[string]any)["name"] != "speaker" {
		t.Errorf("tags = %v, want the list replaced", tags)
	}
	if len(got["notes"].([]any)) != 1 || len(got["formdatas"].([]any)) != 1 || len(got["custom_fields"].([]any)) != 1 {
		t.Errorf("omitted lists not kept: notes %v formdatas %v custom_fields %v", got["notes"], got["formdatas"], got["custom_fields"])
	}
	// Omitted answers keep their ids in merge mode: nothing rewrote them.
	if before["formdatas"].([]any)[0].(map[string]any)["id"] != got["formdatas"].([]any)[0].(map[string]any)["id"] {
		t.Error("merge PATCH without formdatas changed their ids")
	}

	got = c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{"address": nil, "tags": nil})).want(t, 200).contact(t)
	if _, ok := got["address"]; ok {
		t.Errorf("address = %v, want cleared by null", got["address"])
	}
	if len(got["tags"].([]any)) != 0 {
		t.Errorf("tags = %v, want cleared by null", got["tags"])
	}
}

func TestPatchModeSwitchesAtRuntime(t *testing.T) {
	c := newTC(t, Options{})
	id := idOf(t, c.create(map[string]any{"firstname": "Ada", "surname": "Lovelace"}))
	c.s.Configure(func(o *Options) { o.PatchMode = PatchMerge })
	got := c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{"surname": "King"})).want(t, 200).contact(t)
	if got["firstname"] != "Ada" {
		t.Errorf("merge mode: firstname = %v", got["firstname"])
	}
	c.s.Configure(func(o *Options) { o.PatchMode = PatchReplace })
	got = c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{"surname": "King"})).want(t, 200).contact(t)
	if _, ok := got["firstname"]; ok {
		t.Errorf("replace mode: firstname = %v", got["firstname"])
	}
}

func TestPatchIgnoresReadOnlyKeysAndKeepsUnknownKeys(t *testing.T) {
	c := newTC(t, Options{})
	created := c.create(map[string]any{"surname": "Lovelace", "membership_code": "X1", "interests": []any{"math"}})
	id := idOf(t, created)
	if created["membership_code"] != "X1" {
		t.Fatalf("unknown key not echoed on create: %v", created)
	}
	// A read-modify-write client sends back what it read, read-only keys included.
	body := map[string]any{}
	for k, v := range created {
		body[k] = v
	}
	body["id"] = 1
	body["group_id"] = 999
	body["CreatedAt"] = "2001-01-01T00:00:00.000000Z"
	body["lastchange"] = "2001-01-01T00:00:00.000Z"
	body["surname"] = "King"
	got := c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(body)).want(t, 200).contact(t)
	if idOf(t, got) != id || got["group_id"] != float64(631) || got["CreatedAt"] != created["CreatedAt"] || got["lastchange"] != created["lastchange"] {
		t.Errorf("read-only keys were written: %v", got)
	}
	if got["membership_code"] != "X1" || got["surname"] != "King" {
		t.Errorf("unknown key not kept through a full PATCH: %v", got)
	}
	if got["UpdatedAt"] == created["UpdatedAt"] {
		t.Error("UpdatedAt did not move")
	}
}

func TestPatchUnknownAndMalformedIDs(t *testing.T) {
	c := newTC(t, Options{})
	r := c.do("PATCH", "/contacts/99999999", wrap(map[string]any{"surname": "X"})).want(t, 404)
	if r.body["detail"] != "contact 99999999 not found" || r.body["instance"] != "/contacts/99999999" {
		t.Errorf("404 problem: %s", r.raw)
	}
	r = c.do("GET", "/contacts/abc", nil).want(t, 422)
	if locs := r.errorLocations(); len(locs) != 1 || locs[0] != "path.contactId" {
		t.Errorf("locations %v", locs)
	}
}

func TestNotesKeepIDsOnlyWhenSent(t *testing.T) {
	c := newTC(t, Options{})
	created := c.create(map[string]any{"notes": []any{
		map[string]any{"content": "first"}, map[string]any{"content": "second", "pinned": true},
	}})
	id := idOf(t, created)
	notes := created["notes"].([]any)
	first := notes[0].(map[string]any)
	if first["data"] != "first" || first["id"] == nil || notes[1].(map[string]any)["pinned"] != true {
		t.Fatalf("notes rendered %v", notes)
	}
	got := c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{"notes": []any{
		map[string]any{"id": first["id"], "data": "first, edited"},
		map[string]any{"content": "second"}, // no id: a new note
	}})).want(t, 200).contact(t)
	gn := got["notes"].([]any)
	if len(gn) != 2 {
		t.Fatalf("notes %v", gn)
	}
	if gn[0].(map[string]any)["id"] != first["id"] || gn[0].(map[string]any)["data"] != "first, edited" {
		t.Errorf("note with id not kept/updated: %v", gn[0])
	}
	if gn[1].(map[string]any)["id"] == notes[1].(map[string]any)["id"] {
		t.Errorf("note without id kept an old id: %v", gn[1])
	}
}

func TestTagsCarryColorAndAppearanceCount(t *testing.T) {
	c := newTC(t, Options{})
	a := c.create(map[string]any{"tags": []any{"volunteer", map[string]any{"name": "donor"}}})
	c.create(map[string]any{"tags": []any{map[string]any{"name": "volunteer", "color": "#000000", "appearance_count": 99}}})
	got := c.do("GET", fmt.Sprintf("/contacts/%d", idOf(t, a)), nil).want(t, 200).contact(t)
	tags := got["tags"].([]any)
	counts := map[string]float64{}
	for _, tg := range tags {
		m := tg.(map[string]any)
		counts[m["name"].(string)] = m["appearance_count"].(float64)
		if col, _ := m["color"].(string); len(col) != 7 || col[0] != '#' || col == "#000000" {
			t.Errorf("tag %v: color %v", m["name"], m["color"])
		}
	}
	if counts["volunteer"] != 2 || counts["donor"] != 1 {
		t.Errorf("appearance counts %v", counts)
	}
	c.s.DeleteContact(idOf(t, a))
	all := c.s.Contacts()
	if n := all[0]["tags"].([]any)[0].(map[string]any)["appearance_count"]; n != float64(1) {
		t.Errorf("after delete, appearance_count = %v", n)
	}
}
