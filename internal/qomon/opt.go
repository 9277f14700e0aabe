package qomon

import (
	"bytes"
	"encoding/json"
)

// Opt is a field of a Qomon payload that can be absent (the key is not sent or was not
// received), explicitly null, or hold a value. Qomon's PATCH replaces the whole contact, while
// a merging PATCH treats an absent key and a null key differently, so the client has to keep
// the three states apart; a plain pointer cannot.
//
// Use it with the `omitzero` JSON option: an absent Opt is left out of the encoding.
type Opt[T any] struct {
	Set   bool // the key is present
	Null  bool // the key is present and null (only meaningful when Set)
	Value T    // the value (only meaningful when Set && !Null)
}

// Some returns an Opt holding v.
func Some[T any](v T) Opt[T] { return Opt[T]{Set: true, Value: v} }

// Null returns an Opt that encodes as JSON null.
func Null[T any]() Opt[T] { return Opt[T]{Set: true, Null: true} }

// IsZero reports whether the key is absent; encoding/json's omitzero uses it.
func (o Opt[T]) IsZero() bool { return !o.Set }

// Present reports whether the field holds a non-null value.
func (o Opt[T]) Present() bool { return o.Set && !o.Null }

// Get returns the value and whether there is one (absent and null both give false).
func (o Opt[T]) Get() (T, bool) { return o.Value, o.Present() }

// MarshalJSON encodes null or the value. An absent Opt never reaches here when the
// field carries `omitzero`; without it, absent encodes as null.
func (o Opt[T]) MarshalJSON() ([]byte, error) {
	if !o.Set || o.Null {
		return []byte("null"), nil
	}
	return json.Marshal(o.Value)
}

// UnmarshalJSON records presence and nullness. Tolerant decoding of the value itself (numbers
// sent as strings and the like) is the job of T's own UnmarshalJSON.
func (o *Opt[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Null = true
		var zero T
		o.Value = zero
		return nil
	}
	o.Null = false
	return json.Unmarshal(b, &o.Value)
}
