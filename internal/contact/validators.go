package contact

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
)

// checkValidator runs the registry's plan-time checks (reconcile.Check) of an attribute, and
// reports a failure where Terraform can show it: on the line of the attribute, in words that
// name the part at fault without repeating its value (personal data).
type checkValidator struct {
	checks []reconcile.Check
}

var (
	_ validator.String = checkValidator{}
	_ validator.Int64  = checkValidator{}
	_ validator.Set    = checkValidator{}
)

func (v checkValidator) Description(context.Context) string {
	docs := make([]string, 0, len(v.checks))
	for _, c := range v.checks {
		docs = append(docs, c.Doc)
	}
	return strings.Join(docs, "; ")
}

func (v checkValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v checkValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v.run(req.Path, req.ConfigValue.ValueString(), &resp.Diagnostics)
}

func (v checkValidator) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v.run(req.Path, req.ConfigValue.ValueInt64(), &resp.Diagnostics)
}

// ValidateSet checks every element of a set of text or integers.
func (v checkValidator) ValidateSet(ctx context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, e := range req.ConfigValue.Elements() {
		if e.IsNull() || e.IsUnknown() {
			continue
		}
		var x any
		switch e := e.(type) {
		case basetypes.StringValuable:
			s, _ := e.ToStringValue(ctx)
			x = s.ValueString()
		case basetypes.Int64Valuable:
			n, _ := e.ToInt64Value(ctx)
			x = n.ValueInt64()
		default:
			continue
		}
		v.run(req.Path.AtSetValue(e), x, &resp.Diagnostics)
	}
}

type diagnostics interface {
	AddAttributeError(path.Path, string, string)
}

func (v checkValidator) run(p path.Path, x any, diags diagnostics) {
	for _, c := range v.checks {
		if problem := c.Test(x); problem != "" {
			point, name := locate(p)
			diags.AddAttributeError(point, c.Summary, fmt.Sprintf("%s %s.", name, problem))
			return
		}
	}
}

// locate returns where a diagnostic about p can point, and how to name p in its text.
//
// Terraform shows a diagnostic on the line of the attribute its path names, but it can only
// find a top-level attribute, or one element of a top-level list: a path into an object value
// (address.city, notes[0].content) lands on the resource's first line instead. So the
// diagnostic points at the top-level attribute (or list element) that holds p, and the text
// names p in full. A set element is named without its value, which is personal data.
func locate(p path.Path) (path.Path, string) {
	steps := p.Steps()
	if len(steps) == 0 {
		return p, "the value"
	}
	point := path.Empty()
	var name strings.Builder
	for i, s := range steps {
		switch s := s.(type) {
		case path.PathStepAttributeName:
			if name.Len() > 0 {
				name.WriteByte('.')
			}
			name.WriteString(string(s))
			if i == 0 {
				point = path.Root(string(s))
			}
		case path.PathStepElementKeyInt:
			fmt.Fprintf(&name, "[%d]", int64(s))
			if i == 1 {
				point = point.AtListIndex(int(s))
			}
		case path.PathStepElementKeyString:
			fmt.Fprintf(&name, "[%q]", string(s))
		default:
			// An element of a set: its key is its value.
			return point, elementName(name.String(), steps[i+1:])
		}
	}
	return point, name.String()
}

// elementName names an attribute of an element of a set, or the element itself.
func elementName(set string, rest []path.PathStep) string {
	var attrs []string
	for _, s := range rest {
		if a, ok := s.(path.PathStepAttributeName); ok {
			attrs = append(attrs, string(a))
		}
	}
	if len(attrs) == 0 {
		return "An element of " + set
	}
	return strings.Join(attrs, ".") + " of an element of " + set
}
