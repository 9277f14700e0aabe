package serve

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Personal data out of the plugin SDK's logs.
//
// A set element is addressed by its value: the framework writes the path of a tag as
// tags[Value("volunteer")] and that of a form answer with the whole answer in it. Two kinds of
// SDK log lines carry such paths:
//
//   - the framework's own lines (its "framework" subsystem: validators, plan modifiers, semantic
//     equality, "Value switched to prior value due to semantic equality logic" at DEBUG). Their
//     masking options cannot be set from here: the framework creates that subsystem at the start
//     of every RPC (terraform-plugin-log v0.11.0, tfsdklog.NewSubsystem), which replaces whatever
//     options the context held. Serve switches the subsystem off instead (frameworkLogsOff),
//     unless the user asks for it by name with TF_LOG_SDK_FRAMEWORK;
//   - terraform-plugin-go's line for every diagnostic (its "proto" subsystem, at ERROR or WARN),
//     with the diagnostic's attribute path, summary and detail. It is written after the RPC
//     returns, from the response: scrubDiagnostics removes the values from the response first.
//     Terraform points at the same line of the configuration either way, since a set element
//     has no source location of its own.

// setElementText is a set element's value inside a path written as text (in a diagnostic's
// summary or detail). Greedy: a value may itself hold ")]".
var setElementText = regexp.MustCompile(`\[Value\(.*\)\]`)

// scrubDiagnostics removes set elements' values from diagnostics: an attribute path stops at
// the set, and paths quoted in the text show [Value(…)].
func scrubDiagnostics(diags []*tfprotov6.Diagnostic) {
	for _, d := range diags {
		if d == nil {
			continue
		}
		d.Summary = setElementText.ReplaceAllString(d.Summary, "[Value(…)]")
		d.Detail = setElementText.ReplaceAllString(d.Detail, "[Value(…)]")
		if d.Attribute == nil {
			continue
		}
		steps := d.Attribute.Steps()
		for i, step := range steps {
			if _, ok := step.(tftypes.ElementKeyValue); ok {
				d.Attribute = tftypes.NewAttributePathWithSteps(steps[:i])
				break
			}
		}
	}
}

// frameworkLogsOff switches the framework's own log lines off (see above) unless the user set
// their level, and reports whether it did.
func frameworkLogsOff(lookup func(string) (string, bool), set func(string, string) error) bool {
	if v, ok := lookup("TF_LOG_SDK_FRAMEWORK"); ok && v != "" {
		return false
	}
	_ = set("TF_LOG_SDK_FRAMEWORK", "off") // os.Setenv fails only on invalid names
	return true
}
