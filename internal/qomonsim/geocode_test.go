package qomonsim

import (
	"fmt"
	"strings"
	"testing"
)

func TestGeocodingIsDeterministic(t *testing.T) {
	c := newTC(t, Options{})
	addr := map[string]any{"street": "Rue de la Paix", "housenumber": "3", "postalcode": "75002", "city": "Paris"}
	a := c.create(map[string]any{"address": addr})["address"].(map[string]any)
	b := c.create(map[string]any{"address": addr})["address"].(map[string]any)
	for _, k := range []string{"latitude", "longitude", "location", "citycode", "score"} {
		if a[k] == nil || a[k] != b[k] {
			t.Errorf("%s: %v vs %v", k, a[k], b[k])
		}
	}
	if a["location"] != a["latitude"].(string)+","+a["longitude"].(string) {
		t.Errorf("location %v", a["location"])
	}
	if !strings.HasPrefix(a["citycode"].(string), "75") || a["invalid"] != false {
		t.Errorf("citycode %v invalid %v", a["citycode"], a["invalid"])
	}
	if s := a["score"].(float64); s <= 0 || s > 1 {
		t.Errorf("score %v", s)
	}
	if a["id"] == b["id"] {
		t.Error("two addresses share an id")
	}
}

func TestGeocodingInvalidWithoutCityAndPostalCode(t *testing.T) {
	c := newTC(t, Options{})
	a := c.create(map[string]any{"address": map[string]any{"street": "Nowhere road"}})["address"].(map[string]any)
	if a["invalid"] != true {
		t.Errorf("invalid = %v", a["invalid"])
	}
	for _, k := range []string{"latitude", "longitude", "location", "citycode"} {
		if _, ok := a[k]; ok {
			t.Errorf("%s = %v on an invalid address", k, a[k])
		}
	}
	if a := c.create(map[string]any{"address": map[string]any{"postalcode": "69001"}})["address"].(map[string]any); a["invalid"] != false {
		t.Errorf("postal code alone: invalid = %v", a["invalid"])
	}
}

func TestGeocodingRecomputedOnlyWhenAnInputChanges(t *testing.T) {
	for _, mode := range []PatchMode{PatchReplace, PatchMerge} {
		t.Run(string(mode), func(t *testing.T) {
			c := newTC(t, Options{PatchMode: mode})
			addr := map[string]any{"street": "Rue de la Paix", "housenumber": "3", "postalcode": "75002", "city": "Paris"}
			first := c.create(map[string]any{"phone": "1", "address": addr})
			id := idOf(t, first)
			path := fmt.Sprintf("/contacts/%d", id)

			// The client sends back the computed keys it read: they are ignored, nothing moves.
			before := first["address"].(map[string]any)
			echoed := map[string]any{}
			for k, v := range before {
				echoed[k] = v
			}
			echoed["latitude"] = "0.0"
			same := c.do("PATCH", path, wrap(map[string]any{"phone": "2", "address": echoed})).want(t, 200).contact(t)["address"].(map[string]any)
			for _, k := range []string{"id", "latitude", "longitude", "citycode", "score"} {
				if same[k] != before[k] {
					t.Errorf("unchanged address: %s moved from %v to %v", k, before[k], same[k])
				}
			}

			moved := map[string]any{"street": "Rue de Rivoli", "housenumber": "3", "postalcode": "75002", "city": "Paris"}
			got := c.do("PATCH", path, wrap(map[string]any{"address": moved})).want(t, 200).contact(t)["address"].(map[string]any)
			if got["latitude"] == same["latitude"] {
				t.Error("street changed but latitude did not")
			}
			if got["id"] != same["id"] {
				t.Error("address id changed on an edit")
			}
		})
	}
}
