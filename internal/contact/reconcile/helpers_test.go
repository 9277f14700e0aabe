package reconcile

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// decodeContact reads a contact the way the client reads Qomon's answers.
func decodeContact(t testing.TB, js string) qomon.Contact {
	t.Helper()
	var c qomon.Contact
	if err := json.Unmarshal([]byte(js), &c); err != nil {
		t.Fatalf("decoding %s: %v", js, err)
	}
	return c
}

// sameJSON compares a contact's encoding with the expected JSON, whatever the key order.
func sameJSON(t *testing.T, got qomon.Contact, want string) {
	t.Helper()
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatalf("encoding: %v", err)
	}
	var g, w any
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation %s: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		gs, _ := json.Marshal(g)
		ws, _ := json.Marshal(w)
		t.Errorf("body\n got: %s\nwant: %s", gs, ws)
	}
}

// tfContact builds a contact as ContactOf gives it from a plan or state: every writable field
// present, null where it has no value.
func tfContact(t testing.TB, js string) qomon.Contact {
	t.Helper()
	c := decodeContact(t, js)
	for _, f := range WritableFields() {
		if !f.Has(&c) && !collectionPresent(f, &c) {
			f.w.copyTo(&c, &qomon.Contact{})
		}
	}
	return c
}

// collectionPresent tells an empty collection ([] in the configuration) from a null one.
func collectionPresent(f Field, c *qomon.Contact) bool {
	if !f.Whole {
		return false
	}
	v, ok := f.Get(c).([]Value)
	return ok && v != nil
}

func ref[T any](v T) *T { return &v }

// stateOf is a contact in state, as Read leaves it after reading js from Qomon.
func stateOf(t testing.TB, js string) Object {
	t.Helper()
	return ObjectOf(Canonical(decodeContact(t, js)))
}

// configOf is a configuration setting the given attributes (address parts as
// "address.city"), null elsewhere, and the plan Terraform proposes for it: the same, with
// unknown for what the configuration leaves to the provider and the notes' pin default.
func configOf(set map[string]Value) (config, proposed Object) {
	config, proposed = Object{}, Object{}
	for _, f := range Fields {
		if f.Group() == "" {
			config[f.Path] = nil
			proposed[f.Path] = Unknown
		}
	}
	for _, g := range Groups {
		config[g.Name] = nil
		proposed[g.Name] = Unknown
	}
	// A whole group (address = unknown) is set after its parts, whatever the map's order: it
	// stands for all of them.
	var groups []string
	for k, v := range set {
		if _, ok := GroupNamed(k); ok {
			groups = append(groups, k)
			continue
		}
		f, _ := FieldNamed(k)
		if g := f.Group(); g != "" {
			if _, whole := set[g]; whole {
				// The group's own value wins over its parts, whatever order the map yields.
				continue
			}
			if _, ok := config[g].(Object); !ok {
				config[g] = Object{}
				for _, part := range Fields {
					if part.Group() == g {
						config[g].(Object)[part.Name] = nil
					}
				}
			}
		}
		SetAt(config, k, v)
	}
	for _, g := range groups {
		config[g] = set[g]
	}
	for k, v := range config {
		switch v := v.(type) {
		case nil:
		case Object:
			p := Object{}
			for name, part := range v {
				p[name] = part
				if part == nil {
					p[name] = Unknown
				}
			}
			proposed[k] = p
		case []Value:
			f, _ := FieldNamed(k)
			proposed[k] = withDefaults(f, v)
		default:
			proposed[k] = v
		}
	}
	return config, proposed
}

// withDefaults applies the element defaults the framework applies before the plan (a note's
// pin), and marks computed element parts unknown.
func withDefaults(f Field, elems []Value) []Value {
	out := make([]Value, 0, len(elems))
	for _, e := range elems {
		m, ok := e.(Object)
		if !ok {
			out = append(out, e)
			continue
		}
		cp := clone(m)
		for _, a := range f.Elems {
			switch {
			case a.Role == RoleDefaulted && cp[a.Name] == nil:
				cp[a.Name] = a.Default
			case a.Role == RoleComputed:
				cp[a.Name] = Unknown
			}
		}
		out = append(out, cp)
	}
	return out
}

func note(content string) Object { return Object{"id": nil, "content": content, "pinned": nil} }

func texts(s ...string) []Value {
	out := make([]Value, 0, len(s))
	for _, x := range s {
		out = append(out, x)
	}
	return out
}
