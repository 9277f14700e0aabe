package qomonsim

import (
	"slices"
	"testing"
)

// The catalogue's ids are a contract: other packages' tests name them.
func TestDefaultFormsIDsAreStable(t *testing.T) {
	want := map[int64][]int64{
		11240: {17871, 17872, 17873, 17874, 17875}, 11241: {17876, 17877}, 11242: {17878},
		11300: {17879, 17880, 17881, 17882}, 11301: {17883, 17884, 17885}, 11302: {17886},
		11400: {17887, 17888, 17889}, 11401: {17890, 17891, 17892}, 11402: {17893},
		11391: {17894, 17895, 17896, 17897}, 11392: {17898, 17899, 17900}, 11393: {17901}, 11394: {17902}, 11395: {17903},
		12515: {17904, 17905, 17906}, 12516: {17907, 17908, 17909, 17910}, 12517: {17911}, 12518: {17912},
		13000: {17913, 17914, 17915}, 13001: {17916, 17917}, 13002: {17918}, 13003: {17919, 17920},
	}
	forms := DefaultForms()
	if len(forms) != len(want) {
		t.Errorf("%d forms, want %d", len(forms), len(want))
	}
	for _, f := range forms {
		var got []int64
		for _, rv := range f.RefValues {
			got = append(got, rv.ID)
			if rv.FormID != f.ID {
				t.Errorf("refvalue %d has form_id %d", rv.ID, rv.FormID)
			}
		}
		if !slices.Equal(got, want[f.ID]) {
			t.Errorf("form %d (%s): refvalues %v, want %v", f.ID, f.Label, got, want[f.ID])
		}
	}
}

func TestDefaultFormsCoverEveryCategory(t *testing.T) {
	forms := DefaultForms()
	for _, cat := range Categories {
		types := map[string]bool{}
		for _, f := range forms {
			if f.Category != cat {
				continue
			}
			types[f.Type] = true
			if f.freeText() && len(f.RefValues) != 1 {
				t.Errorf("free-text form %d has %d refvalues", f.ID, len(f.RefValues))
			}
			if !f.freeText() {
				if len(f.RefValues) < 2 {
					t.Errorf("choice form %d has %d options", f.ID, len(f.RefValues))
				}
				for _, rv := range f.RefValues {
					if rv.Label == "" || rv.Value == "" {
						t.Errorf("option %d lacks a label or value", rv.ID)
					}
				}
			}
		}
		if freeText := types[TypeText] || types[TypeNumeric] || types[TypeDate]; !types[TypeRadio] || !types[TypeCheckbox] || !freeText {
			t.Errorf("category %s has types %v", cat, types)
		}
	}
	f, ok := FindForm(forms, "level of support")
	if !ok {
		t.Fatal("FindForm")
	}
	if rv, ok := f.Option("To be convinced"); !ok || rv.ID != 17881 {
		t.Errorf("Option by label: %v %v", rv, ok)
	}
	if rv, ok := f.Option("opposed"); !ok || rv.ID != 17882 {
		t.Errorf("Option by value: %v %v", rv, ok)
	}
}

func TestFormEndpoints(t *testing.T) {
	c := newTC(t, Options{})
	for _, path := range []string{"/v1/forms/type/level_of_support"} {
		r := c.do("GET", path, nil).want(t, 200)
		forms := r.body["data"].(map[string]any)["forms"].([]any)
		if len(forms) != 3 {
			t.Fatalf("%s: %d forms", path, len(forms))
		}
		radio := forms[0].(map[string]any)
		if radio["id"] != float64(11300) || radio["type"] != "radio" || radio["label"] != "Level of support" {
			t.Errorf("%s: %v", path, radio)
		}
		opt := radio["refvalues"].([]any)[1].(map[string]any)
		if opt["id"] != float64(17880) || opt["label"] != "Support" || opt["value"] != "support" || opt["form_id"] != float64(11300) {
			t.Errorf("option %v", opt)
		}
	}
	r := c.do("GET", "/forms/12517", nil).want(t, 200)
	form := r.body["data"].(map[string]any)["form"].(map[string]any)
	if form["type"] != "text" || form["section"] != "My city and me" || len(form["refvalues"].([]any)) != 1 {
		t.Errorf("form %v", form)
	}
	if g := form["group_id"].([]any); len(g) != 1 || g[0] != float64(631) {
		t.Errorf("group_id %v", form["group_id"])
	}
	c.do("GET", "/forms/1", nil).want(t, 404)
	r = c.do("GET", "/v1/forms/type/hobbies", nil).want(t, 422)
	if locs := r.errorLocations(); len(locs) != 1 || locs[0] != "path.type" {
		t.Errorf("locations %v", locs)
	}
	c.do("GET", "/forms/hobbies", nil).want(t, 422)
}

func TestCustomCatalogue(t *testing.T) {
	c := newTC(t, Options{Forms: []Form{{ID: 1, Category: CategoryCustomFields, Type: TypeRadio, Label: "Colour",
		RefValues: []RefValue{{ID: 10, Label: "Red", Value: "red"}, {ID: 11, Label: "Blue", Value: "blue"}}}}})
	got := c.create(map[string]any{"custom_fields": []any{map[string]any{"form_id": 1, "form_ref_id": 11}}})
	if cf := got["custom_fields"].([]any); cf[0].(map[string]any)["data"] != "blue" {
		t.Errorf("custom catalogue answer %v", cf)
	}
	c.do("POST", "/contacts", wrap(map[string]any{"formdatas": []any{map[string]any{"form_id": 11300, "form_ref_id": 17880}}})).want(t, 422)
	forms := c.do("GET", "/v1/forms/type/consent", nil).want(t, 200).body["data"].(map[string]any)["forms"].([]any)
	if len(forms) != 0 {
		t.Errorf("consent forms %v", forms)
	}
}
