package form

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// The ambiguity warning cannot be seen through a CLI by the testing library: Read is called
// directly, with the real client against the simulator.
func TestReadWarnsAboutAmbiguousOptions(t *testing.T) {
	_, url := qomonsim.NewTestServer(t, qomonsim.Options{Forms: []qomonsim.Form{{
		ID: 500, Category: qomonsim.CategorySurvey, Type: qomonsim.TypeRadio, Label: "Tricky",
		RefValues: []qomonsim.RefValue{{ID: 501, Label: "yes", Value: "no"}, {ID: 502, Label: "no", Value: "nope"}},
	}}})
	client, err := qomon.New(qomon.Config{Endpoint: url, Token: "test-token", RateLimit: qomon.RateLimit{Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ds := &dataSource{DataSource: providerdata.DataSource{Data: &providerdata.Data{Client: client}}}
	var sr datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
	if diags := sr.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatal(diags)
	}
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	vals["type"] = tftypes.NewValue(tftypes.String, "survey")
	vals["label"] = tftypes.NewValue(tftypes.String, "Tricky")
	resp := &datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, vals)}}, resp)

	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity() != diag.SeverityWarning ||
		!strings.Contains(resp.Diagnostics[0].Detail(), `not in options: "no"`) {
		t.Fatalf("want one warning naming \"no\", got %v", resp.Diagnostics)
	}
	var options map[string]int64
	var m dataSourceModel
	if d := resp.State.Get(ctx, &m); d.HasError() {
		t.Fatal(d)
	}
	if d := m.Options.ElementsAs(ctx, &options, false); d.HasError() {
		t.Fatal(d)
	}
	if len(options) != 2 || options["yes"] != 501 || options["nope"] != 502 {
		t.Errorf("options = %v, want yes→501, nope→502", options)
	}
	if m.ID != types.Int64Value(500) || len(m.Values.Elements()) != 2 {
		t.Errorf("id %v, %d values", m.ID, len(m.Values.Elements()))
	}
}

// Read before the provider is configured is an error, not a panic.
func TestReadUnconfigured(t *testing.T) {
	ctx := context.Background()
	ds := NewDataSource()
	var sr datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	vals["type"] = tftypes.NewValue(tftypes.String, "survey")
	resp := &datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, vals)}}, resp)
	if !resp.Diagnostics.HasError() || resp.Diagnostics[0].Summary() != "Provider not configured" {
		t.Errorf("got %v", resp.Diagnostics)
	}
}
