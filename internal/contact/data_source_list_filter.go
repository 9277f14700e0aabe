package contact

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// filterModel is one set of qomon_contacts filters: the top level of the data source, or one
// element of its any_of. Its fields are qomon.ContactFilter's, tagged with the attribute names,
// so that a filter read from Terraform is the client's filter as it is (filter), and a filter the
// client gains does not compile here until the data source offers it. A filter left out is nil.
// No value is unknown here: Terraform reads a data source only once its configuration is known,
// and listSearch refuses a list block whose filters are not.
type filterModel struct {
	Mail         *string `tfsdk:"mail"`
	Surname      *string `tfsdk:"surname"`
	Firstname    *string `tfsdk:"firstname"`
	Tag          *string `tfsdk:"tag"`
	City         *string `tfsdk:"city"`
	PostalCode   *string `tfsdk:"postalcode"`
	UpdatedSince *string `tfsdk:"updated_since"`
	BlackListed  *bool   `tfsdk:"black_listed"`
}

// filterAttributes are the filters of qomon_contacts, each documented with the Qomon condition
// it becomes (qomon.BuildSearch), so that nobody has to guess what "exact" means.
func filterAttributes() map[string]schema.Attribute {
	text := func(desc string, validators ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: desc,
			Optional:            true,
			Validators:          append([]validator.String{checkValidator{checks: []reconcile.Check{reconcile.NotBlank}}}, validators...),
		}
	}
	return map[string]schema.Attribute{
		"mail": text("Contacts with this e-mail address, matched exactly (Qomon's `eql:strictdata`): `jane@example.org` "+
			"does not find `jane@example.org.uk`. An address written with capitals also finds its all-lower-case form.",
			checkValidator{checks: []reconcile.Check{reconcile.IsMail}}),
		"surname":    text("Contacts with exactly this surname, case included (`eql:strictdata`): `Mar` does not find `Martin`."),
		"firstname":  text("Contacts with exactly this first name, case included (`eql:strictdata`)."),
		"tag":        text("Contacts carrying the tag of exactly this name (`tags.name`, `eql:strictdata`)."),
		"city":       text("Contacts whose address is in exactly this city, case included (`address.city`, `eql:strictdata`): `Test` does not find `Testville`."),
		"postalcode": text("Contacts whose address has exactly this postal code (`address.postalcode`, `eql:strictdata`)."),
		"updated_since": text("Contacts written (by anyone) at or after this time (`UpdatedAt gte`): an RFC 3339 timestamp "+
			"(`2026-05-01T08:00:00Z`), a date (`2026-05-01`, midnight UTC), or Qomon date math evaluated by Qomon in UTC "+
			"when the search runs (`now-7d`, `now-1d/d` for since the start of yesterday, `now-12h`).",
			sinceValidator{}),
		"black_listed": schema.BoolAttribute{
			MarkdownDescription: "`true`: only black-listed contacts (`black_list eql true`); `false`: only contacts that " +
				"are not, including those whose flag was never set (`black_list not_eql true`).",
			Optional: true,
		},
	}
}

// filter returns the filters that are set, for qomon.BuildSearch.
func (m filterModel) filter() qomon.ContactFilter { return qomon.ContactFilter(m) }

// filterNotEmpty refuses an any_of element that sets no filter: it would match every contact
// and make the whole any_of pointless, which is never what was meant.
type filterNotEmpty struct{}

var _ validator.Object = filterNotEmpty{}

func (filterNotEmpty) Description(context.Context) string { return "must set at least one filter" }

func (v filterNotEmpty) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (filterNotEmpty) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, v := range req.ConfigValue.Attributes() {
		if !v.IsNull() {
			return // set, or unknown until apply: either way not empty
		}
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Empty any_of element",
		fmt.Sprintf("%s sets no filter, so it would match every contact and void the whole any_of. Set at least one of "+
			"mail, surname, firstname, tag, city, postalcode, updated_since, black_listed.", req.Path))
}

// sinceValidator reports a malformed updated_since at plan time, on the attribute.
type sinceValidator struct{}

var _ validator.String = sinceValidator{}

func (sinceValidator) Description(context.Context) string {
	return "must be an RFC 3339 timestamp, a YYYY-MM-DD date or Qomon date math such as now-7d"
}

func (v sinceValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (sinceValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := qomon.ParseSince(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid updated_since", "updated_since: "+err.Error())
	}
}
