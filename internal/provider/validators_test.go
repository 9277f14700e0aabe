package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestRateLimitValidation runs the rate_limit attributes' own validators, as the schema declares
// them: an error names the attribute and says the bound in words and plain numbers.
func TestRateLimitValidation(t *testing.T) {
	rateLimit := providerSchema().Attributes["rate_limit"].(schema.SingleNestedAttribute)
	validate := func(attr string, v types.Float64) []string {
		var out []string
		for _, val := range rateLimit.Attributes[attr].(schema.Float64Attribute).Validators {
			req := validator.Float64Request{Path: path.Root("rate_limit").AtName(attr), ConfigValue: v}
			var resp validator.Float64Response
			val.ValidateFloat64(context.Background(), req, &resp)
			for _, d := range resp.Diagnostics.Errors() {
				out = append(out, d.Detail())
			}
		}
		return out
	}
	for _, tc := range []struct {
		attr string
		v    types.Float64
		want string // "" for no error
	}{
		{"burst", types.Float64Value(0), "rate_limit.burst must be at least 5 tokens: a create or an update costs that many, so a smaller bucket could never admit one, not 0."},
		{"burst", types.Float64Value(4.5), "not 4.5."},
		{"burst", types.Float64Value(5), ""},
		{"burst", types.Float64Null(), ""},
		{"burst", types.Float64Unknown(), ""},
		{"per_second", types.Float64Value(0.05), "rate_limit.per_second must be at least 0.1 tokens per second, not 0.05."},
		{"per_second", types.Float64Value(0.1), ""},
	} {
		got := validate(tc.attr, tc.v)
		switch {
		case tc.want == "" && len(got) > 0:
			t.Errorf("%s = %v: unexpected %q", tc.attr, tc.v, got)
		case tc.want != "" && (len(got) != 1 || !strings.Contains(got[0], tc.want)):
			t.Errorf("%s = %v: got %q, want one error containing %q", tc.attr, tc.v, got, tc.want)
		}
		for _, g := range got {
			if strings.Contains(g, "000000") {
				t.Errorf("%s: %q writes a number with padding zeros", tc.attr, g)
			}
		}
	}
}
