package qomonsim

import (
	"fmt"
	"slices"
	"testing"
)

func answerIDs(t *testing.T, list any) []float64 {
	t.Helper()
	var ids []float64
	for _, a := range list.([]any) {
		ids = append(ids, a.(map[string]any)["id"].(float64))
	}
	return ids
}

func refs(list any) []float64 {
	var out []float64
	for _, a := range list.([]any) {
		out = append(out, a.(map[string]any)["form_ref_id"].(float64))
	}
	return out
}

// A radio form keeps only its last answer; a checkbox form keeps each of its options once.
func TestChoiceFormRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		sent [][2]int // form_id, form_ref_id
		want []float64
	}{
		{"radio keeps only the last answer", [][2]int{{11300, 17879}, {11240, 17871}, {11300, 17882}}, []float64{17871, 17882}},
		{"checkbox keeps several options once", [][2]int{{11240, 17871}, {11240, 17872}, {11240, 17871}}, []float64{17871, 17872}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTC(t, Options{})
			var sent []any
			for _, a := range tc.sent {
				sent = append(sent, map[string]any{"form_id": a[0], "form_ref_id": a[1]})
			}
			got := c.create(map[string]any{"formdatas": sent})
			if r := refs(got["formdatas"]); !slices.Equal(r, tc.want) {
				t.Errorf("kept %v, want %v", r, tc.want)
			}
		})
	}
}

func TestFreeTextKeepsEveryEntry(t *testing.T) {
	c := newTC(t, Options{})
	got := c.create(map[string]any{"custom_fields": []any{
		map[string]any{"form_id": 11393, "form_ref_id": 17901, "data": "Ada"},
		map[string]any{"form_id": 11393, "form_ref_id": 17901, "data": "Countess"},
		map[string]any{"form_id": 11394, "form_ref_id": 17902, "data": "42"},
		map[string]any{"form_id": 11395, "form_ref_id": 17903, "data": "2024-07-17T11:34:42.195Z", "date": "2024-07-17"},
	}})
	cf := got["custom_fields"].([]any)
	if len(cf) != 4 || cf[0].(map[string]any)["data"] != "Ada" || cf[1].(map[string]any)["data"] != "Countess" {
		t.Errorf("free text entries %v", cf)
	}
	if d := cf[3].(map[string]any)["date"]; d != "2024-07-17T00:00:00.000000Z" {
		t.Errorf("answer date = %v, want microseconds", d)
	}
}

func TestAnswersGetFreshIDsOnEveryWrite(t *testing.T) {
	for _, mode := range []PatchMode{PatchReplace, PatchMerge} {
		t.Run(string(mode), func(t *testing.T) {
			c := newTC(t, Options{PatchMode: mode})
			body := map[string]any{
				"surname":       "Lovelace",
				"formdatas":     []any{map[string]any{"form_id": 11300, "form_ref_id": 17880}},
				"custom_fields": []any{map[string]any{"form_id": 11393, "form_ref_id": 17901, "data": "Ada"}},
			}
			first := c.create(body)
			id := idOf(t, first)
			second := c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(body)).want(t, 200).contact(t)
			for _, k := range []string{"formdatas", "custom_fields"} {
				a, b := answerIDs(t, first[k]), answerIDs(t, second[k])
				if len(a) != 1 || len(b) != 1 || a[0] == b[0] {
					t.Errorf("%s ids %v then %v, want a fresh id", k, a, b)
				}
			}
		})
	}
}

func TestReplacePatchAnswersAreExactlyThePayload(t *testing.T) {
	c := newTC(t, Options{})
	id := idOf(t, c.create(map[string]any{"formdatas": []any{
		map[string]any{"form_id": 11240, "form_ref_id": 17871},
		map[string]any{"form_id": 11300, "form_ref_id": 17880},
	}}))
	got := c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{"formdatas": []any{
		map[string]any{"form_id": 11300, "form_ref_id": 17882},
	}})).want(t, 200).contact(t)
	if r := refs(got["formdatas"]); len(r) != 1 || r[0] != 17882 {
		t.Errorf("formdatas %v, want exactly [17882]", r)
	}
}
