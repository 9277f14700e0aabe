package qomon

// FormData is one answer to a form (an advanced field) or a custom field. Qomon gives every
// entry a new ID on each PATCH, so ID is never an identity: entries are identified by
// (FormID, FormRefID, Data).
type FormData struct {
	Extra // the keys the fields below do not model

	ID        Opt[int64]  `json:"id,omitzero"` // read-only, unstable
	FormID    int64       `json:"form_id"`
	FormRefID int64       `json:"form_ref_id"`
	Data      Opt[string] `json:"data,omitzero"`
	Date      Opt[string] `json:"date,omitzero"`
	SurveyID  Opt[int64]  `json:"survey_id,omitzero"`
}

var formDataFields = []objectField[FormData]{
	computed(intField(func(f *FormData) *Opt[int64] { return &f.ID }, "id")),
	plainField(func(f *FormData) *int64 { return &f.FormID }, decodeInt, "form_id"),
	plainField(func(f *FormData) *int64 { return &f.FormRefID }, decodeInt, "form_ref_id"),
	personal(stringField(func(f *FormData) *Opt[string] { return &f.Data }, "data")),
	stringField(func(f *FormData) *Opt[string] { return &f.Date }, "date"),
	intField(func(f *FormData) *Opt[int64] { return &f.SurveyID }, "survey_id"),
}

var formDataCodec = newObjectCodec("form answer", formDataFields, func(f FormData) any { type wire FormData; return wire(f) })

// UnmarshalJSON reads a formdatas / custom_fields entry; ids may come as numbers or strings.
func (f *FormData) UnmarshalJSON(b []byte) error { return formDataCodec.unmarshal(b, f) }

// MarshalJSON writes the entry, then its Unknown keys.
func (f FormData) MarshalJSON() ([]byte, error) { return formDataCodec.marshal(f) }
