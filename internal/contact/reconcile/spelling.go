package reconcile

import "github.com/qomon/terraform-provider-qomon/internal/qomon"

// Canonical rewrites what Qomon answered into one spelling per value, so that the same data
// never reaches state in two forms: blank text is no value, timestamps are UTC RFC 3339, a
// midnight birthdate is a date, empty collections are no value, deleted form answers are gone,
// and an address without any part is no address. Coordinates stay as Qomon wrote them.
func Canonical(c qomon.Contact) qomon.Contact {
	for _, f := range Fields {
		f.acc.canonical(&c)
	}
	for _, g := range Groups {
		g.acc.canonical(&c)
	}
	return c
}

// KeepSpelling gives a contact fresh from Qomon (through Canonical) the spelling of prior (the
// plan or the state it replaces) wherever the two mean the same: the mail's case, a birthdate
// written as a date, a postal code Qomon returned as a number, accents composed differently,
// tags in another order, form answers whose data or date the configuration left to Qomon, text
// the configuration left blank.
func KeepSpelling(fresh, prior qomon.Contact) qomon.Contact {
	out := fresh
	for _, f := range Fields {
		if f.w != nil {
			f.w.keepSpelling(&out, &prior)
		}
	}
	for _, g := range Groups {
		g.acc.keepShape(&out, &prior)
	}
	return out
}
