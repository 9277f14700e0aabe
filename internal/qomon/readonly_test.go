package qomon

import (
	"encoding/json"
	"testing"
)

func TestWithoutReadOnly(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"contact bookkeeping",
			`{"id":1,"group_id":2,"user_id":3,"CreatedAt":"a","UpdatedAt":"b","lastchange":"c","lastchangeuserid":4,"firstname":"Ada"}`,
			`{"firstname":"Ada"}`},
		{"writable ids stay", `{"id":1,"user_contact_id":5,"nationbuilderid":6}`, `{"user_contact_id":5,"nationbuilderid":6}`},
		{"address geocoding", `{"address":{"id":9,"street":"s","citycode":"75101","latitude":"1","longitude":"2","location":"1,2","score":0.5,"invalid":false}}`,
			`{"address":{"street":"s"}}`},
		{"address geocoding of an odd type, kept aside on read, still dropped", `{"address":{"city":"c","location":{"x":1}}}`,
			`{"address":{"city":"c"}}`},
		{"null address stays null", `{"address":null}`, `{"address":null}`},
		{"tag decorations", `{"tags":[{"name":"a","color":"#fff","appearance_count":2}]}`, `{"tags":[{"name":"a"}]}`},
		{"note keeps id and pinned, drops bookkeeping",
			`{"notes":[{"id":1,"data":"x","pinned":true,"contact_id":5,"created_at":"t","user":{"id":1},"only_super_admin":false}]}`,
			`{"notes":[{"id":1,"content":"x","pinned":true,"only_super_admin":false}]}`},
		{"form answers lose ids and bookkeeping", `{"formdatas":[{"id":1,"form_id":2,"form_ref_id":3,"data":"d","date":"t","survey_id":4,"created_at":"t","deleted_at":null,"donedate":null,"label":null,"type_of_form":null,"group_id":1,"contact_id":2}]}`,
			`{"formdatas":[{"form_id":2,"form_ref_id":3,"data":"d","date":"t","survey_id":4}]}`},
		{"soft-deleted answers are not revived", `{"custom_fields":[{"form_id":2,"form_ref_id":3,"deleted_at":"2024-01-01T00:00:00Z"},{"form_id":2,"form_ref_id":4}]}`,
			`{"custom_fields":[{"form_id":2,"form_ref_id":4}]}`},
		{"unknown keys: read-only dropped, others kept", `{"interactions":[1],"deleted_at":null,"external_id":"e"}`, `{"external_id":"e"}`},
		{"action ids kept", `{"actions_ids":[1,2]}`, `{"action_ids":[1,2]}`},
		{"nothing to drop", `{}`, `{}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := decodeContact(t, tc.in)
			if got := encode(t, c.WithoutReadOnly()); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// The copy shares no memory with the original: editing one never edits the other.
func TestWithoutReadOnlyCopies(t *testing.T) {
	c := decodeContact(t, `{"id":1,"external_id":"e","address":{"street":"s","x":1},"tags":[{"name":"a"}],
		"notes":[{"content":"n","k":1}],"formdatas":[{"form_id":1,"form_ref_id":2,"k":1}],"action_ids":[1]}`)
	before := encode(t, c)
	w := c.WithoutReadOnly()
	w.Unknown["external_id"] = json.RawMessage(`"changed"`)
	w.Address.Value.Unknown["x"][0] = '9'
	w.Tags.Value[0].Name = "changed"
	w.Notes.Value[0].Content = "changed"
	w.Notes.Value[0].Unknown["k"] = json.RawMessage(`2`)
	w.Formdatas.Value[0].Unknown["k"] = json.RawMessage(`2`)
	w.Formdatas.Value[0].FormID = 99
	w.ActionIDs.Value[0] = 99
	if after := encode(t, c); after != before {
		t.Errorf("original changed:\nbefore %s\nafter  %s", before, after)
	}
}
