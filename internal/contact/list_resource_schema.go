package contact

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// listConfigModel is the `config` block of a qomon_contact list block: the filters of the
// qomon_contacts data source, and its any_of alternatives.
type listConfigModel struct {
	filterModel
	AnyOf types.List `tfsdk:"any_of"` // of filterModel
}

// anyOfAttr is the one attribute beyond filterAttributes that the list resource takes from the
// data source: the alternatives, built of the same filters.
const anyOfAttr = "any_of"

// listFilterNames are the attributes of the list resource's configuration, in a fixed order.
func listFilterNames() []string {
	names := []string{anyOfAttr}
	for name := range filterAttributes() {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// listConfigSchema is the schema of the list block's `config`. Its attributes are the data
// source's own (descriptions, validators and all), converted to the list schema's types, so that
// `terraform query` and the qomon_contacts data source offer the same filters with the same
// meaning: a filter is declared once, in filterAttributes.
func listConfigSchema(ctx context.Context) (listschema.Schema, error) {
	var ds datasource.SchemaResponse
	(&contactsDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &ds)
	if ds.Diagnostics.HasError() {
		return listschema.Schema{}, fmt.Errorf("the qomon_contacts schema: %v", ds.Diagnostics)
	}
	attrs := map[string]listschema.Attribute{}
	for _, name := range listFilterNames() {
		a, err := listAttribute(ds.Schema.Attributes[name])
		if err != nil {
			return listschema.Schema{}, fmt.Errorf("%s: %w", name, err)
		}
		attrs[name] = a
	}
	return listschema.Schema{
		MarkdownDescription: "Lists the contacts of the Qomon space for `terraform query` (Terraform 1.14 and later), " +
			"with the filters of the `qomon_contacts` data source, so that they can be imported into `qomon_contact` " +
			"resources. Each result is a contact's identity (its id) and its name with a masked e-mail address; " +
			"with `include_resource = true`, also the contact's attributes exactly as an import would read them.",
		Attributes: attrs,
	}, nil
}

// listAttribute converts a data source attribute into the list schema's type. Only what a
// filter can be is supported: a list configuration is all input, so nothing is computed or
// sensitive there.
func listAttribute(a dsschema.Attribute) (listschema.Attribute, error) {
	if a == nil {
		return nil, fmt.Errorf("not in the qomon_contacts schema")
	}
	if a.IsComputed() || a.IsSensitive() {
		return nil, fmt.Errorf("a computed or sensitive attribute cannot be a filter")
	}
	switch a := a.(type) {
	case dsschema.StringAttribute:
		return listschema.StringAttribute{CustomType: a.CustomType, Required: a.Required, Optional: a.Optional,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription,
			DeprecationMessage: a.DeprecationMessage, Validators: a.Validators}, nil
	case dsschema.BoolAttribute:
		return listschema.BoolAttribute{CustomType: a.CustomType, Required: a.Required, Optional: a.Optional,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription,
			DeprecationMessage: a.DeprecationMessage, Validators: a.Validators}, nil
	case dsschema.Int64Attribute:
		return listschema.Int64Attribute{CustomType: a.CustomType, Required: a.Required, Optional: a.Optional,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription,
			DeprecationMessage: a.DeprecationMessage, Validators: a.Validators}, nil
	case dsschema.ListNestedAttribute:
		nested := map[string]listschema.Attribute{}
		for name, na := range a.NestedObject.Attributes {
			c, err := listAttribute(na)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			nested[name] = c
		}
		return listschema.ListNestedAttribute{
			NestedObject: listschema.NestedAttributeObject{Attributes: nested, CustomType: a.NestedObject.CustomType,
				Validators: a.NestedObject.Validators},
			CustomType: a.CustomType, Required: a.Required, Optional: a.Optional,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription,
			DeprecationMessage: a.DeprecationMessage, Validators: a.Validators,
		}, nil
	}
	return nil, fmt.Errorf("attributes of type %T cannot be list filters yet", a)
}
