package qomonsim

import (
	"fmt"
	"testing"
)

func spelled() map[string]any {
	return map[string]any{
		"birth_city": "Paris", "birth_dept": "Seine", "birth_country": "France",
		"address":       map[string]any{"housenumber": "12", "postalcode": "01000", "floor": "3", "city": "Bourg-en-Bresse", "street": "Rue A"},
		"custom_fields": []any{map[string]any{"form_id": 11393, "form_ref_id": 17901, "data": "Ada"}},
		"action_ids":    []any{5},
		"notes":         []any{map[string]any{"content": "hello"}},
	}
}

func TestResponseSpellingNew(t *testing.T) {
	c := newTC(t, Options{})
	got := c.create(spelled())
	for _, k := range []string{"birth_city", "birth_dept", "birth_country", "custom_fields", "action_ids"} {
		if _, ok := got[k]; !ok {
			t.Errorf("new spelling lacks %s", k)
		}
	}
	for _, k := range []string{"birthcity", "birthdept", "birthcountry", "customfields", "actions_ids"} {
		if _, ok := got[k]; ok {
			t.Errorf("new spelling has %s", k)
		}
	}
	addr := got["address"].(map[string]any)
	for _, k := range []string{"housenumber", "postalcode", "floor", "citycode", "latitude", "longitude"} {
		if _, ok := addr[k].(string); !ok {
			t.Errorf("address.%s = %#v, want a string", k, addr[k])
		}
	}
	note := got["notes"].([]any)[0].(map[string]any)
	if note["data"] != "hello" || note["contact_id"] != got["id"] {
		t.Errorf("new-spelling note %v", note)
	}
}

func TestResponseSpellingOld(t *testing.T) {
	c := newTC(t, Options{Spelling: SpellingOld})
	got := c.create(spelled())
	for _, k := range []string{"birthcity", "birthdept", "birthcountry", "customfields", "actions_ids"} {
		if _, ok := got[k]; !ok {
			t.Errorf("old spelling lacks %s", k)
		}
	}
	for _, k := range []string{"birth_city", "custom_fields", "action_ids"} {
		if _, ok := got[k]; ok {
			t.Errorf("old spelling has %s", k)
		}
	}
	addr := got["address"].(map[string]any)
	if addr["housenumber"] != float64(12) || addr["floor"] != float64(3) {
		t.Errorf("old spelling: housenumber %#v floor %#v, want numbers", addr["housenumber"], addr["floor"])
	}
	if addr["postalcode"] != "01000" {
		t.Errorf("postalcode with a leading zero = %#v, want kept a string", addr["postalcode"])
	}
	if _, ok := addr["citycode"].(string); !ok { // 01xxx: leading zero too
		t.Errorf("citycode = %#v", addr["citycode"])
	}
	note := got["notes"].([]any)[0].(map[string]any)
	if note["content"] != "hello" || note["data"] != nil {
		t.Errorf("old-spelling note %v", note)
	}

	// What an old-spelling GET returns is accepted back by PATCH unchanged.
	id := idOf(t, got)
	back := c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(got)).want(t, 200).contact(t)
	if back["birthcity"] != "Paris" || len(back["customfields"].([]any)) != 1 || back["address"].(map[string]any)["housenumber"] != float64(12) {
		t.Errorf("round trip through the old spelling lost data: %v", back)
	}

	c.s.Configure(func(o *Options) { o.Spelling = SpellingNew })
	if got := c.do("GET", fmt.Sprintf("/contacts/%d", id), nil).want(t, 200).contact(t); got["birth_city"] != "Paris" {
		t.Errorf("Configure(Spelling new) not applied: %v", got)
	}
}

func TestOldSpellingNumericCitycode(t *testing.T) {
	c := newTC(t, Options{Spelling: SpellingOld})
	addr := c.create(map[string]any{"address": map[string]any{"postalcode": "75001", "city": "Paris"}})["address"].(map[string]any)
	if _, ok := addr["citycode"].(float64); !ok {
		t.Errorf("citycode = %#v, want a number in the old spelling", addr["citycode"])
	}
	if addr["postalcode"] != float64(75001) {
		t.Errorf("postalcode = %#v", addr["postalcode"])
	}
}
