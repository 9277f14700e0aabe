package contact

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// planUpdate decides the planned value of every attribute of an existing contact, from its
// prior state, the plan Terraform proposes (the configuration with defaults, and unknown for
// whatever the configuration leaves to the provider), the configuration itself, and the fields
// the configuration set at the last apply. It is pure: ModifyPlan reads the inputs and writes
// the result back.
//
//   - A field the configuration sets is planned as configured.
//   - A field it set before and no longer sets is planned null: cleared once.
//   - Any other field keeps what state holds, so the plan never changes what people entered in
//     Qomon.
//   - Values Qomon computes become unknown only when a write will make Qomon compute them again:
//     the timestamps and the last user when anything changes, the geocoding when an address part
//     changes, note ids when the notes change, the age category (when not managed) when the
//     birthdate changes. id, group_id and created_at never change.
func planUpdate(state, proposed, config map[string]attr.Value, previous managedSet) map[string]attr.Value {
	configured := managedFromConfig(config)
	planned := make(map[string]attr.Value, len(state))
	for k, v := range state {
		planned[k] = v
	}

	addressParts := map[string]attr.Value{}
	for _, f := range fields {
		k := f.key()
		var v attr.Value
		switch {
		case configured[k]:
			v = valueAt(proposed, k)
		case previous[k]:
			v = nullLike(valueAt(state, k))
		default:
			v = valueAt(state, k)
		}
		if part, ok := strings.CutPrefix(k, "address."); ok {
			addressParts[part] = v
			continue
		}
		planned[k] = v
	}
	planned["address"] = planAddress(state["address"], config["address"], addressParts)

	if notes, ok := planned["notes"].(types.List); ok {
		planned["notes"] = planNoteIDs(state["notes"], notes)
	}

	changed := false
	for _, f := range fields {
		if !valueEqual(valueAt(planned, f.key()), valueAt(state, f.key())) {
			changed = true
			break
		}
	}
	if changed {
		for _, k := range []string{"updated_at", "lastchange", "user_id"} {
			planned[k] = unknownLike(state[k])
		}
	}
	if !configured["age_category"] && !valueEqual(planned["birthdate"], state["birthdate"]) {
		planned["age_category"] = unknownLike(state["age_category"])
	}
	return planned
}

// planAddress assembles the planned address from its planned parts. The geocoding is kept
// while no part changes and unknown otherwise.
func planAddress(stateAddr, configAddr attr.Value, parts map[string]attr.Value) attr.Value {
	configuredObj, _ := configAddr.(types.Object)
	if configuredObj.IsUnknown() {
		// An address computed from another resource: only known at apply time.
		return types.ObjectUnknown(addressAttrTypes)
	}
	stateObj, _ := stateAddr.(types.Object)
	stateParts := map[string]attr.Value{}
	if !stateObj.IsNull() && !stateObj.IsUnknown() {
		stateParts = stateObj.Attributes()
	}

	changed, anyValue := false, false
	for _, name := range addressInputs {
		v := parts[name]
		old, ok := stateParts[name]
		if !ok {
			old = types.StringNull()
		}
		if !valueEqual(v, old) {
			changed = true
		}
		if !v.IsNull() {
			anyValue = true
		}
	}
	if !changed && (configuredObj.IsNull() || !stateObj.IsNull()) {
		return stateAddr
	}
	if !anyValue && configuredObj.IsNull() {
		// Every part is being cleared: Qomon decides whether an empty address remains.
		return types.ObjectUnknown(addressAttrTypes)
	}

	attrs := make(map[string]attr.Value, len(addressAttrTypes))
	for name, v := range parts {
		attrs[name] = v
	}
	for _, name := range addressGeocoded {
		attrs[name] = unknownLike(nullOfType(addressAttrTypes[name]))
	}
	obj, diags := types.ObjectValue(addressAttrTypes, attrs)
	if diags.HasError() {
		// Cannot happen with the attributes built above; an unknown plan is always valid.
		return types.ObjectUnknown(addressAttrTypes)
	}
	return obj
}

// planNoteIDs keeps the note ids of state when the notes do not change, and leaves them to
// Qomon (unknown) when they do.
func planNoteIDs(stateNotes attr.Value, planned types.List) attr.Value {
	if planned.IsNull() || planned.IsUnknown() {
		return planned
	}
	prior, _ := stateNotes.(types.List)
	if !prior.IsNull() && !prior.IsUnknown() && notesSameContent(prior, planned) {
		return prior
	}
	elems := make([]attr.Value, 0, len(planned.Elements()))
	for _, e := range planned.Elements() {
		obj, ok := e.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			elems = append(elems, e)
			continue
		}
		attrs := map[string]attr.Value{}
		for k, v := range obj.Attributes() {
			attrs[k] = v
		}
		attrs["id"] = types.Int64Unknown()
		note, diags := types.ObjectValue(noteAttrTypes, attrs)
		if diags.HasError() {
			return types.ListUnknown(noteType) // cannot happen with the schema's notes; unknown is always valid
		}
		elems = append(elems, note)
	}
	list, diags := types.ListValue(noteType, elems)
	if diags.HasError() {
		return types.ListUnknown(noteType)
	}
	return list
}

// notesSameContent compares two note lists by content and pin, ignoring ids.
func notesSameContent(a, b types.List) bool {
	ea, eb := a.Elements(), b.Elements()
	if len(ea) != len(eb) {
		return false
	}
	for i := range ea {
		oa, okA := ea[i].(types.Object)
		ob, okB := eb[i].(types.Object)
		if !okA || !okB {
			return false
		}
		aa, ab := oa.Attributes(), ob.Attributes()
		if !valueEqual(aa["content"], ab["content"]) || !valueEqual(aa["pinned"], ab["pinned"]) {
			return false
		}
	}
	return true
}

// valueEqual compares two attribute values exactly, as a plan would display them; a missing
// value is a null one.
func valueEqual(a, b attr.Value) bool {
	switch {
	case a == nil && b == nil:
		return true
	case a == nil:
		return b.IsNull()
	case b == nil:
		return a.IsNull()
	}
	return a.Equal(b)
}

// nullLike returns the null of v's type.
func nullLike(v attr.Value) attr.Value {
	switch v := v.(type) {
	case types.String:
		return types.StringNull()
	case types.Int64:
		return types.Int64Null()
	case types.Bool:
		return types.BoolNull()
	case types.Float64:
		return types.Float64Null()
	case types.Set:
		return types.SetNull(v.ElementType(context.Background()))
	case types.List:
		return types.ListNull(v.ElementType(context.Background()))
	case types.Object:
		return types.ObjectNull(v.AttributeTypes(context.Background()))
	}
	return v
}

// unknownLike returns the unknown of v's type.
func unknownLike(v attr.Value) attr.Value {
	switch v := v.(type) {
	case types.String:
		return types.StringUnknown()
	case types.Int64:
		return types.Int64Unknown()
	case types.Bool:
		return types.BoolUnknown()
	case types.Float64:
		return types.Float64Unknown()
	case types.Set:
		return types.SetUnknown(v.ElementType(context.Background()))
	case types.List:
		return types.ListUnknown(v.ElementType(context.Background()))
	case types.Object:
		return types.ObjectUnknown(v.AttributeTypes(context.Background()))
	}
	return v
}

// nullOfType returns the null value of one of the scalar types used in this schema.
func nullOfType(t attr.Type) attr.Value {
	switch t {
	case types.Int64Type:
		return types.Int64Null()
	case types.BoolType:
		return types.BoolNull()
	case types.Float64Type:
		return types.Float64Null()
	}
	return types.StringNull()
}
