package contact

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
)

// textType is the Terraform type of a text attribute: a string whose values compare by the
// field's meaning (reconcile.Meaning). The framework asks it, through semantic equality, whether
// a value Read, Create or Update returns means the same as the prior one, and keeps the prior
// spelling when it does — the same rule the plan applies (reconcile.PlanUpdate), declared once
// in the registry. The framework does not run semantic equality when it plans: ModifyPlan does
// that part.
type textType struct {
	basetypes.StringType
	meaning string
}

var _ basetypes.StringTypable = textType{}

func (t textType) Equal(o attr.Type) bool {
	other, ok := o.(textType)
	return ok && other.meaning == t.meaning
}

func (t textType) String() string { return fmt.Sprintf("contact.textType[%s]", t.meaning) }

func (t textType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return textValue{StringValue: in, meaning: t.meaning}, nil
}

func (t textType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return textValue{StringValue: s, meaning: t.meaning}, nil
}

func (t textType) ValueType(context.Context) attr.Value { return textValue{meaning: t.meaning} }

// textValue is a value of a textType.
type textValue struct {
	basetypes.StringValue
	meaning string
}

var _ basetypes.StringValuableWithSemanticEquals = textValue{}

func (v textValue) Type(context.Context) attr.Type { return textType{meaning: v.meaning} }

func (v textValue) Equal(o attr.Value) bool {
	other, ok := o.(textValue)
	return ok && other.meaning == v.meaning && v.StringValue.Equal(other.StringValue)
}

// String never shows the value. The framework writes values' String() into its logs (the
// semantic equality it runs on this type logs the value it compares at TRACE) and into the paths
// of set elements, and contact values are personal data.
func (v textValue) String() string {
	switch {
	case v.IsNull():
		return attr.NullValueString
	case v.IsUnknown():
		return attr.UnknownValueString
	}
	return "<text>"
}

// StringSemanticEquals reports whether the new value means the same as v, the prior one.
func (v textValue) StringSemanticEquals(ctx context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	nv, diags := newValuable.ToStringValue(ctx)
	if diags.HasError() {
		return false, diags
	}
	return reconcile.MeaningNamed(v.meaning).Same(v.ValueString(), nv.ValueString()), diags
}

// typeOfText is the type of a text attribute of meaning m: a plain string when the value is
// only ever compared exactly (what Qomon computes and the provider never writes).
func typeOfText(m reconcile.Meaning) attr.Type {
	if m.Name == "" {
		return basetypes.StringType{}
	}
	return textType{meaning: m.Name}
}
