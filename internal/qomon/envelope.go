package qomon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Qomon wraps contacts in an envelope both ways (https://developers.qomon.com/api-reference/contacts/create-a-contact). Requests are always
// {"data":{"contact":{...}}}. Responses have been documented as
// {"status":"success","data":{"contact":{...}}}, without `status`, with `data` being the
// contact itself, and (V1-DRAFT) as the bare contact: all are read.

// encodeContactEnvelope builds a create or update body.
func encodeContactEnvelope(c Contact) ([]byte, error) {
	return json.Marshal(struct {
		Data struct {
			Contact Contact `json:"contact"`
		} `json:"data"`
	}{Data: struct {
		Contact Contact `json:"contact"`
	}{Contact: c}})
}

// unwrapData returns the `data` member of a Qomon success envelope, or an error saying why the
// body is not one. An envelope whose status is "fail" or "error" is an error even under a 2xx.
func unwrapData(body []byte) (env map[string]json.RawMessage, data json.RawMessage, err error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, nil, errors.New("the answer is empty")
	}
	if f := formatOf(0, body); f == BodyHTML || f == BodyText {
		return nil, nil, fmt.Errorf("the answer is %s", f)
	}
	if body[0] != '{' {
		return nil, nil, fmt.Errorf("the answer is %s, not a JSON object", jsonKind(body))
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, nil, errors.New("the answer is not valid JSON (truncated?)")
	}
	if s, _ := decodeString(env["status"]); s.Present() && (s.Value == "fail" || s.Value == "error") {
		msg := firstNonEmpty(textOf(env["message"]), textOf(env["detail"]))
		if msg == "" {
			msg = "no message"
		}
		return nil, nil, fmt.Errorf("Qomon reported status %q: %s", s.Value, msg)
	}
	return env, env["data"], nil
}

// decodeContactResponse extracts the contact from a create, get or update answer. An answer
// without a contact, or with a contact lacking its id, is an error, never a zero Contact.
func decodeContactResponse(body []byte) (*Contact, error) {
	env, data, err := unwrapData(body)
	if err != nil {
		return nil, err
	}
	var raw json.RawMessage
	switch {
	case data != nil:
		data = bytes.TrimSpace(data)
		d, err := dataObject(data)
		if err != nil {
			return nil, err
		}
		if c, ok := d["contact"]; ok {
			raw = c
		} else if _, ok := d["id"]; ok {
			raw = data
		} else {
			return nil, errors.New("the answer has no data.contact")
		}
	case env["id"] != nil:
		raw = bytes.TrimSpace(body)
	default:
		return nil, errors.New("the answer holds no contact")
	}
	if isNull(raw) {
		return nil, errors.New("the answer's contact is null")
	}
	var c Contact
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("the answer's contact cannot be read: %v", err)
	}
	if id, ok := c.ID.Get(); !ok || id <= 0 {
		return nil, errors.New("the answer's contact has no id")
	}
	return &c, nil
}

// dataObject reads the data member of a success envelope as the object it must be.
func dataObject(data json.RawMessage) (map[string]json.RawMessage, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return nil, fmt.Errorf("the answer's data is %s, not an object", jsonKind(data))
	}
	var d map[string]json.RawMessage
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, errors.New("the answer's data is not valid JSON")
	}
	return d, nil
}

// call sends r and reads the answer with decode; an answer decode cannot read is an unusable
// answer (see Client.unusable).
func call[T any](ctx context.Context, c *Client, r request, decode func([]byte) (T, error)) (T, error) {
	var zero T
	res, err := c.do(ctx, r)
	if err != nil {
		return zero, err
	}
	out, err := decode(res.body)
	if err != nil {
		return zero, c.unusable(r, res, err.Error())
	}
	return out, nil
}
