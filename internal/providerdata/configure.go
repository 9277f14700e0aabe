package providerdata

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Resource is embedded by the provider's resources and list resources, and DataSource by its
// data sources: they name the type and keep the provider's Data, so that none of them writes
// its own Metadata and Configure.
type Resource struct {
	// TypeName is the type's name after the provider's: "contact" for qomon_contact.
	TypeName string
	Data     *Data
}

// DataSource is Resource for data sources.
type DataSource struct {
	TypeName string
	Data     *Data
}

// FullTypeName is the name Terraform knows a type by: the provider's type name, an underscore
// and the type's own name (qomon_contact).
func FullTypeName(providerTypeName, typeName string) string {
	return providerTypeName + "_" + typeName
}

// Metadata implements resource.Resource and list.ListResource: the type is qomon_<TypeName>.
func (r *Resource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = FullTypeName(req.ProviderTypeName, r.TypeName)
}

// Configure implements resource.ResourceWithConfigure and list.ListResourceWithConfigure.
func (r *Resource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	configure(&r.Data, req.ProviderData, &resp.Diagnostics)
}

// Metadata implements datasource.DataSource.
func (d *DataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = FullTypeName(req.ProviderTypeName, d.TypeName)
}

// Configure implements datasource.DataSourceWithConfigure.
func (d *DataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	configure(&d.Data, req.ProviderData, &resp.Diagnostics)
}

// configure stores in dst the provider data v the framework passes to Configure. The framework
// calls Configure early with nil, before the provider is configured: dst is then left as it
// is. A value of another type is a bug in the provider itself, said as an error.
func configure(dst **Data, v any, diags *diag.Diagnostics) {
	if v == nil {
		return
	}
	d, ok := v.(*Data)
	if !ok || d == nil {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("expected *providerdata.Data, got %T: this is a bug in the provider, please report it", v))
		return
	}
	*dst = d
}

// ClientFor returns the configured client. Before the provider is configured (Terraform calls
// some methods of providers it cannot configure yet) it returns nil and adds the error that
// says so; use says what was attempted ("reading qomon_contact").
func (d *Data) ClientFor(use string, diags *diag.Diagnostics) *qomon.Client {
	if d == nil || d.Client == nil {
		diags.AddError("Provider not configured",
			"The qomon provider was not configured before "+use+". This is a bug in the provider or in Terraform; please report it.")
		return nil
	}
	return d.Client
}
