package contact

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The identity of a qomon_contact is its Qomon contact id: Qomon gives it at creation and never
// changes it, and a GET by id is how the provider reads a contact. Terraform 1.12 and OpenTofu
// 1.12 store it beside the state and accept it in import blocks
// (`import { to = ..., identity = { id = 20000006 } }`); it is also what the qomon_contact list
// resource returns for `terraform query`. Older CLIs never ask for the identity schema and drop
// the identity from every answer, so nothing changes for them.
// https://developer.hashicorp.com/terraform/plugin/framework/resources/identity

var _ resource.ResourceWithIdentity = (*contactResource)(nil)

// identityIDAttr is the one attribute of the identity, named like the state attribute it mirrors.
const identityIDAttr = "id"

func (r *contactResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema()
}

// identitySchema is a function so that the list resource's tests can build identities too.
func identitySchema() identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			identityIDAttr: identityschema.Int64Attribute{
				Description:       "The Qomon contact id, as in the `id` attribute.",
				RequiredForImport: true,
			},
		},
	}
}

// setIdentity records id as the identity of a response. identity is nil when the framework
// serves a resource without identity support, which this one is not; a nil is not an error.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id int64) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.SetAttribute(ctx, path.Root(identityIDAttr), id)
}

// importIdentityID reads the contact id of an import by identity. A missing or non-positive id
// is refused before any request: Qomon's ids are positive.
func importIdentityID(ctx context.Context, identity *tfsdk.ResourceIdentity) (int64, diag.Diagnostics) {
	var diags diag.Diagnostics
	if identity == nil || identity.Raw.IsNull() {
		diags.AddError("Invalid import", "The import gives neither an import ID nor an identity. Set `id` or `identity = { id = <contact id> }` in the import block.")
		return 0, diags
	}
	var id types.Int64
	diags.Append(identity.GetAttribute(ctx, path.Root(identityIDAttr), &id)...)
	if diags.HasError() {
		return 0, diags
	}
	if id.IsNull() || id.IsUnknown() || id.ValueInt64() <= 0 {
		diags.AddError("Invalid import identity",
			fmt.Sprintf("identity.%s must be a positive Qomon contact id (for example 20000006).", identityIDAttr))
		return 0, diags
	}
	return id.ValueInt64(), diags
}

// imported ends every import: the state holds only the id, the identity the same id, and the
// private state marks the import for the read that follows (gone.go).
func imported(ctx context.Context, resp *resource.ImportStateResponse, id int64) diag.Diagnostics {
	diags := resp.State.SetAttribute(ctx, path.Root("id"), id)
	diags.Append(setIdentity(ctx, resp.Identity, id)...)
	diags.Append(markImporting(ctx, resp.Private)...)
	return diags
}
