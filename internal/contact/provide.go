package contact

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
)

// What this package gives the provider: one resource type, its list resource and two data
// sources. Each embeds providerdata's Metadata and Configure; the framework finds the optional
// interfaces by type assertion at run time, so the assertions below make a missing method a
// compile error instead of a feature silently off.

// TypeName is the resource's type name after the provider's (qomon_contact).
const TypeName = "contact"

// NewResource is the qomon_contact resource.
func NewResource() resource.Resource {
	return &contactResource{Resource: providerdata.Resource{TypeName: TypeName}}
}

// NewListResource is the qomon_contact list resource.
func NewListResource() list.ListResource {
	return &contactListResource{Resource: providerdata.Resource{TypeName: TypeName}}
}

// NewDataSource is the qomon_contact data source: one contact, by id or by exact e-mail address.
func NewDataSource() datasource.DataSource {
	return &contactDataSource{DataSource: providerdata.DataSource{TypeName: "contact"}}
}

// NewListDataSource is the qomon_contacts data source: the contacts a search finds.
func NewListDataSource() datasource.DataSource {
	return &contactsDataSource{DataSource: providerdata.DataSource{TypeName: "contacts"}}
}

type (
	contactResource     struct{ providerdata.Resource }
	contactListResource struct{ providerdata.Resource }
	contactDataSource   struct{ providerdata.DataSource }
	contactsDataSource  struct{ providerdata.DataSource }
)

var (
	_ resource.ResourceWithConfigure            = (*contactResource)(nil)
	_ resource.ResourceWithModifyPlan           = (*contactResource)(nil)
	_ resource.ResourceWithImportState          = (*contactResource)(nil)
	_ list.ListResourceWithConfigure            = (*contactListResource)(nil)
	_ datasource.DataSourceWithConfigure        = (*contactDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*contactDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*contactsDataSource)(nil)
)
