package reconcile

import (
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Differences says, for each field StoredDifferently finds (of paths, or every planned field
// when paths is nil), where the stored value differs from the planned one and what Qomon did
// to it: "mail: stored with other capitals", "notes[1].content: stored without the spaces
// around it", "formdatas: the answer to form 11241 with option 17876: data stored in another
// form". The lines name attributes, elements (by position, or by form and option ids) and what
// happened, never a value: the warning that carries them is logged.
func Differences(planned, stored qomon.Contact, paths []string) []string {
	var out []string
	for _, path := range StoredDifferently(planned, stored, paths) {
		f, _ := FieldNamed(path)
		lines := f.w.describe(&planned, &stored)
		if len(lines) == 0 {
			lines = []string{"stored in another form"}
		}
		for _, l := range collapse(lines) {
			out = append(out, path+l)
		}
	}
	return out
}

// collapse counts repeated lines ("a tag not stored" twice is "a tag not stored (2 times)")
// and gives each its separator from the field's name.
func collapse(lines []string) []string {
	count := map[string]int{}
	var order []string
	for _, l := range lines {
		if count[l] == 0 {
			order = append(order, l)
		}
		count[l]++
	}
	out := make([]string, 0, len(order))
	for _, l := range order {
		line := l
		if !strings.HasPrefix(l, "[") {
			line = ": " + l
		}
		if n := count[l]; n > 1 {
			line += fmt.Sprintf(" (%d times)", n)
		}
		out = append(out, line)
	}
	return out
}

// describeText says how Qomon changed the text planned into stored, without either.
func describeText(planned, stored string) string {
	p, s := norm.NFC.String(planned), norm.NFC.String(stored)
	trimmed := strings.TrimSpace(p)
	switch {
	case blank(s):
		return "not stored: Qomon holds no value"
	case blank(p):
		return "Qomon holds a value where none was planned"
	case s == trimmed:
		return "stored without the spaces around it"
	case strings.EqualFold(s, p):
		return "stored with other capitals"
	case strings.EqualFold(s, trimmed):
		return "stored without the spaces around it, and with other capitals"
	case len(s) < len(p) && strings.HasPrefix(p, s):
		return "stored shortened"
	}
	return "stored in another form"
}

func (s scalar[T]) describe(planned, stored *qomon.Contact) []string {
	vp, okP := s.val(planned)
	vs, okS := s.val(stored)
	switch {
	case !okS:
		return []string{"not stored: Qomon holds no value"}
	case !okP:
		return []string{"Qomon holds a value where none was planned"}
	}
	if p, ok := any(vp).(string); ok {
		return []string{describeText(p, any(vs).(string))}
	}
	return []string{"stored as another value"}
}

func (l collection[E]) describe(planned, stored *qomon.Contact) []string {
	p, s := l.at(planned).Value, l.at(stored).Value
	same := l.pair(p, s, l.equalElem) // stored index -> planned index
	leftP := map[int]bool{}
	for i := range p {
		leftP[i] = true
	}
	leftS := map[int]bool{}
	for i := range s {
		leftS[i] = true
	}
	for si, pi := range same {
		delete(leftS, si)
		delete(leftP, pi)
	}
	var out []string
	for pi := range p {
		if !leftP[pi] {
			continue
		}
		si, ok := l.counterpart(p, s, pi, leftS)
		if !ok {
			out = append(out, l.elemName(p[pi], pi)+" not stored")
			continue
		}
		delete(leftS, si)
		for _, what := range l.describeElem(p[pi], s[si]) {
			out = append(out, l.elemName(p[pi], pi)+what)
		}
	}
	for si := range s {
		if leftS[si] {
			out = append(out, "Qomon holds "+l.elemName(s[si], -1)+" that was not sent")
		}
	}
	return out
}

// counterpart finds the stored element that a planned element p[pi] became: in a list, the one
// at its position; in a set, the first left whose identity (elemKey) is the same.
func (l collection[E]) counterpart(p, s []E, pi int, left map[int]bool) (int, bool) {
	if !l.unordered {
		return pi, pi < len(s) && left[pi]
	}
	if l.elemKey == nil {
		return 0, false
	}
	for si := range s {
		if left[si] && l.elemKey(s[si]) == l.elemKey(p[pi]) {
			return si, true
		}
	}
	return 0, false
}

// elemName names an element for a message: "[2]" for a list, "a tag", "the answer to form 11241
// with option 17876" (i is -1 for an element that was not planned).
func (l collection[E]) elemName(e E, i int) string {
	if !l.unordered && i >= 0 {
		return fmt.Sprintf("[%d]", i)
	}
	if l.name != nil {
		return l.name(e)
	}
	return "an element"
}

// describeElem says how Qomon changed a planned element; the list's lines start with the
// element's attribute (".content: ...") or ": ".
func (l collection[E]) describeElem(planned, stored E) []string {
	if l.diffElem == nil {
		return []string{": stored in another form"}
	}
	return l.diffElem(planned, stored)
}
