package form

import (
	"sort"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// options maps every answer option's label and value to its refvalue id (the form_ref_id of an
// answer), so a configuration can say options["Architect"] whichever of the two it knows.
//
// A key that would point at two different refvalues (a label of one option equal to the value of
// another, or two options sharing a label) is left out and returned in ambiguous: guessing would
// write the wrong answer. Such options stay reachable through the values list.
func options(refs []qomon.RefValue) (opts map[string]int64, ambiguous []string) {
	opts = make(map[string]int64, 2*len(refs))
	clash := map[string]bool{}
	add := func(key string, id int64) {
		if key == "" || clash[key] {
			return
		}
		if prev, ok := opts[key]; ok && prev != id {
			delete(opts, key)
			clash[key] = true
			return
		}
		opts[key] = id
	}
	for _, r := range refs {
		add(r.Label, r.ID)
		add(r.Value, r.ID)
	}
	for k := range clash {
		ambiguous = append(ambiguous, k)
	}
	sort.Strings(ambiguous)
	return opts, ambiguous
}
