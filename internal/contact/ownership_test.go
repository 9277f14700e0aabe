package contact

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// memoryPrivate stands in for the framework's private state data.
type memoryPrivate map[string][]byte

func (m memoryPrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return m[key], nil
}

func (m memoryPrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	m[key] = value
	return nil
}

func TestManagedFromConfig(t *testing.T) {
	f := newPlanFixture(t)
	config, _ := f.config(map[string]attr.Value{
		"firstname": str("Ada"),
		"tags":      types.SetValueMust(types.StringType, nil), // [] manages the tags: none
		"address":   address(map[string]string{"city": "Paris", "street": "rue de Rivoli"}),
		"mail":      types.StringUnknown(), // known by apply time
	})
	got := managedFromConfig(config).keys()
	want := []string{"address.city", "address.street", "firstname", "mail", "tags"}
	if !slices.Equal(got, want) {
		t.Errorf("managed = %v, want %v", got, want)
	}

	config, _ = f.config(map[string]attr.Value{"address": types.ObjectUnknown(addressAttrTypes)})
	if got := managedFromConfig(config); len(got) != len(addressInputs) {
		t.Errorf("an unknown address should manage every part, got %v", got.keys())
	}
}

func TestManagedSetPrivateState(t *testing.T) {
	ctx := context.Background()
	store := memoryPrivate{}

	if _, ok, diags := loadManaged(ctx, store); ok || diags.HasError() {
		t.Fatalf("an empty private state should be 'no record', got ok=%v %v", ok, diags)
	}
	if diags := (managedSet{"mail": true, "address.city": true}).save(ctx, store); diags.HasError() {
		t.Fatal(diags)
	}
	got, ok, diags := loadManaged(ctx, store)
	if !ok || diags.HasError() || !slices.Equal(got.keys(), []string{"address.city", "mail"}) {
		t.Errorf("round trip: %v %v %v (stored %s)", got.keys(), ok, diags, store[privateKey])
	}

	store[privateKey] = []byte(`"not a record"`)
	got, ok, diags = loadManaged(ctx, store)
	if ok || len(got) != 0 || diags.HasError() || diags.WarningsCount() != 1 {
		t.Errorf("an unreadable record should warn and manage nothing: %v %v %v", got, ok, diags)
	}
}
