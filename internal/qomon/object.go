package qomon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// objectField describes how one modelled key of a Qomon object is decoded. Qomon has spelled
// several keys in more than one way (birthcity / birth_city, customfields / custom_fields...):
// keys lists the spelling we write first, then the others we accept.
type objectField[T any] struct {
	keys []string
	// lenient marks read-only, server-computed keys (geocoding): a value of an unexpected type
	// is kept verbatim in Unknown instead of failing the whole contact, because nothing the
	// provider writes depends on it.
	lenient bool
	// personal marks keys whose values are personal data (names, contact details, address,
	// free text): MaskBody masks them in every spelling.
	personal bool
	// sortKey is the attribute Qomon's search sorts by for this key ("" when it cannot sort by it).
	sortKey string
	// at is the field's typed accessor, func(*T) *Opt[V], for callers that walk a contact key by
	// key (see keys.go); nil for keys that are not an Opt.
	at     any
	decode func(t *T, raw []byte) error
}

// decodeObject fills t from the JSON object raw: every modelled key through its decoder, every
// other key into *unknown. When several spellings of a key are present, the first one (in keys
// order) holding a non-null value wins. A JSON null leaves t untouched, as encoding/json does.
func decodeObject[T any](raw []byte, fields []objectField[T], t *T, unknown *map[string]json.RawMessage) error {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return nil
	}
	if len(raw) == 0 || raw[0] != '{' {
		return fmt.Errorf("expected an object, got %s", jsonKind(raw))
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("malformed JSON object")
	}
	for _, f := range fields {
		key, v, ok := pickKey(m, f.keys)
		for _, k := range f.keys {
			delete(m, k)
		}
		if !ok {
			continue
		}
		if err := f.decode(t, v); err != nil {
			if f.lenient {
				m[key] = v
				continue
			}
			return fmt.Errorf("key %q: %w", key, err)
		}
	}
	if len(m) == 0 {
		*unknown = nil
		return nil
	}
	*unknown = m
	return nil
}

// unmarshalObject is the UnmarshalJSON of a wire type: a JSON null leaves *dst untouched, an
// error is prefixed with what (never a value), and *dst changes only when the whole object
// reads. unknown returns where the type keeps the keys it does not model; nil drops them.
func unmarshalObject[T any](b []byte, what string, fields []objectField[T], dst *T, unknown func(*T) *map[string]json.RawMessage) error {
	if isNull(b) {
		return nil
	}
	var out T
	var dropped map[string]json.RawMessage
	keep := &dropped
	if unknown != nil {
		keep = unknown(&out)
	}
	if err := decodeObject(b, fields, &out, keep); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	*dst = out
	return nil
}

// Extra keeps the keys of a received object that its fields do not model (for a contact:
// external_id, membership_*, interactions, keys Qomon adds tomorrow...). MarshalJSON writes them
// back as they came, so that a replace-style PATCH preserves them. Contact, Address, Note and
// FormData embed it.
type Extra struct {
	Unknown map[string]json.RawMessage `json:"-"`
}

func (e *Extra) unknownKeys() *map[string]json.RawMessage { return &e.Unknown }

// keepsExtra is a pointer to a wire type that embeds Extra.
type keepsExtra[T any] interface {
	*T
	unknownKeys() *map[string]json.RawMessage
}

// objectCodec is the JSON of a wire type that keeps the keys it does not model (a contact, an
// address, a note, a form answer): its name in errors, its fields, every spelling of their keys;
// the other keys go to its Extra. Each type's UnmarshalJSON and MarshalJSON are one call to it.
type objectCodec[T any, P keepsExtra[T]] struct {
	what     string
	fields   []objectField[T]
	modelled map[string]bool
	// wire converts a value to a type without methods, so that encoding/json does not recurse
	// into MarshalJSON.
	wire func(T) any
}

func newObjectCodec[T any, P keepsExtra[T]](what string, fields []objectField[T], wire func(T) any) objectCodec[T, P] {
	return objectCodec[T, P]{what: what, fields: fields, modelled: fieldNames(fields), wire: wire}
}

// unmarshal is the UnmarshalJSON of T (unmarshalObject).
func (o objectCodec[T, P]) unmarshal(b []byte, dst *T) error {
	return unmarshalObject(b, o.what, o.fields, dst, func(t *T) *map[string]json.RawMessage { return P(t).unknownKeys() })
}

// marshal is the MarshalJSON of T: v's modelled fields, then its unknown keys.
func (o objectCodec[T, P]) marshal(v T) ([]byte, error) {
	b, err := json.Marshal(o.wire(v))
	if err != nil {
		return nil, err
	}
	return appendUnknown(b, *P(&v).unknownKeys(), o.modelled)
}

// pickKey returns the first spelling holding a non-null value, else the first one present.
func pickKey(m map[string]json.RawMessage, keys []string) (string, json.RawMessage, bool) {
	firstKey, found := "", false
	for _, k := range keys {
		v, ok := m[k]
		if !ok {
			continue
		}
		if !isNull(v) {
			return k, v, true
		}
		if !found {
			firstKey, found = k, true
		}
	}
	if !found {
		return "", nil, false
	}
	return firstKey, m[firstKey], true
}

// fieldNames is the set of every spelling the fields accept.
func fieldNames[T any](fields []objectField[T]) map[string]bool {
	names := make(map[string]bool)
	for _, f := range fields {
		for _, k := range f.keys {
			names[k] = true
		}
	}
	return names
}

// appendUnknown adds the unknown keys to an encoded object, sorted so that the encoding is
// deterministic. Modelled keys win: an unknown key that is (a spelling of) a modelled key is
// dropped, otherwise the same field could go out twice under two spellings.
func appendUnknown(encoded []byte, unknown map[string]json.RawMessage, modelled map[string]bool) ([]byte, error) {
	keys := make([]string, 0, len(unknown))
	for k := range unknown {
		if !modelled[k] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return encoded, nil
	}
	slices.Sort(keys)
	encoded = bytes.TrimSpace(encoded)
	if len(encoded) < 2 || encoded[len(encoded)-1] != '}' {
		return nil, fmt.Errorf("internal error: encoded value is not an object")
	}
	var buf bytes.Buffer
	buf.Grow(len(encoded) + 64*len(keys))
	buf.Write(encoded[:len(encoded)-1])
	empty := bytes.Equal(bytes.TrimSpace(encoded[:len(encoded)-1]), []byte("{"))
	for _, k := range keys {
		v := bytes.TrimSpace(unknown[k])
		if len(v) == 0 || !json.Valid(v) {
			return nil, fmt.Errorf("unknown key %q does not hold valid JSON", k)
		}
		if !empty {
			buf.WriteByte(',')
		}
		empty = false
		name, _ := json.Marshal(k)
		buf.Write(name)
		buf.WriteByte(':')
		if err := json.Compact(&buf, v); err != nil {
			return nil, fmt.Errorf("unknown key %q does not hold valid JSON", k)
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// copyRaw copies an Unknown map, leaving out the keys in drop, so that a caller editing the
// copy never edits the original.
func copyRaw(m map[string]json.RawMessage, drop map[string]bool) map[string]json.RawMessage {
	var out map[string]json.RawMessage
	for k, v := range m {
		if drop[k] {
			continue
		}
		if out == nil {
			out = make(map[string]json.RawMessage, len(m))
		}
		out[k] = slices.Clone(v)
	}
	return out
}

// Field constructors for the tables of contact.go, address.go, note.go and formdata.go.

func stringField[T any](at func(*T) *Opt[string], keys ...string) objectField[T] {
	return optField(at, decodeString, keys)
}

func intField[T any](at func(*T) *Opt[int64], keys ...string) objectField[T] {
	return optField(at, decodeInt, keys)
}

func floatField[T any](at func(*T) *Opt[float64], keys ...string) objectField[T] {
	return optField(at, decodeFloat, keys)
}

func boolField[T any](at func(*T) *Opt[bool], keys ...string) objectField[T] {
	return optField(at, decodeBool, keys)
}

// optField is a key whose value decode reads into the Opt at returns.
func optField[T, V any](at func(*T) *Opt[V], decode func([]byte) (Opt[V], error), keys []string) objectField[T] {
	return objectField[T]{keys: keys, at: at, decode: func(t *T, raw []byte) (err error) {
		*at(t), err = decode(raw)
		return err
	}}
}

// plainField is a key held in a plain Go value rather than an Opt (a form answer's ids, a note's
// text): absent or null, it leaves the zero value.
func plainField[T, V any](at func(*T) *V, decode func([]byte) (Opt[V], error), keys ...string) objectField[T] {
	return objectField[T]{keys: keys, decode: func(t *T, raw []byte) error {
		v, err := decode(raw)
		*at(t) = v.Value
		return err
	}}
}

func listField[T, E any](at func(*T) *Opt[[]E], elem func([]byte) (E, error), keys ...string) objectField[T] {
	return objectField[T]{keys: keys, at: at, decode: func(t *T, raw []byte) (err error) {
		*at(t), err = decodeOpt(raw, func(b []byte) ([]E, error) { return decodeList(b, elem) })
		return err
	}}
}

// computed marks a field as lenient (see objectField.lenient).
func computed[T any](f objectField[T]) objectField[T] {
	f.lenient = true
	return f
}

// personal marks a field as personal data (see objectField.personal).
func personal[T any](f objectField[T]) objectField[T] {
	f.personal = true
	return f
}

// sortable names the attribute Qomon's search sorts the field by (see objectField.sortKey).
func sortable[T any](name string, f objectField[T]) objectField[T] {
	f.sortKey = name
	return f
}
