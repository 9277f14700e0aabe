package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

const refreshConfig = `provider "qomon" {}

resource "qomon_contact" "x" {
  firstname = "Ada"
  surname   = "%s"
}
`

// TestAccConflictWithoutRefresh: a field edited in Qomon before a plan made with -refresh=false
// stops the apply, and the error does not claim the edit came after the plan: with
// -refresh=false the plan starts from the state, which is older than the edit.
func TestAccConflictWithoutRefresh(t *testing.T) {
	t.Parallel()
	sim, w := simWork(t, qomonsim.Options{}, strings.Replace(refreshConfig, "%s", "Lovelace", 1))
	w.apply()
	id := int64(sim.Contacts()[0]["id"].(float64))
	if err := sim.EditContact(id, func(c map[string]any) { c["surname"] = "King-Noel" }); err != nil {
		t.Fatal(err)
	}
	w.write("main.tf", strings.Replace(refreshConfig, "%s", "Byron", 1))
	res := w.run(nil, "apply", "-refresh=false", "-auto-approve", "-no-color", "-input=false")
	out := res.stdout + res.stderr
	if res.code == 0 || !regexp.MustCompile(wrapped("Contact changed in Qomon", "no longer holds, for surname", "-refresh=false")).MatchString(out) {
		t.Fatalf("the apply did not stop on the conflict: %s", res)
	}
	// One conflict is one error, on the line of the attribute.
	if n := strings.Count(out, "Error: "); n != 1 || !strings.Contains(out, `surname   = "Byron"`) {
		t.Errorf("%d errors, want one on the surname line:\n%s", n, tail(out, 3000))
	}
	if regexp.MustCompile(`after\s+this\s+plan|since\s+the\s+plan`).MatchString(out) {
		t.Errorf("the error dates the edit after the plan:\n%s", tail(out, 2000))
	}
	if got := sim.Contacts()[0]["surname"]; got != "King-Noel" {
		t.Errorf("the edit made in Qomon was overwritten: surname %v", got)
	}
}
