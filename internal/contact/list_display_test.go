package contact

import (
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

func TestDisplayName(t *testing.T) {
	set := func(s string) qomon.Opt[string] { return qomon.Opt[string]{Set: true, Value: s} }
	null := qomon.Opt[string]{Set: true, Null: true}
	for _, c := range []struct {
		name    string
		contact qomon.Contact
		want    string
	}{
		{"name and mail", qomon.Contact{Firstname: set("Ada"), Surname: set("Lovelace"), Mail: set("ada@example.org")}, "Ada Lovelace (a***@example.org)"},
		{"surname only", qomon.Contact{Surname: set("Lovelace")}, "Lovelace"},
		{"blank first name", qomon.Contact{Firstname: set("  "), Surname: set("Lovelace")}, "Lovelace"},
		{"inner spaces and newlines", qomon.Contact{Firstname: set("Jean \n Pierre"), Surname: set(" Dupré ")}, "Jean Pierre Dupré"},
		{"mail only", qomon.Contact{Mail: set("grace.hopper@navy.mil")}, "g***@navy.mil"},
		{"accented first letter", qomon.Contact{Mail: set("élodie@example.fr")}, "é***@example.fr"},
		{"mail without a domain", qomon.Contact{Surname: set("X"), Mail: set("x@")}, "X (***)"},
		{"mail without a local part", qomon.Contact{Mail: set("@example.org")}, "***"},
		{"not a mail at all", qomon.Contact{Mail: set("0601020304")}, "***"},
		{"invalid UTF-8", qomon.Contact{Mail: set("\xffa@example.org")}, "***@example.org"},
		{"nothing but an id", qomon.Contact{ID: qomon.Opt[int64]{Set: true, Value: 20000006}, Firstname: null, Mail: null}, "contact 20000006"},
	} {
		if got := displayName(c.contact); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
