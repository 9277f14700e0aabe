package contact

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// contactsModel is the qomon_contacts configuration and state.
type contactsModel struct {
	filterModel

	AnyOf         types.List   `tfsdk:"any_of"` // of filterModel
	SortBy        types.String `tfsdk:"sort_by"`
	SortAscending types.Bool   `tfsdk:"sort_ascending"`
	MaxResults    types.Int64  `tfsdk:"max_results"`
	PageSize      types.Int64  `tfsdk:"page_size"`

	IDs       types.List `tfsdk:"ids"`      // of int64
	Contacts  types.List `tfsdk:"contacts"` // of contact objects (reconcile.ObjectOf)
	Truncated types.Bool `tfsdk:"truncated"`
}

func (d *contactsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	contact, err := contactDataSourceAttributes()
	if err != nil {
		resp.Diagnostics.AddError("Invalid qomon_contacts schema", err.Error()+". This is a bug in the provider, please report it.")
		return
	}
	attrs := filterAttributes()
	attrs["any_of"] = schema.ListNestedAttribute{
		MarkdownDescription: "Alternatives: a contact must also match at least one element of `any_of` (each element's " +
			"filters combined with AND). For example `any_of = [{ city = \"Lyon\" }, { tag = \"donor\" }]` adds " +
			"\"in Lyon, or tagged donor\" to the other filters. An empty list (`any_of = []`, from a variable that may " +
			"hold no alternative) adds no filter, as if `any_of` were left out.",
		Optional: true,
		NestedObject: schema.NestedAttributeObject{
			Attributes: filterAttributes(),
			Validators: []validator.Object{filterNotEmpty{}},
		},
	}
	attrs["sort_by"] = schema.StringAttribute{
		MarkdownDescription: "Order of the contacts: one of " + quotedList(qomon.SortKeys()) + ". Without it, Qomon's own order.",
		Optional:            true,
		Validators:          []validator.String{stringvalidator.OneOf(qomon.SortKeys()...)},
	}
	attrs["sort_ascending"] = schema.BoolAttribute{
		MarkdownDescription: "Sort in ascending order. Defaults to `false` (descending), as Qomon does.",
		Optional:            true,
	}
	attrs["max_results"] = schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("The most contacts to return. Defaults to `%d`. When more contacts match, the first "+
			"`max_results` are returned, `truncated` is `true` and a warning says so. The bound keeps a broad search on a "+
			"large space from pulling every contact into the state; raise it knowingly.", qomon.DefaultSearchLimit),
		Optional:   true,
		Validators: []validator.Int64{int64validator.AtLeast(1)},
	}
	attrs["page_size"] = schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("How many contacts to ask Qomon for per request, `1` to `%d` (the default). "+
			"Every page costs one rate-limit token; there is rarely a reason to lower it.", qomon.MaxPerPage),
		Optional:   true,
		Validators: []validator.Int64{int64validator.Between(1, qomon.MaxPerPage)},
	}
	attrs["ids"] = schema.ListAttribute{
		MarkdownDescription: "Ids of the contacts found, in the order of `contacts`.",
		ElementType:         types.Int64Type,
		Computed:            true,
	}
	attrs["contacts"] = schema.ListNestedAttribute{
		MarkdownDescription: "The contacts found, each with the attributes of the `qomon_contact` resource, as Qomon's " +
			"search returns them.",
		Computed:     true,
		NestedObject: schema.NestedAttributeObject{Attributes: contact},
	}
	attrs["truncated"] = schema.BoolAttribute{
		MarkdownDescription: "Whether more contacts matched than `max_results` allowed.",
		Computed:            true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds Qomon contacts with typed filters, combined with AND, and optional `any_of` " +
			"alternatives for OR. Every text filter is an exact match. The search reads every page of results (up to " +
			"`max_results` contacts), and exposes the contacts with the attributes of the `qomon_contact` resource.\n\n" +
			"With no filter at all, it returns the first `max_results` contacts of the space. Qomon's search index " +
			"follows writes with a delay of a few seconds: a contact created or changed in the same apply may not be " +
			"found yet.\n\n" +
			"Use it to reference existing contacts, or to adopt them into Terraform with `import` blocks (see the " +
			"adoption example).",
		Attributes: attrs,
	}
}

func (d *contactsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg contactsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.Data.ClientFor("reading qomon_contacts", &resp.Diagnostics)
	if client == nil {
		return
	}

	search := qomon.ContactSearch{
		Filter:        cfg.filter(),
		SortBy:        cfg.SortBy.ValueString(),
		SortAscending: cfg.SortAscending.ValueBool(),
		MaxResults:    int(cfg.MaxResults.ValueInt64()),
		PageSize:      int(cfg.PageSize.ValueInt64()),
	}
	anyOf, diags := anyOfFilters(ctx, cfg.AnyOf)
	resp.Diagnostics.Append(diags...)
	search.AnyOf = anyOf
	if resp.Diagnostics.HasError() {
		return
	}
	sreq, err := qomon.BuildSearch(search)
	if err != nil {
		resp.Diagnostics.AddError("Invalid qomon_contacts search", searchErrorText(err))
		return
	}

	found, err := client.SearchContacts(ctx, sreq)
	if err != nil {
		resp.Diagnostics.Append(apiDiagnostics("Cannot search Qomon contacts", err)...)
		return
	}
	tflog.Debug(ctx, "searched Qomon contacts", map[string]any{
		"contacts": len(found.Contacts), "pages": found.Pages, "truncated": found.Truncated,
	})
	if found.Truncated {
		resp.Diagnostics.AddAttributeWarning(path.Root("max_results"), "Search result truncated",
			fmt.Sprintf("More than %d contacts match this search: only the first %d are in contacts and ids. Narrow the "+
				"filters, or raise max_results if you mean to read them all.", sreq.Limit, sreq.Limit))
	}

	state := cfg
	state.Truncated = types.BoolValue(found.Truncated)
	ids := make([]attr.Value, 0, len(found.Contacts))
	contacts := make([]reconcile.Value, 0, len(found.Contacts))
	for _, c := range found.Contacts {
		obj := reconcile.ObjectOf(reconcile.Canonical(c))
		id, _ := obj["id"].(int64)
		ids = append(ids, types.Int64Value(id))
		contacts = append(contacts, obj)
	}
	list, diags := types.ListValue(types.Int64Type, ids)
	resp.Diagnostics.Append(diags...)
	state.IDs = list
	contactsType, diags := resp.State.Schema.TypeAtPath(ctx, path.Root("contacts"))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	v, err := terraformValue(ctx, contacts, contactsType)
	if err != nil {
		resp.Diagnostics.AddError("Cannot build the search result", err.Error()+". This is a bug in the provider, please report it.")
		return
	}
	if state.Contacts, diags = v.(basetypes.ListValuable).ToListValue(ctx); diags.HasError() {
		resp.Diagnostics.Append(diags...)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// quotedList renders values as `a`, `b` for Markdown documentation.
func quotedList(values []string) string {
	out := ""
	for i, v := range values {
		if i > 0 {
			out += ", "
		}
		out += "`" + v + "`"
	}
	return out
}

// searchErrorText words an error of qomon.BuildSearch with the data source's attribute names.
// The validators catch these values at plan time; this is for values only known at apply time.
func searchErrorText(err error) string {
	var fe *qomon.SearchErrorField
	if !errors.As(err, &fe) {
		return err.Error()
	}
	name := map[string]string{
		"PageSize": "page_size", "MaxResults": "max_results", "SortBy": "sort_by", "UpdatedSince": "updated_since",
	}[fe.Field]
	if fe.AnyOf >= 0 {
		name = strings.TrimSuffix(fmt.Sprintf("any_of[%d].%s", fe.AnyOf, name), ".")
	}
	return name + ": " + fe.Err.Error()
}
