// Package provider is the qomon provider: its configuration, the one API client it builds, and
// the list of resources and data sources it serves.
package provider

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/qomon/terraform-provider-qomon/internal/contact"
	"github.com/qomon/terraform-provider-qomon/internal/contact/sweep"
	"github.com/qomon/terraform-provider-qomon/internal/form"
	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Options lets tests (and only tests) adjust what the provider builds, the way
// terraform-provider-time injects its clock.
type Options struct {
	// ClientConfig, when set, may change the client configuration after the provider block and
	// the environment have been read and before it is validated: tests point the endpoint at a
	// simulator, set its token, or tune rate limits.
	ClientConfig func(*qomon.Config)
	// LostCreateSearchDelay, when set, replaces the 2 s step between the searches that follow
	// a create whose answer was lost (providerdata.Data), so that tests need not wait 12 s.
	LostCreateSearchDelay time.Duration
}

// New returns the provider constructor used by main and by the Registry binary.
func New(version string) func() provider.Provider {
	return NewWithOptions(version, Options{})
}

// NewWithOptions returns a provider constructor with test hooks.
func NewWithOptions(version string, opts Options) func() provider.Provider {
	return func() provider.Provider {
		return &qomonProvider{version: version, opts: opts}
	}
}

// typeName is the provider's type name, which starts the names of its resources.
const typeName = "qomon"

type qomonProvider struct {
	version string
	opts    Options
	// data is what the last Configure built, as the framework hands it to resources.
	data atomic.Pointer[providerdata.Data]
}

var (
	_ provider.Provider                   = (*qomonProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*qomonProvider)(nil)
	_ provider.ProviderWithListResources  = (*qomonProvider)(nil)
)

func (p *qomonProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = typeName
	resp.Version = p.version
}

func (p *qomonProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema()
}

func (p *qomonProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	resp.Diagnostics.Append(validateConfig(ctx, req.Config)...)
}

func (p *qomonProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	resp.Diagnostics.Append(rejectUnknown(ctx, req.Config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	settings, diags := readSettings(ctx, req.Config, lookupEnv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings.client.UserAgent = userAgent(p.version, req.TerraformVersion)
	settings.client.Logger = tflogLogger{}
	if p.opts.ClientConfig != nil {
		p.opts.ClientConfig(&settings.client)
	}
	if err := qomon.ValidateToken(settings.client.Token); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("api_token"), "Missing or malformed Qomon API token",
			err.Error()+". Create a key in the Qomon web app under Settings → Extensions → Connect.")
		return
	}
	if settings.client.Limiter == nil && !settings.client.RateLimit.Disabled {
		// Every key of a Qomon space shares one bucket, and one Terraform run may configure
		// several provider instances (aliases) on the same space: they share one limiter.
		settings.client.Limiter = sharedLimiter(settings.client.Endpoint, settings.client.Token, settings.client.RateLimit)
	}

	client, err := qomon.New(settings.client)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid Qomon endpoint", err.Error())
		return
	}
	// One request proves that the endpoint is Qomon's API and that the key works, so that a
	// bad key or a wrong endpoint is one error here rather than one per contact.
	total, err := client.Probe(ctx)
	if err != nil {
		resp.Diagnostics.Append(probeDiagnostics(settings.client.Endpoint, err)...)
		return
	}
	data := &providerdata.Data{Client: client, UpdateMode: settings.updateMode, SpaceSize: total,
		LostCreateSearchDelay: p.opts.LostCreateSearchDelay,
		// One per configured provider, which is one per process: Terraform starts a provider
		// process per provider configuration and command.
		Refresh: sweep.New(sweep.Config{Mode: settings.refreshMode, SpaceSize: total, Pager: client})}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
	p.data.Store(data)
}

// QuickRead, QuickPlan, QuickUpgrade and QuickValidate answer, for internal/serve's server, the
// calls about contacts that need no framework (internal/contact's QuickRead, QuickPlan,
// QuickUpgrade and QuickValidate): reads the bulk refresh vouches for, plans that change nothing
// or create, states of the current schema, valid configurations.
func (p *qomonProvider) QuickRead(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, bool) {
	return quick(ctx, p, req.TypeName, req, contact.QuickRead)
}

func (p *qomonProvider) QuickPlan(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, bool) {
	return quick(ctx, p, req.TypeName, req, contact.QuickPlan)
}

func (p *qomonProvider) QuickUpgrade(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, bool) {
	return quick(ctx, p, req.TypeName, req, alone(contact.QuickUpgrade))
}

func (p *qomonProvider) QuickValidate(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, bool) {
	return quick(ctx, p, req.TypeName, req, alone(contact.QuickValidate))
}

// alone gives quick an answer that needs neither the context nor the provider's settings: a
// state upgrade or a validation, which Terraform may ask for before it configures the provider.
func alone[Req, Resp any](answer func(Req) (Resp, bool)) func(context.Context, *providerdata.Data, Req) (Resp, bool) {
	return func(_ context.Context, _ *providerdata.Data, req Req) (Resp, bool) { return answer(req) }
}

// quick is answer's answer to a call about a resource of type resourceType, when it is a contact.
func quick[Req, Resp any](ctx context.Context, p *qomonProvider, resourceType string, req Req, answer func(context.Context, *providerdata.Data, Req) (Resp, bool)) (resp Resp, ok bool) {
	if resourceType != providerdata.FullTypeName(typeName, contact.TypeName) {
		return resp, false
	}
	return answer(ctx, p.data.Load(), req)
}

func (p *qomonProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		contact.NewResource,
	}
}

func (p *qomonProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		contact.NewDataSource,
		contact.NewListDataSource,
		form.NewDataSource,
	}
}

// ListResources are what `terraform query` lists (Terraform 1.14 and later; older CLIs never
// ask for them).
func (p *qomonProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		contact.NewListResource,
	}
}

// userAgent names this provider and the CLI driving it, as HashiCorp's providers do.
func userAgent(providerVersion, terraformVersion string) string {
	if providerVersion == "" {
		providerVersion = "dev"
	}
	ua := fmt.Sprintf("terraform-provider-qomon/%s", providerVersion)
	if terraformVersion != "" {
		ua += fmt.Sprintf(" (+terraform %s)", terraformVersion)
	}
	return ua
}
