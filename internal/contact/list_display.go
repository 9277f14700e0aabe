package contact

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// displayName is how a contact appears in `terraform query` output: enough for a person to
// recognise whom they are about to adopt, and no more personal data than that. The name is
// shown as Qomon holds it; of the e-mail address only the first character of the part before
// the @ and the domain ("j***@example.org"), which tells two namesakes apart without copying
// the address into a terminal, a CI log or a generated file. A contact with neither is named by
// its id, which the query output shows anyway.
func displayName(c qomon.Contact) string {
	var parts []string
	for _, o := range []qomon.Opt[string]{c.Firstname, c.Surname} {
		if s, ok := o.Get(); ok && strings.TrimSpace(s) != "" {
			parts = append(parts, strings.Join(strings.Fields(s), " "))
		}
	}
	name := strings.Join(parts, " ")
	mail := ""
	if m, ok := c.Mail.Get(); ok {
		mail = maskMail(strings.TrimSpace(m))
	}
	switch {
	case name != "" && mail != "":
		return name + " (" + mail + ")"
	case name != "":
		return name
	case mail != "":
		return mail
	}
	id, _ := c.ID.Get()
	return "contact " + strconv.FormatInt(id, 10)
}

// maskMail keeps the first character of the local part and the domain of an address; anything
// that is not an address with both parts is masked whole. "" stays "".
func maskMail(m string) string {
	if m == "" {
		return ""
	}
	at := strings.LastIndexByte(m, '@')
	if at <= 0 || at == len(m)-1 {
		return "***"
	}
	first, _ := utf8.DecodeRuneInString(m)
	if first == utf8.RuneError {
		return "***" + m[at:]
	}
	return string(first) + "***" + m[at:]
}
