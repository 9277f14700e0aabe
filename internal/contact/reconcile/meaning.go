package reconcile

import (
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Meaning says when two spellings of a text value mean the same thing to Qomon, and how a value
// is spelt in state and on the wire. It is what keeps a plan empty when Qomon, an import or an
// edit of the configuration gives a value in another form: the provider then keeps the spelling
// it already had instead of reporting a difference that is not one.
type Meaning struct {
	// Name identifies the meaning (the glue's custom types are keyed by it).
	Name string
	// Equal reports whether two non-blank values mean the same.
	Equal func(a, b string) bool
	// Canonical rewrites a value Qomon answered into the one spelling state shows; nil keeps it.
	Canonical func(string) string
	// Wire rewrites a value the way Qomon expects it in a request; nil sends it as it is.
	Wire func(string) string
	// Doc says, for the documentation, what counts as the same value; "" when only the exact
	// text (Unicode normalisation aside) does.
	Doc string
}

// The meanings of the contact's text values.
var (
	// Text is any text: the same once both are in Unicode normal form C, so that "é" typed as
	// one code point and "é" typed as "e" + combining accent are the same name.
	Text = Meaning{Name: "text", Equal: sameText}
	// Mail is an e-mail address: case does not matter (mail systems and Qomon treat
	// Jane@Example.org and jane@example.org as one address, and Qomon may store either).
	Mail = Meaning{Name: "mail", Equal: sameMail,
		Doc: "Compared without regard to case: `Jane@Example.org` and `jane@example.org` are the same address."}
	// Birthdate is a date or a timestamp: compared as instants, shown as a date when it is a
	// midnight (UTC), sent as a timestamp (Qomon's birthdate is a date-time).
	Birthdate = Meaning{Name: "birthdate", Equal: sameInstant, Canonical: canonicalBirthdate, Wire: wireBirthdate,
		Doc: "A date and the timestamp of its midnight (UTC) are the same value: `1990-02-28` and `1990-02-28T00:00:00Z` never show as a difference."}
	// Digits is an address part that Qomon has been seen to return as a JSON number although it
	// is text (house number, floor, postal code): "01000" and 1000 are the same once the number
	// has lost its leading zero, so leading zeros of an all-digit value are not significant.
	Digits = Meaning{Name: "digits", Equal: sameNumberText,
		Doc: "Leading zeros of an all-digit value are not significant (`01000` and `1000` are the same), because Qomon may return it as a number."}
	// Timestamp is a server timestamp: compared as instants, shown in RFC 3339, UTC.
	Timestamp = Meaning{Name: "timestamp", Equal: sameInstant, Canonical: canonicalTimestamp}
	// Answer is the data of a form answer: free text, or a date for date forms (sent with
	// milliseconds, returned with microseconds).
	Answer = Meaning{Name: "answer", Equal: sameInstant}
	// AnswerDate is when an answer was given.
	AnswerDate = Meaning{Name: "answer_date", Equal: sameInstant, Canonical: canonicalTimestamp}
)

// Meanings lists every meaning, for the glue's custom types.
var Meanings = []Meaning{Text, Mail, Birthdate, Digits, Timestamp, Answer, AnswerDate}

// MeaningNamed returns the meaning of that name (Text when there is none).
func MeaningNamed(name string) Meaning {
	for _, m := range Meanings {
		if m.Name == name {
			return m
		}
	}
	return Text
}

// Same reports whether two values mean the same: both blank (no value), or both not blank and
// Equal.
func (m Meaning) Same(a, b string) bool {
	switch ba, bb := blank(a), blank(b); {
	case ba || bb:
		return ba == bb
	case m.Equal == nil:
		return a == b
	}
	return m.Equal(a, b)
}

// blank reports whether text holds nothing but white space: no value, to Qomon and to the
// provider.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

func sameText(a, b string) bool {
	return a == b || norm.NFC.String(a) == norm.NFC.String(b)
}

func sameMail(a, b string) bool {
	return sameText(strings.ToLower(strings.TrimSpace(a)), strings.ToLower(strings.TrimSpace(b)))
}

// dateLayouts are the forms a birthdate or an answer date may take: YYYY-MM-DD and RFC 3339 with
// any precision (Qomon answers with seconds, milliseconds or microseconds depending on the field).
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02"}

// ParseTime reads a date or timestamp in one of dateLayouts. A date alone is midnight UTC,
// which is how Qomon stores a birthdate sent as a date.
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// sameInstant compares two timestamps (or dates) by the instant they denote, so that
// 2026-01-02T03:04:05Z, 2026-01-02T03:04:05.000Z and 2026-01-02T04:04:05+01:00 are equal and a
// birthdate of 1955-07-06 equals 1955-07-06T00:00:00Z. Texts that are not dates compare as text.
func sameInstant(a, b string) bool {
	if a == b {
		return true
	}
	ta, okA := ParseTime(a)
	tb, okB := ParseTime(b)
	if okA && okB {
		return ta.Equal(tb)
	}
	return sameText(a, b)
}

func sameNumberText(a, b string) bool {
	if sameText(a, b) {
		return true
	}
	if !isDigits(a) || !isDigits(b) {
		return false
	}
	return strings.TrimLeft(a, "0") == strings.TrimLeft(b, "0")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// canonicalTimestamp writes a server timestamp in one form (RFC 3339, UTC, only the precision
// it has) so that the same instant never appears in state under two spellings. Unparseable
// text is kept as it came: showing Qomon's value beats hiding it.
func canonicalTimestamp(s string) string {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return s
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// canonicalBirthdate turns Qomon's birthdate (midnight UTC as a timestamp) into the date a
// person would write, YYYY-MM-DD. A timestamp that is not midnight UTC (Qomon's examples store a
// local midnight, e.g. 1999-12-31T23:00:00Z) is kept as an RFC 3339 timestamp, because turning
// it into a date would move it by a day.
func canonicalBirthdate(s string) string {
	t, ok := ParseTime(s)
	if !ok {
		return s
	}
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339Nano)
}

// wireBirthdate sends a birthdate given as a date as the timestamp of its midnight (UTC).
func wireBirthdate(s string) string {
	if len(s) != len("2006-01-02") {
		return s
	}
	if t, ok := ParseTime(s); ok {
		return t.UTC().Format("2006-01-02T15:04:05Z")
	}
	return s
}
