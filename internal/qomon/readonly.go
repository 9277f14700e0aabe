package qomon

import (
	"bytes"
	"slices"
)

// Keys Qomon computes and that a write must not carry, when they sit in an Unknown map (a key
// Qomon added that we do not model, or a computed value of an unexpected type kept verbatim).
var (
	readOnlyContactKeys = setOf("id", "group_id", "user_id", "CreatedAt", "created_at", "UpdatedAt",
		"updated_at", "lastchange", "lastchangeuserid", "deleted_at",
		// Only present on search results asked with include_interactions; never writable.
		"interactions")
	readOnlyAddressKeys = setOf("id", "citycode", "latitude", "longitude", "location", "score", "invalid")
	readOnlyNoteKeys    = setOf("contact_id", "group_id", "user_id", "user", "created_at", "updated_at", "deleted_at")
	readOnlyFormKeys    = setOf("id", "contact_id", "group_id", "created_at", "updated_at", "deleted_at",
		"donedate", "label", "type_of_form")
)

func setOf(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// WithoutReadOnly returns a copy of the contact fit to be written back to Qomon: the keys Qomon
// computes are dropped (id, group_id, user_id, CreatedAt, UpdatedAt, lastchange,
// lastchangeuserid; the address id and geocoding output; tag color and appearance_count; form
// answer ids and bookkeeping keys; note bookkeeping keys), and so are form answers Qomon
// reports as soft-deleted (deleted_at set): writing those back would revive them. Every other
// field, Unknown keys included, is kept, because a replacing PATCH clears whatever it omits.
// Note ids are kept: they tell Qomon which note an edit is about.
//
// The copy shares nothing with c, so the caller may edit either.
func (c Contact) WithoutReadOnly() Contact {
	out := c
	out.ID, out.GroupID, out.UserID = Opt[int64]{}, Opt[int64]{}, Opt[int64]{}
	out.CreatedAt, out.UpdatedAt, out.LastChange = Opt[string]{}, Opt[string]{}, Opt[string]{}
	out.LastChangeUserID = Opt[int64]{}
	out.Unknown = copyRaw(c.Unknown, readOnlyContactKeys)

	if a, ok := c.Address.Get(); ok {
		a.ID = Opt[int64]{}
		a.CityCode, a.Latitude, a.Longitude, a.Location = Opt[string]{}, Opt[string]{}, Opt[string]{}, Opt[string]{}
		a.Score, a.Invalid = Opt[float64]{}, Opt[bool]{}
		a.Unknown = copyRaw(a.Unknown, readOnlyAddressKeys)
		out.Address = Some(a)
	}
	if tags, ok := c.Tags.Get(); ok {
		cp := make([]Tag, len(tags))
		for i, t := range tags {
			cp[i] = Tag{Name: t.Name}
		}
		out.Tags = Some(cp)
	}
	if notes, ok := c.Notes.Get(); ok {
		cp := make([]Note, len(notes))
		for i, n := range notes {
			n.Unknown = copyRaw(n.Unknown, readOnlyNoteKeys)
			cp[i] = n
		}
		out.Notes = Some(cp)
	}
	out.Formdatas = writableAnswers(c.Formdatas)
	out.CustomFields = writableAnswers(c.CustomFields)
	if ids, ok := c.ActionIDs.Get(); ok {
		out.ActionIDs = Some(slices.Clone(ids))
	}
	return out
}

func writableAnswers(o Opt[[]FormData]) Opt[[]FormData] {
	list, ok := o.Get()
	if !ok {
		return o
	}
	cp := make([]FormData, 0, len(list))
	for _, f := range list {
		if softDeleted(f) {
			continue
		}
		f.ID = Opt[int64]{}
		f.Unknown = copyRaw(f.Unknown, readOnlyFormKeys)
		cp = append(cp, f)
	}
	return Some(cp)
}

// softDeleted reports whether Qomon marked a form answer deleted (deleted_at not null).
func softDeleted(f FormData) bool {
	v, ok := f.Unknown["deleted_at"]
	if !ok {
		return false
	}
	v = bytes.TrimSpace(v)
	return len(v) > 0 && !isNull(v) && !bytes.Equal(v, []byte(`""`))
}
