package reconcile

import "github.com/qomon/terraform-provider-qomon/internal/qomon"

// StoredDifferently lists the fields (of paths, or every field with a planned value when paths
// is nil) that Qomon holds in another form than planned, after a write.
func StoredDifferently(planned, stored qomon.Contact, paths []string) []string {
	var out []string
	for _, f := range WritableFields() {
		if paths != nil && !contains(paths, f.Path) {
			continue
		}
		if paths == nil && !f.Has(&planned) {
			continue // nothing planned
		}
		if !f.w.equal(&planned, &stored) {
			out = append(out, f.Path)
		}
	}
	return out
}

// LostFields lists the fields an update did not change (changed) that held a value before it
// and hold another one after it: someone edited them at that moment, or a merge PATCH went to
// a Qomon that replaces.
func LostFields(before, after qomon.Contact, changed []string) []string {
	var out []string
	for _, f := range WritableFields() {
		if contains(changed, f.Path) || !f.Has(&before) {
			continue
		}
		if !f.w.equal(&before, &after) {
			out = append(out, f.Path)
		}
	}
	return out
}

// MatchLostCreate decides, after a create whose answer was lost, which contacts found by a
// search for its e-mail address are the one that create made: those that hold every value
// sent. None means it was not stored (yet: Qomon's index lags); several mean the provider
// cannot tell.
func MatchLostCreate(planned qomon.Contact, found []qomon.Contact) []qomon.Contact {
	var out []qomon.Contact
	for _, c := range found {
		if len(StoredDifferently(planned, Canonical(c), nil)) == 0 {
			out = append(out, c)
		}
	}
	return out
}
