package reconcile

import (
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// scalar is a single value, at the top level or inside the address.
type scalar[T comparable] struct {
	// at points at the value inside c; with create false it returns nil when the value lives in
	// an address that c does not have, with create true it adds that address.
	at func(c *qomon.Contact, create bool) *qomon.Opt[T]
	// eq compares two values that both hold something.
	eq func(a, b T) bool
	// none reports whether a value that is present still means "no value" (blank text).
	none func(T) bool
	// canon and wire rewrite a value into state's and into Qomon's spelling; nil keeps it.
	canon, wire func(T) T
}

// textScalar is a string compared and spelt by meaning m.
func textScalar(at func(c *qomon.Contact, create bool) *qomon.Opt[string], m Meaning) scalar[string] {
	return scalar[string]{
		at:    at,
		eq:    m.Same,
		none:  blank,
		canon: m.Canonical,
		wire:  m.Wire,
	}
}

// plainScalar is a number or boolean, compared exactly.
func plainScalar[T comparable](at func(c *qomon.Contact, create bool) *qomon.Opt[T]) scalar[T] {
	return scalar[T]{at: at, eq: func(a, b T) bool { return a == b }}
}

// topLevel adapts an accessor of a top-level key.
func topLevel[T any](at func(*qomon.Contact) *qomon.Opt[T]) func(*qomon.Contact, bool) *qomon.Opt[T] {
	return func(c *qomon.Contact, _ bool) *qomon.Opt[T] { return at(c) }
}

// inAddress adapts an accessor of an address key.
func inAddress[T any](at func(*qomon.Address) *qomon.Opt[T]) func(*qomon.Contact, bool) *qomon.Opt[T] {
	return func(c *qomon.Contact, create bool) *qomon.Opt[T] {
		if !c.Address.Present() {
			if !create {
				return nil
			}
			c.Address = qomon.Some(qomon.Address{})
		}
		return at(&c.Address.Value)
	}
}

func (s scalar[T]) raw(c *qomon.Contact) qomon.Opt[T] {
	if p := s.at(c, false); p != nil {
		return *p
	}
	return qomon.Opt[T]{}
}

// val returns the value and whether there is one: absent, null and blank are none.
func (s scalar[T]) val(c *qomon.Contact) (T, bool) {
	v, ok := s.raw(c).Get()
	if ok && s.none != nil && s.none(v) {
		var zero T
		return zero, false
	}
	return v, ok
}

func (s scalar[T]) get(c *qomon.Contact) Value {
	if v, ok := s.raw(c).Get(); ok {
		return v
	}
	return nil
}

func (s scalar[T]) put(c *qomon.Contact, v Value) {
	if IsUnknown(v) {
		return
	}
	p := s.at(c, v != nil)
	if p == nil {
		return
	}
	if t, ok := v.(T); ok {
		*p = qomon.Some(t)
		return
	}
	*p = qomon.Null[T]()
}

func (s scalar[T]) canonical(c *qomon.Contact) {
	p := s.at(c, false)
	if p == nil || !p.Present() {
		return
	}
	if s.none != nil && s.none(p.Value) {
		*p = qomon.Null[T]()
		return
	}
	if s.canon != nil {
		p.Value = s.canon(p.Value)
	}
}

func (s scalar[T]) equal(a, b *qomon.Contact) bool {
	va, okA := s.val(a)
	vb, okB := s.val(b)
	if okA != okB {
		return false
	}
	return !okA || s.eq(va, vb)
}

func (s scalar[T]) same(a, b *qomon.Contact) bool {
	va, okA := s.val(a)
	vb, okB := s.val(b)
	return okA == okB && va == vb
}

func (s scalar[T]) copyTo(dst, src *qomon.Contact) {
	v, ok := s.val(src)
	p := s.at(dst, true)
	if ok {
		*p = qomon.Some(v)
	} else {
		*p = qomon.Null[T]()
	}
}

func (s scalar[T]) keepSpelling(dst, prior *qomon.Contact) {
	p := s.raw(prior)
	if !p.Set || !s.equal(prior, dst) {
		return
	}
	if p.Null && s.at(dst, false) == nil {
		return // no value on either side, and no object to hold a null in
	}
	*s.at(dst, true) = p
}

func (s scalar[T]) toWire(c *qomon.Contact, replace bool) {
	p := s.at(c, false)
	if p == nil {
		return
	}
	if v, ok := p.Get(); ok {
		switch {
		case s.none != nil && s.none(v):
			*p = qomon.Null[T]()
		case s.wire != nil:
			p.Value = s.wire(v)
		}
	}
	if replace && p.Set && p.Null {
		*p = qomon.Opt[T]{}
	}
}

func (s scalar[T]) sent(body *qomon.Contact) bool { return s.raw(body).Set }
