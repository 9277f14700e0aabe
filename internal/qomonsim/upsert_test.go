package qomonsim

import (
	"strings"
	"testing"
	"time"
)

func upsert(data map[string]any) map[string]any {
	return map[string]any{"kind": "contact", "data": data}
}

func TestUpsertAnswers202AndCreates(t *testing.T) {
	c := newTC(t, Options{})
	r := c.do("POST", "/contacts/upsert", upsert(map[string]any{
		"firstname": "Jane", "surname": "Doe", "mail": "Jane@Example.org", "birthcity": "Paris",
		"status":          []any{map[string]any{"label": "Level of support", "value": "to_be_convinced"}},
		"custom_fields":   []any{map[string]any{"id": 11391, "value": "Teacher"}, map[string]any{"label": "Favorite food", "value": "Pizza"}},
		"name_presences":  []any{map[string]any{"id": 11400, "value": "present"}},
		"presence_status": []any{map[string]any{"id": 11400, "value": "absent"}}, // unknown key: dropped
	})).want(t, 202)
	if len(r.raw) != 0 {
		t.Errorf("202 body %q, want empty", r.raw)
	}
	if r.header.Get("X-Ratelimit-Cost") != "1" {
		t.Errorf("upsert cost %q", r.header.Get("X-Ratelimit-Cost"))
	}
	all := c.s.Contacts()
	if len(all) != 1 {
		t.Fatalf("%d contacts", len(all))
	}
	got := all[0]
	if got["mail"] != "jane@example.org" || got["birth_city"] != "Paris" {
		t.Errorf("created %v", got)
	}
	if r := refs(got["formdatas"]); len(r) != 2 || r[0] != 17887 || r[1] != 17881 {
		t.Errorf("formdatas %v", r)
	}
	if r := refs(got["custom_fields"]); len(r) != 2 || r[0] != 17895 || r[1] != 17899 {
		t.Errorf("custom_fields %v", r)
	}
	if out := c.s.Upserts(); len(out) != 1 || !out[0].Applied || !out[0].Created {
		t.Errorf("outcomes %+v", out)
	}
}

func TestUpsertMatching(t *testing.T) {
	c := newTC(t, Options{})
	byMail := c.s.SeedContact(map[string]any{"firstname": "Jane", "surname": "Doe", "mail": "jane@example.org", "phone": "1", "tags": []any{"old"}})
	byName := c.s.SeedContact(map[string]any{"firstname": "John", "surname": "Smith", "birthdate": "1980-01-01",
		"address": map[string]any{"city": "Lyon", "street": "Rue A"}})
	byNB := c.s.SeedContact(map[string]any{"surname": "Nation", "nationbuilderid": 777})
	before, _ := c.s.Contact(byMail)

	steps := []struct {
		name string
		data map[string]any
		want int64 // 0: created
	}{
		{"rule 1, Qomon id", map[string]any{"id": byName, "married_name": "X"}, byName},
		{"rule 1, NationBuilder id", map[string]any{"id": 777, "married_name": "Y"}, byNB},
		{"rule 2, mail (case-insensitive) and given names", map[string]any{"mail": "JANE@example.org", "firstname": "Jane", "mobile": "2"}, byMail},
		{"rule 2 fails on another firstname, rule 3 finds nobody", map[string]any{"mail": "jane@example.org", "firstname": "Janet", "surname": "Doe"}, 0},
		{"rule 3, names and birthdate", map[string]any{"firstname": "John", "surname": "Smith", "birthdate": "1980-01-01", "address": map[string]any{"city": "Lyon"}}, byName},
		{"rule 3, no birthdate: street must match", map[string]any{"firstname": "John", "surname": "Smith", "address": map[string]any{"postalcode": "1", "city": "Lyon", "street": "Other"}}, 0},
		{"rule 3, no birthdate, same street", map[string]any{"firstname": "John", "surname": "Smith", "address": map[string]any{"city": "lyon", "street": "Rue A"}}, byName},
		{"rule 3, different birthdate, other city", map[string]any{"firstname": "John", "surname": "Smith", "birthdate": "1981-01-01", "address": map[string]any{"city": "Paris"}}, 0},
	}
	for _, st := range steps {
		n := c.s.ContactCount()
		c.do("POST", "/contacts/upsert", upsert(st.data)).want(t, 202)
		out := c.s.Upserts()
		last := out[len(out)-1]
		switch {
		case !last.Applied:
			t.Errorf("%s: dropped (%s)", st.name, last.Reason)
		case st.want == 0 && (!last.Created || c.s.ContactCount() != n+1):
			t.Errorf("%s: want a new contact, got %+v", st.name, last)
		case st.want != 0 && (last.Created || last.ContactID != st.want):
			t.Errorf("%s: want contact %d updated, got %+v", st.name, st.want, last)
		}
	}
	after, _ := c.s.Contact(byMail)
	if after["phone"] != "1" || after["mobile"] != "2" || after["firstname"] != "Jane" {
		t.Errorf("partial upsert touched other fields: %v", after)
	}
	if after["lastchange"] != before["lastchange"] {
		t.Errorf("upsert moved lastchange")
	}
	if after["UpdatedAt"] == before["UpdatedAt"] {
		t.Errorf("upsert did not move UpdatedAt")
	}
}

func TestUpsertSilentDrops(t *testing.T) {
	c := newTC(t, Options{})
	id := c.s.SeedContact(map[string]any{"surname": "Kept", "phone": "1"})
	cases := map[string]map[string]any{
		"id matching nobody":      {"id": 55555555, "surname": "Ghost"},
		"unknown form id":         {"id": id, "phone": "2", "consents": []any{map[string]any{"id": 1, "value": "yes"}}},
		"unknown form label":      {"id": id, "phone": "2", "status": []any{map[string]any{"label": "Mood", "value": "good"}}},
		"value not an option":     {"id": id, "phone": "2", "status": []any{map[string]any{"id": 11300, "value": "maybe"}}},
		"form of another kind":    {"id": id, "phone": "2", "consents": []any{map[string]any{"id": 11300, "value": "support"}}},
		"numeric field with text": {"id": id, "phone": "2", "custom_fields": []any{map[string]any{"id": 11394, "value": "many"}}},
		"invalid mail":            {"id": id, "phone": "2", "mail": "nope"},
		"value not a string":      {"id": id, "phone": "2", "custom_fields": []any{map[string]any{"id": 11394, "value": 4}}},
	}
	for name, data := range cases {
		c.do("POST", "/contacts/upsert", upsert(data)).want(t, 202)
		out := c.s.Upserts()
		if last := out[len(out)-1]; last.Applied || last.Reason == "" {
			t.Errorf("%s: %+v, want dropped with a reason", name, last)
		}
	}
	got, _ := c.s.Contact(id)
	if got["phone"] != "1" || c.s.ContactCount() != 1 {
		t.Errorf("a dropped upsert changed something: %v", got)
	}
	if st := c.s.Stats(); st.UpsertsDropped != len(cases) || st.UpsertsApplied != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestUpsertAnswerRules(t *testing.T) {
	c := newTC(t, Options{})
	id := c.s.SeedContact(map[string]any{"surname": "A", "formdatas": []any{
		map[string]any{"form_id": 11400, "form_ref_id": 17888}, map[string]any{"form_id": 11240, "form_ref_id": 17871},
	}, "tags": []any{"a"}, "notes": []any{map[string]any{"content": "one"}}})
	c.do("POST", "/contacts/upsert", upsert(map[string]any{"id": id,
		"name_presences": []any{map[string]any{"id": 11400, "value": "Present"}}, // label accepted; replaces the radio answer
		"consents":       []any{map[string]any{"id": 11240, "value": "consent_sms"}, map[string]any{"id": 11240, "value": "consent_email"}},
		"tags":           []any{"b"},
		"notes":          []any{map[string]any{"content": "two"}},
	})).want(t, 202)
	got, _ := c.s.Contact(id)
	if r := refs(got["formdatas"]); len(r) != 3 || r[0] != 17871 || r[1] != 17872 || r[2] != 17887 {
		t.Errorf("formdatas %v, want [17871 17872 17887]", r)
	}
	if tags := got["tags"].([]any); len(tags) != 2 {
		t.Errorf("tags %v, want added to", tags)
	}
	if notes := got["notes"].([]any); len(notes) != 2 {
		t.Errorf("notes %v, want added to", notes)
	}
}

func TestUpsertEnvelopeValidation(t *testing.T) {
	c := newTC(t, Options{})
	for body, loc := range map[string]string{
		`{"kind":"person","data":{}}`:            "body.kind",
		`{"data":{}}`:                            "body.kind",
		`{"kind":"contact"}`:                     "body.data",
		`{"kind":"contact","data":{},"extra":1}`: "body.extra",
	} {
		r := c.do("POST", "/contacts/upsert", body).want(t, 422)
		if locs := r.errorLocations(); len(locs) != 1 || locs[0] != loc {
			t.Errorf("%s: %v", body, locs)
		}
	}
	c.do("POST", "/contacts/upsert", `{"kind":`).want(t, 400)
}

func TestUpsertDelayAndFlush(t *testing.T) {
	c := newTC(t, Options{UpsertDelay: 150 * time.Millisecond})
	c.do("POST", "/contacts/upsert", upsert(map[string]any{"surname": "Later"})).want(t, 202)
	if c.s.ContactCount() != 0 || c.s.Stats().UpsertsPending != 1 {
		t.Fatal("upsert applied before its delay")
	}
	deadline := time.Now().Add(5 * time.Second)
	for c.s.ContactCount() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if c.s.ContactCount() != 1 {
		t.Fatal("upsert never applied")
	}

	c2 := newTC(t, Options{UpsertDelay: time.Hour})
	c2.do("POST", "/contacts/upsert", upsert(map[string]any{"surname": "Flushed"})).want(t, 202)
	c2.s.FlushUpserts()
	if all := c2.s.Contacts(); len(all) != 1 || all[0]["surname"] != "Flushed" {
		t.Errorf("after flush: %v", all)
	}
	c2.do("POST", "/contacts/upsert", upsert(map[string]any{"surname": "Dropped"})).want(t, 202)
	c2.s.Close()
	c2.s.FlushUpserts()
	if c2.s.ContactCount() != 1 {
		t.Error("Close did not drop the pending upsert")
	}
	if !strings.Contains(c2.s.Contacts()[0]["surname"].(string), "Flushed") {
		t.Error("unexpected contact")
	}
}
