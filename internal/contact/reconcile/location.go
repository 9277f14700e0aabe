package reconcile

import (
	"strconv"
	"strings"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Location is an attribute a Qomon validation error is about.
type Location struct {
	// Field is the field's path ("mail", "address.city", "notes"), or a group's name
	// ("address") for a part of it Terraform does not set.
	Field string
	// Index is the element of a list (notes), or -1.
	Index int
	// Elem is the attribute of that element ("content"), or "".
	Elem string
}

// FieldAtLocation reads a problem location such as "body.data.contact.address.city" or
// "body.data.contact.notes[1].content" (or a JSend field name such as "mail") into the attribute
// it names, in any spelling Qomon uses. Only writable attributes are returned: a location naming
// anything else (an id, a search parameter) gives false.
func FieldAtLocation(location string) (Location, bool) {
	rest := location
	if i := strings.Index(rest, "contact."); i >= 0 {
		rest = rest[i+len("contact."):]
	}
	rest = strings.ReplaceAll(rest, "[", ".")
	rest = strings.ReplaceAll(rest, "]", "")
	parts := strings.Split(rest, ".")
	key, ok := qomon.ContactKey(parts[0])
	if !ok {
		return Location{}, false
	}
	if g, ok := GroupNamed(key); ok {
		if len(parts) > 1 {
			if part, ok := qomon.AddressKey(parts[1]); ok {
				if f, ok := FieldNamed(g.Name + "." + part); ok && f.Writable() {
					return Location{Field: f.Path, Index: -1}, true
				}
			}
		}
		return Location{Field: g.Name, Index: -1}, true
	}
	f, ok := FieldNamed(key)
	if !ok || !f.Writable() {
		return Location{}, false
	}
	loc := Location{Field: f.Path, Index: -1}
	if f.Kind != KindObjectList || len(parts) < 2 {
		// Sets (tags, form answers, action ids) have no index an error could point at: the
		// whole attribute is named.
		return loc, true
	}
	if i, err := strconv.Atoi(parts[1]); err == nil && i >= 0 {
		loc.Index = i
		if len(parts) > 2 {
			if elem, ok := qomon.NoteKey(parts[2]); ok {
				loc.Elem = elem
			}
		}
	}
	return loc, true
}
