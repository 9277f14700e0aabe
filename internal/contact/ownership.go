package contact

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Ownership: a field is managed when the configuration sets it. The plan needs to know which
// fields the *previous* configuration set, to tell a field the configuration just stopped
// setting (clear it in Qomon, once) from one it never set (leave it to the people using Qomon).
// Terraform does not give a provider its previous configuration, so every apply records the
// managed fields in the resource's private state, which Terraform stores beside the state,
// carries through refreshes, and hands back at the next plan.
//
// An imported contact has no record: nothing is cleared until an apply has recorded what its
// configuration sets. That errs on the side of keeping data people entered in Qomon.

// managedSet holds field keys (see fields.go): "mail", "address.city", "tags".
type managedSet map[string]bool

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

// managedFromConfig lists the fields a configuration sets. A value still unknown at plan time
// counts as set: it will be by apply time. A whole address left unknown sets every part.
func managedFromConfig(config map[string]attr.Value) managedSet {
	m := managedSet{}
	for _, f := range fields {
		if v := valueAt(config, f.key()); v != nil && !v.IsNull() {
			m[f.key()] = true
		}
	}
	return m
}

// valueAt finds the value of a field key in the attributes of a contact object: "address.city"
// is the city inside the address. A part inside an unknown address is unknown; inside a null
// address, null.
func valueAt(attrs map[string]attr.Value, key string) attr.Value {
	parent, child, nested := strings.Cut(key, ".")
	v, ok := attrs[parent]
	if !ok || !nested {
		return v
	}
	obj, ok := v.(types.Object)
	if !ok {
		return nil
	}
	switch {
	case obj.IsUnknown():
		return types.StringUnknown()
	case obj.IsNull():
		return types.StringNull()
	}
	return obj.Attributes()[child]
}

// loadManaged reads the managed set from private state. ok is false when there is no record
// (an imported contact, or one created by a provider that did not record it).
func loadManaged(ctx context.Context, p privateGetter) (set managedSet, ok bool, diags diag.Diagnostics) {
	set = managedSet{}
	if p == nil {
		return set, false, nil
	}
	raw, diags := p.GetKey(ctx, privateKey)
	if diags.HasError() || len(raw) == 0 {
		return set, false, diags
	}
	var rec privateRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		diags.AddWarning("Unreadable record of managed attributes",
			"The provider could not read which attributes of this contact the configuration managed ("+err.Error()+"). "+
				"Attributes removed from the configuration are left as they are in Qomon until the next apply records them again.")
		return set, false, diags
	}
	for _, k := range rec.Fields {
		set[k] = true
	}
	return set, true, diags
}

// save writes the managed set to private state.
func (m managedSet) save(ctx context.Context, p privateSetter) diag.Diagnostics {
	if p == nil {
		return nil
	}
	raw, err := json.Marshal(privateRecord{Version: 1, Fields: m.keys()})
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Cannot record managed attributes", err.Error())
		return diags
	}
	return p.SetKey(ctx, privateKey, raw)
}

// keys lists the set in a stable order.
func (m managedSet) keys() []string {
	out := make([]string, 0, len(m))
	for k, ok := range m {
		if ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
