package qomon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Form is a Qomon form: a question of an advanced field (consent, level of support, survey...)
// or a custom field, with its answer options (https://developers.qomon.com/pages/v1/reference/forms/overview).
type Form struct {
	ID        int64
	Label     string
	Type      string // radio, checkbox, date, text, numeric, range, ...
	Section   string
	Hidden    bool
	Mandatory bool
	RefValues []RefValue
}

// RefValue is one answer option of a form; its ID is what a contact's form answer carries as
// form_ref_id. Free-text forms have a single RefValue.
type RefValue struct {
	ID     int64
	FormID int64
	Label  string
	Value  string
}

var formFields = []objectField[Form]{
	{keys: []string{"id"}, decode: func(f *Form, raw []byte) error { return intInto(&f.ID, raw) }},
	{keys: []string{"label"}, decode: func(f *Form, raw []byte) error { return stringInto(&f.Label, raw) }},
	{keys: []string{"type"}, decode: func(f *Form, raw []byte) error { return stringInto(&f.Type, raw) }},
	computed(objectField[Form]{keys: []string{"section"}, decode: func(f *Form, raw []byte) error { return stringInto(&f.Section, raw) }}),
	computed(objectField[Form]{keys: []string{"hidden"}, decode: func(f *Form, raw []byte) error { return boolInto(&f.Hidden, raw) }}),
	computed(objectField[Form]{keys: []string{"mandatory"}, decode: func(f *Form, raw []byte) error { return boolInto(&f.Mandatory, raw) }}),
	{keys: []string{"refvalues", "ref_values"}, decode: func(f *Form, raw []byte) error {
		if isNull(raw) {
			return nil
		}
		list, err := decodeList(raw, unmarshalInto[RefValue])
		f.RefValues = list
		return err
	}},
}

var refValueFields = []objectField[RefValue]{
	{keys: []string{"id"}, decode: func(v *RefValue, raw []byte) error { return intInto(&v.ID, raw) }},
	{keys: []string{"form_id"}, decode: func(v *RefValue, raw []byte) error { return intInto(&v.FormID, raw) }},
	{keys: []string{"label"}, decode: func(v *RefValue, raw []byte) error { return stringInto(&v.Label, raw) }},
	{keys: []string{"value"}, decode: func(v *RefValue, raw []byte) error { return stringInto(&v.Value, raw) }},
}

// UnmarshalJSON reads a form as Qomon sends it; keys the client does not use are ignored.
func (f *Form) UnmarshalJSON(b []byte) error {
	return unmarshalObject(b, "form", formFields, f, nil)
}

// UnmarshalJSON reads a form's answer option.
func (v *RefValue) UnmarshalJSON(b []byte) error {
	return unmarshalObject(b, "answer option", refValueFields, v, nil)
}

func intInto(dst *int64, raw []byte) error     { return valueInto(dst, raw, decodeInt) }
func stringInto(dst *string, raw []byte) error { return valueInto(dst, raw, decodeString) }
func boolInto(dst *bool, raw []byte) error     { return valueInto(dst, raw, decodeBool) }

// valueInto decodes raw into the plain field dst (null and absent give the zero value).
func valueInto[V any](dst *V, raw []byte, decode func([]byte) (Opt[V], error)) error {
	v, err := decode(raw)
	*dst = v.Value
	return err
}

// ListForms lists the forms of one type (GET /v1/forms/type/{type}): consent,
// level_of_support, presence_status, custom_fields, survey or tasks.
func (c *Client) ListForms(ctx context.Context, formType string) ([]Form, error) {
	formType = strings.TrimSpace(formType)
	if formType == "" {
		return nil, errors.New("a form type is required (consent, level_of_support, presence_status, custom_fields, survey or tasks)")
	}
	return call(ctx, c, request{method: http.MethodGet, path: "/v1/forms/type/" + url.PathEscape(formType)}, decodeForms)
}

// GetForm reads one form (GET /forms/{id}). A form that does not exist gives an error for which
// IsNotFound is true.
func (c *Client) GetForm(ctx context.Context, id int64) (*Form, error) {
	if id <= 0 {
		return nil, fmt.Errorf("invalid form id %d: Qomon ids are positive integers", id)
	}
	return call(ctx, c, request{method: http.MethodGet, path: "/forms/" + strconv.FormatInt(id, 10)}, func(body []byte) (*Form, error) {
		form, err := decodeForm(body)
		if err == nil && form.ID != id {
			return nil, fmt.Errorf("the answer is form %d, not %d", form.ID, id)
		}
		return form, err
	})
}

// dataMember returns data.<key> of a success envelope.
func dataMember(body []byte, key string) (json.RawMessage, error) {
	_, data, err := unwrapData(body)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimSpace(data)
	d, err := dataObject(data)
	if err != nil {
		return nil, err
	}
	raw, ok := d[key]
	if !ok {
		// Some Qomon answers put the object itself in data.
		if key == "form" {
			if _, hasID := d["id"]; hasID {
				return data, nil
			}
		}
		return nil, fmt.Errorf("the answer has no data.%s", key)
	}
	return raw, nil
}

func decodeForms(body []byte) ([]Form, error) {
	raw, err := dataMember(body, "forms")
	if err != nil {
		return nil, err
	}
	if isNull(raw) {
		return []Form{}, nil
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '[' {
		return nil, fmt.Errorf("the answer's data.forms is %s, not an array", jsonKind(raw))
	}
	forms, err := decodeList(raw, unmarshalInto[Form])
	if err != nil {
		return nil, fmt.Errorf("the forms cannot be read: %v", err)
	}
	for i, f := range forms {
		if f.ID <= 0 {
			return nil, fmt.Errorf("form %d of the answer has no id", i)
		}
	}
	return forms, nil
}

func decodeForm(body []byte) (*Form, error) {
	raw, err := dataMember(body, "form")
	if err != nil {
		return nil, err
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, fmt.Errorf("the answer's form is %s, not an object", jsonKind(raw))
	}
	var f Form
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("the form cannot be read: %v", err)
	}
	if f.ID <= 0 {
		return nil, errors.New("the answer's form has no id")
	}
	return &f, nil
}
