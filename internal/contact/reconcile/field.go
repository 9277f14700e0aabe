package reconcile

import (
	"strings"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Kind is the shape of an attribute's value, which decides its Terraform type.
type Kind int

const (
	KindText       Kind = iota // a string
	KindInt                    // an int64
	KindBool                   // a bool
	KindFloat                  // a float64
	KindTextSet                // a set of strings
	KindIntSet                 // a set of int64
	KindObjectList             // a list of objects (Elems)
	KindObjectSet              // a set of objects (Elems)
	KindObject                 // one object (Elems)
)

// Role says who gives an attribute its value.
type Role int

const (
	// RoleManaged: the configuration may set it, and it is managed while it does; otherwise it
	// mirrors Qomon (Optional and Computed).
	RoleManaged Role = iota
	// RoleComputed: Qomon computes it.
	RoleComputed
	// RoleRequired: an attribute of a collection element that the configuration must set.
	RoleRequired
	// RoleOptional: an attribute of a collection element the configuration may set; when it does
	// not, Qomon fills it in and it is not compared.
	RoleOptional
	// RoleDefaulted: an attribute of a collection element with a default (Default).
	RoleDefaulted
)

// Attr describes an attribute: a field of the contact, or an attribute of the elements of a
// collection or of an object.
type Attr struct {
	Name string // the attribute's name in Terraform
	Doc  string // its documentation (Markdown), written for users
	Kind Kind
	Role Role
	// Meaning is how two spellings of a text value (or of a text set's elements) compare.
	Meaning Meaning
	// Checks run at plan time on every known, non-null value (on every element of a set of
	// text or integers).
	Checks []Check
	// Default is the value of a RoleDefaulted attribute the configuration leaves out.
	Default Value
	// Elems are the attributes of the elements (KindObjectList, KindObjectSet) or of the object
	// (KindObject).
	Elems []Attr
}

// Field is a top-level attribute of qomon_contact, or an attribute of its address.
type Field struct {
	Attr
	// Path names the field as the attribute path does: "mail", "address.city", "tags".
	Path string
	// Wire is the field's key in Qomon's contact (or address) object.
	Wire string
	// Whole marks a collection, managed as a whole: when the configuration sets it, the contact
	// has exactly that collection.
	Whole bool

	acc access
	w   writable // nil for a computed field
}

// Group is an attribute that holds fields of its own, each managed on its own: the address.
type Group struct {
	Name string
	Doc  string
	acc  groupAccess
}

// access reads and writes a field of a contact as a Value.
type access interface {
	// get returns the field's value (nil when it has none).
	get(c *qomon.Contact) Value
	// put gives c the value v: nil is an explicit null, Unknown leaves the field absent.
	put(c *qomon.Contact, v Value)
	// canonical rewrites what Qomon answered into the one spelling state shows.
	canonical(c *qomon.Contact)
}

// writable is what the engine does with a field the configuration may set. Every method reads a
// qomon.Contact, where "no value" may be an absent key, an explicit null or blank text: all
// three mean the same to a reader; only a writer has to tell them apart.
type writable interface {
	// equal reports whether a and b hold the same value once Qomon's different spellings are
	// accounted for. For form answers it is asymmetric: a part left unset in a (the Terraform
	// side) matches any value in b (the Qomon side).
	equal(a, b *qomon.Contact) bool
	// same reports whether a and b hold exactly the same value, as a plan would show it (blank
	// text and null aside: neither is a value).
	same(a, b *qomon.Contact) bool
	// copyTo gives dst the value src holds; when src has none, dst gets an explicit null.
	copyTo(dst, src *qomon.Contact)
	// keepSpelling rewrites dst (fresh from Qomon) in prior's spelling wherever the two are
	// equal, so that state keeps the spelling the configuration used.
	keepSpelling(dst, prior *qomon.Contact)
	// toWire writes c's value the way a request says it: blank text is null, a date is a
	// timestamp; for a full-replace request (replace) a "no value" is left out for a scalar
	// (Qomon documents that an omitted field is cleared, while a null is not documented and a
	// schema-validating server may refuse it for a string) and an empty list for a collection.
	toWire(c *qomon.Contact, replace bool)
	// sent reports whether a request body carries the field (a value or an explicit null).
	sent(body *qomon.Contact) bool
	// describe says where stored differs from planned and how, without either value
	// (Differences).
	describe(planned, stored *qomon.Contact) []string
}

// elementPlanner is a collection the plan keeps element by element (collection.planElements).
type elementPlanner interface {
	planElements(cfg, st []Value, computed []string) []Value
}

// groupAccess is the presence of a group's object in a contact.
type groupAccess interface {
	get(c *qomon.Contact) bool // whether c has the object
	put(c *qomon.Contact, v Value)
	// canonical drops an object that holds no part with a value.
	canonical(c *qomon.Contact)
	// keepShape gives dst prior's object when neither holds a part with a value, so that an
	// object the configuration wrote with blank parts stays as written.
	keepShape(dst, prior *qomon.Contact)
}

// Writable reports whether the configuration may set the field.
func (f Field) Writable() bool { return f.w != nil }

// Group returns the name of the group the field belongs to ("address"), or "".
func (f Field) Group() string {
	g, _, ok := strings.Cut(f.Path, ".")
	if !ok {
		return ""
	}
	return g
}

// Get returns the field's value in c.
func (f Field) Get(c *qomon.Contact) Value { return f.acc.get(c) }

// Put gives c the value v (see access.put).
func (f Field) Put(c *qomon.Contact, v Value) { f.acc.put(c, v) }

// Equal reports whether two values of the field mean the same (a, the Terraform side, may leave
// parts of a form answer to Qomon). Only meaningful for writable fields.
func (f Field) Equal(a, b Value) bool {
	if f.w == nil {
		return false
	}
	var ca, cb qomon.Contact
	f.acc.put(&ca, a)
	f.acc.put(&cb, b)
	return f.w.equal(&ca, &cb)
}

// Has reports whether the field holds a value in c (blank text and an empty collection do not).
func (f Field) Has(c *qomon.Contact) bool {
	if f.w == nil {
		return f.acc.get(c) != nil
	}
	return !f.w.equal(&qomon.Contact{}, c)
}

// Get reports whether c has the group's object.
func (g Group) Get(c *qomon.Contact) bool { return g.acc.get(c) }

// Put gives c the group's object (any non-nil v), an explicit null (nil) or nothing (Unknown).
func (g Group) Put(c *qomon.Contact, v Value) { g.acc.put(c, v) }

// FieldNamed finds a field by its path ("mail", "address.city").
func FieldNamed(path string) (Field, bool) {
	for _, f := range Fields {
		if f.Path == path {
			return f, true
		}
	}
	return Field{}, false
}

// GroupNamed finds a group by name.
func GroupNamed(name string) (Group, bool) {
	for _, g := range Groups {
		if g.Name == name {
			return g, true
		}
	}
	return Group{}, false
}

// WritableFields lists the fields the configuration may set, in registry order: the units of
// ownership, comparison and change.
func WritableFields() []Field {
	out := make([]Field, 0, len(Fields))
	for _, f := range Fields {
		if f.Writable() {
			out = append(out, f)
		}
	}
	return out
}
