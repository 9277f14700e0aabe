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
// when Terraform proposes no change (the proposed new state is the prior state, and nothing in
// it or in the configuration is unknown), which is every resource of a plan that finds nothing
// to do. The answer is what the framework answers for such a request: the plan of
// contactResource.plan, the prior private state and the prior identity, each encoded as the
// framework encodes them.
//
// terraform-plugin-framework v1.19.0 (internal/fwserver, PlanResourceChange) runs, before
// ModifyPlan, steps that leave such a request as it is: defaults fill attributes the
// configuration leaves null, and change nothing where the proposed value is the default
// already (defaultsKept checks it); write-only attributes (the resource has none) are nulled;
// computed attributes become unknown only when the plan differs from the prior state; the
// attributes' plan modifiers (the resource has none) run. Each step walks every value of the
// plan and resolves every attribute path, copying the schema's map of attributes at each step:
// most of the plan's CPU (BENCHMARKS.md, "Bulk refresh").
//
// ok is false, and nothing has changed, whenever any of that does not hold: a create or a
// destroy, a proposed change, an unknown value, a default that would change the plan, provider
// meta, a private state or identity the framework would refuse or rewrite, and any diagnostic
// of the plan itself. The caller then serves the plan through the framework as always.
// TestQuickPlanAnswersAsTheFramework (internal/bench) feeds the same requests to both.
func QuickPlan(ctx context.Context, data *providerdata.Data, req *tfprotov6.PlanResourceChangeRequest) (resp *tfprotov6.PlanResourceChangeResponse, ok bool) {
	if data == nil || req.Config == nil || req.PriorState == nil || req.ProposedNewState == nil || req.ProviderMeta != nil {
		return nil, false
	}
	types := quickTypes()
	prior, err := req.PriorState.Unmarshal(types.state)
	if err != nil || prior.IsNull() {
		return nil, false
	}
	proposed, err := req.ProposedNewState.Unmarshal(types.state)
	if err != nil || !proposed.IsFullyKnown() || !proposed.Equal(prior) {
		return nil, false
	}
	config, err := req.Config.Unmarshal(types.state)
	if err != nil || !config.IsFullyKnown() || !defaultsKept(defaultedTree(), proposed, config) {
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
	planned, ok := r.plan(ctx, config, proposed, prior, private, &diags)
	if !ok || len(diags) > 0 {
		return nil, false
	}
	state, err := tfprotov6.NewDynamicValue(types.state, planned)
	if err != nil {
		return nil, false
	}
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: &state, PlannedPrivate: privateOut, PlannedIdentity: identity}, true
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
