package contact

import (
	"fmt"
	"strings"

	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// updateRequest is what an apply sends to Qomon for an existing contact.
type updateRequest struct {
	// Body is the PATCH body, exactly as the client must send it.
	Body qomon.Contact
	// Changed lists the fields the plan changes, in the order of fields.go. Nothing needs to
	// be sent when it is empty.
	Changed []string
}

// conflictError says that fields about to change were edited in Qomon after the plan was made.
type conflictError struct {
	Fields []string
}

func (e *conflictError) Error() string {
	return fmt.Sprintf("changed in Qomon since the plan was made: %s", strings.Join(e.Fields, ", "))
}

// buildUpdate computes the update of a contact. It is pure: prior is the state the plan was
// made from, planned the plan, both as expandContact gives them (null = no value); fresh is the
// contact read from Qomon just now, needed in replace mode only.
//
// The managed set does not appear: the plan already carries it (a field the configuration does
// not manage is planned as it was, so it never counts as changed).
//
// Replace mode (Qomon's documented PATCH, which replaces the whole contact): every field about
// to change must still hold, in fresh, the value the plan was made from, else a conflictError
// names the fields and nothing must be sent; a field that already holds its planned value is no
// conflict. The body is fresh without its read-only keys, with exactly the planned changes
// overlaid: whatever the plan does not change keeps what Qomon holds now, including keys this
// provider does not model and form answers it does not manage.
//
// Merge mode (a PATCH that merges): the body holds the changed fields only, a cleared field as
// null, and of the address only the changed parts.
func buildUpdate(prior, planned qomon.Contact, fresh *qomon.Contact, mode providerdata.UpdateMode) (updateRequest, error) {
	var changed []field
	var req updateRequest
	for _, f := range fields {
		if !f.same(&prior, &planned) {
			changed = append(changed, f)
			req.Changed = append(req.Changed, f.key())
		}
	}

	switch mode {
	case providerdata.UpdateModeMerge:
		for _, f := range changed {
			f.copyTo(&req.Body, &planned)
		}
	case providerdata.UpdateModeReplace, "":
		if fresh == nil {
			return req, fmt.Errorf("replace mode needs the contact as Qomon holds it now")
		}
		var conflicts []string
		for _, f := range changed {
			if !f.equal(&prior, fresh) && !f.equal(&planned, fresh) {
				conflicts = append(conflicts, f.key())
			}
		}
		if len(conflicts) > 0 {
			return updateRequest{}, &conflictError{Fields: conflicts}
		}
		req.Body = fresh.WithoutReadOnly()
		for _, f := range changed {
			f.copyTo(&req.Body, &planned)
		}
		keepAnswerDates(&req.Body.Formdatas, fresh.Formdatas)
		keepAnswerDates(&req.Body.CustomFields, fresh.CustomFields)
		if req.Body.Address.Set && req.Body.Address.Null {
			req.Body.Address = qomon.Opt[qomon.Address]{}
		}
		for _, f := range fields {
			f.spellForReplace(&req.Body)
		}
	default:
		return req, fmt.Errorf("unknown update mode %q", mode)
	}
	req.Body = wireContact(req.Body)
	return req, nil
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
				if hd, ok := h.Data.Get(); !ok || !sameAnswer(d, hd) {
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

// wireContact writes values the way Qomon expects them: a birthdate given as a date becomes the
// timestamp of its midnight (UTC), Qomon's birthdate being a date-time; the parts of an answer
// or a note that Terraform leaves to Qomon (an answer's data or date, a new note's id) are left
// out rather than sent as null.
func wireContact(c qomon.Contact) qomon.Contact {
	if v, ok := c.Birthdate.Get(); ok && len(v) == len("2006-01-02") {
		if t, ok := parseTime(v); ok {
			c.Birthdate = qomon.Some(t.UTC().Format("2006-01-02T15:04:05Z"))
		}
	}
	for _, o := range []*qomon.Opt[[]qomon.FormData]{&c.Formdatas, &c.CustomFields} {
		if !o.Present() {
			continue
		}
		answers := append([]qomon.FormData{}, o.Value...)
		for i := range answers {
			answers[i].Data = absentIfNull(answers[i].Data)
			answers[i].Date = absentIfNull(answers[i].Date)
		}
		o.Value = answers
	}
	if c.Notes.Present() {
		notes := append([]qomon.Note{}, c.Notes.Value...)
		for i := range notes {
			notes[i].ID = absentIfNull(notes[i].ID)
			notes[i].Pinned = absentIfNull(notes[i].Pinned)
		}
		c.Notes.Value = notes
	}
	return c
}

func absentIfNull[T any](o qomon.Opt[T]) qomon.Opt[T] {
	if o.Set && o.Null {
		return qomon.Opt[T]{}
	}
	return o
}

// createBody is the POST body of a new contact: the planned values, without the nulls (a new
// contact has nothing to clear).
func createBody(planned qomon.Contact) qomon.Contact {
	var body qomon.Contact
	for _, f := range fields {
		if f.equal(&body, &planned) {
			continue // no value planned
		}
		f.copyTo(&body, &planned)
	}
	return wireContact(body)
}
