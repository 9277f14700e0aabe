package contact

import (
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// The functions in this file decide when two spellings of a value mean the same thing to Qomon.
// They are what keeps a plan empty when Qomon hands back a value in another form than the one it
// was given: the provider then keeps the spelling it already had (the configuration's, or the
// one in state) instead of reporting a difference that is not one.

// sameText reports whether two texts are equal once both are in Unicode normal form C, so that
// "é" typed as one code point and "é" typed as "e" + combining accent are the same name.
func sameText(a, b string) bool {
	return a == b || norm.NFC.String(a) == norm.NFC.String(b)
}

// sameMail compares e-mail addresses without regard to case: mail systems and Qomon treat
// Jane@Example.org and jane@example.org as one address, and Qomon may store either.
func sameMail(a, b string) bool {
	return sameText(strings.ToLower(strings.TrimSpace(a)), strings.ToLower(strings.TrimSpace(b)))
}

// dateLayouts are the forms a birthdate or an answer date may take: the configuration's
// YYYY-MM-DD and RFC 3339 with any precision (Qomon answers with seconds, milliseconds or
// microseconds depending on the field).
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02"}

// parseTime reads a date or timestamp in one of dateLayouts. A date alone is midnight UTC,
// which is how Qomon stores a birthdate sent as a date.
func parseTime(s string) (time.Time, bool) {
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
	ta, okA := parseTime(a)
	tb, okB := parseTime(b)
	if okA && okB {
		return ta.Equal(tb)
	}
	return sameText(a, b)
}

// sameNumberText compares address parts that Qomon has been seen to return as JSON numbers
// although they are written as strings (house number, postal code, floor, city code): "07000"
// and 7000 denote the same postal code once the number has lost its leading zero. Other texts
// compare as text.
func sameNumberText(a, b string) bool {
	if sameText(a, b) {
		return true
	}
	if !isDigits(a) || !isDigits(b) {
		return false
	}
	return strings.TrimLeft(a, "0") == strings.TrimLeft(b, "0")
}

// sameAnswer compares the data of a form answer: free text, or a date for date forms (sent with
// milliseconds, returned with microseconds).
func sameAnswer(a, b string) bool {
	return sameInstant(a, b)
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
	t, ok := parseTime(s)
	if !ok {
		return s
	}
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339Nano)
}
