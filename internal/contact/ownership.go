package contact

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Ownership: a field is managed while the configuration sets it (reconcile.Managed). The plan
// needs to know which fields the *previous* configuration set, to tell a field the
// configuration just stopped setting (clear it in Qomon, once) from one it never set (leave it
// to the people using Qomon). Terraform does not give a provider its previous configuration, so
// every apply that creates or updates a contact records the managed fields in the resource's
// private state, which Terraform stores beside the state, carries through refreshes, and hands
// back at the next plan.
//
// An imported contact has no record until an apply creates or updates it. Terraform does not
// call the provider at all to apply an import that changes nothing, so no record can be made
// then: until the contact is first updated, removing an attribute from its configuration leaves
// the value in Qomon (and the plan shows no change). That errs on the side of keeping data
// people entered in Qomon. TestAccContact_importedRecordsOwnershipAtFirstUpdate shows the rule.

// managedSet holds field paths (see reconcile.Fields): "mail", "address.city", "tags".
type managedSet []string

// privateKey is the private state key of the managed set.
const privateKey = "managed_fields"

// privateRecord is the private state value, versioned so a later provider can read it.
type privateRecord struct {
	Version int      `json:"v"`
	Fields  []string `json:"fields"`
}

// privateGetter and privateSetter are the parts of the framework's private state data used here.
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// loadManaged reads the managed set from private state. ok is false when there is no record
// (an imported contact, or one created by a provider that did not record it).
func loadManaged(ctx context.Context, p privateGetter) (set managedSet, ok bool, diags diag.Diagnostics) {
	if p == nil {
		return nil, false, nil
	}
	raw, diags := p.GetKey(ctx, privateKey)
	if diags.HasError() || len(raw) == 0 {
		return nil, false, diags
	}
	var rec privateRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		diags.AddWarning("Unreadable record of managed attributes",
			"The provider could not read which attributes of this contact the configuration managed ("+err.Error()+"). "+
				"Attributes removed from the configuration are left as they are in Qomon until the next apply records them again.")
		return nil, false, diags
	}
	return rec.Fields, true, diags
}

// save writes the managed set to private state.
func (m managedSet) save(ctx context.Context, p privateSetter) diag.Diagnostics {
	if p == nil {
		return nil
	}
	fields := append([]string(nil), m...)
	sort.Strings(fields)
	return setPrivate(ctx, p, privateKey, privateRecord{Version: 1, Fields: fields}, "Cannot record managed attributes")
}

// setPrivate writes record as JSON under key in private state (the managed set, the refresh
// mirror record); summary says what could not be recorded.
func setPrivate(ctx context.Context, p privateSetter, key string, record any, summary string) diag.Diagnostics {
	raw, err := json.Marshal(record)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError(summary, err.Error())
		return diags
	}
	return p.SetKey(ctx, key, raw)
}
