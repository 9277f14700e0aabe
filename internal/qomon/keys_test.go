package qomon

import (
	"encoding/json"
	"slices"
	"testing"
)

// Every key that held personal data before the wire tables carried the flag is still masked.
func TestPersonalKeysCoverContactDetails(t *testing.T) {
	for _, k := range []string{
		"mail", "phone", "mobile", "firstname", "surname", "married_name", "birthdate", "birthcity", "birth_city",
		"birthdept", "birth_dept", "birthcountry", "birth_country", "nationality", "housenumber", "house_number",
		"street", "addition", "infos", "building", "floor", "door", "postalcode", "postal_code", "city", "county",
		"state", "country", "pollingstation", "citycode", "latitude", "longitude", "location", "content", "data",
	} {
		if !sensitiveKeys[k] {
			t.Errorf("%s is not masked", k)
		}
	}
	for _, k := range []string{"id", "gender", "score", "invalid", "form_id", "black_list"} {
		if sensitiveKeys[k] {
			t.Errorf("%s is masked, but it is no personal data", k)
		}
	}
}

// An accessor reaches the field its key names: writing through it and encoding shows the key.
func TestContactValueReachesItsKey(t *testing.T) {
	for _, f := range contactFields {
		at, ok := f.at.(func(*Contact) *Opt[string])
		if !ok {
			continue
		}
		var c Contact
		*ContactValue[string](f.keys[0])(&c) = Some("x")
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if m[f.keys[0]] != "x" || len(m) != 1 || at(&c).Value != "x" {
			t.Errorf("key %s: encoded %s", f.keys[0], b)
		}
	}
	var a Address
	*AddressValue[string]("postalcode")(&a) = Some("01000")
	if a.PostalCode.Value != "01000" {
		t.Errorf("postalcode accessor reached %+v", a)
	}
}

func TestContactValuePanicsOnAWrongKey(t *testing.T) {
	for _, tc := range []func(){
		func() { ContactValue[string]("nope") },
		func() { ContactValue[int64]("mail") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc()
		}()
	}
}

func TestKeySpellings(t *testing.T) {
	for in, want := range map[string]string{"birthcity": "birth_city", "birth_city": "birth_city", "actions_ids": "action_ids", "customfields": "custom_fields"} {
		if got, ok := ContactKey(in); !ok || got != want {
			t.Errorf("ContactKey(%q) = %q, %v", in, got, ok)
		}
	}
	if got, ok := AddressKey("postal_code"); !ok || got != "postalcode" {
		t.Errorf("AddressKey(postal_code) = %q, %v", got, ok)
	}
	if _, ok := ContactKey("nope"); ok {
		t.Error("an unknown key is modelled")
	}
	if got := SortKeys(); !slices.Equal(got, []string{"lastchange", "firstname", "surname", "married_name", "gender", "birthdate", "mail", "city"}) {
		t.Errorf("SortKeys() = %v", got)
	}
}
