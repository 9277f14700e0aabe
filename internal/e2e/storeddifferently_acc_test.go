package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// TestAccStoredDifferentlyNamesTheElement: when the plan could not check an answer (the forms
// could not be listed) and Qomon stores it in another form, the apply's warning names the
// attribute, the element (by form and option) and what Qomon did, and repeats no value: the
// answer's data is the user's, and warnings are logged.
func TestAccStoredDifferentlyNamesTheElement(t *testing.T) {
	t.Parallel()
	sim, w := simWork(t, qomonsim.Options{}, `provider "qomon" {}

resource "qomon_contact" "x" {
  firstname     = "Ada"
  custom_fields = [{ form_id = 11391, form_ref_id = 17894, data = "Master builder" }]
}
`)
	// Every listing of forms fails, so the plan only warns that it did not check the answers.
	sim.InjectFault(qomonsim.Fault{Method: "GET", Path: "/v1/forms/", Kind: qomonsim.FaultStatus, Status: 400})
	res := w.run(nil, "apply", "-auto-approve", "-no-color", "-input=false")
	if res.code != 0 {
		t.Fatalf("apply failed: %s", res)
	}
	out := res.stdout + res.stderr
	if !regexp.MustCompile(wrapped("Warning: Form answers not checked")).MatchString(out) {
		t.Errorf("no warning that the answers went unchecked:\n%s", tail(out, 4000))
	}
	i := strings.Index(out, "Warning: Qomon stored some values differently")
	if i < 0 {
		t.Fatalf("no stored-differently warning:\n%s", tail(out, 4000))
	}
	warning := out[i:]
	if j := strings.Index(warning[1:], "Warning: "); j >= 0 {
		warning = warning[:j+1]
	}
	if !regexp.MustCompile(wrapped("custom_fields: the answer to form 11391 with option 17894: data stored in another form",
		"Qomon stores a radio or checkbox option's value")).MatchString(warning) {
		t.Errorf("the warning does not name the element and what Qomon did:\n%s", warning)
	}
	for _, value := range []string{"Master builder", "architect", "Architect"} {
		if strings.Contains(warning, value) {
			t.Errorf("the warning repeats the value %q:\n%s", value, warning)
		}
	}
}
