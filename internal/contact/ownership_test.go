package contact

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
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

func TestManagedSetPrivateState(t *testing.T) {
	ctx := context.Background()
	store := memoryPrivate{}

	if _, ok, diags := loadManaged(ctx, store); ok || diags.HasError() {
		t.Fatalf("an empty private state should be 'no record', got ok=%v %v", ok, diags)
	}
	if diags := (managedSet{"mail", "address.city"}).save(ctx, store); diags.HasError() {
		t.Fatal(diags)
	}
	got, ok, diags := loadManaged(ctx, store)
	if !ok || diags.HasError() || !slices.Equal(got, []string{"address.city", "mail"}) {
		t.Errorf("round trip: %v %v %v (stored %s)", got, ok, diags, store[privateKey])
	}
	if string(store[privateKey]) != `{"v":1,"fields":["address.city","mail"]}` {
		t.Errorf("the record's format changed (a provider reading state written by this one must understand it): %s", store[privateKey])
	}

	store[privateKey] = []byte(`"not a record"`)
	got, ok, diags = loadManaged(ctx, store)
	if ok || len(got) != 0 || diags.HasError() || diags.WarningsCount() != 1 {
		t.Errorf("an unreadable record should warn and manage nothing: %v %v %v", got, ok, diags)
	}
}
