package qomon

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func decodeContact(t *testing.T, s string) Contact {
	t.Helper()
	var c Contact
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return c
}

func encode(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return string(b)
}

// Every spelling and type the docs have shown for a field decodes to the same value.
func TestContactDecodeSpellings(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want Contact
	}{
		{"birth fields, old", `{"birthcity":"Lyon","birthdept":"Rhône","birthcountry":"France"}`,
			Contact{BirthCity: Some("Lyon"), BirthDept: Some("Rhône"), BirthCountry: Some("France")}},
		{"birth fields, new", `{"birth_city":"Lyon","birth_dept":"Rhône","birth_country":"France"}`,
			Contact{BirthCity: Some("Lyon"), BirthDept: Some("Rhône"), BirthCountry: Some("France")}},
		{"both spellings, the one with a value wins", `{"birth_city":null,"birthcity":"Lyon"}`,
			Contact{BirthCity: Some("Lyon")}},
		{"both spellings, the new one wins", `{"birth_city":"Lyon","birthcity":"Paris"}`,
			Contact{BirthCity: Some("Lyon")}},
		{"both spellings null", `{"birthcity":null,"birth_city":null}`, Contact{BirthCity: Null[string]()}},
		{"customfields, old", `{"customfields":[{"form_id":1,"form_ref_id":2,"data":"x"}]}`,
			Contact{CustomFields: Some([]FormData{{FormID: 1, FormRefID: 2, Data: Some("x")}})}},
		{"custom_fields, new", `{"custom_fields":[{"form_id":1,"form_ref_id":2,"data":"x"}]}`,
			Contact{CustomFields: Some([]FormData{{FormID: 1, FormRefID: 2, Data: Some("x")}})}},
		{"actions_ids, old, ids as strings", `{"actions_ids":[1,"2"]}`, Contact{ActionIDs: Some([]int64{1, 2})}},
		{"action_ids, new", `{"action_ids":[3]}`, Contact{ActionIDs: Some([]int64{3})}},
		{"empty action_ids", `{"action_ids":[]}`, Contact{ActionIDs: Some([]int64{})}},
		{"CreatedAt and V1 created_at", `{"created_at":"2022-10-13T15:50:34.643724Z","UpdatedAt":"2022-10-13T15:50:34.643Z"}`,
			Contact{CreatedAt: Some("2022-10-13T15:50:34.643724Z"), UpdatedAt: Some("2022-10-13T15:50:34.643Z")}},
		{"numbers as strings", `{"id":"42","age_category":"3","user_contact_id":7.0,"group_id":"9"}`,
			Contact{ID: Some[int64](42), AgeCategory: Some[int64](3), UserContactID: Some[int64](7), GroupID: Some[int64](9)}},
		{"empty string number is null", `{"age_category":""}`, Contact{AgeCategory: Null[int64]()}},
		{"booleans as strings and numbers", `{"black_list":"true","phone_invalid":0,"mobile_invalid":"1"}`,
			Contact{BlackList: Some(true), PhoneInvalid: Some(false), MobileInvalid: Some(true)}},
		{"phone keeps leading zero and plus", `{"phone":"0612345678","mobile":"+33612345678"}`,
			Contact{Phone: Some("0612345678"), Mobile: Some("+33612345678")}},
		{"null and absent differ", `{"firstname":null}`, Contact{Firstname: Null[string]()}},
		{"unicode", `{"surname":"Dupré-Ångström 李"}`, Contact{Surname: Some("Dupré-Ångström 李")}},
		{"address numbers as numbers", `{"address":{"housenumber":12,"postalcode":75001,"floor":2,"citycode":75101}}`,
			Contact{Address: Some(Address{HouseNumber: Some("12"), PostalCode: Some("75001"), Floor: Some("2"), CityCode: Some("75101")})}},
		{"address leading zeros kept as strings", `{"address":{"postalcode":"01000","housenumber":"007"}}`,
			Contact{Address: Some(Address{PostalCode: Some("01000"), HouseNumber: Some("007")})}},
		{"address V1 spellings", `{"address":{"house_number":"3","postal_code":"69001"}}`,
			Contact{Address: Some(Address{HouseNumber: Some("3"), PostalCode: Some("69001")})}},
		{"geocoding as numbers", `{"address":{"latitude":48,"longitude":2.35,"score":"0.9","invalid":null}}`,
			Contact{Address: Some(Address{Latitude: Some("48"), Longitude: Some("2.35"), Score: Some(0.9), Invalid: Null[bool]()})}},
		{"null address", `{"address":null}`, Contact{Address: Null[Address]()}},
		{"tags as objects", `{"tags":[{"name":"a","color":"#fff","appearance_count":3}]}`,
			Contact{Tags: Some([]Tag{{Name: "a", Color: Some("#fff"), AppearanceCount: Some[int64](3)}})}},
		{"tags as strings", `{"tags":["a","b"]}`, Contact{Tags: Some([]Tag{{Name: "a"}, {Name: "b"}})}},
		{"tags mixed, null skipped", `{"tags":["a",null,{"name":"b"}]}`, Contact{Tags: Some([]Tag{{Name: "a"}, {Name: "b"}})}},
		{"notes with content", `{"notes":[{"id":1,"content":"hi","pinned":true}]}`,
			Contact{Notes: Some([]Note{{ID: Some[int64](1), Content: "hi", Pinned: Some(true)}})}},
		{"notes with data", `{"notes":[{"id":1,"data":"hi"}]}`, Contact{Notes: Some([]Note{{ID: Some[int64](1), Content: "hi"}})}},
		{"notes as a single object", `{"notes":{"data":"hi"}}`, Contact{Notes: Some([]Note{{Content: "hi"}})}},
		{"formdata ids as strings", `{"formdatas":[{"id":"5","form_id":"1","form_ref_id":"2","data":42,"survey_id":3}]}`,
			Contact{Formdatas: Some([]FormData{{ID: Some[int64](5), FormID: 1, FormRefID: 2, Data: Some("42"), SurveyID: Some[int64](3)}})}},
		{"empty object", `{}`, Contact{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := decodeContact(t, tc.in)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("decoded\n got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestContactDecodeKeepsUnknownKeys(t *testing.T) {
	c := decodeContact(t, `{"id":1,"external_id":"x-1","membership_number":17,"address":{"building_type":"flat"},
		"notes":[{"content":"n","only_super_admin":true}],"formdatas":[{"form_id":1,"form_ref_id":2,"donedate":null}]}`)
	if got := string(c.Unknown["external_id"]); got != `"x-1"` {
		t.Errorf("external_id = %s", got)
	}
	if got := string(c.Unknown["membership_number"]); got != `17` {
		t.Errorf("membership_number = %s", got)
	}
	if got := string(c.Address.Value.Unknown["building_type"]); got != `"flat"` {
		t.Errorf("building_type = %s", got)
	}
	if got := string(c.Notes.Value[0].Unknown["only_super_admin"]); got != `true` {
		t.Errorf("only_super_admin = %s", got)
	}
	if _, ok := c.Formdatas.Value[0].Unknown["donedate"]; !ok {
		t.Error("donedate lost")
	}
	// Consumed spellings are not unknown keys: they would be written back twice.
	c = decodeContact(t, `{"customfields":[],"actions_ids":[],"birthcity":"x","created_at":"t","notes":[{"data":"d"}]}`)
	if len(c.Unknown) != 0 || len(c.Notes.Value[0].Unknown) != 0 {
		t.Errorf("aliases leaked into Unknown: %v %v", c.Unknown, c.Notes.Value[0].Unknown)
	}
}

// A value of a type that cannot be its field is an error naming the key, never the value.
func TestContactDecodeRejectsWrongTypes(t *testing.T) {
	cases := map[string]string{
		`{"firstname":{"secret":"Ada"}}`:                  `"firstname"`,
		`{"mail":["ada@example.org"]}`:                    `"mail"`,
		`{"id":"ada@example.org"}`:                        `"id"`,
		`{"id":true}`:                                     `"id"`,
		`{"age_category":2.5}`:                            `"age_category"`,
		`{"age_category":1e300}`:                          `"age_category"`,
		`{"black_list":"maybe"}`:                          `"black_list"`,
		`{"black_list":2}`:                                `"black_list"`,
		`{"address":"12 rue de Rivoli"}`:                  `"address"`,
		`{"address":{"postalcode":{"x":1}}}`:              `"postalcode"`,
		`{"tags":true}`:                                   `"tags"`,
		`{"tags":[["a"]]}`:                                `"tags"`,
		`{"notes":[5]}`:                                   `"notes"`,
		`{"notes":"Met at the fair"}`:                     `"notes"`,
		`{"formdatas":[{"form_id":"abc"}]}`:               `"form_id"`,
		`{"action_ids":["x"]}`:                            `"action_ids"`,
		`{"action_ids":[null, {}]}`:                       `"action_ids"`,
		`{"custom_fields":{"form_id":[]}}`:                `"form_id"`,
		`[1,2]`:                                           `expected an object`,
		`"ada@example.org"`:                               `expected an object`,
		`{"phone":true}`:                                  `"phone"`,
		`{"mobile":"\u0000"}`:                             ``, // a string is a string: accepted
		`{"birthdate":{"y":1815}}`:                        `"birthdate"`,
		`{"user_contact_id":"ada"}`:                       `"user_contact_id"`,
		`{"nationbuilderid":9223372036854775808}`:         `"nationbuilderid"`,
		`{"formdatas":[{"form_ref_id":1.5}]}`:             `"form_ref_id"`,
		`{"notes":[{"pinned":"yes"}]}`:                    `"pinned"`,
		`{"tags":[{"name":{"first":"Ada"}}]}`:             `"name"`,
		`{"address":{"street":12.5,"city":["Paris"]}}`:    `"city"`,
		`{"custom_fields":[{"data":{"text":"private"}}]}`: `"data"`,
	}
	for in, wantKey := range cases {
		var c Contact
		err := json.Unmarshal([]byte(in), &c)
		if wantKey == "" {
			if err != nil {
				t.Errorf("%s: unexpected error %v", in, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: decoded without error: %#v", in, c)
			continue
		}
		if !strings.Contains(err.Error(), wantKey) {
			t.Errorf("%s: error %q does not name %s", in, err, wantKey)
		}
		for _, secret := range []string{"Ada", "ada@", "rue de Rivoli", "Paris", "private", "Met at"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("%s: error %q leaks the value", in, err)
			}
		}
	}
}

// Geocoding output is read-only: a value of an unexpected type is kept aside, not fatal.
func TestContactDecodeLenientOnComputedFields(t *testing.T) {
	c := decodeContact(t, `{"id":1,"group_id":{"x":1},"address":{"city":"Paris","location":{"lat":1,"lng":2},"score":"high"}}`)
	if c.Address.Value.Location.Set || c.Address.Value.Score.Set || c.GroupID.Set {
		t.Errorf("unexpected computed values: %#v", c)
	}
	if string(c.Address.Value.Unknown["location"]) != `{"lat":1,"lng":2}` || string(c.Unknown["group_id"]) != `{"x":1}` {
		t.Errorf("raw values not kept: %v %v", c.Address.Value.Unknown, c.Unknown)
	}
	if c.Address.Value.City.Value != "Paris" {
		t.Errorf("city = %q", c.Address.Value.City.Value)
	}
}

func TestContactEncode(t *testing.T) {
	c := Contact{
		Firstname:    Some("Ada"),
		Surname:      Null[string](),
		BirthCity:    Some("London"),
		CustomFields: Some([]FormData{{FormID: 1, FormRefID: 2, Data: Some("x")}}),
		ActionIDs:    Some([]int64{}),
		Tags:         Some([]Tag{{Name: "vip"}}),
		Notes:        Some([]Note{{Content: "hi", Extra: Extra{Unknown: map[string]json.RawMessage{"data": json.RawMessage(`"stale"`)}}}}),
		Address:      Some(Address{PostalCode: Some("01000"), Extra: Extra{Unknown: map[string]json.RawMessage{"building_type": json.RawMessage(` "flat" `)}}}),
		Extra: Extra{Unknown: map[string]json.RawMessage{
			"zeta":         json.RawMessage(`{ "a" : 1 }`),
			"external_id":  json.RawMessage(`"x"`),
			"firstname":    json.RawMessage(`"Unknown loses"`), // modelled keys win
			"customfields": json.RawMessage(`[]`),              // an old spelling of a modelled key: dropped
		}},
	}
	want := `{"firstname":"Ada","surname":null,"birth_city":"London",` +
		`"address":{"postalcode":"01000","building_type":"flat"},"tags":[{"name":"vip"}],"notes":[{"content":"hi"}],` +
		`"custom_fields":[{"form_id":1,"form_ref_id":2,"data":"x"}],"action_ids":[],"external_id":"x","zeta":{"a":1}}`
	if got := encode(t, c); got != want {
		t.Errorf("encoded\n got %s\nwant %s", got, want)
	}
	if got := encode(t, Contact{}); got != `{}` {
		t.Errorf("empty contact encodes as %s", got)
	}
	if got := encode(t, Contact{Extra: Extra{Unknown: map[string]json.RawMessage{"a": json.RawMessage(`1`)}}}); got != `{"a":1}` {
		t.Errorf("unknown-only contact encodes as %s", got)
	}
	if _, err := json.Marshal(Contact{Extra: Extra{Unknown: map[string]json.RawMessage{"a": json.RawMessage(`{`)}}}); err == nil {
		t.Error("invalid raw JSON in Unknown encoded without error")
	}
}

// A contact as the OLD docs spell it, read and prepared for a write, comes out in the NEW
// spelling with every read-only key gone and every unknown writable key kept.
func TestContactGoldenOldSpelling(t *testing.T) {
	c := readContactFile(t, "contact_old_spelling.json")
	got, err := encodeContactEnvelope(c.WithoutReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	golden := filepath.Join("testdata", "contact_old_spelling.golden.json")
	if *update {
		if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("golden mismatch (run with -update after checking):\n%s", pretty.String())
	}
}

func TestContactRoundTripNewSpelling(t *testing.T) {
	c := readContactFile(t, "contact_new_spelling.json")
	if c.Address.Value.PostalCode.Value != "01000" || c.BirthDept.Value != "Rhône" || c.Address.Value.Score.Value != 0.5 {
		t.Errorf("decoded %#v", c)
	}
	again := decodeContact(t, encode(t, c))
	if !reflect.DeepEqual(*c, again) {
		t.Errorf("round trip changed the contact:\n got %#v\nwant %#v", again, *c)
	}
}

// FuzzContactDecode: any input either fails cleanly or decodes to a contact whose encoding is
// stable: encode(decode(encode(c))) == encode(c). Nothing panics.
func FuzzContactDecode(f *testing.F) {
	for _, name := range []string{"contact_old_spelling.json", "contact_new_spelling.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		var env struct {
			Data struct {
				Contact json.RawMessage `json:"contact"`
			} `json:"data"`
		}
		if json.Unmarshal(b, &env) == nil {
			f.Add([]byte(env.Data.Contact))
		}
	}
	for _, s := range []string{`{}`, `null`, `[]`, `{"address":{"postalcode":75001}}`, `{"notes":{"data":"x"}}`,
		`{"tags":["a",{"name":1}]}`, `{"id":"12","age_category":3.0}`, `{"x":{"y":[1,2,{"z":null}]}}`, `{"id":1e400}`,
		`{"custom_fields":null,"customfields":[{}]}`, `{"address":{"location":[1]}}`, `{"a":"\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var c Contact
		if err := json.Unmarshal(in, &c); err != nil {
			return
		}
		first, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("decoded contact does not encode: %v", err)
		}
		var c2 Contact
		if err := json.Unmarshal(first, &c2); err != nil {
			t.Fatalf("encoded contact does not decode: %v\n%s", err, first)
		}
		second, err := json.Marshal(c2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("encoding not stable:\n%s\n%s", first, second)
		}
		_ = c.WithoutReadOnly()
		_, _ = decodeContactResponse(in)
	})
}

// readContactFile decodes testdata/name as a get answer.
func readContactFile(t *testing.T, name string) *Contact {
	t.Helper()
	in, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	c, err := decodeContactResponse(in)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
