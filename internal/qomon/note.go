package qomon

// Note is a note on a contact. Its text arrives as `content` or `data`; it is written as `content`.
type Note struct {
	Extra // the keys the fields below do not model

	ID      Opt[int64] `json:"id,omitzero"`
	Content string     `json:"content"`
	Pinned  Opt[bool]  `json:"pinned,omitzero"`
}

var noteFields = []objectField[Note]{
	intField(func(n *Note) *Opt[int64] { return &n.ID }, "id"),
	personal(plainField(func(n *Note) *string { return &n.Content }, decodeString, "content", "data")),
	boolField(func(n *Note) *Opt[bool] { return &n.Pinned }, "pinned"),
}

var noteCodec = newObjectCodec("note", noteFields, func(n Note) any { type wire Note; return wire(n) })

// UnmarshalJSON reads the note text from `content` or, as in Qomon's newer bodies, `data`.
func (n *Note) UnmarshalJSON(b []byte) error { return noteCodec.unmarshal(b, n) }

// MarshalJSON writes {"id"?, "content", "pinned"?} then the Unknown keys; the text always
// goes out as `content`, never also as `data`.
func (n Note) MarshalJSON() ([]byte, error) { return noteCodec.marshal(n) }
