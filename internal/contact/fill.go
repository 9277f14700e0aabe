package contact

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// fillUnknown builds the state an apply returns: the planned value wherever the plan knew it,
// and what Qomon answered wherever the plan left the value unknown.
//
// Terraform requires an apply to produce exactly the values it planned. An attribute the
// configuration does not manage is planned as it was in state; if someone changed it in Qomon
// between plan and apply, Qomon's answer holds the newer value, and returning it would make
// Terraform fail the apply ("inconsistent result"). It is kept as planned and the next refresh
// shows the newer value. Managed values that Qomon stored differently are reported by the
// caller as a warning.
func fillUnknown(ctx context.Context, planned, actual attr.Value) attr.Value {
	switch {
	case planned == nil:
		return actual
	case planned.IsUnknown():
		if actual == nil {
			return nullLike(planned)
		}
		return actual
	case planned.IsNull():
		return planned
	}

	switch p := planned.(type) {
	case types.Object:
		a, _ := actual.(types.Object)
		var actualAttrs map[string]attr.Value
		if !a.IsNull() && !a.IsUnknown() {
			actualAttrs = a.Attributes()
		}
		attrs := make(map[string]attr.Value, len(p.Attributes()))
		for k, pv := range p.Attributes() {
			av, ok := actualAttrs[k]
			if !ok {
				av = nil
			}
			attrs[k] = fillUnknown(ctx, pv, av)
		}
		obj, diags := types.ObjectValue(p.AttributeTypes(ctx), attrs)
		if diags.HasError() {
			return planned
		}
		return obj
	case types.List:
		a, _ := actual.(types.List)
		pe := p.Elements()
		var ae []attr.Value
		if !a.IsNull() && !a.IsUnknown() {
			ae = a.Elements()
		}
		elems := make([]attr.Value, len(pe))
		for i := range pe {
			var av attr.Value
			if i < len(ae) {
				av = ae[i]
			}
			elems[i] = fillUnknown(ctx, pe[i], av)
		}
		list, diags := types.ListValue(p.ElementType(ctx), elems)
		if diags.HasError() {
			return planned
		}
		return list
	}
	// Sets here hold no computed parts, and scalars are known: the plan stands.
	return planned
}
