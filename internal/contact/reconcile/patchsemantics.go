package reconcile

import "github.com/qomon/terraform-provider-qomon/internal/qomon"

// Semantics is what a PATCH answer shows of how Qomon's PATCH treats the fields a request
// leaves out.
type Semantics int

const (
	// Undecided: the contact held nothing the request left out, so the answer cannot tell.
	Undecided Semantics = iota
	// Merges: a field the request left out kept a value.
	Merges
	// Replaces: a field the request left out held a value before and holds none after: Qomon
	// replaced the whole contact with the request, as its documentation says its PATCH does.
	Replaces
)

// PatchOutcome is what one merge PATCH showed.
type PatchOutcome struct {
	Semantics Semantics
	// Sent lists the fields the request carried; Lost the fields it left out that held a value
	// before it and hold none after it (registry order).
	Sent, Lost []string
}

// JudgePatch compares a merge PATCH body with the contact before it (before, as Qomon held
// it) and after it (after, Qomon's answer), both through Canonical. Only emptiness counts as
// lost: a field that holds another value after the PATCH was edited by someone at that moment
// (LostFields reports it), which says nothing of Qomon's PATCH.
func JudgePatch(before, body, after qomon.Contact) PatchOutcome {
	var out PatchOutcome
	kept := false
	for _, f := range WritableFields() {
		if f.w.sent(&body) {
			out.Sent = append(out.Sent, f.Path)
			continue
		}
		if !f.Has(&before) {
			continue
		}
		if f.Has(&after) {
			kept = true
		} else {
			out.Lost = append(out.Lost, f.Path)
		}
	}
	switch {
	case len(out.Lost) > 0:
		out.Semantics = Replaces
	case kept:
		out.Semantics = Merges
	}
	return out
}
