package qomon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The decoders below turn one raw JSON value into an Opt, accepting every type Qomon has been
// seen to use for a field (the contact schema at
// https://developers.qomon.com/api-reference/contacts/create-a-contact, and its public clients): numbers where strings were expected
// (postalcode 75001), strings where numbers were expected ("48.869476"), and so on.
// A value of a type that makes no sense for the field (an object where a name belongs) is an
// error that names the JSON type but never the value, which may be personal data.

// jsonKind names the JSON type of a raw value for error messages.
func jsonKind(raw []byte) string {
	switch kind := JSONType(raw); kind {
	case "":
		return "nothing"
	case "null":
		return kind
	case "object", "array":
		return "an " + kind
	default:
		return "a " + kind
	}
}

// JSONType names the type of a raw JSON value from its first byte: "object", "array",
// "string", "boolean", "null" or "number"; "" for nothing at all. It does not validate raw.
func JSONType(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

func isNull(raw []byte) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func isNumberLiteral(raw []byte) bool {
	return len(raw) > 0 && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'))
}

// decodeString accepts a string, or a number kept as its literal text so that nothing is
// rounded (postal codes, coordinates).
func decodeString(raw []byte) (Opt[string], error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case isNull(raw):
		return Null[string](), nil
	case len(raw) > 0 && raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return Opt[string]{}, fmt.Errorf("malformed string")
		}
		return Some(s), nil
	case isNumberLiteral(raw):
		if !json.Valid(raw) {
			return Opt[string]{}, fmt.Errorf("malformed number")
		}
		return Some(string(raw)), nil
	}
	return Opt[string]{}, fmt.Errorf("expected a string, got %s", jsonKind(raw))
}

// decodeInt accepts an integer, a number with an integral value (12.0), or a string holding
// one. An empty string means no value.
func decodeInt(raw []byte) (Opt[int64], error) {
	return decodeNumber(raw, "an integer", parseInt)
}

func parseInt(text string) (int64, error) {
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("expected an integer, got a non-numeric value")
	}
	// 2^63 is exactly representable; anything at or beyond it does not fit in an int64.
	if f != math.Trunc(f) || f >= math.Exp2(63) || f < -math.Exp2(63) {
		return 0, fmt.Errorf("expected an integer, got a fractional or out-of-range number")
	}
	return int64(f), nil
}

// decodeFloat accepts a number or a string holding one. An empty string means no value.
func decodeFloat(raw []byte) (Opt[float64], error) {
	return decodeNumber(raw, "a number", func(text string) (float64, error) {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, fmt.Errorf("expected a number, got a non-numeric value")
		}
		return f, nil
	})
}

// decodeNumber reads a number, or a string holding one, with parse; what names the expected
// type in errors. An empty string means no value.
func decodeNumber[N int64 | float64](raw []byte, what string, parse func(string) (N, error)) (Opt[N], error) {
	raw = bytes.TrimSpace(raw)
	var text string
	switch {
	case isNull(raw):
		return Null[N](), nil
	case len(raw) > 0 && raw[0] == '"':
		if err := json.Unmarshal(raw, &text); err != nil {
			return Opt[N]{}, fmt.Errorf("malformed string")
		}
		text = strings.TrimSpace(text)
		if text == "" {
			return Null[N](), nil
		}
	case isNumberLiteral(raw):
		text = string(raw)
	default:
		return Opt[N]{}, fmt.Errorf("expected %s, got %s", what, jsonKind(raw))
	}
	n, err := parse(text)
	if err != nil {
		return Opt[N]{}, err
	}
	return Some(n), nil
}

// decodeBool accepts a boolean, the strings "true"/"false"/"1"/"0" and the numbers 0 and 1.
// An empty string means no value.
func decodeBool(raw []byte) (Opt[bool], error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case isNull(raw):
		return Null[bool](), nil
	case bytes.Equal(raw, []byte("true")):
		return Some(true), nil
	case bytes.Equal(raw, []byte("false")):
		return Some(false), nil
	case len(raw) > 0 && raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return Opt[bool]{}, fmt.Errorf("malformed string")
		}
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "":
			return Null[bool](), nil
		case "true", "1":
			return Some(true), nil
		case "false", "0":
			return Some(false), nil
		}
		return Opt[bool]{}, fmt.Errorf("expected a boolean, got a string that is not one")
	case isNumberLiteral(raw):
		f, err := strconv.ParseFloat(string(raw), 64)
		if err == nil && (f == 0 || f == 1) {
			return Some(f == 1), nil
		}
		return Opt[bool]{}, fmt.Errorf("expected a boolean, got a number other than 0 or 1")
	}
	return Opt[bool]{}, fmt.Errorf("expected a boolean, got %s", jsonKind(raw))
}

// decodeOpt decodes a nullable composite value with dec.
func decodeOpt[T any](raw []byte, dec func([]byte) (T, error)) (Opt[T], error) {
	if isNull(raw) {
		return Null[T](), nil
	}
	v, err := dec(raw)
	if err != nil {
		return Opt[T]{}, err
	}
	return Some(v), nil
}

// decodeList decodes an array with one decoder per element, skipping null elements. A single
// object where an array was expected is read as a one-element array: Qomon's search example
// shows `notes` that way.
func decodeList[T any](raw []byte, elem func([]byte) (T, error)) ([]T, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, fmt.Errorf("expected an array, got nothing")
	}
	if raw[0] != '[' {
		if raw[0] != '{' {
			return nil, fmt.Errorf("expected an array, got %s", jsonKind(raw))
		}
		v, err := elem(raw)
		if err != nil {
			return nil, err
		}
		return []T{v}, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("malformed array")
	}
	out := make([]T, 0, len(items))
	for i, it := range items {
		if isNull(it) {
			continue
		}
		v, err := elem(it)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// unmarshalInto adapts a type's own UnmarshalJSON to the element-decoder shape.
func unmarshalInto[T any, P interface {
	*T
	json.Unmarshaler
}](raw []byte) (T, error) {
	var v T
	err := P(&v).UnmarshalJSON(raw)
	return v, err
}

func decodeIntElem(raw []byte) (int64, error) {
	o, err := decodeInt(raw)
	if err != nil {
		return 0, err
	}
	if !o.Present() {
		return 0, fmt.Errorf("expected an integer, got an empty value")
	}
	return o.Value, nil
}
