package contact

import (
	"context"
	"encoding/json"
	"math/big"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/contact/sweep"
	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
)

// QuickRead answers a ReadResource of qomon_contact without terraform-plugin-framework when the
// process's sweep vouches for the contact (refresh.go): the answer is then the request's own
// state and private state, and the identity the contact's id, which is what the framework
// answers after Read returns early for such a contact, minus the framework's work.
//
// That work is most of the read's cost in a bulk refresh: terraform-plugin-framework v1.19.0
// walks every value of the state several times per RPC (decoding, semantic equality, write-only
// attributes, encoding), and each step of each attribute path it resolves copies the schema's
// map of attributes (resource/schema.Schema.GetAttributes), 29 of them at the top of
// qomon_contact's. internal/bench's BenchmarkProviderPlanUnchanged measures it (BENCHMARKS.md,
// "Bulk refresh").
//
// ok is false, and nothing has changed, whenever the read needs anything else: no configured
// sweep, a read following an import, an identity that is not the state's, a state or private
// state it cannot read, and every contact the sweep does not vouch for. The caller then serves
// the read through the framework as always.
func QuickRead(ctx context.Context, data *providerdata.Data, req *tfprotov6.ReadResourceRequest) (resp *tfprotov6.ReadResourceResponse, ok bool) {
	if data == nil || data.Refresh == nil || data.Client == nil || req.CurrentState == nil || len(req.Private) == 0 {
		return nil, false
	}
	var private privateBytes
	if json.Unmarshal(req.Private, &private) != nil {
		return nil, false
	}
	for key, value := range private {
		if key == importingKey || !isProviderKey(key) || !json.Valid(value) {
			// The read after an import (gone.go), one the framework marked, or a private state
			// the framework refuses.
			return nil, false
		}
	}
	types := quickTypes()
	state, err := req.CurrentState.Unmarshal(types.state)
	if err != nil {
		return nil, false
	}
	id, updatedAt := stateStamp(state)
	identity := tftypes.NewValue(types.identity, map[string]tftypes.Value{
		identityIDAttr: tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(id)),
	})
	if req.CurrentIdentity != nil && req.CurrentIdentity.IdentityData != nil {
		current, err := req.CurrentIdentity.IdentityData.Unmarshal(types.identity)
		if err != nil || (!current.IsFullyNull() && !current.Equal(identity)) {
			return nil, false // the framework reports an identity that changed
		}
	}
	if !data.Refresh.Vouch(sweepQuery(id, updatedAt, mirrored(ctx, private))) {
		return nil, false
	}
	newIdentity, err := tfprotov6.NewDynamicValue(types.identity, identity)
	if err != nil {
		return nil, false
	}
	return &tfprotov6.ReadResourceResponse{
		NewState:    req.CurrentState,
		Private:     req.Private,
		NewIdentity: &tfprotov6.ResourceIdentityData{IdentityData: &newIdentity},
	}, true
}

// sweepQuery is what a read asks the sweep about the contact id whose state holds updatedAt and
// whose private state records that it mirrors the contact at mirror.
func sweepQuery(id int64, updatedAt, mirror string) sweep.Query {
	return sweep.Query{ID: id, UpdatedAt: updatedAt,
		Exact: mirror != "" && updatedAt != "" && reconcile.Timestamp.Same(mirror, updatedAt)}
}

// quickTypes are the types of the resource's state (the framework's, object, and its Terraform
// type, state) and identity, and the schema's version, built once: the schema they come from is fixed for the life of the
// process, and building them walks all of it.
var quickTypes = sync.OnceValue(func() struct {
	object          attr.Type
	state, identity tftypes.Type
	version         int64 // the schema's
} {
	ctx := context.Background()
	s := resourceSchema()
	object := s.Type()
	return struct {
		object          attr.Type
		state, identity tftypes.Type
		version         int64
	}{
		object:   object,
		state:    object.TerraformType(ctx),
		identity: identitySchema().Type().TerraformType(ctx),
		version:  s.Version,
	}
})

// privateBytes is a private state as the framework encodes it (a JSON object of base64-encoded
// JSON values, privatestate.Data), read-only.
type privateBytes map[string][]byte

func (p privateBytes) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return p[key], nil
}

// isProviderKey reports whether a private state key is the provider's: the framework keeps its
// own keys in the same object, each starting with a dot (privatestate.ImportBeforeReadKey).
func isProviderKey(key string) bool {
	return key != "" && key[0] != '.'
}
