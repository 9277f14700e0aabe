// Package form is the qomon_form data source: it turns a form's type and label into the ids a
// contact's formdatas and custom_fields need, so configurations never hard-code numeric ids.
package form

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

var (
	_ datasource.DataSourceWithConfigure        = (*dataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*dataSource)(nil)
)

// NewDataSource returns the qomon_form data source.
func NewDataSource() datasource.DataSource {
	return &dataSource{DataSource: providerdata.DataSource{TypeName: "form"}}
}

type dataSource struct {
	providerdata.DataSource
}

// formLister lists the forms of one family.
type formLister interface {
	Forms(ctx context.Context, formType string) ([]qomon.Form, error)
}

// dataSourceModel is the qomon_form configuration and state.
type dataSourceModel struct {
	Type      types.String `tfsdk:"type"`
	Label     types.String `tfsdk:"label"`
	ID        types.Int64  `tfsdk:"id"`
	InputType types.String `tfsdk:"input_type"`
	Section   types.String `tfsdk:"section"`
	Hidden    types.Bool   `tfsdk:"hidden"`
	Mandatory types.Bool   `tfsdk:"mandatory"`
	Options   types.Map    `tfsdk:"options"`
	Values    types.List   `tfsdk:"values"`
}

// valueAttrTypes is the shape of one element of values.
var valueAttrTypes = map[string]attr.Type{
	"id":    types.Int64Type,
	"label": types.StringType,
	"value": types.StringType,
}

func (d *dataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg dataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.Data.ClientFor("reading qomon_form", &resp.Diagnostics) == nil {
		return
	}
	catalogue := d.Data.Forms()

	formType := cfg.Type.ValueString()
	forms, err := catalogue.Forms(ctx, formType)
	if err != nil {
		resp.Diagnostics.AddError("Could not list Qomon forms", fmt.Sprintf("Listing the forms of type %q failed: %s", formType, err))
		return
	}

	var found qomon.Form
	if !cfg.ID.IsNull() {
		found, err = findByID(forms, formType, cfg.ID.ValueInt64())
		if err != nil {
			err = withOtherType(ctx, catalogue, err, formType, cfg.ID.ValueInt64())
		}
	} else {
		found, err = findByLabel(forms, formType, cfg.Label.ValueString())
	}
	if err != nil {
		var le *lookupError
		if errors.As(err, &le) {
			resp.Diagnostics.AddError(le.Summary, le.Detail)
		} else {
			resp.Diagnostics.AddError("Qomon form lookup failed", err.Error())
		}
		return
	}

	opts, ambiguous := options(found.RefValues)
	if len(ambiguous) > 0 {
		resp.Diagnostics.AddAttributeWarning(path.Root("options"), "Ambiguous form options left out",
			fmt.Sprintf("In form %q (id %d), these keys name more than one option and are not in options: %s. "+
				"Pick those options from values by id.", found.Label, found.ID, strings.Join(quoteEach(ambiguous), ", ")))
	}

	state := dataSourceModel{
		Type:      cfg.Type,
		Label:     types.StringValue(found.Label),
		ID:        types.Int64Value(found.ID),
		InputType: nullIfEmpty(found.Type),
		Section:   nullIfEmpty(found.Section),
		Hidden:    types.BoolValue(found.Hidden),
		Mandatory: types.BoolValue(found.Mandatory),
	}
	optValues := make(map[string]attr.Value, len(opts))
	for k, id := range opts {
		optValues[k] = types.Int64Value(id)
	}
	m, diags := types.MapValue(types.Int64Type, optValues)
	resp.Diagnostics.Append(diags...)
	state.Options = m

	elems := make([]attr.Value, 0, len(found.RefValues))
	for _, r := range found.RefValues {
		obj, diags := types.ObjectValue(valueAttrTypes, map[string]attr.Value{
			"id":    types.Int64Value(r.ID),
			"label": types.StringValue(r.Label),
			"value": types.StringValue(r.Value),
		})
		resp.Diagnostics.Append(diags...)
		elems = append(elems, obj)
	}
	l, diags := types.ListValue(types.ObjectType{AttrTypes: valueAttrTypes}, elems)
	resp.Diagnostics.Append(diags...)
	state.Values = l
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// quoteEach quotes strings for a message, so that a key with spaces or an empty one stays visible.
func quoteEach(ss []string) []string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return q
}

// nullIfEmpty reads Qomon's absent or empty text as no value.
func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
