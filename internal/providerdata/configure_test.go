package providerdata

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Configure keeps the provider's Data, leaves it alone on the framework's early call with nil,
// and says so when the value is of another type; ClientFor refuses to hand out a missing client.
func TestConfigure(t *testing.T) {
	ctx := context.Background()
	data := &Data{Client: &qomon.Client{}}

	var r Resource
	var rresp resource.ConfigureResponse
	r.Configure(ctx, resource.ConfigureRequest{ProviderData: data}, &rresp)
	r.Configure(ctx, resource.ConfigureRequest{}, &rresp)
	if r.Data != data || rresp.Diagnostics.HasError() {
		t.Fatalf("resource: data %p, diags %v", r.Data, rresp.Diagnostics)
	}

	var d DataSource
	var dresp datasource.ConfigureResponse
	d.Configure(ctx, datasource.ConfigureRequest{ProviderData: "not data"}, &dresp)
	if d.Data != nil || !dresp.Diagnostics.HasError() || dresp.Diagnostics[0].Summary() != "Unexpected provider data" {
		t.Fatalf("data source: data %p, diags %v", d.Data, dresp.Diagnostics)
	}

	var none *Data
	got := none.ClientFor("reading qomon_form", &dresp.Diagnostics)
	if got != nil || dresp.Diagnostics[1].Summary() != "Provider not configured" {
		t.Fatalf("unconfigured: client %p, diags %v", got, dresp.Diagnostics)
	}
	if data.ClientFor("reading qomon_form", &dresp.Diagnostics) != data.Client || len(dresp.Diagnostics) != 2 {
		t.Fatalf("configured: diags %v", dresp.Diagnostics)
	}
}

func TestMetadata(t *testing.T) {
	var resp datasource.MetadataResponse
	(&DataSource{TypeName: "form"}).Metadata(context.Background(), datasource.MetadataRequest{ProviderTypeName: "qomon"}, &resp)
	var rresp resource.MetadataResponse
	(&Resource{TypeName: "contact"}).Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "qomon"}, &rresp)
	if resp.TypeName != "qomon_form" || rresp.TypeName != "qomon_contact" {
		t.Errorf("type names %q, %q", resp.TypeName, rresp.TypeName)
	}
}
