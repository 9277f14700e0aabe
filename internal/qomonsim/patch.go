package qomonsim

import (
	"maps"
	"slices"
	"time"
)

// writeRules are the switches a write obeys.
type writeRules struct {
	// replace is Qomon's documented PATCH (and a create): every key the body lacks is
	// cleared. Otherwise the write merges: absent keys are kept, null clears, the address
	// merges key by key, lists replace.
	replace bool
	// renewNotes recreates every note the body carries (Options.NoteIDs renew).
	renewNotes bool
	// keepBareAddr leaves the address alone when the body's has no writable part
	// (Options.EmptyAddress keep).
	keepBareAddr bool
}

// applyPatch writes a validated body onto rec under rules.
func applyPatch(rec *record, p *contactPatch, rules writeRules, now time.Time, next *ids) {
	replace := rules.replace
	if replace {
		rec.scalars = map[string]any{}
		rec.extra = map[string]any{}
	}
	for k, v := range p.scalars {
		if v == nil {
			delete(rec.scalars, k)
		} else {
			rec.scalars[k] = v
		}
	}
	for k, v := range p.extra {
		if v == nil {
			delete(rec.extra, k)
		} else {
			rec.extra[k] = v
		}
	}

	switch {
	case p.addressSet && p.address != nil && len(p.address.parts) == 0 && rules.keepBareAddr:
	case p.addressSet && p.address != nil:
		rec.address = writeAddress(rec.address, p.address, replace, next)
	case p.addressSet || replace:
		rec.address = nil
	}

	if p.tagsSet || replace {
		rec.tags = slices.Clone(p.tags)
	}
	if p.notesSet || replace {
		kept := rec.notes
		if rules.renewNotes {
			kept = nil
		}
		rec.notes = writeNotes(kept, p.notes, now, next)
	}
	if p.formdatasSet || replace {
		rec.forms = writeAnswers(p.formdatas, now, next)
	}
	if p.customSet || replace {
		rec.custom = writeAnswers(p.customFields, now, next)
	}
	if p.actionsSet || replace {
		rec.actions = slices.Clone(p.actionIDs)
	}
}

// writeAddress builds the new address and geocodes it again only when a writable part
// changed, as Qomon does not move a pin nobody touched.
func writeAddress(old *storedAddress, p *addressPatch, replace bool, next *ids) *storedAddress {
	a := &storedAddress{parts: map[string]string{}, extra: map[string]any{}}
	if old != nil {
		a.id = old.id
		a.geo = old.geo
		if !replace {
			a.parts = maps.Clone(old.parts)
			a.extra = maps.Clone(old.extra)
		}
	} else {
		next.address++
		a.id = next.address
	}
	for k, v := range p.parts {
		if v == nil {
			delete(a.parts, k)
		} else {
			a.parts[k] = *v
		}
	}
	for k, v := range p.extra {
		if v == nil {
			delete(a.extra, k)
		} else {
			a.extra[k] = v
		}
	}
	if old == nil || !maps.Equal(old.parts, a.parts) {
		a.geo = geocodeAddress(a.parts)
	}
	return a
}

// writeNotes keeps the id (and creation date) of a note whose id the body carries and that
// exists on the contact; any other note is new.
func writeNotes(old []storedNote, in []notePatch, now time.Time, next *ids) []storedNote {
	byID := map[int64]storedNote{}
	for _, n := range old {
		byID[n.id] = n
	}
	out := make([]storedNote, 0, len(in))
	for _, n := range in {
		prev, kept := byID[n.id]
		if n.id != 0 && kept {
			delete(byID, n.id) // one stored note cannot become two
			pinned := prev.pinned
			if n.pinned != nil {
				pinned = *n.pinned
			}
			if prev.content != n.content || prev.pinned != pinned {
				prev.updatedAt = now
			}
			prev.content, prev.pinned = n.content, pinned
			out = append(out, prev)
			continue
		}
		next.note++
		sn := storedNote{id: next.note, content: n.content, createdAt: now, updatedAt: now}
		if n.pinned != nil {
			sn.pinned = *n.pinned
		}
		out = append(out, sn)
	}
	return out
}

// writeAnswers gives every entry a fresh id: Qomon's update reference says every PATCH
// soft-deletes and recreates the form answers, so their ids change
// (https://developers.qomon.com/api-reference/contacts/update-contact-by-id).
func writeAnswers(in []answerPatch, now time.Time, next *ids) []storedAnswer {
	out := make([]storedAnswer, 0, len(in))
	for _, a := range in {
		next.answer++
		out = append(out, storedAnswer{
			id: next.answer, formID: a.formID, formRefID: a.formRefID, data: a.data,
			date: a.date, surveyID: a.surveyID, createdAt: now,
		})
	}
	return out
}
