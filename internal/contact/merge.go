package contact

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Merge update mode sends only the fields that change, which is right only when the space's
// PATCH merges. Against Qomon's documented PATCH, which replaces the whole contact, every such
// request clears every field it does not carry. Nothing in Qomon's API says which PATCH a space
// has without sending one, so the provider finds out on the first merge PATCH of each process
// (providerdata.PatchCheck):
//
//   - it reads the contact first (1 token, once), sends the PATCH alone — the other updates of
//     the run wait — and compares the answer with what it read: a field the request did not
//     carry that held a value and holds none any more means the space replaces;
//   - then this contact's update is an error that names the cause, state holds what Qomon now
//     holds, and no other PATCH is sent by this process: the other updates fail with "Update
//     not sent" and keep their state;
//   - a field kept means the space merges: the other updates go ahead, in parallel;
//   - a contact that held nothing the request left out cannot tell: the next PATCH is the probe.
//
// So against a replacing Qomon one contact — the probe's — loses the fields the request did not
// carry, once per process. The other way to find out, a scratch contact created, patched and
// deleted first, would cost 11 tokens per process and write a contact into the space that
// people, exports and webhooks would see; the documentation is explicit instead: use merge
// only on a Qomon known to merge.

// patchMerging sends a merge-mode update of contact id under the process's PatchCheck. stop
// reports that Update must return now (diags says why; state is set when Qomon changed).
// Otherwise stored and err are the PATCH's outcome, as UpdateContact gives it, and before is
// the contact as read just before the PATCH, when this PATCH was the probe.
func (r *contactResource) patchMerging(ctx context.Context, client *qomon.Client, id int64, upd reconcile.Update, prior qomon.Contact,
	stateMail string, state *tfsdk.State, diags *diag.Diagnostics,
) (stored, before *qomon.Contact, err error, stop bool) {
	check := &r.Data.Patch
	probe, verdict, culprit, werr := check.Begin(ctx)
	switch {
	case werr != nil:
		diags.AddError("Update not sent", fmt.Sprintf("The operation was interrupted (%s) while this update waited for the first "+
			"merge update of the run to show how this Qomon space's PATCH behaves. Nothing was written to contact %d.", werr, id))
		return nil, nil, nil, true
	case verdict == providerdata.PatchReplaces:
		diags.AddError("Update not sent", notSentDetail(id, culprit))
		return nil, nil, nil, true
	}
	result := providerdata.PatchUnknown
	defer func() { check.End(probe, result, id) }()

	if probe {
		before, err = client.GetContact(ctx, id)
		if is404(err) {
			diags.Append(goneOnUpdate(ctx, client, id, stateMail, err)...)
			return nil, nil, nil, true
		}
		if err != nil {
			diags.Append(apiDiagnostics("Cannot read the contact before updating it", err)...)
			return nil, nil, nil, true
		}
	}
	stored, err = client.UpdateContact(ctx, id, upd.Body)
	if err != nil || !probe {
		return stored, before, err, false
	}
	outcome := reconcile.JudgePatch(reconcile.Canonical(*before), upd.Body, reconcile.Canonical(*stored))
	switch outcome.Semantics {
	case reconcile.Merges:
		result = providerdata.PatchMerges
	case reconcile.Replaces:
		result = providerdata.PatchReplaces
		diags.AddError("Qomon replaced the whole contact", replacedDetail(id, outcome))
		diags.Append(setStateFromRemote(ctx, state, id, *stored, prior)...)
		return nil, nil, nil, true
	}
	return stored, before, nil, false
}

// replacedDetail explains the error of the probe that found a replacing PATCH. It names fields,
// never their values.
func replacedDetail(id int64, o reconcile.PatchOutcome) string {
	return fmt.Sprintf("update_mode = \"merge\" sends only the fields that change, but this Qomon space's PATCH replaces the whole "+
		"contact: contact %d now holds the fields the update sent (%s) and lost %s. Set update_mode = \"replace\" in the provider "+
		"configuration (the default, made for Qomon's documented PATCH) and apply again. No other contact is updated by this run. "+
		"The state now holds what Qomon holds; what contact %d held before is in the state Terraform had before this apply "+
		"(terraform.tfstate.backup, or the previous state version of your backend).",
		id, strings.Join(o.Sent, ", "), strings.Join(o.Lost, ", "), id)
}

// notSentDetail explains the error of an update held back because contact culprit's showed a
// replacing PATCH.
func notSentDetail(id, culprit int64) string {
	return fmt.Sprintf("The update of contact %d showed that this Qomon space's PATCH replaces the whole contact, so update_mode "+
		"= \"merge\" would clear every field an update does not send. This update was not sent: nothing was written to contact %d. "+
		"Set update_mode = \"replace\" in the provider configuration and apply again.", culprit, id)
}
