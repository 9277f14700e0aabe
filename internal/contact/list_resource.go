package contact

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// The qomon_contact list resource: what `terraform query` (Terraform 1.14 and later) calls to
// find contacts to adopt. A list block runs one search with the filters of qomon_contacts,
// through the same client (so the same pacing: one rate-limit token per page of up to 1000
// contacts) and returns each contact's identity and display name. With include_resource it
// also returns the contact's attributes, from a GET per contact: nothing proves that a search
// hit carries every field a GET does, and `-generate-config-out` writes those attributes as
// the configuration that must then plan no change against what an import reads.
// https://developer.hashicorp.com/terraform/plugin/framework/list-resources

func (l *contactListResource) ListResourceConfigSchema(ctx context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	s, err := listConfigSchema(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Invalid qomon_contact list schema", err.Error()+". This is a bug in the provider, please report it.")
		return
	}
	resp.Schema = s
}

// List streams the contacts the search finds. Nothing is requested until Terraform reads the
// stream, and nothing more once it stops reading. Every failure is a diagnostic in the stream,
// after which the stream ends.
func (l *contactListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	stream.Results = func(push func(list.ListResult) bool) {
		fail := func(diags diag.Diagnostics) { push(list.ListResult{Diagnostics: diags}) }
		var diags diag.Diagnostics
		client := l.Data.ClientFor("listing qomon_contact", &diags)
		if client == nil {
			fail(diags)
			return
		}
		sreq, diags := listSearch(ctx, req)
		if diags.HasError() {
			fail(diags)
			return
		}
		found, err := client.SearchContacts(ctx, sreq)
		if err != nil {
			fail(apiDiagnostics("Cannot search Qomon contacts", err))
			return
		}
		tflog.Debug(ctx, "listed Qomon contacts", map[string]any{
			"contacts": len(found.Contacts), "pages": found.Pages, "truncated": found.Truncated,
		})
		if found.Truncated {
			var warn diag.Diagnostics
			warn.AddWarning("More contacts match",
				fmt.Sprintf("More than %d contacts match this list block: only the first %d are listed. Raise its limit, or "+
					"narrow the filters and adopt the contacts in several parts.", sreq.Limit, sreq.Limit))
			if !push(list.ListResult{Diagnostics: warn}) {
				return
			}
		}
		for _, hit := range found.Contacts {
			result, ok := l.result(ctx, client, req, hit)
			if !ok {
				continue
			}
			if !push(result) || result.Diagnostics.HasError() {
				return
			}
		}
	}
}

// listSearch builds the search of a list block: its filters, and its limit as the most contacts
// to return.
func listSearch(ctx context.Context, req list.ListRequest) (qomon.SearchRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !req.Config.Raw.IsFullyKnown() {
		// A filter unknown at this point would be no filter at all, and list every contact.
		diags.AddError("Filters not known", "Every filter of a qomon_contact list block must be known when the query runs.")
		return qomon.SearchRequest{}, diags
	}
	var cfg listConfigModel
	diags.Append(req.Config.Get(ctx, &cfg)...)
	if diags.HasError() {
		return qomon.SearchRequest{}, diags
	}
	limit := int(req.Limit)
	if limit <= 0 {
		limit = qomon.DefaultSearchLimit
	}
	search := qomon.ContactSearch{Filter: cfg.filter(), MaxResults: limit}
	search.AnyOf, diags = anyOfFilters(ctx, cfg.AnyOf)
	if diags.HasError() {
		return qomon.SearchRequest{}, diags
	}
	sreq, err := qomon.BuildSearch(search)
	if err != nil {
		diags.AddError("Invalid qomon_contact list configuration", searchErrorText(err))
	}
	return sreq, diags
}

// anyOfFilters reads an any_of list of filters (qomon_contacts, and the list resource).
func anyOfFilters(ctx context.Context, anyOf types.List) ([]qomon.ContactFilter, diag.Diagnostics) {
	if anyOf.IsNull() || anyOf.IsUnknown() {
		return nil, nil
	}
	var alts []filterModel
	diags := anyOf.ElementsAs(ctx, &alts, false)
	out := make([]qomon.ContactFilter, 0, len(alts))
	for _, a := range alts {
		out = append(out, a.filter())
	}
	return out, diags
}

// result is one contact of the stream. ok is false for a contact to leave out: with
// include_resource, one that Qomon says no longer exists (deleted since the search, whose
// index lags by seconds). A failed read is a result that carries the error.
func (l *contactListResource) result(ctx context.Context, client *qomon.Client, req list.ListRequest, hit qomon.Contact) (result list.ListResult, ok bool) {
	result = req.NewListResult(ctx)
	id, _ := hit.ID.Get()
	result.DisplayName = displayName(hit)
	result.Diagnostics.Append(setIdentity(ctx, result.Identity, id)...)
	if !req.IncludeResource || result.Diagnostics.HasError() {
		return result, true
	}
	remote, err := client.GetContact(ctx, id)
	switch {
	case qomon.IsNotFound(err):
		tflog.Debug(ctx, "listed Qomon contact no longer exists", map[string]any{"contact_id": id})
		return result, false
	case err != nil:
		return list.ListResult{Diagnostics: apiDiagnostics(fmt.Sprintf("Cannot read contact %d", id), err)}, true
	}
	result.Diagnostics.Append(importedObject(ctx, result.Resource, id, *remote)...)
	return result, true
}

// importedObject writes into res what Read puts in state right after an import of contact id:
// the state an import leaves holds the id alone, and Read turns it into the contact as Qomon
// holds it (setStateFromRemote). The tests compare the two through the provider's RPCs.
func importedObject(ctx context.Context, res *tfsdk.Resource, id int64, remote qomon.Contact) diag.Diagnostics {
	state := tfsdk.State{Schema: res.Schema, Raw: res.Raw}
	diags := setStateFromRemote(ctx, &state, id, remote, reconcile.ContactOf(reconcile.Object{"id": id}))
	res.Raw = state.Raw
	return diags
}
