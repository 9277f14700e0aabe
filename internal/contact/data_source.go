package contact

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// mailLookupLimit bounds the contacts a lookup by mail fetches: one is the answer, two or more
// is an error that lists them, and ten are enough to list.
const mailLookupLimit = 10

func (d *contactDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs, err := contactDataSourceAttributes()
	if err != nil {
		resp.Diagnostics.AddError("Invalid qomon_contact schema", err.Error()+". This is a bug in the provider, please report it.")
		return
	}
	attrs["id"] = schema.Int64Attribute{
		MarkdownDescription: "Qomon's id of the contact. Exactly one of `id` and `mail` must be set.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.Int64{int64validator.AtLeast(1)},
	}
	attrs["mail"] = schema.StringAttribute{
		MarkdownDescription: "E-mail address of the contact. Exactly one of `id` and `mail` must be set. The address " +
			"is matched exactly (Qomon's `eql:strictdata`): `jane@example.org` does not find `jane@example.org.uk`. " +
			"An address written with capitals also finds its all-lower-case form, since Qomon may store addresses in " +
			"lower case. When no contact, or more than one, has the address, the lookup fails and says what it found.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{checkValidator{checks: []reconcile.Check{reconcile.NotBlank, reconcile.IsMail}}},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one Qomon contact, by its id or by its exact e-mail address, and exposes every " +
			"attribute of the `qomon_contact` resource.\n\n" +
			"Use it to reference a contact Terraform does not manage, or to check a contact before adopting it with " +
			"an `import` block. To find several contacts, use `qomon_contacts`.",
		Attributes: attrs,
	}
}

func (d *contactDataSource) ConfigValidators(_ context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("mail")),
	}
}

func (d *contactDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg struct {
		ID   types.Int64  `tfsdk:"id"`
		Mail types.String `tfsdk:"mail"`
	}
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &cfg.ID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("mail"), &cfg.Mail)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.Data.ClientFor("reading qomon_contact", &resp.Diagnostics)
	if client == nil {
		return
	}

	id := cfg.ID.ValueInt64()
	if !cfg.Mail.IsNull() {
		var diags diag.Diagnostics
		id, diags = d.idByMail(ctx, cfg.Mail.ValueString())
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	// A lookup by mail reads the contact again by id: a search answer may carry less than a
	// GET (and is served from an index that lags writes), and both lookups must give the same.
	remote, err := client.GetContact(ctx, id)
	if qomon.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Qomon contact not found",
			fmt.Sprintf("No contact with id %d exists in this Qomon space (it may have been deleted).", id))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiDiagnostics(fmt.Sprintf("Cannot read contact %d", id), err)...)
		return
	}
	obj := reconcile.ObjectOf(reconcile.Canonical(*remote))
	if obj["id"] == nil {
		obj["id"] = id // an answer without its id is still the contact asked for
	}
	if !cfg.Mail.IsNull() {
		// Terraform requires a configured argument to come back as configured. The search was
		// exact, so Qomon's copy is the same unless someone edited it since that very search.
		obj["mail"] = cfg.Mail.ValueString()
	}
	resp.Diagnostics.Append(setRaw(&resp.State.Raw, resp.State.Schema.Type().TerraformType(ctx), obj)...)
}

// idByMail finds the id of the one contact whose address is mail. The diagnostics never repeat
// the address itself (personal data); the user knows what they configured.
func (d *contactDataSource) idByMail(ctx context.Context, mail string) (int64, diag.Diagnostics) {
	var diags diag.Diagnostics
	found, err := d.Data.Client.SearchContacts(ctx, qomon.MailSearch(mail, mailLookupLimit))
	if err != nil {
		diags.Append(apiDiagnostics("Cannot search Qomon contacts by e-mail address", err)...)
		return 0, diags
	}
	// Qomon's strictdata match is exact; the check here keeps "exact" true even if a server
	// answered a wider match (a prefix, another address sharing a token). Case and Unicode form
	// aside: the search also asked for the lower-case form of the address, and for both forms of
	// its accents (reconcile.Mail compares addresses the same way).
	var hits []qomon.Contact
	for _, c := range found.Contacts {
		if got, ok := c.Mail.Get(); ok && reconcile.Mail.Same(got, mail) {
			hits = append(hits, c)
		}
	}
	switch {
	case len(hits) == 1:
		id, ok := hits[0].ID.Get()
		if !ok {
			diags.AddError("Qomon answered a contact without id", "The search by e-mail address found a contact, but Qomon's answer has no id.")
		}
		return id, diags
	case len(hits) > 1:
		more := ""
		if found.Truncated {
			more = " and more"
		}
		diags.AddAttributeError(path.Root("mail"), "Several Qomon contacts have this e-mail address",
			fmt.Sprintf("An exact search on mail found %d contacts%s%s. qomon_contact needs exactly one: set id instead "+
				"of mail, or use qomon_contacts to read them all.", len(hits), more, idList(hits)))
		return 0, diags
	}

	detail := "An exact search on mail (the address as written, or in lower case; accented letters composed or not) found no " +
		"contact with the address set in mail."
	if others := d.caseVariants(ctx, mail); len(others) > 0 {
		detail += fmt.Sprintf(" Contact(s) %s hold the same address written with other capitals: write it as Qomon "+
			"holds it, or set id instead.", strings.Join(others, ", "))
	}
	diags.AddAttributeError(path.Root("mail"), "Qomon contact not found", detail)
	return 0, diags
}

// caseVariants returns the ids of contacts whose address equals mail but for case, so that a
// failed exact lookup can say why. It is best effort: an error here only loses the hint.
func (d *contactDataSource) caseVariants(ctx context.Context, mail string) []string {
	found, err := d.Data.Client.SearchContacts(ctx, qomon.MailLooseSearch(mail, 2*mailLookupLimit))
	if err != nil {
		return nil
	}
	var ids []string
	for _, c := range found.Contacts {
		got, ok := c.Mail.Get()
		id, hasID := c.ID.Get()
		if ok && hasID && got != mail && got != strings.ToLower(mail) && reconcile.Mail.Same(got, mail) {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
	}
	return ids
}
