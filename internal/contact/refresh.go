package contact

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/contact/sweep"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// The Read path's use of the process's bulk refresh (package sweep): before a Read asks Qomon
// for a contact, it asks the sweep whether Qomon still holds the contact as the state does.
// When it does, the Read keeps the state as it is and sends nothing; otherwise it reads the
// contact with a GET as always, and tells the sweep what the GET showed.
//
// "As the state does" needs two things: the contact's UpdatedAt has not moved since the state
// was written, and the state is exactly what reading that version gives. The second is not true
// of every state: an apply keeps the planned value of a field Qomon stored in another form
// (the warning "Qomon stored some values differently"), and the next GET shows the difference.
// So the provider records, in the resource's private state, the UpdatedAt of the version the
// state mirrors exactly (mirrorKey), when it writes a state from what Qomon answered and the
// two agree; a state without it is always read with a GET.

// mirrorKey is the private state key of that record.
const mirrorKey = "mirrors"

// mirrorRecord is its value, versioned so that a later provider can read it. A later schema
// version whose state upgrade changes a state must drop it.
type mirrorRecord struct {
	Version   int    `json:"v"`
	UpdatedAt string `json:"updated_at"`
}

// markMirror records that the state mirrors the contact at updatedAt, or clears the record
// when updatedAt is "".
func markMirror(ctx context.Context, p privateSetter, updatedAt string) diag.Diagnostics {
	if updatedAt == "" {
		return p.SetKey(ctx, mirrorKey, nil)
	}
	return setPrivate(ctx, p, mirrorKey, mirrorRecord{Version: 1, UpdatedAt: updatedAt}, "Cannot record the refreshed contact")
}

// mirrored reads the record: the UpdatedAt the state mirrors, "" when there is none.
func mirrored(ctx context.Context, p privateGetter) string {
	raw, diags := p.GetKey(ctx, mirrorKey)
	if diags.HasError() || len(raw) == 0 {
		return ""
	}
	var rec mirrorRecord
	if json.Unmarshal(raw, &rec) != nil || rec.Version != 1 {
		return "" // unreadable: the contact is read with a GET, which writes it again
	}
	return rec.UpdatedAt
}

// readView is the state a read of remote gives over prior: what Qomon holds, in the prior
// state's spelling wherever the two mean the same.
func readView(id int64, remote, prior qomon.Contact) reconcile.Object {
	obj := reconcile.ObjectOf(reconcile.KeepSpelling(reconcile.Canonical(remote), prior))
	if obj["id"] == nil {
		obj["id"] = id // an answer without its id is still this contact
	}
	return obj
}

// remoteUpdatedAt is the UpdatedAt of a contact as state writes it, "" when Qomon gave none.
func remoteUpdatedAt(c qomon.Contact) string {
	v, _ := reconcile.Canonical(c).UpdatedAt.Get()
	return v
}

// refresher is the process's bulk refresh, nil when the provider is not configured.
func (r *contactResource) refresher() *sweep.Refresher {
	if r.Data == nil {
		return nil
	}
	return r.Data.Refresh
}

// bulkRead is one Read's use of the sweep.
type bulkRead struct {
	refresher *sweep.Refresher
	query     sweep.Query
	answer    sweep.Answer
	// readUpdatedAt is what the GET gave, once it did.
	readUpdatedAt string
}

// startRead asks the sweep about the contact of req. unchanged means that the Read is done:
// Qomon holds the contact as the state does, and the state (private state included) stays as
// it is. A read following an import always uses a GET.
func (r *contactResource) startRead(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse, isImport bool) (b *bulkRead, unchanged bool) {
	b = &bulkRead{refresher: r.refresher()}
	if b.refresher == nil || isImport {
		b.refresher = nil
		return b, false
	}
	id, updatedAt := stateStamp(req.State.Raw)
	b.query = sweepQuery(id, updatedAt, mirrored(ctx, req.Private)) // quickread.go
	answer, err := b.refresher.Ask(ctx, b.query)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the contact", fmt.Sprintf("Reading contact %d was interrupted: %s", id, err))
		b.refresher = nil
		return b, false
	}
	b.answer = answer
	if answer.Warning != "" {
		resp.Diagnostics.AddWarning("Refreshing contacts one request each", fmt.Sprintf("This run meant to refresh contacts "+
			"with a search of the whole Qomon space (one request per 1,000 contacts), but %s. Every contact left to refresh is "+
			"read with its own request (one token each), as with refresh_mode = \"get\"; the plan is the same, only slower.",
			answer.Warning))
	}
	return b, answer.Verdict == sweep.Unchanged
}

// got records what the GET gave, and marks the state the Read writes as mirroring it.
func (b *bulkRead) got(ctx context.Context, private privateSetter, remote qomon.Contact) diag.Diagnostics {
	b.readUpdatedAt = remoteUpdatedAt(remote)
	return markMirror(ctx, private, b.readUpdatedAt)
}

// finish tells the sweep what the Read learned with its GET: whether the state it wrote is the
// state it started from. Every Read that did not end unchanged calls it, failed ones included.
func (b *bulkRead) finish(req resource.ReadRequest, resp *resource.ReadResponse) {
	if b.refresher == nil {
		return
	}
	same := b.readUpdatedAt != "" && !resp.Diagnostics.HasError() && sameState(resp.State.Raw, req.State.Raw)
	b.refresher.Observe(sweep.Observation{Query: b.query, Sample: b.answer.Verdict == sweep.Sample,
		ReadUpdatedAt: b.readUpdatedAt, Same: same})
}

// sameState reports whether two states hold the same values, as Terraform compares them: a
// number the CLI read back from a state file is the decimal it wrote (0.7345), at 512 bits,
// and the provider's is the float64 nearest to it, so numbers compare at float64 precision
// (tftypes.Value.Equal would call them different); set elements compare in any order.
func sameState(a, b tftypes.Value) bool {
	if !a.Type().Equal(b.Type()) || a.IsKnown() != b.IsKnown() || a.IsNull() != b.IsNull() {
		return false
	}
	if !a.IsKnown() || a.IsNull() {
		return true
	}
	switch {
	case a.Type().Is(tftypes.Number):
		var x, y big.Float
		if a.As(&x) != nil || b.As(&y) != nil {
			return false
		}
		fx, _ := x.Float64()
		fy, _ := y.Float64()
		return fx == fy
	case a.Type().Is(tftypes.Object{}), a.Type().Is(tftypes.Map{}):
		var x, y map[string]tftypes.Value
		if a.As(&x) != nil || b.As(&y) != nil || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !sameState(v, w) {
				return false
			}
		}
		return true
	case a.Type().Is(tftypes.List{}), a.Type().Is(tftypes.Tuple{}), a.Type().Is(tftypes.Set{}):
		var x, y []tftypes.Value
		if a.As(&x) != nil || b.As(&y) != nil || len(x) != len(y) {
			return false
		}
		if !a.Type().Is(tftypes.Set{}) {
			for i := range x {
				if !sameState(x[i], y[i]) {
					return false
				}
			}
			return true
		}
		used := make([]bool, len(y))
		for _, v := range x {
			found := false
			for j, w := range y {
				if !used[j] && sameState(v, w) {
					used[j], found = true, true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	return a.Equal(b)
}

// stateStamp reads the id and updated_at of a state without converting the whole state.
func stateStamp(raw tftypes.Value) (id int64, updatedAt string) {
	var attrs map[string]tftypes.Value
	if raw.IsNull() || !raw.IsKnown() || raw.As(&attrs) != nil {
		return 0, ""
	}
	var n big.Float
	if v, ok := attrs["id"]; ok && v.IsKnown() && !v.IsNull() && v.As(&n) == nil {
		id, _ = n.Int64()
	}
	if v, ok := attrs["updated_at"]; ok && v.IsKnown() && !v.IsNull() {
		_ = v.As(&updatedAt)
	}
	return id, updatedAt
}

// willWrite is what an apply does before it writes contact id: later reads in this process
// use a GET. (A write that fails after it may have reached Qomon drops the state's record; one
// that provably did not leaves the state, record included, as it was.)
func (r *contactResource) willWrite(id int64) {
	if rf := r.refresher(); rf != nil {
		rf.Wrote(id)
	}
}

// wrote is what an apply that wrote contact id does for later reads: the process's sweep
// reads the contact with a GET, and the new state is marked as mirroring what Qomon stored
// when a read of it would give that very state.
func (r *contactResource) wrote(ctx context.Context, id int64, stored qomon.Contact, state tfsdk.State, private privateSetter) diag.Diagnostics {
	if rf := r.refresher(); rf != nil {
		rf.Wrote(id)
	}
	obj, diags := objectOf(ctx, state.Raw)
	if diags.HasError() || obj == nil {
		return append(diags, markMirror(ctx, private, "")...)
	}
	view, err := rawValue(readView(id, stored, reconcile.ContactOf(obj)), state.Raw.Type())
	if err != nil || !view.Equal(state.Raw) {
		return append(diags, markMirror(ctx, private, "")...)
	}
	return append(diags, markMirror(ctx, private, remoteUpdatedAt(stored))...)
}
