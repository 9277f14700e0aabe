package reconcile

import "testing"

func TestSameness(t *testing.T) {
	cases := []struct {
		name string
		eq   func(a, b string) bool
		a, b string
		want bool
	}{
		{"text: identical", sameText, "Hélène", "Hélène", true},
		{"text: composed and decomposed accents", sameText, "H\u00e9l\u00e8ne", "He\u0301le\u0300ne", true},
		{"text: case matters", sameText, "Paris", "paris", false},
		{"text: different", sameText, "Ada", "Ado", false},

		{"mail: case", sameMail, "Jane@Example.org", "jane@example.org", true},
		{"mail: surrounding spaces", sameMail, " jane@example.org", "jane@example.org", true},
		{"mail: different", sameMail, "jane@example.org", "john@example.org", false},

		{"instant: date and its midnight", sameInstant, "1815-12-10", "1815-12-10T00:00:00Z", true},
		{"instant: precision", sameInstant, "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.000000Z", true},
		{"instant: time zone", sameInstant, "2026-01-02T04:04:05+01:00", "2026-01-02T03:04:05.000Z", true},
		{"instant: local midnight is another instant", sameInstant, "2000-01-01", "1999-12-31T23:00:00Z", false},
		{"instant: different days", sameInstant, "1815-12-10", "1815-12-11", false},
		{"instant: not dates compare as text", sameInstant, "soon", "soon", true},

		{"number text: leading zero lost", sameNumberText, "07000", "7000", true},
		{"number text: same", sameNumberText, "12", "12", true},
		{"number text: different numbers", sameNumberText, "12", "13", false},
		{"number text: not digits", sameNumberText, "12 bis", "12", false},
		{"number text: empty is not zero", sameNumberText, "", "0", false},

		{"meaning: blank is no value", Text.Same, "", "  ", true},
		{"meaning: blank is not a value", Text.Same, "", "Ada", false},
		{"meaning: digits, a Belgian-looking code", Digits.Same, "1000", "01000", true},
		{"meaning: mail", Mail.Same, "Person12@Example.org", "person12@example.org", true},
		{"meaning: birthdate", Birthdate.Same, "1990-02-28", "1990-02-28T00:00:00Z", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.eq(c.a, c.b); got != c.want {
				t.Errorf("(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
			}
			if got := c.eq(c.b, c.a); got != c.want {
				t.Errorf("not symmetric: (%q, %q) = %v", c.b, c.a, got)
			}
		})
	}
}

func TestCanonicalForms(t *testing.T) {
	cases := []struct {
		name      string
		canonical func(string) string
		in, want  string
	}{
		{"birthdate: midnight UTC is a date", canonicalBirthdate, "1955-07-06T00:00:00Z", "1955-07-06"},
		{"birthdate: midnight with milliseconds", canonicalBirthdate, "1955-07-06T00:00:00.000Z", "1955-07-06"},
		{"birthdate: a date stays", canonicalBirthdate, "1955-07-06", "1955-07-06"},
		{"birthdate: local midnight stays a timestamp", canonicalBirthdate, "1999-12-31T23:00:00.000Z", "1999-12-31T23:00:00Z"},
		{"birthdate: other text kept", canonicalBirthdate, "unknown", "unknown"},
		{"timestamp: to UTC", canonicalTimestamp, "2026-01-02T04:04:05.5+01:00", "2026-01-02T03:04:05.5Z"},
		{"timestamp: precision kept", canonicalTimestamp, "2022-10-13T15:50:34.643724Z", "2022-10-13T15:50:34.643724Z"},
		{"timestamp: other text kept", canonicalTimestamp, "yesterday", "yesterday"},
		{"birthdate on the wire: a date is its midnight", wireBirthdate, "1815-12-10", "1815-12-10T00:00:00Z"},
		{"birthdate on the wire: a timestamp as written", wireBirthdate, "1815-12-10T23:00:00Z", "1815-12-10T23:00:00Z"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.canonical(c.in); got != c.want {
				t.Errorf("%q -> %q, want %q", c.in, got, c.want)
			}
		})
	}
}
