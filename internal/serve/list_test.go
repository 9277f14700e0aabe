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

	"github.com/qomon/terraform-provider-qomon/internal/provider"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

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
	dynamic := func(typ tftypes.Type, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
		vals := map[string]tftypes.Value{}
		for name, at := range typ.(tftypes.Object).AttributeTypes {
			vals[name] = tftypes.NewValue(at, nil)
		}
		for name, v := range set {
			vals[name] = v
		}
		dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
		if err != nil {
			t.Fatal(err)
		}
		return &dv
	}
	cr, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: dynamic(schema.Provider.ValueType(), nil)})
	if err != nil || len(cr.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, cr.Diagnostics)
	}
	listType := schema.ListResourceSchemas["qomon_contact"].ValueType()

	vr, err := server.ValidateListResourceConfig(ctx, &tfprotov6.ValidateListResourceConfigRequest{
		TypeName: "qomon_contact", Config: dynamic(listType, map[string]tftypes.Value{"updated_since": tftypes.NewValue(tftypes.String, "soon")}),
	})
	if err != nil || len(vr.Diagnostics) != 1 || !strings.Contains(vr.Diagnostics[0].Summary, "updated_since") {
		t.Errorf("validation: %v %+v", err, vr)
	}

	var logs bytes.Buffer
	stream, err := server.ListResource(tflogtest.RootLogger(ctx, &logs), &tfprotov6.ListResourceRequest{TypeName: "qomon_contact", Config: dynamic(listType, nil), Limit: 10})
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
