package serve

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-log/tfsdklogtest"

	"github.com/qomon/terraform-provider-qomon/internal/provider"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// These tests drive the provider as Serve serves it, over the RPCs Terraform sends, with
// configurations built as Terraform builds them, and read the log lines the SDK writes.

// objectValue is a value of the object type typ as Terraform sends a configuration: the
// attributes in set, every other one null.
func objectValue(typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for name, at := range typ.(tftypes.Object).AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range set {
		vals[name] = v
	}
	return tftypes.NewValue(typ, vals)
}

// dynamicValue is objectValue as an RPC carries it.
func dynamicValue(t *testing.T, typ tftypes.Type, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, objectValue(typ, set))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// The server Serve runs answers `terraform query`: the list RPCs reach the framework through
// the wrapper, and the results stream, which Terraform reads after ListResource has returned,
// still runs on the request's context: its log lines reach the request's logger.
func TestListingServerServesListResources(t *testing.T) {
	for _, k := range []string{"QOMON_API_TOKEN", "QOMON_ENDPOINT", "QOMON_UPDATE_MODE"} {
		t.Setenv(k, "")
	}
	const token = "serve-test-token"
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{Tokens: []string{token}})
	sim.SeedContact(map[string]any{"firstname": "Ada", "surname": "Lovelace", "mail": "ada@example.org"})
	framework := providerserver.NewProtocol6(provider.NewWithOptions("test", provider.Options{
		ClientConfig: func(c *qomon.Config) { c.Endpoint, c.Token = url, token },
	})())

	if _, ok := tfprotov6.ProviderServer(detachingServer{ProviderServer: framework()}).(listServer); ok {
		t.Log("control: detachingServer alone now serves list resources; listingServer may no longer be needed")
	}
	server, ok := listing(detachingServer{ProviderServer: framework()}).(listServer)
	if !ok {
		t.Fatal("the served provider does not implement the list resource RPCs")
	}

	ctx := context.Background()
	schema, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	cr, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: dynamicValue(t, schema.Provider.ValueType(), nil)})
	if err != nil || len(cr.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, cr.Diagnostics)
	}
	listType := schema.ListResourceSchemas["qomon_contact"].ValueType()

	vr, err := server.ValidateListResourceConfig(ctx, &tfprotov6.ValidateListResourceConfigRequest{
		TypeName: "qomon_contact", Config: dynamicValue(t, listType, map[string]tftypes.Value{"updated_since": tftypes.NewValue(tftypes.String, "soon")}),
	})
	if err != nil || len(vr.Diagnostics) != 1 || !strings.Contains(vr.Diagnostics[0].Summary, "updated_since") {
		t.Errorf("validation: %v %+v", err, vr)
	}

	var logs bytes.Buffer
	stream, err := server.ListResource(tflogtest.RootLogger(ctx, &logs), &tfprotov6.ListResourceRequest{TypeName: "qomon_contact", Config: dynamicValue(t, listType, nil), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for r := range stream.Results {
		for _, d := range r.Diagnostics {
			t.Errorf("diagnostic: %s: %s", d.Summary, d.Detail)
		}
		names = append(names, r.DisplayName)
	}
	if len(names) != 1 || names[0] != "Ada Lovelace (a***@example.org)" {
		t.Errorf("listed %q", names)
	}
	if !strings.Contains(logs.String(), "listed Qomon contacts") {
		t.Errorf("the list's log lines did not reach the request's logger:\n%s", logs.String())
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
		answerType := typ.AttributeTypes["formdatas"].(tftypes.Set).ElementType
		answer := objectValue(answerType, map[string]tftypes.Value{
			"form_id":     tftypes.NewValue(tftypes.Number, 11240),
			"form_ref_id": tftypes.NewValue(tftypes.Number, 17871),
			"data":        tftypes.NewValue(tftypes.String, secret),
		})
		config := dynamicValue(t, typ, map[string]tftypes.Value{
			"surname":   tftypes.NewValue(tftypes.String, "Lovelace"),
			"tags":      tftypes.NewValue(typ.AttributeTypes["tags"], []tftypes.Value{tftypes.NewValue(tftypes.String, "volunteer")}),
			"formdatas": tftypes.NewValue(typ.AttributeTypes["formdatas"], []tftypes.Value{answer}),
		})
		resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "qomon_contact", Config: config})
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
