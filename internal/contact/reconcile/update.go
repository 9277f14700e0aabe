package reconcile

import (
	"fmt"
	"strings"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Mode is how Qomon's PATCH treats what it is sent.
type Mode int

const (
	// Replace: Qomon's documented PATCH, which replaces the whole contact.
	Replace Mode = iota
	// Merge: a PATCH that merges the request into the contact.
	Merge
)

// Update is what an apply sends to Qomon for an existing contact.
type Update struct {
	// Body is the PATCH body, exactly as the client must send it.
	Body qomon.Contact
	// Changed lists the fields the plan changes, in registry order. Nothing needs to be sent
	// when it is empty.
	Changed []string
}

// ConflictError says that fields about to change were edited in Qomon after the plan was made.
type ConflictError struct {
	Fields []string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("changed in Qomon since the plan was made: %s", strings.Join(e.Fields, ", "))
}

// BuildUpdate computes the update of a contact. It is pure: prior is the state the plan was made
// from, planned the plan (null = no value); fresh is the contact read from Qomon just now,
// needed in Replace mode only.
//
// The managed set does not appear: the plan already carries it (a field the configuration does
// not manage is planned as it was, so it never counts as changed).
//
// Replace mode: every field about to change must still hold, in fresh, the value the plan was
// made from, else a *ConflictError names the fields and nothing must be sent; a field that
// already holds its planned value is no conflict. The body is fresh without its read-only keys,
// with exactly the planned changes overlaid: whatever the plan does not change keeps what Qomon
// holds now, including keys this provider does not model and form answers it does not manage.
//
// Merge mode: the body holds the changed fields only, a cleared field as null, and of the
// address only the changed parts.
func BuildUpdate(prior, planned qomon.Contact, fresh *qomon.Contact, mode Mode) (Update, error) {
	var changed []Field
	var req Update
	for _, f := range WritableFields() {
		if !f.w.same(&prior, &planned) {
			changed = append(changed, f)
			req.Changed = append(req.Changed, f.Path)
		}
	}

	switch mode {
	case Merge:
		for _, f := range changed {
			f.w.copyTo(&req.Body, &planned)
		}
	case Replace:
		if fresh == nil {
			return req, fmt.Errorf("replace mode needs the contact as Qomon holds it now")
		}
		if conflicts := Conflicts(prior, planned, *fresh, req.Changed); len(conflicts) > 0 {
			return Update{}, &ConflictError{Fields: conflicts}
		}
		req.Body = fresh.WithoutReadOnly()
		for _, f := range changed {
			f.w.copyTo(&req.Body, &planned)
		}
		keepAnswerDates(&req.Body.Formdatas, fresh.Formdatas)
		keepAnswerDates(&req.Body.CustomFields, fresh.CustomFields)
		if req.Body.Address.Set && req.Body.Address.Null {
			req.Body.Address = qomon.Opt[qomon.Address]{}
		}
	default:
		return req, fmt.Errorf("unknown update mode %d", mode)
	}
	req.Body = toWire(req.Body, mode == Replace)
	return req, nil
}

// Conflicts lists the fields of changed that someone edited in Qomon after the plan was made:
// fresh holds neither the value the plan was made from (prior) nor the planned one.
func Conflicts(prior, planned, fresh qomon.Contact, changed []string) []string {
	var out []string
	for _, f := range WritableFields() {
		if contains(changed, f.Path) && !f.w.equal(&prior, &fresh) && !f.w.equal(&planned, &fresh) {
			out = append(out, f.Path)
		}
	}
	return out
}

// CreateBody is the POST body of a new contact: the planned values, without the nulls (a new
// contact has nothing to clear).
func CreateBody(planned qomon.Contact) qomon.Contact {
	var body qomon.Contact
	for _, f := range WritableFields() {
		if f.Has(&planned) {
			f.w.copyTo(&body, &planned)
		}
	}
	return toWire(body, false)
}

// toWire writes every field the way Qomon expects it (see writable.toWire).
func toWire(c qomon.Contact, replace bool) qomon.Contact {
	for _, f := range WritableFields() {
		f.w.toWire(&c, replace)
	}
	return c
}

// keepAnswerDates gives an answer sent without a date the date Qomon holds for the same answer,
// so that rewriting the whole list (Qomon recreates every answer on PATCH) does not re-date
// answers that did not change.
func keepAnswerDates(sent *qomon.Opt[[]qomon.FormData], held qomon.Opt[[]qomon.FormData]) {
	if !sent.Present() || !held.Present() {
		return
	}
	used := make([]bool, len(held.Value))
	out := append([]qomon.FormData(nil), sent.Value...)
	for i, a := range out {
		if a.Date.Present() {
			continue
		}
		for j, h := range held.Value {
			if used[j] || h.FormID != a.FormID || h.FormRefID != a.FormRefID || !h.Date.Present() {
				continue
			}
			if d, ok := a.Data.Get(); ok {
				if hd, ok := h.Data.Get(); !ok || !Answer.Same(d, hd) {
					continue
				}
			}
			used[j] = true
			out[i].Date = h.Date
			break
		}
	}
	sent.Value = out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
