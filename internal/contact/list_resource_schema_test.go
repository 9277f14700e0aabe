package contact

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
)

// The list block's config offers exactly the data source's filters and any_of, each with the
// data source's own description and validators.
func TestListConfigSchemaIsTheDataSourceFilters(t *testing.T) {
	ctx := context.Background()
	got, err := listConfigSchema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ds datasource.SchemaResponse
	(&contactsDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &ds)

	want := append(slices.Collect(maps.Keys(filterAttributes())), "any_of")
	slices.Sort(want)
	if names := slices.Sorted(maps.Keys(got.Attributes)); !slices.Equal(names, want) {
		t.Fatalf("list config attributes %v, want %v", names, want)
	}
	for name, a := range got.Attributes {
		same(t, name, a, ds.Schema.Attributes[name])
	}
	if diags := got.ValidateImplementation(ctx); diags.HasError() {
		t.Fatal(diags)
	}
}

func same(t *testing.T, name string, l listschema.Attribute, d dsschema.Attribute) {
	t.Helper()
	if l.GetMarkdownDescription() != d.GetMarkdownDescription() || l.IsOptional() != d.IsOptional() || l.IsRequired() != d.IsRequired() {
		t.Errorf("%s: description or role differs from the data source's", name)
	}
	switch l := l.(type) {
	case listschema.StringAttribute:
		if len(l.Validators) != len(d.(dsschema.StringAttribute).Validators) {
			t.Errorf("%s: %d validators, the data source has %d", name, len(l.Validators), len(d.(dsschema.StringAttribute).Validators))
		}
	case listschema.ListNestedAttribute:
		dn := d.(dsschema.ListNestedAttribute)
		if len(l.Validators) != len(dn.Validators) || len(l.NestedObject.Validators) != len(dn.NestedObject.Validators) {
			t.Errorf("%s: validators differ from the data source's", name)
		}
		for n, a := range l.NestedObject.Attributes {
			same(t, name+"."+n, a, dn.NestedObject.Attributes[n])
		}
	}
}

// What a filter cannot be is refused rather than silently dropped.
func TestListAttributeRefuses(t *testing.T) {
	for name, a := range map[string]dsschema.Attribute{
		"missing":   nil,
		"computed":  dsschema.StringAttribute{Computed: true},
		"sensitive": dsschema.StringAttribute{Optional: true, Sensitive: true},
		"a set":     dsschema.SetAttribute{Optional: true},
	} {
		if _, err := listAttribute(a); err == nil {
			t.Errorf("%s: converted", name)
		}
	}
}
