package reconcile

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

func TestBuildUpdateMerge(t *testing.T) {
	cases := []struct {
		name           string
		prior, planned string
		wantBody       string
		wantChanged    []string
	}{
		{
			name:        "one scalar",
			prior:       `{"firstname":"Ada","surname":"Lovelace"}`,
			planned:     `{"firstname":"Augusta","surname":"Lovelace"}`,
			wantBody:    `{"firstname":"Augusta"}`,
			wantChanged: []string{"firstname"},
		},
		{
			name:        "a cleared field is null",
			prior:       `{"surname":"Lovelace","phone":"0102030405"}`,
			planned:     `{"surname":"Lovelace"}`,
			wantBody:    `{"phone":null}`,
			wantChanged: []string{"phone"},
		},
		{
			name:        "only the changed address part",
			prior:       `{"address":{"street":"rue de Rivoli","city":"Paris","postalcode":"75001"}}`,
			planned:     `{"address":{"street":"rue de Rivoli","city":"Lyon","postalcode":"75001"}}`,
			wantBody:    `{"address":{"city":"Lyon"}}`,
			wantChanged: []string{"address.city"},
		},
		{
			name:        "a cleared address part",
			prior:       `{"address":{"street":"rue de Rivoli","city":"Paris"}}`,
			planned:     `{"address":{"city":"Paris"}}`,
			wantBody:    `{"address":{"street":null}}`,
			wantChanged: []string{"address.street"},
		},
		{
			name:        "tags as a whole",
			prior:       `{"tags":[{"name":"a"},{"name":"b"}]}`,
			planned:     `{"tags":[{"name":"b"},{"name":"c"}]}`,
			wantBody:    `{"tags":[{"name":"b"},{"name":"c"}]}`,
			wantChanged: []string{"tags"},
		},
		{
			name:    "tags in another order are no change",
			prior:   `{"tags":[{"name":"a"},{"name":"b"}]}`,
			planned: `{"tags":[{"name":"b"},{"name":"a"}]}`,
		},
		{
			name:        "a note edited",
			prior:       `{"notes":[{"id":7,"content":"first","pinned":false}]}`,
			planned:     `{"notes":[{"content":"first, edited","pinned":false}]}`,
			wantBody:    `{"notes":[{"content":"first, edited","pinned":false}]}`,
			wantChanged: []string{"notes"},
		},
		{
			name:        "a custom field changed",
			prior:       `{"custom_fields":[{"form_id":5,"form_ref_id":50,"data":"blue"}]}`,
			planned:     `{"custom_fields":[{"form_id":5,"form_ref_id":50,"data":"green"}]}`,
			wantBody:    `{"custom_fields":[{"form_id":5,"form_ref_id":50,"data":"green"}]}`,
			wantChanged: []string{"custom_fields"},
		},
		{
			name:        "a birthdate given as a date goes out as a timestamp",
			prior:       `{"birthdate":"1815-12-10"}`,
			planned:     `{"birthdate":"1815-12-11"}`,
			wantBody:    `{"birthdate":"1815-12-11T00:00:00Z"}`,
			wantChanged: []string{"birthdate"},
		},
		{
			name:        "a change of case is a change the plan shows, so it is sent",
			prior:       `{"mail":"ada@example.org"}`,
			planned:     `{"mail":"Ada@example.org"}`,
			wantBody:    `{"mail":"Ada@example.org"}`,
			wantChanged: []string{"mail"},
		},
		{
			name:        "several kinds at once, in field order",
			prior:       `{"mobile":"0601","black_list":false,"action_ids":[1]}`,
			planned:     `{"mobile":"0602","black_list":true,"action_ids":[1,2]}`,
			wantBody:    `{"mobile":"0602","black_list":true,"action_ids":[1,2]}`,
			wantChanged: []string{"mobile", "black_list", "action_ids"},
		},
		{
			name:    "nothing planned, nothing sent",
			prior:   `{"firstname":"Ada","tags":[{"name":"a"}]}`,
			planned: `{"firstname":"Ada","tags":[{"name":"a"}]}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			upd, err := BuildUpdate(tfContact(t, tc.prior), tfContact(t, tc.planned), nil, Merge)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.wantBody
			if want == "" {
				want = "{}"
			}
			sameJSON(t, upd.Body, want)
			if !slices.Equal(upd.Changed, tc.wantChanged) {
				t.Errorf("changed = %v, want %v", upd.Changed, tc.wantChanged)
			}
		})
	}
}

func TestBuildUpdateReplace(t *testing.T) {
	// What Qomon holds now: the contact Terraform created, plus what people added in the app
	// (a mobile, a consent answer, a key this provider does not model), with Qomon's own
	// spellings and computed keys.
	const fresh = `{
		"id": 42, "group_id": 3, "user_id": 9, "CreatedAt": "2026-01-02T03:04:05.123456Z",
		"UpdatedAt": "2026-01-03T03:04:05.123456Z", "lastchange": "2026-01-03T03:04:05.123Z",
		"firstname": "Ada", "surname": "Lovelace", "mail": "ada@example.org", "mobile": "0601020304",
		"birthcity": "London",
		"address": {"id": 11, "street": "rue de Rivoli", "city": "Paris", "postalcode": 75001,
			"citycode": 75101, "latitude": "48.86", "longitude": "2.33", "location": "48.86,2.33", "score": 0.9},
		"tags": [{"name": "volunteer", "color": "#fff", "appearance_count": 12}],
		"formdatas": [{"id": 901, "form_id": 1, "form_ref_id": 10, "data": "consent_email", "date": "2026-01-03T00:00:00.000Z"}],
		"external_id": "crm-77"
	}`
	// The state the plan was made from: Terraform manages names, mail, address street/city.
	const prior = `{"firstname":"Ada","surname":"Lovelace","mail":"Ada@Example.org","birth_city":"London",
		"address":{"street":"rue de Rivoli","city":"Paris","postalcode":"75001"},
		"tags":[{"name":"volunteer"}]}`

	// replace is the replace-mode update from prior to planned (JSON), over held, what Qomon
	// holds.
	replace := func(t *testing.T, prior, planned string, held *qomon.Contact) Update {
		t.Helper()
		upd, err := BuildUpdate(tfContact(t, prior), tfContact(t, planned), held, Replace)
		if err != nil {
			t.Fatal(err)
		}
		return upd
	}

	t.Run("overlay the planned change on the whole contact", func(t *testing.T) {
		planned := `{"firstname":"Augusta","surname":"Lovelace","mail":"Ada@Example.org","birth_city":"London",
			"address":{"street":"rue de Rivoli","city":"Paris","postalcode":"75001"},"tags":[{"name":"volunteer"}]}`
		upd := replace(t, prior, planned, ref(decodeContact(t, fresh)))
		// Everything Qomon holds goes back (read-only keys dropped), with the one change.
		sameJSON(t, upd.Body, `{
			"firstname": "Augusta", "surname": "Lovelace", "mail": "ada@example.org", "mobile": "0601020304",
			"birth_city": "London",
			"address": {"street": "rue de Rivoli", "city": "Paris", "postalcode": "75001"},
			"tags": [{"name": "volunteer"}],
			"formdatas": [{"form_id": 1, "form_ref_id": 10, "data": "consent_email", "date": "2026-01-03T00:00:00.000Z"}],
			"external_id": "crm-77"
		}`)
		if !slices.Equal(upd.Changed, []string{"firstname"}) {
			t.Errorf("changed = %v", upd.Changed)
		}
	})

	t.Run("address part changed, geocoding left to Qomon", func(t *testing.T) {
		planned := `{"firstname":"Ada","surname":"Lovelace","mail":"Ada@Example.org","birth_city":"London",
			"address":{"street":"cours Lafayette","city":"Lyon","postalcode":"75001"},"tags":[{"name":"volunteer"}]}`
		upd := replace(t, prior, planned, ref(decodeContact(t, fresh)))
		var addr map[string]any
		b, _ := json.Marshal(upd.Body.Address.Value)
		_ = json.Unmarshal(b, &addr)
		want := map[string]any{"street": "cours Lafayette", "city": "Lyon", "postalcode": "75001"}
		if !reflect.DeepEqual(addr, want) {
			t.Errorf("address = %v, want %v", addr, want)
		}
	})

	t.Run("a field edited in Qomon since the plan stops the update", func(t *testing.T) {
		edited := decodeContact(t, fresh)
		edited.Firstname = qomon.Some("Ado")
		edited.Address.Value.City = qomon.Some("Lille")
		planned := `{"firstname":"Augusta","surname":"Lovelace","mail":"Ada@Example.org","birth_city":"London",
			"address":{"street":"rue de Rivoli","city":"Marseille","postalcode":"75001"},"tags":[{"name":"volunteer"}]}`
		_, err := BuildUpdate(tfContact(t, prior), tfContact(t, planned), &edited, Replace)
		var conflict *ConflictError
		if !errors.As(err, &conflict) {
			t.Fatalf("err = %v, want a conflict", err)
		}
		if !slices.Equal(conflict.Fields, []string{"firstname", "address.city"}) {
			t.Errorf("conflict names %v", conflict.Fields)
		}
	})

	t.Run("an edit of a field the plan does not change is kept, no conflict", func(t *testing.T) {
		edited := decodeContact(t, fresh)
		edited.Surname = qomon.Some("King")
		planned := `{"firstname":"Augusta","surname":"Lovelace","mail":"Ada@Example.org","birth_city":"London",
			"address":{"street":"rue de Rivoli","city":"Paris","postalcode":"75001"},"tags":[{"name":"volunteer"}]}`
		upd := replace(t, prior, planned, &edited)
		if got, _ := upd.Body.Surname.Get(); got != "King" {
			t.Errorf("surname sent = %q, want Qomon's King", got)
		}
	})

	t.Run("a field already holding its planned value is no conflict", func(t *testing.T) {
		edited := decodeContact(t, fresh)
		edited.Firstname = qomon.Some("Augusta")
		planned := `{"firstname":"Augusta","surname":"Lovelace","mail":"Ada@Example.org","birth_city":"London",
			"address":{"street":"rue de Rivoli","city":"Paris","postalcode":"75001"},"tags":[{"name":"volunteer"}]}`
		if _, err := BuildUpdate(tfContact(t, prior), tfContact(t, planned), &edited, Replace); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Qomon's spelling of the same value is no conflict", func(t *testing.T) {
		// prior has Ada@Example.org and postal code "75001"; Qomon holds ada@example.org and 75001.
		planned := `{"firstname":"Ada","surname":"Lovelace","mail":"ada.king@example.org","birth_city":"London",
			"address":{"street":"rue de Rivoli","city":"Paris","postalcode":"75002"},"tags":[{"name":"volunteer"}]}`
		upd := replace(t, prior, planned, ref(decodeContact(t, fresh)))
		if !slices.Equal(upd.Changed, []string{"mail", "address.postalcode"}) {
			t.Errorf("changed = %v", upd.Changed)
		}
	})

	t.Run("clearing a managed field", func(t *testing.T) {
		planned := `{"firstname":"Ada","surname":"Lovelace","mail":"Ada@Example.org",
			"address":{"street":"rue de Rivoli","city":"Paris","postalcode":"75001"},"tags":[{"name":"volunteer"}]}`
		upd := replace(t, prior, planned, ref(decodeContact(t, fresh)))
		// A full replace clears what it leaves out; it never sends null (regression: an
		// early version sent "birth_city": null and "notes": null, which Qomon does not document).
		if upd.Body.BirthCity.Set {
			t.Errorf("birth_city = %+v, want it left out", upd.Body.BirthCity)
		}
		body, err := json.Marshal(upd.Body)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(body), "null") {
			t.Errorf("a replace body carries a null: %s", body)
		}
	})

	t.Run("managed answers rewritten keep the dates Qomon holds", func(t *testing.T) {
		planned := `{"firstname":"Ada","surname":"Lovelace","mail":"Ada@Example.org","birth_city":"London",
			"address":{"street":"rue de Rivoli","city":"Paris","postalcode":"75001"},"tags":[{"name":"volunteer"}],
			"formdatas":[{"form_id":1,"form_ref_id":10},{"form_id":2,"form_ref_id":20,"data":"yes"}]}`
		priorWithAnswers := `{"firstname":"Ada","surname":"Lovelace","mail":"Ada@Example.org","birth_city":"London",
			"address":{"street":"rue de Rivoli","city":"Paris","postalcode":"75001"},"tags":[{"name":"volunteer"}],
			"formdatas":[{"form_id":1,"form_ref_id":10}]}`
		upd := replace(t, priorWithAnswers, planned, ref(decodeContact(t, fresh)))
		b, _ := json.Marshal(upd.Body.Formdatas.Value)
		var got any
		_ = json.Unmarshal(b, &got)
		var want any
		_ = json.Unmarshal([]byte(`[{"form_id":1,"form_ref_id":10,"date":"2026-01-03T00:00:00.000Z"},{"form_id":2,"form_ref_id":20,"data":"yes"}]`), &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("formdatas = %s", b)
		}
	})

	t.Run("replace needs the fresh contact", func(t *testing.T) {
		if _, err := BuildUpdate(tfContact(t, prior), tfContact(t, prior), nil, Replace); err == nil {
			t.Error("no error without a fresh contact")
		}
	})
}

func TestCreateBodyLeavesNullsOut(t *testing.T) {
	planned := tfContact(t, `{"firstname":"Ada","birthdate":"1815-12-10","tags":[],"address":{"city":"London"}}`)
	sameJSON(t, CreateBody(planned), `{"firstname":"Ada","birthdate":"1815-12-10T00:00:00Z","address":{"city":"London"}}`)
}

// Regression: answers and notes expanded from Terraform carry nulls for what Terraform leaves
// to Qomon (an answer's data and date, a new note's id); the PATCH must leave those keys out,
// not send them as null.
func TestBuildUpdateFromModelsLeavesQomonsPartsOut(t *testing.T) {
	state := stateOf(t, `{"custom_fields":[{"form_id":5,"form_ref_id":50,"data":"blue"}],"notes":[{"id":7,"content":"a"}]}`)
	plan := clone(state)
	plan["custom_fields"] = []Value{Object{"form_id": int64(6), "form_ref_id": int64(60), "data": nil, "date": nil}}
	plan["notes"] = []Value{Object{"id": Unknown, "content": "b", "pinned": false}}
	upd, err := BuildUpdate(ContactOf(state), ContactOf(plan), nil, Merge)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, upd.Body, `{"custom_fields":[{"form_id":6,"form_ref_id":60}],"notes":[{"content":"b","pinned":false}]}`)
}

// The checks an apply runs on Qomon's answer: managed values stored in another form, and values
// the update did not send that changed anyway (a PATCH that replaced what merge mode left out).
func TestAnswerChecks(t *testing.T) {
	planned := tfContact(t, `{"firstname":"Augusta","surname":"Lovelace","mail":"Ada@Example.org","phone":"0102"}`)
	stored := decodeContact(t, `{"firstname":"AUGUSTA","surname":"Lovelace","mail":"ada@example.org"}`)
	if got := StoredDifferently(planned, stored, []string{"firstname", "mail"}); !slices.Equal(got, []string{"firstname"}) {
		t.Errorf("stored differently = %v, want [firstname] (the mail's case is no difference)", got)
	}
	if got := StoredDifferently(planned, stored, nil); !slices.Equal(got, []string{"firstname", "phone"}) {
		t.Errorf("stored differently (every planned value) = %v", got)
	}
	before := tfContact(t, `{"firstname":"Ada","surname":"Lovelace","phone":"0102"}`)
	if got := LostFields(before, stored, []string{"firstname"}); !slices.Equal(got, []string{"phone"}) {
		t.Errorf("lost = %v, want [phone]", got)
	}
}

// Regression: a replace body spelled "no value" as null ("notes": null, "phone": null), which
// Qomon does not document for its PATCH; it documents that an omitted field is cleared.
func TestBuildUpdateReplaceSendsNoNull(t *testing.T) {
	fresh := decodeContact(t, `{"id": 1, "surname": "Lovelace", "phone": null, "notes": null,
		"tags": null, "address": null, "custom_fields": null}`)
	upd, err := BuildUpdate(tfContact(t, `{"surname":"Lovelace"}`), tfContact(t, `{"surname":"King"}`),
		&fresh, Replace)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, upd.Body, `{"surname":"King","notes":[],"tags":[],"custom_fields":[]}`)
}

// Blank text is no value: sent as nothing, never as "".
func TestBlankTextIsNoValue(t *testing.T) {
	body := CreateBody(tfContact(t, `{"firstname":"Ada","phone":"","address":{"city":"","street":"Rue"}}`))
	sameJSON(t, body, `{"firstname":"Ada","address":{"street":"Rue"}}`)

	// Configured "" where Qomon has nothing: nothing changes, nothing is sent.
	upd, err := BuildUpdate(tfContact(t, `{"firstname":"Ada"}`), tfContact(t, `{"firstname":"Ada","phone":""}`), nil, Merge)
	if err != nil || len(upd.Changed) != 0 {
		t.Errorf("changed = %v, %v", upd.Changed, err)
	}
	// "" replacing a value clears it (the field was managed and the CSV cell was emptied).
	upd, err = BuildUpdate(tfContact(t, `{"phone":"0102"}`), tfContact(t, `{"phone":""}`), nil, Merge)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, upd.Body, `{"phone":null}`)
	upd, err = BuildUpdate(tfContact(t, `{"phone":"0102"}`), tfContact(t, `{"phone":""}`), ref(decodeContact(t, `{"id":1,"phone":"0102","surname":"X"}`)), Replace)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, upd.Body, `{"surname":"X"}`)
}
