package contact

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

func (r *contactResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema()
}

// client returns the configured client, or an error diagnostic when the provider has not been
// configured (Terraform calls some methods before configuring providers it cannot configure yet).
func (r *contactResource) client(diags *diag.Diagnostics) *qomon.Client {
	return r.Data.ClientFor("this contact was used", diags)
}

func (r *contactResource) updateMode() providerdata.UpdateMode {
	if r.Data == nil || r.Data.UpdateMode == "" {
		return providerdata.UpdateModeReplace
	}
	return r.Data.UpdateMode
}

// ModifyPlan decides the plan (reconcile.PlanCreate, reconcile.PlanUpdate): ownership, values
// that mean the same as state, and which computed values become unknown. A destroy keeps the
// plan Terraform proposes.
func (r *contactResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	if raw, ok := r.plan(ctx, req.Config.Raw, req.Plan.Raw, req.State.Raw, req.Private, &resp.Diagnostics); ok {
		resp.Plan.Raw = raw
	}
}

// plan is ModifyPlan's plan over the raw configuration, proposed plan and prior state (null
// for a create) and the prior private state; ok is false when diags hold an error. QuickPlan
// (quickplan.go) plans with it too.
func (r *contactResource) plan(ctx context.Context, configRaw, proposedRaw, stateRaw tftypes.Value, private privateGetter, diags *diag.Diagnostics) (planned tftypes.Value, ok bool) {
	proposed := readObject(ctx, diags, proposedRaw)
	config := readObject(ctx, diags, configRaw)
	if diags.HasError() {
		return tftypes.Value{}, false
	}
	config, proposed = r.resolveAnswers(ctx, config, proposed, diags) // answers.go
	if diags.HasError() {
		return tftypes.Value{}, false
	}

	var obj reconcile.Object
	if stateRaw.IsNull() {
		obj = reconcile.PlanCreate(config, proposed)
	} else {
		state := readObject(ctx, diags, stateRaw)
		previous, _, d := loadManaged(ctx, private)
		diags.Append(d...)
		if diags.HasError() {
			return tftypes.Value{}, false
		}
		obj = reconcile.PlanUpdate(state, config, proposed, previous)
	}
	raw, err := rawValue(obj, quickTypes().state)
	if err != nil {
		diags.AddError("Cannot build the plan", err.Error()+". This is a bug in the provider, please report it.")
		return tftypes.Value{}, false
	}
	return raw, true
}

func (r *contactResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	client := r.client(&resp.Diagnostics)
	plan := readObject(ctx, &resp.Diagnostics, req.Plan.Raw)
	if resp.Diagnostics.HasError() || client == nil {
		return
	}
	planned := reconcile.ContactOf(plan)

	body := reconcile.CreateBody(planned)
	var created *qomon.Contact
	for sent := 1; ; sent++ {
		var err error
		created, err = client.CreateContact(ctx, body)
		if err == nil {
			break
		}
		if !qomon.IsOutcomeUnknown(err) {
			resp.Diagnostics.Append(apiDiagnostics("Cannot create the contact", err)...)
			return
		}
		var found diag.Diagnostics
		created, found = r.findLostCreate(ctx, client, planned, err)
		resp.Diagnostics.Append(found...)
		if created != nil || resp.Diagnostics.HasError() {
			break
		}
		// Searched long enough to outlast the index lag and found nothing: Qomon did not store
		// it, and sending it again is what the user asked for, within the max_retries budget.
		// Not after Ctrl-C, though: the user asked to stop.
		if sent > client.MaxRetries() || ctx.Err() != nil {
			resp.Diagnostics.AddError("Contact may have been created", lostCreateDetail(err, sent, ctx.Err()))
			return
		}
		resp.Diagnostics.AddWarning("Contact sent again",
			fmt.Sprintf("The answer to the create request was lost (%s). A search by the configured e-mail address, repeated for %s "+
				"to outlast Qomon's search index lag, found no contact with the values sent, so Qomon had not stored it and the "+
				"provider sent it again. If Qomon's index lagged longer than that, a second copy may exist: a search for the "+
				"e-mail address in Qomon shows it.", lostAnswer(err), r.lostCreateSearchWindow()))
	}
	if resp.Diagnostics.HasError() {
		return
	}
	tflog.Debug(ctx, "created Qomon contact", map[string]any{"contact_id": created.ID.Value})

	settle(ctx, plan, planned, *created, &resp.State, &resp.Diagnostics)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, created.ID.Value)...)
	resp.Diagnostics.Append(recordManaged(ctx, req.Config, resp.Private)...)
	resp.Diagnostics.Append(r.wrote(ctx, created.ID.Value, *created, resp.State, resp.Private)...)
	if diff := reconcile.Differences(planned, reconcile.Canonical(*created), nil); len(diff) > 0 {
		resp.Diagnostics.AddWarning("Qomon stored some values differently", storedDifferentlyDetail(diff))
	}
}

// findLostCreate handles a create whose answer was lost: Qomon may or may not have created the
// contact, and sending it again could create a twin. If the configuration has an e-mail address,
// an exact search finds the contact when it exists; exactly one match with the values sent is
// adopted and returned. Neither a contact nor an error means that the searches, spread over
// lostCreateSearchWindow, found no match at all: the caller may then send the contact again.
// Anything else is an error with instructions.
func (r *contactResource) findLostCreate(ctx context.Context, client *qomon.Client, planned qomon.Contact, cause error) (found *qomon.Contact, diags diag.Diagnostics) {
	ctx, cancel := recoveryContext(ctx)
	defer cancel()
	mail, ok := planned.Mail.Get()
	if !ok {
		diags.AddError("Contact may have been created",
			fmt.Sprintf("The answer to the create request was lost (%s), so Qomon may or may not have created the contact, "+
				"and this configuration sets no e-mail address to look it up by. Look for the contact in Qomon: if it exists, "+
				"import it with `terraform import <address> <id>`; if not, apply again.", cause))
		return nil, diags
	}
	// Qomon's search index lags writes by a few seconds: look more than once before concluding
	// that the contact is not there.
	var matches []qomon.Contact
	for attempt := 0; attempt < lostCreateSearches; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				diags.AddError("Contact may have been created", ctx.Err().Error())
				return nil, diags
			case <-time.After(r.searchDelay() * time.Duration(attempt)):
			}
		}
		res, err := client.SearchContacts(ctx, qomon.MailSearch(mail, 10))
		if err != nil {
			diags.AddError("Contact may have been created",
				fmt.Sprintf("The answer to the create request was lost (%s), and searching Qomon for the contact failed too: %s. "+
					"Look for the contact in Qomon: if it exists, import it with `terraform import <address> mail:<e-mail>`; if not, apply again.", cause, err))
			return nil, diags
		}
		matches = reconcile.MatchLostCreate(planned, res.Contacts)
		if len(matches) > 0 {
			break
		}
	}
	switch len(matches) {
	case 0:
		return nil, nil
	case 1:
	default:
		diags.AddError("Contact may have been created",
			fmt.Sprintf("The answer to the create request was lost (%s). A search by the configured e-mail address found %d contacts "+
				"matching the values sent%s, so the provider cannot tell which one this apply created. Look in Qomon: import the "+
				"right contact with `terraform import <address> <id>` and delete the others if they are copies.", cause, len(matches), idList(matches)))
		return nil, diags
	}
	id, _ := matches[0].ID.Get()
	fresh, err := client.GetContact(ctx, id)
	if err != nil {
		diags.Append(apiDiagnostics("Cannot read the contact found after a lost create answer", err)...)
		return nil, diags
	}
	diags.AddWarning("Adopted an existing contact",
		fmt.Sprintf("The answer to the create request was lost (%s). Contact %d has the configured e-mail address and every value sent, "+
			"so it was taken as the contact this apply created.", lostAnswer(cause), id))
	return fresh, diags
}

// lostCreateDetail explains a create whose answer was lost sent times, each followed by searches
// that found nothing, when it may not be sent again.
func lostCreateDetail(cause error, sent int, cancelled error) string {
	switch {
	case cancelled != nil:
		return fmt.Sprintf("The answer to the create request was lost (%s), and the operation was interrupted (%s). A search by the "+
			"configured e-mail address found no such contact, so it was probably not created, but Qomon's search index may lag: "+
			"look for the contact in Qomon before you apply again, and import it with `terraform import <address> <id>` if it exists.",
			cause, cancelled)
	case sent > 1:
		return fmt.Sprintf("The answers to %d create requests were lost (last: %s), and searches by the configured e-mail address "+
			"found no such contact after any of them (max_retries allows no more). Qomon may be failing: look for the contact in "+
			"Qomon, import it with `terraform import <address> <id>` if it exists, and apply again.", sent, cause)
	default:
		return fmt.Sprintf("The answer to the create request was lost (%s), and searches by the configured e-mail address found "+
			"no such contact; max_retries = 0 forbids sending it again. Look for the contact in Qomon, import it with "+
			"`terraform import <address> <id>` if it exists, and apply again.", cause)
	}
}

// A lost create answer is followed by lostCreateSearches searches, the k-th defaultSearchDelay×k
// after the previous one (0, 2, 6 and 12 s by default): long enough for Qomon's search index,
// which lags writes by seconds, to show a contact that was stored.
const lostCreateSearches = 4

// defaultSearchDelay spaces the searches after a lost create answer.
const defaultSearchDelay = 2 * time.Second

func (r *contactResource) searchDelay() time.Duration {
	if r.Data == nil || r.Data.LostCreateSearchDelay <= 0 {
		return defaultSearchDelay
	}
	return r.Data.LostCreateSearchDelay
}

// lostCreateSearchWindow is how long the searches after a lost create answer span.
func (r *contactResource) lostCreateSearchWindow() time.Duration {
	return r.searchDelay() * time.Duration(lostCreateSearches*(lostCreateSearches-1)/2)
}

// recoveryTimeout bounds the requests that find out what Qomon holds after a write whose answer
// was lost; they run even when Terraform has cancelled the operation (Ctrl-C).
const recoveryTimeout = time.Minute

// recoveryContext is the context of those requests. A write cut short by Ctrl-C (Terraform
// cancels the provider's context, then waits for it) may still have reached Qomon: the requests
// that find out must not die with the operation, or state would not record what Qomon holds
// (for a create, the next apply would make a twin).
func recoveryContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), recoveryTimeout)
}

func (r *contactResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	client := r.client(&resp.Diagnostics)
	if client == nil {
		return
	}
	isImport, diags := importing(ctx, req.Private, resp.Private)
	resp.Diagnostics.Append(diags...)
	// Every read answers an identity: one the sweep finds unchanged, and one that removes a
	// contact Qomon deleted, too.
	stampID, _ := stateStamp(req.State.Raw)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, stampID)...)
	bulk, unchanged := r.startRead(ctx, req, resp, isImport) // refresh.go: the process's sweep
	if unchanged || resp.Diagnostics.HasError() {
		return
	}
	defer bulk.finish(req, resp)
	state := readObject(ctx, &resp.Diagnostics, req.State.Raw)
	if resp.Diagnostics.HasError() {
		return
	}
	id, _ := state["id"].(int64)
	remote, err := client.GetContact(ctx, id)
	if is404(err) { // gone.go: a contact leaves the state only when Qomon confirms it is gone
		remove, diags := goneOnRead(ctx, client, id, stateMail(state), isImport, err)
		resp.Diagnostics.Append(diags...)
		if remove {
			resp.State.RemoveResource(ctx)
		}
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiDiagnostics("Cannot read the contact", err)...)
		return
	}
	resp.Diagnostics.Append(setStateFromRemote(ctx, &resp.State, id, *remote, reconcile.ContactOf(state))...)
	resp.Diagnostics.Append(bulk.got(ctx, resp.Private, *remote)...)
}

// setStateFromRemote writes what Qomon holds into state, in the prior state's spelling wherever
// the values mean the same.
func setStateFromRemote(ctx context.Context, state *tfsdk.State, id int64, remote, prior qomon.Contact) diag.Diagnostics {
	return setRaw(&state.Raw, quickTypes().state, readView(id, remote, prior))
}

// mayHaveApplied reports whether a failed write may still have changed the contact in Qomon:
// anything but a refusal (a 4xx answer, 429 included) may have been processed.
func mayHaveApplied(err error) bool {
	var apiErr *qomon.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 {
		return false
	}
	return true
}

// recoverAfterFailedUpdate reads the contact after a PATCH whose outcome is unknown and puts
// what Qomon holds into state, so that state never claims the prior values of fields the PATCH
// may have changed. When even that read fails, state keeps the prior values and the user is told.
func recoverAfterFailedUpdate(ctx context.Context, client *qomon.Client, id int64, prior qomon.Contact, state *tfsdk.State) diag.Diagnostics {
	rctx, cancel := recoveryContext(ctx)
	defer cancel()
	remote, err := client.GetContact(rctx, id)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddWarning("State may not match Qomon",
			fmt.Sprintf("The update of contact %d may or may not have reached Qomon, and reading the contact back failed too (%s). "+
				"Run plan again: it reads the contact and shows what is left to change.", id, err))
		return diags
	}
	return setStateFromRemote(ctx, state, id, *remote, prior)
}

func (r *contactResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	client := r.client(&resp.Diagnostics)
	plan := readObject(ctx, &resp.Diagnostics, req.Plan.Raw)
	state := readObject(ctx, &resp.Diagnostics, req.State.Raw)
	if resp.Diagnostics.HasError() || client == nil {
		return
	}
	id, _ := state["id"].(int64)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
	prior, planned := reconcile.ContactOf(state), reconcile.ContactOf(plan)
	r.willWrite(id)

	mode := r.updateMode()
	var fresh *qomon.Contact
	if mode == providerdata.UpdateModeReplace {
		var err error
		fresh, err = client.GetContact(ctx, id)
		if is404(err) {
			resp.Diagnostics.Append(goneOnUpdate(ctx, client, id, stateMail(state), err)...)
			return
		}
		if err != nil {
			resp.Diagnostics.Append(apiDiagnostics("Cannot read the contact before updating it", err)...)
			return
		}
	}

	engineMode := reconcile.Replace
	if mode == providerdata.UpdateModeMerge {
		engineMode = reconcile.Merge
	}
	upd, err := reconcile.BuildUpdate(prior, planned, fresh, engineMode)
	var conflict *reconcile.ConflictError
	if errors.As(err, &conflict) {
		// One error, on the first field that changed (Terraform shows its line); the text names
		// them all.
		resp.Diagnostics.AddAttributeError(fieldPath(conflict.Fields[0]), "Contact changed in Qomon",
			conflictDetail(strings.Join(conflict.Fields, ", "), id))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot compute the update", err.Error())
		return
	}
	tflog.Debug(ctx, "updating Qomon contact", map[string]any{"contact_id": id, "mode": string(mode), "changed": upd.Changed})

	var stored *qomon.Contact
	switch {
	case len(upd.Changed) == 0 && fresh != nil:
		stored = fresh
	case len(upd.Changed) == 0:
		stored, err = client.GetContact(ctx, id)
	case mode == providerdata.UpdateModeMerge: // merge.go: the first merge PATCH finds out how Qomon's PATCH behaves
		var stop bool
		if stored, fresh, err, stop = r.patchMerging(ctx, client, id, upd, prior, stateMail(state), &resp.State, &resp.Diagnostics); stop {
			resp.Diagnostics.Append(markMirror(ctx, resp.Private, "")...) // refresh.go: read it with a GET next time
			return
		}
	default:
		stored, err = client.UpdateContact(ctx, id, upd.Body)
	}
	if is404(err) {
		resp.Diagnostics.Append(goneOnUpdate(ctx, client, id, stateMail(state), err)...)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiDiagnostics("Cannot update the contact", err)...)
		if mayHaveApplied(err) {
			resp.Diagnostics.Append(recoverAfterFailedUpdate(ctx, client, id, prior, &resp.State)...)
			resp.Diagnostics.Append(markMirror(ctx, resp.Private, "")...) // refresh.go: read it with a GET next time
		}
		return
	}

	settle(ctx, plan, planned, *stored, &resp.State, &resp.Diagnostics)
	resp.Diagnostics.Append(recordManaged(ctx, req.Config, resp.Private)...)
	resp.Diagnostics.Append(r.wrote(ctx, id, *stored, resp.State, resp.Private)...)

	got := reconcile.Canonical(*stored)
	if diff := reconcile.Differences(planned, got, upd.Changed); len(diff) > 0 {
		resp.Diagnostics.AddWarning("Qomon stored some values differently", storedDifferentlyDetail(diff))
	}
	baseline := prior
	if fresh != nil {
		baseline = reconcile.Canonical(*fresh)
	}
	if lost := reconcile.LostFields(baseline, got, upd.Changed); len(lost) > 0 {
		resp.Diagnostics.AddWarning("Values changed that the update did not send",
			fmt.Sprintf("After this update Qomon holds different values for %s, which the update did not change. "+
				"Someone may have edited them at the same moment.", strings.Join(lost, ", ")))
	}
}

func (r *contactResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	client := r.client(&resp.Diagnostics)
	state := readObject(ctx, &resp.Diagnostics, req.State.Raw)
	if resp.Diagnostics.HasError() || client == nil {
		return
	}
	id, _ := state["id"].(int64)
	r.willWrite(id)
	err := client.DeleteContact(ctx, id)
	switch {
	case is404(err): // already gone, if Qomon confirms it (gone.go)
		resp.Diagnostics.Append(goneOnDelete(ctx, client, id, stateMail(state), err)...)
	case err != nil:
		resp.Diagnostics.Append(apiDiagnostics("Cannot delete the contact", err)...)
	}
}

// ImportState accepts a contact id (12345), an e-mail address (mail:jane@example.org) or, from
// an import block, an identity (identity.go). It only records the id: Terraform reads the
// contact next, which makes an import by id or identity one GET.
func (r *contactResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" {
		id, diags := importIdentityID(ctx, req.Identity)
		resp.Diagnostics.Append(diags...)
		if !diags.HasError() {
			resp.Diagnostics.Append(imported(ctx, resp, id)...)
		}
		return
	}
	id, mail, err := parseImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	if mail != "" {
		client := r.client(&resp.Diagnostics)
		if client == nil {
			return
		}
		found, err := client.SearchContacts(ctx, qomon.MailSearch(mail, 10))
		if err != nil {
			resp.Diagnostics.Append(apiDiagnostics("Cannot search contacts by e-mail", err)...)
			return
		}
		if len(found.Contacts) == 0 {
			resp.Diagnostics.Append(noContactToImport()...)
			return
		}
		if len(found.Contacts) != 1 {
			count := strconv.Itoa(len(found.Contacts))
			if found.Truncated {
				count = "at least " + count
			}
			resp.Diagnostics.AddError("No single contact with this e-mail address",
				fmt.Sprintf("An exact search for the e-mail address of the import ID found %s contact(s)%s; import needs exactly one. "+
					"Import by id instead: terraform import <address> <id>.", count, idList(found.Contacts)))
			return
		}
		id, _ = found.Contacts[0].ID.Get()
	}
	resp.Diagnostics.Append(imported(ctx, resp, id)...)
}

// parseImportID reads "12345" or "mail:jane@example.org". Errors do not repeat the ID: it may
// be an e-mail address, and Terraform logs diagnostics.
func parseImportID(s string) (id int64, mail string, err error) {
	const usage = "use a contact id (12345) or an e-mail address prefixed with mail: (mail:jane@example.org)"
	if rest, ok := strings.CutPrefix(s, "mail:"); ok {
		if !reconcile.ValidMail(rest) {
			return 0, "", fmt.Errorf("what follows mail: is not an e-mail address: %s", usage)
		}
		return 0, rest, nil
	}
	n, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil || n <= 0 {
		return 0, "", fmt.Errorf("the import ID is neither a positive contact id nor mail:<address>: %s", usage)
	}
	return n, "", nil
}

// settle writes the state an apply returns: the plan, with what Qomon answered in the unknown
// values (reconcile.FillUnknown).
func settle(ctx context.Context, plan reconcile.Object, planned, stored qomon.Contact, state *tfsdk.State, diags *diag.Diagnostics) {
	actual := reconcile.ObjectOf(reconcile.KeepSpelling(reconcile.Canonical(stored), planned))
	filled, _ := reconcile.FillUnknown(plan, actual).(reconcile.Object)
	diags.Append(setRaw(&state.Raw, quickTypes().state, filled)...)
}

// recordManaged stores the fields the configuration sets in private state (ownership.go).
func recordManaged(ctx context.Context, config tfsdk.Config, private privateSetter) diag.Diagnostics {
	obj, diags := objectOf(ctx, config.Raw)
	if diags.HasError() {
		return diags
	}
	return managedSet(reconcile.Managed(obj)).save(ctx, private)
}

// storedDifferentlyDetail lists what reconcile.Differences found: attributes, elements and
// what Qomon did, never a value (diagnostics are logged).
func storedDifferentlyDetail(lines []string) string {
	return "Qomon accepted the write but stored some values in another form than the configuration gives:\n  - " +
		strings.Join(lines, "\n  - ") + "\nThe next plan will show the difference: write these values the way Qomon stores them."
}

// fieldPath is where a diagnostic about a field points: the attribute itself, or for a part
// of the address the address (Terraform cannot show a line inside an object value).
func fieldPath(field string) path.Path {
	parent, _, _ := strings.Cut(field, ".")
	return path.Root(parent)
}

// idList formats the ids of contacts found, for error messages (ids only: the rest is
// personal data).
func idList(cs []qomon.Contact) string {
	if len(cs) == 0 {
		return ""
	}
	ids := make([]string, 0, len(cs))
	for _, c := range cs {
		if id, ok := c.ID.Get(); ok {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
	}
	return " (ids " + strings.Join(ids, ", ") + ")"
}

// objectOf reads a plan, state or configuration of the resource as a reconcile.Object (nil
// when it is null): with decode when it can, and through the framework's values (for their
// diagnostics) when it cannot.
func objectOf(ctx context.Context, raw tftypes.Value) (reconcile.Object, diag.Diagnostics) {
	types := quickTypes()
	if raw.Type() != nil && raw.Type().Equal(types.state) {
		if x, err := decode(types.object, raw); err == nil {
			obj, _ := x.(reconcile.Object)
			return obj, nil
		}
	}
	return frameworkObjectOf(ctx, types.object, raw)
}

// frameworkObjectOf is objectOf through the framework's values of type t.
func frameworkObjectOf(ctx context.Context, t attr.Type, raw tftypes.Value) (reconcile.Object, diag.Diagnostics) {
	var diags diag.Diagnostics
	v, err := t.ValueFromTerraform(ctx, raw)
	if err != nil {
		diags.AddError("Cannot read the resource data", err.Error())
		return nil, diags
	}
	x, diags := valueOf(ctx, v)
	obj, _ := x.(reconcile.Object)
	return obj, diags
}

// readObject is objectOf whose diagnostics go into diags.
func readObject(ctx context.Context, diags *diag.Diagnostics, raw tftypes.Value) reconcile.Object {
	obj, d := objectOf(ctx, raw)
	diags.Append(d...)
	return obj
}

// setRaw writes obj as the raw value of type typ (a state's).
func setRaw(raw *tftypes.Value, typ tftypes.Type, obj reconcile.Object) diag.Diagnostics {
	var diags diag.Diagnostics
	v, err := rawValue(obj, typ)
	if err != nil {
		diags.AddError("Cannot build the new state", err.Error()+". This is a bug in the provider, please report it.")
		return diags
	}
	*raw = v
	return diags
}
