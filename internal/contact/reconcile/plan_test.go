package reconcile

import (
	"slices"
	"testing"
)

// planState is a contact in state, as Read leaves it.
func planState(t *testing.T) Object {
	t.Helper()
	return stateOf(t, `{
		"id": 42, "group_id": 3, "user_id": 9, "CreatedAt": "2026-01-01T00:00:00Z",
		"UpdatedAt": "2026-01-02T00:00:00Z", "lastchange": "2026-01-02T00:00:00.000Z",
		"firstname": "Ada", "surname": "Lovelace", "phone": "0102", "birthdate": "1815-12-10", "age_category": 6,
		"mail": "ada@example.org",
		"address": {"street": "rue de Rivoli", "city": "Paris", "postalcode": "1000", "citycode": "75101", "latitude": "48.8", "score": 0.9, "invalid": false},
		"tags": [{"name": "alpha"}],
		"notes": [{"id": 7, "content": "hello", "pinned": false}]
	}`)
}

func addrPart(t *testing.T, v Value, part string) Value {
	t.Helper()
	obj, ok := v.(Object)
	if !ok {
		t.Fatalf("address is %#v", v)
	}
	return obj[part]
}

func TestPlanUpdate(t *testing.T) {
	managedBase := []string{"firstname", "surname", "address.city"}
	base := map[string]Value{"firstname": "Ada", "surname": "Lovelace", "address.city": "Paris"}
	with := func(over map[string]Value) map[string]Value {
		out := map[string]Value{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range over {
			out[k] = v
		}
		return out
	}
	plan := func(t *testing.T, set map[string]Value, previous []string) (state, planned Object) {
		t.Helper()
		state = planState(t)
		config, proposed := configOf(set)
		return state, PlanUpdate(state, config, proposed, previous)
	}

	t.Run("no change: the plan is the state", func(t *testing.T) {
		state, planned := plan(t, base, managedBase)
		if !equalValues(state, planned) {
			t.Errorf("planned %v\nstate   %v", planned, state)
		}
	})

	t.Run("a managed scalar changes", func(t *testing.T) {
		state, planned := plan(t, with(map[string]Value{"firstname": "Augusta"}), managedBase)
		if planned["firstname"] != "Augusta" {
			t.Errorf("firstname = %v", planned["firstname"])
		}
		for _, k := range []string{"updated_at", "lastchange", "user_id"} {
			if !IsUnknown(planned[k]) {
				t.Errorf("%s should be unknown when an update is planned", k)
			}
		}
		for _, k := range []string{"id", "group_id", "created_at", "phone", "tags", "notes", "address", "age_category"} {
			if !equalValues(planned[k], state[k]) {
				t.Errorf("%s = %v, want it kept from state %v", k, planned[k], state[k])
			}
		}
	})

	// The promise of the documentation: a value that means the same as state never plans a
	// change, whatever spelling the configuration uses.
	t.Run("a configured value that means the same as state keeps state", func(t *testing.T) {
		for _, tc := range []struct{ field, config string }{
			{"mail", "ADA@EXAMPLE.org"},
			{"birthdate", "1815-12-10T00:00:00Z"},
			{"firstname", "Ada"},
			{"address.postalcode", "01000"},
		} {
			state, planned := plan(t, with(map[string]Value{tc.field: tc.config}), append(managedBase, tc.field))
			if !equalValues(planned, state) {
				t.Errorf("%s = %q: planned %v, want state", tc.field, tc.config, ValueAt(planned, tc.field))
			}
		}
		state, planned := plan(t, with(map[string]Value{"tags": texts("alpha"), "notes": []Value{note("hello")}}), managedBase)
		if !equalValues(planned, state) {
			t.Errorf("tags and notes that mean the same: planned %v", planned)
		}
	})

	t.Run("a configured value that means something else plans it", func(t *testing.T) {
		_, planned := plan(t, with(map[string]Value{"mail": "ada@example.com", "address.postalcode": "10000"}), managedBase)
		if planned["mail"] != "ada@example.com" || addrPart(t, planned["address"], "postalcode") != "10000" {
			t.Errorf("planned %v", planned)
		}
		if !IsUnknown(addrPart(t, planned["address"], "geocoding")) {
			t.Error("a changed address part makes the geocoding unknown")
		}
	})

	t.Run("an unmanaged field is never planned to change", func(t *testing.T) {
		state, planned := plan(t, base, managedBase)
		if planned["phone"] != "0102" || !equalValues(planned["tags"], state["tags"]) {
			t.Errorf("phone %v, tags %v: want them as in state", planned["phone"], planned["tags"])
		}
	})

	t.Run("a managed field removed from the configuration is cleared", func(t *testing.T) {
		previous := []string{"firstname", "surname", "address.city", "phone", "tags", "address.street"}
		_, planned := plan(t, base, previous)
		if planned["phone"] != nil || planned["tags"] != nil {
			t.Errorf("phone %v, tags %v: want null", planned["phone"], planned["tags"])
		}
		if addrPart(t, planned["address"], "street") != nil || addrPart(t, planned["address"], "city") != "Paris" {
			t.Errorf("address = %v", planned["address"])
		}
		if !IsUnknown(addrPart(t, planned["address"], "geocoding")) || !IsUnknown(planned["updated_at"]) {
			t.Error("geocoding and updated_at should be unknown once an address part is cleared")
		}
	})

	t.Run("clearing the last part of the address plans no address", func(t *testing.T) {
		state := stateOf(t, `{"id": 1, "firstname": "Ada", "address": {"city": "Paris", "latitude": "48.8", "invalid": false}}`)
		config, proposed := configOf(map[string]Value{"firstname": "Ada"})
		planned := PlanUpdate(state, config, proposed, []string{"firstname", "address.city"})
		if planned["address"] != nil {
			t.Errorf("address = %v, want null", planned["address"])
		}
	})

	t.Run("an address part changes: geocoding unknown, other parts kept", func(t *testing.T) {
		_, planned := plan(t, with(map[string]Value{"address.city": "Lyon"}), managedBase)
		addr := planned["address"]
		if addrPart(t, addr, "city") != "Lyon" || addrPart(t, addr, "street") != "rue de Rivoli" {
			t.Errorf("address = %v", addr)
		}
		if !IsUnknown(addrPart(t, addr, "geocoding")) {
			t.Errorf("geocoding = %v, want unknown", addrPart(t, addr, "geocoding"))
		}
	})

	t.Run("a note that does not change keeps its id; a new note's id is unknown", func(t *testing.T) {
		_, planned := plan(t, with(map[string]Value{"notes": []Value{note("hello"), note("world")}}), managedBase)
		notes, _ := planned["notes"].([]Value)
		if len(notes) != 2 {
			t.Fatalf("notes = %v", planned["notes"])
		}
		if id := notes[0].(Object)["id"]; id != int64(7) {
			t.Errorf("the unchanged note's id = %v, want 7", id)
		}
		if id := notes[1].(Object)["id"]; !IsUnknown(id) {
			t.Errorf("the new note's id = %v, want unknown", id)
		}
	})

	t.Run("a birthdate change leaves an unmanaged age category to Qomon", func(t *testing.T) {
		_, planned := plan(t, with(map[string]Value{"birthdate": "1815-12-11"}), managedBase)
		if !IsUnknown(planned["age_category"]) {
			t.Errorf("age_category = %v, want unknown", planned["age_category"])
		}
		_, planned = plan(t, with(map[string]Value{"birthdate": "1815-12-11", "age_category": int64(5)}), managedBase)
		if planned["age_category"] != int64(5) {
			t.Errorf("managed age_category = %v, want 5", planned["age_category"])
		}
	})

	t.Run("a value unknown until apply", func(t *testing.T) {
		_, planned := plan(t, with(map[string]Value{"firstname": Unknown}), managedBase)
		if !IsUnknown(planned["firstname"]) || !IsUnknown(planned["updated_at"]) {
			t.Errorf("firstname %v, updated_at %v: want both unknown", planned["firstname"], planned["updated_at"])
		}
	})

	t.Run("an address unknown until apply", func(t *testing.T) {
		_, planned := plan(t, with(map[string]Value{"address": Unknown}), managedBase)
		if !IsUnknown(planned["address"]) {
			t.Errorf("address = %v, want unknown", planned["address"])
		}
	})

	// Blank text (a CSV's empty cell) sets nothing.
	t.Run("blank text keeps what Qomon holds", func(t *testing.T) {
		state, planned := plan(t, with(map[string]Value{"phone": ""}), managedBase)
		if planned["phone"] != "0102" || !equalValues(planned, state) {
			t.Errorf("phone = %v, want state's", planned["phone"])
		}
	})
	t.Run("blank text where the field was managed clears it once", func(t *testing.T) {
		_, planned := plan(t, with(map[string]Value{"phone": ""}), append(managedBase, "phone"))
		if planned["phone"] != "" || !IsUnknown(planned["updated_at"]) {
			t.Errorf("phone = %v, updated_at %v", planned["phone"], planned["updated_at"])
		}
	})
	t.Run("blank text where Qomon holds nothing changes nothing Qomon holds", func(t *testing.T) {
		_, planned := plan(t, with(map[string]Value{"married_name": ""}), managedBase)
		if planned["married_name"] != "" || IsUnknown(planned["updated_at"]) {
			t.Errorf("married_name = %v, updated_at %v: want \"\" and no write", planned["married_name"], planned["updated_at"])
		}
	})
}

func TestPlanCreate(t *testing.T) {
	config, proposed := configOf(map[string]Value{
		"firstname": "Ada", "phone": "", "address.city": "Paris", "tags": texts("volunteer"), "notes": []Value{note("hello")},
	})
	planned := PlanCreate(config, proposed)
	for _, k := range []string{"id", "group_id", "user_id", "created_at", "updated_at", "lastchange"} {
		if !IsUnknown(planned[k]) {
			t.Errorf("%s = %v, want unknown", k, planned[k])
		}
	}
	for _, k := range []string{"surname", "mail", "black_list", "age_category", "formdatas", "action_ids"} {
		if planned[k] != nil {
			t.Errorf("%s = %v: a new contact has nothing the configuration does not set", k, planned[k])
		}
	}
	if planned["firstname"] != "Ada" || planned["phone"] != "" {
		t.Errorf("firstname %v, phone %v: want as configured", planned["firstname"], planned["phone"])
	}
	addr := planned["address"]
	if addrPart(t, addr, "city") != "Paris" || addrPart(t, addr, "street") != nil || !IsUnknown(addrPart(t, addr, "geocoding")) {
		t.Errorf("address = %v", addr)
	}
	notes, _ := planned["notes"].([]Value)
	if len(notes) != 1 || !IsUnknown(notes[0].(Object)["id"]) || notes[0].(Object)["pinned"] != false {
		t.Errorf("notes = %v", planned["notes"])
	}

	config, proposed = configOf(map[string]Value{"birthdate": "1815-12-10", "address.city": ""})
	planned = PlanCreate(config, proposed)
	if !IsUnknown(planned["age_category"]) {
		t.Errorf("age_category = %v: Qomon may derive it from the birthdate", planned["age_category"])
	}
	if addrPart(t, planned["address"], "geocoding") != nil {
		t.Errorf("an address with only blank parts is geocoded: %v", planned["address"])
	}
}

func TestManaged(t *testing.T) {
	config, _ := configOf(map[string]Value{
		"firstname": "Ada", "phone": "", "tags": []Value{}, "address.city": "Paris", "address.street": "rue de Rivoli",
		"mail": Unknown,
	})
	got := Managed(config)
	want := []string{"firstname", "mail", "address.street", "address.city", "tags"}
	if !slices.Equal(got, want) {
		t.Errorf("managed = %v, want %v", got, want)
	}
	config, _ = configOf(map[string]Value{"address": Unknown})
	if got := Managed(config); len(got) != 13 {
		t.Errorf("an unknown address should manage every part, got %v", got)
	}
}

func TestFillUnknown(t *testing.T) {
	planned := Object{"a": "kept", "b": Unknown, "c": nil, "n": []Value{Object{"id": Unknown, "x": "p"}}, "o": Object{"g": Unknown}}
	actual := Object{"a": "other", "b": "filled", "c": "newer", "n": []Value{Object{"id": int64(7), "x": "q"}}, "o": Object{"g": "geo"}}
	got := FillUnknown(planned, actual)
	want := Object{"a": "kept", "b": "filled", "c": nil, "n": []Value{Object{"id": int64(7), "x": "p"}}, "o": Object{"g": "geo"}}
	if !equalValues(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if got := FillUnknown(Unknown, nil); got != nil {
		t.Errorf("an unknown Qomon did not answer is null, got %v", got)
	}
}

// A managed collection that changes is planned element by element: what does not change is
// planned as state holds it, with what Qomon filled in (an answer's date, a note's id), so
// that the plan shows the elements that change and nothing else.
func TestPlanUpdateElementByElement(t *testing.T) {
	state := stateOf(t, `{"id": 1,
		"notes": [{"id": 7, "content": "first", "pinned": false}, {"id": 8, "content": "second", "pinned": true}],
		"formdatas": [
			{"form_id": 11301, "form_ref_id": 17884, "data": "housing", "date": "2026-11-01T09:00:00Z"},
			{"form_id": 11301, "form_ref_id": 17885, "data": "transport", "date": "2026-11-30T10:00:00Z"}]}`)
	n := func(content string, pinned bool) Object {
		return Object{"id": nil, "content": content, "pinned": pinned}
	}
	ids := func(v Value) []Value {
		var out []Value
		for _, e := range v.([]Value) {
			out = append(out, e.(Object)["id"])
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		notes []Value
		want  []Value // planned ids, Unknown for a new note
	}{
		{"a note added at the end", []Value{n("first", false), n("second", true), n("third", false)}, []Value{int64(7), int64(8), Unknown}},
		{"a note added at the start", []Value{n("zero", false), n("first", false), n("second", true)}, []Value{Unknown, int64(7), int64(8)}},
		{"a note edited in place keeps its id", []Value{n("first", false), n("second, edited", true)}, []Value{int64(7), int64(8)}},
		{"a note unpinned keeps its id", []Value{n("first", false), n("second", false)}, []Value{int64(7), int64(8)}},
		{"notes swapped keep theirs", []Value{n("second", true), n("first", false)}, []Value{int64(8), int64(7)}},
		{"a note removed", []Value{n("second", true)}, []Value{int64(8)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			config, proposed := configOf(map[string]Value{"notes": tc.notes})
			planned := PlanUpdate(state, config, proposed, []string{"notes"})
			if got := ids(planned["notes"]); !equalValues(got, tc.want) {
				t.Errorf("planned note ids %v, want %v", got, tc.want)
			}
			body, err := BuildUpdate(ContactOf(state), ContactOf(planned), nil, Merge)
			if err != nil {
				t.Fatal(err)
			}
			// The request carries the ids the plan keeps, and no id for a new note.
			var sent []Value
			for _, sn := range body.Body.Notes.Value {
				if id, ok := sn.ID.Get(); ok {
					sent = append(sent, id)
				} else if sn.ID.Set {
					t.Errorf("a new note is sent with a null id")
				} else {
					sent = append(sent, Unknown)
				}
			}
			if !equalValues(sent, tc.want) {
				t.Errorf("sent note ids %v, want %v", sent, tc.want)
			}
		})
	}

	t.Run("an answer Qomon dated is the same answer", func(t *testing.T) {
		// The configuration changes one answer and lists another without its date.
		config, proposed := configOf(map[string]Value{"formdatas": []Value{
			Object{"form_id": int64(11301), "form_ref_id": int64(17883), "data": "environment", "date": nil},
			Object{"form_id": int64(11301), "form_ref_id": int64(17885), "data": "transport", "date": nil},
		}})
		planned := PlanUpdate(state, config, proposed, []string{"formdatas"})
		var dates []Value
		for _, e := range planned["formdatas"].([]Value) {
			dates = append(dates, e.(Object)["date"])
		}
		if !equalValues(dates, []Value{nil, "2026-11-30T10:00:00Z"}) {
			t.Errorf("planned dates %v: the unchanged answer must keep the date Qomon gave it", dates)
		}
	})
}
