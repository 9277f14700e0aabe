package contact

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestFillUnknown(t *testing.T) {
	ctx := context.Background()
	objType := map[string]attr.Type{"a": types.StringType, "b": types.StringType}
	planned := types.ObjectValueMust(map[string]attr.Type{
		"known": types.StringType, "unknown": types.StringType, "null": types.StringType,
		"nested": types.ObjectType{AttrTypes: objType}, "list": types.ListType{ElemType: types.ObjectType{AttrTypes: objType}},
	}, map[string]attr.Value{
		"known":   types.StringValue("planned"),
		"unknown": types.StringUnknown(),
		"null":    types.StringNull(),
		"nested":  types.ObjectValueMust(objType, map[string]attr.Value{"a": types.StringValue("planned"), "b": types.StringUnknown()}),
		"list": types.ListValueMust(types.ObjectType{AttrTypes: objType}, []attr.Value{
			types.ObjectValueMust(objType, map[string]attr.Value{"a": types.StringValue("planned"), "b": types.StringUnknown()}),
		}),
	})
	actual := types.ObjectValueMust(planned.AttributeTypes(ctx), map[string]attr.Value{
		"known":   types.StringValue("newer in Qomon"),
		"unknown": types.StringValue("computed"),
		"null":    types.StringValue("appeared"),
		"nested":  types.ObjectValueMust(objType, map[string]attr.Value{"a": types.StringValue("other"), "b": types.StringValue("computed b")}),
		"list": types.ListValueMust(types.ObjectType{AttrTypes: objType}, []attr.Value{
			types.ObjectValueMust(objType, map[string]attr.Value{"a": types.StringValue("other"), "b": types.StringValue("id 7")}),
		}),
	})
	got := fillUnknown(ctx, planned, actual).(types.Object).Attributes()
	want := map[string]string{"known": "planned", "unknown": "computed"}
	for k, v := range want {
		if !got[k].Equal(types.StringValue(v)) {
			t.Errorf("%s = %v, want %q", k, got[k], v)
		}
	}
	if !got["null"].IsNull() {
		t.Errorf("a planned null must stay null, got %v", got["null"])
	}
	nested := got["nested"].(types.Object).Attributes()
	if !nested["a"].Equal(types.StringValue("planned")) || !nested["b"].Equal(types.StringValue("computed b")) {
		t.Errorf("nested = %v", nested)
	}
	elem := got["list"].(types.List).Elements()[0].(types.Object).Attributes()
	if !elem["a"].Equal(types.StringValue("planned")) || !elem["b"].Equal(types.StringValue("id 7")) {
		t.Errorf("list element = %v", elem)
	}

	// An unknown with nothing to fill it becomes null rather than staying unknown.
	if v := fillUnknown(ctx, types.Int64Unknown(), nil); !v.IsNull() {
		t.Errorf("unknown with no answer = %v, want null", v)
	}
}
