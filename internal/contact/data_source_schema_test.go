package contact

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

// The data sources expose a contact exactly as the resource does: same names, same types, same
// nesting, so that reconcile.ObjectOf fills both and a value can move from one to the other.
func TestDataSourceAttributesMatchResource(t *testing.T) {
	attrs, err := contactDataSourceAttributes()
	if err != nil {
		t.Fatal(err)
	}
	got := dschema.Schema{Attributes: attrs}.Type()
	want := resourceSchema().Type()
	if !got.Equal(want) {
		t.Fatalf("data source contact type differs from the resource's:\n got  %s\n want %s", got, want)
	}
}

func TestDataSourceAttributesAreComputedAndDescribed(t *testing.T) {
	attrs, err := contactDataSourceAttributes()
	if err != nil {
		t.Fatal(err)
	}
	walkAttributes(t, "", attrs, func(name string, a dschema.Attribute) {
		if !a.IsComputed() || a.IsOptional() || a.IsRequired() {
			t.Errorf("%s: want computed only (computed=%v optional=%v required=%v)", name, a.IsComputed(), a.IsOptional(), a.IsRequired())
		}
		d := a.GetMarkdownDescription()
		if strings.TrimSpace(d) == "" {
			t.Errorf("%s: empty description", name)
		}
		if resourceOnly.MatchString(d) {
			t.Errorf("%s: description speaks of managing the contact: %q", name, d)
		}
	})
}

func TestDataSourceDescription(t *testing.T) {
	tests := map[string]string{
		"City.": "City.",
		"Names of the tags. Managed as a whole: when set, the contact carries exactly these tags." + ownershipNote: "Names of the tags.",
		"The answer. When left out, Qomon fills it in and Terraform does not compare it.":                          "The answer.",
		"Whether it is pinned. Defaults to `false`.":                                                               "Whether it is pinned.",
		"Latitude, in decimal degrees. Set by Qomon's geocoding.":                                                  "Latitude, in decimal degrees. Set by Qomon's geocoding.",
	}
	for in, want := range tests {
		if got := dataSourceDescription(in); got != want {
			t.Errorf("dataSourceDescription(%q)\n got  %q\n want %q", in, got, want)
		}
	}
}

// Every data source schema passes the framework's own implementation checks.
func TestDataSourceSchemasAreValid(t *testing.T) {
	ctx := context.Background()
	for name, ds := range map[string]datasource.DataSource{
		"qomon_contact":  NewDataSource(),
		"qomon_contacts": NewListDataSource(),
	} {
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s: %v", name, resp.Diagnostics)
		}
		if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
			t.Errorf("%s: %v", name, diags)
		}
	}
}

func walkAttributes(t *testing.T, prefix string, attrs map[string]dschema.Attribute, fn func(string, dschema.Attribute)) {
	t.Helper()
	for name, a := range attrs {
		fn(prefix+name, a)
		if n, ok := a.(dschema.NestedAttribute); ok {
			obj, ok := n.GetNestedObject().(dschema.NestedAttributeObject)
			if !ok {
				t.Fatalf("%s%s: unexpected nested object %T", prefix, name, n.GetNestedObject())
			}
			walkAttributes(t, prefix+name+".", obj.Attributes, fn)
		}
	}
}
