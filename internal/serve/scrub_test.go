package serve

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestScrubDiagnostics(t *testing.T) {
	answer := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"data": tftypes.String}},
		map[string]tftypes.Value{"data": tftypes.NewValue(tftypes.String, "Votes for party X")})
	diags := []*tfprotov6.Diagnostic{
		{
			Severity:  tfprotov6.DiagnosticSeverityError,
			Summary:   "Invalid date",
			Detail:    `formdatas[Value({"data":"Votes for party X","date":"yesterday"})].date must be a date (YYYY-MM-DD)`,
			Attribute: tftypes.NewAttributePath().WithAttributeName("formdatas").WithElementKeyValue(answer).WithAttributeName("date"),
		},
		{Severity: tfprotov6.DiagnosticSeverityError, Summary: "Empty value", Detail: `tags[Value("volunteer ")] must not be empty`,
			Attribute: tftypes.NewAttributePath().WithAttributeName("tags").WithElementKeyValue(tftypes.NewValue(tftypes.String, "volunteer "))},
		{Severity: tfprotov6.DiagnosticSeverityError, Summary: "Empty value", Detail: "notes[0].content must not be empty",
			Attribute: tftypes.NewAttributePath().WithAttributeName("notes").WithElementKeyInt(0).WithAttributeName("content")},
		nil,
	}
	scrubDiagnostics(diags)
	for _, d := range diags[:3] {
		text := d.Summary + d.Detail + d.Attribute.String()
		if strings.Contains(text, "Votes") || strings.Contains(text, "volunteer") {
			t.Errorf("a set element's value is still there: %s", text)
		}
	}
	if got := diags[0].Attribute.String(); got != `AttributeName("formdatas")` {
		t.Errorf("path = %s, want the set", got)
	}
	if got := diags[0].Detail; got != "formdatas[Value(…)].date must be a date (YYYY-MM-DD)" {
		t.Errorf("detail = %q", got)
	}
	if got := diags[2].Attribute.String(); got != `AttributeName("notes").ElementKeyInt(0).AttributeName("content")` {
		t.Errorf("a list path was changed: %s", got)
	}
}

func TestFrameworkLogsOff(t *testing.T) {
	set := map[string]string{}
	if !frameworkLogsOff(func(string) (string, bool) { return "", false }, func(k, v string) error { set[k] = v; return nil }) ||
		set["TF_LOG_SDK_FRAMEWORK"] != "off" {
		t.Errorf("not switched off: %v", set)
	}
	if frameworkLogsOff(func(string) (string, bool) { return "trace", true }, func(string, string) error { t.Error("set"); return nil }) {
		t.Error("a level the user chose was overridden")
	}
}
