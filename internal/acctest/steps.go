package acctest

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// What acceptance tests build their steps with.

// Test runs an acceptance test case against the Env's simulator: it fills in PreCheck and
// the provider factories when the case leaves them out.
//
// The testing library runs CheckDestroy only after destroying what the steps left in state;
// when they left nothing (every step failed, as expected, or planned only), Test runs it
// itself, with no state (nil): a check that nothing reached Qomon must run then above all.
func (e *Env) Test(t *testing.T, c resource.TestCase) {
	t.Helper()
	if c.PreCheck == nil {
		c.PreCheck = func() { PreCheck(t) }
	}
	if c.ProtoV6ProviderFactories == nil && !stepsServe(c.Steps) {
		c.ProtoV6ProviderFactories = e.Factories
	}
	checkDestroy, checked := c.CheckDestroy, false
	if checkDestroy != nil {
		c.CheckDestroy = func(s *terraform.State) error {
			checked = true
			return checkDestroy(s)
		}
	}
	resource.Test(t, c)
	if checkDestroy != nil && !checked && !t.Failed() {
		if err := checkDestroy(nil); err != nil {
			t.Errorf("CheckDestroy, the steps having left nothing to destroy: %v", err)
		}
	}
}

// Wrapped compiles the pattern of an expected error message in which a space also matches the
// line breaks a CLI puts in long messages.
func Wrapped(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`))
}

// stepsServe reports whether the steps name their own providers (the testing library refuses
// a case that sets them at both levels).
func stepsServe(steps []resource.TestStep) bool {
	for _, s := range steps {
		if s.ProtoV6ProviderFactories != nil {
			return true
		}
	}
	return false
}

// Block is a block of configuration: Block("data", "qomon_contact", "one", `mail = "a@b.org"`).
func Block(kind, typeName, name, body string) string {
	return fmt.Sprintf("%s %q %q {\n%s\n}\n", kind, typeName, name, body)
}

// Refused is a step whose configuration must fail with an error matching pattern (Wrapped).
func Refused(config, pattern string) resource.TestStep {
	return resource.TestStep{Config: config, ExpectError: Wrapped(pattern)}
}
