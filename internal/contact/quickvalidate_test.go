package contact

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// TestQuickValidateKnowsEveryRule fails when qomon_contact gains a rule that QuickValidate or
// QuickPlan does not apply, so that a quick answer cannot silently skip it: a ValidateConfig
// method, config validators, a deprecated or write-only attribute, a validator other than the
// registry's checkValidator, a type or value of ours that validates itself, or a plan
// modifier. The oracle tests (internal/bench) prove equality for the rules there are; this
// test keeps the list of rules from growing behind their back.
func TestQuickValidateKnowsEveryRule(t *testing.T) {
	var r resource.Resource = &contactResource{}
	if _, ok := r.(resource.ResourceWithValidateConfig); ok {
		t.Error("qomon_contact has a ValidateConfig method, which QuickValidate does not run")
	}
	if _, ok := r.(resource.ResourceWithConfigValidators); ok {
		t.Error("qomon_contact has config validators, which QuickValidate does not run")
	}
	var walk func(path string, attrs map[string]schema.Attribute)
	walk = func(path string, attrs map[string]schema.Attribute) {
		for name, a := range attrs {
			p := path + name
			if a.GetDeprecationMessage() != "" || a.IsWriteOnly() {
				t.Errorf("%s is deprecated or write-only, which QuickValidate does not handle", p)
			}
			// The framework's own types validate (an int64 that is one, a collection's
			// elements); validAttr and checkable apply those rules. A type of ours must not.
			typ := a.GetType()
			if _, ok := typ.(xattr.TypeWithValidate); ok && reflect.TypeOf(typ).PkgPath() != frameworkTypes { //nolint:staticcheck // deprecated, but fwserver still calls it
				t.Errorf("%s: its type %T validates values, which QuickValidate does not do", p, typ)
			}
			if _, ok := typ.ValueType(context.Background()).(xattr.ValidateableAttribute); ok {
				t.Errorf("%s: its value type validates itself, which QuickValidate does not do", p)
			}
			if modifiers := reflect.ValueOf(a).FieldByName("PlanModifiers"); modifiers.IsValid() && modifiers.Len() > 0 {
				t.Errorf("%s has plan modifiers, which QuickPlan does not run", p)
			}
			for _, v := range validatorsOf(a) {
				if _, ok := v.(checkValidator); !ok {
					t.Errorf("%s has validator %T; QuickValidate runs only checkValidator", p, v)
				}
			}
			if n, ok := a.(interface {
				GetNestedObject() schema.NestedAttributeObject
			}); ok {
				if o := n.GetNestedObject(); len(o.Validators) > 0 || len(o.PlanModifiers) > 0 {
					t.Errorf("%s has object validators or plan modifiers, which the quick paths do not run", p)
				}
				walk(p+".", n.GetNestedObject().Attributes)
			}
			if s, ok := a.(schema.SingleNestedAttribute); ok {
				walk(p+".", s.Attributes)
			}
		}
	}
	resp := &resource.SchemaResponse{}
	r.Schema(context.Background(), resource.SchemaRequest{}, resp)
	walk("", resp.Schema.Attributes)
	if len(resp.Schema.Blocks) > 0 {
		t.Error("qomon_contact has blocks, which QuickValidate does not walk")
	}
}

// frameworkTypes is the package of the framework's own attribute types.
const frameworkTypes = "github.com/hashicorp/terraform-plugin-framework/types/basetypes"

// validatorsOf lists the validators of an attribute: the Validators field every attribute
// type of the framework's resource schema has, whatever its element type.
func validatorsOf(a schema.Attribute) []any {
	field := reflect.ValueOf(a).FieldByName("Validators")
	if !field.IsValid() {
		return []any{a} // an attribute without the field: reported as an unknown validator
	}
	out := make([]any, field.Len())
	for i := range out {
		out[i] = field.Index(i).Interface()
	}
	return out
}
