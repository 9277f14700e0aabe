package contact

import (
	"context"
	"encoding/json"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
)

// QuickPlan answers a PlanResourceChange of qomon_contact without terraform-plugin-framework
// in the two cases a large apply or plan is made of: Terraform proposes no change (the proposed
// new state is the prior state), which is every resource of a plan that finds nothing to do; or
// Terraform proposes to create the contact (no prior state, the configuration proposed as it
// is), which is every resource of a first apply, planned twice (in the plan and again in the
// apply). Nothing in the proposal or the configuration may be unknown. The answer is what the
// framework answers for such a request: the plan of contactResource.plan, the prior private
// state and the prior identity, each encoded as the framework encodes them.
//
// terraform-plugin-framework v1.19.0 (internal/fwserver, PlanResourceChange) runs, before
// ModifyPlan, steps that leave a no-change request as it is: defaults fill attributes the
// configuration leaves null, and change nothing where the proposed value is the default
// already (defaultsKept checks it); write-only attributes (the resource has none) are nulled;
// computed attributes become unknown only when the plan differs from the prior state; the
// attributes' plan modifiers (the resource has none) run. For a create, the defaults and the
// unknown computed attributes do change the plan: createPlan makes the same changes. Each step
// walks every value of the plan and resolves every attribute path, copying the schema's map of
// attributes at each step: most of the plan's CPU (BENCHMARKS.md, "Bulk refresh").
//
// ok is false, and nothing has changed, whenever any of that does not hold: a destroy, a
// proposed change, a create whose proposal is not its configuration, an unknown value, a
// default that would change a no-change plan, provider meta, a private state or identity the
// framework would refuse or rewrite, and any diagnostic of the plan itself. The caller then
// serves the plan through the framework as always. TestQuickPlanAnswersAsTheFramework,
// TestQuickCreatePlanAnswersAsTheFramework and their fuzz tests (internal/bench) feed the same
// requests to both.
func QuickPlan(ctx context.Context, data *providerdata.Data, req *tfprotov6.PlanResourceChangeRequest) (resp *tfprotov6.PlanResourceChangeResponse, ok bool) {
	if data == nil || req.Config == nil || req.PriorState == nil || req.ProposedNewState == nil || req.ProviderMeta != nil {
		return nil, false
	}
	types := quickTypes()
	prior, err := req.PriorState.Unmarshal(types.state)
	if err != nil {
		return nil, false
	}
	proposed, err := req.ProposedNewState.Unmarshal(types.state)
	if err != nil || proposed.IsNull() || !proposed.IsFullyKnown() {
		return nil, false
	}
	config, err := req.Config.Unmarshal(types.state)
	if err != nil || !config.IsFullyKnown() {
		return nil, false
	}
	// modifiable is the plan the framework hands ModifyPlan.
	var modifiable tftypes.Value
	switch {
	case prior.IsNull():
		if modifiable, ok = createPlan(defaultedTree(), proposed, config); !ok {
			return nil, false
		}
	case proposed.Equal(prior) && defaultsKept(defaultedTree(), proposed, config):
		modifiable = proposed
	default:
		return nil, false
	}
	private, privateOut, ok := plannedPrivate(req.PriorPrivate)
	if !ok {
		return nil, false
	}
	identity, ok := plannedIdentity(req.PriorIdentity, types.identity)
	if !ok {
		return nil, false
	}
	r := &contactResource{Resource: providerdata.Resource{TypeName: TypeName, Data: data}}
	var diags diag.Diagnostics
	planned, ok := r.plan(ctx, config, modifiable, prior, private, &diags)
	if !ok || len(diags) > 0 {
		return nil, false
	}
	state, err := tfprotov6.NewDynamicValue(types.state, planned)
	if err != nil {
		return nil, false
	}
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: &state, PlannedPrivate: privateOut, PlannedIdentity: identity}, true
}

// createPlan is the plan the framework hands ModifyPlan for a create whose configuration, an
// object of attrs, Terraform proposes as it is (the proposed new state of a resource without
// prior state is its configuration: objchange.ProposedNew in Terraform and OpenTofu): the
// framework's defaults fill what the configuration leaves null (TransformDefaults), and then
// every computed attribute still null in the configuration becomes unknown
// (MarkComputedNilsAsUnknown), a parent after its children. Both find the configuration's value
// at the same path, which is the proposed value itself here; but the second pass looks an
// element of a set up by its value after the first pass, so a set whose elements a default
// changes is declined (ok false), as is any proposal that is not the configuration, or a value
// this walk does not know.
func createPlan(attrs []reconcile.Attr, proposed, config tftypes.Value) (tftypes.Value, bool) {
	if !proposed.Equal(config) {
		return tftypes.Value{}, false
	}
	return createObject(attrs, config)
}

// createObject is createPlan inside a configured object of attrs.
func createObject(attrs []reconcile.Attr, v tftypes.Value) (tftypes.Value, bool) {
	var in map[string]tftypes.Value
	if v.IsNull() || v.As(&in) != nil || len(in) != len(attrs) {
		return tftypes.Value{}, false
	}
	out := make(map[string]tftypes.Value, len(in))
	for _, a := range attrs {
		x, ok := in[a.Name]
		if !ok {
			return tftypes.Value{}, false
		}
		if out[a.Name], ok = createAttr(a, x); !ok {
			return tftypes.Value{}, false
		}
	}
	return tftypes.NewValue(v.Type(), out), true
}

// createAttr is createPlan for attribute a holding v in the configuration.
func createAttr(a reconcile.Attr, v tftypes.Value) (tftypes.Value, bool) {
	if v.IsNull() {
		switch a.Role {
		case reconcile.RoleDefaulted:
			// resourceAttribute gives a schema default to booleans only.
			if _, ok := a.Default.(bool); !ok || a.Kind != reconcile.KindBool {
				return tftypes.Value{}, false
			}
			def, err := rawValue(a.Default, v.Type())
			return def, err == nil
		case reconcile.RoleManaged, reconcile.RoleComputed:
			return tftypes.NewValue(v.Type(), tftypes.UnknownValue), true
		}
		return v, true
	}
	switch a.Kind {
	case reconcile.KindObject:
		return createObject(a.Elems, v)
	case reconcile.KindObjectList, reconcile.KindObjectSet:
		var elems []tftypes.Value
		if v.As(&elems) != nil {
			return tftypes.Value{}, false
		}
		out := make([]tftypes.Value, len(elems))
		for i, e := range elems {
			var ok bool
			if out[i], ok = createObject(a.Elems, e); !ok || (a.Kind == reconcile.KindObjectSet && !out[i].Equal(e)) {
				return tftypes.Value{}, false
			}
		}
		return tftypes.NewValue(v.Type(), out), true
	}
	return v, true
}

// QuickUpgrade answers an UpgradeResourceState of qomon_contact without
// terraform-plugin-framework when the stored state is of the current schema version, as every
// state this provider wrote is: the framework's answer is then the stored JSON read with the
// schema's type, unknown attributes ignored (internal/fwserver, UpgradeResourceState), encoded
// for the protocol. ok is false for anything else (another version, a state it cannot read),
// which the framework then answers. TestQuickUpgradeAnswersAsTheFramework (internal/bench)
// compares the two.
func QuickUpgrade(req *tfprotov6.UpgradeResourceStateRequest) (resp *tfprotov6.UpgradeResourceStateResponse, ok bool) {
	types := quickTypes()
	if req.RawState == nil || req.RawState.JSON == nil || req.Version != types.version {
		return nil, false
	}
	v, err := req.RawState.UnmarshalWithOpts(types.state, tfprotov6.UnmarshalOpts{
		ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return nil, false
	}
	state, err := tfprotov6.NewDynamicValue(types.state, v)
	if err != nil {
		return nil, false
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &state}, true
}

// plannedPrivate reads a prior private state as the framework does (privatestate.NewData) and
// encodes it again as the framework's answer does (privatestate.Data.Bytes): a JSON object of
// the non-empty values, keys sorted. ok is false for a private state the framework would refuse
// or discard (not such an object, a value that is not UTF-8 JSON).
func plannedPrivate(prior []byte) (private privateBytes, out []byte, ok bool) {
	if len(prior) == 0 {
		return nil, nil, true
	}
	if json.Unmarshal(prior, &private) != nil {
		return nil, nil, false
	}
	kept := make(map[string][]byte, len(private))
	for key, value := range private {
		if !utf8.Valid(value) || !json.Valid(value) {
			return nil, nil, false
		}
		kept[key] = value
	}
	if len(kept) == 0 {
		return private, nil, true
	}
	out, err := json.Marshal(kept)
	return private, out, err == nil
}

// plannedIdentity is the identity the framework plans: the prior one, or a null identity when
// the request has none.
func plannedIdentity(prior *tfprotov6.ResourceIdentityData, typ tftypes.Type) (*tfprotov6.ResourceIdentityData, bool) {
	v := tftypes.NewValue(typ, nil)
	if prior != nil && prior.IdentityData != nil {
		var err error
		if v, err = prior.IdentityData.Unmarshal(typ); err != nil {
			return nil, false
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		return nil, false
	}
	return &tfprotov6.ResourceIdentityData{IdentityData: &dv}, true
}

// defaultedTree is the resource's attributes as the schema nests them (resourceSchema): the
// top-level fields, and each group as an object of its fields.
var defaultedTree = sync.OnceValue(func() []reconcile.Attr {
	var attrs []reconcile.Attr
	for _, f := range reconcile.Fields {
		if f.Group() == "" {
			attrs = append(attrs, f.Attr)
		}
	}
	for _, g := range reconcile.Groups {
		group := reconcile.Attr{Name: g.Name, Kind: reconcile.KindObject}
		for _, f := range reconcile.Fields {
			if f.Group() == g.Name {
				group.Elems = append(group.Elems, f.Attr)
			}
		}
		attrs = append(attrs, group)
	}
	return attrs
})

// defaultsKept reports whether the framework's defaults leave planned, an object of attrs, as it
// is under config: every attribute with a default (reconcile.RoleDefaulted) is set in config at
// the same place, or holds its default in planned already. The framework finds "the same place"
// by path: by index in a list, by the planned element's whole value in a set, which a
// configuration's element never equals when the element has computed attributes, so inside a
// set only a planned default counts.
func defaultsKept(attrs []reconcile.Attr, planned, config tftypes.Value) bool {
	var p, c map[string]tftypes.Value
	if planned.IsNull() || planned.As(&p) != nil {
		return planned.IsNull()
	}
	if !config.IsNull() && config.As(&c) != nil {
		return false
	}
	for _, a := range attrs {
		pv, ok := p[a.Name]
		if !ok {
			return false
		}
		cv, set := c[a.Name]
		set = set && !cv.IsNull()
		switch {
		case a.Role == reconcile.RoleDefaulted:
			if set {
				continue
			}
			def, err := rawValue(a.Default, pv.Type())
			if err != nil || !pv.Equal(def) {
				return false
			}
		case a.Kind == reconcile.KindObject:
			if !defaultsKept(a.Elems, pv, nullUnless(set, cv)) {
				return false
			}
		case a.Kind == reconcile.KindObjectList, a.Kind == reconcile.KindObjectSet:
			var pe, ce []tftypes.Value
			if pv.IsNull() {
				continue
			}
			if pv.As(&pe) != nil || (set && cv.As(&ce) != nil) {
				return false
			}
			for i, e := range pe {
				ec := tftypes.NewValue(e.Type(), nil)
				if a.Kind == reconcile.KindObjectList && i < len(ce) {
					ec = ce[i]
				}
				if !defaultsKept(a.Elems, e, ec) {
					return false
				}
			}
		}
	}
	return true
}

// nullUnless is v when set, else a null of v's type (or a typeless null).
func nullUnless(set bool, v tftypes.Value) tftypes.Value {
	if set {
		return v
	}
	return tftypes.NewValue(tftypes.DynamicPseudoType, nil)
}
