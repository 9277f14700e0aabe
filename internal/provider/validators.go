package provider

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// atLeast refuses a number below least, saying why in words and writing numbers as people do
// (float64validator.AtLeast writes 5 as "5.000000").
func atLeast(least float64, why string) validator.Float64 {
	return atLeastValidator{least: least, why: why}
}

type atLeastValidator struct {
	least float64
	why   string
}

func (v atLeastValidator) Description(context.Context) string {
	return fmt.Sprintf("must be at least %s %s", number(v.least), v.why)
}

func (v atLeastValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v atLeastValidator) ValidateFloat64(ctx context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if got := req.ConfigValue.ValueFloat64(); got < v.least {
		resp.Diagnostics.AddAttributeError(req.Path, "Value too small",
			fmt.Sprintf("%s %s, not %s.", req.Path, v.Description(ctx), number(got)))
	}
}

// number writes f in its shortest exact form: 5, 0.1, 2.5.
func number(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
