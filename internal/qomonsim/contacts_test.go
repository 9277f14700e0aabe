package qomonsim

import (
	"fmt"
	"regexp"
	"testing"
)

func TestCreateGetPatchDelete(t *testing.T) {
	c := newTC(t, Options{})
	created := c.create(map[string]any{"firstname": "Ada", "surname": "Lovelace", "mail": "Ada@Example.org"})
	id := idOf(t, created)
	if id < 10000000 || id > 99999999 {
		t.Errorf("id %d is not 8 digits", id)
	}
	if created["mail"] != "ada@example.org" {
		t.Errorf("mail = %v, want lower case", created["mail"])
	}
	if created["group_id"] != float64(631) {
		t.Errorf("group_id = %v", created["group_id"])
	}
	micro := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`)
	milli := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	for _, k := range []string{"CreatedAt", "UpdatedAt"} {
		if s, _ := created[k].(string); !micro.MatchString(s) {
			t.Errorf("%s = %v, want microseconds", k, created[k])
		}
	}
	if s, _ := created["lastchange"].(string); !milli.MatchString(s) {
		t.Errorf("lastchange = %v, want milliseconds", created["lastchange"])
	}

	got := c.do("GET", fmt.Sprintf("/contacts/%d", id), nil).want(t, 200).contact(t)
	if got["surname"] != "Lovelace" {
		t.Errorf("GET surname = %v", got["surname"])
	}

	patched := c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{"surname": "King"})).want(t, 200).contact(t)
	if patched["surname"] != "King" || patched["firstname"] != nil {
		t.Errorf("replace PATCH: surname %v firstname %v", patched["surname"], patched["firstname"])
	}

	c.do("DELETE", fmt.Sprintf("/contacts/%d", id), nil).want(t, 204)
	for _, m := range []string{"GET", "DELETE"} {
		r := c.do(m, fmt.Sprintf("/contacts/%d", id), nil).want(t, 404)
		if r.body["status"] != float64(404) || r.body["title"] != "Not Found" {
			t.Errorf("%s after delete: %s", m, r.raw)
		}
	}
	c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{"surname": "X"})).want(t, 404)
}
