package qomon

import (
	"fmt"
	"slices"
)

// The key tables of contact.go, address.go, note.go and formdata.go are the client's single
// description of the wire format. The functions below let callers walk a contact key by key
// instead of naming struct fields, so that a key is spelt in one place: its table entry.

// ContactValue returns the accessor of the contact key (its current spelling, e.g.
// "birth_city"). It panics when the key is not modelled or does not hold an Opt[V]: callers use
// it to build package-level tables, so a wrong key fails every test of the caller at once.
func ContactValue[V any](key string) func(*Contact) *Opt[V] {
	return accessor[Contact, V](contactFields, "contact", key)
}

// AddressValue is ContactValue for the keys of a contact's address.
func AddressValue[V any](key string) func(*Address) *Opt[V] {
	return accessor[Address, V](addressFields, "address", key)
}

func accessor[T, V any](fields []objectField[T], what, key string) func(*T) *Opt[V] {
	for _, f := range fields {
		if f.keys[0] != key {
			continue
		}
		at, ok := f.at.(func(*T) *Opt[V])
		if !ok {
			panic(fmt.Sprintf("qomon: %s key %q does not hold a %T", what, key, Opt[V]{}))
		}
		return at
	}
	panic(fmt.Sprintf("qomon: %s key %q is not modelled", what, key))
}

// ContactKey returns the current spelling of a contact key written in any spelling Qomon has
// used ("birthcity" gives "birth_city"), and whether the key is modelled at all. Qomon's
// validation errors name keys as the request did.
func ContactKey(spelling string) (string, bool) {
	return currentSpelling(contactFields, spelling)
}

// AddressKey is ContactKey for the keys of an address ("postal_code" gives "postalcode").
func AddressKey(spelling string) (string, bool) {
	return currentSpelling(addressFields, spelling)
}

func currentSpelling[T any](fields []objectField[T], spelling string) (string, bool) {
	for _, f := range fields {
		if slices.Contains(f.keys, spelling) {
			return f.keys[0], true
		}
	}
	return "", false
}

// SortKeys are the attributes Qomon's search sorts contacts by.
func SortKeys() []string {
	var out []string
	for _, f := range contactFields {
		if f.sortKey != "" {
			out = append(out, f.sortKey)
		}
	}
	for _, f := range addressFields {
		if f.sortKey != "" {
			out = append(out, f.sortKey)
		}
	}
	return out
}

// personalKeys lists every spelling of every key whose value is personal data, in contacts,
// addresses, notes and form answers.
func personalKeys() []string {
	var out []string
	out = appendPersonal(out, contactFields)
	out = appendPersonal(out, addressFields)
	out = appendPersonal(out, noteFields)
	return appendPersonal(out, formDataFields)
}

func appendPersonal[T any](out []string, fields []objectField[T]) []string {
	for _, f := range fields {
		if f.personal {
			out = append(out, f.keys...)
		}
	}
	return out
}

// NoteKey is ContactKey for the keys of a note ("data" gives "content").
func NoteKey(spelling string) (string, bool) {
	return currentSpelling(noteFields, spelling)
}
