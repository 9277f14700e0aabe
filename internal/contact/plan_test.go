package contact

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// planFixture is a contact in state (as Read leaves it) and helpers to write configurations.
type planFixture struct {
	t     *testing.T
	state map[string]attr.Value
}

func newPlanFixture(t *testing.T) planFixture {
	t.Helper()
	c := canonicalContact(decodeContact(t, `{
		"id": 42, "group_id": 3, "user_id": 9, "CreatedAt": "2026-01-01T00:00:00Z",
		"UpdatedAt": "2026-01-02T00:00:00Z", "lastchange": "2026-01-02T00:00:00.000Z",
		"firstname": "Ada", "surname": "Lovelace", "phone": "0102", "birthdate": "1815-12-10", "age_category": 6,
		"address": {"street": "rue de Rivoli", "city": "Paris", "citycode": "75101", "latitude": "48.8", "score": 0.9, "invalid": false},
		"tags": [{"name": "alpha"}],
		"notes": [{"id": 7, "content": "hello", "pinned": false}]
	}`))
	return planFixture{t: t, state: attrsOfModel(t, c)}
}

// attrsOfModel flattens a contact and returns its attributes as a plan or state holds them.
func attrsOfModel(t *testing.T, c qomon.Contact) map[string]attr.Value {
	t.Helper()
	ctx := context.Background()
	m, diags := flattenContact(ctx, c)
	if diags.HasError() {
		t.Fatal(diags)
	}
	obj, diags := types.ObjectValueFrom(ctx, contactAttrTypes(), m)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return obj.Attributes()
}

// config returns a configuration setting only the given attributes (nulls elsewhere), and the
// plan Terraform would propose for it (the same, with the notes' pin default applied).
func (f planFixture) config(set map[string]attr.Value) (config, proposed map[string]attr.Value) {
	config = map[string]attr.Value{}
	for k, v := range f.state {
		config[k] = nullLike(v)
	}
	for k, v := range set {
		config[k] = v
	}
	proposed = map[string]attr.Value{}
	for k, v := range config {
		if v.IsNull() {
			proposed[k] = unknownLike(v)
		} else {
			proposed[k] = v
		}
	}
	return config, proposed
}

func str(s string) types.String { return types.StringValue(s) }

func address(parts map[string]string) types.Object {
	attrs := map[string]attr.Value{}
	for name, typ := range addressAttrTypes {
		attrs[name] = nullOfType(typ)
	}
	for k, v := range parts {
		attrs[k] = str(v)
	}
	return types.ObjectValueMust(addressAttrTypes, attrs)
}

func notesOf(contents ...string) types.List {
	var elems []attr.Value
	for _, c := range contents {
		elems = append(elems, types.ObjectValueMust(noteAttrTypes, map[string]attr.Value{
			"id": types.Int64Null(), "content": str(c), "pinned": types.BoolValue(false),
		}))
	}
	return types.ListValueMust(noteType, elems)
}

func addrPart(t *testing.T, v attr.Value, part string) attr.Value {
	t.Helper()
	obj, ok := v.(types.Object)
	if !ok || obj.IsNull() || obj.IsUnknown() {
		t.Fatalf("address is %v", v)
	}
	return obj.Attributes()[part]
}

func TestPlanUpdate(t *testing.T) {
	managedBase := managedSet{"firstname": true, "surname": true, "address.city": true}
	baseConfig := map[string]attr.Value{
		"firstname": str("Ada"), "surname": str("Lovelace"), "address": address(map[string]string{"city": "Paris"}),
	}
	with := func(over map[string]attr.Value) map[string]attr.Value {
		out := map[string]attr.Value{}
		for k, v := range baseConfig {
			out[k] = v
		}
		for k, v := range over {
			out[k] = v
		}
		return out
	}

	t.Run("no change: the plan is the state", func(t *testing.T) {
		f := newPlanFixture(t)
		config, proposed := f.config(baseConfig)
		planned := planUpdate(f.state, proposed, config, managedBase)
		for k, v := range f.state {
			if !planned[k].Equal(v) {
				t.Errorf("%s planned %v, state %v", k, planned[k], v)
			}
		}
	})

	t.Run("a managed scalar changes", func(t *testing.T) {
		f := newPlanFixture(t)
		config, proposed := f.config(with(map[string]attr.Value{"firstname": str("Augusta")}))
		planned := planUpdate(f.state, proposed, config, managedBase)
		if !planned["firstname"].Equal(str("Augusta")) {
			t.Errorf("firstname = %v", planned["firstname"])
		}
		for _, k := range []string{"updated_at", "lastchange", "user_id"} {
			if !planned[k].IsUnknown() {
				t.Errorf("%s should be unknown when an update is planned", k)
			}
		}
		for _, k := range []string{"id", "group_id", "created_at", "phone", "tags", "notes", "address", "age_category"} {
			if !planned[k].Equal(f.state[k]) {
				t.Errorf("%s = %v, want it kept from state %v", k, planned[k], f.state[k])
			}
		}
	})

	t.Run("an unmanaged field is never planned to change", func(t *testing.T) {
		f := newPlanFixture(t)
		config, proposed := f.config(baseConfig)
		planned := planUpdate(f.state, proposed, config, managedBase)
		if !planned["phone"].Equal(str("0102")) || !planned["tags"].Equal(f.state["tags"]) {
			t.Errorf("phone %v, tags %v: want them as in state", planned["phone"], planned["tags"])
		}
	})

	t.Run("a managed field removed from the configuration is cleared", func(t *testing.T) {
		f := newPlanFixture(t)
		config, proposed := f.config(baseConfig)
		previous := managedSet{"firstname": true, "surname": true, "address.city": true, "phone": true, "tags": true, "address.street": true}
		planned := planUpdate(f.state, proposed, config, previous)
		if !planned["phone"].IsNull() || !planned["tags"].IsNull() {
			t.Errorf("phone %v, tags %v: want null", planned["phone"], planned["tags"])
		}
		if !addrPart(t, planned["address"], "street").IsNull() || !addrPart(t, planned["address"], "city").Equal(str("Paris")) {
			t.Errorf("address = %v", planned["address"])
		}
		if !addrPart(t, planned["address"], "latitude").IsUnknown() || !planned["updated_at"].IsUnknown() {
			t.Error("geocoding and updated_at should be unknown once an address part is cleared")
		}
	})

	t.Run("an address part changes: geocoding unknown, other parts kept", func(t *testing.T) {
		f := newPlanFixture(t)
		config, proposed := f.config(with(map[string]attr.Value{"address": address(map[string]string{"city": "Lyon"})}))
		planned := planUpdate(f.state, proposed, config, managedBase)
		addr := planned["address"]
		if !addrPart(t, addr, "city").Equal(str("Lyon")) || !addrPart(t, addr, "street").Equal(str("rue de Rivoli")) {
			t.Errorf("address = %v", addr)
		}
		for _, g := range addressGeocoded {
			if !addrPart(t, addr, g).IsUnknown() {
				t.Errorf("address.%s should be unknown", g)
			}
		}
	})

	t.Run("a whole managed address removed: Qomon decides what remains", func(t *testing.T) {
		f := newPlanFixture(t)
		config, proposed := f.config(map[string]attr.Value{"firstname": str("Ada"), "surname": str("Lovelace")})
		previous := managedSet{"firstname": true, "surname": true, "address.city": true, "address.street": true}
		planned := planUpdate(f.state, proposed, config, previous)
		if !planned["address"].IsUnknown() {
			t.Errorf("address = %v, want unknown", planned["address"])
		}
	})

	t.Run("note ids are kept while the notes do not change", func(t *testing.T) {
		f := newPlanFixture(t)
		config, proposed := f.config(with(map[string]attr.Value{"notes": notesOf("hello")}))
		planned := planUpdate(f.state, proposed, config, managedBase)
		if !planned["notes"].Equal(f.state["notes"]) {
			t.Errorf("notes = %v, want state's %v", planned["notes"], f.state["notes"])
		}
		if planned["updated_at"].IsUnknown() {
			t.Error("no update is planned, updated_at should stay known")
		}
	})

	t.Run("note ids are unknown when the notes change", func(t *testing.T) {
		f := newPlanFixture(t)
		config, proposed := f.config(with(map[string]attr.Value{"notes": notesOf("hello", "world")}))
		planned := planUpdate(f.state, proposed, config, managedBase)
		notes := planned["notes"].(types.List).Elements()
		if len(notes) != 2 {
			t.Fatalf("notes = %v", planned["notes"])
		}
		for _, n := range notes {
			if !n.(types.Object).Attributes()["id"].IsUnknown() {
				t.Errorf("note id should be unknown: %v", n)
			}
		}
	})

	t.Run("a birthdate change leaves an unmanaged age category to Qomon", func(t *testing.T) {
		f := newPlanFixture(t)
		config, proposed := f.config(with(map[string]attr.Value{"birthdate": str("1815-12-11")}))
		planned := planUpdate(f.state, proposed, config, managedBase)
		if !planned["age_category"].IsUnknown() {
			t.Errorf("age_category = %v, want unknown", planned["age_category"])
		}
		config, proposed = f.config(with(map[string]attr.Value{"birthdate": str("1815-12-11"), "age_category": types.Int64Value(5)}))
		planned = planUpdate(f.state, proposed, config, managedBase)
		if !planned["age_category"].Equal(types.Int64Value(5)) {
			t.Errorf("managed age_category = %v, want 5", planned["age_category"])
		}
	})

	t.Run("a value unknown until apply", func(t *testing.T) {
		f := newPlanFixture(t)
		config, proposed := f.config(with(map[string]attr.Value{"firstname": types.StringUnknown()}))
		planned := planUpdate(f.state, proposed, config, managedBase)
		if !planned["firstname"].IsUnknown() || !planned["updated_at"].IsUnknown() {
			t.Errorf("firstname %v, updated_at %v: want both unknown", planned["firstname"], planned["updated_at"])
		}
	})

	t.Run("an address unknown until apply", func(t *testing.T) {
		f := newPlanFixture(t)
		config, proposed := f.config(with(map[string]attr.Value{"address": types.ObjectUnknown(addressAttrTypes)}))
		planned := planUpdate(f.state, proposed, config, managedBase)
		if !planned["address"].IsUnknown() {
			t.Errorf("address = %v, want unknown", planned["address"])
		}
	})
}
