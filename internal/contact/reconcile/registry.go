package reconcile

import (
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Fields is the field registry: every attribute of qomon_contact, declared once, in the order
// the schema, diagnostics and requests list them. The wire key of each is its name unless said
// otherwise; the client's key tables (package qomon) know its other spellings and whether it is
// personal data. To add a field Qomon ships, add it to the wire type, then here, then to the
// registry test's table — the schema, state, ownership, requests, log masking and error
// locations follow.
var Fields = []Field{
	computedInt("id", "Qomon's id of the contact."),
	computedInt("group_id", "Id of the Qomon space that holds the contact."),
	computedInt("user_id", "Id of the Qomon user who last updated the contact."),
	computedText("created_at", "CreatedAt", "When the contact was created (RFC 3339, UTC).", Timestamp),
	computedText("updated_at", "UpdatedAt", "When the contact was last written, by anyone (RFC 3339, UTC).", Timestamp),
	computedText("lastchange", "lastchange", "When a person last changed the contact, as Qomon records it (RFC 3339, UTC).", Timestamp),

	text("firstname", "First name.", Text),
	text("surname", "Surname (family name).", Text),
	text("married_name", "Married name.", Text),
	text("gender", "Gender: `M`, `F` or `O` (other).", Text, OneOf("M", "F", "O")),
	text("birthdate", "Date of birth, as `YYYY-MM-DD` (or an RFC 3339 timestamp). Qomon stores it as a timestamp.", Birthdate, IsDate),
	integer("age_category", "Age bracket, `0` to `6` as configured in the Qomon space (by default `0` is 18 or under, "+
		"`1` is 18 to 25, and so on). Qomon may derive it from the birthdate.", Between(0, 6)),
	text("birth_city", "City of birth.", Text),
	text("birth_dept", "Department or county of birth.", Text),
	text("birth_country", "Country of birth.", Text),
	text("nationality", "Nationality.", Text),
	text("mail", "E-mail address.", Mail, IsMail),
	text("phone", "Landline phone number, as text (leading zeros and `+` are kept).", Text),
	text("mobile", "Mobile phone number, as text (leading zeros and `+` are kept).", Text),
	flag("phone_invalid", "Whether the landline number is known to be wrong."),
	flag("mobile_invalid", "Whether the mobile number is known to be wrong."),
	flag("black_list", "When `true`, Qomon prevents any communication with the contact."),
	integer("user_contact_id", "Id of the Qomon user this contact is.", AtLeast(1)),

	addressDigits("housenumber", "House number, as text (`12`, `12 bis`)."),
	addressText("street", "Street."),
	addressText("addition", "Second address line."),
	addressText("infos", "Further delivery information."),
	addressText("building", "Building."),
	addressDigits("floor", "Floor, as text."),
	addressText("door", "Door."),
	addressDigits("postalcode", "Postal code, as text (`07000`)."),
	addressText("city", "City."),
	addressText("county", "County."),
	addressText("state", "State or region."),
	addressText("country", "Country."),
	addressText("pollingstation", "Polling station."),
	geocoding(),

	tags(),
	notes(),
	answers("formdatas", "Answers to Qomon's advanced fields: consents, level of support, presence, surveys, tasks "+
		"(see the `qomon_form` data source for their ids)."),
	answers("custom_fields", "Answers to the space's custom fields (forms of type `custom_fields`)."),
	ids("action_ids", "Ids of the Qomon actions (canvassing, calls, events) the contact is linked to."),
}

// Groups are the attributes whose fields are managed one by one.
var Groups = []Group{{
	Name: "address",
	Doc: "Postal address. Each part is managed on its own: the parts the configuration sets are managed, the others " +
		"mirror Qomon. Qomon geocodes the address again after every change of a part (`geocoding`).",
	acc: addressGroup{},
}}

func computedInt(name, doc string) Field {
	return Field{Attr: Attr{Name: name, Doc: doc, Kind: KindInt, Role: RoleComputed}, Path: name, Wire: name,
		acc: plainScalar(topLevel(qomon.ContactValue[int64](name)))}
}

func computedText(name, wire, doc string, m Meaning) Field {
	return Field{Attr: Attr{Name: name, Doc: doc, Kind: KindText, Role: RoleComputed, Meaning: m}, Path: name, Wire: wire,
		acc: textScalar(topLevel(qomon.ContactValue[string](wire)), m)}
}

func text(name, doc string, m Meaning, checks ...Check) Field {
	s := textScalar(topLevel(qomon.ContactValue[string](name)), m)
	return Field{Attr: Attr{Name: name, Doc: doc, Kind: KindText, Role: RoleManaged, Meaning: m, Checks: checks},
		Path: name, Wire: name, acc: s, w: s}
}

func integer(name, doc string, checks ...Check) Field {
	s := plainScalar(topLevel(qomon.ContactValue[int64](name)))
	return Field{Attr: Attr{Name: name, Doc: doc, Kind: KindInt, Role: RoleManaged, Checks: checks}, Path: name, Wire: name, acc: s, w: s}
}

func flag(name, doc string) Field {
	s := plainScalar(topLevel(qomon.ContactValue[bool](name)))
	return Field{Attr: Attr{Name: name, Doc: doc, Kind: KindBool, Role: RoleManaged}, Path: name, Wire: name, acc: s, w: s}
}

// addressText is a part of the address that is free text.
func addressText(name, doc string) Field { return addressPart(name, doc, Text) }

// addressDigits is a part of the address that Qomon may return as a number (Digits).
func addressDigits(name, doc string) Field { return addressPart(name, doc, Digits) }

func addressPart(name, doc string, m Meaning) Field {
	s := textScalar(inAddress(qomon.AddressValue[string](name)), m)
	return Field{Attr: Attr{Name: name, Doc: doc, Kind: KindText, Role: RoleManaged, Meaning: m}, Path: "address." + name,
		Wire: name, acc: s, w: s}
}

// addressGroup is the presence of the address object.
type addressGroup struct{}

func (addressGroup) get(c *qomon.Contact) bool { return c.Address.Present() }

func (addressGroup) put(c *qomon.Contact, v Value) {
	switch {
	case IsUnknown(v):
	case v == nil:
		c.Address = qomon.Null[qomon.Address]()
	case !c.Address.Present():
		c.Address = qomon.Some(qomon.Address{})
	}
}

// canonical: an address without any part a person enters is no address. Geocoding left behind
// by an address whose parts were all cleared (Qomon may keep "invalid": true and a score) is no
// address either; keeping it would give state an address whose every writable part is null,
// which -generate-config-out writes out as an address that manages nothing.
func (g addressGroup) canonical(c *qomon.Contact) {
	if c.Address.Present() && !hasAddressPart(c) {
		c.Address = qomon.Null[qomon.Address]()
	}
}

func (addressGroup) keepShape(dst, prior *qomon.Contact) {
	if prior.Address.Present() && !hasAddressPart(prior) && !hasAddressPart(dst) {
		a := prior.Address.Value
		for _, p := range geocodingParts {
			p.forget(&a)
		}
		dst.Address = qomon.Some(a)
	}
}

// hasAddressPart reports whether c's address holds a part with a value.
func hasAddressPart(c *qomon.Contact) bool {
	for _, f := range Fields {
		if f.Group() == "address" && f.Writable() && f.Has(c) {
			return true
		}
	}
	return false
}

// geocodingPart is one value Qomon computes from the address: its attribute, and how to read,
// write, tidy and forget it in a qomon.Address.
type geocodingPart struct {
	attr      Attr
	get       func(*qomon.Address) Value // nil when the address has no value for it
	put       func(*qomon.Address, Value)
	canonical func(*qomon.Address)
	forget    func(*qomon.Address)
}

// geocodingParts are what Qomon computes from the address, in the order of the documentation.
var geocodingParts = []geocodingPart{
	geocodingValue[string]("citycode", "Code of the city (the INSEE code in France)."),
	geocodingValue[string]("latitude", "Latitude, in decimal degrees."),
	geocodingValue[string]("longitude", "Longitude, in decimal degrees."),
	geocodingValue[string]("location", "`latitude,longitude`."),
	geocodingValue[float64]("score", "Confidence of the geocoding, from 0 to 1."),
	geocodingValue[bool]("invalid", "Whether geocoding found the address to be invalid."),
}

// geocodingValue declares a geocoding part by its name, which is also its wire key, and its Go
// type, from which its Kind follows.
func geocodingValue[V string | float64 | bool](name, doc string) geocodingPart {
	at := qomon.AddressValue[V](name)
	var kind Kind
	switch any(*new(V)).(type) {
	case string:
		kind = KindText
	case float64:
		kind = KindFloat
	case bool:
		kind = KindBool
	}
	return geocodingPart{
		attr: Attr{Name: name, Doc: doc, Kind: kind, Role: RoleComputed},
		get:  func(a *qomon.Address) Value { return valueOf(*at(a)) },
		put:  func(a *qomon.Address, v Value) { *at(a) = optOf[V](v) },
		// Qomon may answer "" for a coordinate it does not have.
		canonical: func(a *qomon.Address) {
			if o := at(a); o.Present() {
				if s, ok := any(o.Value).(string); ok && blank(s) {
					*o = qomon.Null[V]()
				}
			}
		},
		forget: func(a *qomon.Address) { *at(a) = qomon.Opt[V]{} },
	}
}

func geocoding() Field {
	elems := make([]Attr, 0, len(geocodingParts))
	for _, p := range geocodingParts {
		elems = append(elems, p.attr)
	}
	return Field{
		Attr: Attr{Name: "geocoding", Kind: KindObject, Role: RoleComputed, Elems: elems,
			Doc: "What Qomon's geocoding computed from the address. It is computed again whenever a part of the address changes."},
		Path: "address.geocoding",
		acc:  geocodingAccess{},
	}
}

// geocodingAccess reads and writes the geocoding parts of the address as one object.
type geocodingAccess struct{}

func (geocodingAccess) get(c *qomon.Contact) Value {
	if !c.Address.Present() {
		return nil
	}
	out := make(map[string]Value, len(geocodingParts))
	found := false
	for _, p := range geocodingParts {
		v := p.get(&c.Address.Value)
		found = found || v != nil
		out[p.attr.Name] = v
	}
	if !found {
		return nil
	}
	return out
}

func (geocodingAccess) put(c *qomon.Contact, v Value) {
	m, ok := v.(map[string]Value)
	if !ok {
		return
	}
	if !c.Address.Present() {
		c.Address = qomon.Some(qomon.Address{})
	}
	for _, p := range geocodingParts {
		if x := m[p.attr.Name]; !IsUnknown(x) {
			p.put(&c.Address.Value, x)
		}
	}
}

func (geocodingAccess) canonical(c *qomon.Contact) {
	if !c.Address.Present() {
		return
	}
	for _, p := range geocodingParts {
		p.canonical(&c.Address.Value)
	}
}

// optOf turns a Value into an Opt: nil is null.
func optOf[T any](v Value) qomon.Opt[T] {
	if t, ok := v.(T); ok {
		return qomon.Some(t)
	}
	return qomon.Null[T]()
}

// valueOf turns an Opt into a Value.
func valueOf[T any](o qomon.Opt[T]) Value {
	if v, ok := o.Get(); ok {
		return v
	}
	return nil
}

func tags() Field {
	l := collection[qomon.Tag]{
		at: qomon.ContactValue[[]qomon.Tag]("tags"), unordered: true,
		sameElem:  func(a, b qomon.Tag) bool { return a.Name == b.Name },
		equalElem: func(a, b qomon.Tag) bool { return sameText(a.Name, b.Name) },
		merge:     func(prior, fresh qomon.Tag) qomon.Tag { fresh.Name = prior.Name; return fresh },
		toValue:   func(t qomon.Tag) Value { return t.Name },
		fromValue: func(v Value) qomon.Tag { s, _ := v.(string); return qomon.Tag{Name: s} },
		less:      func(a, b qomon.Tag) bool { return a.Name < b.Name },
		name:      func(qomon.Tag) string { return "a tag" },
		elemKey:   func(t qomon.Tag) string { return strings.ToLower(strings.TrimSpace(norm.NFC.String(t.Name))) },
		diffElem:  func(p, s qomon.Tag) []string { return []string{": " + describeText(p.Name, s.Name)} },
	}
	return Field{
		Attr: Attr{Name: "tags", Kind: KindTextSet, Role: RoleManaged, Meaning: Text, Checks: []Check{NotBlank.With("To give the contact no tag, write tags = [] (or compact() a list that may hold empty names)"), Untrimmed},
			Doc: "Names of the tags on the contact, in any order. Qomon creates a tag the first time a contact carries it."},
		Path: "tags", Wire: "tags", Whole: true, acc: l, w: l,
	}
}

// pinned reads a note's pin; Qomon leaves it out for an unpinned note.
func pinned(n qomon.Note) bool {
	v, _ := n.Pinned.Get()
	return v
}

func notes() Field {
	l := collection[qomon.Note]{
		at: qomon.ContactValue[[]qomon.Note]("notes"),
		sameElem: func(a, b qomon.Note) bool {
			return a.Content == b.Content && pinned(a) == pinned(b)
		},
		equalElem: func(a, b qomon.Note) bool {
			return sameText(a.Content, b.Content) && pinned(a) == pinned(b)
		},
		merge: func(prior, fresh qomon.Note) qomon.Note { fresh.Content = prior.Content; return fresh },
		toValue: func(n qomon.Note) Value {
			return map[string]Value{"id": valueOf(n.ID), "content": n.Content, "pinned": pinned(n)}
		},
		fromValue: func(v Value) qomon.Note {
			m, _ := v.(map[string]Value)
			content, _ := m["content"].(string)
			n := qomon.Note{Content: content}
			if !IsUnknown(m["id"]) {
				n.ID = optOf[int64](m["id"])
			}
			if !IsUnknown(m["pinned"]) {
				n.Pinned = optOf[bool](m["pinned"])
			}
			return n
		},
		// The parts Terraform leaves to Qomon (a new note's id) are left out rather than sent as null.
		wireElem: func(n qomon.Note) qomon.Note {
			n.ID, n.Pinned = absentIfNull(n.ID), absentIfNull(n.Pinned)
			return n
		},
		diffElem: func(p, s qomon.Note) []string {
			var out []string
			if !sameText(p.Content, s.Content) {
				out = append(out, ".content: "+describeText(p.Content, s.Content))
			}
			if pinned(p) != pinned(s) {
				out = append(out, fmt.Sprintf(".pinned: stored as %t", pinned(s)))
			}
			return out
		},
	}
	return Field{
		Attr: Attr{Name: "notes", Kind: KindObjectList, Role: RoleManaged,
			Doc: "Notes on the contact, in order.",
			Elems: []Attr{
				{Name: "id", Doc: "Qomon's id of the note.", Kind: KindInt, Role: RoleComputed},
				{Name: "content", Doc: "Text of the note.", Kind: KindText, Role: RoleRequired, Meaning: Text,
					Checks: []Check{NotBlank.With("A note needs a text: to have no note, leave the element out of notes")}},
				{Name: "pinned", Doc: "Whether the note is pinned at the top of the contact. Defaults to `false`.",
					Kind: KindBool, Role: RoleDefaulted, Default: false},
			}},
		Path: "notes", Wire: "notes", Whole: true, acc: l, w: l,
	}
}

// answers is formdatas or custom_fields: a set of answers identified by form, answer option and
// data. Qomon renumbers answers on every write, so their ids never identify them. An answer's
// data or date left unset on the Terraform side is not tracked: it matches whatever Qomon filled
// in (the option's value for a radio form, the time of the answer).
func answers(name, doc string) Field {
	optEqual := func(prior, fresh qomon.Opt[string], m Meaning) bool {
		p, ok := prior.Get()
		if !ok {
			return true
		}
		f, ok := fresh.Get()
		return ok && m.Same(p, f)
	}
	optSame := func(a, b qomon.Opt[string]) bool {
		va, okA := a.Get()
		vb, okB := b.Get()
		return okA == okB && va == vb
	}
	l := collection[qomon.FormData]{
		at: qomon.ContactValue[[]qomon.FormData](name), unordered: true,
		sameElem: func(a, b qomon.FormData) bool {
			return a.FormID == b.FormID && a.FormRefID == b.FormRefID && optSame(a.Data, b.Data) && optSame(a.Date, b.Date)
		},
		equalElem: func(prior, fresh qomon.FormData) bool {
			return prior.FormID == fresh.FormID && prior.FormRefID == fresh.FormRefID &&
				optEqual(prior.Data, fresh.Data, Answer) && optEqual(prior.Date, fresh.Date, AnswerDate)
		},
		merge: func(prior, fresh qomon.FormData) qomon.FormData {
			fresh.Data, fresh.Date = prior.Data, prior.Date
			return fresh
		},
		specificity: func(d qomon.FormData) int {
			n := 0
			if d.Data.Present() {
				n++
			}
			if d.Date.Present() {
				n++
			}
			return n
		},
		toValue: func(d qomon.FormData) Value {
			return map[string]Value{"form_id": d.FormID, "form_ref_id": d.FormRefID, "data": valueOf(d.Data), "date": valueOf(d.Date)}
		},
		fromValue: func(v Value) qomon.FormData {
			m, _ := v.(map[string]Value)
			formID, _ := m["form_id"].(int64)
			refID, _ := m["form_ref_id"].(int64)
			return qomon.FormData{FormID: formID, FormRefID: refID, Data: optOf[string](m["data"]), Date: optOf[string](m["date"])}
		},
		canonElem: func(d qomon.FormData) (qomon.FormData, bool) {
			if deleted := strings.TrimSpace(string(d.Unknown["deleted_at"])); deleted != "" && deleted != "null" && deleted != `""` {
				return d, false // soft-deleted by an earlier PATCH
			}
			if d.Data.Present() && blank(d.Data.Value) {
				d.Data = qomon.Null[string]()
			}
			if d.Date.Present() {
				d.Date.Value = AnswerDate.Canonical(d.Date.Value)
			}
			return d, true
		},
		// The parts Terraform leaves to Qomon (an answer's data or date) are left out rather
		// than sent as null.
		wireElem: func(d qomon.FormData) qomon.FormData {
			d.Data, d.Date = absentIfNull(d.Data), absentIfNull(d.Date)
			return d
		},
		name: func(d qomon.FormData) string {
			return fmt.Sprintf("the answer to form %d with option %d", d.FormID, d.FormRefID)
		},
		elemKey: func(d qomon.FormData) string { return fmt.Sprint(d.FormID, "/", d.FormRefID) },
		diffElem: func(p, s qomon.FormData) []string {
			var out []string
			if !optEqual(p.Data, s.Data, Answer) {
				what := describeText(p.Data.Value, s.Data.Value)
				if what == "stored in another form" {
					what += " (Qomon stores a radio or checkbox option's value, whatever data says)"
				}
				out = append(out, ": data "+what)
			}
			if !optEqual(p.Date, s.Date, AnswerDate) {
				out = append(out, ": dated differently")
			}
			return out
		},
	}
	return Field{
		Attr: Attr{Name: name, Kind: KindObjectSet, Role: RoleManaged, Doc: doc,
			Elems: []Attr{
				{Name: "form_id", Doc: "Id of the form (the question).", Kind: KindInt, Role: RoleRequired, Checks: []Check{AtLeast(1)}},
				{Name: "form_ref_id", Doc: "Id of the chosen answer option; for a free-text form, the id of its single option.",
					Kind: KindInt, Role: RoleRequired, Checks: []Check{AtLeast(1)}},
				{Name: "data", Doc: "The answer: free text for text, number and date forms, otherwise the option's value, which Qomon " +
					"stores. In a configuration, the option's label is the same answer, planned as the value. " +
					"When left out, Qomon fills it in and Terraform does not compare it.",
					Kind: KindText, Role: RoleOptional, Meaning: Answer,
					Checks: []Check{NotBlank.With("To let Qomon fill the answer's data in, leave data out")}},
				{Name: "date", Doc: "When the answer was given (RFC 3339). When left out, Qomon dates the answer and " +
					"Terraform does not compare it.", Kind: KindText, Role: RoleOptional, Meaning: AnswerDate, Checks: []Check{IsDate}},
			}},
		Path: name, Wire: name, Whole: true, acc: l, w: l,
	}
}

func ids(name, doc string) Field {
	l := collection[int64]{
		at: qomon.ContactValue[[]int64](name), unordered: true,
		sameElem:  func(a, b int64) bool { return a == b },
		equalElem: func(a, b int64) bool { return a == b },
		merge:     func(_, fresh int64) int64 { return fresh },
		toValue:   func(n int64) Value { return n },
		fromValue: func(v Value) int64 { n, _ := v.(int64); return n },
		name:      func(n int64) string { return fmt.Sprintf("id %d", n) },
	}
	return Field{
		Attr: Attr{Name: name, Kind: KindIntSet, Role: RoleManaged, Doc: doc, Checks: []Check{AtLeast(1)}},
		Path: name, Wire: name, Whole: true, acc: l, w: l,
	}
}

func absentIfNull[T any](o qomon.Opt[T]) qomon.Opt[T] {
	if o.Set && o.Null {
		return qomon.Opt[T]{}
	}
	return o
}
