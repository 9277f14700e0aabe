package serve

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tfsdklogtest"

	"github.com/qomon/terraform-provider-qomon/internal/provider"
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

// TestFrameworkLogsCarrySetValues drives the framework's server as Terraform does, validating a
// contact with a form answer, and reads the SDK's log lines. With the framework's own lines on,
// the answer is in them (the control: the reason for frameworkLogsOff); with them off, as Serve
// sets it, no line holds it.
func TestFrameworkLogsCarrySetValues(t *testing.T) {
	const secret = "Votes for party zorblax"
	run := func(level string) string {
		t.Setenv("TF_LOG_SDK_FRAMEWORK", level)
		server := detachingServer{ProviderServer: providerserver.NewProtocol6(provider.New("test")())()}
		var logs bytes.Buffer
		ctx := tfsdklogtest.RootLogger(context.Background(), &logs)
		schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			t.Fatal(err)
		}
		typ := schemas.ResourceSchemas["qomon_contact"].ValueType().(tftypes.Object)
		attrs := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			attrs[name] = tftypes.NewValue(at, nil)
		}
		attrs["surname"] = tftypes.NewValue(tftypes.String, "Lovelace")
		attrs["tags"] = tftypes.NewValue(typ.AttributeTypes["tags"], []tftypes.Value{tftypes.NewValue(tftypes.String, "volunteer")})
		answerType := typ.AttributeTypes["formdatas"].(tftypes.Set).ElementType.(tftypes.Object)
		answer := map[string]tftypes.Value{}
		for name, at := range answerType.AttributeTypes {
			answer[name] = tftypes.NewValue(at, nil)
		}
		answer["form_id"] = tftypes.NewValue(tftypes.Number, 11240)
		answer["form_ref_id"] = tftypes.NewValue(tftypes.Number, 17871)
		answer["data"] = tftypes.NewValue(tftypes.String, secret)
		attrs["formdatas"] = tftypes.NewValue(typ.AttributeTypes["formdatas"], []tftypes.Value{tftypes.NewValue(answerType, answer)})
		config, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "qomon_contact", Config: &config})
		if err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("validate: %v %v", err, resp.Diagnostics)
		}
		return logs.String()
	}
	if on := run("trace"); !strings.Contains(on, secret) {
		t.Logf("control: the framework's own lines no longer show a set element's value (%d bytes of logs): "+
			"frameworkLogsOff may no longer be needed", len(on))
	} else {
		t.Logf("control: with TF_LOG_SDK_FRAMEWORK=trace the framework logs the answer, e.g. %s", lineWith(on, secret))
	}
	if off := run("off"); strings.Contains(off, secret) {
		t.Errorf("with the framework's lines off, a log line still holds the answer: %s", lineWith(off, secret))
	}
}

func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}
