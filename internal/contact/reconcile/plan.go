package reconcile

import "github.com/qomon/terraform-provider-qomon/internal/qomon"

// Ownership: a field is managed while the configuration sets it. The plan needs to know which
// fields the *previous* configuration set, to tell a field the configuration just stopped
// setting (clear it in Qomon, once) from one it never set (leave it to the people using Qomon);
// the caller records them at every apply (Managed) and hands them back (previous).

// Managed lists the paths of the fields a configuration sets (IsSet: blank text does not set a
// field, a value only known at apply time does). A whole address left unknown sets every part.
func Managed(config Object) []string {
	var out []string
	for _, f := range WritableFields() {
		if IsSet(ValueAt(config, f.Path)) {
			out = append(out, f.Path)
		}
	}
	return out
}

// PlanCreate decides the planned value of every attribute of a new contact from its
// configuration and the plan Terraform proposes (the configuration with defaults, and unknown
// for whatever the configuration leaves to the provider). A new contact has nothing in the
// fields the configuration does not set, so they are planned null (state keeps the plan's null
// even if Qomon fills one in, and the next refresh shows it); what Qomon computes is unknown:
// the timestamps and ids, the geocoding of an address, the age category of a birthdate.
func PlanCreate(config, proposed Object) Object {
	planned := Object{}
	for _, f := range Fields {
		if f.Group() != "" {
			continue
		}
		switch {
		case !f.Writable():
			planned[f.Path] = Unknown
		case ValueAt(config, f.Path) == nil:
			planned[f.Path] = nil
		default:
			planned[f.Path] = withComputedUnknown(f, ValueAt(proposed, f.Path))
		}
	}
	if ValueAt(config, "age_category") == nil && IsSet(ValueAt(config, "birthdate")) {
		planned["age_category"] = Unknown
	}
	for _, g := range Groups {
		cfg := config[g.Name]
		switch {
		case cfg == nil:
			planned[g.Name] = nil
			continue
		case IsUnknown(cfg):
			planned[g.Name] = Unknown
			continue
		}
		obj, anySet := Object{}, false
		for _, f := range groupFields(g.Name) {
			v := ValueAt(config, f.Path)
			if f.Writable() {
				if v != nil {
					v = ValueAt(proposed, f.Path)
				}
				anySet = anySet || IsSet(v)
			}
			obj[f.Name] = v
		}
		if geo, ok := FieldNamed(g.Name + ".geocoding"); ok {
			obj[geo.Name] = nil
			if anySet {
				obj[geo.Name] = Unknown
			}
		}
		planned[g.Name] = obj
	}
	return planned
}

// PlanUpdate decides the planned value of every attribute of an existing contact, from its
// prior state, the plan Terraform proposes, the configuration, and the fields the configuration
// set at the last apply (previous).
//
//   - A field the configuration sets is planned as configured — unless state already holds a
//     value that means the same (Meaning: the mail's case, a date as a timestamp...): then state
//     is kept and the plan shows no change. Terraform accepts a planned value equal to a non-null
//     prior value in place of an equivalent configured value.
//   - A field it set before and no longer sets is planned null: cleared once. Blank text counts
//     as not set; Terraform requires a configured "" to be planned as "", which then clears.
//   - Any other field keeps what state holds, so the plan never changes what people entered in
//     Qomon.
//   - Values Qomon computes become unknown only when a write will make Qomon compute them again:
//     the timestamps and the last user when anything changes, the geocoding when an address part
//     changes, note ids when the notes change, the age category (when not managed) when the
//     birthdate changes. id, group_id and created_at never change.
func PlanUpdate(state, config, proposed Object, previous []string) Object {
	planned := clone(state)
	prev := map[string]bool{}
	for _, k := range previous {
		prev[k] = true
	}
	for _, f := range WritableFields() {
		k := f.Path
		cfg, st, prop := ValueAt(config, k), ValueAt(state, k), ValueAt(proposed, k)
		var v Value
		switch {
		case IsUnknown(cfg):
			v = prop
		case IsSet(cfg):
			v = withComputedUnknown(f, prop)
			if f.hasValue(st) && f.known(prop) {
				v = f.keepState(v, st)
			}
		case cfg != nil: // blank text: configured, but sets nothing
			v = prop
			if f.hasValue(st) && !prev[k] {
				v = st
			}
		case prev[k]:
			v = nil
		default:
			v = st
		}
		setPlanned(planned, k, v)
	}
	for _, g := range Groups {
		planned[g.Name] = planGroup(g, state[g.Name], config[g.Name], planned[g.Name])
	}

	before, after := ContactOf(state), ContactOf(planned)
	changed := false
	for _, f := range WritableFields() {
		if !f.w.same(&before, &after) {
			changed = true
			break
		}
	}
	if changed {
		for _, k := range []string{"updated_at", "lastchange", "user_id"} {
			planned[k] = Unknown
		}
	}
	if !IsSet(config["age_category"]) {
		if bd, _ := FieldNamed("birthdate"); !bd.w.same(&before, &after) {
			planned["age_category"] = Unknown
		}
	}
	return planned
}

// setPlanned sets a planned field; a part of a group is collected under the group's name,
// whatever the group held, and planGroup assembles it.
func setPlanned(planned Object, path string, v Value) {
	f, _ := FieldNamed(path)
	if g := f.Group(); g != "" {
		parts, ok := planned[g].(Object)
		if !ok {
			parts = Object{}
		} else {
			parts = clone(parts)
		}
		parts[f.Name] = v
		planned[g] = parts
		return
	}
	planned[path] = v
}

// planGroup assembles a planned group (the address) from its planned parts. The geocoding is
// kept while no part changes and unknown when one does; clearing every part plans no address.
func planGroup(g Group, state, config, parts Value) Value {
	if IsUnknown(config) {
		// An address computed from another resource: only known at apply time.
		return Unknown
	}
	stateObj, _ := state.(Object)
	partsObj, _ := parts.(Object)
	var before, after qomon.Contact
	g.Put(&before, state)
	g.Put(&after, Object{})
	displayChanged, meaningChanged, anyValue := false, false, false
	for _, f := range groupFields(g.Name) {
		if !f.Writable() {
			continue
		}
		f.Put(&before, stateObj[f.Name])
		f.Put(&after, partsObj[f.Name])
		if !equalValues(partsObj[f.Name], stateObj[f.Name]) {
			displayChanged = true
		}
		if !f.w.same(&before, &after) {
			meaningChanged = true
		}
		anyValue = anyValue || f.Has(&after)
	}
	if !displayChanged && (config == nil || state != nil) {
		return state
	}
	if !anyValue && config == nil {
		return nil
	}
	obj := Object{}
	for _, f := range groupFields(g.Name) {
		if f.Writable() {
			obj[f.Name] = partsObj[f.Name]
			continue
		}
		switch {
		case !anyValue:
			obj[f.Name] = nil
		case meaningChanged || stateObj == nil:
			obj[f.Name] = Unknown
		default:
			obj[f.Name] = stateObj[f.Name]
		}
	}
	return obj
}

// groupFields lists the fields of a group, in registry order.
func groupFields(group string) []Field {
	var out []Field
	for _, f := range Fields {
		if f.Group() == group {
			out = append(out, f)
		}
	}
	return out
}

// hasValue reports whether v, a value of f, holds something (blank text and an empty
// collection do not).
func (f Field) hasValue(v Value) bool {
	if IsUnknown(v) {
		return true
	}
	var c qomon.Contact
	if g := f.Group(); g != "" {
		c.Address = qomon.Some(qomon.Address{})
	}
	f.Put(&c, v)
	return f.Has(&c)
}

// known reports whether every part of v that the configuration gives is known: the parts Qomon
// computes (a note's id) may be unknown in a plan.
func (f Field) known(v Value) bool {
	if IsUnknown(v) {
		return false
	}
	elems, ok := v.([]Value)
	if !ok {
		return true
	}
	for _, e := range elems {
		if IsUnknown(e) {
			return false
		}
		m, ok := e.(Object)
		if !ok {
			continue
		}
		for _, a := range f.Elems {
			if a.Role != RoleComputed && IsUnknown(m[a.Name]) {
				return false
			}
		}
	}
	return true
}

// keepState plans a configured value v (known but for what Qomon computes) against st, the
// non-empty value in state: state as a whole when the two mean the same, else, for a
// collection, each element that means the same as one in state as state holds it
// (collection.planElements).
func (f Field) keepState(v, st Value) Value {
	if f.Equal(v, st) {
		return st
	}
	ep, ok := f.w.(elementPlanner)
	cfgElems, okCfg := v.([]Value)
	stElems, okSt := st.([]Value)
	if !ok || !okCfg || !okSt {
		return v
	}
	return ep.planElements(cfgElems, stElems, f.computedParts())
}

// computedParts names the attributes of the field's elements that Qomon computes (a note's id).
func (f Field) computedParts() []string {
	var out []string
	for _, a := range f.Elems {
		if a.Role == RoleComputed {
			out = append(out, a.Name)
		}
	}
	return out
}

// withComputedUnknown marks the parts Qomon computes in the elements of a planned collection
// (a note's id) unknown: Qomon assigns them when it stores the collection.
func withComputedUnknown(f Field, v Value) Value {
	elems, ok := v.([]Value)
	if !ok {
		return v
	}
	computed := f.computedParts()
	if len(computed) == 0 {
		return v
	}
	out := make([]Value, 0, len(elems))
	for _, e := range elems {
		if m, ok := e.(Object); ok {
			cp := clone(m)
			for _, name := range computed {
				cp[name] = Unknown
			}
			e = cp
		}
		out = append(out, e)
	}
	return out
}
