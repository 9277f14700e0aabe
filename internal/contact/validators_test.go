package contact

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func validateString(v validator.String, value types.String) bool {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: value}, resp)
	return !resp.Diagnostics.HasError()
}

func TestStringValidators(t *testing.T) {
	cases := []struct {
		name  string
		v     validator.String
		value types.String
		ok    bool
	}{
		{"notBlank: text", notBlank{}, types.StringValue("Ada"), true},
		{"notBlank: empty", notBlank{}, types.StringValue(""), false},
		{"notBlank: spaces", notBlank{}, types.StringValue(" \t"), false},
		{"notBlank: null is no value", notBlank{}, types.StringNull(), true},
		{"notBlank: unknown waits", notBlank{}, types.StringUnknown(), true},

		{"mail: plain", mailValidator{}, types.StringValue("jane@example.org"), true},
		{"mail: capitals", mailValidator{}, types.StringValue("Jane.Doe@Example.org"), true},
		{"mail: no domain", mailValidator{}, types.StringValue("jane@"), false},
		{"mail: no at", mailValidator{}, types.StringValue("jane.example.org"), false},
		{"mail: display name", mailValidator{}, types.StringValue("Jane <jane@example.org>"), false},
		{"mail: spaces", mailValidator{}, types.StringValue(" jane@example.org"), false},
		{"mail: two addresses", mailValidator{}, types.StringValue("a@example.org, b@example.org"), false},

		{"date: day", dateValidator{}, types.StringValue("1984-03-21"), true},
		{"date: RFC 3339", dateValidator{}, types.StringValue("1984-03-21T00:00:00Z"), true},
		{"date: with offset and fraction", dateValidator{}, types.StringValue("1984-03-21T10:00:00.123+02:00"), true},
		{"date: French order", dateValidator{}, types.StringValue("21/03/1984"), false},
		{"date: impossible day", dateValidator{}, types.StringValue("1984-02-30"), false},
		{"date: surrounding space", dateValidator{}, types.StringValue("1984-03-21 "), false},
	}
	for _, c := range cases {
		if got := validateString(c.v, c.value); got != c.ok {
			t.Errorf("%s: valid = %v, want %v", c.name, got, c.ok)
		}
	}
}

func TestAddressNotEmpty(t *testing.T) {
	check := func(obj types.Object) bool {
		resp := &validator.ObjectResponse{}
		addressNotEmpty{}.ValidateObject(context.Background(), validator.ObjectRequest{Path: path.Root("address"), ConfigValue: obj}, resp)
		return !resp.Diagnostics.HasError()
	}
	empty := map[string]attr.Value{}
	for name, typ := range addressAttrTypes {
		empty[name] = nullOfType(typ)
	}
	if check(types.ObjectValueMust(addressAttrTypes, empty)) {
		t.Error("an address with no part passed")
	}
	withCity := map[string]attr.Value{}
	for k, v := range empty {
		withCity[k] = v
	}
	withCity["city"] = types.StringValue("Paris")
	if !check(types.ObjectValueMust(addressAttrTypes, withCity)) {
		t.Error("an address with a city failed")
	}
	if !check(types.ObjectNull(addressAttrTypes)) || !check(types.ObjectUnknown(addressAttrTypes)) {
		t.Error("null and unknown addresses are not for this validator to refuse")
	}
}

func TestParseImportID(t *testing.T) {
	cases := []struct {
		in     string
		id     int64
		mail   string
		failed bool
	}{
		{"12345", 12345, "", false},
		{"mail:jane@example.org", 0, "jane@example.org", false},
		{"mail:Jane@Example.org", 0, "Jane@Example.org", false},
		{"0", 0, "", true},
		{"-5", 0, "", true},
		{"12a", 0, "", true},
		{"", 0, "", true},
		{"mail:", 0, "", true},
		{"mail:jane", 0, "", true},
		{"jane@example.org", 0, "", true},
		{"99999999999999999999", 0, "", true},
	}
	for _, c := range cases {
		id, mail, err := parseImportID(c.in)
		if (err != nil) != c.failed || id != c.id || mail != c.mail {
			t.Errorf("%q -> %d, %q, %v", c.in, id, mail, err)
		}
	}
}
