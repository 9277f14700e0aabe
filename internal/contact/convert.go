package contact

import (
	"context"
	"fmt"
	"math"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
)

// The conversion between Terraform values and the engine's reconcile.Value. It goes by type
// only: which attribute holds what is the registry's business, not this file's.

// valueOf converts a Terraform value (of any type this provider's schemas use) into a
// reconcile.Value.
func valueOf(ctx context.Context, v attr.Value) (reconcile.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	if v == nil || v.IsNull() {
		return nil, nil
	}
	if v.IsUnknown() {
		return reconcile.Unknown, nil
	}
	switch v := v.(type) {
	case basetypes.StringValuable:
		return scalar(ctx, v.ToStringValue, basetypes.StringValue.ValueString)
	case basetypes.Int64Valuable:
		return scalar(ctx, v.ToInt64Value, basetypes.Int64Value.ValueInt64)
	case basetypes.BoolValuable:
		return scalar(ctx, v.ToBoolValue, basetypes.BoolValue.ValueBool)
	case basetypes.Float64Valuable:
		return scalar(ctx, v.ToFloat64Value, basetypes.Float64Value.ValueFloat64)
	case basetypes.SetValuable:
		s, d := v.ToSetValue(ctx)
		diags.Append(d...)
		return elementsOf(ctx, s.Elements(), diags)
	case basetypes.ListValuable:
		l, d := v.ToListValue(ctx)
		diags.Append(d...)
		return elementsOf(ctx, l.Elements(), diags)
	case basetypes.ObjectValuable:
		o, d := v.ToObjectValue(ctx)
		diags.Append(d...)
		out := reconcile.Object{}
		for k, a := range o.Attributes() {
			x, d := valueOf(ctx, a)
			diags.Append(d...)
			out[k] = x
		}
		return out, diags
	}
	diags.AddError("Unexpected value", fmt.Sprintf("The provider cannot read a value of type %T. This is a bug in the provider.", v))
	return nil, diags
}

// decode reads a Terraform value of attribute type t as valueOf reads the framework's value of
// it, without building the framework's values first: the framework's decoding of the
// resource's 29 attributes is most of what reading a plan or state costs. It knows the types the
// resource's schema uses (strings and the text types, int64, bool, float64, sets, lists and
// objects of them) and fails on anything else, and on a value the framework refuses too (a
// number that is no int64, or no float64): callers then read the value through the framework,
// which says why. TestDecode compares the two readings.
func decode(t attr.Type, v tftypes.Value) (reconcile.Value, error) {
	if !v.IsKnown() {
		return reconcile.Unknown, nil
	}
	if v.IsNull() {
		return nil, nil
	}
	switch t := t.(type) {
	case basetypes.StringType, textType:
		var s string
		err := v.As(&s)
		return s, err
	case basetypes.BoolType:
		var b bool
		err := v.As(&b)
		return b, err
	case basetypes.Int64Type, basetypes.Float64Type:
		var n big.Float
		if err := v.As(&n); err != nil {
			return nil, err
		}
		return decodeNumber(t, &n)
	case basetypes.SetType:
		return decodeElements(t.ElemType, v)
	case basetypes.ListType:
		return decodeElements(t.ElemType, v)
	case basetypes.ObjectType:
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			return nil, err
		}
		if len(attrs) != len(t.AttrTypes) {
			return nil, fmt.Errorf("an object of %d attributes, want %d", len(attrs), len(t.AttrTypes))
		}
		out := make(reconcile.Object, len(t.AttrTypes))
		for name, at := range t.AttrTypes {
			a, ok := attrs[name]
			if !ok {
				return nil, fmt.Errorf("no attribute %q", name)
			}
			x, err := decode(at, a)
			if err != nil {
				return nil, err
			}
			out[name] = x
		}
		return out, nil
	}
	return nil, fmt.Errorf("no decoding for %T", t)
}

// decodeNumber is n as an int64 or a float64, as t says, when it is one (Int64Type's and
// Float64Type's ValueFromTerraform refuse the others).
func decodeNumber(t attr.Type, n *big.Float) (reconcile.Value, error) {
	if _, ok := t.(basetypes.Int64Type); ok {
		if i, acc := n.Int64(); n.IsInt() && acc == big.Exact {
			return i, nil
		}
		return nil, fmt.Errorf("value %s is no 64-bit integer", n.String())
	}
	if f, acc := n.Float64(); !(f == 0 && acc != big.Exact) && !math.IsInf(f, 0) {
		return f, nil
	}
	return nil, fmt.Errorf("value %s is no 64-bit float", n.String())
}

func decodeElements(elemType attr.Type, v tftypes.Value) (reconcile.Value, error) {
	var elems []tftypes.Value
	if err := v.As(&elems); err != nil {
		return nil, err
	}
	out := make([]reconcile.Value, 0, len(elems))
	for _, e := range elems {
		x, err := decode(elemType, e)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// scalar converts a framework scalar, custom types included, to its Go value: to is the value's
// conversion to its base type (ToStringValue...), get reads the base type (ValueString...).
func scalar[B any, G any](ctx context.Context, to func(context.Context) (B, diag.Diagnostics), get func(B) G) (reconcile.Value, diag.Diagnostics) {
	b, diags := to(ctx)
	return get(b), diags
}

func elementsOf(ctx context.Context, elems []attr.Value, diags diag.Diagnostics) (reconcile.Value, diag.Diagnostics) {
	out := make([]reconcile.Value, 0, len(elems))
	for _, e := range elems {
		x, d := valueOf(ctx, e)
		diags.Append(d...)
		out = append(out, x)
	}
	return out, diags
}

// terraformValue converts a reconcile.Value into a Terraform value of type t.
func terraformValue(ctx context.Context, v reconcile.Value, t attr.Type) (attr.Value, error) {
	raw, err := rawValue(v, t.TerraformType(ctx))
	if err != nil {
		return nil, err
	}
	return t.ValueFromTerraform(ctx, raw)
}

// rawValue converts a reconcile.Value into a value of the Terraform wire type typ.
func rawValue(v reconcile.Value, typ tftypes.Type) (tftypes.Value, error) {
	if reconcile.IsUnknown(v) {
		return tftypes.NewValue(typ, tftypes.UnknownValue), nil
	}
	if v == nil {
		return tftypes.NewValue(typ, nil), nil
	}
	switch t := typ.(type) {
	case tftypes.Set:
		elems, err := rawElements(v, t.ElementType)
		return tftypes.NewValue(typ, elems), err
	case tftypes.List:
		elems, err := rawElements(v, t.ElementType)
		return tftypes.NewValue(typ, elems), err
	case tftypes.Object:
		m, ok := v.(reconcile.Object)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("expected an object, got %T", v)
		}
		attrs := make(map[string]tftypes.Value, len(t.AttributeTypes))
		for name, at := range t.AttributeTypes {
			a, err := rawValue(m[name], at)
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
			}
			attrs[name] = a
		}
		return tftypes.NewValue(typ, attrs), nil
	}
	switch {
	case typ.Is(tftypes.String):
		if s, ok := v.(string); ok {
			return tftypes.NewValue(typ, s), nil
		}
	case typ.Is(tftypes.Bool):
		if b, ok := v.(bool); ok {
			return tftypes.NewValue(typ, b), nil
		}
	case typ.Is(tftypes.Number):
		switch n := v.(type) {
		case int64:
			return tftypes.NewValue(typ, new(big.Float).SetInt64(n)), nil
		case float64:
			return tftypes.NewValue(typ, big.NewFloat(n)), nil
		}
	}
	return tftypes.Value{}, fmt.Errorf("cannot write %T as %s", v, typ)
}

func rawElements(v reconcile.Value, elemType tftypes.Type) ([]tftypes.Value, error) {
	list, ok := v.([]reconcile.Value)
	if !ok {
		return nil, fmt.Errorf("expected a collection, got %T", v)
	}
	out := make([]tftypes.Value, 0, len(list))
	for i, e := range list {
		raw, err := rawValue(e, elemType)
		if err != nil {
			return nil, fmt.Errorf("element %d: %w", i, err)
		}
		out = append(out, raw)
	}
	return out, nil
}
