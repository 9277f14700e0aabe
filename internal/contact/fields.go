package contact

import (
	"sort"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// field is one unit of ownership of a contact: a writable top-level value, one address part, or
// a whole collection (tags, notes, form answers, custom fields, action ids). Terraform manages,
// compares, changes and reports fields one by one; the list below is the single place that says
// what they are and how each compares.
//
// Every method reads a qomon.Contact, where "no value" may be an absent key or an explicit null:
// both mean the same to a reader, only a writer has to tell them apart.
type field interface {
	// key names the field as the Terraform attribute path does: "mail", "address.city", "tags".
	key() string
	// equal reports whether a and b hold the same value once Qomon's different spellings are
	// accounted for (normalize.go). For form answers it is asymmetric: a part left unset in a
	// (the Terraform side) matches any value in b (the Qomon side).
	equal(a, b *qomon.Contact) bool
	// same reports whether a and b hold exactly the same value, as a plan would display it.
	same(a, b *qomon.Contact) bool
	// copyTo gives dst the value src holds; when src has none, dst gets an explicit null.
	copyTo(dst, src *qomon.Contact)
	// reconcile rewrites dst (fresh from Qomon) in prior's spelling wherever the two are
	// equal, so that state keeps the spelling the configuration used.
	reconcile(dst, prior *qomon.Contact)
	// spellForReplace rewrites a "no value" of c the way a full-replace PATCH says it: a
	// scalar is left out (Qomon documents that an omitted field is cleared, while a null is
	// not documented and a schema-validating server may refuse it for a string), a collection
	// becomes an explicit empty list.
	spellForReplace(c *qomon.Contact)
}

// fields lists every writable field, in the order diagnostics name them.
var fields = []field{
	text("firstname", func(c *qomon.Contact) *qomon.Opt[string] { return &c.Firstname }, sameText),
	text("surname", func(c *qomon.Contact) *qomon.Opt[string] { return &c.Surname }, sameText),
	text("married_name", func(c *qomon.Contact) *qomon.Opt[string] { return &c.MarriedName }, sameText),
	text("gender", func(c *qomon.Contact) *qomon.Opt[string] { return &c.Gender }, sameText),
	text("birthdate", func(c *qomon.Contact) *qomon.Opt[string] { return &c.Birthdate }, sameInstant),
	plain("age_category", func(c *qomon.Contact) *qomon.Opt[int64] { return &c.AgeCategory }),
	text("birth_city", func(c *qomon.Contact) *qomon.Opt[string] { return &c.BirthCity }, sameText),
	text("birth_dept", func(c *qomon.Contact) *qomon.Opt[string] { return &c.BirthDept }, sameText),
	text("birth_country", func(c *qomon.Contact) *qomon.Opt[string] { return &c.BirthCountry }, sameText),
	text("nationality", func(c *qomon.Contact) *qomon.Opt[string] { return &c.Nationality }, sameText),
	text("mail", func(c *qomon.Contact) *qomon.Opt[string] { return &c.Mail }, sameMail),
	text("phone", func(c *qomon.Contact) *qomon.Opt[string] { return &c.Phone }, sameText),
	text("mobile", func(c *qomon.Contact) *qomon.Opt[string] { return &c.Mobile }, sameText),
	plain("phone_invalid", func(c *qomon.Contact) *qomon.Opt[bool] { return &c.PhoneInvalid }),
	plain("mobile_invalid", func(c *qomon.Contact) *qomon.Opt[bool] { return &c.MobileInvalid }),
	plain("black_list", func(c *qomon.Contact) *qomon.Opt[bool] { return &c.BlackList }),
	plain("user_contact_id", func(c *qomon.Contact) *qomon.Opt[int64] { return &c.UserContactID }),

	addressText("housenumber", func(a *qomon.Address) *qomon.Opt[string] { return &a.HouseNumber }, sameNumberText),
	addressText("street", func(a *qomon.Address) *qomon.Opt[string] { return &a.Street }, sameText),
	addressText("addition", func(a *qomon.Address) *qomon.Opt[string] { return &a.Addition }, sameText),
	addressText("infos", func(a *qomon.Address) *qomon.Opt[string] { return &a.Infos }, sameText),
	addressText("building", func(a *qomon.Address) *qomon.Opt[string] { return &a.Building }, sameText),
	addressText("floor", func(a *qomon.Address) *qomon.Opt[string] { return &a.Floor }, sameNumberText),
	addressText("door", func(a *qomon.Address) *qomon.Opt[string] { return &a.Door }, sameText),
	addressText("postalcode", func(a *qomon.Address) *qomon.Opt[string] { return &a.PostalCode }, sameNumberText),
	addressText("city", func(a *qomon.Address) *qomon.Opt[string] { return &a.City }, sameText),
	addressText("county", func(a *qomon.Address) *qomon.Opt[string] { return &a.County }, sameText),
	addressText("state", func(a *qomon.Address) *qomon.Opt[string] { return &a.State }, sameText),
	addressText("country", func(a *qomon.Address) *qomon.Opt[string] { return &a.Country }, sameText),
	addressText("pollingstation", func(a *qomon.Address) *qomon.Opt[string] { return &a.PollingStation }, sameText),

	collection[qomon.Tag]{
		name: "tags", at: func(c *qomon.Contact) *qomon.Opt[[]qomon.Tag] { return &c.Tags }, unordered: true,
		sameElem:  func(a, b qomon.Tag) bool { return a.Name == b.Name },
		equalElem: func(a, b qomon.Tag) bool { return sameText(a.Name, b.Name) },
		merge:     func(prior, fresh qomon.Tag) qomon.Tag { fresh.Name = prior.Name; return fresh },
	},
	collection[qomon.Note]{
		name: "notes", at: func(c *qomon.Contact) *qomon.Opt[[]qomon.Note] { return &c.Notes },
		sameElem: func(a, b qomon.Note) bool {
			return a.Content == b.Content && pinned(a) == pinned(b)
		},
		equalElem: func(a, b qomon.Note) bool {
			return sameText(a.Content, b.Content) && pinned(a) == pinned(b)
		},
		merge: func(prior, fresh qomon.Note) qomon.Note { fresh.Content = prior.Content; return fresh },
	},
	formAnswers("formdatas", func(c *qomon.Contact) *qomon.Opt[[]qomon.FormData] { return &c.Formdatas }),
	formAnswers("custom_fields", func(c *qomon.Contact) *qomon.Opt[[]qomon.FormData] { return &c.CustomFields }),
	collection[int64]{
		name: "action_ids", at: func(c *qomon.Contact) *qomon.Opt[[]int64] { return &c.ActionIDs }, unordered: true,
		sameElem:  func(a, b int64) bool { return a == b },
		equalElem: func(a, b int64) bool { return a == b },
		merge:     func(_, fresh int64) int64 { return fresh },
	},
}

// fieldByKey finds a field of the list above.
func fieldByKey(key string) (field, bool) {
	for _, f := range fields {
		if f.key() == key {
			return f, true
		}
	}
	return nil, false
}

// pinned reads a note's pin; Qomon leaves it out for an unpinned note.
func pinned(n qomon.Note) bool {
	v, _ := n.Pinned.Get()
	return v
}

// scalar is a single value, at the top level or inside the address.
type scalar[T comparable] struct {
	name string
	// at points at the value inside c; with create false it returns nil when the value lives
	// in an address that c does not have, with create true it adds that address.
	at func(c *qomon.Contact, create bool) *qomon.Opt[T]
	eq func(a, b T) bool
}

// text is a top-level string field compared with eq.
func text(name string, at func(*qomon.Contact) *qomon.Opt[string], eq func(a, b string) bool) field {
	return scalar[string]{name: name, at: func(c *qomon.Contact, _ bool) *qomon.Opt[string] { return at(c) }, eq: eq}
}

// plain is a top-level number or boolean, compared exactly.
func plain[T comparable](name string, at func(*qomon.Contact) *qomon.Opt[T]) field {
	return scalar[T]{name: name, at: func(c *qomon.Contact, _ bool) *qomon.Opt[T] { return at(c) }, eq: func(a, b T) bool { return a == b }}
}

// addressText is one part of the address.
func addressText(name string, at func(*qomon.Address) *qomon.Opt[string], eq func(a, b string) bool) field {
	return scalar[string]{
		name: "address." + name,
		at: func(c *qomon.Contact, create bool) *qomon.Opt[string] {
			if !c.Address.Present() {
				if !create {
					return nil
				}
				c.Address = qomon.Some(qomon.Address{})
			}
			return at(&c.Address.Value)
		},
		eq: eq,
	}
}

func (s scalar[T]) key() string { return s.name }

func (s scalar[T]) get(c *qomon.Contact) (T, bool) {
	if p := s.at(c, false); p != nil {
		return p.Get()
	}
	var zero T
	return zero, false
}

func (s scalar[T]) equal(a, b *qomon.Contact) bool {
	va, okA := s.get(a)
	vb, okB := s.get(b)
	if okA != okB {
		return false
	}
	return !okA || s.eq(va, vb)
}

func (s scalar[T]) same(a, b *qomon.Contact) bool {
	va, okA := s.get(a)
	vb, okB := s.get(b)
	return okA == okB && va == vb
}

func (s scalar[T]) copyTo(dst, src *qomon.Contact) {
	v, ok := s.get(src)
	p := s.at(dst, true)
	if ok {
		*p = qomon.Some(v)
	} else {
		*p = qomon.Null[T]()
	}
}

func (s scalar[T]) spellForReplace(c *qomon.Contact) {
	if p := s.at(c, false); p != nil && p.Set && p.Null {
		*p = qomon.Opt[T]{}
	}
}

func (s scalar[T]) reconcile(dst, prior *qomon.Contact) {
	v, ok := s.get(prior)
	if ok && s.equal(prior, dst) {
		*s.at(dst, true) = qomon.Some(v)
	}
}

// collection is a list or set compared as a whole, element by element.
type collection[E any] struct {
	name      string
	at        func(c *qomon.Contact) *qomon.Opt[[]E]
	unordered bool // a set: elements match regardless of position
	sameElem  func(a, b E) bool
	equalElem func(prior, fresh E) bool
	// merge gives a fresh element the spelling of the prior element it equals.
	merge func(prior, fresh E) E
	// specificity orders prior elements before matching, most constrained first, so that a
	// greedy match cannot give a loose element the partner a strict one needed.
	specificity func(E) int
}

func (l collection[E]) key() string { return l.name }

func (l collection[E]) equal(a, b *qomon.Contact) bool {
	return l.matches(*l.at(a), *l.at(b), l.equalElem) != nil
}

func (l collection[E]) same(a, b *qomon.Contact) bool {
	oa, ob := *l.at(a), *l.at(b)
	if oa.Present() != ob.Present() {
		// null and [] look different in a plan.
		return false
	}
	return l.matches(oa, ob, l.sameElem) != nil
}

func (l collection[E]) copyTo(dst, src *qomon.Contact) {
	v := *l.at(src)
	if !v.Present() {
		*l.at(dst) = qomon.Null[[]E]()
		return
	}
	*l.at(dst) = qomon.Some(append([]E(nil), v.Value...))
}

func (l collection[E]) spellForReplace(c *qomon.Contact) {
	if p := l.at(c); p.Set && p.Null {
		*p = qomon.Some([]E{})
	}
}

func (l collection[E]) reconcile(dst, prior *qomon.Contact) {
	p, d := *l.at(prior), *l.at(dst)
	if len(p.Value) == 0 && len(d.Value) == 0 {
		// Qomon may answer [] or null or nothing for "none"; keep whichever the prior had.
		if p.Set {
			*l.at(dst) = p
		}
		return
	}
	pairs := l.partialMatch(p.Value, d.Value)
	out := append([]E(nil), d.Value...)
	for fi, pi := range pairs {
		out[fi] = l.merge(p.Value[pi], d.Value[fi])
	}
	*l.at(dst) = qomon.Some(out)
}

// matches pairs every element of a with one of b (index in b -> index in a); nil when the
// collections differ in length or some element has no partner. An absent or null collection
// is empty.
func (l collection[E]) matches(a, b qomon.Opt[[]E], eq func(x, y E) bool) map[int]int {
	if len(a.Value) != len(b.Value) {
		return nil
	}
	if !l.unordered {
		pairs := make(map[int]int, len(a.Value))
		for i := range a.Value {
			if !eq(a.Value[i], b.Value[i]) {
				return nil
			}
			pairs[i] = i
		}
		return pairs
	}
	pairs := l.pair(a.Value, b.Value, eq)
	if len(pairs) != len(a.Value) {
		return nil
	}
	return pairs
}

// partialMatch pairs as many prior elements with fresh ones as equalElem allows, for
// reconciling a collection that changed in part.
func (l collection[E]) partialMatch(prior, fresh []E) map[int]int {
	if !l.unordered {
		pairs := map[int]int{}
		for i := range fresh {
			if i < len(prior) && l.equalElem(prior[i], fresh[i]) {
				pairs[i] = i
			}
		}
		return pairs
	}
	return l.pair(prior, fresh, l.equalElem)
}

// pair matches elements of a (most specific first) with unused elements of b.
func (l collection[E]) pair(a, b []E, eq func(x, y E) bool) map[int]int {
	order := make([]int, len(a))
	for i := range order {
		order[i] = i
	}
	if l.specificity != nil {
		sort.SliceStable(order, func(i, j int) bool { return l.specificity(a[order[i]]) > l.specificity(a[order[j]]) })
	}
	used := make([]bool, len(b))
	pairs := map[int]int{}
	for _, ai := range order {
		for bi := range b {
			if !used[bi] && eq(a[ai], b[bi]) {
				used[bi] = true
				pairs[bi] = ai
				break
			}
		}
	}
	return pairs
}

// formAnswers is formdatas or custom_fields: a set of answers identified by form, answer
// option and data. Qomon renumbers answers on every write, so their ids never identify them.
// An answer's data or date left unset on the Terraform side is not tracked: it matches
// whatever Qomon filled in (the option's value for a radio form, the time of the answer).
func formAnswers(name string, at func(*qomon.Contact) *qomon.Opt[[]qomon.FormData]) field {
	optEqual := func(prior, fresh qomon.Opt[string], eq func(a, b string) bool) bool {
		p, ok := prior.Get()
		if !ok {
			return true
		}
		f, ok := fresh.Get()
		return ok && eq(p, f)
	}
	optSame := func(a, b qomon.Opt[string]) bool {
		va, okA := a.Get()
		vb, okB := b.Get()
		return okA == okB && va == vb
	}
	return collection[qomon.FormData]{
		name: name, at: at, unordered: true,
		sameElem: func(a, b qomon.FormData) bool {
			return a.FormID == b.FormID && a.FormRefID == b.FormRefID && optSame(a.Data, b.Data) && optSame(a.Date, b.Date)
		},
		equalElem: func(prior, fresh qomon.FormData) bool {
			return prior.FormID == fresh.FormID && prior.FormRefID == fresh.FormRefID &&
				optEqual(prior.Data, fresh.Data, sameAnswer) && optEqual(prior.Date, fresh.Date, sameInstant)
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
	}
}
