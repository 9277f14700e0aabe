package reconcile

import (
	"fmt"
	"net/mail"
	"strings"
)

// Check is a plan-time validation rule: what Qomon would refuse at apply time, or store in
// another form than configured, is refused at plan time instead, on the attribute.
type Check struct {
	// Summary heads the error ("Invalid e-mail address").
	Summary string
	// Doc describes the rule for the documentation and the framework ("must be ...").
	Doc string
	// Test returns "" when v (a known, non-null value: a string, an int64...) is fine, and
	// otherwise what is wrong, in words. It never repeats v: values are personal data, and
	// Terraform prints diagnostics in logs and CI output.
	Test func(v Value) string
}

// textCheck builds a Check on text values. Blank text is no value (IsSet), so it passes every
// text check but NotBlank.
func textCheck(summary, doc string, test func(s string) string) Check {
	return Check{Summary: summary, Doc: doc, Test: func(v Value) string {
		s, ok := v.(string)
		if !ok || blank(s) {
			return ""
		}
		return test(s)
	}}
}

func intCheck(summary, doc string, test func(n int64) string) Check {
	return Check{Summary: summary, Doc: doc, Test: func(v Value) string {
		n, ok := v.(int64)
		if !ok {
			return ""
		}
		return test(n)
	}}
}

// IsMail accepts a bare e-mail address whose domain has a dot, as Qomon does: it refuses a
// display name ("Jane <jane@example.org>"), a missing domain, and domains without a dot ("a@b",
// "jane@localhost").
var IsMail = textCheck("Invalid e-mail address", "must be an e-mail address such as jane@example.org", func(s string) string {
	if ValidMail(s) {
		return ""
	}
	return "must be a bare e-mail address such as jane@example.org: no display name, spaces or angle brackets, " +
		"and a domain name with a dot (Qomon refuses addresses such as a@b or jane@localhost)"
})

// ValidMail reports whether s is an address IsMail accepts.
func ValidMail(s string) bool {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return false
	}
	domain := s[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// IsDate accepts YYYY-MM-DD or an RFC 3339 timestamp.
var IsDate = textCheck("Invalid date", "must be a date (YYYY-MM-DD) or an RFC 3339 timestamp", func(s string) string {
	if _, ok := ParseTime(s); ok && s == strings.TrimSpace(s) {
		return ""
	}
	return "must be a date written YYYY-MM-DD (1984-03-21) or an RFC 3339 timestamp (1984-03-21T00:00:00Z)"
})

// OneOf accepts one of values, exactly.
func OneOf(values ...string) Check {
	list := "`" + strings.Join(values, "`, `") + "`"
	return textCheck("Invalid value", "must be one of "+list, func(s string) string {
		for _, v := range values {
			if s == v {
				return ""
			}
		}
		return "value must be one of " + strings.Join(values, ", ")
	})
}

// Between accepts integers from lo to hi.
func Between(lo, hi int64) Check {
	return intCheck("Value out of range", fmt.Sprintf("must be between %d and %d", lo, hi), func(n int64) string {
		if n < lo || n > hi {
			return fmt.Sprintf("must be between %d and %d, not %d", lo, hi, n)
		}
		return ""
	})
}

// AtLeast accepts integers from lo up.
func AtLeast(lo int64) Check {
	return intCheck("Value out of range", fmt.Sprintf("must be at least %d", lo), func(n int64) string {
		if n < lo {
			return fmt.Sprintf("must be at least %d, not %d", lo, n)
		}
		return ""
	})
}

// NotBlank refuses empty text where "no value" means nothing: an element of a collection (a tag
// name, a note) has to say something, or be left out.
var NotBlank = Check{Summary: "Empty value", Doc: "must not be empty", Test: func(v Value) string {
	if s, ok := v.(string); ok && blank(s) {
		return "must not be empty"
	}
	return ""
}}

// Untrimmed refuses text with spaces around it where Qomon trims them (tag names): stored
// trimmed, the value would show as a difference on every plan.
var Untrimmed = textCheck("Spaces around a value", "must not start or end with spaces", func(s string) string {
	if s != strings.TrimSpace(s) {
		return "must not start or end with spaces: Qomon removes them, so the value would differ from what it stores"
	}
	return ""
})

// With returns the check with a hint appended to its problem: what to do instead, where it
// depends on the attribute.
func (c Check) With(hint string) Check {
	test := c.Test
	c.Test = func(v Value) string {
		if problem := test(v); problem != "" {
			return problem + ". " + hint
		}
		return ""
	}
	return c
}
