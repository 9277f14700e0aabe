package form

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// maxListed bounds how many forms an error message lists: a space can hold hundreds of custom
// fields, and a diagnostic that scrolls off the screen helps nobody.
const maxListed = 30

// lookupError is a failed lookup, already phrased for the person reading the plan output.
type lookupError struct {
	Summary string
	Detail  string
}

func (e *lookupError) Error() string { return e.Summary + ": " + e.Detail }

// findByLabel returns the one form of formType whose label is exactly label. Labels are
// compared exactly because a configuration that silently picked "Job " for "job" would write
// answers to the wrong question; near misses are offered in the error instead.
func findByLabel(forms []qomon.Form, formType, label string) (qomon.Form, error) {
	var found []qomon.Form
	for _, f := range forms {
		if f.Label == label {
			found = append(found, f)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		detail := fmt.Sprintf("No form of type %q is labelled %q.", formType, label)
		if near := nearLabels(forms, label); len(near) > 0 {
			detail += fmt.Sprintf(" Did you mean %s? Labels are matched exactly, case included.", strings.Join(near, " or "))
		}
		detail += "\n\n" + describe(formType, forms)
		return qomon.Form{}, &lookupError{Summary: "Qomon form not found", Detail: detail}
	default:
		return qomon.Form{}, &lookupError{
			Summary: "Several Qomon forms match",
			Detail: fmt.Sprintf("%d forms of type %q are labelled %q: %s. Set id instead of label to pick one.",
				len(found), formType, label, list(found)),
		}
	}
}

// findByID returns the form of formType whose id is id. Looking the id up in the list of its
// type (rather than fetching the form alone) checks that the configuration's type is the right
// one, so the answer lands in formdatas or custom_fields as the user meant.
func findByID(forms []qomon.Form, formType string, id int64) (qomon.Form, error) {
	for _, f := range forms {
		if f.ID == id {
			return f, nil
		}
	}
	return qomon.Form{}, &lookupError{
		Summary: "Qomon form not found",
		Detail:  fmt.Sprintf("No form of type %q has id %d.\n\n%s", formType, id, describe(formType, forms)),
	}
}

// withOtherType adds to a failed lookup by id the family the form has, when it exists under
// another type: the usual mistake is the type, not the id. The other families are listed
// only on this error path (at most one request each, once per provider process).
func withOtherType(ctx context.Context, forms formLister, err error, formType string, id int64) error {
	var le *lookupError
	if !errors.As(err, &le) {
		return err
	}
	for _, t := range Types {
		if t == formType {
			continue
		}
		list, lerr := forms.Forms(ctx, t)
		if lerr != nil {
			continue
		}
		for _, f := range list {
			if f.ID == id {
				le.Detail = fmt.Sprintf("No form of type %q has id %d, but a form of type %q does: %q (%s). Set type = %q.",
					formType, id, t, f.Label, kindOf(f), t)
				return le
			}
		}
	}
	return le
}

// nearLabels returns the labels that differ from label only by case or surrounding spaces.
func nearLabels(forms []qomon.Form, label string) []string {
	want := strings.TrimSpace(label)
	var near []string
	for _, f := range forms {
		if f.Label != label && strings.EqualFold(strings.TrimSpace(f.Label), want) {
			near = append(near, fmt.Sprintf("%q (id %d)", f.Label, f.ID))
		}
	}
	return near
}

// describe says what exists, so that the user can fix the configuration without opening Qomon.
func describe(formType string, forms []qomon.Form) string {
	if len(forms) == 0 {
		return fmt.Sprintf("This Qomon space has no form of type %q.", formType)
	}
	return fmt.Sprintf("Forms of type %q in this Qomon space: %s.", formType, list(forms))
}

// list renders forms as `"Label" (id 12, radio)`, sorted by label then id, at most maxListed.
func list(forms []qomon.Form) string {
	sorted := append([]qomon.Form(nil), forms...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Label != sorted[j].Label {
			return sorted[i].Label < sorted[j].Label
		}
		return sorted[i].ID < sorted[j].ID
	})
	var parts []string
	for i, f := range sorted {
		if i == maxListed {
			parts = append(parts, fmt.Sprintf("and %d more", len(sorted)-maxListed))
			break
		}
		parts = append(parts, fmt.Sprintf("%q (id %d, %s)", f.Label, f.ID, kindOf(f)))
	}
	return strings.Join(parts, ", ")
}

// kindOf names how a form is answered, for messages.
func kindOf(f qomon.Form) string {
	if f.Type == "" {
		return "unknown kind"
	}
	return f.Type
}
