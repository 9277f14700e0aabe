package contact

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestCreatePlanIsWhatModifyPlanGets compares createPlan with the plan
// terraform-plugin-framework hands ModifyPlan for the same create, captured by a resource of
// the contact's schema. The oracle tests of internal/bench compare whole answers, which for a
// create depend on the defaults createPlan fills but not on the computed attributes it makes
// unknown (reconcile.PlanCreate decides those itself): this test checks both.
func TestCreatePlanIsWhatModifyPlanGets(t *testing.T) {
	ctx := context.Background()
	var got tftypes.Value
	server := providerserver.NewProtocol6(captureProvider{&got})()
	typ := quickTypes().state
	for name, config := range map[string]string{
		"a contact": `{"firstname": "Camille", "surname": "Martin", "mail": "camille@example.org", "tags": ["volunteer"],
			"address": {"street": "rue des Lilas", "city": "Paris"}}`,
		"notes, pinned left out": `{"firstname": "Ada", "notes": [{"content": "A"}, {"content": "B", "pinned": true}, {"content": "C", "pinned": false}]}`,
		"no notes":               `{"notes": []}`,
		"an empty address":       `{"address": {}}`,
		"answers":                `{"formdatas": [{"form_id": 1, "form_ref_id": 2, "data": "x"}], "custom_fields": [{"form_id": 3, "form_ref_id": 4}]}`,
		"nothing":                `{}`,
	} {
		cfg, err := (&tfprotov6.DynamicValue{JSON: []byte(config)}).Unmarshal(typ)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		dv, err := tfprotov6.NewDynamicValue(typ, cfg)
		if err != nil {
			t.Fatal(err)
		}
		null, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
		if err != nil {
			t.Fatal(err)
		}
		got = tftypes.Value{}
		resp, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: "capture_contact", PriorState: &null, ProposedNewState: &dv, Config: &dv})
		if err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("%s: %v %v", name, err, resp.Diagnostics)
		}
		want := got
		planned, ok := createPlan(defaultedTree(), cfg, cfg)
		if !ok || !planned.Equal(want) {
			t.Errorf("%s: createPlan gives (%t)\n%v\nthe framework hands ModifyPlan\n%v", name, ok, planned, want)
		}
	}
}

// captureProvider serves capture_contact, a resource of the contact's schema that records in
// *got the plan the framework hands its ModifyPlan.
type captureProvider struct{ got *tftypes.Value }

func (captureProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "capture"
}
func (captureProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (captureProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (captureProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (p captureProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return captureResource(p) }}
}

type captureResource struct{ got *tftypes.Value }

func (captureResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "capture_contact"
}
func (captureResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema()
}
func (r captureResource) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, _ *resource.ModifyPlanResponse) {
	*r.got = req.Plan.Raw
}
func (captureResource) Create(context.Context, resource.CreateRequest, *resource.CreateResponse) {}
func (captureResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse)       {}
func (captureResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (captureResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
