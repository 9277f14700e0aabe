package reconcile

import (
	"strings"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Object is a whole contact as a Value: every attribute by name, the address as an Object of its
// own. Plans, states and configurations reach the engine in this form.
type Object = map[string]Value

// ObjectOf gives the attributes of a contact.
func ObjectOf(c qomon.Contact) Object {
	out := Object{}
	for _, g := range Groups {
		if g.Get(&c) {
			out[g.Name] = Object{}
		} else {
			out[g.Name] = nil
		}
	}
	for _, f := range Fields {
		SetAt(out, f.Path, f.Get(&c))
	}
	return out
}

// ContactOf reads a contact from its attributes: a null attribute becomes an explicit null (the
// caller decides whether a null is sent), an unknown one is left absent.
func ContactOf(o Object) qomon.Contact {
	var c qomon.Contact
	for _, g := range Groups {
		g.Put(&c, o[g.Name])
	}
	for _, f := range Fields {
		f.Put(&c, ValueAt(o, f.Path))
	}
	return c
}

// ValueAt finds the value at a field path: "address.city" is the city inside the address. A
// part inside an unknown address is unknown; inside a null address, null.
func ValueAt(o Object, path string) Value {
	parent, child, nested := strings.Cut(path, ".")
	v := o[parent]
	if !nested {
		return v
	}
	if IsUnknown(v) {
		return Unknown
	}
	m, ok := v.(Object)
	if !ok {
		return nil
	}
	return m[child]
}

// SetAt sets the value at a field path; a part of a null address is dropped with it.
func SetAt(o Object, path string, v Value) {
	parent, child, nested := strings.Cut(path, ".")
	if !nested {
		o[parent] = v
		return
	}
	if m, ok := o[parent].(Object); ok {
		m[child] = v
	}
}

// clone copies an Object deeply enough that the copy's nested objects can be edited.
func clone(o Object) Object {
	out := make(Object, len(o))
	for k, v := range o {
		if m, ok := v.(Object); ok {
			v = clone(m)
		}
		out[k] = v
	}
	return out
}

// equalValues compares two Values exactly, as a plan would show them.
func equalValues(a, b Value) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case unknownValue:
		return IsUnknown(b)
	case []Value:
		bl, ok := b.([]Value)
		if !ok || len(a) != len(bl) {
			return false
		}
		for i := range a {
			if !equalValues(a[i], bl[i]) {
				return false
			}
		}
		return true
	case Object:
		bm, ok := b.(Object)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			w, ok := bm[k]
			if !ok || !equalValues(v, w) {
				return false
			}
		}
		return true
	}
	return a == b
}
