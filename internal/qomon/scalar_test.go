package qomon

import "testing"

// JSONType (shared with the conformance suite) and the error wording built on it.
func TestJSONTypeAndKind(t *testing.T) {
	for _, tc := range []struct{ raw, typ, kind string }{
		{``, "", "nothing"},
		{"  \n", "", "nothing"},
		{`{"a":1}`, "object", "an object"},
		{` [1]`, "array", "an array"},
		{`"x"`, "string", "a string"},
		{`true`, "boolean", "a boolean"},
		{`false`, "boolean", "a boolean"},
		{`null`, "null", "null"},
		{`-1.5e3`, "number", "a number"},
	} {
		if got := JSONType([]byte(tc.raw)); got != tc.typ {
			t.Errorf("JSONType(%q) = %q, want %q", tc.raw, got, tc.typ)
		}
		if got := jsonKind([]byte(tc.raw)); got != tc.kind {
			t.Errorf("jsonKind(%q) = %q, want %q", tc.raw, got, tc.kind)
		}
	}
}
