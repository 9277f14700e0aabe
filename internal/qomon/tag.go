package qomon

import (
	"bytes"
	"fmt"
)

// Tag is a contact tag. Only Name is writable; Qomon adds Color and AppearanceCount.
type Tag struct {
	Name            string      `json:"name"`
	Color           Opt[string] `json:"color,omitzero"`
	AppearanceCount Opt[int64]  `json:"appearance_count,omitzero"`
}

var tagFields = []objectField[Tag]{
	{keys: []string{"name"}, decode: func(t *Tag, raw []byte) error {
		s, err := decodeString(raw)
		t.Name = s.Value
		return err
	}},
	computed(stringField(func(t *Tag) *Opt[string] { return &t.Color }, "color")),
	computed(intField(func(t *Tag) *Opt[int64] { return &t.AppearanceCount }, "appearance_count")),
}

// UnmarshalJSON reads a tag as an object ({"name": "x", ...}) or as a bare string ("x"), the
// shape of Qomon's contacts-overview guides. Other keys of a tag object are dropped: a tag is
// identified and written by its name alone.
func (t *Tag) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if isNull(b) {
		return nil
	}
	if len(b) > 0 && b[0] != '{' {
		s, err := decodeString(b)
		if err != nil {
			return fmt.Errorf("tag: %w", err)
		}
		*t = Tag{Name: s.Value}
		return nil
	}
	return unmarshalObject(b, "tag", tagFields, t, nil)
}
